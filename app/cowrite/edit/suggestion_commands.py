"""The life of a suggestion: an assistant proposes; a person accepts all, some, or none."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import NotePatch, SongField, SuggestionState
from cowrite.edit.command import Command, Planned, Planner, note_row
from cowrite.edit.errors import EditError
from cowrite.model import Note, Origin, Suggestion, check_note_values
from cowrite.model.suggestion import ACCEPTED, PARTLY_ACCEPTED, PENDING, REJECTED


def suggestion_ref(s: Suggestion) -> dict:
    """How the ledger names a suggestion: enough to regenerate it exactly."""
    return {"id": s.id, "assistant": s.assistant, "parameters": s.parameters, "seed": s.seed,
            "source_type": s.source_type}


@dataclass
class ProposeSuggestion(Command):
    """An assistant offers notes for a track; nothing in the song changes yet."""

    suggestion: Suggestion
    op = "propose"

    def plan(self, planner: Planner) -> Planned:
        if planner.actor.is_person or planner.actor.id != self.suggestion.assistant:
            raise EditError("a suggestion is proposed by the assistant that made it")
        track = planner.song.find_track(self.suggestion.track_id)
        if track is None:
            raise EditError(f"no track {self.suggestion.track_id!r} for the suggestion")
        for n in self.suggestion.notes:
            try:
                check_note_values(*n)
            except ValueError as e:
                raise EditError(f"the assistant proposed an impossible note: {e}") from None
        s = dataclasses.replace(self.suggestion, id=planner.new_suggestion_id(), track_id=track.id,
                                status=PENDING)
        event = {"op": self.op, "action": V.SUGGESTED, "prov": V.GENERATED,
                 "subject": {"track": track.id, "suggestion": s.id, "bars": list(s.bars)},
                 "before": None,
                 "after": {"notes": [list(n) for n in s.notes], "chords": [c.to_json() for c in s.chords]},
                 "suggestion": suggestion_ref(s)}
        return Planned([SuggestionState(s.id, None, s)], event)


def _pending(planner: Planner, suggestion_id: str) -> Suggestion:
    s = planner.song.suggestions.get(suggestion_id)
    if s is None:
        raise EditError(f"no suggestion {suggestion_id!r}")
    if s.status != PENDING:
        raise EditError(f"suggestion {suggestion_id} was already {s.status}")
    return s


@dataclass
class AcceptSuggestion(Command):
    """Place the suggestion's notes (all, or those at `indices`) and its chords in the song.

    The notes keep the assistant as their creator and the suggestion as their
    source; the person who accepted is the actor of the event.
    """

    suggestion_id: str
    indices: Sequence[int] | None = None
    op = "accept"

    def plan(self, planner: Planner) -> Planned:
        s = _pending(planner, self.suggestion_id)
        chosen = sorted(set(range(len(s.notes)) if self.indices is None else self.indices))
        if any(not 0 <= i < len(s.notes) for i in chosen):
            raise EditError(f"suggestion {s.id} has notes 0..{len(s.notes) - 1} only")
        if not chosen and not s.chords:
            raise EditError("no notes chosen; to turn the whole suggestion down, reject it")
        origin = Origin(s.assistant, s.id)
        added = tuple(Note(planner.new_note_id(), *s.notes[i], origin) for i in chosen)
        whole = len(chosen) == len(s.notes)
        changes = [SuggestionState(s.id, s, dataclasses.replace(s, status=ACCEPTED if whole else PARTLY_ACCEPTED))]
        if added:
            changes.append(NotePatch(s.track_id, (), added))
        if s.chords:
            changes.append(_chord_change(planner, s))
        event = {"op": self.op, "action": V.PLACED, "prov": V.DERIVED,
                 "subject": {"track": s.track_id, "suggestion": s.id, "notes": [n.id for n in added]},
                 "before": None,
                 "after": {"notes": [note_row(n) for n in added], "accepted": chosen,
                           "of": len(s.notes), "chords": [c.to_json() for c in s.chords]},
                 "suggestion": suggestion_ref(s)}
        return Planned(changes, event)


def _chord_change(planner: Planner, s: Suggestion) -> SongField:
    start, end = min(c.start for c in s.chords), max(c.end for c in s.chords)
    old = planner.song.chords
    kept = [c for c in old if c.end <= start or c.start >= end]
    return SongField("chords", old, sorted([*kept, *s.chords]))


@dataclass
class RejectSuggestion(Command):
    suggestion_id: str
    op = "reject"

    def plan(self, planner: Planner) -> Planned:
        s = _pending(planner, self.suggestion_id)
        event = {"op": self.op, "action": V.REJECTED, "prov": V.INVALIDATED,
                 "subject": {"track": s.track_id, "suggestion": s.id}, "before": None, "after": None,
                 "suggestion": suggestion_ref(s)}
        return Planned([SuggestionState(s.id, s, dataclasses.replace(s, status=REJECTED))], event)
