"""The song as readable JSON: settings indented, one note a line.

Notes are rows of [id, pitch, start, duration, velocity, origin] where origin
indexes the file's table of origins, because thousands of notes share each one.
Reading checks every value, so a damaged file is refused with the reason
rather than opened half-right.
"""

from __future__ import annotations

import orjson

from cowrite import __version__
from cowrite.attribution.ledger import LedgerRecord
from cowrite.io.migrations import FORMAT_VERSION, migrate
from cowrite.model import (PPQ, Chord, Key, MeterChange, MeterMap, Note, Origin, SampleRef, Song, Suggestion,
                           TempoChange, TempoMap, Track, TrackKind)
from cowrite.model.bulk import bulk_allocation
from cowrite.model.note import check_note_rows
from cowrite.model.timing import check_bpm, check_meter
from cowrite.model.track import TRACK_PROPERTIES, check_sample_place, check_track_property

NOTE_FIELDS = ["id", "pitch", "start", "duration", "velocity", "origin"]
FORMAT_NAME = "cowrite-song"


def encode(song: Song, ledger: LedgerRecord, ledger_file: str) -> bytes:
    origins: dict[Origin, int] = {}
    by_identity: dict[int, int] = {}  # notes share Origin objects; hashing each one is slow

    def origin_index(origin: Origin) -> int:
        index = by_identity.get(id(origin))
        if index is None:
            index = by_identity[id(origin)] = origins.setdefault(origin, len(origins))
        return index

    tracks = []
    for track in song.tracks:
        rows = [[n.id, n.pitch, n.start, n.duration, n.velocity, origin_index(n.origin)]
                for n in track.sorted_notes()]
        tracks.append((track.settings(), rows))
    head = {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "written_by": f"cowrite {__version__}",
        "title": song.title, "ppq": PPQ,
        "tempo": [[c.tick, c.bpm] for c in song.tempo.changes],
        "meter": [[c.tick, c.numerator, c.denominator] for c in song.meter.changes],
        "key": str(song.key), "length_bars": song.length_bars,
        "chords": [c.to_json() for c in song.chords],
        "next_ids": {"note": song.next_note_id, "track": song.next_track_id,
                     "suggestion": song.next_suggestion_id},
        "ledger": {"file": ledger_file, **ledger.to_json()},
        "suggestions": [s.to_json() for s in song.suggestions.values()],
        "origins": [o.to_json() for o in origins],
        "note_fields": NOTE_FIELDS,
    }
    tracks_json = ",\n    ".join(_track_json(settings, rows) for settings, rows in tracks)
    text = _pretty(head)[:-2] + f',\n  "tracks": [\n    {tracks_json}\n  ]\n}}\n'
    return text.encode()


def _pretty(value, indent: str = "") -> str:
    """Indented JSON, but a list or object holding only plain values stays on one line."""
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        inner = indent + "  "
        items = ",\n".join(f"{inner}{orjson.dumps(k).decode()}: {_pretty(v, inner)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _pretty(v, inner) for v in value) + "\n" + indent + "]"
    return orjson.dumps(value).decode()


def _track_json(settings: dict, rows: list) -> str:
    """One note a line; built with one orjson call, as a song may hold 100,000 notes."""
    notes = orjson.dumps(rows).decode().replace("],[", "],\n      [")
    body = orjson.dumps(settings).decode()[1:-1]
    return f'{{{body},\n     "notes": [\n      {notes[1:-1]}\n    ]}}' if rows else f'{{{body}, "notes": []}}'


class Invalid(ValueError):
    """The document is not a valid song; the message says where."""


