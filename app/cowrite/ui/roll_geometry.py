"""Where things are in the piano roll: ticks and pitches to pixels and back, the snap grid, and what is in view.

Pure (no Qt at all), so the mapping the mouse and the painter share is
unit-tested on its own. Time runs left to right at `pixels_per_quarter`
(horizontal zoom), pitch 127 is the top row and each semitone is `row_height`
pixels (vertical zoom). `left` and `top` are where the note area starts in the
widget (after the keyboard, below the ruler and the chords).

`NoteIndex` keeps a track's notes sorted by start so that a paint touches only
the visible ones, and `occupancy` reduces tens of thousands of notes to one
pixel column each when the whole song is in view.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from math import ceil, floor
from operator import attrgetter
from typing import Callable, Iterable

import numpy as np

from cowrite.model import PPQ, MeterMap, Note, Origin
from cowrite.theory.quantize import GRIDS

PITCHES = 128
#: a grid step closer than this is too fine to aim at, so the automatic grid stops before it
MIN_GRID_PIXELS = 12
#: the automatic grid picks from the straight divisions; triplets are a deliberate choice
AUTO_GRIDS = ("1/1", "1/2", "1/4", "1/8", "1/16", "1/32", "1/64")
AUTO = "auto"
#: snap off: notes land where the pointer is; the lines (and nudges) follow zoom as with AUTO
OFF = "off"
MIN_PIXELS_PER_QUARTER, MAX_PIXELS_PER_QUARTER = 0.01, 1000.0
MIN_ROW_HEIGHT, MAX_ROW_HEIGHT = 4.0, 40.0
#: above this many notes in view a layer is drawn as a raster summary (`occupancy`), not note by note:
#: so many notes leave each a few pixels at most, and a rectangle apiece would cost more than a frame
SUMMARY_NOTES = 2000
#: grid lines closer than this are left out: they would paint the area solid
MIN_LINE_PIXELS = 6


@dataclass
class RollGeometry:
    """The view of the roll: zoom, scroll and size of the note area, and the snap grid."""

    left: int = 0
    top: int = 0
    view_width: int = 800
    view_height: int = 600
    pixels_per_quarter: float = 48.0
    row_height: float = 14.0
    #: the tick at the left edge of the note area
    scroll_tick: float = 0.0
    #: pixels scrolled down from the top of the highest row (pitch 127)
    scroll_y: float = 0.0
    #: "auto" (follows zoom), "off" (no snap) or a name from GRIDS the person picked
    grid_name: str = AUTO

    # -- mapping -----------------------------------------------------------------------

    @property
    def pixels_per_tick(self) -> float:
        return self.pixels_per_quarter / PPQ

    def x_of(self, tick: float) -> float:
        return self.left + (tick - self.scroll_tick) * self.pixels_per_tick

    def tick_at(self, x: float) -> float:
        return self.scroll_tick + (x - self.left) / self.pixels_per_tick

    def y_of(self, pitch: int) -> float:
        """The top of `pitch`'s row."""
        return self.top + (PITCHES - 1 - pitch) * self.row_height - self.scroll_y

    def pitch_at(self, y: float) -> int:
        """The pitch of the row at `y`, clamped to 0..127 so a drag past the edge stops at the last row."""
        row = floor((y - self.top + self.scroll_y) / self.row_height)
        return min(PITCHES - 1, max(0, PITCHES - 1 - row))

    def in_notes(self, x: float, y: float) -> bool:
        return self.left <= x < self.left + self.view_width and self.top <= y < self.top + self.view_height

    # -- what is in view ---------------------------------------------------------------

    def visible_ticks(self) -> tuple[int, int]:
        """[start, end) of the ticks in view."""
        return floor(self.scroll_tick), ceil(self.tick_at(self.left + self.view_width))

    def visible_pitches(self) -> tuple[int, int]:
        """(lowest, highest) pitch with a row at least partly in view."""
        return self.pitch_at(self.top + self.view_height - 1), self.pitch_at(self.top)

    # -- the snap grid -----------------------------------------------------------------

    @property
    def grid_ticks(self) -> int:
        """The person's grid, or the finest straight one whose step is still MIN_GRID_PIXELS wide."""
        if self.grid_name in GRIDS:
            return GRIDS[self.grid_name]
        fitting = [GRIDS[name] for name in AUTO_GRIDS if GRIDS[name] * self.pixels_per_tick >= MIN_GRID_PIXELS]
        return min(fitting, default=GRIDS[AUTO_GRIDS[0]])

    def set_grid(self, name: str) -> None:
        if name not in (AUTO, OFF) and name not in GRIDS:
            raise ValueError(f"grid {name!r} is not {AUTO}, {OFF} or one of {', '.join(GRIDS)}")
        self.grid_name = name

    @property
    def snaps(self) -> bool:
        """Whether edits land on the grid (not when the person turned snap off)."""
        return self.grid_name != OFF

    def snap(self, tick: float, free: bool = False) -> int:
        """The nearest grid line (a moved note lands on it); `free` (Alt held) keeps the exact tick."""
        grid = self.grid_ticks
        return max(0, round(tick) if free or not self.snaps else round(tick / grid) * grid)

    def snap_move(self, tick: int, travel: float, free: bool = False) -> int:
        """How far a note edge at `tick` moves when the pointer has travelled `travel` ticks.

        It lands on the grid, but stays put until the pointer has gone half a
        grid step: a played-in note dragged only up or down keeps its timing.
        """
        free = free or not self.snaps
        if not free and abs(travel) < self.grid_ticks / 2:
            return 0
        return self.snap(tick + travel, free) - tick

    def snap_down(self, tick: float, free: bool = False) -> int:
        """The grid line at or before `tick`: a drawn note starts in the cell that was clicked."""
        grid = self.grid_ticks
        return max(0, floor(tick) if free or not self.snaps else floor(tick / grid) * grid)

    # -- zoom and scroll ---------------------------------------------------------------

    def zoom_horizontal(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom time by `factor`, keeping the tick under `anchor_x` (default: the view's middle) in place."""
        anchor_x = self.left + self.view_width / 2 if anchor_x is None else anchor_x
        tick = self.tick_at(anchor_x)
        self.pixels_per_quarter = min(MAX_PIXELS_PER_QUARTER,
                                      max(MIN_PIXELS_PER_QUARTER, self.pixels_per_quarter * factor))
        self.scroll_tick = max(0.0, tick - (anchor_x - self.left) / self.pixels_per_tick)

    def zoom_vertical(self, factor: float, anchor_y: float | None = None) -> None:
        """Make rows taller or shorter by `factor`, keeping the pitch under `anchor_y` in place."""
        anchor_y = self.top + self.view_height / 2 if anchor_y is None else anchor_y
        offset = anchor_y - self.top + self.scroll_y
        old = self.row_height
        self.row_height = min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, old * factor))
        self.scroll_y = offset * self.row_height / old - (anchor_y - self.top)
        self.clamp_scroll()

    def scroll_by(self, dx: float, dy: float) -> None:
        """Scroll by pixels: positive dx shows later ticks, positive dy lower pitches."""
        self.scroll_tick = max(0.0, self.scroll_tick + dx / self.pixels_per_tick)
        self.scroll_y += dy
        self.clamp_scroll()

    def clamp_scroll(self) -> None:
        """Keep the rows covering the view: no empty band above pitch 127 or below pitch 0."""
        self.scroll_y = min(self.max_scroll_y, max(0.0, self.scroll_y))

    def centre_on_pitch(self, pitch: float) -> None:
        self.scroll_y = (PITCHES - 1 - pitch + 0.5) * self.row_height - self.view_height / 2
        self.clamp_scroll()

    def visible(self, tick: float) -> bool:
        """Whether `tick` is in the view (the playhead, say)."""
        return self.scroll_tick <= tick < self.tick_at(self.left + self.view_width)

    @property
    def max_scroll_y(self) -> float:
        return max(0.0, PITCHES * self.row_height - self.view_height)

    def fit_ticks(self, start: int, end: int) -> None:
        """Zoom and scroll so that [start, end) fills the width of the view."""
        self.pixels_per_quarter = min(MAX_PIXELS_PER_QUARTER, max(
            MIN_PIXELS_PER_QUARTER, self.view_width * PPQ / max(1, end - start)))
        self.scroll_tick = float(max(0, start))


