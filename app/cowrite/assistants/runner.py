"""Run an assistant safely: in its sandbox worker, under a hard time limit, its output checked.

A plugin that raises, exits, crashes, hangs or returns impossible notes costs
that one suggestion, never the song: it thinks in a process of its own (see
`sandbox`), on a copy of the request, and its draft is checked (see
`validate`) before anything is proposed.
"""

from __future__ import annotations

from cowrite.assistants import sandbox
from cowrite.assistants.assistant import Assistant
from cowrite.assistants.request import Draft, Request, build_request
from cowrite.attribution.actors import Actor
from cowrite.edit import Document, ProposeSuggestion
from cowrite.model import Suggestion, Track

DEFAULT_TIME_LIMIT = sandbox.DEFAULT_TIME_LIMIT


def sandbox_target(assistant: Assistant) -> str:
    """Where its worker imports it from: a discovered assistant's entry point, else its class's module path."""
    target = getattr(assistant, "target", None)
    return target if isinstance(target, str) else f"{type(assistant).__module__}:{type(assistant).__qualname__}"


def run(assistant: Assistant, request: Request, time_limit: float = DEFAULT_TIME_LIMIT) -> Draft:
    """The assistant's draft for `request`, from its worker and checked; AssistantError for anything else."""
    card = assistant.card
    return sandbox.ask(sandbox_target(assistant), request, time_limit, card.id, card.version)


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
