"""A blame-like listing of the ledger: who did what, to the song or to one note."""

from __future__ import annotations

from cowrite.attribution.actors import Actor
from cowrite.model import Song

NOTE_VERBS = {"move_notes": "moved", "resize_notes": "resized", "set_velocity": "changed the velocity of",
              "transpose": "transposed", "quantize": "quantized", "set_notes": "edited"}


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe(event: dict, track_names: dict[str, str]) -> str:
    """What an event did, in words."""
    op, subject, after, before = event["op"], event.get("subject") or {}, event.get("after") or {}, \
        event.get("before") or {}
    track = track_names.get(subject.get("track"), subject.get("track", ""))
    notes = subject.get("notes", [])
    if op == "new_song":
        return f"created the song ({after.get('key')}, {after.get('tempo', [[0, '?']])[0][1]} BPM)"
    if op == "add_notes":
        return f"added {_count(len(notes), 'note')} to {track}" + (f" (note {notes[0]})" if len(notes) == 1 else "")
    if op == "delete_notes":
        return f"deleted {_count(len(notes), 'note')}" + (f" (note {notes[0]})" if len(notes) == 1 else "")
    if op in NOTE_VERBS:
        what = ", ".join(subject.get("attributes", []))
        return f"{NOTE_VERBS[op]} {_count(len(notes), 'note')}" + (f" ({what})" if what else "")
    if op == "add_track":
        return f"added track {after.get('track', {}).get('name', track)!r}"
    if op == "remove_track":
        return f"removed track {before.get('track', {}).get('name', track)!r} with {_count(len(notes), 'note')}"
    if op == "move_track":
        return f"moved track {track!r} to position {after.get('index', 0) + 1}"
    if op == "set_track":
        prop = subject.get("property")
        return f"set the {prop} of track {track!r} from {before.get(prop)!r} to {after.get(prop)!r}"
    if op == "assign_sample":
        where = "the keyboard" if subject.get("pad") == "keyboard" else f"pad {subject.get('pad')}"
        if after:
            return f"put sample {after.get('name')!r} on {where} of track {track!r} (sha256 {after.get('sha256')})"
        return f"took sample {before.get('name')!r} off {where} of track {track!r}"
    if op == "set_chords":
        chords = after.get("chords", [])
        chart = " ".join(c["symbol"] for c in chords[:8]) + (" ..." if len(chords) > 8 else "")
        return f"set the chord track: {chart or 'no chords'}"
    if op in ("set_tempo", "set_tempo_map"):
        return "set the tempo: " + ", ".join(f"{bpm:g} BPM at tick {tick}" for tick, bpm in after.get("tempo", []))
    if op in ("set_meter", "set_meter_map"):
        return "set the meter: " + ", ".join(f"{n}/{d} at tick {tick}" for tick, n, d in after.get("meter", []))
    if op.startswith("set_"):
        name = subject.get("song", op[4:])
        return f"set the {name.replace('_', ' ')} to {_short(after.get(name))}"
    if op == "propose":
        s = event.get("suggestion", {})
        return (f"proposed suggestion {s.get('id')} for {track}: {_count(len(after.get('notes', [])), 'note')} "
                f"(seed {s.get('seed')}, {_short(s.get('parameters'))})")
    if op == "accept":
        s = event.get("suggestion", {})
        taken, of = len(after.get("accepted", [])), after.get("of", 0)
        how = "all" if taken == of else f"{taken} of"
        return f"accepted {how} {_count(of, 'note')} of suggestion {s.get('id')} from {Actor.parse(s['assistant']).label}"
    if op == "reject":
        return f"rejected suggestion {event.get('suggestion', {}).get('id')}"
    if op == "import":
        notes = sum(last - first + 1 for first, last in subject.get("note_ranges", []))
        return (f"imported {subject.get('file')} ({_count(notes, 'note')} in "
                f"{_count(len(subject.get('tracks', [])), 'track')})")
    if op == "undo":
        return f"undid #{event['undoes']}"
    if op == "redo":
        return f"redid #{event['redoes']}"
    if op == "discard":
        first, last = subject.get("events", ["?", "?"])
        return f"declared events #{first}-#{last} void (written, never saved)"
    if op == "export":
        return f"exported {subject.get('file')}"
    return op.replace("_", " ")


def _short(value, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def touches_note(event: dict, note_id: int, suggestion_id: str | None) -> bool:
    subject = event.get("subject") or {}
    if note_id in subject.get("notes", ()):
        return True
    if any(first <= note_id <= last for first, last in subject.get("note_ranges", ())):
        return True
    return bool(suggestion_id) and event["op"] == "propose" and subject.get("suggestion") == suggestion_id


def history(events: list[dict], song: Song, note_id: int | None = None) -> list[dict]:
    """Rows of (seq, time, actor, action, text), oldest first, optionally for one note."""
    names = {t.id: t.name for t in song.tracks}
    suggestion = None
    if note_id is not None:
        track = song.note_track(note_id)
        suggestion = track.notes[note_id].origin.suggestion if track else None
        events = [e for e in events if touches_note(e, note_id, suggestion)]
    return [{"seq": e["seq"], "time": e["time"], "actor": e["actor"]["id"], "action": e["action"],
             "op": e["op"], "text": describe(e, names)} for e in events]


def history_text(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        who = Actor.parse(row["actor"]).label
        lines.append(f"#{row['seq']:<6} {row['time'][:19].replace('T', ' ')}  {who:<20} {row['text']}")
    return "\n".join(lines)
