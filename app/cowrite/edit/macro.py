"""Several commands that land as one: one undo step, one group commit to the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from cowrite.edit.command import Command, Planned, Planner


@dataclass
class Macro(Command):
    """Plan each command against the song as the ones before it left it.

    The document applies a macro's sub-commands one by one (so each sees the
    previous ones' effect) and writes their events together; see Document.
    """

    name: str
    commands: Sequence[Command]
    op = "macro"

    def plan(self, planner: Planner) -> Planned:
        raise TypeError("a macro is applied by the document, one command at a time")

    @property
    def label(self) -> str:
        return self.name
