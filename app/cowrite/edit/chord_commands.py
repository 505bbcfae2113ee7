"""The chord lane as a person edits it: a chord typed at a place, chords named from the tracks, chords cleared.

Each compiles to SetChords, so the lane changes through the one door like any
edit, with the person as its author. A typed chord sounds from where it was
typed to the next chord change or bar line, whichever comes first: typed on a
bar line of a bar with one chord, it fills the bar; typed on beat 3, it takes
beats 3 and 4 and leaves the chord before it on beats 1 and 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.edit.command import Command, Planned, Planner
from cowrite.edit.errors import EditError
from cowrite.edit.song_commands import SetChords
from cowrite.model import Chord, Song
from cowrite.theory.chord_detect import detect_chords
from cowrite.theory.chords import chord_from_symbol, chords_within


def chord_span(song: Song, tick: int) -> tuple[int, int]:
    """Where a chord typed at `tick` sounds: to the next chord change or bar line, whichever comes first."""
    bar_end = song.meter.bar_start(song.meter.bar_at(tick) + 1)
    return tick, min((c.start for c in song.chords if tick < c.start < bar_end), default=bar_end)


def chord_at(song: Song, tick: int) -> Chord | None:
    """The chord sounding at `tick`, if any."""
    return next((c for c in song.chords if c.start <= tick < c.end), None)


def set_chord_command(song: Song, tick: int, symbol: str) -> SetChords:
    """The chord `symbol` at `tick` (over `chord_span`); EditError naming the symbol if it is not one."""
    if tick < 0:
        raise EditError("a chord cannot come before the song start")
    start, end = chord_span(song, tick)
    try:
        chord = chord_from_symbol(symbol, start, end)
    except ValueError as e:
        raise EditError(str(e)) from None
    return SetChords([chord], start, end)


def clear_chord_command(song: Song, tick: int) -> SetChords | None:
    """Clear what a chord typed at `tick` would replace; None when no chord sounds there."""
    start, end = chord_span(song, tick)
    return SetChords([], start, end) if chords_within(song.chords, start, end) else None


def _bar_range(song: Song, first_bar: int | None, end_bar: int | None) -> tuple[int, int]:
    """[first, end) in bars, defaulting to the whole song (its length, or its last note if later)."""
    first = 0 if first_bar is None else first_bar
    end = song.meter.bars_to_cover(song.end_tick) if end_bar is None else end_bar
    if not 0 <= first < end:
        raise EditError(f"bars {first + 1} to {end} are not a range of the song")
    return first, end


@dataclass
class DetectChords(Command):
    """Name the chords the pitched tracks imply over bars [first_bar, end_bar), one a bar or half bar."""

    first_bar: int | None = None
    end_bar: int | None = None
    per: str = "bar"
    op = "set_chords"

    @property
    def label(self) -> str:
        return "Detect chords"

    def plan(self, planner: Planner) -> Planned:
        song = planner.song
        first, end = _bar_range(song, self.first_bar, self.end_bar)
        bar_starts = [song.meter.bar_start(bar) for bar in range(first, end + 1)]
        start, stop = bar_starts[0], bar_starts[-1]
        notes = [(n.pitch, n.start, n.duration) for t in song.tracks if not t.is_drums
                 for n in song.notes_in(t, start, stop)]
        if not notes:
            raise EditError(f"no notes in bars {first + 1}-{end} to name chords from (drums do not count)")
        try:
            chords = detect_chords(notes, bar_starts, song.key, self.per)
        except ValueError as e:
            raise EditError(str(e)) from None
        return SetChords(chords, start, stop).plan(planner)


@dataclass
class ClearChords(Command):
    """Take the chords off bars [first_bar, end_bar) (both None: the whole lane)."""

    first_bar: int | None = None
    end_bar: int | None = None
    op = "set_chords"

    @property
    def label(self) -> str:
        return "Clear chords"

    def plan(self, planner: Planner) -> Planned:
        song = planner.song
        if self.first_bar is None and self.end_bar is None:
            command, there = SetChords([]), song.chords
        else:
            first, end = _bar_range(song, self.first_bar, self.end_bar)
            start, stop = song.meter.bar_start(first), song.meter.bar_start(end)
            command, there = SetChords([], start, stop), chords_within(song.chords, start, stop)
        if not there:
            raise EditError("there are no chords to clear there")
        return command.plan(planner)


def _bars_of(song: Song, start_tick: int | None, end_tick: int | None) -> tuple[int | None, int | None]:
    """The whole bars covering [start_tick, end_tick); None stays None (the song's start, or its end)."""
    first = None if start_tick is None else song.meter.bar_at(max(0, start_tick))
    end = None if end_tick is None else song.meter.bars_to_cover(end_tick)
    return first, end


def detect_chords_command(song: Song, start_tick: int | None = None, end_tick: int | None = None,
                          per: str = "bar") -> Command:
    """Chords named from the tracks over the bars covering [start_tick, end_tick) (default: the whole song).

    Its plan raises EditError when there are no pitched notes there, so applying
    it through the session shows a message rather than clearing the lane.
    """
    return DetectChords(*_bars_of(song, start_tick, end_tick), per=per)


def clear_chords_command(song: Song, start_tick: int | None = None, end_tick: int | None = None) -> Command:
    """Chords taken off the bars covering [start_tick, end_tick) (default: all of them); EditError if none there."""
    return ClearChords(*_bars_of(song, start_tick, end_tick))
