"""What every command is: a named plan that turns the current song into changes plus a ledger event."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from cowrite.attribution.actors import Actor
from cowrite.edit.changes import Change
from cowrite.model import Note, Song


@dataclass
class Planned:
    """The changes a command decided on, and the ledger event that records them."""

    changes: list[Change]
    event: dict = field(default_factory=dict)


class Planner:
    """What a command may see while planning: the song, who acts, and fresh ids."""

    def __init__(self, song: Song, actor: Actor):
        self.song = song
        self.actor = actor

    def new_note_id(self) -> int:
        self.song.next_note_id += 1
        return self.song.next_note_id - 1

    def new_track_id(self) -> str:
        self.song.next_track_id += 1
        return f"t{self.song.next_track_id - 1}"

    def new_suggestion_id(self) -> str:
        self.song.next_suggestion_id += 1
        return f"s{self.song.next_suggestion_id - 1}"


class Command(ABC):
    """One kind of edit. Subclasses set `op` and implement `plan`."""

    op: ClassVar[str] = ""

    @abstractmethod
    def plan(self, planner: Planner) -> Planned:
        """Decide the changes for the current song, or raise EditError."""

    @property
    def label(self) -> str:
        """What the Undo menu says."""
        return self.op.replace("_", " ").capitalize()


def note_row(note: Note) -> list[int]:
    """A note's values as the ledger writes them: [id, pitch, start, duration, velocity]."""
    return [note.id, note.pitch, note.start, note.duration, note.velocity]
