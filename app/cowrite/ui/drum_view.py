"""The drum grid with its toolbar: step size, swing, repeat a pattern, zoom.

The grid could do all of these before, but only from code: a beatmaker
reaches for them on screen, as in every step sequencer (FL's channel rack,
Hydrogen's pattern editor).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QToolBar, QVBoxLayout, QWidget

from cowrite.ui.drum_grid import STEPS, DrumGrid
from cowrite.ui.session import Session

ZOOM_STEP = 1.25
STEP_NAMES = {"1/8": "1/8", "1/16": "1/16", "1/32": "1/32", "1/16t": "1/16 triplet"}
REPEAT_BARS = (1, 2, 4)


class DrumView(QWidget):
    """A DrumGrid (`grid`) under its toolbar (`toolbar`)."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.grid = DrumGrid(session)
        self.setFocusProxy(self.grid)
        self.toolbar = QToolBar("Drum grid")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps = self._combo("Steps", [(STEP_NAMES[name], name) for name in STEPS], self.grid.step_name,
                                 self.grid.set_step, "How long a cell is")
        self.toolbar.addSeparator()
        self.swing = QSpinBox(suffix=" %", toolTip="How late new off-beat steps land (100%: a triplet shuffle)")
        self.swing.setRange(0, 100)
        self.swing.setSingleStep(5)
        self.swing.valueChanged.connect(self._set_swing)
        self.toolbar.addWidget(QLabel(" Swing "))
        self.toolbar.addWidget(self.swing)
        self._button("Swing notes", "Move the track's notes onto the swung step grid (one undo step)",
                     self.grid.apply_swing)
        self.toolbar.addSeparator()
        self.repeat = self._combo("Repeat", [("bar 1" if n == 1 else f"bars 1–{n}", n) for n in REPEAT_BARS], 1,
                                  lambda _n: None, "The bars to copy over the rest of the song")
        self._button("Repeat", "Copy the chosen bars over the rest of the song, keeping who wrote them",
                     lambda: self.grid.repeat_pattern(self.repeat.currentData()))
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(" Zoom "))
        self._button("−", "Zoom out", lambda: self.grid.zoom_by(1 / ZOOM_STEP))
        self._button("+", "Zoom in", lambda: self.grid.zoom_by(ZOOM_STEP))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.grid, 1)

    def _combo(self, label: str, choices, current, choose, tip: str) -> QComboBox:
        combo = QComboBox(toolTip=tip)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(combo.findData(current))
        combo.activated.connect(lambda index: (choose(combo.itemData(index)), self.grid.setFocus()))
        self.toolbar.addWidget(QLabel(f" {label} "))
        self.toolbar.addWidget(combo)
        return combo

    def _button(self, text: str, tip: str, slot) -> QAction:
        action = QAction(text, self, toolTip=tip, statusTip=tip)
        action.triggered.connect(lambda: slot())
        self.toolbar.addAction(action)
        return action

    def _set_swing(self, percent: int) -> None:
        self.grid.swing = percent / 100

    def set_colours(self, colours) -> None:
        self.grid.set_colours(colours)
