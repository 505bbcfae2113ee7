"""Exports from the window: ask where, write on a worker with a progress dialog, then record and say so.

The files and manifests are the export layer's (the same as `cowrite export`);
the ledger events are appended here on the UI thread, where the document lives.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from cowrite.attribution.ledger import LedgerError
from cowrite.edit import EditError
from cowrite.exports import Prepared, prepare, publish, signing_files, snapshot
from cowrite.io.errors import FileProblem
from cowrite.ui.workers import run_in_thread

FILE_TYPES = {  # kind -> (file filter, suffix); stems ask for a folder
    "midi": ("MIDI files (*.mid)", ".mid"),
    "musicxml": ("MusicXML (*.musicxml)", ".musicxml"),
    "wav": ("WAV audio (*.wav)", ".wav"),
}


class ExportRunner:
    """One export at a time for the window: `running` is the worker's Task while one runs."""

    def __init__(self, window):
        self.window = window
        self.running = None

    def ask(self, kind: str) -> None:
        w = self.window
        folder = str(w.session.project.path.parent)
        if kind == "stems":
            name = QFileDialog.getExistingDirectory(w, "Export stems into", folder)
        else:
            file_filter, suffix = FILE_TYPES[kind]
            stem = w.session.project.path.with_suffix("")
            name, _ = QFileDialog.getSaveFileName(w, f"Export {kind.upper()}", str(stem) + suffix, file_filter)
        if name:
            self.export(kind, Path(name))

    def export(self, kind: str, out: Path):
        """Write the song as `kind` (midi, musicxml, wav, stems) to `out` on a worker; the Task, or None."""
        w = self.window
        if self.running is not None:
            w.show_error("an export is already running")
            return None
        try:
            signing = signing_files()
        except EditError as e:  # half a signing configuration: say so and export nothing
            w.show_error(str(e))
            return None
        project = w.session.project
        song, path, record = snapshot(w.session.song), project.path, project.ledger.record
        progress = self._progress(out)

        def done(prepared: Prepared) -> None:
            progress.close()
            self.running = None
            self._finish(prepared)

        def failed(message: str) -> None:
            progress.close()
            self.running = None
            w.show_error(f"export failed: {message}")

        self.running = run_in_thread("export", lambda: prepare({kind: out}, song, path, record, signing),
                                     done, failed)
        return self.running

    def _progress(self, out: Path) -> QProgressDialog:
        progress = QProgressDialog(f"Exporting {out.name}…", "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        return progress

    def _finish(self, prepared: Prepared) -> None:
        """Record each file and write its manifest; a song with no other unsaved change is saved after,
        so the export events are not declared void on the next open."""
        w = self.window
        project = w.session.project
        was_dirty = project.document.dirty
        try:
            publish(project, prepared)
            if not was_dirty:
                project.save()
        except (FileProblem, LedgerError) as e:
            w.show_error(f"export: {e}")
            return
        w.attribution.read_new()
        names = ", ".join(out.name for out, _ in prepared.written[:3])
        said = f"Exported {names} with provenance manifests"
        if prepared.warnings:
            said += " — " + "; ".join(prepared.warnings)
        w.statusBar().showMessage(said, 12_000)
