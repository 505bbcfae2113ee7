"""Autosave and crash recovery: a copy of the unsaved song beside it, offered back after a crash.

Every minute with unsaved changes, the song is written (atomically, in the
song file's own format) to SONG.cowrite.recovery. The song file and the ledger
are never touched by an autosave. A clean save or close deletes the copy, so a
copy newer than the song means Cowrite did not get to save.

Why restoring is simple and honest: every edit's ledger line is written (and
fsynced) before the song is, so the ledger already holds all the events the
recovery copy contains, and the copy records the ledger's length and head
hash as they were when it was written. Restoring puts the copy in place of the
song file and opens it as usual: the ledger matches it up to that point; any
events after it (edits in the last minute before the crash) are declared void
by the ordinary `discard` event; and a `recover` event says the song was
restored from the autosave. If the copy does not fit the ledger, the song
file is put back untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.io import song_json
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.io.lock import SongLock, SongLocked
from cowrite.io.project import Project, read_song

AUTOSAVE_MS = 60_000


def recovery_path(song: Path) -> Path:
    return Path(song).with_name(Path(song).name + ".recovery")


def discard(song: Path) -> None:
    recovery_path(song).unlink(missing_ok=True)


@dataclass(frozen=True)
class Found:
    """A recovery copy newer than its song."""

    path: Path
    saved_at: datetime
    events: int  # ledger events the copy includes
    saved_events: int  # ledger events the song file includes

    @property
    def unsaved(self) -> int:
        return self.events - self.saved_events


def find(song: Path) -> Found | None:
    """The song's recovery copy, if it is newer than the song; an older or unreadable copy is deleted.

    While the song itself cannot be read, the copy is kept (and not offered):
    it may be the best version there is.
    """
    copy = recovery_path(song)
    try:
        newer = copy.stat().st_mtime_ns > Path(song).stat().st_mtime_ns
        _, saved = read_song(Path(song))
    except (FileNotFoundError, FileProblem):
        return None
    try:
        _, kept = read_song(copy)
    except FileProblem:
        newer = False
    if not newer:
        discard(song)
        return None
    return Found(copy, datetime.fromtimestamp(copy.stat().st_mtime), kept.events, saved.events)


def restore(song: Path, found: Found, author: Actor) -> Project:
    """Open the song as the recovery copy holds it, recording the restore; FileProblem leaves the song as it was."""
    song = Path(song)
    original = song.read_bytes()
    write_atomically(song, found.path.read_bytes())
    try:
        project = Project.open(song, author)
    except FileProblem:
        write_atomically(song, original)
        raise
    project.document.record({
        "op": "recover", "action": V.OPENED, "prov": V.USED,
        "subject": {"file": found.path.name, "events": found.events},
        "before": {"events": found.saved_events}, "after": {"events": found.events}})
    project.save()
    discard(song)
    return project


def open_song(song: Path, author: Actor, offer: Callable[[Path, Found], bool],
              read_only: Callable[[SongLocked], bool] = lambda locked: False) -> Project:
    """Open `song`, first asking `offer` whether to restore a recovery copy if there is one.

    When another writer holds the song, `read_only(locked)` decides whether to
    open it to look at (True) or not at all (SongLocked is raised). Its
    recovery copy is that writer's business then, so it is neither offered nor thrown away.
    """
    try:
        SongLock.take(song, author).release()  # asked first: a restore writes the song
    except SongLocked as locked:
        if not read_only(locked):
            raise
        return Project.open(song, author, read_only=True)
    found = find(song)
    if found is not None and offer(song, found):
        return restore(song, found, author)
    discard(song)
    return Project.open(song, author)


def ask_read_only(locked: SongLocked, parent=None) -> bool:
    """Another writer has the song: open it read-only? (Its changes stay theirs to make.)"""
    answer = QMessageBox.question(parent, "The song is open elsewhere",
                                  f"{locked.path.name} {locked.problem}.\n\nOpen it read-only, to listen and look?",
                                  QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Open)
    return answer == QMessageBox.StandardButton.Open


class Autosaver(QObject):
    """Writes the recovery copy once a minute while there are unsaved changes."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._written_at = -1  # ledger events in the last copy written
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def autosave(self) -> Path | None:
        """Write the copy if something changed since the last one; its path, or None."""
        project = self.session.project
        events = project.ledger.record.events
        if not project.document.dirty or events == self._written_at:
            return None
        path = recovery_path(project.path)
        data = song_json.encode(project.song, project.ledger.record, project.ledger.path.name)
        try:
            write_atomically(path, data)
        except FileProblem as e:
            self.session.failed.emit(f"autosave failed: {e}; save soon")
            return None
        self._written_at = events
        return path

    def stop(self) -> None:
        self.timer.stop()


def ask(song: Path, found: Found, parent=None) -> bool:
    """Ask the person whether to restore the autosave."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, "Restore unsaved changes?", offer_text(song, found),
                                  buttons.Yes | buttons.No, buttons.Yes)
    return answer == buttons.Yes


def offer_text(song: Path, found: Found) -> str:
    when = found.saved_at.strftime("%H:%M on %d %B")
    return (f"Cowrite closed without saving {Path(song).name}. An autosave from {when} holds "
            f"{found.unsaved} change{'s' if found.unsaved != 1 else ''} made after the last save.\n\n"
            "Restore them? The history records the restore, and any edits after the autosave as not saved.\n"
            "Choosing No opens the last saved song and deletes the autosave.")

