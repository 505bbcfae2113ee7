"""The base class every assistant (built-in or third-party) derives from."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from cowrite.assistants.card import Card
from cowrite.assistants.parameters import Parameter
from cowrite.assistants.request import Draft, Request


class Assistant(ABC):
    """Declare `card` and `parameters`; implement `suggest`.

    `suggest` must be deterministic: the same request (song context,
    parameters, seed) gives the same notes, so the ledger's record of a
    suggestion can regenerate it. Use `random.Random(request.seed)` (or
    numpy's default_rng(seed)), never global randomness or the clock.
    It must not change anything outside what it returns.
    """

    card: ClassVar[Card]
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    #: what the target track must be: "drums", "instrument" or "" (either)
    target_kind: ClassVar[str] = ""
    #: True when the assistant reads a --source track (harmony reads the melody)
    needs_source: ClassVar[bool] = False

    @abstractmethod
    def suggest(self, request: Request) -> Draft:
        """The notes (and chords) to propose for request.target in [request.start, request.end)."""
