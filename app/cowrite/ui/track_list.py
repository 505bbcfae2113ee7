"""The track list: one row a track, with its name, sound, level, pan, mute and solo.

Every control turns into a SetTrackProperty (or AddTrack, RemoveTrack,
MoveTrack) through the session, so a fader move is in the ledger with its
author like any note. Sliders report only when let go: one event a gesture,
not one a pixel. A name is renamed only after a double-click on it, so a key
pressed while a track is picked (Space to play) never lands in its name.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QScrollArea,
                               QSizePolicy, QSlider, QToolButton, QVBoxLayout, QWidget)

from cowrite.audio.sampler import KITS, PITCHED
from cowrite.audio.synth import PRESET_NAMES
from cowrite.edit import AddTrack, MoveTrack, RemoveTrack, RenameTrack, SetTrackProperty
from cowrite.model import Track, TrackKind

INSTRUMENT_PRESETS = (*PRESET_NAMES, *PITCHED)
PRESET_WIDTH, PAN_WIDTH = 96, 56


def _unique_name(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base} {n}"
    return name


class TrackName(QLineEdit):
    """A track's name: shown like a label, edited only after a double-click; Enter keeps, Esc cancels.

    While not editing it is read-only and takes no keyboard focus, so typing
    (or Space, the window's play key) never reaches it.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trackName")
        self.setFrame(False)
        self.setToolTip("Track name: double-click to rename, Enter to keep, Esc to cancel")
        self.editingFinished.connect(self._stop_editing)
        self._stop_editing()

    @property
    def editing(self) -> bool:
        return not self.isReadOnly()

    def start_editing(self) -> None:
        """Open the name for renaming, all of it selected, so typing replaces it."""
        self._before = self.text()
        self.setReadOnly(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.selectAll()

    def _stop_editing(self) -> None:
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.deselect()
        self.clearFocus()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.editing:
            super().mouseDoubleClickEvent(event)  # selects a word, as in any text field
        else:
            self.start_editing()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.editing and event.key() == Qt.Key.Key_Escape:
            self.setText(self._before)
            self._stop_editing()
        else:
            super().keyPressEvent(event)


class TrackRow(QFrame):
    """One track's controls; `refresh` shows the track's current values without sending any."""

    def __init__(self, session, track: Track, parent=None):
        super().__init__(parent)
        self.session, self.track_id = session, track.id
        self.setObjectName("trackRow")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.name = TrackName()
        self.name.editingFinished.connect(self._rename)
        self.kind = QLabel()
        self.kind.setObjectName("dim")
        self.mute = self._flag("M", "Mute", "mute")
        self.solo = self._flag("S", "Solo", "solo")

        self.preset = QComboBox()
        self.preset.setToolTip("Instrument preset (drum tracks: the kit)")
        self.preset.setFixedWidth(PRESET_WIDTH)  # fixed widths keep every row's controls in one column
        self.preset.activated.connect(self._on_preset)
        self.volume = self._slider(0, "Volume", "volume")
        self.pan = self._slider(-100, "Pan (left - right)", "pan")
        self.pan.setFixedWidth(PAN_WIDTH)

        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.name, 1)
        top.addWidget(self.kind)
        top.addSpacing(4)
        top.addWidget(self.mute)
        top.addWidget(self.solo)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(self.preset)
        bottom.addWidget(self.volume, 1)
        bottom.addWidget(self.pan)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(8, 6, 8, 6)
        rows.setSpacing(4)
        rows.addLayout(top)
        rows.addLayout(bottom)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)  # clicking any control also picks the track
        self.refresh(track)

    def _flag(self, text: str, tip: str, prop: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(prop)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.clicked.connect(lambda on: self._set(prop, bool(on)))
        return button

    def _slider(self, low: int, tip: str, prop: str) -> QSlider:
        """A slider in percent (from `low` to 100) for a 0..1 or -1..1 track property."""
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(low, 100)
        slider.setToolTip(tip)
        slider.setTracking(False)  # valueChanged once, when let go
        slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        slider.valueChanged.connect(lambda value: self._set(prop, value / 100))
        return slider

    @property
    def track(self) -> Track | None:
        return self.session.song.find_track(self.track_id)

    def refresh(self, track: Track) -> None:
        for widget in (self.name, self.preset, self.volume, self.pan, self.mute, self.solo):
            widget.blockSignals(True)
        if not self.name.editing:
            self.name.setText(track.name)
        presets = KITS if track.is_drums else INSTRUMENT_PRESETS
        self.preset.clear()
        self.preset.addItems(presets if track.preset in presets else (*presets, track.preset))
        self.preset.setCurrentText(track.preset)
        self.volume.setValue(round(track.volume * 100))
        self.volume.setToolTip(f"Volume {track.volume * 100:.0f}%")
        self.pan.setValue(round(track.pan * 100))
        self.pan.setToolTip(f"Pan {track.pan * 100:+.0f}")
        self.mute.setChecked(track.mute)
        self.solo.setChecked(track.solo)
        self.kind.setText(f"{'drums' if track.is_drums else 'instrument'} · {len(track.notes)}")
        self.kind.setToolTip(f"{len(track.notes)} notes")
        for widget in (self.name, self.preset, self.volume, self.pan, self.mute, self.solo):
            widget.blockSignals(False)

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    def _set(self, prop: str, value) -> None:
        track = self.track
        if track is not None and getattr(track, prop) != value:
            if not self.session.apply(SetTrackProperty(track.id, prop, value)):
                self.refresh(track)  # refused: show what the song really holds

    def _rename(self) -> None:
        track = self.track
        name = self.name.text().strip()
        if track is not None and name != track.name:
            if not self.session.apply(RenameTrack(track.id, name)):
                self.name.setText(track.name)

    def _on_preset(self, index: int) -> None:
        self._set("preset", self.preset.itemText(index))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.FocusIn):
            self.session.set_current_track(self.track_id)
        return False

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.session.set_current_track(self.track_id)
        super().mousePressEvent(event)


