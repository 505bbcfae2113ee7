"""Commands on the song as a whole: title, length, tempo, meter, key and the chord track."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import SongField
from cowrite.edit.command import Command, Planned, Planner
from cowrite.edit.errors import EditError
from cowrite.model import QUALITIES, Chord, Key, MeterChange, MeterMap, TempoChange, TempoMap
from cowrite.model.timing import check_bpm, check_meter
from cowrite.theory.chords import lane_with


def _song_edit(op: str, name: str, before, after, before_json, after_json) -> Planned:
    event = {"op": op, "action": V.EDITED, "prov": V.DERIVED, "subject": {"song": name},
             "before": {name: before_json}, "after": {name: after_json}}
    return Planned([SongField(name, before, after)], event)


def tempo_json(tempo: TempoMap) -> list:
    return [[c.tick, c.bpm] for c in tempo.changes]


def meter_json(meter: MeterMap) -> list:
    return [[c.tick, c.numerator, c.denominator] for c in meter.changes]


@dataclass
class SetTitle(Command):
    title: str
    op = "set_title"

    def plan(self, planner: Planner) -> Planned:
        title = " ".join(self.title.split())
        if not title:
            raise EditError("a song title cannot be empty")
        return _song_edit(self.op, "title", planner.song.title, title, planner.song.title, title)


@dataclass
class SetLength(Command):
    bars: int
    op = "set_length"

    def plan(self, planner: Planner) -> Planned:
        if not 1 <= self.bars <= 9999:
            raise EditError(f"a song length of {self.bars} bars is outside 1..9999")
        song = planner.song
        return _song_edit(self.op, "length_bars", song.length_bars, self.bars, song.length_bars, self.bars)


@dataclass
class SetTempo(Command):
    """Set the tempo from `tick` on (0: the whole song's starting tempo)."""

    bpm: float
    tick: int = 0
    op = "set_tempo"

    def plan(self, planner: Planner) -> Planned:
        try:
            check_bpm(self.bpm)
        except ValueError as e:
            raise EditError(str(e)) from None
        if self.tick < 0:
            raise EditError("a tempo change cannot come before the song start")
        old = planner.song.tempo
        changes = [c for c in old.changes if c.tick != self.tick] + [TempoChange(self.tick, float(self.bpm))]
        new = TempoMap(changes)
        return _song_edit(self.op, "tempo", old, new, tempo_json(old), tempo_json(new))


@dataclass
class SetTempoMap(Command):
    """Replace every tempo change at once (an import, or a tempo curve drawn by hand)."""

    changes: Sequence[TempoChange]
    op = "set_tempo_map"

    def plan(self, planner: Planner) -> Planned:
        for change in self.changes:
            try:
                check_bpm(change.bpm)
            except ValueError as e:
                raise EditError(f"tempo change at tick {change.tick}: {e}") from None
        old, new = planner.song.tempo, TempoMap(list(self.changes))
        return _song_edit(self.op, "tempo", old, new, tempo_json(old), tempo_json(new))


@dataclass
class SetMeter(Command):
    """Set the meter from the start of 0-based `bar` on; later changes stay on their bars."""

    numerator: int
    denominator: int
    bar: int = 0
    op = "set_meter"

    def plan(self, planner: Planner) -> Planned:
        try:
            check_meter(self.numerator, self.denominator)
        except ValueError as e:
            raise EditError(str(e)) from None
        old = planner.song.meter
        if self.bar < 0:
            raise EditError("a meter change cannot come before the first bar")
        # keep the others on their bar numbers, re-deriving ticks under the new meter
        by_bar = {old.bar_at(c.tick): (c.numerator, c.denominator) for c in old.changes}
        by_bar[self.bar] = (self.numerator, self.denominator)
        new = meter_from_bars(by_bar)
        return _song_edit(self.op, "meter", old, new, meter_json(old), meter_json(new))


def meter_from_bars(by_bar: dict[int, tuple[int, int]]) -> MeterMap:
    changes, tick, bar, bar_ticks = [], 0, 0, None
    for start_bar in sorted(by_bar):
        if bar_ticks is not None:
            tick += (start_bar - bar) * bar_ticks
        num, den = by_bar[start_bar]
        changes.append(MeterChange(tick, num, den))
        bar, bar_ticks = start_bar, changes[-1].bar_ticks
    return MeterMap(changes)


@dataclass
class SetMeterMap(Command):
    changes: Sequence[MeterChange]
    op = "set_meter_map"

    def plan(self, planner: Planner) -> Planned:
        for change in self.changes:
            try:
                check_meter(change.numerator, change.denominator)
            except ValueError as e:
                raise EditError(f"meter change at tick {change.tick}: {e}") from None
        old, new = planner.song.meter, MeterMap(list(self.changes))
        return _song_edit(self.op, "meter", old, new, meter_json(old), meter_json(new))


@dataclass
class SetKey(Command):
    key: Key
    op = "set_key"

    def plan(self, planner: Planner) -> Planned:
        if self.key.mode not in ("major", "minor"):
            raise EditError(f"key mode {self.key.mode!r} is not major or minor")
        old = planner.song.key
        return _song_edit(self.op, "key", old, self.key, str(old), str(self.key))


@dataclass
class SetChords(Command):
    """Replace the chord track: the whole of it, or what sounds inside [start, end) (end None: to the end).

    A chord crossing the range's edge keeps its part outside: writing a chord
    on beat 3 of a bar-long chord leaves the first two beats as they were.
    """

    chords: Sequence[Chord]
    start: int | None = None
    end: int | None = None
    op = "set_chords"

    def plan(self, planner: Planner) -> Planned:
        for chord in self.chords:
            if chord.quality not in QUALITIES or chord.duration < 1 or chord.start < 0:
                raise EditError(f"chord {chord.symbol!r} at tick {chord.start} is not a valid chord")
        old = planner.song.chords
        new = sorted(self.chords) if self.start is None else lane_with(old, self.chords, self.start, self.end)
        return _song_edit(self.op, "chords", old, new, [c.to_json() for c in old], [c.to_json() for c in new])
