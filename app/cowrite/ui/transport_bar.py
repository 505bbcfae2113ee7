"""The transport: play and stop, loop, tempo, meter, metronome, and where the music is now.

Tempo and meter are song values, so they change through the door (SetTempo,
SetMeter) and land in the ledger like any edit. Play, loop and metronome are
the player's business and never touch the song.

The bar keeps one width whatever it shows (a monospace position, fixed-width
fields), so the buttons never move under the pointer. Without a sound card
the player still keeps time on a silent output; a badge says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QStyle,
                               QToolButton, QWidget)

from cowrite.edit import SetMeter, SetTempo
from cowrite.model import PPQ, Song

FRAME_MS = 33  # the playhead follows about 30 times a second
LOOP_BARS = 4  # loop this many bars from the start when nothing is selected
DENOMINATORS = (1, 2, 4, 8, 16, 32, 64)
#: the widest position the bar must hold (bar 9999, beat 64 of a 64/x bar, the fourth sixteenth)
WIDEST_POSITION = "9999.64.4"
SILENT_TEXT = "Silent: no audio device"  # short: the toolbar row must fit a 1024 px screen


def bar_beat(song: Song, tick: int) -> str:
    """`tick` as a musician counts it: bar.beat.sixteenth, from 1."""
    meter = song.meter
    bar = meter.bar_at(tick)
    into = tick - meter.bar_start(bar)
    beat_ticks = PPQ * 4 // meter.at(tick).denominator
    beat, rest = divmod(into, beat_ticks)
    return f"{bar + 1:>3}.{beat + 1}.{rest * 4 // beat_ticks + 1}"


class TransportBar(QWidget):
    playhead_moved = Signal(int)  # tick, while playing
    started = Signal()  # play was pressed (the roll starts following the playhead again)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._tick = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        style = self.style()
        self.play_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), "Play (Space)")
        self.play_button.setCheckable(True)
        self.play_button.clicked.connect(self._on_play_clicked)
        self.stop_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop),
                                        "Stop; press again to go back to the start")
        self.stop_button.clicked.connect(self.stop)
        self.loop_button = self._toggle("Loop", "Loop the selected notes' bars (or the first 4 bars)")
        self.loop_button.toggled.connect(self.set_looping)
        self.click_button = self._toggle("Click", "Metronome: a click on every beat (never saved)")
        self.click_button.toggled.connect(self._on_metronome)

        self.position = self._position_display()
        self.tempo = QDoubleSpinBox()
        self.tempo.setRange(1.0, 999.0)  # as check_bpm allows
        self.tempo.setDecimals(1)
        self.tempo.setSuffix(" BPM")
        self.tempo.setKeyboardTracking(False)
        self.tempo.setToolTip("Tempo of the song (from its start)")
        self.tempo.valueChanged.connect(self._on_tempo)
        self.numerator = QSpinBox()
        self.numerator.setRange(1, 64)
        self.numerator.setKeyboardTracking(False)
        self.numerator.setToolTip("Beats in a bar")
        self.denominator = QComboBox()
        self.denominator.addItems([str(d) for d in DENOMINATORS])
        self.denominator.setToolTip("Note value of a beat")
        self.numerator.valueChanged.connect(self._on_meter)
        self.denominator.currentIndexChanged.connect(self._on_meter)
        for field in (self.tempo, self.numerator, self.denominator):
            field.setFixedWidth(field.sizeHint().width())  # sized for the range's widest value, not the current one
        self.silent_badge = self._silent_badge()

        for widget in (self.play_button, self.stop_button, self.loop_button, self.click_button):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self.position)
        layout.addSpacing(8)
        layout.addWidget(self.tempo)
        layout.addWidget(self.numerator)
        layout.addWidget(QLabel("/"))
        layout.addWidget(self.denominator)
        layout.addSpacing(8)
        layout.addWidget(self.silent_badge)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.follow)
        session.changed.connect(self._on_change)
        self._show_song_values()
        self._show_position()
        if session.player is None:
            for widget in (self.play_button, self.stop_button, self.loop_button, self.click_button):
                widget.setEnabled(False)

    @staticmethod
    def _position_display() -> QLabel:
        """bar.beat.sixteenth in a monospace font, as wide as the widest position, so digits never shift it."""
        position = QLabel()
        position.setObjectName("position")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        position.setFont(font)
        position.setToolTip("Position: bar.beat.sixteenth")
        position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        position.setFixedWidth(position.fontMetrics().horizontalAdvance(WIDEST_POSITION) + 24)  # + the padding
        return position

    def _silent_badge(self) -> QLabel:
        """Shown only when the player's output is not a sound card: playing keeps time but makes no sound."""
        badge = QLabel(SILENT_TEXT)
        badge.setObjectName("error")
        badge.setStyleSheet("QLabel { border: 1px solid palette(mid); border-radius: 4px; padding: 1px 6px; }")
        output = self.player.output if self.player is not None else None
        badge.setVisible(output is not None and not output.available)
        badge.setToolTip(output.reason if output is not None else "")
        return badge

    @staticmethod
    def _button(icon, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    @staticmethod
    def _toggle(text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setAutoRaise(True)
        return button

    # -- playing ---------------------------------------------------------------------------

    @property
    def player(self):
        return self.session.player

    @property
    def playing(self) -> bool:
        return bool(self.player and self.player.playing)

    def toggle_play(self) -> None:
        if self.playing:
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        if self.player is None:
            return
        self.player.play()
        self.play_button.setChecked(True)
        self._timer.start()
        self.started.emit()

    def stop(self) -> None:
        """Pause where the music is; a second stop goes back to the start."""
        if self.player is None:
            return
        if not self.playing:
            self.player.seek(0)
            self._tick = 0
            self.playhead_moved.emit(0)
            self._show_position()
        self.player.stop()
        self.play_button.setChecked(False)
        self._timer.stop()

    def _on_play_clicked(self, checked: bool) -> None:
        if checked:
            self.play()
        else:
            self.stop()

    def follow(self) -> None:
        """Move the playhead to what is being heard now (the timer's slot)."""
        if not self.playing:
            self._timer.stop()
            self.play_button.setChecked(False)
            return
        tick = self.player.position
        if tick != self._tick:
            self._tick = tick
            self.playhead_moved.emit(tick)
            self._show_position()
        if not self.loop_button.isChecked() and self.player.finished:  # the last release has rung out
            self.player.stop()

    def _show_position(self) -> None:
        self.position.setText(bar_beat(self.session.song, self._tick))

    # -- loop and metronome ------------------------------------------------------------------

    def loop_range(self) -> tuple[int, int]:
        """Ticks [start, end) of the bars holding the selected notes, else of the first four bars."""
        song, track = self.session.song, self.session.current_track
        notes = [track.notes[i] for i in self.session.selection if track and i in track.notes]
        if notes:
            first = song.meter.bar_at(min(n.start for n in notes))
            last = song.meter.bar_at(max(n.end for n in notes) - 1)
        else:
            first, last = 0, min(LOOP_BARS, song.length_bars) - 1
        return song.meter.bar_start(first), song.meter.bar_start(last + 1)

    def set_looping(self, on: bool) -> None:
        if self.player is None:
            return
        self.loop_button.setChecked(on)
        if on:
            self.player.set_loop(*self.loop_range())
        else:
            self.player.set_loop(None)

    def _on_metronome(self, on: bool) -> None:
        if self.player is not None:
            self.player.set_metronome(on)

    # -- tempo and meter, through the door -------------------------------------------------------

    def _on_tempo(self, bpm: float) -> None:
        if abs(self.session.song.tempo.changes[0].bpm - bpm) > 1e-6:
            self.session.apply(SetTempo(bpm))
            self._show_song_values()  # a refused tempo snaps back

    def _on_meter(self, *_) -> None:
        first = self.session.song.meter.changes[0]
        numerator, denominator = self.numerator.value(), int(self.denominator.currentText())
        if (numerator, denominator) != (first.numerator, first.denominator):
            self.session.apply(SetMeter(numerator, denominator))
            self._show_song_values()

    def _on_change(self, change) -> None:
        if change.song_fields & {"tempo", "meter"}:
            self._show_song_values()
            self._show_position()
            if self.loop_button.isChecked():
                self.set_looping(True)  # the loop's ticks move with the meter and its seconds with the tempo

    def _show_song_values(self) -> None:
        song = self.session.song
        meter = song.meter.changes[0]
        for widget in (self.tempo, self.numerator, self.denominator):
            widget.blockSignals(True)
        self.tempo.setValue(song.tempo.changes[0].bpm)
        self.numerator.setValue(meter.numerator)
        self.denominator.setCurrentText(str(meter.denominator))
        for widget in (self.tempo, self.numerator, self.denominator):
            widget.blockSignals(False)

    def shutdown(self) -> None:
        self._timer.stop()
