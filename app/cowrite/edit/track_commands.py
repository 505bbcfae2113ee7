"""Commands on tracks: add, remove, rename, reorder, and mixer/instrument settings."""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import TrackField, TrackMove, TrackPresence
from cowrite.edit.command import Command, Planned, Planner, note_row
from cowrite.edit.errors import EditError
from cowrite.model import DRUM_CHANNEL, Song, Track, TrackKind
from cowrite.model.track import check_track_property


def require_track(song: Song, track_ref: str) -> Track:
    track = song.find_track(track_ref)
    if track is None:
        names = ", ".join(t.name for t in song.tracks) or "none"
        raise EditError(f"no track {track_ref!r} (tracks: {names})")
    return track


def _free_channel(song: Song) -> int:
    used = {t.channel for t in song.tracks}
    return next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)


@dataclass
class AddTrack(Command):
    name: str
    kind: TrackKind = TrackKind.INSTRUMENT
    preset: str = ""
    program: int = 0
    channel: int | None = None
    index: int | None = None
    op = "add_track"

    def plan(self, planner: Planner) -> Planned:
        song = planner.song
        kind = TrackKind(self.kind)
        channel = self.channel if self.channel is not None else (
            DRUM_CHANNEL if kind is TrackKind.DRUMS else _free_channel(song))
        preset = self.preset or ("drum-kit" if kind is TrackKind.DRUMS else "keys")
        for name, value in (("name", self.name), ("channel", channel), ("program", self.program)):
            try:
                check_track_property(name, value)
            except ValueError as e:
                raise EditError(str(e)) from None
        track = Track(planner.new_track_id(), self.name.strip(), kind, preset, channel, self.program)
        index = len(song.tracks) if self.index is None else max(0, min(self.index, len(song.tracks)))
        event = {"op": self.op, "action": V.CREATED, "prov": V.GENERATED,
                 "subject": {"track": track.id}, "before": None, "after": {"track": track.settings()}}
        return Planned([TrackPresence(index, track, True)], event)


@dataclass
class RemoveTrack(Command):
    track_id: str
    op = "remove_track"

    def plan(self, planner: Planner) -> Planned:
        track = require_track(planner.song, self.track_id)
        notes = track.sorted_notes()
        event = {"op": self.op, "action": V.REMOVED, "prov": V.INVALIDATED,
                 "subject": {"track": track.id, "notes": [n.id for n in notes]},
                 "before": {"track": track.settings(), "notes": [note_row(n) for n in notes]},
                 "after": None}
        return Planned([TrackPresence(planner.song.tracks.index(track), track, False)], event)


@dataclass
class MoveTrack(Command):
    track_id: str
    index: int
    op = "move_track"

    def plan(self, planner: Planner) -> Planned:
        tracks = planner.song.tracks
        track = require_track(planner.song, self.track_id)
        source, target = tracks.index(track), max(0, min(self.index, len(tracks) - 1))
        event = {"op": self.op, "action": V.EDITED, "prov": V.DERIVED, "subject": {"track": track.id},
                 "before": {"index": source}, "after": {"index": target}}
        return Planned([TrackMove(source, target)] if source != target else [], event)


@dataclass
class SetTrackProperty(Command):
    """Name, preset, channel, program, volume, pan, mute or solo of a track."""

    track_id: str
    name: str
    value: object
    op = "set_track"

    def plan(self, planner: Planner) -> Planned:
        track = require_track(planner.song, self.track_id)
        value = self.value.strip() if isinstance(self.value, str) else self.value
        try:
            check_track_property(self.name, value)
        except ValueError as e:
            raise EditError(f"track {track.name!r}: {e}") from None
        before = getattr(track, self.name)
        event = {"op": self.op, "action": V.EDITED, "prov": V.DERIVED,
                 "subject": {"track": track.id, "property": self.name},
                 "before": {self.name: before}, "after": {self.name: value}}
        return Planned([TrackField(track.id, self.name, before, value)], event)


def RenameTrack(track_id: str, name: str) -> SetTrackProperty:
    """Renaming is setting the name; one command class, one ledger vocabulary."""
    return SetTrackProperty(track_id, "name", name)
