"""Misbehaving plugins, run for real in sandbox workers: each costs one suggestion, never the song.

The plugins are real code in worker processes (tests/plugins/hostile.py, and
modules written into a temporary folder and registered through a dist-info's
entry points). Time limits are short so the suite stays fast; no test sleeps.
"""

import dataclasses
import os
import textwrap
from pathlib import Path

import orjson
import pytest

from cowrite.assistants import registry, sandbox
from cowrite.assistants.parameters import resolve
from cowrite.assistants.registry import AssistantError
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import propose, run
from cowrite.assistants.validate import MAX_NOTES_PER_BAR
from cowrite.edit import AcceptSuggestion, AddTrack, EditError, RejectSuggestion
from cowrite.io.project import Project, read_song
from cowrite.io.errors import FileProblem
from cowrite.model import ProposedNote, TrackKind
from cowrite_drums import DrumsAssistant
from tests.conftest import run_cowrite
from tests.plugins.hostile import Hostile

TIME_LIMIT = 0.5  # seconds: a hang is cut off this soon


@pytest.fixture(autouse=True, scope="module")
def no_worker_left_behind():
    """Every worker these tests start is stopped and reaped at the end, pass or fail (warm ones are reused)."""
    yield
    pids = sandbox.running()
    sandbox.stop_all()
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]


@pytest.fixture
def song(project):
    project.document.apply(AddTrack("Lead"))
    project.document.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    return project


def ask(project, assistant, act="ok", seed=1, time_limit=TIME_LIMIT):
    """Propose the assistant's suggestion for bars 1-2 of the Lead track, as the window and CLI do."""
    song = project.song
    lead = song.find_track("Lead")
    parameters = resolve(assistant.parameters, {"act": act} if isinstance(assistant, Hostile) else {})
    request = build_request(song, lead, None, 0, 1, parameters, seed)
    draft = run(assistant, request, time_limit)
    return propose_draft(project, assistant, request, draft)


def propose_draft(project, assistant, request, draft):
    from cowrite.assistants.runner import to_suggestion
    from cowrite.attribution.actors import Actor
    from cowrite.edit import ProposeSuggestion

    card = assistant.card
    project.document.apply(ProposeSuggestion(to_suggestion(assistant, request, draft)),
                           Actor.assistant(card.id, card.version))
    return project.song.suggestions[f"s{project.song.next_suggestion_id - 1}"]


def snapshot(project):
    """What must not change when a suggestion fails: the song's file form and the ledger's length."""
    song = project.song
    return (song.tempo.changes[:], song.meter.changes[:], dict(song.suggestions),
            {t.id: dict(t.notes) for t in song.tracks}, project.ledger.record.events)


FAILURES = [
    ("float-pitch", r"hostile@1\.0\.0 proposed an impossible note \(#1: \[60\.5, 0, 480, 90\]\): "
                    r"pitch 60\.5 is not a whole number"),
    ("float-start", r"impossible note \(#1: \[60, 0\.25, 480, 90\]\): start 0\.25 is not a whole number"),
    ("bool-pitch", r"impossible note \(#1: \[True, 0, 480, 90\]\): pitch True is not a whole number"),
    ("text-pitch", r"impossible note \(#1: \['C4', 0, 480, 90\]\): pitch 'C4' is not a whole number"),
    ("pitch-300", r"pitch 300 is outside 0\.\.127"),
    ("velocity-0", r"velocity 0 is outside 1\.\.127"),
    ("length-0", r"duration 0 must be at least one tick"),
    ("past-the-bars", r"it starts at tick 7680, outside bars 1-2"),
    ("negative-start", r"start -480 is before the song start"),
    ("bad-chord", r"hostile@1\.0\.0 proposed an impossible chord .*unknown quality 'weird'"),
    ("not-a-draft", r"hostile@1\.0\.0 failed: TypeError: returned list, not a Draft"),
    ("keyboard-interrupt", r"hostile@1\.0\.0 failed: KeyboardInterrupt$"),
    ("system-exit", r"hostile@1\.0\.0 failed: SystemExit: 3$"),
    ("exit", r"hostile@1\.0\.0 crashed \(exited with code 0\)$"),
    ("segfault", r"hostile@1\.0\.0 crashed \(segmentation fault\)$"),
    ("busy-c-loop", rf"hostile@1\.0\.0 took longer than {TIME_LIMIT:g} s and was stopped$"),
    ("endless", rf"proposed more than {2 * MAX_NOTES_PER_BAR} notes for bars 1-2 \(at most {MAX_NOTES_PER_BAR} a bar\)"),
    ("ten-million", rf"proposed more than {2 * MAX_NOTES_PER_BAR} notes for bars 1-2"),
]


