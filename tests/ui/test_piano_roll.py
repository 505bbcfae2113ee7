"""The piano roll: its geometry, and edits with the mouse and keys that reach the song only through the door."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.authorship import note_class
from cowrite.attribution.ledger import read_events
from cowrite.edit import AcceptSuggestion, AddNotes, ProposeSuggestion, SetChords, SetTitle
from cowrite.model import PPQ, Chord, Key, MeterChange, MeterMap, Note, Origin, ProposedNote, Suggestion
from cowrite.ui.piano_roll import BINDINGS, SHORTCUTS, PianoRoll, _actions, _pressed
from cowrite.ui.roll_geometry import (AUTO, NoteIndex, RollGeometry, beat_start, grid_lines, occupancy,
                                      power_of_two_stride)
from cowrite.ui.roll_tools import clip, out_of_scale, placed, scale_step
from cowrite.ui.theme import CHORD_LANE_HEIGHT, DARK, KEYBOARD_WIDTH, LIGHT, ORIGIN_COLOURS, RULER_HEIGHT

LEFT = Qt.MouseButton.LeftButton
NONE, CTRL, SHIFT, ALT = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier,
                          Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier)
BEAT, SIXTEENTH = PPQ, PPQ // 4
HARMONY = Actor.assistant("harmony", "1.0.0")


# -- geometry (no widget) --------------------------------------------------------------------

def geometry(**kwargs) -> RollGeometry:
    return RollGeometry(**{"left": 50, "top": 40, "view_width": 800, "view_height": 400, **kwargs})


def test_ticks_and_pitches_map_to_pixels_and_back():
    g = geometry(pixels_per_quarter=96, scroll_tick=960, scroll_y=700, row_height=10)
    assert g.x_of(960) == 50 and g.x_of(1920) == 146
    assert g.tick_at(g.x_of(1234)) == pytest.approx(1234)
    assert g.y_of(127) == 40 - 700
    for pitch in (0, 60, 127):
        assert g.pitch_at(g.y_of(pitch)) == pitch
        assert g.pitch_at(g.y_of(pitch) + 9.9) == pitch
    assert g.pitch_at(-10_000) == 127 and g.pitch_at(10_000) == 0  # a drag past the edge stops at the last row


def test_visible_ranges_follow_scroll_and_zoom():
    g = geometry(pixels_per_quarter=100, scroll_tick=PPQ * 4, row_height=10, scroll_y=100)
    assert g.visible_ticks() == (PPQ * 4, PPQ * 12)
    assert g.visible_pitches() == (78, 117)  # 40 rows of 10 pixels below the 10 scrolled away


def test_the_automatic_grid_is_the_finest_at_least_12_pixels_wide():
    g = geometry()
    for pixels_per_quarter, grid in ((48, "1/16"), (96, "1/32"), (200, "1/64"), (12, "1/4"), (1, "1/1")):
        g.pixels_per_quarter = pixels_per_quarter
        assert g.grid_ticks == {"1/1": 3840, "1/4": 960, "1/16": 240, "1/32": 120, "1/64": 60}[grid]
    g.set_grid("1/8t")
    g.pixels_per_quarter = 1
    assert g.grid_ticks == 320  # a grid the person picked does not follow zoom
    g.set_grid(AUTO)
    with pytest.raises(ValueError):
        g.set_grid("1/7")


def test_snap_rounds_to_the_grid_unless_free():
    g = geometry(pixels_per_quarter=48)  # 1/16
    assert g.snap(250) == 240 and g.snap(370) == 480 and g.snap(-50) == 0
    assert g.snap_down(470) == 240
    assert g.snap(250, free=True) == 250 and g.snap_down(470.7, free=True) == 470


def test_a_moved_edge_lands_on_the_grid_but_not_before_half_a_step():
    g = geometry(pixels_per_quarter=48)  # 1/16 = 240 ticks
    assert g.snap_move(1010, 100) == 0  # dragged up or down only: the played-in timing stays
    assert g.snap_move(1010, 150) == 1200 - 1010 and g.snap_move(1010, -200) == 720 - 1010
    assert g.snap_move(1010, 5, free=True) == 5


def test_zoom_keeps_the_point_under_the_pointer():
    g = geometry(pixels_per_quarter=48, scroll_tick=3840)
    tick = g.tick_at(300)
    g.zoom_horizontal(2.0, 300)
    assert g.pixels_per_quarter == 96 and g.tick_at(300) == pytest.approx(tick)
    g.centre_on_pitch(60)
    pitch = g.pitch_at(200)
    g.zoom_vertical(1.5, 200)
    assert g.row_height == 21 and g.pitch_at(200) == pitch
    g.zoom_vertical(100)
    assert g.row_height == 40  # clamped
    g.zoom_horizontal(1e-9)
    assert g.pixels_per_quarter == 0.01


def test_scroll_stays_within_the_rows():
    g = geometry(row_height=10)
    g.scroll_by(-100, -500)
    assert g.scroll_tick == 0 and g.scroll_y == 0
    g.scroll_by(0, 10_000)
    assert g.scroll_y == 128 * 10 - 400


def test_grid_lines_thin_out_when_zoomed_out():
    meter = MeterMap([MeterChange(0, 4, 4)])
    close = grid_lines(geometry(pixels_per_quarter=48), meter)
    assert [tick for _, tick in close.bars][:2] == [0, 3840]
    assert close.beats[:3] == [960, 1920, 2880]
    assert close.steps[:3] == [240, 480, 720]  # sixteenths, leaving out those on beats
    far = grid_lines(geometry(pixels_per_quarter=0.2), meter)  # a bar is 0.8 pixels
    assert far.beats == far.steps == []
    assert [bar for bar, _ in far.bars][:3] == [0, 8, 16]
    assert len(far.bars) <= 800 / 6 + 1
    assert power_of_two_stride(0.8, 6) == 8


def note(note_id, pitch, start, duration, velocity=90, origin=Origin("person:Ana")) -> Note:
    return Note(note_id, pitch, start, duration, velocity, origin)


def test_the_note_index_finds_long_notes_that_started_before_the_view():
    index = NoteIndex([note(1, 60, 0, 10_000), note(2, 62, 500, 100), note(3, 64, 2000, 100), note(4, 65, 9000, 10)])
    assert [n.id for n in index.overlapping(1000, 2050)] == [1, 3]
    assert [n.id for n in index.overlapping(650, 700)] == [1]
    assert index.overlapping(20_000, 30_000) == []


def test_occupancy_is_one_pixel_a_column_and_the_highest_code_wins():
    g = geometry(pixels_per_quarter=96, view_width=20)  # ten ticks a pixel
    starts, ends = np.array([0, 50, 55]), np.array([30, 51, 56])
    raster = occupancy(starts, ends, np.array([60, 61, 61]), np.array([1, 1, 2], dtype=np.uint8), g)
    assert raster.shape == (128, 20)
    assert raster[60].tolist()[:4] == [1, 1, 1, 0]
    assert raster[61].tolist()[4:7] == [0, 2, 0]  # two notes in one column: the selected code (2) shows


# -- note arithmetic ------------------------------------------------------------------------

def test_scale_steps_follow_the_key_and_pull_stray_notes_in():
    a_minor = Key("A", "minor")
    assert scale_step(60, a_minor, 1) == 62 and scale_step(60, a_minor, -1) == 59
    assert scale_step(61, a_minor, 1) == 62 and scale_step(61, a_minor, -1) == 60  # C# is not in A minor
    assert out_of_scale([note(1, 60, 0, 1), note(2, 61, 0, 1), note(3, 68, 0, 1)], a_minor) == {2, 3}


def test_a_clip_keeps_relative_times_and_origins():
    ai = Origin(HARMONY.id, "s1")
    copied = clip([note(5, 64, 1000, 100, origin=ai), note(4, 60, 400, 200)])
    assert [(n.pitch, n.offset) for n in copied] == [(60, 0), (64, 600)]
    assert [(n.start, n.origin) for n in placed(copied, 3840)] == [(3840, Origin("person:Ana")), (4440, ai)]


# -- the widget ------------------------------------------------------------------------------

@pytest.fixture
def roll(qtbot, session):
    widget = PianoRoll(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.view.pixels_per_quarter = 96
    widget.set_grid("1/16")  # 24 pixels a step
    widget.view.centre_on_pitch(60)
    return widget


def keys(session) -> dict[int, Note]:
    return session.song.find_track("Keys").notes


def keys_note(session, pitch: int) -> Note:
    return next(n for n in keys(session).values() if n.pitch == pitch)


def events(session) -> list[dict]:
    return read_events(session.project.ledger.path)


def at(roll, tick: float, pitch: int) -> QPoint:
    """The pixel at `tick`, in the middle of `pitch`'s row."""
    return QPoint(round(roll.view.x_of(tick)), round(roll.view.y_of(pitch) + roll.view.row_height / 2))


