"""Type a chord into the chord lane: a small popup at a tick, completing the symbols Cowrite knows.

Enter sets the typed chord from the tick to the next chord change or bar line
(see cowrite.edit.chord_commands); Enter on an empty field clears the chord
there; Esc closes without a change. A symbol Cowrite cannot read is named in
the popup, which stays open for a correction, and nothing changes. The change
goes through the session (the one door), as the person.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QCompleter, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from cowrite.edit import EditError, clear_chord_command, set_chord_command
from cowrite.edit.chord_commands import chord_at
from cowrite.theory.chords import common_chord_symbols


class ChordEntry(QFrame):
    """A one-line chord editor for the chord lane at `tick`."""

    finished = Signal(bool)  # closed: True when the chord lane was changed

    def __init__(self, session, tick: int, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session, self.tick = session, tick
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Chord, e.g. Am7 (empty: clear)")
        self.edit.setToolTip("Enter sets the chord to the next chord or bar line; an empty field clears it; "
                             "Esc cancels")
        current = chord_at(session.song, tick)
        if current is not None:
            self.edit.setText(current.symbol)
            self.edit.selectAll()
        completer = QCompleter(common_chord_symbols(), self.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)  # "AM" and "Am" are different chords
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self.commit)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("x" * 28))
        self._changed = False

    def commit(self) -> bool:
        """Set (or, when empty, clear) the chord; False with a message when the symbol is not a chord."""
        text, song = self.edit.text().strip(), self.session.song
        try:
            command = set_chord_command(song, self.tick, text) if text else clear_chord_command(song, self.tick)
        except EditError as e:
            self.message.setText(str(e))
            self.message.show()
            self.adjustSize()
            return False
        if command is not None:
            if not self.session.apply(command):  # the session has said why, in the status bar
                return False
            self._changed = True
        self.close()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.finished.emit(self._changed)
        super().closeEvent(event)


def open_chord_entry(session, parent_widget: QWidget, tick: int, pos: QPoint | None = None) -> ChordEntry:
    """Open a ChordEntry for `tick` at `pos` (in `parent_widget`'s coordinates; None: at the mouse), focused.

    What the window connects to PianoRoll.chord_lane_activated (the tick snapped to a beat).
    """
    entry = ChordEntry(session, tick, parent_widget)
    entry.move(parent_widget.mapToGlobal(pos) if pos is not None else QCursor.pos())
    entry.show()
    entry.edit.setFocus()
    return entry
