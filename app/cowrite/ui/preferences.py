"""Preferences: who you are, how the window looks, what plays and listens, where your samples live.

Name, colour and theme are the shared Settings (the command line reads the
name too). What only the window needs (audio device, buffer, MIDI system,
keyboard and monitoring, recent songs) lives beside them in studio.json, with the same rule: a bad
file falls back to defaults and never stops anyone from making music.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import orjson
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout,
                               QWidget)

from cowrite.midi.system import API_LABELS, AUTOMATIC, MidiUnavailable, chosen_api, compiled_apis, list_inputs
from cowrite.settings import Settings, config_dir, save_settings
from cowrite.ui.theme import DARK, PALETTES, Palette

BUFFER_SIZES = (128, 256, 512, 1024, 2048)
MAX_RECENT = 8


@dataclass
class StudioPrefs:
    audio_device: str = ""  # "": the system's default output
    buffer_size: int = 256  # frames a block: smaller answers sooner, larger survives a busy machine
    midi_api: str = AUTOMATIC  # "alsa", "jack", "coremidi", "winmm"; $COWRITE_MIDI_API overrides it
    midi_port: str = ""
    monitor_keyboard: bool = True  # hear the keyboard on the current track's instrument whenever it is open
    quantize_recording: bool = True  # pull recorded notes to 1/16
    recent: list = field(default_factory=list)  # song paths, newest first
    window_layout: dict = field(default_factory=dict)  # the docks' arrangement and window size (window_layout.py)


def prefs_path() -> Path:
    return config_dir() / "studio.json"


def load_prefs() -> StudioPrefs:
    try:
        data = orjson.loads(prefs_path().read_bytes())
    except (OSError, ValueError):
        return StudioPrefs()
    defaults = StudioPrefs()
    if not isinstance(data, dict):
        return defaults
    values = {f.name: data[f.name] for f in fields(StudioPrefs)
              if f.name in data and isinstance(data[f.name], type(getattr(defaults, f.name)))}
    prefs = StudioPrefs(**values)
    if prefs.buffer_size not in BUFFER_SIZES:
        prefs.buffer_size = defaults.buffer_size
    prefs.recent = [p for p in prefs.recent if isinstance(p, str)]
    return prefs


def save_prefs(prefs: StudioPrefs) -> None:
    from cowrite.io.atomic import write_atomically

    prefs_path().parent.mkdir(parents=True, exist_ok=True)
    write_atomically(prefs_path(), orjson.dumps(asdict(prefs), option=orjson.OPT_INDENT_2))


def remember(prefs: StudioPrefs, song: Path) -> None:
    """Put `song` first in the recent songs."""
    path = str(Path(song).resolve())
    prefs.recent = [path, *[p for p in prefs.recent if p != path]][:MAX_RECENT]


def output_devices() -> tuple[list[str], str]:
    """(output device names, "") or ([], why none can be listed)."""
    try:
        import sounddevice

        return [d["name"] for d in sounddevice.query_devices() if d["max_output_channels"] > 0], ""
    except (ImportError, OSError) as e:
        return [], f"no audio devices: PortAudio is not available ({str(e).splitlines()[0]})"
    except Exception as e:  # PortAudioError: the host has no audio system
        return [], f"no audio devices: {str(e).splitlines()[0]}"


class PreferencesDialog(QDialog):
    """Edits copies of the settings; `apply` stores them. The window applies theme and name at once."""

    def __init__(self, settings: Settings, prefs: StudioPrefs, add_sample_folder=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(480)
        self.settings, self.prefs = Settings(**asdict(settings)), StudioPrefs(**asdict(prefs))
        self._add_sample_folder = add_sample_folder
        form = QFormLayout()

        self.author = QLineEdit(settings.author)
        self.author.setPlaceholderText("your name in the credits (empty: your login name)")
        self.colour = QPushButton()
        self.colour.setToolTip("Your colour in the credits")
        self.colour.clicked.connect(self._pick_colour)
        self._show_colour(settings.author_color)
        self.theme = QComboBox()
        self.theme.addItems(list(PALETTES))
        self.theme.setCurrentText(settings.theme)
        form.addRow("Your name", self.author)
        form.addRow("Your colour", self.colour)
        form.addRow("Theme", self.theme)

        devices, problem = output_devices()
        self.device = QComboBox()
        self.device.addItem("System default", "")
        for name in devices:
            self.device.addItem(name, name)
        self.device.setCurrentIndex(max(0, self.device.findData(prefs.audio_device)))
        self.buffer = QComboBox()
        for size in BUFFER_SIZES:
            self.buffer.addItem(f"{size} frames ({size / 48:.1f} ms)", size)
        self.buffer.setCurrentIndex(max(0, self.buffer.findData(prefs.buffer_size)))
        form.addRow("Audio output", self.device)
        if problem:
            form.addRow("", self._note(problem))
        form.addRow("Buffer", self.buffer)
        form.addRow("", self._note("Audio changes apply when Cowrite next starts."))

        self.midi_system = self._midi_systems(prefs.midi_api)
        self.midi = PortComboBox(lambda: list_inputs(self.midi_system.currentData()))
        self.midi_problem = self._note("")
        self.midi.scanned.connect(self._show_midi_problem)
        self.midi_system.currentIndexChanged.connect(lambda _: self.midi.rescan())
        self.midi.rescan(prefs.midi_port)
        self.monitor = QCheckBox("Hear the keyboard as you play (the current track's instrument)")
        self.monitor.setChecked(prefs.monitor_keyboard)
        self.quantize = QCheckBox("Pull recorded notes to the 1/16 grid")
        self.quantize.setChecked(prefs.quantize_recording)
        form.addRow("MIDI system", self.midi_system)
        form.addRow("MIDI input", self.midi)
        form.addRow("", self.midi_problem)
        form.addRow("", self.monitor)
        form.addRow("", self.quantize)

        self.folders = QListWidget()
        self.folders.setMaximumHeight(90)
        self._list_folders()
        add = QPushButton("Add folder…")
        add.clicked.connect(self._add_folder)
        add.setEnabled(add_sample_folder is not None)
        folders = QWidget()
        box = QVBoxLayout(folders)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.folders)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add)
        box.addLayout(row)
        form.addRow("Sample folders", folders)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _midi_systems(self, preferred: str) -> QComboBox:
        """Automatic and each MIDI system python-rtmidi offers here; fixed (and saying so) when the environment picks."""
        systems = QComboBox()
        systems.addItem("Automatic", AUTOMATIC)
        for api in compiled_apis():
            systems.addItem(API_LABELS[api], api)
        systems.setCurrentIndex(max(0, systems.findData(preferred)))
        try:
            choice = chosen_api(preferred)
        except MidiUnavailable as e:
            systems.setToolTip(str(e))
            return systems
        if choice.source != "preference":
            systems.setCurrentIndex(max(0, systems.findData(choice.api)))
            systems.setEnabled(False)
            systems.setToolTip(f"chosen by ${choice.source} in Cowrite's environment")
        return systems

    def _show_midi_problem(self, problem: str) -> None:
        self.midi_problem.setText(problem)
        self.midi_problem.setVisible(bool(problem))

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("dim")
        label.setWordWrap(True)
        return label

    def _show_colour(self, colour: str) -> None:
        self.settings.author_color = colour
        self.colour.setText(colour)
        text = "black" if QColor(colour).lightness() > 140 else "white"
        self.colour.setStyleSheet(f"background: {colour}; color: {text}")

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self.settings.author_color), self, "Your colour")
        if colour.isValid():
            self._show_colour(colour.name())

    def _list_folders(self) -> None:
        from cowrite.io.errors import FileProblem
        from cowrite.library import open_library

        self.folders.clear()
        try:
            db = open_library()
        except FileProblem as e:
            self.folders.addItem(str(e))
            return
        try:
            for row in db.execute("SELECT path, builtin FROM folders ORDER BY builtin DESC, path"):
                self.folders.addItem(row["path"] + ("  (built-in)" if row["builtin"] else ""))
        finally:
            db.close()

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of samples")
        if folder:
            self._add_sample_folder(Path(folder))
            self.folders.addItem(folder + "  (indexing…)")

    def accept(self) -> None:
        self.settings.author = self.author.text().strip()
        self.settings.theme = self.theme.currentText()
        self.prefs.audio_device = self.device.currentData()
        self.prefs.buffer_size = self.buffer.currentData()
        if self.midi_system.isEnabled():  # not the environment's choice, which would stick otherwise
            self.prefs.midi_api = self.midi_system.currentData()
        self.prefs.midi_port = self.midi.currentData()
        self.prefs.monitor_keyboard = self.monitor.isChecked()
        self.prefs.quantize_recording = self.quantize.isChecked()
        save_settings(self.settings)
        save_prefs(self.prefs)
        super().accept()


class PortComboBox(QComboBox):
    """The MIDI keyboards, scanned afresh each time the list opens (one plugged in a moment ago is there).

    `scan()` gives (port names, problem); "None" is always first. The choice
    survives a rescan, even when its keyboard is away, so opening the list
    never loses it.
    """

    scanned = Signal(str)  # the problem of the last scan, "" when the ports could be listed

    def __init__(self, scan, parent=None):
        super().__init__(parent)
        self._scan = scan

    def rescan(self, keep: str | None = None) -> None:
        """List the ports again, keeping `keep` (default: the current choice) chosen."""
        keep = self.currentData() if keep is None else keep
        ports, problem = self._scan()
        self.clear()
        self.addItem("None", "")
        for name in ports if keep in ports or not keep else [*ports, keep]:
            self.addItem(name if name in ports else f"{name} (not connected)", name)
        self.setCurrentIndex(max(0, self.findData(keep)))
        self.scanned.emit(problem)

    def showPopup(self) -> None:  # noqa: N802 (Qt's name)
        self.rescan()
        super().showPopup()


def apply_theme(app, name: str) -> Palette:
    """Give the whole application the named palette (Fusion style: the same look on every OS)."""
    colours = PALETTES.get(name, DARK)
    dark = colours is DARK
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, colour in ((role.Window, colours.panel), (role.Base, colours.background),
                      (role.AlternateBase, colours.panel), (role.Button, colours.panel),
                      (role.WindowText, colours.text), (role.Text, colours.text), (role.ButtonText, colours.text),
                      (role.ToolTipBase, colours.panel), (role.ToolTipText, colours.text),
                      (role.PlaceholderText, colours.text_dim), (role.Highlight, colours.note),
                      (role.HighlightedText, QColor("#ffffff")), (role.Link, colours.note),
                      (role.Mid, colours.grid_beat), (role.Dark, colours.grid_bar), (role.Light, colours.grid_step)):
        p.setColor(r, colour)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, colours.text_dim)
    app.setStyle("Fusion")
    app.setPalette(p)
    app.setStyleSheet(STYLE.format(
        text=colours.text.name(), dim=colours.text_dim.name(), panel=colours.panel.name(),
        base=colours.background.name(), line=colours.grid_bar.name(), accent=colours.note.name(),
        current=colours.note.darker(260).name() if dark else "#dbe9f7",
        mute="#e0a030", solo="#3fb27f", error=colours.playhead.name()))
    return colours


#: the few rules a palette cannot say: headings, dim notes, the current track, toggles that must read at a glance
STYLE = """
QLabel#heading {{ font-weight: 600; }}
QLabel#dim {{ color: {dim}; }}
QLabel#error {{ color: {error}; }}
QLabel#position {{ background: {base}; border: 1px solid {line}; border-radius: 4px; padding: 2px 8px; }}
QLabel#disclosure {{ background: {accent}; color: white; border-radius: 10px; padding: 4px 12px;
                     font-weight: 600; }}
QFrame#trackRow {{ background: {panel}; border-bottom: 1px solid {line}; border-left: 3px solid transparent; }}
QFrame#trackRow[current="true"] {{ background: {current}; border-left: 3px solid {accent}; }}
QLineEdit#trackName {{ background: transparent; font-weight: 600; }}
QToolButton#mute, QToolButton#solo {{ min-width: 20px; max-width: 20px; border: 1px solid {line};
                                      border-radius: 3px; font-weight: 600; }}
QToolButton#mute:checked {{ background: {mute}; color: black; }}
QToolButton#solo:checked {{ background: {solo}; color: black; }}
QPushButton#primary {{ background: {accent}; color: white; font-weight: 600; padding: 4px 16px;
                       border-radius: 4px; border: none; }}
QPushButton#primary:disabled {{ background: {line}; color: {dim}; }}
QDockWidget::title {{ padding: 4px 8px; font-weight: 600; }}
"""
