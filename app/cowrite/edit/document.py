"""The document: the one door through which every change to a song passes.

Applying a command changes the model, records the undo step and appends the
ledger event in one step; if the ledger cannot be written the model is put back
and the error raised, so the song never holds a change its ledger does not.
Undo and redo are commands too: they are recorded, and history only grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import Ledger
from cowrite.edit.changes import Change, NotePatch, SongField, SuggestionState, TrackField, TrackMove, TrackPresence
from cowrite.edit.command import Command, Planner
from cowrite.edit.errors import EditError
from cowrite.edit.macro import Macro
from cowrite.model import Song

#: what undoing an action amounts to, in the same vocabulary
INVERSE_ACTION = {V.CREATED: V.REMOVED, V.PLACED: V.REMOVED, V.REMOVED: V.PLACED, V.EDITED: V.EDITED,
                  V.SUGGESTED: V.REMOVED, V.REJECTED: V.EDITED}
INVERSE_PROV = {V.GENERATED: V.INVALIDATED, V.INVALIDATED: V.GENERATED, V.DERIVED: V.DERIVED}


@dataclass
class ChangeSet:
    """What an operation touched, so a view can refresh only that (as Anki's OpChanges)."""

    note_tracks: set[str] = field(default_factory=set)
    track_list: bool = False
    track_settings: set[str] = field(default_factory=set)
    song_fields: set[str] = field(default_factory=set)
    suggestions: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, changes: Sequence[Change]) -> ChangeSet:
        result = cls()
        for change in changes:
            if isinstance(change, NotePatch):
                result.note_tracks.add(change.track_id)
            elif isinstance(change, (TrackPresence, TrackMove)):
                result.track_list = True
            elif isinstance(change, TrackField):
                result.track_settings.add(change.track_id)
            elif isinstance(change, SongField):
                result.song_fields.add(change.name)
            elif isinstance(change, SuggestionState):
                result.suggestions.add(change.suggestion_id)
        return result


@dataclass
class Step:
    """One undoable step: its changes and the ledger events that recorded them."""

    label: str
    changes: list[Change]
    events: list[dict]


class Document:
    def __init__(self, song: Song, ledger: Ledger, author: Actor):
        self.song = song
        self.ledger = ledger
        self.author = author
        self.dirty = False
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._listeners: list[Callable[[ChangeSet], None]] = []

    # -- the door ------------------------------------------------------------------

    def apply(self, command: Command, actor: Actor | None = None) -> list[dict]:
        """Apply one command (a Macro applies all of its commands as one step).

        Returns the ledger events written (none if the command changed nothing).
        Raises EditError when the command does not fit the song, LedgerError
        when the ledger cannot be written; either way nothing changed.
        """
        actor = actor or self.author
        commands = command.commands if isinstance(command, Macro) else [command]
        group = command.label if isinstance(command, Macro) else None
        planner = Planner(self.song, actor)
        done: list[Change] = []
        bodies: list[dict] = []
        try:
            for sub in commands:
                planned = sub.plan(planner)
                for change in planned.changes:
                    change.apply(self.song)
                    done.append(change)
                if planned.changes:
                    bodies.append(self._body(planned.event, actor, group))
            events = self.ledger.append(bodies)
        except BaseException:
            self._revert(done)
            raise
        if events:
            self._undo.append(Step(command.label, done, events))
            self._redo.clear()
            self._changed(done)
        return events

    @staticmethod
    def _body(event: dict, actor: Actor, group: str | None) -> dict:
        body = {**event, "actor": actor.to_json()}
        if group:
            body["group"] = group
        return body

    def _revert(self, changes: Sequence[Change]) -> None:
        for change in reversed(changes):
            change.inverse().apply(self.song)

    def _changed(self, changes: Sequence[Change]) -> None:
        self.dirty = True
        if self._listeners:
            change_set = ChangeSet.of(changes)
            for listener in list(self._listeners):
                listener(change_set)

    def record(self, event: dict, actor: Actor | None = None) -> dict:
        """Write an event about the song that changes nothing in it (an export); not undoable."""
        return self.ledger.append([self._body(event, actor or self.author, None)])[0]

    def subscribe(self, listener: Callable[[ChangeSet], None]) -> None:
        self._listeners.append(listener)

    # -- undo and redo, recorded like any edit ---------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self, actor: Actor | None = None) -> list[dict]:
        if not self._undo:
            raise EditError("nothing to undo")
        step = self._undo[-1]
        actor = actor or self.author
        inverses = [change.inverse() for change in reversed(step.changes)]
        bodies = [self._reversed_body(event, actor) for event in reversed(step.events)]
        events = self._replay(inverses, bodies)
        self._undo.pop()
        self._redo.append(step)  # keeps the forward events, which redo repeats
        self._changed(inverses)
        return events

    def redo(self, actor: Actor | None = None) -> list[dict]:
        if not self._redo:
            raise EditError("nothing to redo")
        step = self._redo[-1]
        actor = actor or self.author
        bodies = [self._repeated_body(event, actor) for event in step.events]
        events = self._replay(list(step.changes), bodies)
        self._redo.pop()
        self._undo.append(Step(step.label, step.changes, events))
        self._changed(step.changes)
        return events

    def _replay(self, changes: list[Change], bodies: list[dict]) -> list[dict]:
        for change in changes:
            change.apply(self.song)
        try:
            return self.ledger.append(bodies)
        except BaseException:
            self._revert(changes)
            raise

    @staticmethod
    def _reversed_body(event: dict, actor: Actor) -> dict:
        """The event that undoes `event`: its values swapped, its action inverted."""
        body = {"op": "undo", "undoes": event["seq"], "action": INVERSE_ACTION[event["action"]],
                "prov": INVERSE_PROV.get(event["prov"], V.DERIVED), "subject": event["subject"],
                "before": event["after"], "after": event["before"], "actor": actor.to_json()}
        if "suggestion" in event:
            body["suggestion"] = event["suggestion"]
        return body

    @staticmethod
    def _repeated_body(event: dict, actor: Actor) -> dict:
        """The event that redoes `event`: the same change, by whoever redoes it."""
        body = {key: event[key] for key in ("action", "prov", "subject", "before", "after", "suggestion")
                if key in event}
        return {**body, "op": "redo", "redoes": event["seq"], "actor": actor.to_json()}