def drag(widget, start: QPoint, end: QPoint, modifiers=NONE, release_modifiers=None):
    """Press, move in small steps (as a hand does), release."""
    QTest.mousePress(widget, LEFT, modifiers, start)
    for i in range(1, 9):
        QTest.mouseMove(widget, start + (end - start) * (i / 8))
    QTest.mouseRelease(widget, LEFT, modifiers if release_modifiers is None else release_modifiers, end)


def render(widget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    widget.render(image)
    return image


def propose(session, notes) -> str:
    """A pending suggestion from the harmony assistant for Keys; returns its id."""
    suggestion = Suggestion("", HARMONY.id, "Keys", {}, 7, [ProposedNote(*n) for n in notes])
    session.document.apply(ProposeSuggestion(suggestion), HARMONY)
    return f"s{session.song.next_suggestion_id - 1}"


def test_drawing_a_note_adds_one_note_by_the_person_and_one_event(roll, session):
    roll.set_tool("draw")
    before = len(events(session))
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 4 * BEAT + 100, 67))
    (added,) = [n for n in keys(session).values() if n.pitch == 67]
    assert added.start == 4 * BEAT  # the cell that was clicked: snapped down to the sixteenth
    assert added.duration == PPQ and added.origin == Origin("person:Ana")
    new = events(session)[before:]
    assert [e["op"] for e in new] == ["add_notes"] and new[0]["actor"]["id"] == "person:Ana"


