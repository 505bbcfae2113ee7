"""The studio window: menus, the transport, the track list, the editor and the docks around it.

The window is a view and a controller over one Session. It keeps no song
state: what it shows is read from `session.song`, and what the person does
becomes a command through `session.apply`. Opening another song builds a new
Session and gives every panel a fresh one, so no panel can hold a stale song.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDockWidget,
                               QFileDialog, QFormLayout, QLabel, QMainWindow, QMessageBox, QProgressDialog, QSlider,
                               QStackedWidget, QToolBar)

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import LedgerError, ledger_path
from cowrite.edit import AddTrack, ImportSong, Quantize
from cowrite.io.errors import FileProblem
from cowrite.io.project import Project
from cowrite.model import Key, MeterChange, MeterMap, Song, TempoChange, TempoMap
from cowrite.settings import author_name, load_settings, save_settings
from cowrite.theory.quantize import GRIDS
from cowrite.ui import recovery
from cowrite.ui.assistant_dock import AssistantDock
from cowrite.ui.attribution_dock import AttributionDock
from cowrite.ui.drum_grid import DrumGrid
from cowrite.ui.help_dialog import ShortcutsDialog, show_about
from cowrite.ui.midi_input import Recorder
from cowrite.ui.piano_roll import SHORTCUTS as ROLL_SHORTCUTS
from cowrite.ui.piano_roll import PianoRoll
from cowrite.ui.preferences import PreferencesDialog, apply_theme, load_prefs, remember, save_prefs
from cowrite.ui.samples_dock import SamplesDock
from cowrite.ui.session import Session
from cowrite.ui.theme import PALETTES
from cowrite.ui.track_list import TrackList
from cowrite.ui.transport_bar import TransportBar
from cowrite.ui.workers import run_in_thread, wait_for_all

SONG_FILTER = "Cowrite songs (*.cowrite)"
EXPORTS = {  # kind -> (menu text, file filter, suffix); "stems" asks for a folder
    "midi": ("MIDI…", "MIDI files (*.mid)", ".mid"),
    "musicxml": ("MusicXML…", "MusicXML (*.musicxml)", ".musicxml"),
    "wav": ("WAV (mix)…", "WAV audio (*.wav)", ".wav"),
    "stems": ("Stems (one WAV a track)…", "", ""),
}
ERROR_SHOWN_MS = 20_000
LEFT_WIDTH, RIGHT_WIDTH = 340, 420  # the docks' starting widths: room for a track's controls, a card's text


def snapshot(song: Song) -> Song:
    """A copy an export worker can read while the person goes on editing.

    Notes, origins, chords and maps are immutable and shared; only the
    containers an edit changes in place (tracks, note dicts, suggestions) are new.
    """
    tracks = [dataclasses.replace(t, notes=dict(t.notes)) for t in song.tracks]
    return dataclasses.replace(song, tracks=tracks, chords=list(song.chords), suggestions=dict(song.suggestions))


def export_files(kind: str, out: Path, song: Song, song_path: Path, record) -> dict:
    """Worker: write the export and everything its manifest needs, reading only `song` (a snapshot) and files.

    The CLI's own steps (song_commands), so a file exported from the window
    is the same as one from `cowrite export`.
    """
    from cowrite.attribution.credits import credits
    from cowrite.cli import song_commands

    options = SimpleNamespace(midi=None, musicxml=None, wav=None, stems=None, sign_key=None, sign_cert=None)
    setattr(options, kind, str(out))
    signing = song_commands._signing_files(options)
    written = song_commands._write_export(options, song, song_path, record)
    actors = ledger_actors(ledger_path(song_path), record.bytes)
    report = credits(song, actors)
    signatures, note = song_commands._sign(written, signing, report, record.head)
    return {"written": written, "report": report, "cards": song_commands._cards(), "signatures": signatures,
            "note": note}


def ledger_actors(path: Path, size: int) -> list[str]:
    """Everyone who acted on the song, from the ledger's first `size` bytes (whole lines, never a half-written one)."""
    import orjson

    with open(path, "rb") as f:
        data = f.read(size)
    return list(dict.fromkeys(orjson.loads(line)["actor"]["id"] for line in data.splitlines() if line))


