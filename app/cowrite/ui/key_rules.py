"""Who gets Space, Enter and Esc: the rules a musician expects of a DAW.

- Space plays and stops, whatever has focus (a button, a track, the roll),
  except a text field, where it types a space.
- Enter and Esc accept and reject the pending suggestion, whenever one is
  pending and no text field has focus; otherwise they go where they would.

Widgets claim keys for themselves through Qt's ShortcutOverride (the piano
roll claims Esc to clear its selection, a list claims Enter, a button Space).
This filter answers that question first, for every widget of the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

PLAY_KEYS = (Qt.Key.Key_Space,)
DECIDE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
#: modifiers these rules still apply with: Shift+Enter accepts the picked ghost notes; the keypad's Enter
ANY_OF = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def is_text_field(widget) -> bool:
    """A widget a person types words or numbers into."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, (QLineEdit, QAbstractSpinBox))


class KeyRules(QObject):
    """An application-wide event filter for `window` (widgets of other windows, e.g. dialogs, are left alone)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.ShortcutOverride or event.modifiers() & ~ANY_OF:
            return False
        key = event.key()
        if key not in PLAY_KEYS and key not in DECIDE_KEYS:
            return False
        focus = QApplication.focusWidget()
        if focus is None or focus.window() is not self.window:
            return False
        if is_text_field(focus):
            event.accept()  # the field takes the key as typing
            return True
        if key in PLAY_KEYS:
            return True  # not accepted by anyone: the window's Space shortcut fires
        return self.window.session.suggestion is not None  # then the accept / reject shortcut fires