def test_dragging_while_drawing_sets_the_length_and_new_notes_take_it(roll, session):
    roll.set_tool("draw")
    drag(roll, at(roll, 4 * BEAT + 10, 67), at(roll, 6 * BEAT + 10, 67))
    (drawn,) = [n for n in keys(session).values() if n.pitch == 67]
    assert (drawn.start, drawn.duration) == (4 * BEAT, 2 * BEAT)
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 8 * BEAT + 10, 69))
    assert keys_note(session, 69).duration == 2 * BEAT


def test_snap_off_while_alt_is_held(roll, session):
    roll.set_tool("draw")
    point = at(roll, 4 * BEAT + 100, 67)
    QTest.mouseClick(roll, LEFT, ALT, point)
    assert keys_note(session, 67).start == int(roll.view.tick_at(point.x())) == 4 * BEAT + 100


def test_moving_with_the_mouse_changes_start_and_pitch_and_records_the_edit(roll, session):
    c4 = keys_note(session, 60)  # 960..1920
    before = len(events(session))
    drag(roll, at(roll, 1440, 60), at(roll, 1440 + BEAT + 30, 62))
    moved = keys(session)[c4.id]
    assert (moved.pitch, moved.start, moved.duration) == (62, 1920, 960)
    assert moved.origin.edited == {"timing", "pitch"} and moved.origin.edited_by == ("person:Ana",)
    assert [e["op"] for e in events(session)[before:]] == ["move_notes"]


def test_an_off_grid_note_dragged_to_another_pitch_keeps_its_timing(roll, session):
    session.apply(AddNotes("Keys", [(70, 4 * BEAT + 70, BEAT, 90)]))
    played = keys_note(session, 70)
    drag(roll, at(roll, played.start + 480, 70), at(roll, played.start + 480 + 30, 72))
    assert (keys(session)[played.id].pitch, keys(session)[played.id].start) == (72, 4 * BEAT + 70)
    assert keys(session)[played.id].origin.edited == {"pitch"}


def test_a_drag_moves_every_selected_note_and_a_click_selects_just_one(roll, session):
    a3, c4 = keys_note(session, 57), keys_note(session, 60)
    session.select({a3.id, c4.id})
    drag(roll, at(roll, 1440, 60), at(roll, 1440 + 2 * BEAT, 60))
    assert keys(session)[a3.id].start == 2 * BEAT and keys(session)[c4.id].start == 3 * BEAT
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 3 * BEAT + 480, 60))
    assert session.selection == {c4.id}


def test_resizing_from_the_right_edge(roll, session):
    c4 = keys_note(session, 60)  # 960..1920
    drag(roll, at(roll, 1920, 60) - QPoint(2, 0), at(roll, 1920 + BEAT, 60))
    assert (keys(session)[c4.id].start, keys(session)[c4.id].duration) == (960, 1920)
    assert roll.last_length == 1920


def test_resizing_from_the_left_edge_keeps_the_end(roll, session):
    c4 = keys_note(session, 60)
    before = len(events(session))
    drag(roll, at(roll, 960, 60) + QPoint(2, 0), at(roll, 1440, 60))
    resized = keys(session)[c4.id]
    assert (resized.start, resized.end) == (1440, 1920)
    assert resized.origin.edited == {"timing", "length"}
    assert [e["op"] for e in events(session)[before:]] == ["resize_notes"]


def test_hovering_near_an_edge_shows_a_resize_cursor(roll):
    QTest.mouseMove(roll, at(roll, 1920, 60) - QPoint(3, 0))
    assert roll.cursor().shape() == Qt.CursorShape.SizeHorCursor
    QTest.mouseMove(roll, at(roll, 1440, 60))
    assert roll.cursor().shape() == Qt.CursorShape.SizeAllCursor


def test_ctrl_drag_copies_as_one_step(roll, session):
    c4 = keys_note(session, 60)
    count, before = len(keys(session)), len(events(session))
    drag(roll, at(roll, 1440, 60), at(roll, 1440 + 4 * BEAT, 60), modifiers=CTRL)
    assert keys(session)[c4.id].start == 960  # the original stays
    (copy,) = [n for n in keys(session).values() if n.pitch == 60 and n.id != c4.id]
    assert copy.start == 960 + 4 * BEAT and copy.origin == c4.origin
    assert session.selection == {copy.id}
    assert len(keys(session)) == count + 1 and [e["op"] for e in events(session)[before:]] == ["add_notes"]
    session.undo()
    assert len(keys(session)) == count


