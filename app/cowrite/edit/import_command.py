"""Bring a whole song in from a file (a MIDI import) as one command and one ledger event."""

from __future__ import annotations

from dataclasses import dataclass, field

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import SongField, TrackPresence
from cowrite.edit.command import Command, Planned, Planner
from cowrite.edit.errors import EditError
from cowrite.model import Key, MeterChange, MeterMap, Note, Origin, TempoChange, TempoMap, Track, TrackKind
from cowrite.model.bulk import bulk_allocation
from cowrite.model.note import check_note_rows
from cowrite.model.track import check_track_property
from cowrite.edit.song_commands import meter_json, tempo_json


@dataclass
class ImportedTrack:
    name: str
    kind: TrackKind
    channel: int
    program: int
    notes: list[tuple[int, int, int, int]]  # pitch, start, duration, velocity at 960 PPQ


@dataclass
class ImportedSong:
    """What a file reader hands over: plain values, nothing attributed yet."""

    source: str  # file name as the person gave it
    sha256: str  # of the file's bytes, so the ledger names exactly what was read
    tempo: list[TempoChange]
    meter: list[MeterChange]
    tracks: list[ImportedTrack]
    key: Key | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportSong(Command):
    """Add the file's tracks after the existing ones; take its tempo, meter and key.

    The notes are the importing person's: Cowrite cannot know who wrote the
    file, so the ledger records the file's name and hash as their source.
    """

    imported: ImportedSong
    op = "import"

    def plan(self, planner: Planner) -> Planned:
        song, data = planner.song, self.imported
        origin = Origin(planner.actor.id)
        with bulk_allocation():
            tracks = [self._track(planner, t, origin) for t in data.tracks]
        tempo, meter = TempoMap(list(data.tempo)), MeterMap(list(data.meter))
        changes = [SongField("tempo", song.tempo, tempo), SongField("meter", song.meter, meter)]
        if data.key is not None:
            changes.append(SongField("key", song.key, data.key))
        if data.title:
            changes.append(SongField("title", song.title, data.title))
        last = max((s + d for t in data.tracks for _, s, d, _ in t.notes), default=0)
        bars = max(song.length_bars, meter.bars_to_cover(last))
        changes.append(SongField("length_bars", song.length_bars, bars))
        changes += [TrackPresence(len(song.tracks) + i, t, True) for i, t in enumerate(tracks)]
        event = {
            "op": self.op, "action": V.PLACED, "prov": V.DERIVED,
            # a track's notes get consecutive ids: ranges instead of 60,000 numbers
            "subject": {"file": data.source, "sha256": data.sha256, "tracks": [t.id for t in tracks],
                        "note_ranges": [[min(t.notes), max(t.notes)] for t in tracks if t.notes]},
            "before": None,
            "after": {"tempo": tempo_json(tempo), "meter": meter_json(meter),
                      "key": str(data.key) if data.key else None,
                      "tracks": [{**t.settings(), "first_note_id": min(t.notes, default=None),
                                  "notes": d.notes} for t, d in zip(tracks, data.tracks)]},
        }
        return Planned(changes, event)

    @staticmethod
    def _track(planner: Planner, data: ImportedTrack, origin: Origin) -> Track:
        for name, value in (("channel", data.channel), ("program", data.program)):
            try:
                check_track_property(name, value)
            except ValueError as e:
                raise EditError(f"track {data.name!r}: {e}") from None
        track = Track(planner.new_track_id(), data.name.strip() or "Track",
                      TrackKind(data.kind), "drum-kit" if data.kind == TrackKind.DRUMS else "keys",
                      data.channel, data.program)
        try:
            check_note_rows(data.notes)
        except ValueError as e:
            raise EditError(f"track {data.name!r}: {e}") from None
        first = planner.song.next_note_id
        planner.song.next_note_id += len(data.notes)
        new = tuple.__new__  # Note's own __new__ adds a Python call per note
        track.notes = {i: new(Note, (i, *values, origin)) for i, values in enumerate(data.notes, first)}
        return track
