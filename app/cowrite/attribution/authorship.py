"""Who wrote a note: a query on the model, never a guess from the log."""

from __future__ import annotations

from cowrite.attribution import vocabulary as V
from cowrite.model import Origin, is_person


def note_class(origin: Origin) -> str:
    """human, ai, ai-edited-by-human or human-transformed-by-ai."""
    if is_person(origin.created_by):
        return V.HUMAN_TRANSFORMED if origin.transformed_by else V.HUMAN
    return V.AI_EDITED if origin.edited_by else V.AI
