"""The studio window: the transport, the editor in the middle, and the docks around it.

The window is a view and a controller over one Session. It keeps no song
state: what it shows is read from `session.song`, and what the person does
becomes a command through `session.apply`. Opening another song builds a new
Session and gives every panel a fresh one, so no panel can hold a stale song;
the docks stay where the person put them.

Its parts live beside it: the actions, menus and toolbars (window_actions),
the song files (song_files), exports (export_runner), the key rules
(key_rules) and the layout (window_layout).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (QApplication, QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QSplitter,
                               QStackedWidget, QWidget)

from cowrite.attribution.actors import Actor
from cowrite.io.errors import FileProblem
from cowrite.settings import author_name, load_settings, save_settings
from cowrite.theory.quantize import GRIDS
from cowrite.ui import recovery, window_layout
from cowrite.ui.assistant_dock import AssistantDock
from cowrite.ui.attribution_dock import AttributionDock
from cowrite.ui.drum_view import DrumView
from cowrite.ui.export_runner import ExportRunner
from cowrite.ui.help_dialog import ShortcutsDialog, show_about
from cowrite.ui.key_rules import KeyRules
from cowrite.ui.midi_input import Recorder
from cowrite.ui.piano_roll import SHORTCUTS as ROLL_SHORTCUTS
from cowrite.ui.preferences import PreferencesDialog, apply_theme, load_prefs, save_prefs
from cowrite.ui.quantize_dialog import QuantizeDialog
from cowrite.ui.roll_view import RollView
from cowrite.ui.samples_dock import SamplesDock
from cowrite.ui.session import Session
from cowrite.ui.song_files import SongFiles
from cowrite.ui.song_overview import SongOverview
from cowrite.ui.theme import PALETTES
from cowrite.ui.track_list import TrackList
from cowrite.ui.transport_bar import TransportBar
from cowrite.ui.window_actions import WindowActions
from cowrite.ui.workers import wait_for_all

ERROR_SHOWN_MS = 20_000


def scrolling(panel: QWidget) -> QScrollArea:
    """`panel` in a scroll area, so its dock can be shorter than all its controls (they scroll, not squash)."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(panel)
    return area


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings=None, prefs=None):
        super().__init__()
        self.settings = settings or load_settings()
        self.prefs = prefs or load_prefs()
        self.session: Session | None = None
        self._audio_said = False  # the reason there is no sound is said once, not on every song
        self.files = SongFiles(self)
        self.exporter = ExportRunner(self)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        window_layout.fit_to_screen(self)
        self.act = WindowActions(self)
        self.act.show_theme(self.settings.theme)
        self.transport_toolbar = self.act.make_toolbars()
        self._make_status_bar()
        self.tracks_dock = self._dock("Tracks")
        self.assistants_dock = self._dock("Assistants")
        self.samples_dock = self._dock("Samples")
        self.attribution_dock = self._dock("Attribution")
        self._tabbed = [self.assistants_dock, self.samples_dock, self.attribution_dock]
        self.act.fill_menus(self.menuBar(), [d.toggleViewAction() for d in (self.tracks_dock, *self._tabbed)])
        window_layout.arrange(self, self.tracks_dock, self._tabbed)  # then the person's own arrangement, if saved
        window_layout.restore_state(self, self.prefs.window_layout)
        self.centre = self._make_centre()
        self.key_rules = KeyRules(self)
        QApplication.instance().installEventFilter(self.key_rules)
        self.install(session)

    # -- building --------------------------------------------------------------------------------

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
        self._meter_timer.timeout.connect(self.show_dropouts)
        self._meter_timer.start()

    def _make_centre(self) -> QSplitter:
        """The room in the middle, kept for the window's life: each song's overview and editors go into it,
        the overview above. (A new central widget per song made QMainWindow hand its width to the docks.)"""
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.setObjectName("centre")
        self.setCentralWidget(centre)
        return centre

    def _dock(self, title: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        return dock

    def reset_layout(self) -> None:
        window_layout.arrange(self, self.tracks_dock, self._tabbed)

    # -- one session at a time -------------------------------------------------------------------

    def install(self, session: Session) -> None:
        """Show `session`'s song: every panel is built afresh over it; the layout stays as it is."""
        layout = self.saveState(window_layout.LAYOUT_VERSION)
        centre = self.centre.saveState() if self.session is not None else window_layout.saved_centre(
            self.prefs.window_layout)
        if self.session is not None:
            self._tear_down()
        self.session = session
        if session.player is not None:
            session.player.load(session.song)
        self.transport = TransportBar(session)
        self.transport_toolbar.clear()
        self.transport_toolbar.addWidget(self.transport)
        self.roll_view = RollView(session)
        self.piano = self.roll_view.roll
        self.drum_view = DrumView(session)
        self.drums = self.drum_view.grid
        self.overview = SongOverview(session)
        palette = PALETTES.get(self.settings.theme)
        for view in (self.roll_view, self.drum_view, self.overview):
            if palette is not None:
                view.set_colours(palette)
        self.editors = QStackedWidget()
        self.editors.addWidget(self.roll_view)
        self.editors.addWidget(self.drum_view)
        self.centre.insertWidget(0, self.overview)
        self.centre.insertWidget(1, self.editors)
        self.centre.setStretchFactor(0, 0)  # the overview keeps its height (a lane a track), the editor grows
        self.centre.setStretchFactor(1, 1)
        if centre is not None:
            self.centre.restoreState(centre)
        self.tracks = TrackList(session)
        self.tracks_dock.setWidget(self.tracks)
        self.assistant = AssistantDock(session)
        self.assistants_dock.setWidget(scrolling(self.assistant))
        self.samples = SamplesDock(session)
        self.samples_dock.setWidget(self.samples)
        self.attribution = AttributionDock(session, self.act.colour)
        self.attribution_dock.setWidget(self.attribution)
        self.autosaver = recovery.Autosaver(session, self)
        self.recorder = Recorder(session, self.prefs)
        self.recorder.listen()  # a connected keyboard is heard at once; none is no error at start-up
        self.restoreState(layout, window_layout.LAYOUT_VERSION)

        session.colour_by_origin = self.act.colour.isChecked()
        session.changed.connect(self._on_change)
        session.failed.connect(self.show_error)
        session.current_track_changed.connect(lambda _: self._show_editor())
        session.suggestion_changed.connect(self._show_suggestion_state)
        self.transport.playhead_moved.connect(self._move_playhead)
        self.transport.started.connect(self.piano.resume_following)
        self.overview.jump_requested.connect(self._jump_to)
        self.piano.chord_lane_activated.connect(self._enter_chord)
        self.transport.loop_button.toggled.connect(self._show_loop)
        self.assistant.suggestion_shown.connect(lambda _: self.editors.currentWidget().setFocus())
        self.assistant.audition_wanted.connect(lambda on: self.transport.play() if on else self.transport.stop())
        self._show_editor()
        self.show_song_state()
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
        self.recorder.close()  # else the old song's keyboard stays open and every key sounds twice
        if self.session.player is not None:
            self.session.player.stop()
        self.session.project.close()
        for widget in (self.overview, self.editors):
            widget.hide()
            widget.setParent(None)
        for old in (self.transport, self.editors, self.overview, self.tracks, self.assistants_dock.widget(),
                    self.samples, self.attribution, self.autosaver):
            old.deleteLater()

    def _show_editor(self) -> None:
        """The drum grid for a drum track, the piano roll for anything else."""
        track = self.session.current_track
        editor = self.drum_view if track is not None and track.is_drums else self.roll_view
        if self.editors.currentWidget() is not editor:
            self.editors.setCurrentWidget(editor)

    def _on_change(self, change) -> None:
        if change.track_list:
            self._show_editor()  # the current track may have been removed
        self.show_song_state()

    def show_song_state(self) -> None:
        """Undo and redo (what they would undo in the tooltip: a label that changes width would make the
        toolbar jump), the title and the saved mark."""
        doc, project = self.session.document, self.session.project
        for action, can, verb, label in ((self.act.undo, doc.can_undo, "Undo", doc.undo_label),
                                         (self.act.redo, doc.can_redo, "Redo", doc.redo_label)):
            action.setEnabled(can)
            action.setToolTip(f"{verb} {label}".rstrip() if can else f"Nothing to {verb.lower()}")
        looking = " (read-only: open for writing elsewhere)" if project.read_only else ""
        self.setWindowTitle(f"{self.session.song.title} — {project.path.name}{looking}[*] — Cowrite")
        self.setWindowModified(doc.dirty)
        self.saved_label.setText("● Unsaved changes" if doc.dirty else "Saved")

    def _show_suggestion_state(self) -> None:
        pending = self.session.suggestion is not None
        for action in (self.act.accept, self.act.reject, self.act.regenerate):
            action.setEnabled(pending)
        self.act.accept_some.setEnabled(pending and bool(self.session.ghost_selection))

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
            self.audio_label.setText(f"Audio: {output.name}, {player.sample_rate / 1000:g} kHz, {player.block} frames")
            self.audio_label.setToolTip("")

    def show_dropouts(self) -> None:
        """Both kinds of dropout, honestly: blocks the device reported it had to play without (underflows)
        and blocks Cowrite had not rendered in time (underruns)."""
        player = self.session.player if self.session else None
        device = getattr(player.output, "underflows", 0) if player is not None else 0
        own = player.underruns if player is not None else 0
        self.underruns_label.setText(f"{device + own} dropouts" if device + own else "")
        self.underruns_label.setToolTip(f"{device} reported by the audio device (underflows), {own} by Cowrite "
                                        "(blocks not rendered in time); a larger buffer in Preferences helps")

    def show_error(self, message: str) -> None:
        self.error_label.setText(f"⚠ {message}")
        self.error_label.setToolTip(message)
        self._error_timer.start(ERROR_SHOWN_MS)

    def _move_playhead(self, tick: int) -> None:
        self.piano.playhead_tick = tick
        self.overview.playhead_tick = tick

    def _show_loop(self, on: bool) -> None:
        self.piano.loop_range = self.overview.loop_range = self.transport.loop_range() if on else None

    def _jump_to(self, tick: int) -> None:
        """The overview was clicked (its track is now current): show that bar at the editor's left edge."""
        meter = self.session.song.meter
        bar = meter.bar_start(meter.bar_at(tick))
        if self.editors.currentWidget() is self.drum_view:
            self.drums.horizontalScrollBar().setValue(round(bar * self.drums.tick_pixels))
        else:
            self.piano.scroll_to(tick=bar)

    def _enter_chord(self, tick: int) -> None:
        from cowrite.ui.chord_entry import open_chord_entry

        open_chord_entry(self.session, self.piano, tick, self.piano.mapFromGlobal(QCursor.pos()))

    def enter_chord_here(self) -> None:
        """The chord entry at the playhead's beat, under the chord lane where that beat is drawn."""
        from cowrite.ui.chord_entry import open_chord_entry

        from cowrite.ui.roll_geometry import beat_start
        from cowrite.ui.theme import CHORD_LANE_HEIGHT, RULER_HEIGHT

        if self.editors.currentWidget() is not self.roll_view:
            self.show_error("chords are typed in the piano roll: pick an instrument track")
            return
        tick = beat_start(self.session.song.meter, self.piano.playhead_tick)
        x = min(max(self.piano.view.x_of(tick), 0), self.piano.width() - 40)
        open_chord_entry(self.session, self.piano, tick, QPoint(round(x), RULER_HEIGHT + CHORD_LANE_HEIGHT))

    def _chord_span(self) -> tuple[int | None, int | None]:
        """The selected notes' span, or (None, None) for the whole song."""
        notes = self.piano.selected_notes()
        return (min(n.start for n in notes), max(n.end for n in notes)) if notes else (None, None)

    def detect_chords(self) -> None:
        from cowrite.edit import detect_chords_command

        self.session.apply(detect_chords_command(self.session.song, *self._chord_span()))

    def clear_chords(self) -> None:
        from cowrite.edit import clear_chords_command

        self.session.apply(clear_chords_command(self.session.song, *self._chord_span()))

    # -- view ------------------------------------------------------------------------------------

    def set_colour_by_origin(self, on: bool) -> None:
        self.session.colour_by_origin = on
        self.piano.update()
        self.drums.viewport().update()
        self.overview.update()

    def set_theme(self, name: str) -> None:
        palette = apply_theme(QApplication.instance(), name)
        for view in (self.roll_view, self.drum_view, self.overview):
            view.set_colours(palette)
        self.act.show_theme(name)
        self.settings.theme = name
        save_settings(self.settings)

    def shortcut_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The window's keys and the piano roll's."""
        return [("Window", self.act.shortcut_list()), ("Piano roll", ROLL_SHORTCUTS)]

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_sections(), self).exec()

    def show_about(self) -> None:
        show_about(self)

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, self.prefs, self.samples.add_folder, self)
        if dialog.exec():
            self.apply_preferences(dialog.settings, dialog.prefs)

    def apply_preferences(self, settings, prefs) -> None:
        """Name and theme take effect now; audio settings when Cowrite next starts."""
        self.settings, self.prefs = settings, prefs
        self.session.document.author = Actor.person(author_name(settings.author or None))
        self.set_theme(settings.theme)
        problem = self.recorder.use(prefs)
        if problem:
            self.show_error(problem)

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
        ports, problem = list_ports(self.prefs.midi_api)
        port = self.prefs.midi_port if self.prefs.midi_port in ports else (ports[0] if ports else "")
        grid = GRIDS["1/16"] if self.prefs.quantize_recording else None
        if not port or not self.recorder.start(self.piano.playhead_tick, grid, port):
            self.act.record.blockSignals(True)  # not recording after all: no second call to stop
            self.act.record.setChecked(False)
            self.act.record.blockSignals(False)
            if not port:
                self.show_error(problem or "no MIDI keyboard found: connect one and choose it in Preferences")
            return  # (a refused start has said why on session.failed)
        self.transport.play()

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.exporter.running is not None:
            self.show_error("an export is still being written; close when it is done")
            event.ignore()
            return
        if not self.files.maybe_save():
            event.ignore()
            return
        wait_for_all()  # an assistant still thinking: its answer is dropped, its thread ends
        self._keep_layout()
        recovery.discard(self.session.project.path)
        self._tear_down()
        QApplication.instance().removeEventFilter(self.key_rules)
        event.accept()

    def _keep_layout(self) -> None:
        self.prefs.window_layout = window_layout.saved_state(self)
        try:
            save_prefs(self.prefs)
        except FileProblem as e:  # a read-only config folder costs the layout, nothing else
            self.show_error(str(e))
