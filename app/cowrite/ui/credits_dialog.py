"""The credits: who wrote the song's notes, overall and per track, and the label a listener reads.

The numbers are `attribution.credits` (the same as `cowrite credits` and the
export manifests), computed from the song as it is now, saved or not. "Save
report…" keeps them as text, JSON or the one-page HTML report
(`attribution.credits_report`), the same files `cowrite credits --save` writes.
"""

from __future__ import annotations

import html

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.credits import credits, credits_text
from cowrite.attribution.credits_report import SAVE_FORMATS, credits_document
from cowrite.attribution.disclosure import plain_label
from cowrite.attribution.ledger import read_events
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.settings import load_settings
from cowrite.ui.theme import ORIGIN_COLOURS, PEOPLE_COLOURS

ROW_HEIGHT = 26
#: the save dialog's choices, the report first: it is what a teacher hands out
SAVE_FILTERS = [f"{SAVE_FORMATS[suffix]} (*{suffix})" for suffix in (".html", ".txt", ".json")]


def badge_text(term: str, badge: QColor) -> str:
    """The label in plain words, and its IPTC code beside it, smaller and dimmed against the badge's colour."""
    dim = QColor.fromRgbF(*(0.62 + 0.38 * c for c in badge.getRgbF()[:3]))  # white, 38% of the way to the badge
    return (f"{html.escape(plain_label(term))}&nbsp;&nbsp;<span style=\"font-weight: 400; font-size: small; "
            f"color: {dim.name()}\">IPTC: {html.escape(term)}</span>")


def actor_colours(actor_ids: list[str], chosen: dict[str, str]) -> dict[str, QColor]:
    """A person's chosen colour, else the people colours in order of appearance; assistants in shades
    of the AI orange."""
    colours, people, assistants = {}, 0, 0
    for actor_id in actor_ids:
        if actor_id in chosen:
            colours[actor_id] = QColor(chosen[actor_id])
        elif Actor.parse(actor_id).is_person:
            colours[actor_id] = QColor(PEOPLE_COLOURS[people % len(PEOPLE_COLOURS)])
            people += 1
        else:
            colours[actor_id] = ORIGIN_COLOURS[V.AI].darker(100 + 25 * (assistants % 4))
            assistants += 1
    return colours


class ShareBar(QWidget):
    """One horizontal bar split by share: who wrote how much of something."""

    def __init__(self, parts: list[tuple[float, QColor, str]], parent=None):
        super().__init__(parent)
        self.parts = parts
        self.setToolTip("\n".join(f"{label}: {share * 100:.0f}%" for share, _, label in parts))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(160, 14)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 3, -4, -3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid())
        painter.drawRoundedRect(rect, 3, 3)
        x = rect.left()
        for share, colour, _ in self.parts:
            width = rect.width() * share
            painter.fillRect(QRectF(x, rect.top(), width, rect.height()), colour)
            x += width
        painter.end()


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: list[str], numeric: set[int]) -> QTableWidget:
    """A read-only table; the `numeric` columns' headers sit right, over their numbers."""
    table = QTableWidget(0, len(headers))
    for column, text in enumerate(headers):
        item = QTableWidgetItem(text)
        item.setTextAlignment((Qt.AlignmentFlag.AlignRight if column in numeric else Qt.AlignmentFlag.AlignLeft)
                              | Qt.AlignmentFlag.AlignVCenter)
        table.setHorizontalHeaderItem(column, item)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(ROW_HEIGHT)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fit_height(table: QTableWidget) -> None:
    """Tall enough for every row: the dialog scrolls as a whole, never a table inside it."""
    table.ensurePolished()
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + ROW_HEIGHT * table.rowCount()
    table.setFixedHeight(height)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


class CreditsDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Credits")
        self.setMinimumWidth(640)
        self.session = session
        self.events = read_events(session.project.ledger.path)
        actors = list(dict.fromkeys(e["actor"]["id"] for e in self.events))
        self.report = credits(session.song, actors)
        report, label = self.report, self.report["disclosure"]
        colours = actor_colours([c["id"] for c in report["contributors"]],
                                {session.document.author.id: load_settings().author_color})

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        title = QLabel(f"<h2>{html.escape(report['song'])}</h2>"
                       f"<span>{report['notes']} notes · AI share {label['ai_share'] * 100:.0f}% of the notes</span>")
        layout.addWidget(title)

        badge = self.palette().color(QPalette.ColorRole.Highlight)  # the accent the style gives the badge
        self.label = QLabel(badge_text(label["digital_source_type"], badge))
        self.label.setObjectName("disclosure")
        self.label.setToolTip(label["uri"])
        self.sentence = QLabel(label["sentence"])
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.sentence)

        self.people = _table(["Who", "", "Notes", "Share", "Sounding time", "Edited AI notes"], {2, 3, 4, 5})
        for c in report["contributors"]:
            row = self.people.rowCount()
            self.people.insertRow(row)
            who = c["name"] if c["type"] == "person" else f"{c['name']}@{c['version']} (AI assistant)"
            self.people.setItem(row, 0, _item(who))
            self.people.setCellWidget(row, 1, ShareBar([(c["share"], colours[c["id"]], who)]))
            self.people.setItem(row, 2, _item(str(c["notes"]), True))
            self.people.setItem(row, 3, _item(f"{c['share'] * 100:.1f}%", True))
            self.people.setItem(row, 4, _item(f"{c['time_share'] * 100:.1f}%", True))
            self.people.setItem(row, 5, _item(str(c.get("edited_ai_notes", "")), True))
        self.people.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        _fit_height(self.people)
        layout.addWidget(QLabel("<b>Contributors</b>"))
        layout.addWidget(self.people)

        self.tracks = _table(["Track", "Notes", "", "Who wrote them"], {1})
        for t in report["tracks"]:
            row = self.tracks.rowCount()
            self.tracks.insertRow(row)
            parts = [(v["share"], colours.get(a, QColor("gray")), Actor.parse(a).label) for a, v in t["by"].items()]
            self.tracks.setItem(row, 0, _item(t["track"]))
            self.tracks.setItem(row, 1, _item(str(t["notes"]), True))
            self.tracks.setCellWidget(row, 2, ShareBar(parts))
            self.tracks.setItem(row, 3, _item(", ".join(f"{label} {share * 100:.0f}%" for share, _, label in parts)
                                              or "no notes"))
        self.tracks.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        _fit_height(self.tracks)
        layout.addWidget(QLabel("<b>By track</b>"))
        layout.addWidget(self.tracks)

        s = report["suggestions"]
        suggestions = QLabel(f"Suggestions: {s['offered']} offered, {s['accepted']} accepted, "
                             f"{s['partly_accepted']} partly accepted, {s['rejected']} rejected, "
                             f"{s['pending']} pending")
        suggestions.setObjectName("dim")
        layout.addWidget(suggestions)

        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Copy credits")
        self.copy_button.setToolTip("The credits as text, for liner notes or a video description")
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton("Save report…")
        self.save_button.setToolTip("Keep the credits: a one-page report to print or hand out (HTML), text, or JSON")
        self.save_button.clicked.connect(self.ask_where_to_save)
        self.saved = QLabel()
        self.saved.setObjectName("dim")
        self.saved.setWordWrap(True)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(close)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self.resize(720, min(body.sizeHint().height() + 60, 720))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(credits_text(self.report))

    def ask_where_to_save(self) -> None:
        """Ask for a file name (beside the song, named after it) and a kind, then save."""
        song_path = Path(self.session.project.path)
        suggested = song_path.with_name(f"{song_path.stem} credits.html")
        name, chosen = QFileDialog.getSaveFileName(self, "Save the credits", str(suggested), ";;".join(SAVE_FILTERS))
        if name:
            self.save_report(with_suffix(Path(name), chosen))

    def save_report(self, path: Path) -> bool:
        """Write the credits to `path` as its suffix says, atomically; say where, or why not, beside the buttons."""
        try:
            write_atomically(path, credits_document(path.suffix, self.session.song, self.report, self.events))
        except (ValueError, FileProblem) as e:
            self._tell("error", f"Not saved: {e.problem if isinstance(e, FileProblem) else e}", str(path))
            return False
        self._tell("dim", f"Saved as {path.name}", str(path))
        return True

    def _tell(self, kind: str, text: str, tip: str) -> None:
        """A short line beside the buttons (the full path in its tooltip), coloured by `kind`: dim or error."""
        self.saved.setObjectName(kind)
        self.saved.setText(text)
        self.saved.setToolTip(tip)
        self.saved.style().polish(self.saved)  # the new object name picks its colour


def with_suffix(path: Path, chosen_filter: str) -> Path:
    """The name as typed, or with the chosen kind's suffix when it has none of the known ones."""
    if path.suffix.lower() in SAVE_FORMATS:
        return path
    suffix = next((s for s in SAVE_FORMATS if f"(*{s})" in chosen_filter), ".html")
    return path.with_name(path.name + suffix)
