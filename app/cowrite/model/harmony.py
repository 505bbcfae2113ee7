"""Key and chord track values (the theory layer parses and spells them)."""

from __future__ import annotations

from typing import NamedTuple

#: Chord qualities a chord may have; the assistants' contract uses the same words.
QUALITIES = (
    "major", "minor", "diminished", "augmented", "dominant-seventh", "major-seventh",
    "minor-seventh", "half-diminished", "diminished-seventh", "suspended-fourth",
    "suspended-second", "power",
)


class Key(NamedTuple):
    tonic: str  # spelled name, e.g. "A", "F#", "Bb"
    mode: str  # "major" or "minor"

    def __str__(self) -> str:
        return f"{self.tonic} {self.mode}"


class Chord(NamedTuple):
    """A chord symbol on the chord track, sounding from `start` for `duration` ticks."""

    start: int
    duration: int
    symbol: str
    root: int  # pitch class 0..11
    quality: str  # one of QUALITIES
    bass: int | None = None  # pitch class of a slash bass, if any

    @property
    def end(self) -> int:
        return self.start + self.duration

    def to_json(self) -> dict:
        data = {"start": self.start, "duration": self.duration, "symbol": self.symbol,
                "root": self.root, "quality": self.quality}
        if self.bass is not None:
            data["bass"] = self.bass
        return data

    @classmethod
    def from_json(cls, data: dict) -> Chord:
        return cls(data["start"], data["duration"], data["symbol"], data["root"],
                   data["quality"], data.get("bass"))