def test_rubber_band_selects_the_notes_it_touches(roll, session):
    roll.set_tool("select")
    drag(roll, at(roll, 100, 62), at(roll, 1000, 55))
    assert session.selection == {keys_note(session, 57).id, keys_note(session, 60).id}
    drag(roll, at(roll, 1900, 66), at(roll, 2000, 63), modifiers=SHIFT)
    assert session.selection == {keys_note(session, p).id for p in (57, 60, 64)}
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 6 * BEAT, 70))
    assert session.selection == set()  # a click on empty space in the select tool clears


def test_double_click_adds_a_note_in_either_tool(roll, session):
    roll.set_tool("select")
    roll.last_length = 480
    QTest.mouseDClick(roll, LEFT, NONE, at(roll, 8 * BEAT + 30, 72))
    assert (keys_note(session, 72).start, keys_note(session, 72).duration) == (8 * BEAT, 480)


def test_shift_click_adds_and_removes_a_note(roll, session):
    a3, c4 = keys_note(session, 57), keys_note(session, 60)
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 480, 57))
    QTest.mouseClick(roll, LEFT, SHIFT, at(roll, 1440, 60))
    assert session.selection == {a3.id, c4.id}
    QTest.mouseClick(roll, LEFT, SHIFT, at(roll, 480, 57))
    assert session.selection == {c4.id}


def test_alt_click_on_a_key_selects_its_pitch_and_a_click_plays_it(roll, session):
    played = []
    session.player = type("Player", (), {"preview_note": lambda self, pitch: played.append(pitch),
                                         "load": lambda self, song: None})()
    key_x = 10
    QTest.mouseClick(roll, LEFT, ALT, QPoint(key_x, at(roll, 0, 60).y()))
    assert session.selection == {keys_note(session, 60).id} and played == []
    QTest.mouseClick(roll, LEFT, NONE, QPoint(key_x, at(roll, 0, 64).y()))
    assert played == [64]


def test_delete_key_removes_the_selection(roll, session):
    c4 = keys_note(session, 60)
    session.select({c4.id})
    QTest.keyClick(roll, Qt.Key.Key_Delete)
    assert c4.id not in keys(session) and len(keys(session)) == 2


def test_undo_and_redo_with_the_keys(roll, session):
    QTest.mouseDClick(roll, LEFT, NONE, at(roll, 8 * BEAT, 67))
    assert any(n.pitch == 67 for n in keys(session).values())
    QTest.keyClick(roll, Qt.Key.Key_Z, CTRL)
    assert not any(n.pitch == 67 for n in keys(session).values())
    QTest.keyClick(roll, Qt.Key.Key_Z, CTRL | SHIFT)
    assert any(n.pitch == 67 for n in keys(session).values())
    assert [e["op"] for e in events(session)[-2:]] == ["undo", "redo"]


def test_velocity_lane_draws_on_the_selected_notes_only(roll, session):
    lane = roll.velocity_lane
    a3, c4, e4 = (keys_note(session, p) for p in (57, 60, 64))
    session.select({c4.id})
    before = len(events(session))
    y = round(lane.y_of(30))
    drag(lane, QPoint(round(roll.view.x_of(0)) + 1, y), QPoint(round(roll.view.x_of(2400)), y))
    assert keys(session)[c4.id].velocity == pytest.approx(30, abs=1)
    assert keys(session)[a3.id].velocity == 90 and keys(session)[e4.id].velocity == 80
    assert [e["op"] for e in events(session)[before:]] == ["set_notes"]


def test_velocity_lane_without_a_selection_draws_on_the_notes_under_the_stroke(roll, session):
    lane = roll.velocity_lane
    drag(lane, QPoint(round(roll.view.x_of(0)) + 1, round(lane.y_of(120))),
         QPoint(round(roll.view.x_of(1920)), round(lane.y_of(20))))
    velocities = [keys_note(session, p).velocity for p in (57, 60, 64)]
    assert velocities[0] > 110 and 60 < velocities[1] < 80 and velocities[2] < 30  # a ramp down


def test_an_assistants_note_dragged_by_a_person_becomes_ai_edited(roll, session):
    suggestion = propose(session, [(72, 4 * BEAT, BEAT, 100)])
    session.apply(AcceptSuggestion(suggestion))
    ai_note = keys_note(session, 72)
    assert note_class(ai_note.origin) == V.AI
    drag(roll, at(roll, 4 * BEAT + 480, 72), at(roll, 5 * BEAT + 480, 72))
    assert note_class(keys(session)[ai_note.id].origin) == V.AI_EDITED