class TrackList(QWidget):
    """All tracks, top to bottom in song order, with add, remove and reorder."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.rows: list[TrackRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 4)
        bar.setSpacing(2)
        self.add_instrument = self._tool("+ Instrument", "Add an instrument track",
                                         lambda: self.add_track(TrackKind.INSTRUMENT))
        self.add_drums = self._tool("+ Drums", "Add a drum track", lambda: self.add_track(TrackKind.DRUMS))
        self.up = self._tool("▲", "Move the track up", lambda: self.move_current(-1))
        self.down = self._tool("▼", "Move the track down", lambda: self.move_current(1))
        self.remove = self._tool("✕", "Remove the track (undo brings it back)", self.remove_current)
        for button in (self.add_instrument, self.add_drums):
            bar.addWidget(button)
        bar.addStretch(1)
        for button in (self.up, self.down, self.remove):
            bar.addWidget(button)
        layout.addLayout(bar)

        self._rows_box = QWidget()
        self._rows_layout = QVBoxLayout(self._rows_box)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(1)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._rows_box)
        layout.addWidget(scroll, 1)

        session.changed.connect(self._on_change)
        session.current_track_changed.connect(self._show_current)
        self.rebuild()

    def _tool(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def rebuild(self) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = [TrackRow(self.session, track) for track in self.session.song.tracks]
        for i, row in enumerate(self.rows):
            self._rows_layout.insertWidget(i, row)
        self._show_current()

    def row(self, track_id: str) -> TrackRow | None:
        return next((r for r in self.rows if r.track_id == track_id), None)

    def _on_change(self, change) -> None:
        if change.track_list:
            self.rebuild()
            return
        for track_id in change.track_settings | change.note_tracks:
            row, track = self.row(track_id), self.session.song.find_track(track_id)
            if row is not None and track is not None:
                row.refresh(track)

    def _show_current(self, *_) -> None:
        current = self.session.current_track_id
        for row in self.rows:
            row.set_current(row.track_id == current)
        index = self._current_index()
        self.up.setEnabled(index > 0)
        self.down.setEnabled(0 <= index < len(self.rows) - 1)
        self.remove.setEnabled(index >= 0)

    def _current_index(self) -> int:
        ids = [t.id for t in self.session.song.tracks]
        return ids.index(self.session.current_track_id) if self.session.current_track_id in ids else -1

    # -- actions ------------------------------------------------------------------------------

    def add_track(self, kind: TrackKind) -> None:
        song = self.session.song
        base = "Drums" if kind is TrackKind.DRUMS else "Instrument"
        name = _unique_name(base, {t.name.casefold() for t in song.tracks})
        if self.session.apply(AddTrack(name, kind=kind)):
            self.session.set_current_track(song.tracks[-1].id)

    def remove_current(self) -> None:
        track = self.session.current_track
        if track is not None:
            self.session.apply(RemoveTrack(track.id))

    def move_current(self, step: int) -> None:
        index = self._current_index()
        if index >= 0:
            self.session.apply(MoveTrack(self.session.current_track_id, index + step))