def beat_start(meter: MeterMap, tick: float) -> int:
    """The start of the beat `tick` falls in (counted from its bar's start): where a chord entered there begins."""
    tick = max(0, floor(tick))
    bar_start = meter.bar_start(meter.bar_at(tick))
    beat = PPQ * 4 // meter.at(tick).denominator
    return bar_start + (tick - bar_start) // beat * beat


# -- grid lines ------------------------------------------------------------------------------

@dataclass
class GridLines:
    """Ticks of the lines in view: bars (with their 0-based numbers), beats and grid steps."""

    bars: list[tuple[int, int]]
    beats: list[int]
    steps: list[int]


def power_of_two_stride(pixels: float, minimum: float) -> int:
    """Every how many items to show so that shown items are at least `minimum` pixels apart."""
    stride = 1
    while pixels * stride < minimum:
        stride *= 2
    return stride


def grid_lines(geometry: RollGeometry, meter: MeterMap, min_pixels: float = MIN_LINE_PIXELS) -> GridLines:
    """The bar, beat and step lines in view, leaving out any kind that would be closer than `min_pixels`.

    Zoomed far out only every 2nd, 4th... bar line is kept, so the count of
    lines stays near the view's width / min_pixels however long the song is.
    """
    start, end = geometry.visible_ticks()
    ppt = geometry.pixels_per_tick
    first = meter.bar_at(max(0, start))
    stride = power_of_two_stride(meter.at(start).bar_ticks * ppt, min_pixels)
    bars, beats, steps = [], [], []
    bar = first - first % stride
    grid = geometry.grid_ticks
    while (bar_start := meter.bar_start(bar)) < end:
        bars.append((bar, bar_start))
        if stride == 1:
            change = meter.at(bar_start)
            beat = PPQ * 4 // change.denominator
            bar_end = bar_start + change.bar_ticks
            if beat * ppt >= min_pixels:
                beats.extend(range(bar_start + beat, bar_end, beat))
            if grid * ppt >= min_pixels and grid < beat:
                steps.extend(t for t in range(bar_start + grid, bar_end, grid) if (t - bar_start) % beat)
        bar += stride
    return GridLines(bars, beats, steps)


