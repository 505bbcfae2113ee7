"""The plugin API: parameters, discovery (broken plugins listed), the safe runner, the CLI flow."""

import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from cowrite.assistants import registry, sandbox
from cowrite.assistants.api import (ALGORITHMIC, Assistant, Boolean, Card, Choice, Draft, FloatRange, IntRange,
                                    ModelInfo, ParameterError, ProposedNote)
from cowrite.assistants.parameters import resolve
from cowrite.assistants.registry import AssistantError, Entry
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from tests.conftest import new_song, run_cowrite

ROOT = Path(__file__).resolve().parents[1]


class Echo(Assistant):
    """Proposes one note a bar at the pitch asked for: easy to check."""

    card = Card("echo", "Echo", "2.0.0", "melody", "One note a bar.",
                ModelInfo("rule-based", "Repeats a pitch.", ALGORITHMIC))
    parameters = (IntRange("pitch", 0, 127, 60, "which pitch"), Choice("mode", ("ok", "raise", "hang", "outside"),
                                                                     "ok", "how to behave"))
    target_kind = "instrument"

    def suggest(self, request):
        mode = request.parameters["mode"]
        if mode == "raise":
            raise RuntimeError("model file missing")
        if mode == "hang":
            time.sleep(3600)  # stopped by the time limit: the worker is killed
        start = request.end if mode == "outside" else request.start
        notes = [ProposedNote(request.parameters["pitch"] + request.seed % 3, tick, 480, 90)
                 for tick in request.bar_starts()[:-1]]
        return Draft(notes if mode != "outside" else [ProposedNote(60, start, 10, 90)], "one note a bar")


@pytest.fixture
def fake_plugins(monkeypatch):
    entries = (Entry("echo", "tests:Echo", Echo()), Entry("broken", "nowhere:Thing", None, "ImportError: no module"))
    monkeypatch.setattr(registry, "discover", lambda: entries)
    return entries


def test_parameters_resolve_defaults_text_and_values():
    params = (Choice("style", ("a", "b"), "a"), IntRange("n", 1, 4, 2), FloatRange("x", 0.0, 1.0, 0.5),
              Boolean("on", False))
    assert resolve(params, {}) == {"style": "a", "n": 2, "x": 0.5, "on": False}
    assert resolve(params, {"style": "b", "n": "3", "x": "0.25", "on": "yes"}) == {
        "style": "b", "n": 3, "x": 0.25, "on": True}
    for given, words in (({"style": "c"}, "not one of: a, b"), ({"n": "9"}, "1..4"), ({"x": "lots"}, "0..1"),
                         ({"on": "maybe"}, "on or off"), ({"tempo": "1"}, "unknown parameter 'tempo'")):
        with pytest.raises(ParameterError, match=words):
            resolve(params, given)


class BadCard(Echo):
    card = Card("bad card", "Bad", "1", "melody", "", ModelInfo("statistical", "", ALGORITHMIC))


def test_discovery_lists_broken_plugins_without_failing(tmp_path, monkeypatch):
    (tmp_path / "needs_torch.py").write_text("raise ImportError(\"No module named 'torch'\")\n")
    info = tmp_path / "some_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: some-plugins\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[cowrite.assistants]\necho = tests.test_assistants_api:Echo\nexplodes = needs_torch:Model\n"
        "notanassistant = builtins:dict\nbadcard = tests.test_assistants_api:BadCard\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.discover.cache_clear()
    try:
        entries = {e.name: e for e in registry.discover()}
    finally:
        registry.discover.cache_clear()
        sandbox.stop_all()
    assert not entries["echo"].broken and entries["echo"].assistant.card == Echo.card
    assert entries["explodes"].error == "ImportError: No module named 'torch'"
    assert "is not a cowrite Assistant" in entries["notanassistant"].error
    assert "must be letters" in entries["badcard"].error


def request_for(song, params=None, seed=1):
    song.tracks.append(__import__("cowrite.model", fromlist=["Track"]).Track("t1", "Lead"))
    return build_request(song, song.tracks[-1], None, 0, 3, resolve(Echo.parameters, params or {}), seed)


def test_runner_contains_failures():
    assistant = Echo()
    assert [n.start for n in run(assistant, request_for(new_song())).notes] == [0, 3840, 7680, 11520]
    with pytest.raises(AssistantError, match="echo@2.0.0 failed: RuntimeError: model file missing"):
        run(assistant, request_for(new_song(), {"mode": "raise"}))
    with pytest.raises(AssistantError, match="outside bars 1-4"):
        run(assistant, request_for(new_song(), {"mode": "outside"}))
    with pytest.raises(AssistantError, match="echo@2.0.0 took longer than 0.05 s and was stopped"):
        run(assistant, request_for(new_song(), {"mode": "hang"}), time_limit=0.05)
    assert len(run(assistant, request_for(new_song())).notes) == 4  # a fresh worker after the hung one


cli = run_cowrite


@pytest.fixture
def song_file(tmp_path, capsys):
    path = tmp_path / "s.cowrite"
    cli(capsys, "--author", "Ana", "new", path, "--bars", 4)
    return path


