"""The attribution dock: colour notes by who wrote them, read the history, open the credits.

The history is the ledger itself, newest first, read incrementally from the
byte where the last read stopped, so a long-lived song does not reread its
whole past after every edit. "What" takes the width the other columns leave
(Who is capped, and names an assistant without its version), is elided at
its end, and every row's tooltip holds the whole event, so the dock reads
even at 300 pixels.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QPixmap
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.history import describe
from cowrite.attribution.ledger import read_events
from cowrite.ui.theme import ORIGIN_COLOURS, ORIGIN_LABELS

MAX_ROWS = 5000  # the newest events shown; `cowrite history` prints them all
TAIL_BYTES = 4 << 20  # on opening, read only the ledger's last few MB: enough for MAX_ROWS events
WHO_MAX_WIDTH = 80  # a long name is elided (the tooltip has it whole) rather than squeeze "What"
NUMBER, WHEN, WHO, WHAT = range(4)


def swatch(colour: QColor, size: int = 12) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(colour)
    return pixmap


def local_time(stamp: str) -> str:
    """A ledger time (UTC, ISO 8601) as the person's clock shows it: the time today, else the day."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp[:16]
    return when.strftime("%H:%M" if when.date() == datetime.now().date() else "%d %b")


def touched_notes(event: dict) -> tuple[str | None, set[int]]:
    """The track an event worked on and the note ids it names."""
    subject = event.get("subject") or {}
    notes = set(subject.get("notes", ()))
    for first, last in subject.get("note_ranges", ()):
        notes.update(range(first, last + 1))
    tracks = subject.get("tracks") or []
    return subject.get("track") or (tracks[0] if tracks else None), notes


def line_start_after(path, offset: int) -> int:
    """The byte where the first whole ledger line at or after `offset` begins."""
    with open(path, "rb") as f:
        f.seek(max(0, offset - 1))
        f.readline()  # the rest of the line `offset` falls in
        return f.tell()


class AttributionDock(QWidget):
    def __init__(self, session, colour_action: QAction, parent=None):
        super().__init__(parent)
        self.session = session
        self._read_to = 0  # ledger bytes already listed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)

        self.colour_toggle = QCheckBox("Colour notes by who wrote them")
        self.colour_toggle.setChecked(colour_action.isChecked())
        self.colour_toggle.toggled.connect(colour_action.setChecked)
        colour_action.toggled.connect(self.colour_toggle.setChecked)
        layout.addWidget(self.colour_toggle)

        legend = QGridLayout()
        legend.setHorizontalSpacing(6)
        legend.setVerticalSpacing(2)
        for row, kind in enumerate(V.NOTE_CLASSES):
            box = QLabel()
            box.setPixmap(swatch(ORIGIN_COLOURS[kind]))
            text = QLabel(ORIGIN_LABELS[kind])
            text.setObjectName("dim")
            legend.addWidget(box, row, 0)
            legend.addWidget(text, row, 1)
        legend.setColumnStretch(1, 1)
        layout.addLayout(legend)

        heading = QHBoxLayout()
        title = QLabel("History")
        title.setObjectName("heading")
        self.credits_button = QPushButton("Credits…")
        self.credits_button.setToolTip("Who wrote what: shares per person and assistant, and the disclosure label")
        self.credits_button.clicked.connect(self.show_credits)
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.credits_button)
        layout.addLayout(heading)

        self.history = QTreeWidget()
        self.history.setHeaderLabels(["#", "When", "Who", "What"])
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)  # "What" starts with its verb: keep that
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setToolTip("Newest first. Click an event to select the notes it touched.")
        header = self.history.header()
        header.setStretchLastSection(False)
        for column in (NUMBER, WHEN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        self.history.itemClicked.connect(self._on_clicked)
        layout.addWidget(self.history, 1)

        session.changed.connect(lambda _: self.read_new())
        QTimer.singleShot(0, self.read_new)  # after the window shows: a long ledger must not delay it

    # -- the history ---------------------------------------------------------------------------

    def read_new(self) -> None:
        """List the events written since the last read (undo and redo write events too)."""
        ledger = self.session.project.ledger
        if ledger.record.bytes <= self._read_to:
            return
        if self._read_to == 0 and ledger.record.bytes > TAIL_BYTES:
            self._read_to = line_start_after(ledger.path, ledger.record.bytes - TAIL_BYTES)
        events = read_events(ledger.path, self._read_to)
        self._read_to = ledger.record.bytes
        names = {t.id: t.name for t in self.session.song.tracks}
        items = [self._item(event, names) for event in reversed(events[-MAX_ROWS:])]
        self.history.insertTopLevelItems(0, items)
        while self.history.topLevelItemCount() > MAX_ROWS:
            self.history.takeTopLevelItem(self.history.topLevelItemCount() - 1)
        self._fit_who()

    def _fit_who(self) -> None:
        """As wide as the names listed, up to WHO_MAX_WIDTH; "What" stretches over the rest."""
        wanted = max(self.history.sizeHintForColumn(WHO), self.history.header().sectionSizeHint(WHO))
        self.history.header().resizeSection(WHO, min(wanted, WHO_MAX_WIDTH))

    @staticmethod
    def _item(event: dict, names: dict[str, str]) -> QTreeWidgetItem:
        actor = Actor.parse(event["actor"]["id"])
        item = QTreeWidgetItem([str(event["seq"]), local_time(event["time"]), actor.name, describe(event, names)])
        item.setData(NUMBER, Qt.ItemDataRole.UserRole, event)
        item.setForeground(WHO, QBrush(ORIGIN_COLOURS[V.HUMAN if actor.is_person else V.AI]))
        for column in range(4):
            item.setToolTip(column, f"#{event['seq']}, {event['time']}, {actor.label}: {item.text(WHAT)}")
        item.setTextAlignment(NUMBER, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _on_clicked(self, item: QTreeWidgetItem) -> None:
        """Select the notes an event touched that still exist, showing their track."""
        track_id, notes = touched_notes(item.data(0, Qt.ItemDataRole.UserRole))
        song = self.session.song
        if track_id and song.find_track(track_id) is not None:
            self.session.set_current_track(song.find_track(track_id).id)
        track = self.session.current_track
        if track is not None:
            self.session.select(notes & track.notes.keys())

    def show_credits(self) -> None:
        from cowrite.ui.credits_dialog import CreditsDialog

        CreditsDialog(self.session, self).exec()
