"""Samples in songs: drum pads and keyboard samples, saved, rendered, recorded, and missing files survived."""

import hashlib

import numpy as np
import orjson
import pytest
import soundfile

from cowrite.attribution import vocabulary as V
from cowrite.attribution.ledger import read_events
from cowrite.audio import BlockRenderer, render_song
from cowrite.audio.output import open_output
from cowrite.audio.player import Player
from tests.conftest import run_cowrite
from cowrite.edit import AddNotes, AddTrack, AssignSample, DeleteNotes, EditError
from cowrite.io import song_json
from cowrite.io.errors import FileProblem
from cowrite.io.project import read_song
from cowrite.model import PPQ, SampleRef, TrackKind

SR = 48000
KICKS = [0, PPQ, 2 * PPQ, 3 * PPQ]  # one bar of four on the floor at 120 BPM: a kick every 24000 samples
BURST_SECONDS = 0.05


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own sample library."""
    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def write_wav(path, audio, rate=SR):
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), audio, rate, subtype="PCM_24")
    return path


def ref_of(path, root=None) -> SampleRef:
    return SampleRef(str(path), hashlib.sha256(path.read_bytes()).hexdigest(), path.stem, root)


@pytest.fixture
def burst(tmp_path):
    """A 1 kHz sine burst of 50 ms, recorded at 44.1 kHz so loading must resample it."""
    t = np.arange(int(BURST_SECONDS * 44100)) / 44100
    return write_wav(tmp_path / "samples" / "burst.wav", 0.8 * np.sin(2 * np.pi * 1000 * t), 44100)


@pytest.fixture
def drums(project):
    project.document.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    project.document.apply(AddNotes("Drums", [(36, tick, 120, 110) for tick in KICKS]))
    project.song.length_bars = 1
    return project


def kick_onsets(song) -> list[int]:
    return [round(song.tempo.seconds_at(tick) * SR) for tick in KICKS]


def peak_hz(x: np.ndarray, rate: int = SR) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), 8 * len(x)))
    return float(np.argmax(spectrum) * rate / (8 * len(x)))


def stem(song, track_id="t1") -> np.ndarray:
    return render_song(song).stems[track_id][:, 0]


# -- drum pads -------------------------------------------------------------------------------------

def test_a_pad_plays_its_sample_instead_of_the_kit_kick(drums, burst):
    kit = stem(drums.song)
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    padded = stem(drums.song)
    length = round(BURST_SECONDS * SR)
    for onset in kick_onsets(drums.song):
        hit, kit_hit = padded[onset:onset + length], kit[onset:onset + length]
        assert abs(peak_hz(hit) - 1000) < 20 and peak_hz(kit_hit) < 200
        assert np.abs(hit).max() > 0.1
        assert np.abs(padded[onset + length + 10:onset + 2 * length]).max() < 1e-6  # the burst ends, a kick rings on
        assert np.abs(kit[onset + length + 10:onset + 2 * length]).max() > 0.01


def test_undo_takes_the_sample_off_and_the_kit_plays_again(drums, burst):
    kit = render_song(drums.song).audio
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    assert not np.array_equal(render_song(drums.song).audio, kit)
    drums.document.undo()
    assert drums.song.track("t1").pads == {}
    np.testing.assert_array_equal(render_song(drums.song).audio, kit)
    drums.document.redo()
    assert drums.song.track("t1").pads == {36: ref_of(burst)}


def test_other_keys_keep_the_kit_sound(drums, burst):
    drums.document.apply(AddNotes("Drums", [(38, PPQ // 2, 120, 100)]))
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    with_bursts = stem(drums.song)
    drums.document.apply(DeleteNotes([n.id for n in drums.song.track("t1").notes.values() if n.pitch == 36]))
    snare = round(drums.song.tempo.seconds_at(PPQ // 2) * SR)
    assert np.abs(with_bursts[snare:snare + SR // 10]).max() > 0.1
    np.testing.assert_allclose(with_bursts[snare:snare + SR // 10], stem(drums.song)[snare:snare + SR // 10], atol=1e-6)


def test_playback_blocks_play_the_pad_as_the_offline_render_does(drums, burst):
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    offline = render_song(drums.song).audio
    player = BlockRenderer(drums.song)
    blocks = np.concatenate([player.render_block(256) for _ in range((len(offline) + player.latency) // 256 + 1)])
    np.testing.assert_allclose(blocks[player.latency:player.latency + len(offline)], offline, atol=1e-5)
    assert player.warnings == []


def test_the_ledger_records_the_sample_as_a_placed_ingredient(drums, burst):
    ref = ref_of(burst)
    [event] = drums.document.apply(AssignSample("Drums", 36, ref))
    assert (event["op"], event["action"], event["subject"]) == ("assign_sample", V.PLACED, {"track": "t1", "pad": 36})
    assert event["before"] is None and event["after"]["sha256"] == hashlib.sha256(burst.read_bytes()).hexdigest()
    [undo] = drums.document.undo()
    assert (undo["action"], undo["before"], undo["after"]) == (V.REMOVED, event["after"], None)
    drums.document.redo()
    [removal] = drums.document.apply(AssignSample("Drums", 36, None))
    assert (removal["action"], removal["before"], removal["after"]) == (V.REMOVED, event["after"], None)
    assert [e["op"] for e in read_events(drums.ledger.path)][-4:] == ["assign_sample", "undo", "redo", "assign_sample"]


def test_assigning_the_same_sample_again_changes_nothing(drums, burst):
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    assert drums.document.apply(AssignSample("Drums", 36, ref_of(burst))) == []
    assert drums.document.apply(AssignSample("Drums", 40, None)) == []


@pytest.mark.parametrize("track, pitch, message", [
    ("Keys", 36, "'Keys': it is not a drum track"),
    ("Drums", None, "'Drums': it is a drum track"),
    ("Drums", 128, "drum key 128 is not a MIDI key 0..127"),
    ("Nope", 36, "no track 'Nope'"),
])
def test_samples_go_where_they_can_play(drums, burst, track, pitch, message):
    drums.document.apply(AddTrack("Keys"))
    with pytest.raises(EditError, match=message):
        drums.document.apply(AssignSample(track, pitch, ref_of(burst)))
    assert all(not t.pads and t.sample is None for t in drums.song.tracks)


def test_a_sample_ref_is_checked_when_made():
    with pytest.raises(ValueError, match="not a SHA-256"):
        SampleRef("a.wav", "abc", "a")
    with pytest.raises(ValueError, match="root 200"):
        SampleRef("a.wav", "0" * 64, "a", 200)


# -- the project file --------------------------------------------------------------------------------

def test_pads_and_keyboard_samples_survive_save_and_load_exactly(drums, burst):
    drums.document.apply(AddTrack("Keys"))
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    drums.document.apply(AssignSample("Drums", 42, ref_of(burst)))
    drums.document.apply(AssignSample("Keys", None, ref_of(burst, root=69)))
    drums.save()
    song, record = read_song(drums.path)
    assert song.track("t1").pads == {36: ref_of(burst), 42: ref_of(burst)}
    assert song.track("t2").sample == ref_of(burst, root=69) and song.track("t2").pads == {}
    assert song_json.encode(song, record, drums.ledger.path.name) == drums.path.read_bytes()
    assert '"pads":{"36":{"path":' in drums.path.read_text()


def test_a_version_1_file_opens_with_no_samples(drums):
    drums.save()
    doc = orjson.loads(drums.path.read_bytes())
    for track in doc["tracks"]:
        del track["pads"], track["sample"]
    drums.path.write_bytes(orjson.dumps({**doc, "format_version": 1}))
    song, _ = read_song(drums.path)
    assert song.track("t1").pads == {} and song.track("t1").sample is None


@pytest.mark.parametrize("damage, message", [
    (lambda t: t.update(pads={"36": {"path": "a.wav", "sha256": "xyz", "name": "a", "root": None}}),
     "track 'Drums': sample a.wav: 'xyz' is not a SHA-256"),
    (lambda t: t.update(kind="instrument", pads={"36": {"path": "a.wav", "sha256": "0" * 64, "name": "a",
                                                         "root": None}}), "track 'Drums': it is not a drum track"),
    (lambda t: t.update(sample={"path": "a.wav", "sha256": "0" * 64, "name": "a", "root": None}),
     "track 'Drums': it is a drum track"),
])
def test_a_damaged_sample_in_the_file_is_refused_with_the_reason(drums, damage, message):
    drums.save()
    doc = orjson.loads(drums.path.read_bytes())
    damage(doc["tracks"][0])
    drums.path.write_bytes(orjson.dumps(doc))
    with pytest.raises(FileProblem, match=message):
        read_song(drums.path)


# -- missing and changed files -------------------------------------------------------------------------

def test_a_missing_sample_falls_back_to_the_kit_with_a_warning(drums, burst):
    kit = render_song(drums.song).audio
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    drums.save()
    burst.rename(burst.with_name("moved.wav"))
    song, _ = read_song(drums.path)
    mix = render_song(song)
    np.testing.assert_array_equal(mix.audio, kit)
    [warning] = mix.warnings
    assert "track 'Drums', pad 36" in warning and str(burst) in warning and "is missing" in warning
    assert "kit's sound plays instead" in warning
    player = Player(open_output("manual"), threaded=False)
    player.load(song)
    assert player.warnings == [warning]
    player.close()


def test_a_changed_or_unreadable_sample_falls_back_too(drums, burst):
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    write_wav(burst, np.zeros(100))
    assert "has changed since it was assigned" in render_song(drums.song).warnings[0]
    burst.write_bytes(b"not audio at all")
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    assert "cannot read it as audio" in render_song(drums.song).warnings[0]


def test_muted_tracks_do_not_warn(drums, burst):
    drums.document.apply(AssignSample("Drums", 36, ref_of(burst)))
    burst.unlink()
    drums.song.track("t1").mute = True
    assert render_song(drums.song).warnings == []


# -- keyboard samples ------------------------------------------------------------------------------------

@pytest.fixture
def keys(project):
    project.document.apply(AddTrack("Keys", preset="pad"))
    project.document.apply(AddNotes("Keys", [(76, 0, 2 * PPQ, 100)]))  # E5: a fifth above A4
    project.song.length_bars = 1
    return project


def tone(path, hz, seconds=1.0, rate=SR):
    t = np.arange(int(seconds * rate)) / rate
    return write_wav(path, 0.5 * np.sin(2 * np.pi * hz * t), rate)


def test_a_keyboard_sample_plays_at_the_note_pitch_from_its_root(keys, tmp_path):
    a440 = tone(tmp_path / "a440.wav", 440.0, rate=44100)
    keys.document.apply(AssignSample("Keys", None, ref_of(a440, root=69)))
    played = stem(keys.song)[SR // 10:SR // 10 + SR // 4]
    assert abs(peak_hz(played) - 440 * 2 ** (7 / 12)) < 3
    assert abs(len(np.flatnonzero(np.abs(stem(keys.song)) > 1e-4)) / SR - 1 / 2 ** (7 / 12)) < 0.02  # faster


def test_a_keyboard_sample_without_a_root_is_played_from_middle_c(keys, tmp_path):
    c4 = tone(tmp_path / "c4.wav", 261.63)
    keys.document.apply(AssignSample("Keys", None, ref_of(c4)))
    assert abs(peak_hz(stem(keys.song)[SR // 10:SR // 10 + SR // 4]) - 261.63 * 2 ** (16 / 12)) < 3


def test_a_missing_keyboard_sample_falls_back_to_the_synth_preset(keys, tmp_path):
    synth = render_song(keys.song).audio
    a440 = tone(tmp_path / "a440.wav", 440.0)
    keys.document.apply(AssignSample("Keys", None, ref_of(a440, root=69)))
    a440.unlink()
    mix = render_song(keys.song)
    np.testing.assert_array_equal(mix.audio, synth)
    assert "track 'Keys':" in mix.warnings[0] and "synth preset plays instead" in mix.warnings[0]


# -- the command line --------------------------------------------------------------------------------------

run = run_cowrite


@pytest.fixture
def song_file(drums, burst):
    drums.document.apply(AddTrack("Keys"))
    drums.save()
    drums.close()
    return drums.path


def test_cli_pad_and_sampler(song_file, burst, tmp_path, capsys):
    code, out, _ = run(capsys, "pad", song_file, "Drums", "kick", burst)
    assert code == 0 and out == f"pad 36 of Drums: burst ({burst})\n"
    a440 = tone(tmp_path / "a440.wav", 440.0)
    code, out, _ = run(capsys, "sampler", song_file, "Keys", a440)
    assert code == 0 and out.startswith("keyboard of Keys: a440, root A4")
    song, _ = read_song(song_file)
    assert song.track("t1").pads == {36: ref_of(burst)} and song.track("t2").sample == ref_of(a440, root=69)
    code, out, _ = run(capsys, "info", song_file)
    assert f"pad 36    burst ({burst})" in out and f"keyboard  a440 ({a440})" in out
    sha256 = hashlib.sha256(burst.read_bytes()).hexdigest()
    assert f"put sample 'burst' on pad 36 of track 'Drums' (sha256 {sha256})" in run(capsys, "history", song_file)[1]
    assert run(capsys, "pad", song_file, "t1", "36", "--clear")[1] == "pad 36 of Drums: no sample\n"
    assert run(capsys, "pad", song_file, "t1", "36", "--clear")[1] == "pad 36 of Drums: no sample (it had none)\n"
    assert "took sample 'burst' off pad 36 of track 'Drums'" in run(capsys, "history", song_file)[1]
    assert run(capsys, "sampler", song_file, "Keys", "--clear")[0] == 0
    song, _ = read_song(song_file)
    assert song.track("t1").pads == {} and song.track("t2").sample is None


def test_cli_finds_a_sample_by_library_search(song_file, burst, tmp_path, capsys):
    assert run(capsys, "library", "add", burst.parent)[0] == 0
    assert run(capsys, "pad", song_file, "Drums", "snare", "burst")[1] == f"pad 38 of Drums: burst ({burst})\n"
    tone(tmp_path / "samples" / "burst two.wav", 300.0)
    assert run(capsys, "library", "scan")[0] == 0
    code, _, err = run(capsys, "pad", song_file, "Drums", "snare", "burst")
    assert code == 2 and "matches more than one sample (burst" in err


@pytest.mark.parametrize("args, message", [
    (["pad", "{song}", "Bass", "kick", "{burst}"], "no track 'Bass' (tracks: Drums, Keys)"),
    (["pad", "{song}", "Keys", "kick", "{burst}"], "track 'Keys': it is not a drum track"),
    (["sampler", "{song}", "Drums", "{burst}"], "track 'Drums': it is a drum track"),
    (["pad", "{song}", "Drums", "kick", "{missing}"], "missing.wav: no such file"),
    (["pad", "{song}", "Drums", "bongo", "{burst}"], "unknown drum 'bongo'"),
    (["pad", "{song}", "Drums", "kick"], "give a SAMPLE, or --clear"),
    (["pad", "{song}", "Drums", "kick", "no such words"], "no sample in the library matches 'no such words'"),
])
def test_cli_mistakes_are_one_line_and_change_nothing(song_file, burst, tmp_path, capsys, args, message):
    before = song_file.read_bytes(), song_file.with_name(song_file.name + ".attribution.jsonl").read_bytes()
    paths = {"song": song_file, "burst": burst, "missing": tmp_path / "missing.wav"}
    code, out, err = run(capsys, *(a.format(**paths) for a in args))
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert (song_file.read_bytes(), song_file.with_name(song_file.name + ".attribution.jsonl").read_bytes()) == before


def test_cli_export_warns_about_a_missing_sample_and_still_exports(song_file, burst, tmp_path, capsys):
    assert run(capsys, "pad", song_file, "Drums", "kick", burst)[0] == 0
    burst.unlink()
    code, _, err = run(capsys, "export", song_file, "--wav", tmp_path / "mix.wav")
    assert code == 0 and (tmp_path / "mix.wav").is_file()
    assert err.startswith("cowrite: warning: track 'Drums', pad 36: ") and err.count("\n") == 1
