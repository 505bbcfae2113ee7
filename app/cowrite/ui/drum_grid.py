"""The drum grid: a step-sequencer view of the current drum track.

It shows the same notes as the piano roll, one row a drum key and one cell a
grid step, and changes them only through `session.apply`, so every step a
person paints is theirs in the ledger. A gesture (a click, or a drag along a
row) is previewed while the button is down and lands as one command when it is
released: one undo step, one group commit.

Cells are counted from the song start (cell i covers ticks i*step up to
(i+1)*step), so a note belongs to the cell its start falls in, swung or not.
A hit fills its whole cell, whatever its offset, so it reads at every step
size; a hit off the step grid (swung, late, early) carries a thin marker
where it really starts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from cowrite.attribution.authorship import note_class
from cowrite.audio.sampler import GM_DRUMS, PAD_KEYS, VOICES
from cowrite.edit import AddNotes, AssignSample, ChangeSet, DeleteNotes, Macro, Quantize, SetVelocity
from cowrite.io.errors import FileProblem
from cowrite.library.preview import sample_ref
from cowrite.model import Note, Origin, ProposedNote, Song, Track
from cowrite.theory.quantize import GRIDS, grid_point
from cowrite.ui.session import Session
from cowrite.ui.theme import DARK, ORIGIN_COLOURS, RULER_HEIGHT, Palette

#: the step sizes a beatmaker picks from, in ticks
STEPS = {name: GRIDS[name] for name in ("1/8", "1/16", "1/32", "1/16t")}
DEFAULT_STEP = "1/16"
DEFAULT_VELOCITY = 100
#: the files a row takes as its pad's sample (what the library scans)
AUDIO_SUFFIXES = frozenset({".wav", ".aif", ".aiff", ".flac", ".ogg"})

VOICE_LABELS = {"kick": "Kick", "snare": "Snare", "clap": "Clap", "hat-closed": "Closed hat",
                "hat-open": "Open hat", "tom-low": "Low tom", "tom-mid": "Mid tom", "tom-high": "High tom",
                "crash": "Crash", "ride": "Ride", "rim": "Rim", "shaker": "Shaker", "cowbell": "Cowbell"}
#: the kit's own rows, always shown so that an empty drum track can be written on
STANDARD_ROWS = tuple(PAD_KEYS[voice] for voice in VOICES)

LABEL_WIDTH = 120
ROW_HEIGHT = 24
DEFAULT_BEAT_PIXELS = 96  # a 1/16 cell 24 pixels wide
MIN_BEAT_PIXELS, MAX_BEAT_PIXELS = 16, 960
CELL_INSET = 2
MARKER_WIDTH, MARKER_HEIGHT = 2, 4  # the least size of the offset marker of a hit off the step grid


def row_order(pitch: int) -> tuple[int, int]:
    """Kit order (kick, snare, clap... as the sampler lists its voices); other keys of a voice sit beside it."""
    voice = GM_DRUMS.get(pitch)
    return (VOICES.index(voice) if voice else len(VOICES), pitch)


def drum_rows(track: Track, ghost_pitches=()) -> list[int]:
    """The keys to show: the standard kit, and every key the track or its pending suggestion uses or has a pad on."""
    used = {n.pitch for n in track.notes.values()} | set(track.pads) | set(ghost_pitches)
    return sorted(used | set(STANDARD_ROWS), key=row_order)


def row_label(track: Track, pitch: int) -> str:
    """A pad's sample name when it has one, else the kit voice (with its key when it is not the voice's usual one)."""
    if pitch in track.pads:
        return track.pads[pitch].name
    voice = GM_DRUMS.get(pitch)
    if voice is None:
        return f"Key {pitch}"
    label = VOICE_LABELS[voice]
    return label if PAD_KEYS[voice] == pitch else f"{label} {pitch}"


def step_start(index: int, step: int, swing: float) -> int:
    """Where a step's hit lands: on the grid, odd steps delayed by swing exactly as Quantize would place them."""
    return grid_point(index * step, step, swing)