def decode(data: bytes) -> tuple[Song, LedgerRecord, str]:
    """The song, the ledger record it holds and the ledger's file name; Invalid or ValueError if bad."""
    try:
        with bulk_allocation():
            doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise Invalid(f"it is not valid JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise Invalid("it is not a Cowrite song (no \"format\": \"cowrite-song\")")
    try:
        doc = migrate(doc)
        with bulk_allocation():
            return _song(doc)
    except (KeyError, TypeError, IndexError) as e:
        raise Invalid(f"it is damaged: {type(e).__name__} {e}") from None


def _song(doc: dict) -> tuple[Song, LedgerRecord, str]:
    if doc.get("ppq") != PPQ:
        raise Invalid(f"its resolution {doc.get('ppq')!r} is not {PPQ} ticks a quarter note")
    tempo = [TempoChange(int(t), float(b)) for t, b in doc["tempo"]]
    for change in tempo:
        check_bpm(change.bpm)
    meter = [MeterChange(int(t), int(n), int(d)) for t, n, d in doc["meter"]]
    for change in meter:
        check_meter(change.numerator, change.denominator)
    tonic, _, mode = doc["key"].partition(" ")
    origins = [Origin.from_json(o) for o in doc["origins"]]
    ids = doc["next_ids"]
    song = Song(
        title=str(doc["title"]), tempo=TempoMap(tempo), meter=MeterMap(meter), key=Key(tonic, mode),
        length_bars=int(doc["length_bars"]), chords=[Chord.from_json(c) for c in doc["chords"]],
        tracks=[_track(t, origins) for t in doc["tracks"]],
        suggestions={s["id"]: Suggestion.from_json(s) for s in doc["suggestions"]},
        next_note_id=int(ids["note"]), next_track_id=int(ids["track"]),
        next_suggestion_id=int(ids["suggestion"]),
    )
    _check_unique_ids(song)
    ledger = doc["ledger"]
    return song, LedgerRecord.from_json(ledger), str(ledger["file"])


def _track(data: dict, origins: list[Origin]) -> Track:
    settings = {name: data[name] for name in TRACK_PROPERTIES}
    for name, value in settings.items():
        try:
            check_track_property(name, value)
        except ValueError as e:
            raise Invalid(f"track {data.get('name')!r}: {e}") from None
    track = Track(id=str(data["id"]), kind=TrackKind(data["kind"]), **settings)
    try:
        track.pads = {int(key): SampleRef.from_json(ref) for key, ref in data["pads"].items()}
        track.sample = SampleRef.from_json(data["sample"]) if data["sample"] is not None else None
        for pitch in track.pads:
            check_sample_place(track, pitch)
        if track.sample:
            check_sample_place(track, None)
    except ValueError as e:
        raise Invalid(f"track {track.name!r}: {e}") from None
    track.notes = _notes(data["notes"], origins, track.name)
    return track


def _notes(rows: list, origins: list[Origin], track_name: str) -> dict[int, Note]:
    """Check all rows column by column (fast for 100,000 notes), then build the notes."""
    if not rows:
        return {}
    if set(map(len, rows)) != {6}:
        raise Invalid(f"track {track_name!r}: a note row does not have the 6 fields {NOTE_FIELDS}")
    ids, *values, origin = zip(*rows)
    try:
        check_note_rows(list(zip(*values)))
    except ValueError as e:
        raise Invalid(f"track {track_name!r}: {e}") from None
    if set(map(type, ids)) | set(map(type, origin)) != {int} or min(ids) < 1:
        raise Invalid(f"track {track_name!r}: a note id is not a positive whole number")
    if min(origin) < 0 or max(origin) >= len(origins):
        raise Invalid(f"track {track_name!r}: a note's origin is not in the table of origins")
    if len(set(ids)) != len(ids):
        raise Invalid(f"track {track_name!r}: two notes share an id")
    return {r[0]: Note(r[0], r[1], r[2], r[3], r[4], origins[r[5]]) for r in rows}


def _check_unique_ids(song: Song) -> None:
    ids = set().union(*(t.notes.keys() for t in song.tracks))
    if len(ids) != song.note_count():
        raise Invalid("two notes on different tracks share an id")
    if ids and max(ids) >= song.next_note_id:
        raise Invalid("a note id is beyond the song's id counter")
    if len({t.id for t in song.tracks}) != len(song.tracks):
        raise Invalid("two tracks share an id")
