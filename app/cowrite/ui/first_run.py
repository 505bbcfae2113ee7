"""First start: ask the person's name before they write a note, so their credits say who they are.

Every note a person writes is credited to the name they go by. Taking the
login instead credits "root" or "jdoe", and the person appears twice once
they set a real name. So the window asks once, prefilled with the account's
full name when it has one, and stores the answer in the shared settings
(the command line then uses it too).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from cowrite.io.errors import FileProblem
from cowrite.settings import Settings, chosen_name, full_name, save_settings

#: the name used when the person closes the question without answering: plainly not a person's real name
UNNAMED = "Guest"


class NameDialog(QDialog):
    """What's your name? OK is enabled once there is one."""

    def __init__(self, suggested: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Cowrite")
        intro = QLabel("<b>What name should your credits show?</b><br>"
                       "Every note you write is credited to you; notes an assistant writes are credited to it. "
                       "You can change this later in Preferences.")
        intro.setWordWrap(True)
        self.name = QLineEdit(suggested)
        self.name.setPlaceholderText("Your name, e.g. Ana Rivera")
        self.name.selectAll()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.name.textChanged.connect(self._allow_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._allow_ok()

    def _allow_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def answer(self) -> str:
        return self.name.text().strip()


def ask_name_if_new(settings: Settings, explicit: str | None = None, ask=None) -> str:
    """The person's name: the one already given, or asked now (and saved) on first start.

    `ask(suggested) -> str` shows the question ("" if closed unanswered); tests pass their own.
    """
    name = chosen_name(explicit)
    if name:
        return name
    ask = ask or _ask_with_dialog
    name = ask(full_name()).strip() or UNNAMED
    settings.author = name
    try:
        save_settings(settings)
    except (OSError, FileProblem):
        pass  # a read-only config folder: asked again next time, nothing else lost
    return name


def _ask_with_dialog(suggested: str) -> str:
    dialog = NameDialog(suggested)
    return dialog.answer() if dialog.exec() else ""
