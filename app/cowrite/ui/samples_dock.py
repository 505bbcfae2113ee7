"""The samples dock: find a sound in the library, hear it, and drag it onto a drum pad.

The library is SQLite with one connection per thread: the dock searches on
its own (UI thread) connection, while indexing the built-in kits or a new
folder runs on a worker with a connection of its own, after which the dock
searches again.

Without a sound card a preview still runs (the silent output keeps time) but
is not heard, so the dock says so, and why, rather than seem broken.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, QUrl
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSpinBox,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from cowrite.edit import EditError
from cowrite.io.errors import FileProblem
from cowrite.ui.workers import run_in_thread

SEARCH_DELAY_MS = 120  # search once typing pauses, not on every key
KIND_CHOICES = (("Any kind", None), ("One-shots", "one-shot"), ("Loops", "loop"))


def _index_builtin() -> str:
    from cowrite.library import ensure_builtin, open_library

    db = open_library()
    try:
        report = ensure_builtin(db)
    finally:
        db.close()
    return f"{report.added} built-in samples indexed" if report.added else ""


def _index_folder(folder: Path) -> str:
    from cowrite.library import add_folder, open_library, scan

    db = open_library()
    try:
        root = add_folder(db, folder)
        report = scan(db, [root])
    finally:
        db.close()
    problems = f", {len(report.problems)} unreadable" if report.problems else ""
    return f"{root.name}: {report.added} new, {report.updated} changed, {report.unchanged} known{problems}"


class SampleResults(QTreeWidget):
    """The search results; a row drags out as a file URL, which the drum grid takes onto a pad."""

    def __init__(self, dock: SamplesDock):
        super().__init__()
        self.dock = dock
        self.setHeaderLabels(["Name", "Folder", "Length", "BPM", "Tags", "★"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        header = self.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 2, 3, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def mimeData(self, items) -> QMimeData:  # noqa: N802 (Qt's name)
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(item.data(0, Qt.ItemDataRole.UserRole).path) for item in items])
        return data

    def event(self, event) -> bool:
        """Space previews here, rather than starting the song (the window's Space)."""
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            self.dock.preview_current()
        else:
            super().keyPressEvent(event)


class SamplesDock(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.db = None
        self.rows = []
        self.indexing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)

        self.query = QLineEdit()
        self.query.setPlaceholderText("Search samples: 808 kick, dusty snare…")
        self.query.setClearButtonEnabled(True)
        self.favourite_button = QToolButton()
        self.favourite_button.setText("☆")
        self.favourite_button.setToolTip("Mark the selected sample as a favourite (favourites come first)")
        self.favourite_button.clicked.connect(self.toggle_favourite)
        search = QHBoxLayout()  # the mark sits here, not among the filters, so the dock fits 300 pixels
        search.addWidget(self.query, 1)
        search.addWidget(self.favourite_button)
        layout.addLayout(search)
        filters = QHBoxLayout()
        self.kind = QComboBox()
        for text, value in KIND_CHOICES:
            self.kind.addItem(text, value)
        self.bpm = QSpinBox()
        self.bpm.setRange(0, 300)
        self.bpm.setSpecialValueText("Any BPM")
        self.bpm.setSuffix(" BPM")
        self.bpm.setToolTip("Loops within 2 BPM of this tempo")
        self.favourites = QCheckBox("★ only")
        self.favourites.setToolTip("Show only favourite samples")
        for widget in (self.kind, self.bpm, self.favourites):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.results = SampleResults(self)
        self.results.currentItemChanged.connect(lambda item, _: self._on_current(item))
        layout.addWidget(self.results, 1)
        self.status = QLabel("Opening the sample library…")
        self.status.setObjectName("dim")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.silent_notice = self._silent_notice()
        layout.addWidget(self.silent_notice)

        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _: self._delay.start())
        self.kind.currentIndexChanged.connect(lambda _: self.search())
        self.bpm.valueChanged.connect(lambda _: self.search())
        self.favourites.toggled.connect(lambda _: self.search())
        QTimer.singleShot(0, self.open)  # after the window shows

    def _silent_notice(self) -> QLabel:
        """Shown only when the player's output is not a sound card: previews play, but nobody hears them."""
        notice = QLabel("Previews are silent: no audio device")
        notice.setObjectName("error")
        notice.setWordWrap(True)
        reason = self.silent_reason()
        notice.setToolTip(reason or "")
        notice.setVisible(reason is not None)
        return notice

    def silent_reason(self) -> str | None:
        """Why a preview would not be heard (no player, or an output that is not a sound card), else None."""
        player = self.session.player
        output = getattr(player, "output", None)
        if player is None or output is None:
            return "no audio player"
        return None if output.available else output.reason

    # -- the library --------------------------------------------------------------------------

    def open(self) -> None:
        """Open the library for searching, and bring the built-in kits into it on a worker."""
        from cowrite.library import open_library

        try:
            self.db = open_library()
        except FileProblem as e:
            self.status.setText(str(e))
            return
        self.search()
        self._index("Indexing the built-in kits…", _index_builtin)

    def add_folder(self, folder: Path) -> None:
        self._index(f"Indexing {folder}…", lambda: _index_folder(folder))

    def _index(self, text: str, work) -> None:
        self.indexing = True
        self.status.setText(text)
        run_in_thread("library scan", work, self._indexed, self._index_failed)

    def _indexed(self, message: str) -> None:
        self.indexing = False
        self.search()
        if message:
            self.status.setText(message)

    def _index_failed(self, message: str) -> None:
        self.indexing = False
        self.status.setText(message)

    def search(self) -> None:
        from cowrite.library import search, words

        if self.db is None:
            return
        try:
            self.rows = search(self.db, self.query.text(), kind=self.kind.currentData(),
                               bpm=self.bpm.value() or None, favourites=self.favourites.isChecked())
        except EditError as e:
            self.status.setText(str(e))
            return
        self.results.clear()
        for row in self.rows:
            folder = Path(row.path).parent.name
            shown = set(words(row.name)) | set(words(folder))  # already in the name and folder columns
            tags = " ".join(t for t in row.tags if t not in shown)
            item = QTreeWidgetItem([row.name, folder, f"{row.duration:.2f} s", f"{row.bpm:.0f}" if row.bpm else "",
                                    tags, "★" if row.favourite else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, row)
            item.setToolTip(0, row.path)
            item.setToolTip(4, " ".join(row.tags))
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.results.addTopLevelItem(item)
        if not self.indexing:
            self.status.setText(f"{len(self.rows)} samples" + (" (the first 50)" if len(self.rows) == 50 else "")
                                + ". Drag one onto a drum row to use it.")

    # -- one sample ---------------------------------------------------------------------------

    def current(self):
        item = self.results.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _on_current(self, item) -> None:
        if item is not None:
            row = item.data(0, Qt.ItemDataRole.UserRole)
            self.favourite_button.setText("★" if row.favourite else "☆")
            self.preview_current()

    def preview_current(self) -> None:
        """Hear the selected sample; without a sound card, say why it is not heard."""
        from cowrite.library import preview

        row, player = self.current(), self.session.player
        if row is None:
            return
        silent = self.silent_reason()
        if silent is not None:
            self.status.setText(f"Silent preview of {row.name}: {silent}")
        play = getattr(player, "preview", None)
        if play is None:
            return
        try:
            play(*preview(row))
        except FileProblem as e:
            self.status.setText(str(e))

    def toggle_favourite(self) -> None:
        from cowrite.library import set_favourite

        row = self.current()
        if row is None or self.db is None:
            return
        try:
            set_favourite(self.db, row.path, not row.favourite)
        except FileProblem as e:
            self.status.setText(str(e))
            return
        self.search()
        self.results.blockSignals(True)  # the same sample again: no second preview
        for i in range(self.results.topLevelItemCount()):
            item = self.results.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole).path == row.path:
                self.results.setCurrentItem(item)
                self.favourite_button.setText("★" if item.data(0, Qt.ItemDataRole.UserRole).favourite else "☆")
        self.results.blockSignals(False)

    def shutdown(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
