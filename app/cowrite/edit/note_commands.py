"""Commands on notes: add, delete, move, resize, split, velocity, transpose, quantize, set values."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import NotePatch
from cowrite.edit.command import Command, Planned, Planner, note_row
from cowrite.edit.errors import EditError
from cowrite.model import Note, Origin, Song, changed_attributes, check_note_values
from cowrite.theory.quantize import check_quantize, quantize_length, quantize_tick

Values = tuple[int, int, int, int]  # pitch, start, duration, velocity


def _checked(values: Values, what: str) -> Values:
    try:
        check_note_values(*values)
    except ValueError as e:
        raise EditError(f"{what}: {e}") from None
    return values


def _find_notes(song: Song, note_ids: Iterable[int]) -> dict[str, list[Note]]:
    """Notes by track id, or EditError naming a missing note."""
    wanted = set(note_ids)
    found: dict[str, list[Note]] = defaultdict(list)
    for track in song.tracks:
        for note_id in wanted & track.notes.keys():
            found[track.id].append(track.notes[note_id])
    missing = wanted - {n.id for notes in found.values() for n in notes}
    if missing:
        raise EditError(f"no note with id {min(missing)} in this song")
    if not wanted:
        raise EditError("no notes selected")
    return found


@dataclass
class AddNotes(Command):
    """New notes on a track; by default they are the acting person's (or assistant's) own."""

    track_id: str
    notes: Sequence[Values]
    origin: Origin | None = None
    op = "add_notes"

    def plan(self, planner: Planner) -> Planned:
        song = planner.song
        if song.find_track(self.track_id) is None:
            raise EditError(f"no track {self.track_id!r}")
        track_id = song.find_track(self.track_id).id
        origin = self.origin or Origin(planner.actor.id)
        checked = [_checked(tuple(v), "a new note") for v in self.notes]
        if not checked:
            raise EditError("no notes to add")
        added = tuple(Note(planner.new_note_id(), *v, origin) for v in checked)
        event = {
            "op": self.op, "action": V.CREATED, "prov": V.GENERATED,
            "subject": {"track": track_id, "notes": [n.id for n in added]},
            "before": None, "after": {"notes": [note_row(n) for n in added]},
        }
        return Planned([NotePatch(track_id, (), added)], event)


@dataclass
class DeleteNotes(Command):
    note_ids: Sequence[int]
    op = "delete_notes"

    def plan(self, planner: Planner) -> Planned:
        found = _find_notes(planner.song, self.note_ids)
        removed = [n for notes in found.values() for n in notes]
        event = {
            "op": self.op, "action": V.REMOVED, "prov": V.INVALIDATED,
            "subject": {"tracks": sorted(found), "notes": sorted(n.id for n in removed)},
            "before": {"notes": [note_row(n) for n in sorted(removed)]}, "after": None,
        }
        return Planned([NotePatch(t, tuple(notes), ()) for t, notes in found.items()], event)


class NoteUpdate(Command):
    """A change of values of existing notes; the origin remembers who changed what."""

    note_ids: Sequence[int]

    def new_values(self, note: Note) -> Values:
        """The note's values after the edit."""
        raise EditError(f"{self.op} cannot change notes")

    def plan(self, planner: Planner) -> Planned:
        found = _find_notes(planner.song, self.note_ids)
        actor_id = planner.actor.id
        patches, before, after, attributes = [], [], [], set()
        for track_id, notes in found.items():
            removed, added = [], []
            for note in notes:
                values = _checked(self.new_values(note), f"note {note.id}")
                changed = Note(note.id, *values, note.origin)
                attrs = changed_attributes(note, changed)
                if not attrs:
                    continue
                changed = changed._replace(origin=note.origin.after_change(actor_id, attrs))
                removed.append(note)
                added.append(changed)
                attributes |= attrs
            if added:
                patches.append(NotePatch(track_id, tuple(removed), tuple(added)))
                before += removed
                after += added
        event = {
            "op": self.op, "action": V.EDITED, "prov": V.DERIVED,
            "subject": {"tracks": sorted(found), "notes": sorted(n.id for n in after),
                        "attributes": sorted(attributes)},
            "before": {"notes": [note_row(n) for n in sorted(before)]},
            "after": {"notes": [note_row(n) for n in sorted(after)]},
        }
        return Planned(patches, event)


