"""A track: a named instrument or drum part holding notes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from operator import attrgetter

from cowrite.model.note import Note


_time_order = attrgetter("start", "pitch", "id")


class TrackKind(str, Enum):
    INSTRUMENT = "instrument"
    DRUMS = "drums"


DRUM_CHANNEL = 9  # MIDI channel 10, counted from zero

#: Mixer and instrument settings a SetTrackProperty command may change.
TRACK_PROPERTIES = ("name", "preset", "channel", "program", "volume", "pan", "mute", "solo")


@dataclass(eq=False)
class Track:
    """Notes are kept by id so an edit finds its note in O(1)."""

    id: str
    name: str
    kind: TrackKind = TrackKind.INSTRUMENT
    preset: str = "keys"
    channel: int = 0
    program: int = 0
    volume: float = 0.8  # 0..1, linear gain before the master bus
    pan: float = 0.0  # -1 (left) .. 1 (right)
    mute: bool = False
    solo: bool = False
    notes: dict[int, Note] = field(default_factory=dict)

    @property
    def is_drums(self) -> bool:
        return self.kind is TrackKind.DRUMS

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes.values(), key=_time_order)

    def settings(self) -> dict:
        """Everything but the notes, as plain values."""
        return {f.name: (getattr(self, f.name).value if f.name == "kind" else getattr(self, f.name))
                for f in fields(self) if f.name != "notes"}


def check_track_property(name: str, value) -> None:
    """Raise ValueError when `value` is not allowed for track property `name`."""
    if name not in TRACK_PROPERTIES:
        raise ValueError(f"unknown track property {name!r}; one of {', '.join(TRACK_PROPERTIES)}")
    if name == "name" and not (isinstance(value, str) and value.strip()):
        raise ValueError("a track name cannot be empty")
    if name == "channel" and not (isinstance(value, int) and 0 <= value <= 15):
        raise ValueError(f"MIDI channel {value} is outside 0..15")
    if name == "program" and not (isinstance(value, int) and 0 <= value <= 127):
        raise ValueError(f"MIDI program {value} is outside 0..127")
    if name == "volume" and not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0):
        raise ValueError(f"volume {value} is outside 0..1")
    if name == "pan" and not (isinstance(value, (int, float)) and -1.0 <= value <= 1.0):
        raise ValueError(f"pan {value} is outside -1..1")
    if name in ("mute", "solo") and not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    if name == "preset" and not (isinstance(value, str) and value):
        raise ValueError("an instrument preset needs a name")
