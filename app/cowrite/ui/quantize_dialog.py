"""Quantize: which grid, how strongly, with how much swing, and whether lengths follow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSlider

from cowrite.edit import Quantize
from cowrite.theory.quantize import GRIDS


class QuantizeDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Quantize")
        self.grid = QComboBox()
        self.grid.addItems(list(GRIDS))
        self.grid.setCurrentText("1/16")
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(0, 100)
        self.strength.setValue(100)
        self.swing = QSlider(Qt.Orientation.Horizontal)
        self.swing.setRange(0, 100)
        self.lengths = QCheckBox("Quantize lengths too")
        form = QFormLayout(self)
        form.addRow("Grid", self.grid)
        form.addRow("Strength", self.strength)
        form.addRow("Swing", self.swing)
        form.addRow("", self.lengths)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def command(self, note_ids: list[int]) -> Quantize:
        return Quantize(note_ids, grid=GRIDS[self.grid.currentText()], strength=self.strength.value() / 100,
                        swing=self.swing.value() / 100, lengths=self.lengths.isChecked())