# -- notes in view ---------------------------------------------------------------------------

class NoteIndex:
    """A track's notes in start order, so a paint finds the visible ones by bisection.

    `reach[i]` is the latest end of notes[0..i]: it never decreases, so bisecting
    it finds the first note that can still sound at a tick, however long the
    notes before it are. Rebuilt (not patched) when the track changes: a
    ChangeSet names the track, not the notes.
    """

    def __init__(self, notes: Iterable[Note]):
        self.notes: list[Note] = sorted(notes, key=attrgetter("start"))
        self.starts = [n.start for n in self.notes]
        self.reach = list(accumulate((n.start + n.duration for n in self.notes), max))
        self._columns: dict[str, np.ndarray] | None = None
        self._origin_codes: dict[Callable, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.notes)

    def span(self, start: float, end: float) -> tuple[int, int]:
        """Index range [lo, hi) holding every note that overlaps [start, end) (and perhaps a few that end before)."""
        return bisect_right(self.reach, start), bisect_left(self.starts, end)

    def overlapping(self, start: float, end: float) -> list[Note]:
        lo, hi = self.span(start, end)
        return [n for n in self.notes[lo:hi] if n.start + n.duration > start]

    def in_row(self, pitch: int, start: float, end: float) -> list[Note]:
        """The notes of `pitch` overlapping [start, end): what the pointer is on, or what a stroke along a row
        crossed."""
        return [n for n in self.overlapping(start, max(end, start + 1)) if n.pitch == pitch]

    def columns(self) -> dict[str, np.ndarray]:
        """start, end, pitch, velocity and id as arrays, for the zoomed-out summary (built on first use)."""
        if self._columns is None:
            def column(name: str) -> np.ndarray:
                return np.fromiter(map(attrgetter(name), self.notes), np.int64, len(self.notes))

            start = np.array(self.starts, dtype=np.int64)
            self._columns = {"start": start, "end": start + column("duration"), "pitch": column("pitch"),
                             "velocity": column("velocity"), "id": column("id")}
        return self._columns

    def origin_codes(self, code_of: Callable[[Origin], int]) -> np.ndarray:
        """`code_of(origin)` of every note, as an array; notes share origins, so each is asked once."""
        if code_of not in self._origin_codes:
            known: dict[int, int] = {}  # by id(): the origins are alive, held by the notes
            for note in self.notes:
                if id(note.origin) not in known:
                    known[id(note.origin)] = code_of(note.origin)
            codes = [known[id(n.origin)] for n in self.notes]
            self._origin_codes[code_of] = np.array(codes, dtype=np.uint8)
        return self._origin_codes[code_of]


def occupancy(starts: np.ndarray, ends: np.ndarray, pitches: np.ndarray, codes: np.ndarray,
              geometry: RollGeometry) -> np.ndarray:
    """A (128, view_width) raster: for each pitch row and pixel column, the code (1..) of a note sounding there.

    For the zoomed-out summary: 100,000 notes become a few array passes instead
    of 100,000 rectangles. Each note covers its columns from start to end (at
    least one); where notes of several codes meet, the highest code wins, so
    selected notes (the highest code) stay visible. 0 means no note.
    """
    width = geometry.view_width
    raster = np.zeros((PITCHES, width), dtype=np.uint8)
    if width <= 0 or len(starts) == 0:
        return raster
    ppt = geometry.pixels_per_tick
    first = np.clip(np.floor((starts - geometry.scroll_tick) * ppt).astype(np.int64), 0, width)
    last = np.clip(np.ceil((ends - geometry.scroll_tick) * ppt).astype(np.int64), 0, width)
    last = np.maximum(last, np.minimum(first + 1, width))
    for code in np.unique(codes):
        mine = codes == code
        row = pitches[mine] * (width + 1)
        size = PITCHES * (width + 1)
        edges = (np.bincount(row + first[mine], minlength=size)
                 - np.bincount(row + last[mine], minlength=size))
        covered = np.cumsum(edges.reshape(PITCHES, width + 1), axis=1)[:, :width] > 0
        raster[covered] = code
    return raster
