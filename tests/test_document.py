"""The one door: every command changes the model, writes one ledger event, and can be undone."""

import errno

import pytest

from cowrite.attribution.ledger import LedgerError, read_events
from cowrite.edit import (AddNotes, AddTrack, DeleteNotes, EditError, Macro, MoveNotes, MoveTrack, Quantize,
                          RemoveTrack, RenameTrack, ResizeNotes, SetChords, SetKey, SetLength, SetMeter, SetNoteValues,
                          SetTempo, SetTitle, SetTrackProperty, SetVelocity, SplitNote, Transpose)
from cowrite.model import PPQ, Chord, Key, TrackKind


def events(project):
    return read_events(project.ledger.path)


def notes_of(project, name="Piano"):
    return {n.id: (n.pitch, n.start, n.duration, n.velocity) for n in project.song.find_track(name).notes.values()}


@pytest.fixture
def piano(project):
    doc = project.document
    doc.apply(AddTrack("Piano"))
    doc.apply(AddNotes("Piano", [(60, 0, 960, 90), (64, 960, 480, 80), (67, 1930, 470, 70)]))
    return project


def test_add_notes_gives_stable_ids_and_records_the_author(piano, ana):
    assert notes_of(piano) == {1: (60, 0, 960, 90), 2: (64, 960, 480, 80), 3: (67, 1930, 470, 70)}
    last = events(piano)[-1]
    assert last["op"] == "add_notes" and last["action"] == "c2pa.created" and last["prov"] == "generated"
    assert last["actor"] == {"id": "person:Ana", "type": "prov:Person"}
    assert last["after"]["notes"] == [[1, 60, 0, 960, 90], [2, 64, 960, 480, 80], [3, 67, 1930, 470, 70]]
    assert all(n.origin.created_by == ana.id for n in piano.song.find_track("Piano").notes.values())


@pytest.mark.parametrize("command, expected, attributes", [
    (MoveNotes([1], ticks=240, semitones=2), {1: (62, 240, 960, 90)}, ["pitch", "timing"]),
    (ResizeNotes([2], start_ticks=-480), {2: (64, 480, 960, 80)}, ["length", "timing"]),
    (ResizeNotes([2], end_ticks=480), {2: (64, 960, 960, 80)}, ["length"]),
    (SetVelocity([1, 2], velocity=100), {1: (60, 0, 960, 100), 2: (64, 960, 480, 100)}, ["velocity"]),
    (SetVelocity([1], delta=100), {1: (60, 0, 960, 127)}, ["velocity"]),
    (Transpose([1, 3], -12), {1: (48, 0, 960, 90), 3: (55, 1930, 470, 70)}, ["pitch"]),
    (Quantize([3], grid=240, lengths=True), {3: (67, 1920, 480, 70)}, ["length", "timing"]),
    (SetNoteValues({2: (65, 1000, 400, 81)}), {2: (65, 1000, 400, 81)}, ["length", "pitch", "timing", "velocity"]),
])
def test_note_edits_change_only_their_notes_and_record_before_and_after(piano, command, expected, attributes):
    before = notes_of(piano)
    piano.document.apply(command)
    assert notes_of(piano) == {**before, **expected}
    event = events(piano)[-1]
    assert event["action"] == "c2pa.edited" and event["subject"]["attributes"] == attributes
    assert {row[0]: tuple(row[1:]) for row in event["after"]["notes"]} == expected
    assert {row[0]: tuple(row[1:]) for row in event["before"]["notes"]} == {k: before[k] for k in expected}


def test_delete_records_the_removed_values(piano):
    piano.document.apply(DeleteNotes([2]))
    assert 2 not in notes_of(piano)
    event = events(piano)[-1]
    assert event["action"] == "c2pa.removed" and event["prov"] == "invalidated"
    assert event["before"]["notes"] == [[2, 64, 960, 480, 80]]