@pytest.mark.parametrize("act, reason", FAILURES, ids=[f[0] for f in FAILURES])
def test_a_misbehaving_plugin_costs_one_suggestion(song, act, reason):
    before = snapshot(song)
    with pytest.raises(AssistantError, match=reason):
        ask(song, Hostile(), act)
    assert snapshot(song) == before
    good = ask(song, Hostile(), "ok")  # the same plugin again: a fresh worker if the last one died
    assert [n.start for n in good.notes] == [0, 3840] and good.assistant == "assistant:hostile@1.0.0"


def test_numpy_integers_arrive_as_plain_ints(song):
    s = ask(song, Hostile(), "numpy")
    assert s.notes == [ProposedNote(62, 0, 480, 90)] and {type(v) for v in s.notes[0]} == {int}
    song.document.apply(AcceptSuggestion(s.id))
    song.save()
    assert read_song(song.path)[0].find_track("Lead").sorted_notes()[0].pitch == 62


def test_a_plugin_cannot_touch_the_song_through_its_request(song):
    tempo, meter, events = song.song.tempo.changes[:], song.song.meter.changes[:], song.ledger.record.events
    s = ask(song, Hostile(), "mutate-request")
    assert song.song.tempo.changes == tempo and song.song.meter.changes == meter
    assert song.ledger.record.events == events + 1 and len(s.notes) == 2  # only the suggestion itself


def test_same_request_and_seed_give_the_same_notes_as_in_process(song):
    drums = song.song.find_track("Drums")
    request = build_request(song.song, drums, None, 0, 3, resolve(DrumsAssistant.parameters, {}), 11)
    sandboxed = [run(DrumsAssistant(), request).notes for _ in range(2)]
    sandbox.stop_all()  # a fresh worker gives them too
    assert sandboxed[0] == sandboxed[1] == run(DrumsAssistant(), request).notes == DrumsAssistant().suggest(request).notes


def test_a_warm_worker_answers_in_tens_of_milliseconds(song):
    """A generous deadline, not a benchmark: a warm round trip is a few ms (see docs/writing-an-assistant.md)."""
    ask(song, Hostile())
    ask(song, Hostile(), time_limit=0.1)


# -- discovery: plugins that misbehave while being imported, and claims on built-in ids -------------

IMPORT_TIME_LIMIT = 2.0  # seconds: worker start-up plus the import, on a loaded machine

MODULES = {
    "sleeps_at_import": "import time\ntime.sleep(10 ** 6)\n",
    "exits_at_import": "raise SystemExit(3)\n",
    "interrupts_at_import": "raise KeyboardInterrupt\n",
    "crashes_at_import": "import ctypes\nctypes.string_at(0)\n",
    "quits_at_import": "import os\nos._exit(0)\n",
    "imposter": """
        from cowrite.assistants.api import ALGORITHMIC, Assistant, Card, Draft, ModelInfo
        class Drums(Assistant):
            card = Card("drums", "Drums", "1.0.0", "drums", "Not the real one.",
                        ModelInfo("rule-based", "Takes the name.", ALGORITHMIC))
            def suggest(self, request):
                return Draft([], "")
        """,
    "tidy": """
        from cowrite.assistants.api import ALGORITHMIC, Assistant, Card, Draft, ModelInfo, ProposedNote
        class Tidy(Assistant):
            card = Card("tidy", "Tidy", "0.1.0", "melody", "One note.", ModelInfo("rule-based", "One.", ALGORITHMIC))
            def suggest(self, request):
                return Draft([ProposedNote(64, request.start, 240, 80)], "one note")
        """,
}
ENTRY_POINTS = {"sleeps": "sleeps_at_import:X", "exits": "exits_at_import:X", "interrupts": "interrupts_at_import:X",
                "crashes": "crashes_at_import:X", "quits": "quits_at_import:X", "mydrums": "imposter:Drums",
                "drums": "imposter:Drums", "cowrite-extra": "tidy:Tidy", "tidy": "tidy:Tidy"}


