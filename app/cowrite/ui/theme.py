"""Colours and sizes shared by every widget, so the window looks like one tool.

Attribution colours are fixed meanings: a teacher must be able to point at a
colour and say who wrote that note.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from cowrite.attribution import vocabulary as V


@dataclass(frozen=True)
class Palette:
    name: str
    background: QColor
    panel: QColor
    grid_bar: QColor
    grid_beat: QColor
    grid_step: QColor
    row_in_scale: QColor
    row_out_of_scale: QColor
    text: QColor
    text_dim: QColor
    note: QColor  # notes when attribution colouring is off
    note_selected: QColor
    ghost: QColor  # other tracks' notes
    suggestion: QColor  # pending suggestion ghost notes
    playhead: QColor
    loop: QColor


DARK = Palette(
    "dark", QColor("#1e2126"), QColor("#262a31"), QColor("#4a505c"), QColor("#353a43"), QColor("#2b2f36"),
    QColor("#23272d"), QColor("#1b1e22"), QColor("#e6e8eb"), QColor("#9aa1ab"), QColor("#5aa9e6"),
    QColor("#ffd166"), QColor(255, 255, 255, 40), QColor(186, 104, 255, 150), QColor("#ff5d5d"),
    QColor(90, 169, 230, 40),
)
LIGHT = Palette(
    "light", QColor("#f4f5f7"), QColor("#e8eaee"), QColor("#a9afb9"), QColor("#c9ced6"), QColor("#dde1e6"),
    QColor("#ffffff"), QColor("#eef0f3"), QColor("#1f2328"), QColor("#5c6470"), QColor("#2f80c8"),
    QColor("#e09b00"), QColor(0, 0, 0, 40), QColor(140, 60, 220, 140), QColor("#d93636"),
    QColor(47, 128, 200, 40),
)
PALETTES = {p.name: p for p in (DARK, LIGHT)}

#: note colour by note class when "colour by origin" is on
ORIGIN_COLOURS = {
    V.HUMAN: QColor("#5aa9e6"),  # people: blue (each person may have their own, see person_colour)
    V.AI: QColor("#f28f3b"),  # assistants: orange
    V.AI_EDITED: QColor("#c8553d"),  # AI notes a person changed: red-orange
    V.HUMAN_TRANSFORMED: QColor("#7bc950"),  # people's notes an assistant changed: green
}
ORIGIN_LABELS = {V.HUMAN: "written by a person", V.AI: "written by an assistant",
                 V.AI_EDITED: "assistant's note, edited by a person", V.HUMAN_TRANSFORMED: "person's note, changed by an assistant"}

#: colours given to people in order of appearance when they chose none
PEOPLE_COLOURS = ("#5aa9e6", "#06d6a0", "#ef476f", "#ffd166", "#118ab2", "#9b5de5")

NOTE_ROW_HEIGHT = 14  # pixels a semitone at vertical zoom 1
KEYBOARD_WIDTH = 56
RULER_HEIGHT = 22
CHORD_LANE_HEIGHT = 22
VELOCITY_LANE_HEIGHT = 80