def pattern_copies(song: Song, track: Track, bars: int) -> dict[Origin, list[tuple[int, int, int, int]]]:
    """The notes of the first `bars` bars copied into every later bar of the song, grouped by origin.

    Copies keep their source's origin, so an assistant's pattern repeated by a
    person still counts as the assistant's in credits and disclosure. Bar by bar,
    so a meter change cuts a copy at the bar it lands in; a copy where the same
    key already starts is left out, so repeating twice doubles nothing.
    """
    meter = song.meter
    taken = {(n.pitch, n.start) for n in track.notes.values()}
    copies: dict[Origin, list[tuple[int, int, int, int]]] = defaultdict(list)
    for bar in range(bars, meter.bars_to_cover(song.end_tick)):
        source, source_end = meter.bar_start(bar % bars), meter.bar_start(bar % bars + 1)
        target, target_end = meter.bar_start(bar), meter.bar_start(bar + 1)
        for note in track.sorted_notes():
            start = note.start - source + target
            if source <= note.start < source_end and start < target_end and (note.pitch, start) not in taken:
                copies[note.origin].append((note.pitch, start, note.duration, note.velocity))
    return copies


@dataclass
class _Run:
    """A paint or erase gesture along one row, from the pressed cell to the one under the pointer."""

    erase: bool
    pitch: int
    anchor: int
    reach: int

    @property
    def cells(self) -> range:
        return range(min(self.anchor, self.reach), max(self.anchor, self.reach) + 1)


@dataclass
class _VelocityDrag:
    """A Shift+drag on a cell: the pointer's rise is added to the velocity of the cell's notes."""

    notes: list[Note]
    y: int
    delta: int = 0

    def velocity(self, note: Note) -> int:
        return min(127, max(1, note.velocity + self.delta))