@dataclass
class MoveNotes(NoteUpdate):
    note_ids: Sequence[int]
    ticks: int = 0
    semitones: int = 0
    op = "move_notes"

    def new_values(self, note: Note) -> Values:
        return note.pitch + self.semitones, note.start + self.ticks, note.duration, note.velocity


@dataclass
class ResizeNotes(NoteUpdate):
    """Resize from either end: `start_ticks` moves the front edge, `end_ticks` the back edge."""

    note_ids: Sequence[int]
    start_ticks: int = 0
    end_ticks: int = 0
    op = "resize_notes"

    def new_values(self, note: Note) -> Values:
        start = note.start + self.start_ticks
        return note.pitch, start, note.end + self.end_ticks - start, note.velocity


@dataclass
class SplitNote(Command):
    """Cut a note in two at `tick`: the front keeps the note's id, the back is a new note.

    Both halves keep the note's origin (an assistant's note split by a person is
    still the assistant's, now edited by that person), and the origin records
    the change: the front's length, the back's timing and length.
    """

    note_id: int
    tick: int
    op = "split_note"

    def plan(self, planner: Planner) -> Planned:
        ((track_id, (note,)),) = _find_notes(planner.song, [self.note_id]).items()
        if not note.start < self.tick < note.end:
            raise EditError(f"note {note.id} does not sound across tick {self.tick}, so it cannot be split there")
        actor_id = planner.actor.id
        front = note._replace(duration=self.tick - note.start,
                              origin=note.origin.after_change(actor_id, frozenset({"length"})))
        back = Note(planner.new_note_id(), note.pitch, self.tick, note.end - self.tick, note.velocity,
                    note.origin.after_change(actor_id, frozenset({"timing", "length"})))
        event = {
            "op": self.op, "action": V.EDITED, "prov": V.DERIVED,
            "subject": {"track": track_id, "notes": [front.id, back.id], "attributes": ["length", "timing"]},
            "before": {"notes": [note_row(note)]}, "after": {"notes": [note_row(front), note_row(back)]},
        }
        return Planned([NotePatch(track_id, (note,), (front, back))], event)


@dataclass
class SetVelocity(NoteUpdate):
    """Set the velocity of the notes to `velocity`, or shift it by `delta` (kept in 1..127)."""

    note_ids: Sequence[int]
    velocity: int | None = None
    delta: int = 0
    op = "set_velocity"

    def new_values(self, note: Note) -> Values:
        if self.velocity is not None:
            return note.pitch, note.start, note.duration, self.velocity
        return note.pitch, note.start, note.duration, min(127, max(1, note.velocity + self.delta))


@dataclass
class Transpose(NoteUpdate):
    note_ids: Sequence[int]
    semitones: int = 0
    op = "transpose"

    def new_values(self, note: Note) -> Values:
        return note.pitch + self.semitones, note.start, note.duration, note.velocity


@dataclass
class Quantize(NoteUpdate):
    """Pull starts (and optionally lengths) toward the grid by `strength`, with swing."""

    note_ids: Sequence[int]
    grid: int = 240
    strength: float = 1.0
    swing: float = 0.0
    lengths: bool = False
    op = "quantize"

    def new_values(self, note: Note) -> Values:
        try:
            check_quantize(self.grid, self.strength, self.swing)
        except ValueError as e:
            raise EditError(str(e)) from None
        start = quantize_tick(note.start, self.grid, self.strength, self.swing)
        duration = quantize_length(note.duration, self.grid, self.strength) if self.lengths else note.duration
        return note.pitch, start, duration, note.velocity


@dataclass
class SetNoteValues(NoteUpdate):
    """Give each note its own new values: what a drag or a drawn velocity curve produces."""

    values: dict[int, Values]
    op = "set_notes"

    @property
    def note_ids(self) -> Sequence[int]:
        return list(self.values)

    def new_values(self, note: Note) -> Values:
        return tuple(self.values[note.id])