@pytest.mark.parametrize("command, message", [
    (MoveNotes([1], ticks=-100), "before the song start"),
    (Transpose([1], 100), "outside 0..127"),
    (ResizeNotes([1], end_ticks=-960), "at least one tick"),
    (SetVelocity([1], velocity=0), "velocity 0"),
    (MoveNotes([99], ticks=1), "no note with id 99"),
    (DeleteNotes([]), "no notes selected"),
    (AddNotes("Nope", [(60, 0, 1, 1)]), "no track"),
    (SetTempo(0), "outside 1..999"),
    (SetMeter(4, 3), "power of two"),
    (SetTrackProperty("Piano", "pan", 3.0), "outside -1..1"),
    (SetTrackProperty("Piano", "colour", 1), "unknown track property"),
    (RenameTrack("Piano", "  "), "cannot be empty"),
    (Quantize([1], grid=240, strength=2.0), "strength"),
    (SetLength(0), "outside 1..9999"),
    (SplitNote(1, 960), "cannot be split there"),
])
def test_bad_commands_change_nothing_and_write_nothing(piano, command, message):
    before, size = notes_of(piano), piano.ledger.path.stat().st_size
    with pytest.raises(EditError, match=message):
        piano.document.apply(command)
    assert notes_of(piano) == before
    assert piano.ledger.path.stat().st_size == size


def test_split_cuts_a_note_in_two_that_keep_its_origin_and_record_the_edit(piano, drums_ai, ben):
    doc = piano.document
    doc.apply(AddNotes("Piano", [(72, 0, 960, 100)]), drums_ai)  # an assistant's note, id 4
    doc.apply(SplitNote(4, 240), ben)
    assert notes_of(piano)[4] == (72, 0, 240, 100) and notes_of(piano)[5] == (72, 240, 720, 100)
    front, back = (piano.song.find_track("Piano").notes[i].origin for i in (4, 5))
    assert front.created_by == back.created_by == drums_ai.id
    assert (front.edited, back.edited) == ({"length"}, {"timing", "length"})
    assert front.edited_by == back.edited_by == (ben.id,)
    event = events(piano)[-1]
    assert event["op"] == "split_note" and event["action"] == "c2pa.edited" and event["subject"]["notes"] == [4, 5]
    assert event["before"]["notes"] == [[4, 72, 0, 960, 100]]
    doc.undo()
    assert notes_of(piano)[4] == (72, 0, 960, 100) and 5 not in notes_of(piano)


def test_track_commands(piano):
    doc = piano.document
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    drums = piano.song.find_track("Drums")
    assert drums.channel == 9 and drums.preset == "drum-kit"
    doc.apply(RenameTrack(drums.id, "Beat"))
    doc.apply(SetTrackProperty("Beat", "volume", 0.5))
    doc.apply(SetTrackProperty("Beat", "mute", True))
    doc.apply(MoveTrack("Beat", 0))
    assert [t.name for t in piano.song.tracks] == ["Beat", "Piano"]
    assert (drums.volume, drums.mute) == (0.5, True)
    doc.apply(RemoveTrack("Piano"))
    assert [t.name for t in piano.song.tracks] == ["Beat"]
    removal = events(piano)[-1]
    assert removal["action"] == "c2pa.removed" and removal["subject"]["notes"] == [1, 2, 3]
    doc.undo()
    assert [t.name for t in piano.song.tracks] == ["Beat", "Piano"] and len(notes_of(piano)) == 3


def test_song_commands(piano):
    doc = piano.document
    doc.apply(SetTempo(90))
    doc.apply(SetTempo(140, tick=4 * PPQ))
    doc.apply(SetMeter(3, 4, bar=2))
    doc.apply(SetKey(Key("E", "minor")))
    doc.apply(SetTitle("  New   title "))
    doc.apply(SetChords([Chord(0, 3840, "Em", 4, "minor")]))
    song = piano.song
    assert [(c.tick, c.bpm) for c in song.tempo.changes] == [(0, 90.0), (4 * PPQ, 140.0)]
    assert [(c.tick, c.numerator) for c in song.meter.changes] == [(0, 4), (8 * PPQ, 3)]
    assert str(song.key) == "E minor" and song.title == "New title" and song.chords[0].symbol == "Em"
    assert events(piano)[-1]["before"] == {"chords": []}


