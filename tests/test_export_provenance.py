"""Every export carries provenance: a manifest beside it, and an event in the ledger."""

import hashlib

import orjson
import pytest

from cowrite.attribution.ledger import read_events
from cowrite.io.project import Project
from tests.conftest import keys_and_accepted_kicks, new_song, run_cowrite


@pytest.fixture
def song(tmp_path, ana, drums_ai):
    project = Project.create(tmp_path / "s.cowrite", new_song(length_bars=2), ana)
    keys_and_accepted_kicks(project, drums_ai)
    project.save()
    project.close()
    return project.path


cli = run_cowrite


def test_wav_export_has_a_manifest_and_a_ledger_event(song, tmp_path, capsys):
    out = tmp_path / "mix.wav"
    code, text, err = cli(capsys, "export", song, "--wav", out)
    assert code == 0, err
    assert "unsigned" in text
    manifest = orjson.loads(out.with_name("mix.wav.provenance.json").read_bytes())
    assert manifest["file"] == {"name": "mix.wav", "kind": "wav", "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    assert manifest["digital_source_type"]["term"] == "compositeWithTrainedAlgorithmicMedia"
    assert {c["id"] for c in manifest["contributors"]} == {"person:Ana", "assistant:drums@1.0.0"}
    assert manifest["signature"] is None
    events = read_events(song.with_name(song.name + ".attribution.jsonl"))
    assert events[-1]["op"] == "export" and events[-1]["action"] == "c2pa.published"
    assert events[-1]["subject"]["sha256"] == manifest["file"]["sha256"]
    assert manifest["ledger"]["events"] == events[-1]["seq"]  # the manifest names the state after its export event
    assert cli(capsys, "verify", song)[0] == 0


def test_stems_each_get_a_manifest(song, tmp_path, capsys):
    folder = tmp_path / "stems"
    assert cli(capsys, "export", song, "--stems", folder)[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["Drums.wav", "Drums.wav.provenance.json", "Keys.wav", "Keys.wav.provenance.json",
                     "mix.wav", "mix.wav.provenance.json"]


def test_midi_export_manifest(song, tmp_path, capsys):
    out = tmp_path / "s.mid"
    assert cli(capsys, "export", song, "--midi", out)[0] == 0
    manifest = orjson.loads(out.with_name("s.mid.provenance.json").read_bytes())
    assert manifest["file"]["kind"] == "midi" and "drums@1.0.0" in manifest["credits"]


@pytest.mark.parametrize("args, words", [
    ([], "say what to export"),
    (["--wav", "{tmp}/missing/x.wav"], "missing"),
    (["--midi", "{tmp}/x.mid", "--stems", "{tmp}/st"], "--stems goes with --wav"),
])
def test_export_mistakes(song, tmp_path, capsys, args, words):
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = cli(capsys, "export", song, *[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and err.count("\n") == 1 and words in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