def test_ghost_notes_of_a_suggestion_are_drawn_and_a_click_picks_them(roll, session):
    suggestion = propose(session, [(67, 4 * BEAT, BEAT, 100), (69, 5 * BEAT, BEAT, 100)])
    point = at(roll, 4 * BEAT + 480, 67)
    empty = render(roll).pixelColor(point)
    session.show_suggestion(suggestion)
    ghost = render(roll).pixelColor(point)
    assert ghost != empty and ghost.blue() > ghost.green()  # the suggestion's violet
    QTest.mouseClick(roll, LEFT, NONE, point)
    assert session.ghost_selection == {0}
    assert render(roll).pixelColor(point) != ghost  # a picked ghost is filled
    QTest.mouseClick(roll, LEFT, NONE, point)
    assert session.ghost_selection == set()
    assert not any(n.pitch == 67 for n in keys(session).values())  # a click on a ghost draws nothing


def test_copy_and_paste_at_the_last_click(roll, session):
    session.select({keys_note(session, 57).id, keys_note(session, 60).id})
    QTest.keyClick(roll, Qt.Key.Key_C, CTRL)
    roll.set_tool("select")
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 8 * BEAT + 10, 80))  # empty space: marks where to paste
    before = len(events(session))
    QTest.keyClick(roll, Qt.Key.Key_V, CTRL)
    pasted = sorted((keys(session)[i] for i in session.selection), key=lambda n: n.start)
    assert [(n.pitch, n.start, n.duration) for n in pasted] == [(57, 8 * BEAT, 960), (60, 9 * BEAT, 960)]
    assert all(n.origin == Origin("person:Ana") for n in pasted)
    assert [e["op"] for e in events(session)[before:]] == ["add_notes"]
    QTest.keyClick(roll, Qt.Key.Key_V, CTRL)  # a second paste follows the first
    assert min(keys(session)[i].start for i in session.selection) == 10 * BEAT


def test_paste_goes_to_the_playhead_when_nobody_clicked(roll, session):
    roll.select_all()
    roll.copy()
    roll.playhead_tick = 16 * BEAT + 50
    roll.paste()
    assert min(keys(session)[i].start for i in session.selection) == 16 * BEAT


def test_cut_removes_and_paste_brings_back_an_assistants_notes_as_theirs(roll, session):
    session.apply(AcceptSuggestion(propose(session, [(72, 4 * BEAT, BEAT, 100)])))
    ai_note = keys_note(session, 72)
    session.select({ai_note.id})
    QTest.keyClick(roll, Qt.Key.Key_X, CTRL)
    assert ai_note.id not in keys(session)
    roll.paste_tick = 12 * BEAT
    roll.paste()
    assert keys_note(session, 72).origin == ai_note.origin  # a copy is still the assistant's phrase


def test_transpose_in_scale_moves_to_the_next_degree_of_the_key(roll, session):
    c4, e4 = keys_note(session, 60), keys_note(session, 64)  # the song is in A minor
    session.select({c4.id, e4.id})
    QTest.keyClick(roll, Qt.Key.Key_Up, ALT)
    assert (keys(session)[c4.id].pitch, keys(session)[e4.id].pitch) == (62, 65)
    QTest.keyClick(roll, Qt.Key.Key_Down, ALT)
    QTest.keyClick(roll, Qt.Key.Key_Down, ALT)
    assert (keys(session)[c4.id].pitch, keys(session)[e4.id].pitch) == (59, 62)


def test_arrows_transpose_and_nudge(roll, session):
    c4 = keys_note(session, 60)
    session.select({c4.id})
    QTest.keyClick(roll, Qt.Key.Key_Up)
    QTest.keyClick(roll, Qt.Key.Key_Up, SHIFT)
    assert keys(session)[c4.id].pitch == 73
    QTest.keyClick(roll, Qt.Key.Key_Right)
    assert keys(session)[c4.id].start == 960 + SIXTEENTH


def test_quantize_pulls_the_selection_to_the_grid(roll, session):
    session.apply(AddNotes("Keys", [(70, 4 * BEAT + 70, 100, 90)]))
    off = keys_note(session, 70)
    session.select({off.id})
    QTest.keyClick(roll, Qt.Key.Key_Q)
    assert keys(session)[off.id].start == 4 * BEAT
    session.apply(AddNotes("Keys", [(71, 4 * BEAT + 100, 100, 90)]))
    session.select({keys_note(session, 71).id})
    roll.quantize(strength=0.5)
    assert keys_note(session, 71).start == 4 * BEAT + 50


def test_select_all_invert_and_out_of_scale(roll, session):
    session.apply(AddNotes("Keys", [(61, 4 * BEAT, 100, 90)]))  # C#: not in A minor
    QTest.keyClick(roll, Qt.Key.Key_A, CTRL)
    assert session.selection == set(keys(session))
    session.select({keys_note(session, 57).id})
    QTest.keyClick(roll, Qt.Key.Key_I, CTRL)
    assert session.selection == set(keys(session)) - {keys_note(session, 57).id}
    QTest.keyClick(roll, Qt.Key.Key_O, CTRL | SHIFT)
    assert session.selection == {keys_note(session, 61).id}


