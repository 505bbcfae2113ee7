"""A note: the unit every attribution question is asked about."""

from __future__ import annotations

from typing import NamedTuple

from cowrite.model.origin import Origin


class Note(NamedTuple):
    """Immutable: an edit replaces a note, so 'before' and 'after' are just two notes.

    A NamedTuple rather than a dataclass because songs hold 100,000 of them and
    creating tuples is several times faster.
    """

    id: int
    pitch: int
    start: int  # ticks at PPQ from the song start
    duration: int  # ticks, >= 1
    velocity: int  # 1..127
    origin: Origin

    @property
    def end(self) -> int:
        return self.start + self.duration

    def values(self) -> dict:
        """The musical values of the note (without origin), as the ledger records them."""
        return {"pitch": self.pitch, "start": self.start, "duration": self.duration,
                "velocity": self.velocity}


def changed_attributes(before: Note, after: Note) -> frozenset[str]:
    """Which tracked attributes differ between two versions of a note."""
    changed = set()
    if before.pitch != after.pitch:
        changed.add("pitch")
    if before.start != after.start:
        changed.add("timing")
    if before.duration != after.duration:
        changed.add("length")
    if before.velocity != after.velocity:
        changed.add("velocity")
    return frozenset(changed)


def check_note_values(pitch: int, start: int, duration: int, velocity: int) -> None:
    """Raise ValueError naming the first value a note cannot have.

    Each must be a plain int: a float (60.5), a bool or text saved in a song
    would make the file impossible to open again.
    """
    for name, value in (("pitch", pitch), ("start", start), ("duration", duration), ("velocity", velocity)):
        if type(value) is not int:
            raise ValueError(f"{name} {value!r} is not a whole number")
    if not 0 <= pitch <= 127:
        raise ValueError(f"pitch {pitch} is outside 0..127")
    if start < 0:
        raise ValueError(f"start {start} is before the song start")
    if duration < 1:
        raise ValueError(f"duration {duration} must be at least one tick")
    if not 1 <= velocity <= 127:
        raise ValueError(f"velocity {velocity} is outside 1..127")


def check_note_rows(rows: list) -> None:
    """Check many (pitch, start, duration, velocity) rows at once, column by column.

    For imports and file loads of 100,000 notes: a few C-level passes instead of
    a Python call per note. Raises ValueError naming the first kind of problem.
    """
    if not rows:
        return
    if set(map(len, rows)) != {4}:
        raise ValueError("a note does not have exactly pitch, start, duration and velocity")
    pitch, start, duration, velocity = zip(*rows)
    for column, low, high, name in ((pitch, 0, 127, "pitch"), (start, 0, None, "start"),
                                    (duration, 1, None, "duration"), (velocity, 1, 127, "velocity")):
        if set(map(type, column)) != {int}:
            raise ValueError(f"a note's {name} is not a whole number")
        if min(column) < low or (high is not None and max(column) > high):
            raise ValueError(f"a note's {name} is out of range ({min(column)}..{max(column)})")
