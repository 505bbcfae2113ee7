"""The life of a suggestion: an assistant proposes; a person accepts all, some, or none.

Accepting follows one rule, decided by a pure function (`accept_outcome`) that
the command and the audition both call, so what is heard is what accepting gives:

- replace (the default): the suggestion takes the place of what its track holds
  where it speaks. A whole accept replaces every bar of the suggestion's range;
  a partial accept only the notes the picked ones overlap in time (on a drum
  track, on the same drum key), so the rest of the person's part survives
  around the few ghost notes they picked: picking two notes of a bass line
  swaps two notes, it does not empty two bars. The replaced notes leave in the
  same step, recorded as removed by the person who accepted.
- layer: every note already on the track stays.
- Either way a track never holds two notes of the same pitch starting together:
  an accepted note that duplicates a note that stays is not added (the existing
  note, and its origin, win), nor is a second copy within the suggestion. The
  event records each such merge.

Chords go over the same bars: a partial accept of a harmony suggestion writes
only its chords over the accepted notes' bars.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import NotePatch, SongField, SuggestionState
from cowrite.edit.command import Command, Planned, Planner, note_row
from cowrite.edit.errors import EditError
from cowrite.model import Chord, Note, Origin, Song, Suggestion
from cowrite.model.suggestion import ACCEPTED, PARTLY_ACCEPTED, PENDING, REJECTED, check_suggestion
from cowrite.theory.chords import chords_within, lane_with


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
        try:
            check_suggestion(self.suggestion)
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


REPLACE, LAYER = "replace", "layer"
ACCEPT_MODES = (REPLACE, LAYER)


@dataclass(frozen=True)
class AcceptOutcome:
    """What accepting a suggestion does to its track and the chord lane, decided without changing anything."""

    chosen: tuple[int, ...]  # the suggestion's notes the person took
    placed: tuple[int, ...]  # of those, the ones that go into the track
    merged_into_existing: dict[int, int]  # chosen index -> id of the identical note that stays instead
    merged_into_placed: dict[int, int]  # chosen index -> the earlier chosen index placed instead
    replaced: tuple[Note, ...]  # the track's notes that leave (replace mode)
    spans: tuple[tuple[int, int], ...]  # the tick ranges the accept speaks for, in order
    chords_written: tuple[Chord, ...]  # the suggestion's chords over those ranges
    lane: tuple[Chord, ...]  # the chord lane after the accept


def accept_outcome(song: Song, s: Suggestion, indices: Sequence[int] | None = None,
                   mode: str = REPLACE) -> AcceptOutcome:
    """Decide what accepting `s` (all its notes, or those at `indices`) in `mode` does; EditError if it cannot."""
    if mode not in ACCEPT_MODES:
        raise EditError(f"accept mode {mode!r} is not one of {', '.join(ACCEPT_MODES)}")
    try:
        track = song.track(s.track_id)
    except KeyError:
        raise EditError(f"the track of suggestion {s.id} is gone") from None
    chosen = _chosen(s, indices)
    whole = len(chosen) == len(s.notes)
    spans = _spans(song, s, chosen, whole)
    if mode != REPLACE:
        replaced = ()
    elif whole:
        replaced = tuple(sorted(n for n in track.notes.values() if _inside(n.start, spans)))
    else:
        replaced = _overlapped(track, [s.notes[i] for i in chosen])
    gone = {n.id for n in replaced}
    staying = {(n.pitch, n.start): n.id for n in track.notes.values() if n.id not in gone}
    placed, into_existing, into_placed, first_at = [], {}, {}, {}
    for i in chosen:
        key = (s.notes[i].pitch, s.notes[i].start)
        if key in staying:
            into_existing[i] = staying[key]
        elif key in first_at:
            into_placed[i] = first_at[key]
        else:
            first_at[key] = i
            placed.append(i)
    written = [c for start, end in spans for c in chords_within(s.chords, start, end)]
    lane = song.chords
    for start, end in spans if s.chords else ():
        lane = lane_with(lane, chords_within(s.chords, start, end), start, end)
    return AcceptOutcome(tuple(chosen), tuple(placed), into_existing, into_placed, replaced, spans,
                         tuple(written), tuple(lane))


def _chosen(s: Suggestion, indices: Sequence[int] | None) -> list[int]:
    chosen = sorted(set(range(len(s.notes)) if indices is None else indices))
    if any(not 0 <= i < len(s.notes) for i in chosen):
        raise EditError(f"suggestion {s.id} has notes 0..{len(s.notes) - 1} only")
    if not chosen and (s.notes or not s.chords):
        raise EditError("no notes chosen; to turn the whole suggestion down, reject it")
    return chosen


def _spans(song: Song, s: Suggestion, chosen: list[int], whole: bool) -> tuple[tuple[int, int], ...]:
    """Where the accept speaks: the suggestion's bars when whole, else the bars the chosen notes start in.

    A suggestion without a recorded bar range (bars (0, 0)) speaks for the bars its notes and chords start in.
    """
    meter = song.meter
    if whole and s.bars[0] >= 1:
        bars = range(s.bars[0] - 1, s.bars[1])
    elif whole:
        bars = {meter.bar_at(t) for t in [*(n.start for n in s.notes), *(c.start for c in s.chords)]}
    else:
        bars = {meter.bar_at(s.notes[i].start) for i in chosen}
    runs: list[list[int]] = []
    for bar in sorted(bars):
        if runs and runs[-1][1] == bar:
            runs[-1][1] = bar + 1
        else:
            runs.append([bar, bar + 1])
    return tuple((meter.bar_start(first), meter.bar_start(end)) for first, end in runs)


def _overlapped(track, picked) -> tuple[Note, ...]:
    """The track's notes sounding at the same time as a picked note (on a drum track: on its key too)."""
    def clashes(n: Note, p) -> bool:
        return n.start < p.start + p.duration and p.start < n.start + n.duration and (
            not track.is_drums or n.pitch == p.pitch)

    return tuple(sorted(n for n in track.notes.values() if any(clashes(n, p) for p in picked)))