def test_every_shortcut_is_listed_and_parses(roll):
    listed = dict(SHORTCUTS)
    for all_keys, text, _ in BINDINGS:
        assert listed[", ".join(all_keys)] == text
        for keys_text in all_keys:
            assert not QKeySequence(keys_text).isEmpty()
    zoom = roll.view.pixels_per_quarter
    QTest.keyClick(roll, Qt.Key.Key_Plus, SHIFT)  # + is Shift+= on many keyboards
    assert roll.view.pixels_per_quarter == pytest.approx(zoom * 1.25)
    QTest.keyClick(roll, Qt.Key.Key_Minus)
    assert roll.view.pixels_per_quarter == pytest.approx(zoom)


def test_wheel_scrolls_and_zooms(roll):
    def wheel(dy, modifiers=NONE, pos=QPointF(400, 300)):
        event = QWheelEvent(pos, roll.mapToGlobal(pos), QPoint(), QPoint(0, dy), Qt.MouseButton.NoButton,
                            modifiers, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(roll, event)

    y, zoom, rows = roll.view.scroll_y, roll.view.pixels_per_quarter, roll.view.row_height
    wheel(-120)
    assert roll.view.scroll_y > y
    wheel(120, CTRL)
    assert roll.view.pixels_per_quarter == pytest.approx(zoom * 1.25)
    wheel(120, SHIFT)
    assert roll.view.row_height == pytest.approx(rows * 1.25)


def test_only_changes_to_what_is_shown_repaint(roll, session, monkeypatch):
    repaints = []
    monkeypatch.setattr(roll, "update", lambda *args: repaints.append(args))
    session.apply(SetChords([Chord(0, 3840, "Am", 9, "minor")]))
    assert repaints
    repaints.clear()
    session.apply(SetTitle("Another title"))
    assert repaints == []


def test_the_chord_lane_and_other_tracks_are_drawn(roll, session):
    roll.view.centre_on_pitch(50)
    plain = render(roll)
    bass = plain.pixelColor(at(roll, 600, 45))  # the bass's A2, a ghost under Keys (between grid lines)
    assert bass != QColor(roll.colours.row_in_scale) and bass == plain.pixelColor(at(roll, 1320, 45))
    session.apply(SetChords([Chord(0, 3840, "Am", 9, "minor")]))
    chord_row = render(roll)
    assert any(chord_row.pixelColor(x, 30) != plain.pixelColor(x, 30) for x in range(60, 120))


def test_colour_by_origin_shows_an_assistants_note_in_its_colour(roll, session):
    session.apply(AcceptSuggestion(propose(session, [(72, 4 * BEAT, BEAT, 100)])))
    session.colour_by_origin = True
    roll.update()
    assert render(roll).pixelColor(at(roll, 4 * BEAT + 480, 72)) == ORIGIN_COLOURS[V.AI]


def test_whole_song_view_of_many_notes_draws_a_summary(roll, session):
    session.apply(AddNotes("Keys", [(48 + i % 36, i * 60, 120, 90) for i in range(6000)]))
    roll.show_whole_song()
    image = render(roll)
    lit = sum(image.pixelColor(x, round(roll.view.y_of(50) + 2)) == roll.colours.note
              for x in range(roll.view.left, roll.view.left + roll.view.view_width))
    assert lit > 100  # the raster shows the notes of pitch 50 all along the song


def test_painting_many_frames(roll, session):
    """Guards against the PySide6 6.12 + CPython 3.11 crash: 200 frames of 2,000 notes must not abort."""
    session.apply(AddNotes("Keys", [(40 + i % 48, i * 120, 240, 90) for i in range(2000)]))
    roll.view.pixels_per_quarter = 8  # some 1,100 of them in view, drawn one rectangle each
    image = QImage(roll.size(), QImage.Format.Format_ARGB32_Premultiplied)
    for _ in range(200):
        roll.render(image)
    assert image.pixelColor(roll.width() - 1, 0) == roll.colours.panel


# -- tools -----------------------------------------------------------------------------------

def test_a_newcomer_starts_in_the_select_tool_where_a_plain_drag_selects(qtbot, session):
    fresh = PianoRoll(session)
    qtbot.addWidget(fresh)
    assert fresh.tool == "select"
    fresh.resize(1200, 700)
    fresh.show()
    fresh.view.pixels_per_quarter = 96
    fresh.view.centre_on_pitch(60)
    count = len(keys(session))
    drag(fresh, at(fresh, 100, 62), at(fresh, 1000, 55))
    assert session.selection == {keys_note(session, 57).id, keys_note(session, 60).id}
    assert len(keys(session)) == count  # nothing drawn


def test_ctrl_drag_on_empty_space_selects_in_the_draw_tool(roll, session):
    roll.set_tool("draw")
    count = len(keys(session))
    drag(roll, at(roll, 100, 62), at(roll, 1000, 55), modifiers=CTRL)
    assert session.selection == {keys_note(session, 57).id, keys_note(session, 60).id}
    assert len(keys(session)) == count


def test_the_erase_tool_deletes_what_a_stroke_crosses_in_one_undo_step(roll, session):
    session.apply(AddNotes("Keys", [(62, t, SIXTEENTH, 90) for t in range(4 * BEAT, 8 * BEAT, BEAT)]))
    row = {n.id for n in keys(session).values() if n.pitch == 62}
    roll.set_tool("erase")
    before = len(events(session))
    drag(roll, at(roll, 4 * BEAT + 10, 62), at(roll, 8 * BEAT, 62))  # steps of half a beat: faster than the notes
    assert not row & set(keys(session)) and len(keys(session)) == 3
    assert [e["op"] for e in events(session)[before:]] == ["delete_notes"]
    session.undo()
    assert row <= set(keys(session))
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 1440, 60))  # a click erases one note
    assert keys_note(session, 57) and not any(n.pitch == 60 for n in keys(session).values())


