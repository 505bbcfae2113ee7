"""The piano roll: the current track's notes on a time/pitch grid, drawn and edited with the mouse.

One widget paints the whole roll in one paintEvent (as LMMS does), not one
QGraphicsItem a note: with 100,000 notes, items would cost memory and time for
notes nobody sees. A paint bisects the track's notes (sorted by start, cached
until a ChangeSet names the track) for the ones in view, draws them in a few
batched calls, and, when tens of thousands are in view, draws a one-pixel-a-column
raster of them instead (`roll_geometry.occupancy`).

Edits go through `session.apply` only, with the person as author; a mouse
gesture is previewed while the button is down and lands on release as one
command (see roll_tools), so it is one undo step and one ledger event.

Four tools, as in FL Studio and LMMS: select (the default: a drag on empty
space is a rubber band, a double-click adds a note, as in Ableton), draw (a
click adds a note, a drag sets its length), erase (a click or stroke deletes)
and slice (a click cuts a note at the grid line nearest the pointer). The
right button erases in every tool, and Ctrl+drag on empty space selects in the
draw tool too.
`roll_view.RollView` puts a toolbar and scroll bars around the roll.

Layout, top to bottom: the ruler (bar numbers, loop range), the chord lane,
the notes with the keyboard at their left, and the velocity lane.
"""

from __future__ import annotations

from functools import cache
from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, QKeyCombination, QLineF, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QImage, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent,
                           QPen, QPolygonF, QWheelEvent)
from PySide6.QtWidgets import QWidget

from cowrite.attribution import vocabulary as V
from cowrite.attribution.authorship import note_class
from cowrite.edit import AddNotes, ChangeSet, DeleteNotes, MoveNotes, Quantize, SetNoteValues, SplitNote, Transpose
from cowrite.model import PPQ, Note, Origin, ProposedNote, Track
from cowrite.theory.keys import scale_pitch_classes
from cowrite.theory.pitch import note_name
from cowrite.ui.roll_geometry import (PITCHES, SUMMARY_NOTES, NoteIndex, RollGeometry, beat_start, grid_lines,
                                      occupancy, power_of_two_stride)
from cowrite.ui.roll_tools import (ClipNote, DrawGesture, EraseGesture, Gesture, MoveGesture, ResizeGesture,
                                   RubberBand, clip, clip_length, out_of_scale, paste_notes, placed, raster_image,
                                   scale_step)
from cowrite.ui.session import Session
from cowrite.ui.theme import (CHORD_LANE_HEIGHT, DARK, KEYBOARD_WIDTH, ORIGIN_COLOURS, RULER_HEIGHT,
                              VELOCITY_LANE_HEIGHT, Palette)
from cowrite.ui.velocity_lane import VelocityLane

#: the tools, in the order the toolbar shows them; the first is where a newcomer starts
TOOLS = ("select", "draw", "erase", "slice")
#: which keys get a name on the keyboard: every C (with its octave) or every key
KEY_NAMES = ("c", "all")
EDGE_PIXELS = 6  # how near a note's end the pointer resizes instead of moving
DRAG_PIXELS = 3  # how far the pointer travels before a press becomes a drag (a click may wobble)
ZOOM_STEP = 1.25
LABEL_SPACING = 40  # pixels between bar numbers at least
DEFAULT_LENGTH = PPQ  # a new note is a quarter until the person draws or resizes one
DEFAULT_VELOCITY = 100
BLACK_PITCH_CLASSES = frozenset({1, 3, 6, 8, 10})
#: codes of the zoomed-out raster: 0 is empty, each note class its own, the selection on top
CLASS_CODES = {cls: code for code, cls in enumerate(V.NOTE_CLASSES, start=1)}
SELECTED_CODE = len(V.NOTE_CLASSES) + 1
NOTES_AREA_TOP = RULER_HEIGHT + CHORD_LANE_HEIGHT


def class_code(origin: Origin) -> int:
    return CLASS_CODES[note_class(origin)]


CHORD_LANE_HINT = "Double-click to type a chord (Am, F/A, G7...)"


# -- keyboard shortcuts -----------------------------------------------------------------------

