"""What an assistant is given (a read-only view of the song) and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, NamedTuple

from cowrite.model import Chord, Key, MeterMap, ProposedNote, Song, TempoMap, Track


class ContextNote(NamedTuple):
    pitch: int
    start: int
    duration: int
    velocity: int

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class TrackView:
    """A track as an assistant sees it: its notes inside the requested range, in time order."""

    id: str
    name: str
    kind: str  # "instrument" or "drums"
    notes: tuple[ContextNote, ...]

    @property
    def is_drums(self) -> bool:
        return self.kind == "drums"


@dataclass(frozen=True)
class Request:
    """Everything an assistant may read. Ticks count from the song start at 960 PPQ."""

    key: Key
    tempo: TempoMap
    meter: MeterMap
    chords: tuple[Chord, ...]  # the chord track inside [start, end)
    target: TrackView  # the track the suggestion is for (with its current notes)
    source: TrackView | None  # a track to read from (harmony: the melody)
    others: tuple[TrackView, ...]  # every other track, for context
    first_bar: int  # 0-based, inclusive
    last_bar: int  # 0-based, inclusive
    start: int  # tick where first_bar starts
    end: int  # tick where last_bar ends
    parameters: Mapping[str, object]
    seed: int

    def bar_starts(self) -> list[int]:
        """Start ticks of the bars in the range, plus the end tick."""
        return [self.meter.bar_start(b) for b in range(self.first_bar, self.last_bar + 2)]

    def drum_track(self) -> TrackView | None:
        """The first drum track other than the target (bass locks to its kick)."""
        return next((t for t in self.others if t.is_drums), None)


@dataclass
class Alternative:
    """A choice the assistant weighed at one place, for a teacher to show."""

    start: int
    chosen: str
    options: list[tuple[str, float]]  # (label, probability), most likely first


@dataclass
class Draft:
    """What an assistant returns: notes, optionally chords, and why."""

    notes: list[ProposedNote]
    explanation: str
    chords: list[Chord] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)


def track_view(track: Track, start: int, end: int) -> TrackView:
    notes = sorted(ContextNote(n.pitch, n.start, n.duration, n.velocity)
                   for n in track.notes.values() if n.start < end and n.end > start)
    return TrackView(track.id, track.name, track.kind.value, tuple(notes))


def build_request(song: Song, target: Track, source: Track | None, first_bar: int, last_bar: int,
                  parameters: dict, seed: int) -> Request:
    start, end = song.meter.bar_start(first_bar), song.meter.bar_start(last_bar + 1)
    return Request(
        key=song.key, tempo=song.tempo, meter=song.meter,
        chords=tuple(c for c in song.chords if c.start < end and c.end > start),
        target=track_view(target, start, end),
        source=track_view(source, start, end) if source else None,
        others=tuple(track_view(t, start, end) for t in song.tracks if t is not target),
        first_bar=first_bar, last_bar=last_bar, start=start, end=end,
        parameters=MappingProxyType(dict(parameters)), seed=seed,
    )
