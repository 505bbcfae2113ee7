"""Run an assistant safely: a time limit, its errors contained, its output checked.

A plugin that raises, hangs or returns impossible notes costs that one
suggestion, never the song.
"""

from __future__ import annotations

import threading

from cowrite.assistants.assistant import Assistant
from cowrite.assistants.registry import AssistantError
from cowrite.assistants.request import Draft, Request
from cowrite.assistants.request import build_request
from cowrite.attribution.actors import Actor
from cowrite.edit import Document, ProposeSuggestion
from cowrite.model import QUALITIES, Suggestion, Track, check_note_values

DEFAULT_TIME_LIMIT = 10.0  # seconds


def run(assistant: Assistant, request: Request, time_limit: float = DEFAULT_TIME_LIMIT) -> Draft:
    """The assistant's draft for `request`, checked; AssistantError for anything else."""
    label = f"{assistant.card.id}@{assistant.card.version}"
    outcome: dict = {}

    def work():
        try:
            outcome["draft"] = assistant.suggest(request)
        except Exception as e:  # the plugin's failure, reported as such
            outcome["error"] = f"{type(e).__name__}: {e}"

    # a daemon thread: a plugin that never returns cannot keep Cowrite from exiting
    worker = threading.Thread(target=work, name=f"assistant {label}", daemon=True)
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        raise AssistantError(f"{label} took longer than {time_limit:g} s; its suggestion was dropped")
    if "error" in outcome:
        raise AssistantError(f"{label} failed: {outcome['error']}")
    draft = outcome.get("draft")
    if not isinstance(draft, Draft):
        raise AssistantError(f"{label} returned {type(draft).__name__}, not a Draft")
    _check(draft, request, label)
    return draft


def _check(draft: Draft, request: Request, label: str) -> None:
    for note in draft.notes:
        try:
            check_note_values(*note)
        except (TypeError, ValueError) as e:
            raise AssistantError(f"{label} proposed an impossible note {tuple(note)}: {e}") from None
        if not request.start <= note[1] < request.end:
            raise AssistantError(f"{label} proposed a note at tick {note[1]}, outside bars "
                                 f"{request.first_bar + 1}-{request.last_bar + 1}")
    for chord in draft.chords:
        if chord.quality not in QUALITIES or chord.duration < 1 or not request.start <= chord.start < request.end:
            raise AssistantError(f"{label} proposed an impossible chord {chord.symbol!r} at tick {chord.start}")


def to_suggestion(assistant: Assistant, request: Request, draft: Draft) -> Suggestion:
    """The pending suggestion to propose through the document (it gets its id there)."""
    return Suggestion(
        id="", assistant=assistant.card.actor_id, track_id=request.target.id,
        parameters=dict(request.parameters), seed=request.seed, notes=list(draft.notes),
        chords=list(draft.chords), explanation=draft.explanation,
        source_type=assistant.card.model.source_type, bars=(request.first_bar + 1, request.last_bar + 1),
        alternatives=[{"start": a.start, "chosen": a.chosen, "options": [list(o) for o in a.options]}
                      for a in draft.alternatives],
    )


def propose(document: Document, assistant: Assistant, target: Track, source: Track | None, first_bar: int,
            last_bar: int, parameters: dict, seed: int) -> tuple[Suggestion, Draft]:
    """Ask `assistant` and propose its draft in its own name; the pending suggestion and the draft."""
    song = document.song
    request = build_request(song, target, source, first_bar, last_bar, parameters, seed)
    draft = run(assistant, request)
    card = assistant.card
    document.apply(ProposeSuggestion(to_suggestion(assistant, request, draft)), Actor.assistant(card.id, card.version))
    return song.suggestions[f"s{song.next_suggestion_id - 1}"], draft
