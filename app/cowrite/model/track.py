"""A track: a named instrument or drum part holding notes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from operator import attrgetter

from cowrite.model.note import Note
from cowrite.model.sample_ref import SampleRef


_time_order = attrgetter("start", "pitch", "id")


class TrackKind(str, Enum):
    INSTRUMENT = "instrument"
    DRUMS = "drums"


DRUM_CHANNEL = 9  # MIDI channel 10, counted from zero

#: Mixer and instrument settings a SetTrackProperty command may change.
TRACK_PROPERTIES = ("name", "preset", "channel", "program", "volume", "pan", "mute", "solo")


@dataclass(eq=False)
class Track:
    """Notes are kept by id so an edit finds its note in O(1).

    A drum track's `pads` replace the kit's sound on some keys; an instrument
    track's `sample` replaces its synth preset, played from the sample's root.
    Both are replaced as whole values (a new dict), never changed in place, so
    an undo step can keep the old one.
    """

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
    pads: dict[int, SampleRef] = field(default_factory=dict)  # drum key -> sample
    sample: SampleRef | None = None  # played across the keyboard

    @property
    def is_drums(self) -> bool:
        return self.kind is TrackKind.DRUMS

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes.values(), key=_time_order)

    def settings(self) -> dict:
        """Everything but the notes, as plain JSON values (pad keys as strings, as JSON keys are)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "notes"}
        values["kind"] = self.kind.value
        values["pads"] = {str(key): ref.to_json() for key, ref in sorted(self.pads.items())}
        values["sample"] = self.sample.to_json() if self.sample else None
        return values


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


def check_sample_place(track: Track, pitch: int | None) -> None:
    """Raise ValueError unless `track` can play a sample on drum key `pitch` (None: across its keyboard).

    A drum track plays one sound a key, so it takes pads; an instrument track
    plays one sound at every pitch, so it takes a keyboard sample.
    """
    if pitch is None:
        if track.is_drums:
            raise ValueError("it is a drum track: give a sample a drum key (a pad), not the whole keyboard")
    elif not (type(pitch) is int and 0 <= pitch <= 127):
        raise ValueError(f"drum key {pitch!r} is not a MIDI key 0..127")
    elif not track.is_drums:
        raise ValueError("it is not a drum track: pads are for drum tracks "
                         "(an instrument track takes one sample across its keyboard)")