def test_suggest_then_accept_part_then_credits(fake_plugins, song_file, capsys):
    code, out, err = cli(capsys, "--author", "Ana", "suggest", "echo", song_file, "--seed", 4, "--set", "pitch=70",
                         "--json")
    assert code == 0, err
    data = orjson.loads(out)
    assert data["assistant"] == "echo@2.0.0" and data["seed"] == 4 and data["status"] == "pending"
    assert [n["pitch"] for n in data["notes"]] == [71] * 4 and data["track"] == "Melody"
    code, out, _ = cli(capsys, "accept", song_file, data["suggestion"], "--notes", "0,2")
    assert code == 0 and "partly-accepted: 2 of 4 notes placed" in out
    report = orjson.loads(cli(capsys, "credits", song_file, "--json")[1])
    assert report["suggestions"]["partly_accepted"] == 1
    assert report["disclosure"]["digital_source_type"] == "algorithmicMedia"
    echo = next(c for c in report["contributors"] if c["name"] == "echo")
    assert echo["notes"] == 2 and echo["version"] == "2.0.0"
    history = cli(capsys, "history", song_file)[1]
    assert "echo@2.0.0" in history and "accepted 2 of 4 notes of suggestion s1" in history


def test_same_seed_same_suggestion_and_reject(fake_plugins, song_file, capsys):
    first = orjson.loads(cli(capsys, "suggest", "echo", song_file, "--seed", 5, "--json")[1])
    second = orjson.loads(cli(capsys, "suggest", "echo", song_file, "--seed", 5, "--json")[1])
    assert first["notes"] == second["notes"] and first["suggestion"] != second["suggestion"]
    assert cli(capsys, "reject", song_file, second["suggestion"])[0] == 0
    listing = cli(capsys, "suggestions", song_file)[1]
    assert "s1    pending" in listing and "s2    rejected" in listing


@pytest.mark.parametrize("args, words", [
    (["suggest", "nope", "{song}"], "unknown assistant 'nope'; available: echo"),
    (["suggest", "broken", "{song}"], "assistant 'broken' is broken: ImportError"),
    (["suggest", "echo", "{song}", "--set", "pitch=300"], "pitch '300' is not a whole number in 0..127"),
    (["suggest", "echo", "{song}", "--set", "colour=red"], "unknown parameter 'colour'"),
    (["suggest", "echo", "{song}", "--set", "pitch"], "is not NAME=VALUE"),
    (["suggest", "echo", "{song}", "--bars", "3-9"], "outside the song's bars 1-4"),
    (["suggest", "echo", "{song}", "--bars", "x"], "not a bar range"),
    (["suggest", "echo", "{song}", "--track", "Nope"], "no track 'Nope'"),
    (["suggest", "echo", "{song}", "--set", "mode=raise"], "echo@2.0.0 failed"),
    (["accept", "{song}", "s9"], "no suggestion 's9'"),
    (["accept", "{song}", "s1", "--notes", "a,b"], "not a list of note numbers"),
])
def test_assistant_mistakes_one_line_exit_2_nothing_changed(fake_plugins, song_file, capsys, args, words):
    before = song_file.read_bytes()
    code, _, err = cli(capsys, *[a.format(song=song_file) for a in args])
    assert code == 2 and err.count("\n") == 1 and words in err
    assert song_file.read_bytes() == before


def test_assistants_listing_shows_broken_ones(fake_plugins, capsys):
    out = cli(capsys, "assistants")[1]
    assert "echo@2.0.0  Echo (melody; rule-based, algorithmicMedia)" in out
    assert "broken: BROKEN (nowhere:Thing): ImportError: no module" in out
    listed = orjson.loads(cli(capsys, "assistants", "--json")[1])
    assert listed[0]["card"]["model"]["user_data_share"] == 0 and listed[1]["broken"]


def test_the_example_plugin_installs_and_runs(tmp_path):
    """Install examples/cowrite-arpeggiator like a user would, then use it from the command line."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT / "examples" / "cowrite-arpeggiator")],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "COWRITE_AUTHOR": "Ana"}

    def cowrite(*args):
        return subprocess.run([sys.executable, "-m", "cowrite", *map(str, args)], env=env, capture_output=True,
                              text=True)

    listed = orjson.loads(cowrite("assistants", "--json").stdout)
    assert any(e["name"] == "arpeggiator" and not e["broken"] for e in listed)
    song = tmp_path / "a.cowrite"
    cowrite("new", song, "--bars", 2)
    cowrite("chords", song, "C | Am")
    result = cowrite("suggest", "arpeggiator", song, "--set", "rate=16th", "--seed", 1, "--json", "--accept")
    data = orjson.loads(result.stdout)
    assert [n["pitch"] for n in data["notes"][:4]] == [60, 64, 67, 60]
    assert len(data["notes"]) == 32 and data["status"] == "accepted"
    assert "arpeggiator@0.1.0" in cowrite("credits", song).stdout
