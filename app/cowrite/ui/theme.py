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
    ghost: QColor  # other tracks' notes: a translucent fill...
    ghost_outline: QColor  # ...and a solid outline, so they read as "there, but not this track"
    suggestion: QColor  # pending suggestion ghost notes: the fill of a picked one, the outline of the rest
    suggestion_fill: QColor  # the translucent fill of a suggestion's note not picked
    playhead: QColor
    loop: QColor
    key_white: QColor  # the keyboard at the roll's left
    key_black: QColor
    key_border: QColor  # the lines between white keys and around the keyboard
    key_label: QColor  # note names on white keys
    key_label_black: QColor  # note names on black keys


DARK = Palette(
    name="dark", background=QColor("#1e2126"), panel=QColor("#262a31"), grid_bar=QColor("#4a505c"),
    grid_beat=QColor("#353a43"), grid_step=QColor("#2b2f36"), row_in_scale=QColor("#23272d"),
    row_out_of_scale=QColor("#1b1e22"), text=QColor("#e6e8eb"), text_dim=QColor("#9aa1ab"),
    note=QColor("#5aa9e6"), note_selected=QColor("#ffd166"),
    ghost=QColor(170, 178, 190, 60), ghost_outline=QColor(170, 178, 190, 150),
    suggestion=QColor(196, 128, 255), suggestion_fill=QColor(186, 104, 255, 70),
    playhead=QColor("#ff5d5d"), loop=QColor(90, 169, 230, 40),
    key_white=QColor("#e4e6ea"), key_black=QColor("#1b1d21"), key_border=QColor("#7c828c"),
    key_label=QColor("#2a2e35"), key_label_black=QColor("#d5d9df"),
)
LIGHT = Palette(
    name="light", background=QColor("#f4f5f7"), panel=QColor("#e8eaee"), grid_bar=QColor("#a9afb9"),
    grid_beat=QColor("#c9ced6"), grid_step=QColor("#dde1e6"), row_in_scale=QColor("#ffffff"),
    row_out_of_scale=QColor("#eef0f3"), text=QColor("#1f2328"), text_dim=QColor("#5c6470"),
    note=QColor("#2f80c8"), note_selected=QColor("#e09b00"),
    ghost=QColor(70, 80, 100, 45), ghost_outline=QColor(70, 80, 100, 150),
    suggestion=QColor(128, 48, 210), suggestion_fill=QColor(140, 60, 220, 60),
    playhead=QColor("#d93636"), loop=QColor(47, 128, 200, 40),
    key_white=QColor("#ffffff"), key_black=QColor("#2b2f36"), key_border=QColor("#8a919c"),
    key_label=QColor("#3a4049"), key_label_black=QColor("#e8eaee"),
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
