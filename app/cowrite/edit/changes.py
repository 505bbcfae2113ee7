"""The primitive changes every command is compiled to, each with an exact inverse.

Commands look at the song and decide; changes only carry out the decision. Undo
is applying the inverses in reverse order, which cannot fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.model import Note, Song, Suggestion, Track


@dataclass(frozen=True)
class NotePatch:
    """Remove some notes from a track and put others in (an edit is both, same id)."""

    track_id: str
    removed: tuple[Note, ...]
    added: tuple[Note, ...]

    def apply(self, song: Song) -> None:
        notes = song.track(self.track_id).notes
        for note in self.removed:
            del notes[note.id]
        for note in self.added:
            notes[note.id] = note

    def inverse(self) -> NotePatch:
        return NotePatch(self.track_id, self.added, self.removed)


@dataclass(frozen=True)
class TrackPresence:
    """A whole track (with its notes) inserted at or removed from `index`."""

    index: int
    track: Track
    present: bool  # True: insert it; False: remove it

    def apply(self, song: Song) -> None:
        if self.present:
            song.tracks.insert(self.index, self.track)
        else:
            song.tracks.remove(self.track)

    def inverse(self) -> TrackPresence:
        return TrackPresence(self.index, self.track, not self.present)


@dataclass(frozen=True)
class TrackMove:
    """A track moved from one position in the track list to another."""

    source: int
    target: int

    def apply(self, song: Song) -> None:
        song.tracks.insert(self.target, song.tracks.pop(self.source))

    def inverse(self) -> TrackMove:
        return TrackMove(self.target, self.source)


@dataclass(frozen=True)
class TrackField:
    track_id: str
    name: str
    before: object
    after: object

    def apply(self, song: Song) -> None:
        setattr(song.track(self.track_id), self.name, self.after)

    def inverse(self) -> TrackField:
        return TrackField(self.track_id, self.name, self.after, self.before)


@dataclass(frozen=True)
class SongField:
    """title, tempo, meter, key, length_bars or chords replaced as a whole value."""

    name: str
    before: object
    after: object

    def apply(self, song: Song) -> None:
        setattr(song, self.name, self.after)

    def inverse(self) -> SongField:
        return SongField(self.name, self.after, self.before)


@dataclass(frozen=True)
class SuggestionState:
    """A suggestion added, replaced (a status change) or dropped."""

    suggestion_id: str
    before: Suggestion | None
    after: Suggestion | None

    def apply(self, song: Song) -> None:
        if self.after is None:
            del song.suggestions[self.suggestion_id]
        else:
            song.suggestions[self.suggestion_id] = self.after

    def inverse(self) -> SuggestionState:
        return SuggestionState(self.suggestion_id, self.after, self.before)


Change = NotePatch | TrackPresence | TrackMove | TrackField | SongField | SuggestionState
