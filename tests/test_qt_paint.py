"""Guard against the PySide6 6.12.0 + CPython 3.11 crash (none_dealloc after ~5,000 void Qt calls).

A widget painting a few hundred notes a frame must survive many frames; with the
broken pair this test aborts the interpreter within a second.
"""

import sys

import pytest

QtWidgets = pytest.importorskip("PySide6.QtWidgets")
from PySide6 import __version_info__ as pyside_version  # noqa: E402
from PySide6.QtCore import QRect  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402


class ManyRects(QtWidgets.QWidget):
    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        colour = QColor(80, 160, 240)
        for i in range(300):
            painter.fillRect(QRect((i * 7) % 400, (i * 13) % 300, 6, 4), colour)
        painter.end()


def test_the_installed_pyside6_is_not_the_broken_pair():
    assert not (sys.version_info[:2] == (3, 11) and pyside_version[:2] == (6, 12))


def test_painting_many_frames(qtbot):
    widget = ManyRects()
    widget.resize(400, 300)
    qtbot.addWidget(widget)
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
    for _ in range(200):  # 60,000 fillRect calls
        image.fill(0)
        widget.render(image)
    assert image.pixelColor(0, 0) == QColor(80, 160, 240)
