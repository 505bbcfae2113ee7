"""Help: every keyboard shortcut in one place, and what Cowrite is."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from cowrite import __version__

Shortcuts = list[tuple[str, str]]  # (keys, what they do)


def shortcuts_html(sections: list[tuple[str, Shortcuts]]) -> str:
    parts = []
    for title, shortcuts in sections:
        rows = "".join(f"<tr><td style='padding-right:18px'><b>{html.escape(keys)}</b></td>"
                       f"<td>{html.escape(what)}</td></tr>" for keys, what in shortcuts)
        parts.append(f"<h3>{html.escape(title)}</h3><table cellspacing='0' cellpadding='3'>{rows}</table>")
    return "".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, sections: list[tuple[str, Shortcuts]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 620)
        self.text = QLabel(shortcuts_html(sections))
        self.text.setWordWrap(True)
        body = QWidget()
        QVBoxLayout(body).addWidget(self.text)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)


def show_about(parent) -> None:
    QMessageBox.about(
        parent, "About Cowrite",
        f"<h3>Cowrite {__version__}</h3>"
        "<p>A studio for writing music together with AI assistants.</p>"
        "<p><b>Every note remembers who wrote it.</b> Each change, by a person or an assistant, is appended "
        "to a tamper-evident ledger beside the song, from which Cowrite prints credits and a disclosure "
        "label and stamps provenance into every export.</p>"
        "<p>Assistant notes are orange when notes are coloured by origin (View menu); their cards say "
        "what each model learned from.</p>")
