"""The public API for assistant plugins: import from here, not from Cowrite's internals.

    from cowrite.assistants.api import Assistant, Card, ModelInfo, Choice, Draft, ProposedNote

See docs/writing-an-assistant.md.
"""

from cowrite.assistants.assistant import Assistant
from cowrite.assistants.card import Card, ModelInfo, TrainingSource
from cowrite.assistants.parameters import Boolean, Choice, FloatRange, IntRange, ParameterError
from cowrite.assistants.request import Alternative, ContextNote, Draft, Request, TrackView
from cowrite.attribution.vocabulary import ALGORITHMIC, TRAINED_ALGORITHMIC
from cowrite.model import PPQ, QUALITIES, Chord, Key, ProposedNote

__all__ = [
    "ALGORITHMIC", "PPQ", "QUALITIES", "TRAINED_ALGORITHMIC", "Alternative", "Assistant", "Boolean", "Card",
    "Choice", "Chord", "ContextNote", "Draft", "FloatRange", "IntRange", "Key", "ModelInfo", "ParameterError",
    "ProposedNote", "Request", "TrackView", "TrainingSource",
]