class DrumGrid(QAbstractScrollArea):
    """Rows of drum keys, columns of steps; the ruler and the row names stay put while the cells scroll."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.colours: Palette = DARK
        self.step_name = DEFAULT_STEP
        self._swing = 0.0
        self.beat_pixels = DEFAULT_BEAT_PIXELS
        #: the velocity a new step gets on each row: the last one the person set there
        self.row_velocity: dict[int, int] = {}
        self.rows: list[int] = []
        self._run: _Run | None = None
        self._velocity_drag: _VelocityDrag | None = None
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().setSingleStep(ROW_HEIGHT)
        self.verticalScrollBar().setSingleStep(ROW_HEIGHT)
        session.changed.connect(self._on_changed)
        session.current_track_changed.connect(self._on_track_changed)
        session.selection_changed.connect(self.viewport().update)
        session.suggestion_changed.connect(self._refresh)
        self._refresh()

    # -- what is shown --------------------------------------------------------------

    @property
    def track(self) -> Track | None:
        """The current track if it is a drum track: the grid has nothing to say about a melody."""
        track = self.session.current_track
        return track if track is not None and track.is_drums else None

    @property
    def step(self) -> int:
        return STEPS[self.step_name]

    def set_step(self, name: str) -> None:
        if name not in STEPS:
            raise ValueError(f"step {name!r} is not one of {', '.join(STEPS)}")
        self.step_name = name
        self._refresh()

    @property
    def swing(self) -> float:
        """0..1: how late new off-beat steps land (a third of a step at 1, a triplet shuffle)."""
        return self._swing

    @swing.setter
    def swing(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"swing {value} is outside 0..1")
        self._swing = value

    def set_colours(self, colours: Palette) -> None:
        self.colours = colours
        self.viewport().update()

    def ghosts(self) -> list[tuple[int, ProposedNote]]:
        """(index, note) of the pending suggestion's notes for this track: the indices ghost_selection holds."""
        suggestion, track = self.session.suggestion, self.track
        if suggestion is None or track is None or suggestion.track_id != track.id:
            return []
        return list(enumerate(suggestion.notes))

    def row_label(self, pitch: int) -> str:
        return row_label(self.track, pitch) if self.track else ""

    def shows(self, change: ChangeSet) -> bool:
        """Whether a change touches what the grid draws: this track, its suggestion, or the song's bars."""
        track = self.track
        if change.track_list or change.song_fields & {"meter", "length_bars"}:
            return True
        if track is None:
            return False
        if track.id in change.note_tracks or track.id in change.track_settings:
            return True
        return self.session.suggestion_id in change.suggestions

    def notes_in_cell(self, pitch: int, index: int) -> list[Note]:
        track = self.track
        if track is None:
            return []
        return [n for n in track.notes.values() if n.pitch == pitch and n.start // self.step == index]

    def ghosts_in_cell(self, pitch: int, index: int) -> list[int]:
        return [i for i, n in self.ghosts() if n.pitch == pitch and n.start // self.step == index]

    # -- geometry (viewport coordinates) ----------------------------------------------

    @property
    def tick_pixels(self) -> float:
        return self.beat_pixels / self.session.song.ppq

    @property
    def cell_count(self) -> int:
        """Cells up to the end of the song's last bar."""
        meter = self.session.song.meter
        return -(-meter.bar_start(meter.bars_to_cover(self.session.song.end_tick)) // self.step)

    def x_of(self, tick: int) -> int:
        return LABEL_WIDTH + round(tick * self.tick_pixels) - self.horizontalScrollBar().value()

    def y_of(self, row: int) -> int:
        return RULER_HEIGHT + row * ROW_HEIGHT - self.verticalScrollBar().value()

    def cell_rect(self, pitch: int, index: int) -> QRect:
        """Where the cell of key `pitch`, step `index` is drawn (and clicked)."""
        left, right = self.x_of(index * self.step), self.x_of((index + 1) * self.step)
        return QRect(left, self.y_of(self.rows.index(pitch)), right - left, ROW_HEIGHT)

    def row_at(self, y: int) -> int | None:
        """The key of the row at height `y`, or None above or below the rows."""
        if y < RULER_HEIGHT:
            return None
        row = (y - RULER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT
        return self.rows[row] if row < len(self.rows) else None

    def index_at(self, x: int) -> int:
        """The step under `x`, clamped to the song, so a drag past either end stops at the first or last cell."""
        tick = (x - LABEL_WIDTH + self.horizontalScrollBar().value()) / self.tick_pixels
        return min(max(0, int(tick // self.step)), self.cell_count - 1)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """(key, step) of the cell under `pos`, or None outside the cells."""
        pitch = self.row_at(pos.y())
        if pitch is None or pos.x() < LABEL_WIDTH or self.track is None:
            return None
        index = self.index_at(pos.x())
        return (pitch, index) if self.cell_rect(pitch, index).contains(pos) else None

    def zoom_by(self, factor: float, anchor_x: int | None = None) -> None:
        """Zoom horizontally, keeping the tick under `anchor_x` (default: the left edge of the cells) in place."""
        anchor_x = LABEL_WIDTH if anchor_x is None else anchor_x
        bar = self.horizontalScrollBar()
        tick = (anchor_x - LABEL_WIDTH + bar.value()) / self.tick_pixels
        self.beat_pixels = min(MAX_BEAT_PIXELS, max(MIN_BEAT_PIXELS, self.beat_pixels * factor))
        self._update_scroll_ranges()
        bar.setValue(round(tick * self.tick_pixels) - (anchor_x - LABEL_WIDTH))
        self.viewport().update()

    # -- edits ------------------------------------------------------------------------

    def toggle_ghosts(self, indices: list[int]) -> None:
        """Pick the cell's ghost notes, or drop them when all were picked."""
        picked = self.session.ghost_selection
        self.session.select_ghosts(picked - set(indices) if set(indices) <= picked else picked | set(indices))

    def apply_swing(self) -> bool:
        """Swing the track's existing notes onto the current step grid (one Quantize, one undo step)."""
        track = self.track
        if track is None or not track.notes:
            self.session.failed.emit("there are no drum notes to swing")
            return False
        return self.session.apply(Quantize(list(track.notes), grid=self.step, swing=self.swing))

    def repeat_pattern(self, bars: int) -> bool:
        """Copy bars 1..`bars` over the rest of the song, as one step (see pattern_copies)."""
        track, song = self.track, self.session.song
        if track is None or not 1 <= bars < song.meter.bars_to_cover(song.end_tick):
            self.session.failed.emit(f"cannot repeat {bars} bars: the pattern must be shorter than the song")
            return False
        copies = pattern_copies(song, track, bars)
        if not copies:
            self.session.failed.emit(f"nothing to repeat: bars 1..{bars} are already repeated or empty")
            return False
        return self.session.apply(Macro(f"Repeat {bars} bars",
                                        [AddNotes(track.id, rows, origin) for origin, rows in copies.items()]))

    def _commit_run(self, run: _Run) -> None:
        """Land a paint or erase gesture as one command; cells already as wanted are left alone."""
        if run.erase:
            doomed = [n.id for i in run.cells for n in self.notes_in_cell(run.pitch, i)]
            if doomed:
                self.session.apply(Macro(f"Erase {len(doomed)} steps", [DeleteNotes(doomed)]))
            return
        velocity = self.row_velocity.get(run.pitch, DEFAULT_VELOCITY)
        new = [(run.pitch, step_start(i, self.step, self.swing), self.step, velocity)
               for i in run.cells if not self.notes_in_cell(run.pitch, i)]
        if new:
            self.session.apply(Macro(f"Paint {len(new)} steps", [AddNotes(self.track.id, new)]))

    def _commit_velocity(self, drag: _VelocityDrag) -> None:
        if drag.delta:
            self.row_velocity[drag.notes[0].pitch] = drag.velocity(drag.notes[0])
            self.session.apply(SetVelocity([n.id for n in drag.notes], delta=drag.delta))

    # -- mouse and wheel ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """Left: toggle or paint; right: erase; Shift+left: velocity; a ghost cell: pick the ghost."""
        pos = event.position().toPoint()
        cell = self.cell_at(pos)
        if cell is None or event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        pitch, index = cell
        notes = self.notes_in_cell(pitch, index)
        right = event.button() == Qt.MouseButton.RightButton
        if not right and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._velocity_drag = _VelocityDrag(notes, pos.y()) if notes else None
        elif not right and self.ghosts_in_cell(pitch, index):
            self.toggle_ghosts(self.ghosts_in_cell(pitch, index))
        else:
            self._run = _Run(right or bool(notes), pitch, index, index)
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._run is not None:
            self._run.reach = self.index_at(pos.x())
        elif self._velocity_drag is not None:
            self._velocity_drag.delta = self._velocity_drag.y - pos.y()
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        run, drag = self._run, self._velocity_drag
        self._run = self._velocity_drag = None
        if run is not None:
            self._commit_run(run)
        elif drag is not None:
            self._commit_velocity(drag)
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """Ctrl+wheel zooms around the pointer; Shift+wheel scrolls along the song."""
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 ** steps, round(event.position().x()))
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - round(steps * bar.singleStep() * 3))
        else:
            super().wheelEvent(event)

    # -- dropping a sample on a row ------------------------------------------------------

    @staticmethod
    def audio_path(event: QDropEvent) -> Path | None:
        """The first local audio file the drag carries."""
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if url.isLocalFile() and path.suffix.lower() in AUDIO_SUFFIXES:
                return path
        return None

    def _drop_row(self, event: QDropEvent) -> int | None:
        if self.track is None or self.audio_path(event) is None:
            return None
        return self.row_at(event.position().toPoint().y())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.track is not None and self.audio_path(event) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._drop_row(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Put the dropped file on the row's pad; a file that cannot be read becomes a message."""
        pitch = self._drop_row(event)
        if pitch is None:
            event.ignore()
            return
        event.acceptProposedAction()
        try:
            ref = sample_ref(self.audio_path(event), root=None)
        except FileProblem as e:
            self.session.failed.emit(str(e))
            return
        self.session.apply(AssignSample(self.track.id, pitch, ref))

    # -- keeping up with the session --------------------------------------------------------

    def _on_changed(self, change: ChangeSet) -> None:
        if self.shows(change):
            self._refresh()

    def _on_track_changed(self, _track_id: str) -> None:
        self._run = self._velocity_drag = None
        self.row_velocity.clear()
        self._refresh()

    def _refresh(self) -> None:
        track = self.track
        self.rows = drum_rows(track, (n.pitch for _, n in self.ghosts())) if track else []
        self._update_scroll_ranges()
        self.viewport().update()

    def _update_scroll_ranges(self) -> None:
        width = round(self.cell_count * self.step * self.tick_pixels)
        visible = self.viewport().size()
        self.horizontalScrollBar().setRange(0, max(0, width - (visible.width() - LABEL_WIDTH)))
        self.horizontalScrollBar().setPageStep(max(1, visible.width() - LABEL_WIDTH))
        self.verticalScrollBar().setRange(0, max(0, len(self.rows) * ROW_HEIGHT - (visible.height() - RULER_HEIGHT)))
        self.verticalScrollBar().setPageStep(max(1, visible.height() - RULER_HEIGHT))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_scroll_ranges()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        """Everything is drawn from the scroll bars' values, so a scroll is a repaint."""
        self.viewport().update()

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        painter.fillRect(self.viewport().rect(), self.colours.background)
        if self.track is None:
            painter.setPen(self.colours.text_dim)
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter,
                             "Choose a drum track to see its steps")
        else:
            painter.setClipRect(QRect(LABEL_WIDTH, RULER_HEIGHT, self.viewport().width(), self.viewport().height()))
            self._paint_beats(painter)
            self._paint_notes(painter)
            self._paint_ghosts(painter)
            self._paint_run(painter)
            painter.setClipping(False)
            self._paint_labels(painter)
            self._paint_ruler(painter)
        painter.end()

    def _visible_ticks(self) -> tuple[int, int]:
        left = self.horizontalScrollBar().value() / self.tick_pixels
        return int(left), int(left + (self.viewport().width() - LABEL_WIDTH) / self.tick_pixels) + 1

    def _bars(self):
        """(bar number from 1, start, end, meter) of each bar in view."""
        meter = self.session.song.meter
        first, last = self._visible_ticks()
        for bar in range(meter.bar_at(first), meter.bars_to_cover(min(last, self.cell_count * self.step))):
            start = meter.bar_start(bar)
            yield bar + 1, start, meter.bar_start(bar + 1), meter.at(start)

    def _paint_beats(self, painter: QPainter) -> None:
        """Rows, every other beat shaded, then step, beat and bar lines: the eye counts beats, not cells."""
        c, top, bottom = self.colours, self.y_of(0), self.y_of(len(self.rows))
        painter.fillRect(QRect(LABEL_WIDTH, top, self.viewport().width(), bottom - top), c.row_in_scale)
        step_pixels = self.step * self.tick_pixels
        for _number, start, end, meter in self._bars():
            beat = self.session.song.ppq * 4 // meter.denominator
            for i, tick in enumerate(range(start, end, beat)):
                x = self.x_of(tick)
                if i % 2:
                    painter.fillRect(QRect(x, top, self.x_of(min(tick + beat, end)) - x, bottom - top),
                                     c.row_out_of_scale)
                painter.setPen(c.grid_bar if i == 0 else c.grid_beat)
                painter.drawLine(x, top, x, bottom)
            if step_pixels >= 4:
                painter.setPen(c.grid_step)
                for tick in range(-(-start // self.step) * self.step, end, self.step):
                    if (tick - start) % beat:
                        painter.drawLine(self.x_of(tick), top, self.x_of(tick), bottom)
        painter.setPen(c.grid_step)
        for row in range(len(self.rows) + 1):
            painter.drawLine(LABEL_WIDTH, self.y_of(row), self.viewport().width(), self.y_of(row))

    def _note_colour(self, note: Note) -> QColor:
        base = ORIGIN_COLOURS[note_class(note.origin)] if self.session.colour_by_origin else self.colours.note
        return velocity_colour(base, note.velocity)

    def hit_rect(self, pitch: int, start: int) -> QRect:
        """A hit's block: the whole cell it belongs to, inset from the lines, however far off the grid it starts."""
        return self.cell_rect(pitch, start // self.step).adjusted(CELL_INSET, CELL_INSET, -CELL_INSET, -CELL_INSET)

    def offset_marker(self, pitch: int, start: int) -> QRect | None:
        """A notch in the top of the hit's block where a hit off the step grid really starts; None on the grid.

        A notch rather than a cut through, so a small block still reads as one
        hit; kept clear of the block's edges, so a hit a tick late still shows
        a marker rather than one hidden under the cell line.
        """
        if start % self.step == 0:
            return None
        block = self.hit_rect(pitch, start)
        low, high = block.left() + MARKER_WIDTH, block.right() - 2 * MARKER_WIDTH + 1
        x = min(max(self.x_of(start) - MARKER_WIDTH // 2, low), max(low, high))
        return QRect(x, block.top(), MARKER_WIDTH, max(MARKER_HEIGHT, block.height() // 3))

    def _paint_hit(self, painter: QPainter, rect: QRect, marker: QRect | None, colour: QColor) -> None:
        """A filled block; its offset marker cut into it in the background colour, so it reads on any fill."""
        painter.fillRect(rect, colour)
        if marker is not None:
            painter.fillRect(marker, self.colours.background)

    def _paint_notes(self, painter: QPainter) -> None:
        first, last = self._visible_ticks()
        erased = set(self._run.cells) if self._run is not None and self._run.erase else set()
        drag = self._velocity_drag
        dragged = {n.id for n in drag.notes} if drag else set()
        selected = QPen(self.colours.note_selected, 2)
        for note in self.track.notes.values():
            if not first - self.step <= note.start <= last:
                continue
            if self._run is not None and note.pitch == self._run.pitch and note.start // self.step in erased:
                continue
            shown = note._replace(velocity=drag.velocity(note)) if note.id in dragged else note
            rect = self.hit_rect(note.pitch, note.start)
            self._paint_hit(painter, rect, self.offset_marker(note.pitch, note.start), self._note_colour(shown))
            if note.id in self.session.selection:
                painter.setPen(selected)
                painter.drawRect(rect)

    def _paint_ghosts(self, painter: QPainter) -> None:
        """The pending suggestion's hits: outlined, filled when picked, in the suggestion colour."""
        colour, picked = self.colours.suggestion, self.session.ghost_selection
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        for index, note in self.ghosts():
            rect, marker = self.hit_rect(note.pitch, note.start), self.offset_marker(note.pitch, note.start)
            if index in picked:
                self._paint_hit(painter, rect, marker, colour)
            elif marker is not None:
                painter.fillRect(marker, colour)
            painter.drawRect(rect)

    def _paint_run(self, painter: QPainter) -> None:
        """The gesture in progress: the steps it will paint, or an outline round those it will erase."""
        run = self._run
        if run is None:
            return
        pen = QPen(self.colours.note_selected, 1, Qt.PenStyle.DotLine)
        colour = velocity_colour(self.colours.note, self.row_velocity.get(run.pitch, DEFAULT_VELOCITY))
        for index in run.cells:
            start = step_start(index, self.step, self.swing)
            rect = self.hit_rect(run.pitch, start)
            if run.erase:
                painter.setPen(pen)
                painter.drawRect(rect)
            elif not self.notes_in_cell(run.pitch, index):
                self._paint_hit(painter, rect, self.offset_marker(run.pitch, start), colour)

    def _paint_ruler(self, painter: QPainter) -> None:
        c = self.colours
        painter.fillRect(QRect(0, 0, self.viewport().width(), RULER_HEIGHT), c.panel)
        painter.setPen(c.text_dim)
        for number, start, _end, _meter in self._bars():
            x = self.x_of(start)
            if x >= LABEL_WIDTH:
                painter.drawLine(x, RULER_HEIGHT // 2, x, RULER_HEIGHT)
                painter.drawText(x + 4, RULER_HEIGHT - 6, str(number))

    def _paint_labels(self, painter: QPainter) -> None:
        """Row names; a pad's sample in the note colour, rows with no hits dimmed."""
        c, track = self.colours, self.track
        painter.fillRect(QRect(0, 0, LABEL_WIDTH, self.viewport().height()), c.panel)
        used = {n.pitch for n in track.notes.values()}
        for row, pitch in enumerate(self.rows):
            rect = QRect(8, self.y_of(row), LABEL_WIDTH - 12, ROW_HEIGHT)
            painter.setPen(c.note if pitch in track.pads else c.text if pitch in used else c.text_dim)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             painter.fontMetrics().elidedText(self.row_label(pitch), Qt.TextElideMode.ElideRight,
                                                              rect.width()))


def velocity_colour(base: QColor, velocity: int) -> QColor:
    """The colour of a hit: brighter the harder it is played, so velocity reads at a glance."""
    colour = QColor(base)
    colour.setAlpha(60 + round(195 * velocity / 127))
    return colour
