"""The piano roll as musicians know it from FL Studio, LMMS and Ableton: a toolbar above, scroll bars beside.

The toolbar holds the tools (select, draw, erase, slice: one checked at a
time, each with its key in the tooltip), the snap grid, zoom out / in / the
whole song, which keys are named on the keyboard, and whether the view follows
the playhead. The scroll bars and the roll's view are bound both ways: moving a
bar scrolls the roll; a wheel, a zoom or a page turn by the playhead moves the
bars (the roll's `view_changed`).

The main window puts a RollView where the bare PianoRoll went and reaches the
roll itself (playhead, loop range, clipboard, chord lane) through `roll`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollBar, QToolBar, QVBoxLayout,
                               QWidget)

from cowrite.edit import ChangeSet
from cowrite.ui.piano_roll import NOTES_AREA_TOP, ZOOM_STEP, PianoRoll
from cowrite.ui.roll_geometry import AUTO, OFF
from cowrite.ui.session import Session
from cowrite.ui.theme import KEYBOARD_WIDTH, VELOCITY_LANE_HEIGHT, Palette

#: (tool, button text, tooltip): the keys are the roll's BINDINGS
TOOL_BUTTONS = (
    ("select", "⬚ Select", ("Select (S or E): drag on empty space to select, drag a note to move it; "
                           "double-click adds a note")),
    ("draw", "✎ Draw", "Draw (P or B): click to add a note, drag right to set its length"),
    ("erase", "⌫ Erase", ("Erase (D): click or drag over notes to delete them "
                         "(the right button erases in any tool)")),
    ("slice", "✂ Slice", ("Slice (C): click a note to cut it at the grid line nearest the pointer "
                         "(Alt: at the pointer)")),
)
#: (text, grid name) of the snap choices, coarse to fine, then the triplets
SNAPS = (("Auto", AUTO), ("Off", OFF), ("1 bar", "1/1"), ("1/2", "1/2"), ("1/4", "1/4"), ("1/8", "1/8"),
         ("1/16", "1/16"), ("1/32", "1/32"), ("1/4 triplet", "1/4t"), ("1/8 triplet", "1/8t"),
         ("1/16 triplet", "1/16t"))
KEY_NAME_CHOICES = (("C only", "c"), ("All keys", "all"))


class RollView(QWidget):
    """A PianoRoll (`roll`) with its toolbar (`toolbar`) and scroll bars (`horizontal`, `vertical`)."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.roll = PianoRoll(session)
        self.setFocusProxy(self.roll)
        self.toolbar = QToolBar("Piano roll")
        self.tool_actions = self._add_tools()
        self.toolbar.addSeparator()
        self.snap = self._add_choice("Snap", SNAPS, self.roll.view.grid_name, self.roll.set_grid,
                                     "Where notes land when drawn, moved or cut (Alt while dragging: off)")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(" Zoom "))
        self.zoom_out = self._add_button("−", "Zoom out (-)", lambda: self.roll.zoom(1 / ZOOM_STEP))
        self.zoom_in = self._add_button("+", "Zoom in (+)", lambda: self.roll.zoom(ZOOM_STEP))
        self.fit = self._add_button("Whole song", "Zoom to show the whole song", self.roll.show_whole_song)
        self.toolbar.addSeparator()
        self.key_names = self._add_choice("Key names", KEY_NAME_CHOICES, self.roll.key_names,
                                          self.roll.set_key_names, "Name every C on the keyboard, or every key")
        self.toolbar.addSeparator()
        self.follow = self._add_button("Follow playhead", "Turn the page as the playhead plays past it",
                                       self._set_following, checkable=True)
        self.follow.setChecked(self.roll.follow_playhead)
        self.horizontal = QScrollBar(Qt.Orientation.Horizontal)
        self.vertical = QScrollBar(Qt.Orientation.Vertical)
        self._song_end = 0
        self._lay_out()
        self.horizontal.valueChanged.connect(lambda tick: self.roll.scroll_to(tick=tick))
        self.vertical.valueChanged.connect(lambda y: self.roll.scroll_to(y=y))
        self.roll.view_changed.connect(self._show_view)
        self.roll.tool_changed.connect(lambda tool: self.tool_actions[tool].setChecked(True))
        session.changed.connect(self._on_changed)
        self._measure_song()

    # -- building -------------------------------------------------------------------------------

    def _add_tools(self) -> dict[str, QAction]:
        """The tools as checkable actions of one exclusive group: one is checked, as the roll's tool is."""
        group = QActionGroup(self)
        actions = {}
        for tool, text, tip in TOOL_BUTTONS:
            action = QAction(text, group, checkable=True, toolTip=tip, statusTip=tip)
            action.setChecked(tool == self.roll.tool)
            action.triggered.connect(lambda _=False, t=tool: self._pick_tool(t))
            self.toolbar.addAction(action)
            actions[tool] = action
        return actions

    def _add_choice(self, label: str, choices, current: str, choose, tip: str) -> QComboBox:
        """A labelled combo of (text, value) choices that calls `choose(value)`, then hands the keys back to
        the roll (its shortcuts work only while it has the focus)."""
        combo = QComboBox(toolTip=tip)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(combo.findData(current))
        combo.activated.connect(lambda index: self._chose(choose, combo.itemData(index)))
        self.toolbar.addWidget(QLabel(f" {label} "))
        self.toolbar.addWidget(combo)
        return combo

    def _chose(self, choose, value: str) -> None:
        choose(value)
        self.roll.setFocus()

    def _add_button(self, text: str, tip: str, slot, checkable: bool = False) -> QAction:
        action = QAction(text, self, toolTip=tip, statusTip=tip, checkable=checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.toolbar.addAction(action)
        return action

    def _lay_out(self) -> None:
        """The bars run along the note area only: the horizontal one right of the keyboard, the vertical one
        between the chord lane and the velocity lane, so each lines up with what it scrolls."""
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for widget in (self.toolbar, self.horizontal, self.vertical):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        beside = QVBoxLayout()
        beside.setContentsMargins(0, NOTES_AREA_TOP, 0, VELOCITY_LANE_HEIGHT)
        beside.addWidget(self.vertical)
        below = QHBoxLayout()
        below.setContentsMargins(KEYBOARD_WIDTH, 0, 0, 0)
        below.addWidget(self.horizontal)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        grid.addWidget(self.toolbar, 0, 0, 1, 2)
        grid.addWidget(self.roll, 1, 0)
        grid.addLayout(beside, 1, 1)
        grid.addLayout(below, 2, 0)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 1)

    # -- settings -------------------------------------------------------------------------------

    def set_colours(self, colours: Palette) -> None:
        """The roll's colours (the toolbar and bars take the application's palette)."""
        self.roll.set_colours(colours)

    def _pick_tool(self, tool: str) -> None:
        self.roll.set_tool(tool)
        self.roll.setFocus()

    def _set_following(self, on: bool) -> None:
        self.roll.follow_playhead = on
        if on:
            self.roll.resume_following()

    # -- the scroll bars ------------------------------------------------------------------------

    def _on_changed(self, change: ChangeSet) -> None:
        if change.track_list or change.note_tracks or {"length_bars", "meter"} & change.song_fields:
            self._measure_song()

    def _measure_song(self) -> None:
        """Where the song ends (its length or its last note), from the roll's cached note indexes: a song of
        100,000 notes is not walked again on every scroll."""
        song = self.session.song
        last_notes = [self.roll.note_index(t).reach[-1] for t in song.tracks if t.notes]
        self._song_end = max([song.meter.bar_start(song.length_bars), *last_notes])
        self._show_view()

    def _show_view(self) -> None:
        """Put the bars where the view is, without their moving the view back, and the snap and key names
        choices at what the roll has (the window may set them too).

        The horizontal bar counts ticks and spans the song, or further when the
        wheel has taken the view past its end (to write on); the vertical one
        counts pixels of rows.
        """
        v = self.roll.view
        span = max(1, round(v.view_width / v.pixels_per_tick))
        self._set_bar(self.horizontal, max(round(v.scroll_tick), self._song_end - span), span, v.grid_ticks,
                      round(v.scroll_tick))
        self._set_bar(self.vertical, round(v.max_scroll_y), v.view_height, round(v.row_height), round(v.scroll_y))
        for combo, value in ((self.snap, v.grid_name), (self.key_names, self.roll.key_names)):
            if combo.currentData() != value:
                combo.setCurrentIndex(combo.findData(value))

    @staticmethod
    def _set_bar(bar: QScrollBar, maximum: int, page: int, step: int, value: int) -> None:
        bar.blockSignals(True)
        bar.setRange(0, max(0, maximum))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(max(1, step))
        bar.setValue(value)
        bar.blockSignals(False)