def test_the_right_button_erases_in_any_tool(roll, session):
    roll.set_tool("draw")
    c4 = keys_note(session, 60)
    QTest.mouseClick(roll, Qt.MouseButton.RightButton, NONE, at(roll, 1440, 60))
    assert c4.id not in keys(session) and len(keys(session)) == 2


def test_the_slice_tool_cuts_a_note_at_the_grid_keeping_its_span_and_origin(roll, session):
    session.apply(AcceptSuggestion(propose(session, [(72, 4 * BEAT, 2 * BEAT, 100)])))
    ai_note = keys_note(session, 72)
    roll.set_tool("slice")
    QTest.mouseMove(roll, at(roll, 4 * BEAT + 500, 72))
    assert roll._slice_mark == (ai_note, 4 * BEAT + 480)  # the line shows where the cut goes
    before = len(events(session))
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 4 * BEAT + 500, 72))  # snaps to the sixteenth at 4 beats + 480
    front, back = sorted((n for n in keys(session).values() if n.pitch == 72), key=lambda n: n.start)
    assert (front.id, front.start, front.end) == (ai_note.id, 4 * BEAT, 4 * BEAT + 480)
    assert (back.start, back.end) == (4 * BEAT + 480, ai_note.end)
    assert front.origin.created_by == back.origin.created_by == HARMONY.id
    assert note_class(front.origin) == note_class(back.origin) == V.AI_EDITED
    assert [e["op"] for e in events(session)[before:]] == ["split_note"]


def test_slicing_on_a_notes_edge_does_nothing(roll, session):
    roll.set_tool("slice")
    count, before = len(keys(session)), len(events(session))
    QTest.mouseClick(roll, LEFT, NONE, at(roll, 960 + 20, 60))  # the nearest grid line is the note's start
    assert len(keys(session)) == count and len(events(session)) == before


def test_tool_keys_switch_tools_and_tell_the_toolbar(roll):
    told = []
    roll.tool_changed.connect(told.append)
    for key, tool in ((Qt.Key.Key_D, "erase"), (Qt.Key.Key_C, "slice"), (Qt.Key.Key_P, "draw"),
                      (Qt.Key.Key_S, "select"), (Qt.Key.Key_B, "draw"), (Qt.Key.Key_E, "select")):
        QTest.keyClick(roll, key)
        assert roll.tool == tool
    assert told == ["erase", "slice", "draw", "select", "draw", "select"]
    with pytest.raises(ValueError):
        roll.set_tool("pencil")


def test_every_listed_key_reaches_its_action_before_the_windows_shortcuts(roll):
    for all_keys, _text, action in BINDINGS:
        for keys_text in all_keys:
            combination = QKeySequence(keys_text)[0]
            for kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
                event = QKeyEvent(kind, combination.key(), combination.keyboardModifiers())
                if kind == QEvent.Type.ShortcutOverride:
                    assert roll.event(event) and event.isAccepted(), keys_text
                else:
                    assert _actions()[_pressed(event)] is action, keys_text
    assert not any(k.startswith("F") and k[1:].isdigit() for all_keys, _, _ in BINDINGS for k in all_keys)


def test_snap_off_lands_notes_where_the_pointer_is(roll, session):
    roll.set_tool("draw")
    roll.set_grid("off")
    point = at(roll, 4 * BEAT + 100, 67)
    QTest.mouseClick(roll, LEFT, NONE, point)
    assert keys_note(session, 67).start == int(roll.view.tick_at(point.x())) != 4 * BEAT
    with pytest.raises(ValueError):
        roll.set_grid("1/7")


# -- follow the playhead, key names, chord lane ----------------------------------------------------

def test_the_view_pages_along_with_the_playhead(roll):
    moves = []
    roll.view_changed.connect(lambda: moves.append(roll.view.scroll_tick))
    start, end = roll.view.visible_ticks()
    roll.playhead_tick = end - 10
    assert roll.view.scroll_tick == start and moves == []  # still in view: no page turn
    roll.playhead_tick = end + 10
    assert roll.view.scroll_tick == end + 10 and moves == [end + 10]  # the page turns to the playhead
    roll.playhead_tick = 0  # play starts again from the top
    assert roll.view.scroll_tick == 0


