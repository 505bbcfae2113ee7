"""The whole song at a glance: one thin lane per track from the first bar to the last (LMMS's Song Editor).

Each lane shows the track's name and a thumbnail of its notes: a pixel row
band per pitch range and a pixel column per slice of time, so a sparse part
shows each note as a small mark and a dense one as a summary of its columns.
With "colour by origin" on, the marks take the note-class colours the piano
roll uses, so a teacher sees at once which parts an assistant wrote.

Thumbnails are cached per track as images and rebuilt only when a ChangeSet
names the track (its notes) or the lane's size or the song's length changes,
so a paint is a few image blits and lines however many notes the song holds.
Changes it does not show (tempo, key, chords, a track's volume) repaint nothing.

The window wires it: `jump_requested(tick)` scrolls the piano roll there;
it sets `playhead_tick` while playing and `loop_range` when a range loops,
and calls `update()` after flipping `session.colour_by_origin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPolygonF, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cowrite.attribution import vocabulary as V
from cowrite.edit import ChangeSet
from cowrite.model import PPQ, Track
from cowrite.ui.piano_roll import class_code
from cowrite.ui.roll_geometry import PITCHES, RollGeometry, occupancy, power_of_two_stride
from cowrite.ui.roll_tools import raster_image
from cowrite.ui.session import Session
from cowrite.ui.theme import DARK, ORIGIN_COLOURS, Palette

RULER_HEIGHT = 16
LANE_HEIGHT = 16  # a lane's height when there is room
MIN_LANE_HEIGHT = 12  # lanes shrink to this (a name still reads) before the overview scrolls
SHOWN_LANES = 8  # lanes the overview asks room for; more shrink, then scroll
NAME_WIDTH = 88
LABEL_SPACING = 28  # pixels between bar numbers at least
BAR_LINE_SPACING = 6  # pixels between bar lines at least
#: song fields the overview draws: the bar numbers and how long the song is
SHOWN_SONG_FIELDS = frozenset({"meter", "length_bars"})


@dataclass(frozen=True)
class TrackColumns:
    """A track's notes as arrays (start, end, pitch, note-class code), built once per change to its notes."""

    starts: np.ndarray
    ends: np.ndarray
    pitches: np.ndarray
    codes: np.ndarray
    end: int  # the latest end, 0 without notes

    @classmethod
    def of(cls, track: Track) -> TrackColumns:
        notes = list(track.notes.values())

        def column(name: str) -> np.ndarray:
            return np.fromiter(map(attrgetter(name), notes), np.int64, len(notes))

        classes: dict[int, int] = {}  # by id(): notes share origins, so each is classed once
        for note in notes:
            if id(note.origin) not in classes:
                classes[id(note.origin)] = class_code(note.origin)
        starts = column("start")
        ends = starts + column("duration")
        return cls(starts, ends, column("pitch"), np.fromiter((classes[id(n.origin)] for n in notes), np.uint8,
                                                              len(notes)), int(ends.max()) if notes else 0)


def pitch_rows(pitches: np.ndarray, height: int) -> np.ndarray:
    """For each of the 128 pitches, its row in a lane `height` rows high (0 at the bottom).

    The track's own range fills the lane, so a bass line and a flute both
    show their shape; a range narrower than the lane is centred, a row a semitone.
    """
    low, high = (int(pitches.min()), int(pitches.max())) if len(pitches) else (60, 60)
    span = high - low + 1
    offset = np.arange(PITCHES) - low
    rows = offset + (height - span) // 2 if span <= height else offset * height // span
    return np.clip(rows, 0, height - 1)


def lane_raster(notes: TrackColumns, end_tick: int, width: int, height: int) -> np.ndarray:
    """A (height, width) raster of the track's notes over [0, end_tick): each cell the highest class code
    sounding there, 0 for silence; row 0 at the top."""
    geometry = RollGeometry(view_width=width, pixels_per_quarter=width * PPQ / max(1, end_tick))
    by_pitch = occupancy(notes.starts, notes.ends, notes.pitches, notes.codes, geometry)
    raster = np.zeros((height, width), np.uint8)
    rows = pitch_rows(notes.pitches, height)
    for pitch in np.unique(notes.pitches):
        np.maximum(raster[rows[pitch]], by_pitch[pitch], out=raster[rows[pitch]])
    return raster[::-1]


