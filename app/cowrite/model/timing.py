"""Musical time: ticks at 960 PPQ, the tempo map and the meter map.

Positions are integer ticks from the song start; seconds and bars are derived
from the maps, so a tempo change never moves a note.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

PPQ = 960


class TempoChange(NamedTuple):
    tick: int
    bpm: float


class MeterChange(NamedTuple):
    """A time signature taking effect at `tick`, which is always a bar line."""

    tick: int
    numerator: int
    denominator: int

    @property
    def bar_ticks(self) -> int:
        return PPQ * 4 * self.numerator // self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def check_bpm(bpm: float) -> None:
    if not 1.0 <= bpm <= 999.0:
        raise ValueError(f"tempo {bpm:g} BPM is outside 1..999")


def check_meter(numerator: int, denominator: int) -> None:
    if not 1 <= numerator <= 64:
        raise ValueError(f"meter numerator {numerator} is outside 1..64")
    if denominator not in (1, 2, 4, 8, 16, 32, 64):
        raise ValueError(f"meter denominator {denominator} is not a power of two up to 64")


def parse_meter(text: str) -> tuple[int, int]:
    """'6/8' -> (6, 8), with a clear ValueError for anything else."""
    try:
        num, den = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"meter {text!r} is not of the form N/D, e.g. 4/4 or 6/8") from None
    check_meter(num, den)
    return num, den


class TempoMap:
    """Tempo changes in tick order; the first is at tick 0."""

    def __init__(self, changes: list[TempoChange]):
        if not changes or changes[0].tick != 0:
            changes = [TempoChange(0, changes[0].bpm if changes else 120.0), *changes]
        self.changes = sorted(dict((c.tick, c) for c in changes).values())
        self._ticks = [c.tick for c in self.changes]
        self._seconds = [0.0]
        for prev, cur in zip(self.changes, self.changes[1:]):
            self._seconds.append(self._seconds[-1] + (cur.tick - prev.tick) * 60.0 / (prev.bpm * PPQ))

    def bpm_at(self, tick: int) -> float:
        return self.changes[bisect_right(self._ticks, tick) - 1].bpm

    def seconds_at(self, tick: int) -> float:
        i = bisect_right(self._ticks, tick) - 1
        change = self.changes[i]
        return self._seconds[i] + (tick - change.tick) * 60.0 / (change.bpm * PPQ)

    def tick_at(self, seconds: float) -> int:
        """The tick sounding at `seconds` (the inverse of seconds_at), for a playhead."""
        i = max(0, bisect_right(self._seconds, seconds) - 1)
        change = self.changes[i]
        return change.tick + int((seconds - self._seconds[i]) * change.bpm * PPQ / 60.0)

    def __eq__(self, other) -> bool:
        return isinstance(other, TempoMap) and self.changes == other.changes


class MeterMap:
    """Meter changes in tick order, each on a bar line; the first is at tick 0."""

    def __init__(self, changes: list[MeterChange]):
        if not changes or changes[0].tick != 0:
            first = changes[0] if changes else MeterChange(0, 4, 4)
            changes = [MeterChange(0, first.numerator, first.denominator), *changes]
        self.changes = sorted(dict((c.tick, c) for c in changes).values())
        self._ticks = [c.tick for c in self.changes]
        # bar number (0-based) at which each change starts
        self._bars = [0]
        for prev, cur in zip(self.changes, self.changes[1:]):
            self._bars.append(self._bars[-1] + -(-(cur.tick - prev.tick) // prev.bar_ticks))

    def at(self, tick: int) -> MeterChange:
        return self.changes[bisect_right(self._ticks, tick) - 1]

    def bar_start(self, bar: int) -> int:
        """Tick of the start of 0-based `bar`."""
        i = bisect_right(self._bars, bar) - 1
        change = self.changes[i]
        return change.tick + (bar - self._bars[i]) * change.bar_ticks

    def bar_at(self, tick: int) -> int:
        """0-based bar containing `tick`."""
        i = bisect_right(self._ticks, tick) - 1
        change = self.changes[i]
        return self._bars[i] + (tick - change.tick) // change.bar_ticks

    def bars_to_cover(self, tick: int) -> int:
        """How many bars are needed for the song to reach `tick`."""
        if tick <= 0:
            return 0
        bar = self.bar_at(tick - 1)
        return bar + 1

    def __eq__(self, other) -> bool:
        return isinstance(other, MeterMap) and self.changes == other.changes