def test_following_stops_while_the_person_looks_elsewhere(roll):
    _, end = roll.view.visible_ticks()
    roll.scroll_to(tick=40 * BEAT)  # the person scrolls ahead while it plays
    roll.playhead_tick = end + 10
    assert roll.view.scroll_tick == 40 * BEAT  # not dragged back
    roll.playhead_tick = 40 * BEAT + 10  # the playhead plays into the view they look at...
    roll.playhead_tick = 60 * BEAT  # ...so it follows again
    assert roll.view.scroll_tick == 60 * BEAT
    roll.scroll_to(tick=0)
    roll.playhead_tick = 61 * BEAT
    assert roll.view.scroll_tick == 0
    roll.resume_following()  # play restarts
    assert roll.view.scroll_tick == 61 * BEAT
    QTest.mousePress(roll, LEFT, NONE, at(roll, 61 * BEAT + 100, 80))  # a rubber band is being dragged
    roll.playhead_tick = 100 * BEAT
    assert roll.view.scroll_tick == 61 * BEAT
    QTest.mouseRelease(roll, LEFT, NONE, at(roll, 61 * BEAT + 100, 80))
    roll.follow_playhead = False
    roll.playhead_tick = 200 * BEAT
    assert roll.view.scroll_tick == 61 * BEAT


def test_key_names_on_every_c_or_on_every_key(roll):
    d4 = QRect(0, round(roll.view.y_of(62)), KEYBOARD_WIDTH, round(roll.view.row_height))

    def ink(image) -> int:
        white = QColor(roll.colours.key_white)
        return sum(image.pixelColor(x, y) != white for x in range(d4.left() + KEYBOARD_WIDTH // 2, d4.right())
                   for y in range(d4.top() + 2, d4.bottom() - 1))

    assert roll.key_names == "c" and ink(render(roll)) == 0
    roll.set_key_names("all")
    assert ink(render(roll)) > 10  # "D4" written on the key
    with pytest.raises(ValueError):
        roll.set_key_names("some")


def test_a_double_click_on_the_chord_lane_asks_for_a_chord_at_that_beat(roll, qtbot):
    y = RULER_HEIGHT + CHORD_LANE_HEIGHT // 2
    with qtbot.waitSignal(roll.chord_lane_activated) as signal:
        QTest.mouseDClick(roll, LEFT, NONE, QPoint(round(roll.view.x_of(5 * BEAT + 700)), y))
    assert signal.args == [5 * BEAT]
    count = len(keys(roll.session))
    assert count == 3  # no note was added


def test_the_beat_of_a_tick_follows_the_meter():
    meter = MeterMap([MeterChange(0, 4, 4), MeterChange(2 * 4 * BEAT, 6, 8)])
    assert beat_start(meter, 5 * BEAT + 700) == 5 * BEAT
    assert beat_start(meter, 8 * BEAT + 500) == 8 * BEAT + 480  # eighth-note beats in 6/8
    assert beat_start(meter, -3) == 0


# -- colours ---------------------------------------------------------------------------------

@pytest.mark.parametrize("palette", [DARK, LIGHT], ids=["dark", "light"])
def test_the_keyboard_and_ghost_notes_stand_out_on_both_themes(roll, session, palette):
    roll.set_colours(palette)
    session.show_suggestion(propose(session, [(67, 4 * BEAT, BEAT, 100)]))
    roll.view.centre_on_pitch(50)
    image = render(roll)
    d4, c_sharp4 = at(roll, 0, 62).y(), at(roll, 0, 61).y()
    assert contrast(image.pixelColor(KEYBOARD_WIDTH - 5, d4), image.pixelColor(5, c_sharp4)) > 7  # white, black
    edge = image.pixelColor(KEYBOARD_WIDTH - 1, d4)  # the keyboard's edge, against the white keys
    assert edge == palette.key_border and contrast(edge, image.pixelColor(KEYBOARD_WIDTH - 5, d4)) > 2
    row = image.pixelColor(at(roll, 600, 47))
    bass = image.pixelColor(at(roll, 600, 45))  # another track's note: a fill unlike the rows and the notes
    assert contrast(bass, row) > 1.1 and bass not in (palette.note, palette.note_selected)
    outline = image.pixelColor(at(roll, 600, 45).x(), round(roll.view.y_of(45)))  # its top edge
    assert contrast(outline, row) > 1.5 * contrast(bass, row)
    ghost = image.pixelColor(at(roll, 4 * BEAT + 480, 67))
    assert contrast(ghost, image.pixelColor(at(roll, 4 * BEAT + 480, 68))) > 1.1 and ghost.blue() > ghost.green()


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1: the same, 21: black on white)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
