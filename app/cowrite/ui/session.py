"""The studio session: the open project, the player, and what the person has selected.

Widgets read the song through `session.song` and change it only through
`session.apply(command)` (the one door, with the person as author). After each
change the session emits `changed(ChangeSet)`, so a widget repaints only when
what it shows was touched. Selection and the current track are view state,
not song state, so they live here and never reach the file.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cowrite.attribution.ledger import LedgerError
from cowrite.edit import ChangeSet, Command, EditError
from cowrite.io.project import Project
from cowrite.model import Song, Track


class Session(QObject):
    changed = Signal(object)  # ChangeSet
    selection_changed = Signal()
    current_track_changed = Signal(str)
    failed = Signal(str)  # a one-line message for the status bar
    suggestion_changed = Signal()  # the pending suggestion shown as ghost notes, or its ghost selection

    def __init__(self, project: Project, player=None):
        super().__init__()
        self.project = project
        self.player = player
        self.selection: set[int] = set()
        self.current_track_id: str = project.song.tracks[0].id if project.song.tracks else ""
        self.colour_by_origin = False
        #: the pending suggestion shown as ghost notes (assistants dock), and which of its notes are picked
        self.suggestion_id: str | None = None
        self.ghost_selection: set[int] = set()
        project.document.subscribe(self._on_change)
        self._instrument_for_preview()

    @property
    def song(self) -> Song:
        return self.project.song

    @property
    def document(self):
        return self.project.document

    @property
    def current_track(self) -> Track | None:
        return self.song.find_track(self.current_track_id) if self.current_track_id else None

    def set_current_track(self, track_id: str) -> None:
        if track_id != self.current_track_id:
            self.current_track_id = track_id
            self.select(set())
            self._instrument_for_preview()
            self.current_track_changed.emit(track_id)

    @property
    def suggestion(self):
        """The pending suggestion on show, if it is still pending."""
        s = self.song.suggestions.get(self.suggestion_id) if self.suggestion_id else None
        return s if s is not None and s.status == "pending" else None

    def show_suggestion(self, suggestion_id: str | None) -> None:
        self.suggestion_id = suggestion_id
        self.ghost_selection = set()
        self.suggestion_changed.emit()

    def select_ghosts(self, indices: set[int]) -> None:
        self.ghost_selection = set(indices)
        self.suggestion_changed.emit()

    def _instrument_for_preview(self) -> None:
        """Keys pressed on the piano roll sound like the track being edited."""
        if self.player is not None and hasattr(self.player, "preview_track"):
            self.player.preview_track = self.current_track

    def apply(self, command: Command) -> bool:
        """Apply through the door as the person; a refused edit becomes a message, never a crash."""
        try:
            self.document.apply(command)
        except (EditError, LedgerError) as e:
            self.failed.emit(str(e))
            return False
        return True

    def undo(self) -> None:
        if self.document.can_undo:
            self.document.undo()

    def redo(self) -> None:
        if self.document.can_redo:
            self.document.redo()

    def select(self, note_ids: set[int]) -> None:
        if note_ids != self.selection:
            self.selection = set(note_ids)
            self.selection_changed.emit()

    def _on_change(self, change: ChangeSet) -> None:
        track = self.current_track
        if track is not None:  # notes that no longer exist cannot stay selected
            self.selection &= track.notes.keys()
        elif self.song.tracks:
            self.current_track_id = self.song.tracks[0].id
        if self.player is not None:
            self.player.load(self.song)
        self.changed.emit(change)