class SongOverview(QWidget):
    """Every track of `session.song` over the whole song, one lane each, above the piano roll.

    A click on a lane makes its track the current one and asks the window to
    show the clicked tick (`jump_requested`); a click on the bar numbers only
    asks for the jump, a click on a name only selects.
    """

    jump_requested = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.colours: Palette = DARK
        self._playhead_tick = 0
        self._loop_range: tuple[int, int] | None = None
        self._scroll_y = 0  # pixels the lanes are scrolled up when they do not fit
        self._columns: dict[str, TrackColumns] = {}
        self._thumbnails: dict[str, tuple[tuple, QImage]] = {}
        self._end_tick: int | None = None
        self._shown_names: list[str] = self._track_names()
        self._small_font = QFont(self.font())
        self._small_font.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(RULER_HEIGHT + 2 * MIN_LANE_HEIGHT)
        self.setMouseTracking(True)
        session.changed.connect(self._on_changed)
        session.current_track_changed.connect(lambda _track_id: self.update())

    # -- what the window sets ---------------------------------------------------------------

    @property
    def playhead_tick(self) -> int:
        return self._playhead_tick

    @playhead_tick.setter
    def playhead_tick(self, tick: int) -> None:
        """Repaint only the strips the playhead leaves and enters."""
        for x in (self.x_of(self._playhead_tick), self.x_of(tick)):
            self.update(QRect(round(x) - 4, 0, 9, self.height()))
        self._playhead_tick = tick

    @property
    def loop_range(self) -> tuple[int, int] | None:
        return self._loop_range

    @loop_range.setter
    def loop_range(self, ticks: tuple[int, int] | None) -> None:
        if ticks != self._loop_range:
            self._loop_range = ticks
            self.update()

    def set_colours(self, colours: Palette) -> None:
        self.colours = colours
        self._thumbnails.clear()
        self.update()

    # -- geometry -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        lanes = min(max(1, len(self.session.song.tracks)), SHOWN_LANES)
        return QSize(600, RULER_HEIGHT + lanes * LANE_HEIGHT + 1)

    @property
    def end_tick(self) -> int:
        """Where the song ends (as `Song.end_tick`), kept until a change: no walk over every note a paint."""
        if self._end_tick is None:
            song = self.session.song
            last = max((self.columns(t).end for t in song.tracks), default=0)
            self._end_tick = max(song.meter.bar_start(song.length_bars), last, 1)
        return self._end_tick

    @property
    def lane_height(self) -> int:
        """LANE_HEIGHT while the lanes fit, shrinking to MIN_LANE_HEIGHT (then the lanes scroll)."""
        count = len(self.session.song.tracks)
        room = self.height() - RULER_HEIGHT
        return max(MIN_LANE_HEIGHT, min(LANE_HEIGHT, room // count)) if count else LANE_HEIGHT

    @property
    def notes_width(self) -> int:
        return max(1, self.width() - NAME_WIDTH)

    def x_of(self, tick: float) -> float:
        return NAME_WIDTH + tick * self.notes_width / self.end_tick

    def tick_at(self, x: float) -> int:
        return min(self.end_tick, max(0, round((x - NAME_WIDTH) * self.end_tick / self.notes_width)))

    def lane_top(self, index: int) -> int:
        return RULER_HEIGHT + index * self.lane_height - self._scroll_y

    def lane_at(self, y: float) -> int | None:
        """The index of the track whose lane is at `y`, or None (the ruler, below the last lane)."""
        if y < RULER_HEIGHT:
            return None
        index = int((y - RULER_HEIGHT + self._scroll_y) // self.lane_height)
        return index if index < len(self.session.song.tracks) else None

    def _max_scroll(self) -> int:
        lanes = len(self.session.song.tracks) * self.lane_height
        return max(0, lanes - (self.height() - RULER_HEIGHT))

    # -- caches -------------------------------------------------------------------------------

    def columns(self, track: Track) -> TrackColumns:
        if track.id not in self._columns:
            self._columns[track.id] = TrackColumns.of(track)
        return self._columns[track.id]

    def thumbnail(self, track: Track, end_tick: int) -> QImage:
        """The track's notes as an image the size of its lane, kept until its notes, the lane, the song's
        length or the colouring change."""
        height = self.lane_height - 3  # a pixel of air above and below, and the line between lanes
        by_origin = self.session.colour_by_origin
        key = (self.notes_width, height, end_tick, by_origin)
        cached = self._thumbnails.get(track.id)
        if cached is None or cached[0] != key:
            raster = lane_raster(self.columns(track), end_tick, self.notes_width, height)
            cached = (key, raster_image(raster, self.code_colours(by_origin)))
            self._thumbnails[track.id] = cached
        return cached[1]

    def code_colours(self, by_origin: bool) -> list[QColor]:
        """The colour of each note-class code (1..4): the class colours, or the one note colour."""
        return [ORIGIN_COLOURS[cls] if by_origin else self.colours.note for cls in V.NOTE_CLASSES]

    def _track_names(self) -> list[str]:
        return [t.name for t in self.session.song.tracks]

    def _on_changed(self, change: ChangeSet) -> None:
        """Forget the thumbnails of tracks whose notes changed; repaint only when something shown changed."""
        for track_id in change.note_tracks:
            self._columns.pop(track_id, None)
            self._thumbnails.pop(track_id, None)
        if change.track_list:
            present = {t.id for t in self.session.song.tracks}
            for cache in (self._columns, self._thumbnails):
                for track_id in cache.keys() - present:
                    del cache[track_id]
            self.updateGeometry()
        self._end_tick = None
        names = self._track_names()
        renamed = names != self._shown_names
        self._shown_names = names
        if change.note_tracks or change.track_list or renamed or change.song_fields & SHOWN_SONG_FIELDS:
            self._scroll_y = min(self._scroll_y, self._max_scroll())
            self.update()

    # -- the mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        x, y = event.position().x(), event.position().y()
        index = self.lane_at(y)
        if index is not None:
            self.session.set_current_track(self.session.song.tracks[index].id)
        if x >= NAME_WIDTH and (index is not None or y < RULER_HEIGHT):
            self.jump_requested.emit(self.tick_at(x))

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """Scroll the lanes when more tracks than fit; otherwise leave the wheel to the window."""
        limit = self._max_scroll()
        if not limit:
            event.ignore()
            return
        self._scroll_y = min(limit, max(0, self._scroll_y - event.angleDelta().y() // 120 * self.lane_height))
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            QToolTip.showText(event.globalPos(), self._tip(event.pos().x(), event.pos().y()), self)
            return True
        return super().event(event)

    def _tip(self, x: float, y: float) -> str:
        """The track under the pointer, how many notes it has, and the bar (a clipped name reads in full)."""
        index = self.lane_at(y)
        bar = self.session.song.meter.bar_at(self.tick_at(x)) + 1
        if index is None:
            return f"Bar {bar}: click to go there" if y < RULER_HEIGHT else ""
        track = self.session.song.tracks[index]
        return f"{track.name}: {len(track.notes)} notes" + (f" · bar {bar}" if x >= NAME_WIDTH else "")

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._scroll_y = min(self._scroll_y, self._max_scroll())

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setFont(self._small_font)
        painter.fillRect(self.rect(), self.colours.background)
        tracks = self.session.song.tracks
        if not tracks:
            painter.setPen(self.colours.text_dim)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Add a track to see the song here")
            painter.end()
            return
        end_tick = self.end_tick
        painter.setClipRect(QRectF(0, RULER_HEIGHT, self.width(), self.height() - RULER_HEIGHT))
        self._paint_lanes(painter, tracks, end_tick)
        self._paint_bar_lines(painter)
        self._paint_loop(painter, RULER_HEIGHT, self.height())
        painter.setClipping(False)
        self._paint_ruler(painter)
        self._paint_playhead(painter)
        self._paint_scroll_mark(painter)
        painter.end()

    def _paint_lanes(self, painter: QPainter, tracks: list[Track], end_tick: int) -> None:
        """Each visible lane: its background (the current track's lighter), name and thumbnail."""
        c, h = self.colours, self.lane_height
        metrics = painter.fontMetrics()
        for index, track in enumerate(tracks):
            top = self.lane_top(index)
            if top + h <= RULER_HEIGHT or top >= self.height():
                continue
            current = track.id == self.session.current_track_id
            painter.fillRect(QRectF(0, top, self.width(), h - 1), c.panel if current else c.background)
            if current:
                painter.fillRect(QRectF(0, top, 3, h - 1), c.note_selected)
            painter.setPen(c.text if current else c.text_dim)
            name = metrics.elidedText(track.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 12)
            painter.drawText(QRectF(7, top, NAME_WIDTH - 10, h - 1), Qt.AlignmentFlag.AlignVCenter, name)
            if track.notes:
                painter.drawImage(QPointF(NAME_WIDTH, top + 1), self.thumbnail(track, end_tick))
            painter.setPen(c.grid_beat)
            painter.drawLine(QLineF(0, top + h - 0.5, self.width(), top + h - 0.5))
        painter.setPen(c.grid_bar)
        painter.drawLine(QLineF(NAME_WIDTH - 0.5, RULER_HEIGHT, NAME_WIDTH - 0.5, self.height()))

    def _bars(self, min_pixels: float) -> list[tuple[int, int]]:
        """(0-based bar, tick) of every bar (every 2nd, 4th... when bars are narrow) to the song's end."""
        meter, end = self.session.song.meter, self.end_tick
        stride = power_of_two_stride(meter.at(0).bar_ticks * self.notes_width / end, min_pixels)
        bars, bar = [], 0
        while (tick := meter.bar_start(bar)) < end:
            bars.append((bar, tick))
            bar += stride
        return bars

    def _paint_bar_lines(self, painter: QPainter) -> None:
        painter.setPen(self.colours.grid_step)
        painter.drawLines([QLineF(self.x_of(t), RULER_HEIGHT, self.x_of(t), self.height())
                           for bar, t in self._bars(BAR_LINE_SPACING) if bar])

    def _paint_loop(self, painter: QPainter, top: float, bottom: float) -> None:
        if self._loop_range is None:
            return
        first, last = self._loop_range
        painter.fillRect(QRectF(QPointF(self.x_of(first), top), QPointF(self.x_of(last), bottom)), self.colours.loop)

    def _paint_ruler(self, painter: QPainter) -> None:
        """Bar numbers over their bar lines, and the loop range as a stronger band with edges."""
        c = self.colours
        painter.fillRect(QRectF(0, 0, self.width(), RULER_HEIGHT), c.panel)
        if self._loop_range is not None:
            band = QColor(c.loop)
            band.setAlpha(min(255, band.alpha() * 3))
            first, last = (self.x_of(t) for t in self._loop_range)
            painter.fillRect(QRectF(QPointF(first, 0), QPointF(last, RULER_HEIGHT)), band)
            painter.setPen(c.note)
            painter.drawLines([QLineF(first, 0, first, RULER_HEIGHT), QLineF(last, 0, last, RULER_HEIGHT)])
        painter.setPen(c.text_dim)
        painter.drawText(QRectF(7, 0, NAME_WIDTH - 10, RULER_HEIGHT), Qt.AlignmentFlag.AlignVCenter, "Bar")
        for bar, tick in self._bars(LABEL_SPACING):
            x = self.x_of(tick)
            painter.drawLine(QLineF(x, RULER_HEIGHT * 0.55, x, RULER_HEIGHT))
            painter.drawText(QPointF(x + 3, RULER_HEIGHT - 4), str(bar + 1))
        painter.setPen(c.grid_bar)
        painter.drawLine(QLineF(0, RULER_HEIGHT - 0.5, self.width(), RULER_HEIGHT - 0.5))

    def _paint_scroll_mark(self, painter: QPainter) -> None:
        """When the lanes do not all fit: a thin bar at the right edge, as long and as far down as the lanes
        in view, so a person knows the wheel shows more."""
        limit = self._max_scroll()
        if not limit:
            return
        room = self.height() - RULER_HEIGHT
        total = room + limit
        mark = QColor(self.colours.text_dim)
        mark.setAlpha(160)
        painter.fillRect(QRectF(self.width() - 4, RULER_HEIGHT + room * self._scroll_y / total, 3,
                                room * room / total), mark)

    def _paint_playhead(self, painter: QPainter) -> None:
        x = self.x_of(self._playhead_tick)
        painter.setPen(self.colours.playhead)
        painter.drawLine(QLineF(x, 0, x, self.height()))
        painter.setBrush(self.colours.playhead)
        painter.drawPolygon(QPolygonF([QPointF(x - 4, 0), QPointF(x + 4, 0), QPointF(x, 6)]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
