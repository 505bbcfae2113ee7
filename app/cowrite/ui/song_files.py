"""Song files from the window: new, open (with recovery), save, save as, recent songs, import MIDI.

Opening or creating a song builds a new Session and hands it to the window
(`window.install`), which gives every panel a fresh one; the dock layout is
the window's and does not change.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from cowrite.attribution.ledger import Ledger, LedgerError, ledger_path
from cowrite.edit import AddTrack, ImportSong
from cowrite.io.errors import FileProblem
from cowrite.io.lock import SongLock
from cowrite.io.project import Project
from cowrite.model import Key, MeterChange, MeterMap, Song, TempoChange, TempoMap
from cowrite.ui import recovery
from cowrite.ui.preferences import remember, save_prefs
from cowrite.ui.session import Session

SONG_FILTER = "Cowrite songs (*.cowrite)"
SHOWN_MS = 20_000


class SongFiles:
    def __init__(self, window):
        self.window = window

    @property
    def session(self) -> Session:
        return self.window.session

    def _folder(self) -> str:
        return str(self.session.project.path.parent)

    def _say(self, text: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the person cancels."""
        if not self.session.document.dirty:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self.window, "Unsaved changes",
                                      f"Save the changes to {self.session.project.path.name}?",
                                      buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Cancel:
            return False
        return self.save() if answer == buttons.Save else True

    def save(self) -> bool:
        try:
            self.session.project.save()
        except FileProblem as e:
            self.window.show_error(str(e))
            return False
        recovery.discard(self.session.project.path)
        self.window.show_song_state()
        self._say(f"Saved {self.session.project.path.name}")
        return True

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self.window, "Save song as", self._folder(), SONG_FILTER)
        return bool(name) and self.save_to(Path(name).with_suffix(".cowrite"))

    def save_to(self, path: Path) -> bool:
        """Save under a new name: the ledger is copied beside it (the song's history goes with it)."""
        project = self.session.project
        new_ledger = ledger_path(path)
        if path.exists() or new_ledger.exists():
            self.window.show_error(f"{path.name} or its ledger already exists; choose another name")
            return False
        try:
            lock = SongLock.take(path, project.document.author)  # the new name is this window's to write
        except FileProblem as e:
            self.window.show_error(str(e))
            return False
        try:
            new_ledger.write_bytes(project.ledger.path.read_bytes())
        except OSError as e:
            lock.release()
            self.window.show_error(f"{new_ledger}: cannot write ({e.strerror})")
            return False
        old = project.path
        project.ledger.close()
        project.document.ledger = Ledger(new_ledger, project.ledger.record)
        project.path = path
        if project.lock is not None:
            project.lock.release()
        project.lock = lock
        if not self.save():
            return False
        recovery.discard(old)
        self.remember(path)
        return True

    def new_song(self) -> bool:
        if not self.maybe_save():
            return False
        name, _ = QFileDialog.getSaveFileName(self.window, "New song", self._folder(), SONG_FILTER)
        return bool(name) and self.create_song(Path(name).with_suffix(".cowrite"))

    def create_song(self, path: Path) -> bool:
        """A new song with one instrument track, the person its first author."""
        song = Song(title=path.stem, tempo=TempoMap([TempoChange(0, 120.0)]), meter=MeterMap([MeterChange(0, 4, 4)]),
                    key=Key("C", "major"), length_bars=8)
        try:
            project = Project.create(path, song, self.session.document.author)
            project.document.apply(AddTrack("Piano"))
            project.save()
        except (FileProblem, LedgerError) as e:
            self.window.show_error(str(e))
            return False
        self.window.install(Session(project, self.session.player))
        self.remember(path)
        return True

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open song", self._folder(), SONG_FILTER)
        if name:
            self.open_song(Path(name))

    def open_song(self, path: Path) -> bool:
        """Open `path` (offering its autosave back if Cowrite did not get to save it) in place of this song."""
        path = Path(path)
        if path.resolve() == self.session.project.path.resolve():
            self._say(f"{path.name} is already open")
            return False
        if not self.maybe_save():
            return False
        try:
            project = recovery.open_song(path, self.session.document.author, self.offer_recovery,
                                         lambda locked: recovery.ask_read_only(locked, self.window))
        except (FileProblem, LedgerError) as e:
            QMessageBox.warning(self.window, "Cannot open the song", str(e))
            return False
        self.window.install(Session(project, self.session.player))
        self.remember(path)
        return True

    def offer_recovery(self, path: Path, found: recovery.Found) -> bool:
        return recovery.ask(path, found, self.window)

    def remember(self, path: Path) -> None:
        remember(self.window.prefs, path)
        try:
            save_prefs(self.window.prefs)
        except FileProblem as e:
            self.window.show_error(str(e))

    def fill_recent(self, menu) -> None:
        menu.clear()
        for name in self.window.prefs.recent:
            action = menu.addAction(name)
            action.setEnabled(Path(name).exists())
            action.triggered.connect(lambda _=False, n=name: self.open_song(Path(n)))
        if not self.window.prefs.recent:
            menu.addAction("No recent songs").setEnabled(False)

    def import_midi(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import MIDI", self._folder(), "MIDI files (*.mid *.midi)")
        if name:
            self.import_midi_file(Path(name))

    def import_midi_file(self, path: Path) -> bool:
        """Add the file's tracks to this song (taking its tempo, meter and key), as the person's notes."""
        from cowrite.io.midi_read import read_midi

        try:
            imported = read_midi(path)
        except FileProblem as e:
            self.window.show_error(str(e))
            return False
        if not self.session.apply(ImportSong(imported)):
            return False
        if imported.warnings:
            self._say(f"{path.name}: " + "; ".join(imported.warnings), SHOWN_MS)
        return True