def _inside(tick: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= tick < end for start, end in spans)


@dataclass
class AcceptSuggestion(Command):
    """Place the suggestion's notes (all, or those at `indices`) and its chords in the song, by the rule above.

    `mode` is "replace" (the default) or "layer". The notes keep the assistant
    as their creator and the suggestion as their source; the person who
    accepted is the actor of the event, and so the one who removed what was replaced.
    """

    suggestion_id: str
    indices: Sequence[int] | None = None
    mode: str = REPLACE
    op = "accept"

    def plan(self, planner: Planner) -> Planned:
        s = _pending(planner, self.suggestion_id)
        try:  # a damaged suggestion (from a file) never puts an impossible note in a track; it can be rejected
            check_suggestion(s)
        except ValueError as e:
            raise EditError(f"cannot accept: {e}; reject it instead") from None
        outcome = accept_outcome(planner.song, s, self.indices, self.mode)
        origin = Origin(s.assistant, s.id)
        ids = {i: planner.new_note_id() for i in outcome.placed}
        added = tuple(Note(ids[i], *s.notes[i], origin) for i in outcome.placed)
        whole = len(outcome.chosen) == len(s.notes)
        changes = [SuggestionState(s.id, s, dataclasses.replace(s, status=ACCEPTED if whole else PARTLY_ACCEPTED))]
        if added or outcome.replaced:
            changes.append(NotePatch(s.track_id, outcome.replaced, added))
        if list(outcome.lane) != planner.song.chords:
            changes.append(SongField("chords", planner.song.chords, list(outcome.lane)))
        merged = [{"index": i, "into": note_id} for i, note_id in outcome.merged_into_existing.items()]
        merged += [{"index": i, "into": ids[first]} for i, first in outcome.merged_into_placed.items()]
        event = {"op": self.op, "action": V.PLACED, "prov": V.DERIVED,
                 "subject": {"track": s.track_id, "suggestion": s.id,
                             "notes": sorted([*ids.values(), *(n.id for n in outcome.replaced)])},
                 "before": {"notes": [note_row(n) for n in outcome.replaced]},
                 "after": {"notes": [note_row(n) for n in added], "accepted": list(outcome.chosen),
                           "of": len(s.notes), "mode": self.mode,
                           "removed": [n.id for n in outcome.replaced],
                           "merged": sorted(merged, key=lambda m: m["index"]),
                           "ticks": [list(span) for span in outcome.spans],
                           "chords": [c.to_json() for c in outcome.chords_written]},
                 "suggestion": suggestion_ref(s)}
        return Planned(changes, event)


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