@pytest.fixture(scope="module")
def hostile_distribution(tmp_path_factory):
    """A distribution of misbehaving plugins on sys.path (the workers inherit it), discovered once for these tests."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    for name, code in MODULES.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(code))
    info = tmp_path / "hostile_plugins-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-plugins\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[cowrite.assistants]\n" + "".join(f"{k} = {v}\n" for k, v in ENTRY_POINTS.items()))
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(tmp_path))
        patch.setattr(sandbox, "IMPORT_TIME_LIMIT", IMPORT_TIME_LIMIT)
        registry.discover.cache_clear()
        yield
        registry.discover.cache_clear()


def test_discovery_lists_plugins_that_fail_at_import_as_broken(hostile_distribution):
    entries = registry.discover()
    errors = {e.name: e.error for e in entries if e.broken}
    assert errors["sleeps"] == f"took longer than {IMPORT_TIME_LIMIT:g} s to import and was stopped"
    assert errors["exits"] == "SystemExit: 3" and errors["interrupts"] == "KeyboardInterrupt"
    assert errors["crashes"] == "crashed (segmentation fault) while being imported"
    assert errors["quits"] == "crashed (exited with code 0) while being imported"
    claim = "hostile-plugins claims {!r}, reserved for Cowrite's own assistants (the built-in stays)"
    assert errors["drums"] == claim.format("drums") and errors["mydrums"] == claim.format("drums")
    assert errors["cowrite-extra"] == claim.format("cowrite-extra")
    working = {e.name: e.assistant.card.actor_id for e in entries if not e.broken}
    assert working["tidy"] == "assistant:tidy@0.1.0"
    assert registry.find("drums").card.actor_id == working["drums"] == f"assistant:drums@{DrumsAssistant.card.version}"
    assert DrumsAssistant.card.name == registry.find("drums").card.name


def test_the_assistants_listing_survives_them_and_good_plugins_still_suggest(hostile_distribution, song, capsys):
    code, out, _ = run_cowrite(capsys, "assistants")
    assert code == 0
    assert "sleeps: BROKEN (sleeps_at_import:X): took longer than" in out and "tidy@0.1.0  Tidy" in out
    listed = orjson.loads(run_cowrite(capsys, "assistants", "--json")[1])
    assert {e["name"] for e in listed if e["broken"]} >= {"sleeps", "exits", "interrupts", "crashes", "quits"}
    drums = registry.find("drums")
    s = propose(song.document, drums, song.song.find_track("Drums"), None, 0, 1, resolve(drums.parameters, {}), 3)[0]
    assert s.assistant == f"assistant:drums@{DrumsAssistant.card.version}" and s.notes
    assert ask(song, registry.find("tidy")).notes == [ProposedNote(64, 0, 240, 80)]


# -- damaged suggestions in a song file --------------------------------------------------------------

@pytest.mark.parametrize("note, words", [([300, 0, 480, 90], "pitch 300 is outside 0..127"),
                                         ([60, 0.5, 480, 90], "start 0.5 is not a whole number"),
                                         (["C4", 0, 480, 90], "pitch 'C4' is not a whole number")])
def test_a_damaged_suggestion_in_a_file_is_refused_with_the_reason(song, note, words):
    ask(song, Hostile())
    song.save()
    doc = orjson.loads(song.path.read_bytes())
    doc["suggestions"][0]["notes"][0] = note
    song.path.write_bytes(orjson.dumps(doc))
    with pytest.raises(FileProblem, match=f"cannot be opened: suggestion s1 note 0: {words}"):
        read_song(song.path)


def test_a_damaged_suggestion_cannot_be_accepted_only_rejected(song):
    s = ask(song, Hostile())
    song.song.suggestions[s.id] = dataclasses.replace(s, notes=[ProposedNote(60.5, 0, 480, 90)])
    with pytest.raises(EditError, match="cannot accept: suggestion s1 note 0: pitch 60.5 is not a whole number"):
        song.document.apply(AcceptSuggestion(s.id))
    assert not song.song.find_track("Lead").notes
    song.document.apply(RejectSuggestion(s.id))
