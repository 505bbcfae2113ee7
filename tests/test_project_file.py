"""The project file: exact round trips, atomic saves, migrations, and refusal of broken files."""

import os

import orjson
import pytest

from cowrite.attribution import vocabulary as V
from cowrite.attribution.ledger import read_events, verify_ledger
from cowrite.edit import AcceptSuggestion, AddNotes, AddTrack, MoveNotes, ProposeSuggestion, SetChords
from cowrite.io import migrations
from cowrite.io.errors import FileProblem
from cowrite.io.project import Project, read_song
from cowrite.model import Chord, ProposedNote, Suggestion, TrackKind
from tests.conftest import new_song


def snapshot(song):
    return {
        "title": song.title, "tempo": song.tempo.changes, "meter": song.meter.changes, "key": song.key,
        "bars": song.length_bars, "chords": song.chords,
        "tracks": [(t.settings(), sorted(t.notes.values())) for t in song.tracks],
        "suggestions": {k: v.to_json() for k, v in song.suggestions.items()},
        "ids": (song.next_note_id, song.next_track_id, song.next_suggestion_id),
    }


@pytest.fixture
def rich(project, ana, drums_ai):
    doc = project.document
    doc.apply(AddTrack("Keys"))
    doc.apply(AddNotes("Keys", [(60 + i % 12, i * 120, 100, 1 + i % 127) for i in range(300)]))
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    doc.apply(ProposeSuggestion(Suggestion("", drums_ai.id, "Drums", {"style": "trap", "density": 0.5}, 3,
                                           [ProposedNote(36, 0, 120, 110), ProposedNote(42, 240, 60, 70)],
                                           explanation="four on the floor", source_type=V.TRAINED_ALGORITHMIC)),
              drums_ai)
    doc.apply(AcceptSuggestion("s1", [1]))
    doc.apply(MoveNotes([5], ticks=7))
    doc.apply(SetChords([Chord(0, 3840, "F/A", 5, "major", 9)]))
    project.save()
    return project


def test_save_and_load_round_trip_exactly(rich):
    song, record = read_song(rich.path)
    assert snapshot(song) == snapshot(rich.song)
    assert record == rich.ledger.record
    assert song.find_track("Keys").notes[5].origin.edited == {"timing"}


def test_the_file_is_readable_json_with_one_note_a_line(rich):
    text = rich.path.read_text()
    assert '"format": "cowrite-song"' in text and '"format_version": 2' in text
    assert "\n      [1,60,0,100,1,0],\n      [2,61,120,100,2,0]," in text
    assert orjson.loads(text)["note_fields"] == ["id", "pitch", "start", "duration", "velocity", "origin"]


def test_a_failed_save_leaves_the_old_file_whole(rich, monkeypatch):
    before = rich.path.read_bytes()
    rich.document.apply(AddNotes("Keys", [(90, 0, 10, 10)]))

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(FileProblem, match="old version is untouched"):
        rich.save()
    assert rich.path.read_bytes() == before
    assert [p.name for p in rich.path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_events_written_after_the_last_save_are_declared_void_on_open(rich, ana):
    rich.document.apply(AddNotes("Keys", [(90, 0, 10, 10)]))  # the process dies before save()
    unsaved_seq = rich.ledger.record.events
    rich.close()
    reopened = Project.open(rich.path, ana)
    assert reopened.song.find_track("Keys").notes.keys().isdisjoint({301})  # the change never reached the song
    last = read_events(reopened.ledger.path)[-1]
    assert last["action"] == V.DISCARDED and last["subject"]["events"] == [unsaved_seq, unsaved_seq]
    _, record = read_song(rich.path)
    assert verify_ledger(reopened.ledger.path, record).intact
    reopened.document.apply(AddNotes("Keys", [(91, 0, 10, 10)]))
    assert max(reopened.song.find_track("Keys").notes) == 302  # ids are never reused
    reopened.close()


def test_open_refuses_a_ledger_cut_short(rich, ana):
    rich.close()  # one writer at a time: the song is opened again below
    data = rich.ledger.path.read_bytes()
    rich.ledger.path.write_bytes(data[:-10])
    with pytest.raises(FileProblem, match="shorter than the song recorded"):
        Project.open(rich.path, ana)


def test_open_refuses_a_rewritten_ledger_end(rich, ana):
    rich.close()  # one writer at a time: the song is opened again below
    data = rich.ledger.path.read_bytes()
    rich.ledger.path.write_bytes(data[:-4] + b'X' + data[-3:])
    with pytest.raises(FileProblem, match="does not end with the event the song recorded"):
        Project.open(rich.path, ana)


def test_open_refuses_a_missing_ledger(rich, ana):
    rich.close()  # one writer at a time: the song is opened again below
    rich.ledger.path.unlink()
    with pytest.raises(FileProblem, match="ledger is missing"):
        Project.open(rich.path, ana)


def test_create_never_overwrites(tmp_path, ana):
    path = tmp_path / "a.cowrite"
    Project.create(path, new_song(), ana).close()
    before = path.read_bytes()
    with pytest.raises(FileProblem, match="already exists"):
        Project.create(path, new_song(title="Other"), ana)
    assert path.read_bytes() == before


def corrupt(path, change):
    doc = orjson.loads(path.read_bytes())
    change(doc)
    path.write_bytes(orjson.dumps(doc))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format_version=99), "newer Cowrite (format version 99"),
    (lambda d: d.update(format_version="one"), "format version 'one' is not a version number"),
    (lambda d: d.update(format="something-else"), "not a Cowrite song"),
    (lambda d: d.pop("tracks"), "damaged"),
    (lambda d: d["tracks"][0]["notes"][0].__setitem__(1, 200), "pitch is out of range"),
    (lambda d: d["tracks"][0]["notes"][1].__setitem__(0, 1), "two notes share an id"),
    (lambda d: d["tracks"][0]["notes"][0].pop(), "6 fields"),
    (lambda d: d["tracks"][0]["notes"][0].__setitem__(2, 1.5), "not a whole number"),
    (lambda d: d["tracks"][0].__setitem__("pan", 9), "outside -1..1"),
    (lambda d: d.update(tempo=[[0, 0]]), "outside 1..999"),
    (lambda d: d.update(ppq=480), "resolution 480"),
])
def test_broken_project_files_are_refused_with_the_reason(rich, change, message):
    corrupt(rich.path, change)
    with pytest.raises(FileProblem) as raised:
        read_song(rich.path)
    assert message in str(raised.value)


@pytest.mark.parametrize("content, message", [
    (b"", "not valid JSON"), (b"\x00\xff garbage", "not valid JSON"), (b"[1, 2]", "not a Cowrite song"),
    (b'{"format": "cowrite-song"', "not valid JSON"),
])
def test_files_that_are_not_songs(tmp_path, content, message):
    path = tmp_path / "x.cowrite"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match=message):
        read_song(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileProblem, match="no such file"):
        read_song(tmp_path / "nope.cowrite")
    with pytest.raises(FileProblem, match="is a folder"):
        read_song(tmp_path)


def test_old_versions_are_migrated_in_order(rich, monkeypatch):
    """A future format 3 adds a step; a version-2 file then opens through it."""
    calls = []

    def to_v3(doc):
        calls.append(doc["format_version"])
        doc["format_version"] = 3
        return doc

    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, 2: to_v3})
    monkeypatch.setattr(migrations, "FORMAT_VERSION", 3)
    song, _ = read_song(rich.path)
    assert calls == [2] and song.note_count() == rich.song.note_count()
