"""The piano roll's mouse gestures, the note arithmetic behind its shortcuts, and the raster image that
its zoomed-out summary and the velocity lane share.

A gesture lives from a button press to its release. While the button is down
it only previews (the song is untouched); on release it lands as ONE command
through `session.apply`, so a drag is one undo step and one ledger event, never
a stream of them. No Qt widgets here: a gesture is fed ticks and pitches that
the roll computed with its geometry, which keeps the rules testable.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, NamedTuple

import numpy as np
from PySide6.QtGui import QColor, QImage

from cowrite.edit import AddNotes, DeleteNotes, Macro, MoveNotes, ResizeNotes
from cowrite.model import Key, Note, Origin
from cowrite.theory.keys import scale_pitch_classes
from cowrite.ui.roll_geometry import PITCHES, NoteIndex, RollGeometry


class Gesture:
    """A press-drag-release in progress: subclasses preview it and land it."""

    #: notes the preview stands in for, so the painter leaves their old places empty
    hidden: frozenset[int] = frozenset()
    #: the note length the person just chose by drawing or resizing; new notes get it next
    chosen_length: int | None = None

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        """The pointer is at (tick, pitch); `free`: Alt is held (no snap), `copy`: Ctrl is held."""

    def preview(self) -> list[Note]:
        """The notes to draw on top while the button is down."""
        return []

    def finish(self, session, copy: bool) -> None:
        """Land the gesture (the button is released with Ctrl held when `copy`)."""


class MoveGesture(Gesture):
    """Drag notes in time and pitch; the grabbed note's start lands on the grid (see `snap_move`).
    Ctrl on release copies."""

    def __init__(self, geometry: RollGeometry, track_id: str, notes: list[Note], grabbed: Note,
                 tick: float, pitch: int):
        self.geometry, self.track_id, self.notes, self.grabbed = geometry, track_id, notes, grabbed
        self.press_tick, self.press_pitch = tick, pitch
        self.ticks = self.semitones = 0
        self.hidden = frozenset(n.id for n in notes)

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        travel = self.geometry.snap_move(self.grabbed.start, tick - self.press_tick, free)
        self.ticks = max(travel, -min(n.start for n in self.notes))
        low, high = min(n.pitch for n in self.notes), max(n.pitch for n in self.notes)
        self.semitones = min(PITCHES - 1 - high, max(-low, pitch - self.press_pitch))
        self.hidden = frozenset() if copy else frozenset(n.id for n in self.notes)

    def preview(self) -> list[Note]:
        if not (self.ticks or self.semitones):
            return []
        return [n._replace(pitch=n.pitch + self.semitones, start=n.start + self.ticks) for n in self.notes]

    def finish(self, session, copy: bool) -> None:
        if not (self.ticks or self.semitones):
            return
        if copy:
            paste_notes(session, self.track_id, self.preview(), "Copy")
        else:
            session.apply(MoveNotes([n.id for n in self.notes], self.ticks, self.semitones))


class ResizeGesture(Gesture):
    """Drag the front (`edge` "start") or back ("end") edge of notes; every note keeps at least one tick."""

    def __init__(self, geometry: RollGeometry, notes: list[Note], grabbed: Note, edge: str, tick: float):
        self.geometry, self.notes, self.grabbed, self.edge, self.press_tick = geometry, notes, grabbed, edge, tick
        self.ticks = 0
        self.hidden = frozenset(n.id for n in notes)

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        shortest = min(n.duration for n in self.notes)
        if self.edge == "start":
            travel = self.geometry.snap_move(self.grabbed.start, tick - self.press_tick, free)
            self.ticks = min(shortest - 1, max(-min(n.start for n in self.notes), travel))
        else:
            travel = self.geometry.snap_move(self.grabbed.end, tick - self.press_tick, free)
            self.ticks = max(1 - shortest, travel)
        self.chosen_length = self._resized(self.grabbed).duration

    def _resized(self, note: Note) -> Note:
        if self.edge == "start":
            return note._replace(start=note.start + self.ticks, duration=note.duration - self.ticks)
        return note._replace(duration=note.duration + self.ticks)

    def preview(self) -> list[Note]:
        return [self._resized(n) for n in self.notes] if self.ticks else []

    def finish(self, session, copy: bool) -> None:
        if not self.ticks:
            return
        ids = [n.id for n in self.notes]
        command = (ResizeNotes(ids, start_ticks=self.ticks) if self.edge == "start"
                   else ResizeNotes(ids, end_ticks=self.ticks))
        session.apply(command)


class DrawGesture(Gesture):
    """A new note where the person pressed; dragging right sets its length (snapped to the grid)."""

    def __init__(self, geometry: RollGeometry, track_id: str, note: Note):
        self.geometry, self.track_id, self.note = geometry, track_id, note

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        shortest = 1 if free or not self.geometry.snaps else self.geometry.grid_ticks
        end = self.geometry.snap(tick, free)
        self.note = self.note._replace(duration=max(shortest, end - self.note.start))
        self.chosen_length = self.note.duration

    def preview(self) -> list[Note]:
        return [self.note]

    def finish(self, session, copy: bool) -> None:
        n = self.note
        session.apply(AddNotes(self.track_id, [(n.pitch, n.start, n.duration, n.velocity)]))


class EraseGesture(Gesture):
    """Press and drag over notes to delete them (the erase tool, or the right button in any tool).

    The notes the stroke touched vanish from the preview at once and are deleted
    on release by one DeleteNotes: one undo step however many it crossed. A stroke
    along a row catches every note it passed over, however fast the hand moved.
    """

    def __init__(self, index: NoteIndex, tick: float, pitch: int):
        self.index = index
        self.last = (tick, pitch)
        self.hidden = frozenset(n.id for n in index.in_row(pitch, tick, tick + 1))

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        last_tick, last_pitch = self.last
        start, end = (min(last_tick, tick), max(last_tick, tick)) if pitch == last_pitch else (tick, tick + 1)
        self.hidden |= {n.id for n in self.index.in_row(pitch, start, end)}
        self.last = (tick, pitch)

    def finish(self, session, copy: bool) -> None:
        if self.hidden:
            session.apply(DeleteNotes(sorted(self.hidden)))


class RubberBand(Gesture):
    """Select the notes a rectangle touches; Shift at the press adds them to the selection."""

    def __init__(self, index: NoteIndex, tick: float, pitch: int, keep: set[int]):
        self.index, self.keep = index, keep
        self.corner = self.reach = (tick, pitch)

    def drag_to(self, tick: float, pitch: int, free: bool, copy: bool) -> None:
        self.reach = (tick, pitch)

    def bounds(self) -> tuple[float, float, int, int]:
        """(first tick, last tick, lowest pitch, highest pitch) of the band."""
        (t0, p0), (t1, p1) = self.corner, self.reach
        return min(t0, t1), max(t0, t1), min(p0, p1), max(p0, p1)

    def finish(self, session, copy: bool) -> None:
        start, end, low, high = self.bounds()
        touched = {n.id for n in self.index.overlapping(start, max(end, start + 1)) if low <= n.pitch <= high}
        session.select(self.keep | touched)


# -- copies, clipboard ------------------------------------------------------------------------

class ClipNote(NamedTuple):
    """A copied note: its time relative to the first copied note, and where it came from."""

    pitch: int
    offset: int
    duration: int
    velocity: int
    origin: Origin


def clip(notes: Iterable[Note]) -> list[ClipNote]:
    notes = sorted(notes, key=lambda n: (n.start, n.pitch))
    first = notes[0].start if notes else 0
    return [ClipNote(n.pitch, n.start - first, n.duration, n.velocity, n.origin) for n in notes]


def clip_length(notes: list[ClipNote]) -> int:
    """Ticks from the first copied start to the last copied end: how far a second paste moves on."""
    return max((n.offset + n.duration for n in notes), default=0)


def placed(notes: list[ClipNote], at: int) -> list[Note]:
    """The clipboard's notes put at tick `at` (ids are the new song's business: 0 here)."""
    return [Note(0, n.pitch, at + n.offset, n.duration, n.velocity, n.origin) for n in notes]


def paste_notes(session, track_id: str, notes: list[Note], verb: str) -> bool:
    """Add copies of `notes` to a track as one step, and select them.

    A copy keeps its source's origin: an assistant's phrase a person repeats is
    still the assistant's phrase in credits (as the drum grid's repeat does).
    One AddNotes per origin, grouped in one Macro: one undo step, one commit.
    """
    by_origin: dict[Origin, list[tuple[int, int, int, int]]] = defaultdict(list)
    for n in notes:
        by_origin[n.origin].append((n.pitch, n.start, n.duration, n.velocity))
    first = session.song.next_note_id
    label = f"{verb} {len(notes)} note{'s' if len(notes) != 1 else ''}"
    if not session.apply(Macro(label, [AddNotes(track_id, rows, origin) for origin, rows in by_origin.items()])):
        return False
    session.select(set(range(first, session.song.next_note_id)))
    return True


# -- scale arithmetic -------------------------------------------------------------------------

def scale_step(pitch: int, key: Key, direction: int) -> int:
    """The next pitch of `key`'s scale above (direction 1) or below (-1) `pitch`.

    A note outside the scale moves to the nearest scale tone that way, so
    "transpose in scale" also pulls stray notes into the key. May leave 0..127;
    the command then refuses with a message.
    """
    scale = scale_pitch_classes(key)
    step = pitch + direction
    while step % 12 not in scale:
        step += direction
    return step


def out_of_scale(notes: Iterable[Note], key: Key) -> set[int]:
    scale = scale_pitch_classes(key)
    return {n.id for n in notes if n.pitch % 12 not in scale}


# -- drawing ----------------------------------------------------------------------------------

def raster_image(raster: np.ndarray, colours: list[QColor]) -> QImage:
    """An image of a small-int raster, row 0 at the top: code 0 transparent, code k in colours[k - 1].

    Premultiplied, the format Qt scales and blends fastest (about 3x faster than indexed).
    """
    rows = np.ascontiguousarray(raster, dtype=np.uint8)
    height, width = rows.shape
    image = QImage(rows.data, width, height, width, QImage.Format.Format_Indexed8)
    image.setColorTable([0] + [colour.rgba() for colour in colours])
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)  # also copies the array's pixels