class SuggestionKeys(QObject):
    """While a suggestion is pending, Enter and Esc on an editor go to the window's accept and reject.

    The piano roll claims Esc (clear the selection) for itself; deciding on a
    suggestion comes first while one is on screen.
    """

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        return (event.type() == QEvent.Type.ShortcutOverride and event.key() in self.KEYS
                and self.session.suggestion is not None)


class QuantizeDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Quantize")
        self.grid = QComboBox()
        self.grid.addItems(list(GRIDS))
        self.grid.setCurrentText("1/16")
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(0, 100)
        self.strength.setValue(100)
        self.swing = QSlider(Qt.Orientation.Horizontal)
        self.swing.setRange(0, 100)
        self.lengths = QCheckBox("Quantize lengths too")
        form = QFormLayout(self)
        form.addRow("Grid", self.grid)
        form.addRow("Strength", self.strength)
        form.addRow("Swing", self.swing)
        form.addRow("", self.lengths)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def command(self, note_ids: list[int]) -> Quantize:
        return Quantize(note_ids, grid=GRIDS[self.grid.currentText()], strength=self.strength.value() / 100,
                        swing=self.swing.value() / 100, lengths=self.lengths.isChecked())


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings=None, prefs=None):
        super().__init__()
        self.settings = settings or load_settings()
        self.prefs = prefs or load_prefs()
        self.session: Session | None = None
        self.exporting = None  # the export Task while one runs
        self._audio_said = False  # the reason there is no sound is said once, not on every song
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.resize(1440, 900)
        self._make_actions()
        self._make_menus()
        self._make_toolbars()
        self._make_status_bar()
        self.tracks_dock = self._dock("Tracks", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.assistants_dock = self._dock("Assistants", Qt.DockWidgetArea.RightDockWidgetArea)
        self.samples_dock = self._dock("Samples", Qt.DockWidgetArea.RightDockWidgetArea)
        self.attribution_dock = self._dock("Attribution", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.assistants_dock, self.samples_dock)
        self.assistants_dock.raise_()
        self.resizeDocks([self.tracks_dock, self.assistants_dock], [LEFT_WIDTH, RIGHT_WIDTH], Qt.Orientation.Horizontal)
        self.resizeDocks([self.tracks_dock, self.attribution_dock], [1, 1], Qt.Orientation.Vertical)
        self.view_menu.addSeparator()
        for dock in (self.tracks_dock, self.assistants_dock, self.samples_dock, self.attribution_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.install(session)

    # -- building --------------------------------------------------------------------------------

    def _action(self, text: str, slot, keys=None, tip: str = "", checkable: bool = False,
                window_wide: bool = True) -> QAction:
        """An action; its shortcut works anywhere in the window unless `window_wide` is False
        (then only in the editors, see `install`)."""
        action = QAction(text, self)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(QKeySequence.keyBindings(keys))
        elif keys:
            action.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        if window_wide:
            self.addAction(action)  # shortcuts work with the menu bar hidden too
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self._action
        self.new_action = a("&New…", self.new_song, K.New, "Start a new song")
        self.open_action = a("&Open…", self.open_dialog, K.Open, "Open a song")
        self.save_action = a("&Save", self.save, K.Save, "Save the song")
        self.save_as_action = a("Save &As…", self.save_as, K.SaveAs,
                                "Save the song (and its ledger) under a new name")
        self.import_action = a("&Import MIDI…", self.import_midi, "Ctrl+Shift+I", "Add a MIDI file's tracks")
        self.export_actions = {kind: a(text, lambda _=False, k=kind: self.export_dialog(k)) for kind, (text, _, _)
                               in EXPORTS.items()}
        self.preferences_action = a("&Preferences…", self.show_preferences, "Ctrl+,")
        self.quit_action = a("&Quit", self.close, K.Quit)
        self.undo_action = a("&Undo", lambda: self.session.undo(), K.Undo)
        self.redo_action = a("&Redo", lambda: self.session.redo(), ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.cut_action = a("Cu&t", lambda: self.piano.cut(), K.Cut, "Cut the selected notes")
        self.copy_action = a("&Copy", lambda: self.piano.copy(), K.Copy, "Copy the selected notes")
        self.paste_action = a("&Paste", lambda: self.piano.paste(), K.Paste, "Paste at the last click or the playhead")
        self.select_all_action = a("Select &All", lambda: self.piano.select_all(), K.SelectAll)
        self.quantize_action = a("&Quantize…", self.quantize_dialog, "Ctrl+Shift+Q",
                                 "Pull the selected notes (or the whole track) to a grid")
        self.play_action = a("Play / Stop", lambda: self.transport.toggle_play(), "Space")
        self.loop_action = a("Loop", lambda: self.transport.set_looping(not self.transport.loop_button.isChecked()),
                             "L", "Loop the selected notes' bars (or the first 4 bars)")
        self.record_action = a("Record from MIDI", self.toggle_recording, "Ctrl+R", checkable=True)
        self.generate_action = a("&Generate", lambda: self.assistant.generate(), "Ctrl+G",
                                 "Ask the chosen assistant for a suggestion")
        # Enter and Esc decide only in the editors: elsewhere they belong to the field being typed in
        self.accept_action = a("&Accept", lambda: self.assistant.accept(), ["Return", "Enter"], window_wide=False)
        self.accept_some_action = a("Accept &Selected Notes", lambda: self.assistant.accept_selected(),
                                    ["Shift+Return", "Shift+Enter"], window_wide=False)
        self.reject_action = a("&Reject", lambda: self.assistant.reject(), "Esc", window_wide=False)
        self.regenerate_action = a("Re&generate", lambda: self.assistant.regenerate(), "Ctrl+Shift+G",
                                   "Reject this suggestion and ask again with a new seed")
        self.colour_action = a("&Colour Notes by Origin", self.set_colour_by_origin, "Ctrl+B",
                               "Colour every note by who wrote it", checkable=True)
        self.credits_action = a("&Credits…", lambda: self.attribution.show_credits(), "Ctrl+Shift+C",
                                "Who wrote what, and the disclosure label")
        self.shortcuts_action = a("&Keyboard Shortcuts", self.show_shortcuts, K.HelpContents)
        self.about_action = a("&About Cowrite", lambda: show_about(self))
        self.theme_actions = QActionGroup(self)
        for name in PALETTES:
            action = QAction(name.capitalize(), self, checkable=True)
            action.setChecked(name == self.settings.theme)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_actions.addAction(action)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new_action, self.open_action])
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addActions([self.save_action, self.save_as_action])
        file.addSeparator()
        file.addAction(self.import_action)
        export = file.addMenu("&Export")
        export.addActions(list(self.export_actions.values()))
        file.addSeparator()
        file.addActions([self.preferences_action, self.quit_action])
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.cut_action, self.copy_action, self.paste_action, self.select_all_action])
        edit.addSeparator()
        edit.addAction(self.quantize_action)
        transport = bar.addMenu("&Transport")
        transport.addActions([self.play_action, self.loop_action, self.record_action])
        suggestion = bar.addMenu("&Suggestion")
        suggestion.addActions([self.generate_action, self.accept_action, self.accept_some_action, self.reject_action,
                               self.regenerate_action])
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.colour_action)
        themes = self.view_menu.addMenu("&Theme")
        themes.addActions(self.theme_actions.actions())
        self.view_menu.addAction(self.credits_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

    def _make_toolbars(self) -> None:
        main = QToolBar("File and edit")
        main.setObjectName("main toolbar")
        main.setMovable(False)
        main.addActions([self.open_action, self.save_action])
        main.addSeparator()
        main.addActions([self.undo_action, self.redo_action])
        self.addToolBar(main)
        self.transport_toolbar = QToolBar("Transport")
        self.transport_toolbar.setObjectName("transport toolbar")
        self.transport_toolbar.setMovable(False)
        self.addToolBar(self.transport_toolbar)
        view = QToolBar("Attribution")
        view.setObjectName("attribution toolbar")
        view.setMovable(False)
        view.addActions([self.colour_action, self.credits_action])
        self.addToolBar(view)

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.audio_label = QLabel()
        self.audio_label.setObjectName("dim")
        self.underruns_label = QLabel()
        self.underruns_label.setObjectName("dim")
        self.saved_label = QLabel()
        for label in (self.error_label, self.audio_label, self.underruns_label, self.saved_label):
            status.addPermanentWidget(label)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.timeout.connect(self.error_label.clear)
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(1000)
        self._meter_timer.timeout.connect(self._show_underruns)
        self._meter_timer.start()

    def _dock(self, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    # -- one session at a time -------------------------------------------------------------------

    def install(self, session: Session) -> None:
        """Show `session`'s song: every panel is built afresh over it."""
        if self.session is not None:
            self._tear_down()
        self.session = session
        if session.player is not None:
            session.player.load(session.song)
        self.transport = TransportBar(session)
        self.transport_toolbar.clear()
        self.transport_toolbar.addWidget(self.transport)
        self.piano = PianoRoll(session)
        self.drums = DrumGrid(session)
        self.keys_filter = SuggestionKeys(session, self)
        palette = PALETTES.get(self.settings.theme)
        for editor in (self.piano, self.drums):
            editor.installEventFilter(self.keys_filter)
            if palette is not None:
                editor.set_colours(palette)
        self.editors = QStackedWidget()
        self.editors.addWidget(self.piano)
        self.editors.addWidget(self.drums)
        self.editors.addActions([self.accept_action, self.accept_some_action, self.reject_action])
        self.setCentralWidget(self.editors)
        self.tracks = TrackList(session)
        self.tracks_dock.setWidget(self.tracks)
        self.assistant = AssistantDock(session)
        self.assistants_dock.setWidget(self.assistant)
        self.samples = SamplesDock(session)
        self.samples_dock.setWidget(self.samples)
        self.attribution = AttributionDock(session, self.colour_action)
        self.attribution_dock.setWidget(self.attribution)
        self.autosaver = recovery.Autosaver(session, self)
        self.recorder = Recorder(session)

        session.colour_by_origin = self.colour_action.isChecked()
        session.changed.connect(self._on_change)
        session.failed.connect(self.show_error)
        session.current_track_changed.connect(lambda _: self._show_editor())
        session.suggestion_changed.connect(self._show_suggestion_state)
        self.transport.playhead_moved.connect(self._move_playhead)
        self.transport.loop_button.toggled.connect(self._show_loop)
        self.assistant.suggestion_shown.connect(lambda _: self.editors.currentWidget().setFocus())
        self.assistant.audition_wanted.connect(lambda on: self.transport.play() if on else self.transport.stop())
        self._show_editor()
        self._show_song_state()
        self._show_suggestion_state()
        self._show_audio()

    def _tear_down(self) -> None:
        """Stop everything that belongs to the old song, then close it."""
        self.transport.shutdown()
        self.autosaver.stop()
        self.assistant.shutdown()
        self.samples.shutdown()
        if self.recorder.recording:
            self.recorder.stop()
        if self.session.player is not None:
            self.session.player.stop()
        self.session.project.close()
        for old in (self.transport, self.editors, self.tracks, self.assistant, self.samples, self.attribution,
                    self.keys_filter, self.autosaver):
            old.deleteLater()

    def _show_editor(self) -> None:
        """The drum grid for a drum track, the piano roll for anything else."""
        track = self.session.current_track
        editor = self.drums if track is not None and track.is_drums else self.piano
        if self.editors.currentWidget() is not editor:
            self.editors.setCurrentWidget(editor)

    def _on_change(self, change) -> None:
        if change.track_list:
            self._show_editor()  # the current track may have been removed
        self._show_song_state()

    def _show_song_state(self) -> None:
        doc, project = self.session.document, self.session.project
        self.undo_action.setEnabled(doc.can_undo)
        self.undo_action.setText(f"&Undo {doc.undo_label}".rstrip())
        self.redo_action.setEnabled(doc.can_redo)
        self.redo_action.setText(f"&Redo {doc.redo_label}".rstrip())
        self.setWindowTitle(f"{self.session.song.title} — {project.path.name}[*] — Cowrite")
        self.setWindowModified(doc.dirty)
        self.saved_label.setText("● Unsaved changes" if doc.dirty else "Saved")

    def _show_suggestion_state(self) -> None:
        pending = self.session.suggestion is not None
        for action in (self.accept_action, self.reject_action, self.regenerate_action):
            action.setEnabled(pending)
        self.accept_some_action.setEnabled(pending and bool(self.session.ghost_selection))

    def _show_audio(self) -> None:
        """Say once, in the status bar, why nothing will be heard; keep a short note beside it."""
        player = self.session.player
        output = player.output if player is not None else None
        if output is None or not output.available:
            reason = output.reason if output is not None else "no audio player"
            self.audio_label.setText("No audio")
            self.audio_label.setToolTip(reason)
            if not self._audio_said:
                self.statusBar().showMessage(reason, ERROR_SHOWN_MS)
                self._audio_said = True
        else:
            self.audio_label.setText(f"Audio: {output.name}, {player.sample_rate // 1000} kHz, {player.block} frames")
            self.audio_label.setToolTip("")

    def _show_underruns(self) -> None:
        player = self.session.player if self.session else None
        count = player.underruns if player is not None else 0
        self.underruns_label.setText(f"{count} dropouts" if count else "")
        self.underruns_label.setToolTip("Blocks the audio device asked for before they were ready")

    def show_error(self, message: str) -> None:
        self.error_label.setText(f"⚠ {message}")
        self.error_label.setToolTip(message)
        self._error_timer.start(ERROR_SHOWN_MS)

    def _move_playhead(self, tick: int) -> None:
        self.piano.playhead_tick = tick

    def _show_loop(self, on: bool) -> None:
        self.piano.loop_range = self.transport.loop_range() if on else None

    # -- view ------------------------------------------------------------------------------------

    def set_colour_by_origin(self, on: bool) -> None:
        self.session.colour_by_origin = on
        self.piano.update()
        self.drums.viewport().update()

    def set_theme(self, name: str) -> None:
        palette = apply_theme(QApplication.instance(), name)
        for editor in (self.piano, self.drums):
            editor.set_colours(palette)
        for action in self.theme_actions.actions():
            action.setChecked(action.text().lower() == name)
        self.settings.theme = name
        save_settings(self.settings)

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The window's keys (read from its actions, so the list cannot go stale) and the piano roll's."""
        actions = [*self.actions(), self.accept_action, self.accept_some_action, self.reject_action]
        window = [(", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()),
                   action.text().replace("&", "").rstrip("…"))
                  for action in actions if action.shortcuts()]
        return [("Window", window), ("Piano roll", ROLL_SHORTCUTS)]

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_sections(), self).exec()

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, self.prefs, self.samples.add_folder, self)
        if dialog.exec():
            self.apply_preferences(dialog.settings, dialog.prefs)

    def apply_preferences(self, settings, prefs) -> None:
        """Name and theme take effect now; audio settings when Cowrite next starts."""
        self.settings, self.prefs = settings, prefs
        self.session.document.author = Actor.person(author_name(settings.author or None))
        self.set_theme(settings.theme)

    # -- editing ---------------------------------------------------------------------------------

    def quantize_dialog(self) -> None:
        track = self.session.current_track
        if track is None or not track.notes:
            return
        dialog = QuantizeDialog(self)
        if dialog.exec():
            self.session.apply(dialog.command(sorted(self.session.selection or track.notes)))

    def toggle_recording(self, on: bool) -> None:
        """Record what a MIDI keyboard plays into the current track, from where the music is now."""
        from cowrite.ui.midi_input import list_ports

        if not on:
            added = self.recorder.stop()
            self.transport.stop()
            self.statusBar().showMessage(f"Recorded {added} notes", 5000)
            return
        ports, problem = list_ports()
        port = self.prefs.midi_port if self.prefs.midi_port in ports else (ports[0] if ports else "")
        if not port:
            self.record_action.blockSignals(True)  # not recording after all: no second call to stop
            self.record_action.setChecked(False)
            self.record_action.blockSignals(False)
            self.show_error(problem or "no MIDI keyboard found: connect one and choose it in Preferences")
            return
        self.recorder.start(self.piano.playhead_tick, GRIDS["1/16"] if self.prefs.quantize_recording else None, port)
        self.transport.play()

    # -- files -----------------------------------------------------------------------------------

    def _folder(self) -> str:
        return str(self.session.project.path.parent)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the person cancels."""
        if not self.session.document.dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {self.session.project.path.name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        return self.save() if answer == QMessageBox.StandardButton.Save else True

    def save(self) -> bool:
        try:
            self.session.project.save()
        except FileProblem as e:
            self.show_error(str(e))
            return False
        recovery.discard(self.session.project.path)
        self._show_song_state()
        self.statusBar().showMessage(f"Saved {self.session.project.path.name}", 4000)
        return True

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self, "Save song as", self._folder(), SONG_FILTER)
        return bool(name) and self.save_to(Path(name).with_suffix(".cowrite"))

    def save_to(self, path: Path) -> bool:
        """Save under a new name: the ledger is copied beside it (the song's history goes with it)."""
        from cowrite.attribution.ledger import Ledger

        project = self.session.project
        new_ledger = ledger_path(path)
        if path.exists() or new_ledger.exists():
            self.show_error(f"{path.name} or its ledger already exists; choose another name")
            return False
        try:
            new_ledger.write_bytes(project.ledger.path.read_bytes())
        except OSError as e:
            self.show_error(f"{new_ledger}: cannot write ({e.strerror})")
            return False
        old = project.path
        project.ledger.close()
        project.document.ledger = Ledger(new_ledger, project.ledger.record)
        project.path = path
        if not self.save():
            return False
        recovery.discard(old)
        self._remember(path)
        return True

    def new_song(self) -> bool:
        if not self.maybe_save():
            return False
        name, _ = QFileDialog.getSaveFileName(self, "New song", self._folder(), SONG_FILTER)
        return bool(name) and self.create_song(Path(name).with_suffix(".cowrite"))

    def create_song(self, path: Path) -> bool:
        """A new song with one instrument track, the person its first author."""
        song = Song(title=path.stem, tempo=TempoMap([TempoChange(0, 120.0)]), meter=MeterMap([MeterChange(0, 4, 4)]),
                    key=Key("C", "major"), length_bars=8)
        try:
            project = Project.create(path, song, self.session.document.author)
        except FileProblem as e:
            self.show_error(str(e))
            return False
        project.document.apply(AddTrack("Piano"))
        project.save()
        self.install(Session(project, self.session.player))
        self._remember(path)
        return True

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open song", self._folder(), SONG_FILTER)
        if name:
            self.open_song(Path(name))

    def open_song(self, path: Path) -> bool:
        """Open `path` (offering its autosave back if Cowrite did not get to save it) in place of this song."""
        path = Path(path)
        if path.resolve() == self.session.project.path.resolve():
            self.statusBar().showMessage(f"{path.name} is already open", 4000)
            return False
        if not self.maybe_save():
            return False
        try:
            project = recovery.open_song(path, self.session.document.author, self.offer_recovery)
        except (FileProblem, LedgerError) as e:
            QMessageBox.warning(self, "Cannot open the song", str(e))
            return False
        self.install(Session(project, self.session.player))
        self._remember(path)
        return True

    def offer_recovery(self, path: Path, found: recovery.Found) -> bool:
        return recovery.ask(path, found, self)

    def _remember(self, path: Path) -> None:
        remember(self.prefs, path)
        try:
            save_prefs(self.prefs)
        except FileProblem as e:
            self.show_error(str(e))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for name in self.prefs.recent:
            action = self.recent_menu.addAction(name)
            action.setEnabled(Path(name).exists())
            action.triggered.connect(lambda _=False, n=name: self.open_song(Path(n)))
        if not self.prefs.recent:
            self.recent_menu.addAction("No recent songs").setEnabled(False)

    def import_midi(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import MIDI", self._folder(), "MIDI files (*.mid *.midi)")
        if name:
            self.import_midi_file(Path(name))

    def import_midi_file(self, path: Path) -> bool:
        """Add the file's tracks to this song (taking its tempo, meter and key), as the person's notes."""
        from cowrite.io.midi_read import read_midi

        try:
            imported = read_midi(path)
        except FileProblem as e:
            self.show_error(str(e))
            return False
        if not self.session.apply(ImportSong(imported)):
            return False
        if imported.warnings:
            self.statusBar().showMessage(f"{path.name}: " + "; ".join(imported.warnings), ERROR_SHOWN_MS)
        return True

    def export_dialog(self, kind: str) -> None:
        stem = self.session.project.path.with_suffix("")
        if kind == "stems":
            name = QFileDialog.getExistingDirectory(self, "Export stems into", self._folder())
        else:
            _, file_filter, suffix = EXPORTS[kind]
            name, _ = QFileDialog.getSaveFileName(self, f"Export {kind.upper()}", str(stem) + suffix, file_filter)
        if name:
            self.export(kind, Path(name))

    def export(self, kind: str, out: Path):
        """Write the song as `kind` (midi, musicxml, wav, stems) to `out` on a worker, with a progress dialog.

        The files and their provenance manifests are the CLI's; the export event
        goes into the ledger here on the UI thread. A song with no other unsaved
        change is saved after it, so the event is not declared void on the next open.
        """
        if self.exporting is not None:
            self.show_error("an export is already running")
            return None
        project = self.session.project
        song, path, record = snapshot(self.session.song), project.path, project.ledger.record
        progress = QProgressDialog(f"Exporting {out.name}…", "", 0, 0, self)
        progress.setCancelButton(None)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()

        def done(result: dict) -> None:
            progress.close()
            self.exporting = None
            self._finish_export(result)

        def failed(message: str) -> None:
            progress.close()
            self.exporting = None
            self.show_error(f"export failed: {message}")

        self.exporting = run_in_thread("export", lambda: export_files(kind, out, song, path, record), done, failed)
        return self.exporting

    def _finish_export(self, result: dict) -> None:
        import orjson

        from cowrite.attribution.provenance import manifest, manifest_path, sha256_file
        from cowrite.io.atomic import write_atomically

        project = self.session.project
        was_dirty = project.document.dirty
        try:
            for out, kind in result["written"]:
                project.document.record({
                    "op": "export", "action": V.PUBLISHED, "prov": V.USED,
                    "subject": {"file": out.name, "format": kind, "sha256": sha256_file(out)},
                    "before": None, "after": None})
                data = manifest(out, kind, project.path, project.ledger.record, result["report"], result["cards"],
                                result["signatures"].get(out), result["note"])
                write_atomically(manifest_path(out), orjson.dumps(data, option=orjson.OPT_INDENT_2))
            if not was_dirty:
                project.save()
        except (FileProblem, LedgerError) as e:
            self.show_error(f"export: {e}")
            return
        self.attribution.read_new()
        names = ", ".join(out.name for out, _ in result["written"][:3])
        self.statusBar().showMessage(f"Exported {names} with provenance manifests", 8000)

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.exporting is not None:
            self.show_error("an export is still being written; close when it is done")
            event.ignore()
            return
        if not self.maybe_save():
            event.ignore()
            return
        wait_for_all()  # an assistant still thinking: its answer is dropped, its thread ends
        recovery.discard(self.session.project.path)
        self._tear_down()
        event.accept()