def test_undo_and_redo_are_recorded_and_restore_exactly(piano, ben):
    doc = piano.document
    original = notes_of(piano)
    doc.apply(MoveNotes([1, 2], ticks=120))
    moved = notes_of(piano)
    doc.undo(ben)
    assert notes_of(piano) == original
    doc.redo()
    assert notes_of(piano) == moved
    doc.undo()
    *_, move, undo, redo, undo2 = events(piano)
    assert undo["op"] == "undo" and undo["undoes"] == move["seq"] and undo["actor"]["id"] == "person:Ben"
    assert undo["before"] == move["after"] and undo["after"] == move["before"]
    assert redo["op"] == "redo" and redo["redoes"] == move["seq"] and redo["after"] == move["after"]
    assert undo2["undoes"] == redo["seq"]
    assert piano.song.find_track("Piano").notes[1].origin.edited == frozenset()


def test_undo_of_an_add_then_redo_keeps_the_ids(piano):
    doc = piano.document
    doc.apply(AddNotes("Piano", [(72, 0, 240, 90)]))
    doc.undo()
    assert 4 not in notes_of(piano)
    doc.redo()
    assert notes_of(piano)[4] == (72, 0, 240, 90)
    doc.apply(AddNotes("Piano", [(74, 0, 240, 90)]))
    assert 5 in notes_of(piano)  # ids are never reused
    assert not doc.can_redo


def test_nothing_to_undo(project):
    with pytest.raises(EditError, match="nothing to undo"):
        project.document.undo()
    with pytest.raises(EditError, match="nothing to redo"):
        project.document.redo()


def test_macro_is_one_undo_step_and_one_group_commit(piano, monkeypatch):
    doc = piano.document
    syncs = []
    import cowrite.attribution.ledger as ledger_module
    real = ledger_module.os.fdatasync
    monkeypatch.setattr(ledger_module.os, "fdatasync", lambda fd: (syncs.append(fd), real(fd)))
    doc.apply(Macro("Paste", [AddTrack("Strings"), AddNotes("Strings", [(55, 0, 960, 60)] * 3),
                              Transpose([1], 1)]))
    assert len(syncs) == 1
    assert [e["group"] for e in events(piano)[-3:]] == ["Paste"] * 3
    doc.undo()
    assert piano.song.find_track("Strings") is None and notes_of(piano)[1][0] == 60


def test_a_failing_command_inside_a_macro_undoes_the_ones_before_it(piano):
    size = piano.ledger.path.stat().st_size
    with pytest.raises(EditError):
        piano.document.apply(Macro("Bad", [Transpose([1], 1), Transpose([1], 500)]))
    assert notes_of(piano)[1][0] == 60
    assert piano.ledger.path.stat().st_size == size


def test_a_change_the_ledger_cannot_record_is_refused(piano, monkeypatch):
    import cowrite.attribution.ledger as ledger_module

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    before, size = notes_of(piano), piano.ledger.path.stat().st_size
    monkeypatch.setattr(ledger_module.os, "fdatasync", disk_full)
    with pytest.raises(LedgerError, match="No space left"):
        piano.document.apply(MoveNotes([1], ticks=10))
    assert notes_of(piano) == before
    assert piano.ledger.path.stat().st_size == size  # the half-written line was cut off
    monkeypatch.undo()
    piano.document.apply(MoveNotes([1], ticks=10))  # and the ledger still works afterwards
    assert piano.document.ledger.record.events == len(events(piano))


def test_listeners_hear_what_changed(piano):
    heard = []
    piano.document.subscribe(heard.append)
    piano.document.apply(MoveNotes([1], ticks=1))
    piano.document.apply(SetTempo(100))
    assert heard[0].note_tracks == {"t1"} and not heard[0].track_list
    assert heard[1].song_fields == {"tempo"}


def test_a_command_that_changes_nothing_writes_nothing(piano):
    count = piano.ledger.record.events
    assert piano.document.apply(MoveNotes([1], ticks=0)) == []
    assert piano.ledger.record.events == count
