"""The velocity lane under the piano roll: one bar a note, as tall as the note is loud.

It shares the roll's horizontal geometry, so a bar stands under its note's
start. Dragging across the lane draws a velocity curve: over the selected notes
only when there is a selection (so the person can shape one voice of a chord
without touching the others), otherwise over every note the stroke passes.
The stroke is previewed while the button is down and lands as one
SetNoteValues: one undo step, one ledger event.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from cowrite.edit import SetNoteValues
from cowrite.model import Note
from cowrite.ui.roll_geometry import SUMMARY_NOTES, NoteIndex
from cowrite.ui.roll_tools import raster_image
from cowrite.ui.theme import KEYBOARD_WIDTH

#: pixels beside a bar that still catch it when the stroke is a single click
HIT_PIXELS = 3
PADDING = 4  # pixels above velocity 127 and below velocity 1
BAR_WIDTH = 3


class VelocityStroke:
    """A drag across the lane; `values` holds each reached note's drawn velocity."""

    def __init__(self, only: set[int]):
        #: the selection when the stroke began: when not empty, only these notes are drawn on
        self.only = only
        self.values: dict[int, int] = {}
        self.last: tuple[float, int] | None = None

    def draw_to(self, x: float, velocity: int, notes: list[Note], x_of) -> None:
        """Extend the stroke to (x, velocity); notes whose bar lies between the last point and this one take
        the velocity of the straight line between the two, so a quick flick still sets every bar it crossed."""
        x0, v0 = self.last if self.last is not None else (x, velocity)
        left, right = min(x0, x), max(x0, x)
        if right - left < 1:
            left, right = left - HIT_PIXELS, right + HIT_PIXELS
        for note in notes:
            bar = x_of(note.start)
            if left <= bar <= right and (not self.only or note.id in self.only):
                share = 0.0 if x == x0 else (bar - x0) / (x - x0)
                self.values[note.id] = clamp_velocity(round(v0 + (velocity - v0) * min(1.0, max(0.0, share))))
        self.last = (x, velocity)

    def command(self, notes: dict[int, Note]) -> SetNoteValues | None:
        """The stroke as one command, leaving out notes it did not change."""
        values = {i: (notes[i].pitch, notes[i].start, notes[i].duration, v)
                  for i, v in self.values.items() if i in notes and notes[i].velocity != v}
        return SetNoteValues(values) if values else None


def clamp_velocity(velocity: int) -> int:
    return min(127, max(1, velocity))


class VelocityLane(QWidget):
    """A child of the PianoRoll, laid along its bottom edge.

    It reads what the roll shows rather than the song directly, so a note the
    person is dragging in the roll moves its bar too: `roll.view`,
    `roll.colours`, `roll.session`, `roll.visible_notes(start, end)` and
    `roll.note_index()`, `roll.colour_code()` and `roll.code_colour(code)`.
    """

    def __init__(self, roll):
        super().__init__(roll)
        self.roll = roll
        self.stroke: VelocityStroke | None = None

    # -- mapping ------------------------------------------------------------------------------

    def y_of(self, velocity: int) -> float:
        usable = self.height() - 2 * PADDING
        return PADDING + usable * (1 - (velocity - 1) / 126)

    def velocity_at(self, y: float) -> int:
        usable = max(1, self.height() - 2 * PADDING)
        return clamp_velocity(round(1 + 126 * (1 - (y - PADDING) / usable)))

    # -- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton or self.roll.track is None:
            return
        self.stroke = VelocityStroke(set(self.roll.session.selection))
        self._draw(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.stroke is not None:
            self._draw(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        stroke, self.stroke = self.stroke, None
        track = self.roll.track
        if stroke is not None and track is not None:
            command = stroke.command(track.notes)
            if command is not None:
                self.roll.session.apply(command)
        self.update()

    def _draw(self, event: QMouseEvent) -> None:
        pos = event.position()
        geometry = self.roll.view
        x0 = self.stroke.last[0] if self.stroke.last else pos.x()
        left, right = min(x0, pos.x()) - HIT_PIXELS, max(x0, pos.x()) + HIT_PIXELS
        notes = self.roll.visible_notes(geometry.tick_at(left), geometry.tick_at(right))
        self.stroke.draw_to(pos.x(), self.velocity_at(pos.y()), notes, geometry.x_of)
        self.update()

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        c = self.roll.colours
        painter.fillRect(self.rect(), c.panel)
        painter.setPen(c.grid_beat)
        painter.drawLine(QLineF(KEYBOARD_WIDTH, self.y_of(64), self.width(), self.y_of(64)))
        painter.setPen(c.text_dim)
        painter.drawText(QRectF(4, 0, KEYBOARD_WIDTH - 8, self.height()), Qt.AlignmentFlag.AlignCenter, "Velocity")
        if self.roll.track is not None:
            painter.setClipRect(QRectF(KEYBOARD_WIDTH, 0, self.width() - KEYBOARD_WIDTH, self.height()))
            self._paint_bars(painter, event)
        painter.end()

    def _paint_bars(self, painter: QPainter, event: QPaintEvent) -> None:
        geometry = self.roll.view
        start = geometry.tick_at(max(KEYBOARD_WIDTH, event.rect().left()) - HIT_PIXELS)
        end = geometry.tick_at(event.rect().right() + HIT_PIXELS)
        index = self.roll.note_index()
        lo, hi = index.span(*geometry.visible_ticks())
        if hi - lo > SUMMARY_NOTES:
            self._paint_summary(painter, index, lo, hi)
            return
        drawn = self.stroke.values if self.stroke else {}
        code_of = self.roll.colour_code()
        ppt, left = geometry.pixels_per_tick, geometry.left - geometry.scroll_tick * geometry.pixels_per_tick
        bottom = self.height() - PADDING
        pixels_per_velocity = (self.height() - 2 * PADDING) / 126
        groups: dict[int, list[QRectF]] = {}
        for note in self.roll.visible_notes(start, end):
            height = round((drawn.get(note.id, note.velocity) - 1) * pixels_per_velocity) + 1
            bar = QRectF(round(left + note.start * ppt) - 1, bottom - height, BAR_WIDTH, height)
            groups.setdefault(code_of(note), []).append(bar)
        painter.setPen(Qt.PenStyle.NoPen)
        for code, bars in groups.items():
            painter.setBrush(self.roll.code_colour(code))
            painter.drawRects(bars)

    def _paint_summary(self, painter: QPainter, index: NoteIndex, lo: int, hi: int) -> None:
        """The loudest velocity of each pixel column, when more than SUMMARY_NOTES bars would blur together."""
        geometry = self.roll.view
        columns = index.columns()
        x = np.floor((columns["start"][lo:hi] - geometry.scroll_tick) * geometry.pixels_per_tick).astype(np.int64)
        inside = (x >= 0) & (x < geometry.view_width)
        loudest = np.zeros(geometry.view_width, dtype=np.int64)
        np.maximum.at(loudest, x[inside], columns["velocity"][lo:hi][inside])
        usable = self.height() - 2 * PADDING
        tops = np.where(loudest > 0, np.round(usable * (1 - (loudest - 1) / 126)), usable)
        bars = (np.arange(usable)[:, None] >= tops[None, :]).astype(np.uint8)
        painter.drawImage(QPointF(geometry.left, PADDING), raster_image(bars, [self.roll.colours.note]))
