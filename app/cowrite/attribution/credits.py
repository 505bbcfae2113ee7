"""Credits: who wrote the final notes (by count and by sounding time), per track and overall.

Computed from the song's notes and their origins; the ledger adds the actors
who worked on the song without leaving notes (a tempo change, a rejection).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.authorship import note_class
from cowrite.attribution.disclosure import sentence, source_type
from cowrite.model import Song
from cowrite.model.suggestion import ACCEPTED, PARTLY_ACCEPTED, PENDING, REJECTED

#: an assistant transforming notes without a suggestion on record is assumed trained: never under-claim AI
UNKNOWN_AI_SOURCE = V.TRAINED_ALGORITHMIC


class _Tally:
    """Notes and note-seconds per key."""

    def __init__(self):
        self.notes: Counter = Counter()
        self.seconds: defaultdict = defaultdict(float)

    def add(self, key: str, seconds: float) -> None:
        self.notes[key] += 1
        self.seconds[key] += seconds

    def table(self) -> dict:
        total_notes = sum(self.notes.values()) or 1
        total_seconds = sum(self.seconds.values()) or 1.0
        return {key: {"notes": count, "share": round(count / total_notes, 4),
                      "seconds": round(self.seconds[key], 3),
                      "time_share": round(self.seconds[key] / total_seconds, 4)}
                for key, count in self.notes.most_common()}


def credits(song: Song, ledger_actors: list[str] = ()) -> dict:
    by_actor, by_class, tracks = _Tally(), _Tally(), []
    edited_ai: Counter = Counter()  # person -> AI notes they edited
    ai_sources: set[str] = set()
    suggestion_types = {s.id: s.source_type for s in song.suggestions.values()}
    assistant_types = {s.assistant: s.source_type for s in song.suggestions.values()}
    seconds_at = song.tempo.seconds_at
    for track in song.tracks:
        track_actor, track_class = _Tally(), _Tally()
        for note in track.notes.values():
            origin = note.origin
            seconds = seconds_at(note.end) - seconds_at(note.start)
            kind = note_class(origin)
            for tally, key in ((by_actor, origin.created_by), (track_actor, origin.created_by),
                               (by_class, kind), (track_class, kind)):
                tally.add(key, seconds)
            if kind == V.AI_EDITED:
                edited_ai.update(origin.edited_by)
            if kind in (V.AI, V.AI_EDITED):
                ai_sources.add(suggestion_types.get(origin.suggestion) or
                               assistant_types.get(origin.created_by, UNKNOWN_AI_SOURCE))
            for assistant in origin.transformed_by:
                ai_sources.add(assistant_types.get(assistant, UNKNOWN_AI_SOURCE))
        tracks.append({"track": track.name, "id": track.id, "kind": track.kind.value,
                       "notes": len(track.notes), "by": track_actor.table(), "classes": track_class.table()})
    actors = list(dict.fromkeys([*by_actor.notes, *edited_ai, *assistant_types, *ledger_actors]))
    totals = by_actor.table()
    contributors = [_contributor(a, totals.get(a), edited_ai.get(a, 0)) for a in actors]
    classes = by_class.table()
    counts = {k: v["notes"] for k, v in classes.items()}
    return {
        "song": song.title,
        "notes": song.note_count(),
        "contributors": contributors,
        "classes": classes,
        "tracks": tracks,
        "suggestions": _suggestion_counts(song),
        "disclosure": _disclosure(song, counts, ai_sources, contributors, tracks, sum(edited_ai.values())),
    }


def _contributor(actor_id: str, share: dict | None, edited: int) -> dict:
    actor = Actor.parse(actor_id)
    entry = {"id": actor_id, "name": actor.name, "type": actor.kind,
             **(share or {"notes": 0, "share": 0.0, "seconds": 0.0, "time_share": 0.0})}
    if actor.version:
        entry["version"] = actor.version
    if edited:
        entry["edited_ai_notes"] = edited
    return entry


def _suggestion_counts(song: Song) -> dict:
    counts = Counter(s.status for s in song.suggestions.values())
    by_assistant: dict[str, Counter] = defaultdict(Counter)
    for s in song.suggestions.values():
        by_assistant[Actor.parse(s.assistant).label][s.status] += 1
    return {"offered": len(song.suggestions), "accepted": counts[ACCEPTED],
            "partly_accepted": counts[PARTLY_ACCEPTED], "rejected": counts[REJECTED],
            "pending": counts[PENDING], "by_assistant": {k: dict(v) for k, v in by_assistant.items()}}


def _disclosure(song: Song, counts: dict, ai_sources: set[str], contributors: list[dict], tracks: list[dict],
                edited_ai: int) -> dict:
    term = source_type(counts, ai_sources)
    ai_notes = counts.get(V.AI, 0) + counts.get(V.AI_EDITED, 0)
    people = [c["name"] for c in contributors if c["type"] == "person" and (c["notes"] or c.get("edited_ai_notes"))]
    assistants = [f'{c["name"]}@{c["version"]}' for c in contributors if c["type"] == "assistant" and c["notes"]]
    ai_tracks = [t["track"] for t in tracks
                 if t["notes"] and (t["classes"].get(V.AI, {}).get("share", 0)
                                    + t["classes"].get(V.AI_EDITED, {}).get("share", 0)) >= 0.5]
    return {
        "digital_source_type": term,
        "uri": V.IPTC_BASE + term,
        "ai_share": round(ai_notes / song.note_count(), 4) if song.note_count() else 0.0,
        "sentence": sentence(people, song.note_count(), ai_notes, ai_tracks, assistants, edited_ai,
                             counts.get(V.HUMAN_TRANSFORMED, 0)),
    }


def credits_text(report: dict) -> str:
    """The credits as a reader sees them: contributors, shares, suggestions, label."""
    lines = [f"Credits for {report['song']!r} ({report['notes']} notes)", ""]
    for c in report["contributors"]:
        who = c["name"] if c["type"] == "person" else f'{c["name"]}@{c["version"]} (AI assistant)'
        line = f"  {who}: {c['notes']} notes ({c['share'] * 100:.1f}%), {c['time_share'] * 100:.1f}% of sounding time"
        if c.get("edited_ai_notes"):
            line += f", edited {c['edited_ai_notes']} AI notes"
        lines.append(line)
    lines += ["", "By track:"]
    for t in report["tracks"]:
        shares = ", ".join(f"{Actor.parse(a).label} {v['share'] * 100:.0f}%" for a, v in t["by"].items())
        lines.append(f"  {t['track']}: {t['notes']} notes" + (f" ({shares})" if shares else ""))
    s = report["suggestions"]
    lines += ["", f"Suggestions: {s['offered']} offered, {s['accepted']} accepted, "
                  f"{s['partly_accepted']} partly accepted, {s['rejected']} rejected, {s['pending']} pending"]
    d = report["disclosure"]
    lines += ["", f"Disclosure: {d['digital_source_type']} ({d['uri']})", d["sentence"]]
    return "\n".join(lines)


def credits_summary(report: dict) -> str:
    """One line for a MIDI text event or a file's metadata."""
    people = ", ".join(f"{c['name']} {c['share'] * 100:.0f}%" for c in report["contributors"] if c["type"] == "person")
    ai = ", ".join(f"{c['name']}@{c['version']} {c['share'] * 100:.0f}%"
                   for c in report["contributors"] if c["type"] == "assistant" and c["notes"])
    d = report["disclosure"]
    return f"Credits: {people or 'no people'}; AI: {ai or 'none'}. Source type: {d['digital_source_type']}."
