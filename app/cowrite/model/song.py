"""The song: tracks, tempo and meter maps, key, chord track and pending suggestions.

Nothing outside `cowrite.edit` changes a Song; read it freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cowrite.model.harmony import Chord, Key
from cowrite.model.note import Note
from cowrite.model.suggestion import Suggestion
from cowrite.model.timing import PPQ, MeterMap, TempoMap
from cowrite.model.track import Track


@dataclass(eq=False)
class Song:
    title: str = "Untitled"
    tempo: TempoMap = field(default_factory=lambda: TempoMap([]))
    meter: MeterMap = field(default_factory=lambda: MeterMap([]))
    key: Key = Key("C", "major")
    length_bars: int = 8
    chords: list[Chord] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    #: ids are never reused, so the ledger's note ids stay unambiguous forever
    next_note_id: int = 1
    next_track_id: int = 1
    next_suggestion_id: int = 1
    ppq: int = PPQ

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(f"no track {track_id!r}")

    def find_track(self, name_or_id: str) -> Track | None:
        """A track by id, else by name (case-insensitive), else None."""
        for track in self.tracks:
            if track.id == name_or_id:
                return track
        lowered = name_or_id.casefold()
        for track in self.tracks:
            if track.name.casefold() == lowered:
                return track
        return None

    def note_track(self, note_id: int) -> Track | None:
        for track in self.tracks:
            if note_id in track.notes:
                return track
        return None

    def all_notes(self):
        """(track, note) pairs over the whole song."""
        for track in self.tracks:
            for note in track.notes.values():
                yield track, note

    def note_count(self) -> int:
        return sum(len(t.notes) for t in self.tracks)

    @property
    def end_tick(self) -> int:
        """Where the song ends: its length in bars, or its last note if that is later."""
        last = max((n.end for t in self.tracks for n in t.notes.values()), default=0)
        return max(self.meter.bar_start(self.length_bars), last)

    def notes_in(self, track: Track, start: int, end: int) -> list[Note]:
        return [n for n in track.notes.values() if n.start < end and n.end > start]