#: (keys, what they do, action): the roll's keys, in the order the help dialog lists them
BINDINGS = (
    (("Ctrl+Z",), "Undo", lambda r: r.session.undo()),
    (("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", lambda r: r.session.redo()),
    (("Ctrl+C",), "Copy the selected notes", lambda r: r.copy()),
    (("Ctrl+X",), "Cut the selected notes", lambda r: r.cut()),
    (("Ctrl+V",), "Paste at the last click (or the playhead); pasting again continues after it", lambda r: r.paste()),
    (("Ctrl+A",), "Select every note of the track", lambda r: r.select_all()),
    (("Ctrl+I",), "Invert the selection", lambda r: r.invert_selection()),
    (("Ctrl+Shift+O",), "Select the notes outside the song's key", lambda r: r.select_out_of_scale()),
    (("Esc",), "Clear the selection", lambda r: r.session.select(set())),
    (("Delete", "Backspace"), "Delete the selected notes", lambda r: r.delete_selection()),
    (("Up",), "Transpose the selection up a semitone", lambda r: r.transpose(1)),
    (("Down",), "Transpose the selection down a semitone", lambda r: r.transpose(-1)),
    (("Shift+Up",), "Transpose the selection up an octave", lambda r: r.transpose(12)),
    (("Shift+Down",), "Transpose the selection down an octave", lambda r: r.transpose(-12)),
    (("Alt+Up",), "Transpose up to the next note of the key's scale", lambda r: r.transpose_in_scale(1)),
    (("Alt+Down",), "Transpose down to the next note of the key's scale", lambda r: r.transpose_in_scale(-1)),
    (("Left",), "Nudge the selection one grid step earlier", lambda r: r.nudge(-1)),
    (("Right",), "Nudge the selection one grid step later", lambda r: r.nudge(1)),
    (("Q",), "Quantize the selection to the grid", lambda r: r.quantize()),
    (("+", "="), "Zoom in", lambda r: r.zoom(ZOOM_STEP)),
    (("-",), "Zoom out", lambda r: r.zoom(1 / ZOOM_STEP)),
    (("S", "E"), "Select tool: drag on empty space to select", lambda r: r.set_tool("select")),
    (("P", "B"), "Draw tool: click to add a note", lambda r: r.set_tool("draw")),
    (("D",), "Erase tool: click or drag over notes to delete them", lambda r: r.set_tool("erase")),
    (("C",), "Slice tool: click a note to cut it at the grid line", lambda r: r.set_tool("slice")),
)


#: what the mouse does, for the help dialog beside the keys
MOUSE = (
    ("Drag empty space (select tool, the default)", "Select the notes in the rectangle (Shift: add them)"),
    ("Ctrl+drag empty space (draw tool)", "Select the notes in the rectangle, as in the select tool"),
    ("Double-click empty space, click (draw tool)", "Add a note of the last length; drag right to set its length"),
    ("Click a note, Shift+click", "Select it, add it to the selection"),
    ("Click or drag over notes (erase tool); right-click or right-drag (any tool)",
     "Delete them: one undo step a stroke"),
    ("Click a note (slice tool)", "Cut it in two at the grid line nearest the pointer"),
    ("Drag a note, Ctrl+drag", "Move the selected notes, copy them"),
    ("Drag a note's end", "Resize from either end"),
    ("Alt (held while dragging)", "Snap off"),
    ("Alt+click a key", "Select every note of that pitch"),
    ("Click a suggestion's note", "Pick it (or drop it) for a partial accept"),
    ("Drag in the velocity lane", "Draw velocities (of the selected notes only, when some are)"),
    ("Double-click the chord lane", "Enter a chord at that beat"),
    ("Wheel, Ctrl+wheel, Shift/Alt+wheel", "Scroll; zoom time; zoom pitch rows"),
)
SHORTCUTS: list[tuple[str, str]] = [(", ".join(keys), text) for keys, text, _ in BINDINGS] + list(MOUSE)

_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
              | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
#: keys typed with Shift on some layouts, so Shift does not count for them
_SHIFTED_SYMBOLS = frozenset({Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Equal})


@cache
def _actions() -> dict[int, Callable]:
    return {QKeySequence(keys)[0].toCombined(): action
            for all_keys, _text, action in BINDINGS for keys in all_keys}


def _pressed(event: QKeyEvent) -> int:
    modifiers = event.modifiers() & _MODIFIERS
    key = Qt.Key(event.key())
    if key in _SHIFTED_SYMBOLS:
        modifiers &= ~Qt.KeyboardModifier.ShiftModifier
    return QKeyCombination(modifiers, key).toCombined()


class PianoRoll(QWidget):
    """The current track (`session.current_track`) as a piano roll.

    The window sets `playhead_tick` while playing (the view pages along with it
    while `follow_playhead`; call `resume_following` when play starts) and
    `loop_range` when a range loops, and calls `update()` after flipping
    `session.colour_by_origin`. Move the view through the roll's methods
    (zoom, scroll_to...), not `view` directly, so `view_changed` tells the
    scroll bars.
    """

    #: the tool changed (by a key or `set_tool`): its name from TOOLS
    tool_changed = Signal(str)
    #: the view scrolled or zoomed, or its grid or key names changed, so scroll bars and a toolbar can follow
    view_changed = Signal()
    #: the person double-clicked the chord lane: the tick of the start of that beat, to enter a chord there
    chord_lane_activated = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.colours: Palette = DARK
        self.view = RollGeometry(left=KEYBOARD_WIDTH, top=NOTES_AREA_TOP)
        #: one of TOOLS: what a press on the notes does (see the module docstring)
        self.tool = TOOLS[0]
        #: page the view along with the playhead (until the person scrolls it away, see `playhead_tick`)
        self.follow_playhead = True
        #: one of KEY_NAMES: name every C on the keyboard, or every key
        self.key_names = KEY_NAMES[0]
        self._scrolled_away = False
        self._slice_mark: tuple[Note, int] | None = None
        self.last_length = DEFAULT_LENGTH
        self.last_velocity = DEFAULT_VELOCITY
        #: where Ctrl-V pastes: the last click, or the playhead when nobody has clicked
        self.paste_tick: int | None = None
        self.gesture: Gesture | None = None
        self._press: QPointF | None = None
        self._dragging = False
        self._click_selects: set[int] | None = None
        self._clipboard: list[ClipNote] = []
        self._playhead_tick = 0
        self._loop_range: tuple[int, int] | None = None
        self._indexes: dict[str, NoteIndex] = {}
        self._selection_version = 0
        self._summaries: dict[str, tuple[tuple, QImage]] = {}
        self._small_font = QFont(self.font())
        self._small_font.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        self.velocity_lane = VelocityLane(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(KEYBOARD_WIDTH + 100, NOTES_AREA_TOP + VELOCITY_LANE_HEIGHT + 60)
        session.changed.connect(self._on_changed)
        session.selection_changed.connect(self._on_selection_changed)
        session.current_track_changed.connect(self._on_track_changed)
        session.suggestion_changed.connect(self.update)
        self.view.centre_on_pitch(self._middle_pitch())

    # -- what is shown --------------------------------------------------------------------------

    @property
    def track(self) -> Track | None:
        return self.session.current_track

    @property
    def playhead_tick(self) -> int:
        return self._playhead_tick

    @playhead_tick.setter
    def playhead_tick(self, tick: int) -> None:
        """Page the view when the playhead leaves it (see `_follow`); otherwise repaint only the strips the
        playhead leaves and enters: at 60 Hz a full repaint would be waste."""
        if self._follow(tick):
            self._playhead_tick = tick
            self._view_moved(by_person=False)
            return
        for x in (self.view.x_of(self._playhead_tick), self.view.x_of(tick)):
            self.update(QRect(round(x) - 6, 0, 13, NOTES_AREA_TOP + self.view.view_height))  # the triangle, antialiased
        self._playhead_tick = tick

    def _follow(self, tick: int) -> bool:
        """Turn the page so that the playhead at `tick` starts the view, when it has left the view.

        Not while the person has scrolled the playhead out of view: they are
        looking elsewhere. Following resumes once the playhead is back in view
        (it played into what they look at, or they scrolled back), or on
        `resume_following`. Nor while a mouse button is down: the notes being
        dragged would jump away from the pointer. Returns whether the view moved.
        """
        if not self.follow_playhead or self.view.visible(tick):
            self._scrolled_away = False
            return False
        if self._scrolled_away or self.gesture is not None:
            return False
        self.view.scroll_tick = float(max(0, tick))
        return True

    def resume_following(self) -> None:
        """Follow the playhead again (the window calls this when play starts), paging to it now if needed."""
        self._scrolled_away = False
        if self._follow(self._playhead_tick):
            self._view_moved(by_person=False)

    @property
    def loop_range(self) -> tuple[int, int] | None:
        return self._loop_range

    @loop_range.setter
    def loop_range(self, ticks: tuple[int, int] | None) -> None:
        self._loop_range = ticks
        self.update()

    def note_index(self, track: Track | None = None) -> NoteIndex:
        """The track's (default: the current track's) notes sorted by start, built once per change to them."""
        track = track or self.track
        if track.id not in self._indexes:
            self._indexes[track.id] = NoteIndex(track.notes.values())
        return self._indexes[track.id]

    def visible_notes(self, start: float, end: float) -> list[Note]:
        """The current track's notes overlapping [start, end) as shown: a gesture's preview stands in for them."""
        if self.track is None:
            return []
        notes = self.note_index().overlapping(start, end)
        if self.gesture is None:
            return notes
        hidden = self.gesture.hidden
        shown = [n for n in notes if n.id not in hidden] if hidden else notes
        return shown + [n for n in self.gesture.preview() if n.start < end and n.end > start]

    def note_at(self, x: float, y: float) -> tuple[Note, str | None] | None:
        """The note under the pointer, and "start" or "end" when the pointer is on one of its edges."""
        if self.track is None or not self.view.in_notes(x, y):
            return None
        tick, pitch = self.view.tick_at(x), self.view.pitch_at(y)
        under = self.note_index().in_row(pitch, tick, tick + 1)
        if not under:
            return None
        note = under[-1]  # the last drawn is on top
        left, right = self.view.x_of(note.start), self.view.x_of(note.end)
        edge = min(EDGE_PIXELS, (right - left) / 3)
        return note, "start" if x - left <= edge else "end" if right - x <= edge else None

    def ghosts(self) -> list[ProposedNote]:
        """The pending suggestion's notes when it is for this track (their indices are ghost_selection's)."""
        suggestion = self.session.suggestion
        track = self.track
        if suggestion is None or track is None or suggestion.track_id != track.id:
            return []
        return suggestion.notes

    def ghost_at(self, x: float, y: float) -> int | None:
        tick, pitch = self.view.tick_at(x), self.view.pitch_at(y)
        hits = [i for i, n in enumerate(self.ghosts()) if n.pitch == pitch and n.start <= tick < n.start + n.duration]
        return hits[-1] if hits else None

    # -- settings -------------------------------------------------------------------------------

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"tool {tool!r} is not one of {', '.join(TOOLS)}")
        if tool != self.tool:
            self.tool = tool
            self._slice_mark = None
            self.unsetCursor()
            self.update()
            self.tool_changed.emit(tool)

    def set_grid(self, name: str) -> None:
        """"auto" (the grid follows zoom), "off" (no snap) or a grid name such as "1/16" or "1/8t"."""
        self.view.set_grid(name)
        self._view_moved(by_person=False)

    def set_key_names(self, which: str) -> None:
        """"c": name every C on the keyboard; "all": name every key."""
        if which not in KEY_NAMES:
            raise ValueError(f"key names {which!r} is not one of {', '.join(KEY_NAMES)}")
        self.key_names = which
        self._view_moved(by_person=False)

    def set_colours(self, colours: Palette) -> None:
        self.colours = colours
        self._summaries.clear()
        self.update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom time by `factor` around `anchor_x` (default: the middle of the view)."""
        self.view.zoom_horizontal(factor, anchor_x)
        self._view_moved()

    def zoom_rows(self, factor: float, anchor_y: float | None = None) -> None:
        self.view.zoom_vertical(factor, anchor_y)
        self._view_moved()

    def show_whole_song(self) -> None:
        self.show_ticks(0, self.session.song.end_tick)

    def show_ticks(self, start: int, end: int) -> None:
        """Zoom and scroll so that [start, end) fills the width of the view (a bar range, the whole song)."""
        self.view.fit_ticks(start, end)
        self._view_moved()

    def scroll_to(self, tick: float | None = None, y: float | None = None) -> None:
        """Scroll so that `tick` is at the left edge and/or `y` pixels of rows are above the top (the scroll bars)."""
        if tick is not None:
            self.view.scroll_tick = max(0.0, float(tick))
        if y is not None:
            self.view.scroll_y = float(y)
            self.view.clamp_scroll()
        self._view_moved()

    def _view_moved(self, by_person: bool = True) -> None:
        """Repaint and tell the scroll bars; a person who moves the playhead out of view stops the following."""
        if by_person and not self.view.visible(self._playhead_tick):
            self._scrolled_away = True
        self.update()
        self.view_changed.emit()

    # -- selection ------------------------------------------------------------------------------

    def selected_notes(self) -> list[Note]:
        track = self.track
        return [track.notes[i] for i in self.session.selection if i in track.notes] if track else []

    def select_all(self) -> None:
        if self.track is not None:
            self.session.select(set(self.track.notes))

    def invert_selection(self) -> None:
        if self.track is not None:
            self.session.select(set(self.track.notes) - self.session.selection)

    def select_out_of_scale(self) -> None:
        """Select the notes whose pitch is not in the song's key: the usual suspects of a wrong note."""
        if self.track is not None:
            self.session.select(out_of_scale(self.track.notes.values(), self.session.song.key))

    def select_pitch(self, pitch: int, add: bool = False) -> None:
        if self.track is not None:
            same = {n.id for n in self.track.notes.values() if n.pitch == pitch}
            self.session.select(self.session.selection | same if add else same)

    # -- edits (each one command through the session) ------------------------------------------

    def delete_selection(self) -> None:
        if self.session.selection:
            self.session.apply(DeleteNotes(sorted(self.session.selection)))

    def copy(self) -> None:
        notes = self.selected_notes()
        if notes:
            self._clipboard = clip(notes)

    def cut(self) -> None:
        if self.session.selection:
            self.copy()
            self.delete_selection()

    def paste(self) -> None:
        """Paste at `paste_tick` (else the playhead, on the grid), then move it past the pasted notes."""
        if not self._clipboard or self.track is None:
            return
        at = self.paste_tick if self.paste_tick is not None else self.view.snap_down(self.playhead_tick)
        if paste_notes(self.session, self.track.id, placed(self._clipboard, at), "Paste"):
            self.paste_tick = at + clip_length(self._clipboard)

    def transpose(self, semitones: int) -> None:
        if self.session.selection:
            self.session.apply(Transpose(sorted(self.session.selection), semitones))

    def transpose_in_scale(self, direction: int) -> None:
        """Move each selected note to the next degree of the song's scale up (1) or down (-1)."""
        key = self.session.song.key
        values = {n.id: (scale_step(n.pitch, key, direction), n.start, n.duration, n.velocity)
                  for n in self.selected_notes()}
        if values:
            self.session.apply(SetNoteValues(values))

    def nudge(self, steps: int) -> None:
        if self.session.selection:
            self.session.apply(MoveNotes(sorted(self.session.selection), ticks=steps * self.view.grid_ticks))

    def quantize(self, strength: float = 1.0, swing: float = 0.0) -> None:
        """Pull the selected notes' starts toward the current grid (the window's dialog passes strength and swing)."""
        if self.session.selection:
            self.session.apply(Quantize(sorted(self.session.selection), grid=self.view.grid_ticks,
                                        strength=strength, swing=swing))

    def _add_note(self, tick: float, pitch: int, free: bool) -> None:
        note = (pitch, self.view.snap_down(tick, free), self.last_length, self.last_velocity)
        self.session.apply(AddNotes(self.track.id, [note]))

    def slice_tick(self, note: Note, tick: float, free: bool = False) -> int | None:
        """Where the slice tool cuts `note` when the pointer is at `tick`: the nearest grid line, if it falls
        inside the note (a note shorter than the grid has none: Alt cuts it at the pointer)."""
        at = self.view.snap(tick, free)
        return at if note.start < at < note.end else None

    def _slice(self, note: Note, tick: float, free: bool) -> None:
        at = self.slice_tick(note, tick, free)
        if at is not None:
            self.session.apply(SplitNote(note.id, at))

    # -- keeping up with the session ----------------------------------------------------------

    def _on_changed(self, change: ChangeSet) -> None:
        """Forget the indexes of changed tracks; repaint only when something shown changed."""
        if change.track_list:
            self._indexes.clear()
        for track_id in change.note_tracks:
            self._indexes.pop(track_id, None)
        shown_fields = {"chords", "meter", "key", "tempo", "length_bars"}
        if (change.track_list or change.note_tracks or change.song_fields & shown_fields
                or self.session.suggestion_id in change.suggestions):
            self.update()

    def _on_selection_changed(self) -> None:
        self._selection_version += 1
        self.update()

    def _on_track_changed(self, _track_id: str) -> None:
        self.gesture = None
        self.view.centre_on_pitch(self._middle_pitch())
        self._view_moved(by_person=False)

    def _middle_pitch(self) -> float:
        """Where the current track's notes sit (middle C for an empty track), to open the view on them."""
        track = self.track
        if track is None or not track.notes:
            return 60
        pitches = [n.pitch for n in track.notes.values()]
        return (min(pitches) + max(pitches)) / 2

    # -- mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        pos, modifiers = event.position(), event.modifiers()
        if event.button() == Qt.MouseButton.RightButton:
            self._press_right(pos)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        free = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if pos.x() < KEYBOARD_WIDTH and pos.y() >= NOTES_AREA_TOP:
            self._press_key(self.view.pitch_at(pos.y()), modifiers)
        elif pos.y() < NOTES_AREA_TOP and pos.x() >= KEYBOARD_WIDTH:
            self.paste_tick = self.view.snap_down(self.view.tick_at(pos.x()), free)
        elif self.track is not None and self.view.in_notes(pos.x(), pos.y()):
            self.paste_tick = self.view.snap_down(self.view.tick_at(pos.x()), free)
            self._press, self._dragging = pos, False
            self.gesture = self._start_gesture(pos.x(), pos.y(), modifiers)
            self.update()

    def _press_right(self, pos: QPointF) -> None:
        """The right button erases in every tool, as in FL Studio and LMMS."""
        if self.track is not None and self.view.in_notes(pos.x(), pos.y()):
            self._press, self._dragging = pos, False
            self.gesture = EraseGesture(self.note_index(), self.view.tick_at(pos.x()), self.view.pitch_at(pos.y()))
            self.update()

    def _start_gesture(self, x: float, y: float, modifiers) -> Gesture | None:
        """What a press on the notes starts, by tool: erase, slice, grab a note, pick a ghost, draw, or a
        rubber band (on empty space in the select tool, or with Ctrl in any)."""
        tick, pitch = self.view.tick_at(x), self.view.pitch_at(y)
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        free = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if self.tool == "erase":
            return EraseGesture(self.note_index(), tick, pitch)
        hit = self.note_at(x, y)
        if self.tool == "slice" and hit is not None:
            self._slice(hit[0], tick, free)
            return None
        if hit is not None:
            return self._grab(*hit, tick, pitch, shift)
        ghost = self.ghost_at(x, y)
        if ghost is not None:
            self.session.select_ghosts(self.session.ghost_selection ^ {ghost})
            return None
        if self.tool == "draw" and not modifiers & Qt.KeyboardModifier.ControlModifier:
            start = self.view.snap_down(tick, free)
            origin = Origin(self.session.document.author.id)
            return DrawGesture(self.view, self.track.id,
                               Note(0, pitch, start, self.last_length, self.last_velocity, origin))
        return RubberBand(self.note_index(), tick, pitch, set(self.session.selection) if shift else set())

    def _grab(self, note: Note, edge: str | None, tick: float, pitch: int, shift: bool) -> Gesture | None:
        """Pressing a note selects it (Shift toggles it) and gets ready to move or resize the selection."""
        selection = self.session.selection
        self.last_length, self.last_velocity = note.duration, note.velocity
        if shift and note.id in selection:
            self.session.select(selection - {note.id})
            return None
        if shift:
            self.session.select(selection | {note.id})
        elif note.id not in selection:
            self.session.select({note.id})
        else:  # a click without a drag on one of several selected notes selects just that one
            self._click_selects = {note.id}
        notes = self.selected_notes()
        if edge is not None:
            return ResizeGesture(self.view, notes, note, edge, tick)
        return MoveGesture(self.view, self.track.id, notes, note, tick, pitch)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self.gesture is None:
            self._hover(pos.x(), pos.y())
            return
        if not self._dragging and (pos - self._press).manhattanLength() < DRAG_PIXELS:
            return
        self._dragging = True
        self._click_selects = None
        self._drag(self.gesture, pos, event.modifiers())

    def _drag(self, gesture: Gesture, pos: QPointF, modifiers) -> None:
        gesture.drag_to(self.view.tick_at(pos.x()), self.view.pitch_at(pos.y()),
                        free=bool(modifiers & Qt.KeyboardModifier.AltModifier),
                        copy=bool(modifiers & Qt.KeyboardModifier.ControlModifier))
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        gesture, self.gesture = self.gesture, None
        click_selects, self._click_selects = self._click_selects, None
        if gesture is None:
            return
        if self._dragging:
            self._drag(gesture, event.position(), event.modifiers())
        elif click_selects is not None:
            self.session.select(click_selects)
        gesture.finish(self.session, copy=bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))
        self.last_length = gesture.chosen_length or self.last_length
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Double-click on empty space adds a note of the last length (in the select and draw tools);
        on the chord lane it asks for a chord at that beat (`chord_lane_activated`)."""
        pos = event.position()
        left = event.button() == Qt.MouseButton.LeftButton
        if left and pos.x() >= KEYBOARD_WIDTH and RULER_HEIGHT <= pos.y() < NOTES_AREA_TOP:
            self.chord_lane_activated.emit(beat_start(self.session.song.meter, self.view.tick_at(pos.x())))
            return
        empty = (left and self.tool in ("select", "draw") and self.track is not None
                 and self.view.in_notes(pos.x(), pos.y())
                 and self.note_at(pos.x(), pos.y()) is None and self.ghost_at(pos.x(), pos.y()) is None)
        if not empty:
            self.mousePressEvent(event)
            return
        self._add_note(self.view.tick_at(pos.x()), self.view.pitch_at(pos.y()),
                       bool(event.modifiers() & Qt.KeyboardModifier.AltModifier))

    def _press_key(self, pitch: int, modifiers) -> None:
        """Alt+click selects the pitch's notes (Shift: adds them); a plain click plays the key, if it can."""
        if modifiers & Qt.KeyboardModifier.AltModifier:
            self.select_pitch(pitch, add=bool(modifiers & Qt.KeyboardModifier.ShiftModifier))
            return
        preview = getattr(self.session.player, "preview_note", None)
        if callable(preview):
            preview(pitch)

    def _hover(self, x: float, y: float) -> None:
        """The cursor says what a press would do here; in the slice tool a line marks where the cut would go."""
        hit = self.note_at(x, y)
        in_chords = RULER_HEIGHT <= y < RULER_HEIGHT + CHORD_LANE_HEIGHT and x >= KEYBOARD_WIDTH
        self.setToolTip(CHORD_LANE_HINT if in_chords else "")
        self._mark_slice(hit[0] if hit is not None and self.tool == "slice" else None, self.view.tick_at(x))
        if hit is not None and self.tool in ("select", "draw"):
            shape = Qt.CursorShape.SizeHorCursor if hit[1] else Qt.CursorShape.SizeAllCursor
        elif hit is not None:
            shape = Qt.CursorShape.ForbiddenCursor if self.tool == "erase" else Qt.CursorShape.SplitHCursor
        elif self.view.in_notes(x, y) and self.tool == "draw":
            shape = Qt.CursorShape.CrossCursor
        else:
            shape = Qt.CursorShape.ArrowCursor
        if self.cursor().shape() != shape:
            self.setCursor(shape)

    def _mark_slice(self, note: Note | None, tick: float) -> None:
        at = self.slice_tick(note, tick) if note is not None else None
        mark = (note, at) if at is not None else None
        if mark != self._slice_mark:
            self._slice_mark = mark
            self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """Wheel scrolls (over the ruler: along time); Ctrl zooms time, Shift or Alt zooms the rows."""
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120  # Alt turns the wheel sideways on some systems
        modifiers, pos = event.modifiers(), event.position()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP ** steps, max(pos.x(), KEYBOARD_WIDTH))
        elif modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier):
            bottom = NOTES_AREA_TOP + self.view.view_height
            self.zoom_rows(ZOOM_STEP ** steps, min(max(pos.y(), NOTES_AREA_TOP), bottom))
        elif pos.y() < NOTES_AREA_TOP:
            self.view.scroll_by(-steps * 60, 0)
            self._view_moved()
        else:
            self.view.scroll_by(-delta.x() / 2, -delta.y() / 120 * 3 * self.view.row_height)
            self._view_moved()
        event.accept()

    # -- keys -----------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Claim the roll's keys before the window's shortcuts see them, while the roll has focus."""
        if event.type() == QEvent.Type.ShortcutOverride and _pressed(event) in _actions():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = _actions().get(_pressed(event))
        if action is None:
            super().keyPressEvent(event)
            return
        action(self)
        event.accept()

    # -- size -----------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Keep the pitch in the middle of the view in the middle; the velocity lane along the bottom."""
        middle = self.view.pitch_at(NOTES_AREA_TOP + self.view.view_height / 2)
        self.view.view_width = max(0, self.width() - KEYBOARD_WIDTH)
        self.view.view_height = max(0, self.height() - NOTES_AREA_TOP - VELOCITY_LANE_HEIGHT)
        self.view.centre_on_pitch(middle)
        self.velocity_lane.setGeometry(0, self.height() - VELOCITY_LANE_HEIGHT, self.width(), VELOCITY_LANE_HEIGHT)
        self._view_moved(by_person=False)

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        c, v = self.colours, self.view
        painter.fillRect(self.rect(), c.background)
        if self.track is None:
            painter.setPen(c.text_dim)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Add a track to write notes")
            painter.end()
            return
        dirty = event.rect()  # a moving playhead asks for a strip: only notes in it are drawn
        start, end = v.tick_at(max(dirty.left(), v.left) - 1), v.tick_at(dirty.right() + 1)
        low = v.pitch_at(min(dirty.bottom(), v.top + v.view_height - 1))
        high = v.pitch_at(max(dirty.top(), v.top))
        painter.setFont(self._small_font)
        painter.setClipRect(QRectF(v.left, v.top, v.view_width, v.view_height))
        self._paint_rows(painter, low, high)
        self._paint_grid(painter)
        self._paint_other_tracks(painter, start, end, low, high)
        self._paint_track(painter, start, end, low, high)
        self._paint_suggestion(painter)
        self._paint_slice_mark(painter)
        self._paint_band(painter)
        painter.setClipping(False)
        self._paint_ruler(painter)
        self._paint_chords(painter)
        if event.rect().left() < KEYBOARD_WIDTH:
            self._paint_keyboard(painter, low, high)
        self._paint_playhead(painter)
        painter.end()

    def _paint_rows(self, painter: QPainter, low: int, high: int) -> None:
        """Rows of the song's scale lighter than the rest, and a line between each B and the C above it."""
        c, v = self.colours, self.view
        scale = scale_pitch_classes(self.session.song.key)
        rows = {True: [], False: []}
        for pitch in range(low, high + 1):
            rows[pitch % 12 in scale].append(QRectF(v.left, v.y_of(pitch), v.view_width, v.row_height))
        painter.setPen(Qt.PenStyle.NoPen)
        for in_scale, rects in rows.items():
            painter.setBrush(c.row_in_scale if in_scale else c.row_out_of_scale)
            painter.drawRects(rects)
        right = v.left + v.view_width
        painter.setPen(c.grid_beat)
        painter.drawLines([QLineF(v.left, v.y_of(p) - 0.5, right, v.y_of(p) - 0.5)
                           for p in range(low, high + 1) if p % 12 == 11])
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_grid(self, painter: QPainter) -> None:
        v, c = self.view, self.colours
        lines = grid_lines(v, self.session.song.meter)
        top, bottom = v.top, v.top + v.view_height
        for ticks, colour in ((lines.steps, c.grid_step), (lines.beats, c.grid_beat),
                              ([tick for _, tick in lines.bars], c.grid_bar)):
            painter.setPen(colour)
            painter.drawLines([QLineF(v.x_of(t), top, v.x_of(t), bottom) for t in ticks])

    def _note_rects(self, notes, low: int, high: int, key_of: Callable) -> dict:
        """Rectangles of the notes in pitch range, grouped by colour key, so each colour is one draw call."""
        v = self.view
        ppt, rh = v.pixels_per_tick, v.row_height
        left, bottom, height = v.left - v.scroll_tick * ppt, v.y_of(0), max(1.0, rh - 1)
        groups: dict = {}
        for n in notes:
            if low <= n.pitch <= high:
                rect = QRectF(left + n.start * ppt, bottom - n.pitch * rh, max(1.0, n.duration * ppt), height)
                groups.setdefault(key_of(n), []).append(rect)
        return groups

    def colour_code(self) -> Callable[[Note], int]:
        """A function giving each note its colour code (see `code_colour`) for this paint.

        Notes share origins, so a note's class is worked out once per origin.
        """
        selection = self.session.selection
        if not self.session.colour_by_origin:
            return lambda n: SELECTED_CODE if n.id in selection else 1
        classes: dict[int, int] = {}  # by id(): the origins are alive, held by the notes

        def code(note: Note) -> int:
            if note.id in selection:
                return SELECTED_CODE
            if id(note.origin) not in classes:
                classes[id(note.origin)] = class_code(note.origin)
            return classes[id(note.origin)]
        return code

    def code_colour(self, code: int) -> QColor:
        """The colour of a colour code: the selection, a note class (colour by origin), or the note colour."""
        if code == SELECTED_CODE:
            return self.colours.note_selected
        return ORIGIN_COLOURS[V.NOTE_CLASSES[code - 1]] if self.session.colour_by_origin else self.colours.note

    def _paint_track(self, painter: QPainter, start: float, end: float, low: int, high: int) -> None:
        """The current track's notes, coloured by selection (and origin); crowded, as a summary."""
        index = self.note_index()
        lo, hi = index.span(*self.view.visible_ticks())  # the whole view decides, so a strip looks like the rest
        if hi - lo > SUMMARY_NOTES:
            self._paint_track_summary(painter, index, lo, hi, low, high)
            notes = self.gesture.preview() if self.gesture else []
        else:
            notes = self.visible_notes(start, end)
        for code, rects in self._note_rects(notes, low, high, self.colour_code()).items():
            colour = self.code_colour(code)
            painter.setBrush(colour)
            painter.setPen(colour.darker(170))
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_track_summary(self, painter, index: NoteIndex, lo: int, hi: int, low: int, high: int) -> None:
        by_origin = self.session.colour_by_origin
        key = ("track", index, lo, hi, self._view_key(), by_origin, self._selection_version)

        def codes() -> np.ndarray:
            result = index.origin_codes(class_code)[lo:hi].copy() if by_origin else np.ones(hi - lo, np.uint8)
            if self.session.selection:
                ids = index.columns()["id"][lo:hi]
                result[np.isin(ids, np.fromiter(self.session.selection, np.int64))] = SELECTED_CODE
            return result

        table = [self.code_colour(code) for code in range(1, SELECTED_CODE + 1)]
        self._draw_summary(painter, "track", key, [(index, lo, hi)], codes, table, low, high)

    def _paint_other_tracks(self, painter: QPainter, start: float, end: float, low: int, high: int) -> None:
        """Other tracks' notes, translucent with a solid outline, so a line can be written against the parts
        around it and none of them is taken for this track's own (solid) notes."""
        others = [self.note_index(t) for t in self.session.song.tracks if t.id != self.track.id and t.notes]
        parts = [(index, *index.span(*self.view.visible_ticks())) for index in others]
        count = sum(hi - lo for _, lo, hi in parts)
        if count > SUMMARY_NOTES:
            key = ("ghosts", tuple(parts), self._view_key())
            self._draw_summary(painter, "ghosts", key, parts, lambda: np.ones(count, np.uint8), [self.colours.ghost],
                               low, high)
            return
        notes = [n for index in others for n in index.overlapping(start, end)]
        painter.setPen(self.colours.ghost_outline)
        painter.setBrush(self.colours.ghost)
        for rects in self._note_rects(notes, low, high, lambda n: 0).values():
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _view_key(self) -> tuple:
        v = self.view
        return v.scroll_tick, v.pixels_per_quarter, v.view_width

    def _draw_summary(self, painter, layer: str, key: tuple, parts: list[tuple[NoteIndex, int, int]],
                      codes: Callable[[], np.ndarray], colours: list[QColor], low: int, high: int) -> None:
        """Draw the notes of `parts` (index, lo, hi) as a raster, a pixel a column and a row a pitch, each in
        colours[code - 1]. The image is kept until `key` changes, so a playhead moving over a zoomed-out
        song does not rebuild it 30 times a second."""
        cached = self._summaries.get(layer)
        if cached is None or cached[0] != key:
            def column(name: str) -> np.ndarray:
                return np.concatenate([index.columns()[name][lo:hi] for index, lo, hi in parts])

            raster = occupancy(column("start"), column("end"), column("pitch"), codes(), self.view)
            cached = (key, raster_image(raster[::-1], colours))  # pitch 127 at the top
            self._summaries[layer] = cached
        v = self.view
        rows = QRectF(0, PITCHES - 1 - high, v.view_width, high - low + 1)
        target = QRectF(v.left, v.y_of(high), v.view_width, (high - low + 1) * v.row_height)
        painter.drawImage(target, cached[1], rows)

    def _paint_suggestion(self, painter: QPainter) -> None:
        """The pending suggestion: translucent violet with a solid outline; picked notes filled solid and
        outlined in the selection colour."""
        ghosts = self.ghosts()
        if not ghosts:
            return
        c, v = self.colours, self.view
        picked = self.session.ghost_selection
        for index, n in enumerate(ghosts):
            rect = QRectF(v.x_of(n.start), v.y_of(n.pitch), max(2.0, n.duration * v.pixels_per_tick),
                          max(1.0, v.row_height - 1))
            chosen = index in picked
            painter.setBrush(c.suggestion if chosen else c.suggestion_fill)
            painter.setPen(QPen(c.note_selected if chosen else c.suggestion, 1.5 if chosen else 1))
            painter.drawRect(rect)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_slice_mark(self, painter: QPainter) -> None:
        """In the slice tool, a line across the note under the pointer where a click would cut it."""
        if self._slice_mark is None or self.tool != "slice":
            return
        note, at = self._slice_mark
        v, x = self.view, self.view.x_of(at)
        painter.setPen(QPen(self.colours.text, 2))
        painter.drawLine(QLineF(x, v.y_of(note.pitch) - 2, x, v.y_of(note.pitch) + v.row_height + 1))

    def _paint_band(self, painter: QPainter) -> None:
        if not isinstance(self.gesture, RubberBand) or not self._dragging:
            return
        v = self.view
        start, end, low, high = self.gesture.bounds()
        band = QRectF(QPointF(v.x_of(start), v.y_of(high)), QPointF(v.x_of(end), v.y_of(low) + v.row_height))
        fill = QColor(self.colours.note_selected)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.setPen(QPen(self.colours.note_selected, 1, Qt.PenStyle.DashLine))
        painter.drawRect(band)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_ruler(self, painter: QPainter) -> None:
        """Bar numbers (every 2nd, 4th... when zoomed out), bar ticks, and the loop range."""
        c, v = self.colours, self.view
        painter.fillRect(QRectF(0, 0, self.width(), RULER_HEIGHT), c.panel)
        painter.setClipRect(QRectF(v.left, 0, v.view_width, RULER_HEIGHT))
        if self._loop_range is not None:
            first, last = self._loop_range
            painter.fillRect(QRectF(QPointF(v.x_of(first), 0), QPointF(v.x_of(last), RULER_HEIGHT)), c.loop)
        meter = self.session.song.meter
        start, _ = v.visible_ticks()
        stride = power_of_two_stride(meter.at(start).bar_ticks * v.pixels_per_tick, LABEL_SPACING)
        painter.setPen(c.text_dim)
        for bar, tick in grid_lines(v, meter).bars:
            x = v.x_of(tick)
            painter.drawLine(QLineF(x, RULER_HEIGHT * 0.6, x, RULER_HEIGHT))
            if bar % stride == 0:
                painter.drawText(QPointF(x + 3, RULER_HEIGHT - 6), str(bar + 1))
        painter.setClipping(False)

    def _paint_chords(self, painter: QPainter) -> None:
        """The chord track: each symbol from its start to its end, elided when its span is narrow."""
        c, v = self.colours, self.view
        top = RULER_HEIGHT
        painter.fillRect(QRectF(0, top, self.width(), CHORD_LANE_HEIGHT), c.background)
        painter.setPen(c.text_dim)
        painter.drawText(QRectF(4, top, KEYBOARD_WIDTH - 8, CHORD_LANE_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                         "Chords")
        painter.setClipRect(QRectF(v.left, top, v.view_width, CHORD_LANE_HEIGHT))
        start, end = v.visible_ticks()
        metrics = painter.fontMetrics()
        if not self.session.song.chords:  # say how to fill it: a read-only-looking lane hides that it is not
            painter.drawText(QRectF(v.left + 6, top, v.view_width, CHORD_LANE_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                             CHORD_LANE_HINT)
        for chord in self.session.song.chords:
            if chord.start < end and chord.end > start:
                rect = QRectF(QPointF(v.x_of(chord.start), top + 2),
                              QPointF(v.x_of(chord.end), top + CHORD_LANE_HEIGHT - 2))
                painter.setPen(c.grid_bar)
                painter.drawRect(rect)
                painter.setPen(c.text)
                text = metrics.elidedText(chord.symbol, Qt.TextElideMode.ElideRight, max(0, int(rect.width()) - 6))
                painter.drawText(rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)
        painter.setClipping(False)

    def _paint_keyboard(self, painter: QPainter, low: int, high: int) -> None:
        """A keyboard on its side: black keys 60% long, lines between white keys and along its edge, names on
        every C (with its octave) or, with `key_names` "all", on every key tall enough for a name."""
        c, v = self.colours, self.view
        painter.setClipRect(QRectF(0, v.top, KEYBOARD_WIDTH, v.view_height))
        painter.fillRect(QRectF(0, v.top, KEYBOARD_WIDTH, v.view_height), c.key_white)
        black = KEYBOARD_WIDTH * 0.6
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.key_black)
        painter.drawRects([QRectF(0, v.y_of(p), black, v.row_height)
                           for p in range(low, high + 1) if p % 12 in BLACK_PITCH_CLASSES])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(c.key_border)
        lines = [QLineF(KEYBOARD_WIDTH - 0.5, v.top, KEYBOARD_WIDTH - 0.5, v.top + v.view_height)]
        for p in range(low, high + 1):
            y = v.y_of(p) + v.row_height  # the bottom of the row
            if p % 12 in (0, 5):  # below C and F another white key: a full line
                lines.append(QLineF(0, y, KEYBOARD_WIDTH, y))
            elif p % 12 in BLACK_PITCH_CLASSES:  # the white keys meet behind the middle of a black key
                middle = y - v.row_height / 2
                lines.append(QLineF(black, middle, KEYBOARD_WIDTH, middle))
        painter.drawLines(lines)
        self._paint_key_names(painter, low, high, black)
        painter.setClipping(False)

    def _paint_key_names(self, painter: QPainter, low: int, high: int, black: float) -> None:
        """White keys' names at their right end, black keys' on the black key, in each one's contrasting colour."""
        c, v = self.colours, self.view
        every = self.key_names == "all"
        if v.row_height < (painter.fontMetrics().height() - 2 if every else 8):
            return
        first = low if every else low - low % 12
        for p in range(first, high + 1, 1 if every else 12):
            on_black = p % 12 in BLACK_PITCH_CLASSES
            painter.setPen(c.key_label_black if on_black else c.key_label)
            rect = QRectF(0, v.y_of(p), (black if on_black else KEYBOARD_WIDTH) - 4, v.row_height)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, note_name(p))

    def _paint_playhead(self, painter: QPainter) -> None:
        v = self.view
        x = v.x_of(self._playhead_tick)
        if not v.left <= x <= v.left + v.view_width:
            return
        painter.setPen(self.colours.playhead)
        painter.drawLine(QLineF(x, 0, x, v.top + v.view_height))
        painter.setBrush(self.colours.playhead)
        painter.drawPolygon(QPolygonF([QPointF(x - 4, 0), QPointF(x + 4, 0), QPointF(x, 6)]))
        painter.setBrush(Qt.BrushStyle.NoBrush)

