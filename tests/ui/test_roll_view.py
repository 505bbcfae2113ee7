"""The roll view: its toolbar drives the piano roll, and its scroll bars and the roll's view move together."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cowrite.edit import AddNotes
from cowrite.model import PPQ
from cowrite.ui.piano_roll import TOOLS
from cowrite.ui.roll_view import RollView

BEAT = PPQ
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot, session) -> RollView:
    widget = RollView(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


def pick(combo, text: str) -> None:
    """Choose an item as the person would (activated, not just currentIndexChanged)."""
    index = combo.findText(text)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def wheel(widget, dy: int, y: float = 300) -> None:
    """Turn the wheel over the notes (or, at a small `y`, over the ruler, which scrolls along time)."""
    pos = QPointF(400, y)
    event = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, dy), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_tool_buttons_are_one_exclusive_group_that_follows_the_keys(view):
    roll, actions = view.roll, view.tool_actions
    assert list(actions) == list(TOOLS) and actions["select"].isChecked()
    actions["erase"].trigger()
    assert roll.tool == "erase" and not actions["select"].isChecked()
    QTest.keyClick(roll, Qt.Key.Key_C)
    assert roll.tool == "slice" and actions["slice"].isChecked() and not actions["erase"].isChecked()
    assert all(action.toolTip() for action in actions.values())


def test_a_toolbar_tool_draws_with_a_plain_click(view, session):
    roll = view.roll
    view.tool_actions["draw"].trigger()
    roll.set_grid("1/16")
    point = QPoint(round(roll.view.x_of(8 * BEAT + 10)), round(roll.view.y_of(72) + roll.view.row_height / 2))
    QTest.mouseClick(roll, LEFT, Qt.KeyboardModifier.NoModifier, point)
    (added,) = [n for n in session.song.find_track("Keys").notes.values() if n.pitch == 72]
    assert added.start == 8 * BEAT


def test_the_snap_choice_sets_the_grid_triplets_and_off_included(view):
    geometry = view.roll.view
    assert view.snap.currentData() == "auto"
    pick(view.snap, "1/8 triplet")
    assert geometry.grid_name == "1/8t" and geometry.grid_ticks == PPQ // 3
    pick(view.snap, "Off")
    assert not geometry.snaps and geometry.snap(1234.4) == 1234
    view.roll.set_grid("1/16")  # set elsewhere (the window): the choice shows it
    assert view.snap.currentText() == "1/16" and view.horizontal.singleStep() == PPQ // 4


def test_zoom_buttons_zoom_and_the_bar_follows(view):
    geometry, bar = view.roll.view, view.horizontal
    zoom, page = geometry.pixels_per_quarter, bar.pageStep()
    view.zoom_in.trigger()
    assert geometry.pixels_per_quarter == pytest.approx(zoom * 1.25)
    assert bar.pageStep() == pytest.approx(page / 1.25, rel=0.01)  # the handle shows the narrower view
    view.zoom_out.trigger()
    view.zoom_out.trigger()
    assert geometry.pixels_per_quarter == pytest.approx(zoom / 1.25)


def test_whole_song_fits_the_song_in_view_and_the_bar_has_nowhere_to_go(view, session):
    session.apply(AddNotes("Keys", [(60, 40 * 4 * BEAT, BEAT, 90)]))  # a note in bar 41
    view.fit.trigger()
    start, end = view.roll.view.visible_ticks()
    assert start == 0 and end >= 40 * 4 * BEAT + BEAT  # to the end of that note
    assert view.horizontal.value() == 0 and view.horizontal.maximum() == 0
    view.roll.zoom(2)
    for _ in range(40):
        wheel(view.roll, -120, y=10)  # the wheel over the ruler goes on past the song's end...
    assert view.roll.view.scroll_tick > 40 * 4 * BEAT
    assert view.horizontal.value() == view.horizontal.maximum() == round(view.roll.view.scroll_tick)  # ...the bar too


def test_moving_the_bars_scrolls_the_roll(view):
    geometry = view.roll.view
    view.roll.show_ticks(0, 4 * 4 * BEAT)  # four bars: the song's eight need the bar
    assert view.horizontal.pageStep() == 4 * 4 * BEAT and view.horizontal.maximum() == 4 * 4 * BEAT
    view.horizontal.setValue(6 * BEAT)
    assert geometry.scroll_tick == 6 * BEAT
    view.vertical.setValue(300)
    assert geometry.scroll_y == 300


def test_the_wheel_and_a_longer_song_move_the_bars(view, session):
    geometry = view.roll.view
    wheel(view.roll, -240)
    assert view.vertical.value() == round(geometry.scroll_y) and view.vertical.value() > 0
    maximum = view.horizontal.maximum()
    session.apply(AddNotes("Keys", [(60, 80 * 4 * BEAT, BEAT, 90)]))
    assert view.horizontal.maximum() > maximum + 60 * 4 * BEAT  # room to scroll to the new last note


def test_the_bars_follow_the_playhead_and_a_hand_on_a_bar_stops_the_following(view):
    roll = view.roll
    _, end = roll.view.visible_ticks()
    roll.playhead_tick = end + 100
    assert view.horizontal.value() == end + 100  # the page turned, the bar with it
    view.horizontal.setValue(0)  # the person drags the bar back to the top
    roll.playhead_tick = end + 2 * (end - 0)
    assert roll.view.scroll_tick == 0 and view.horizontal.value() == 0
    view.follow.setChecked(False)
    assert roll.follow_playhead is False
    view.follow.setChecked(True)  # switched back on: it finds the playhead at once
    assert roll.follow_playhead and roll.view.visible(roll.playhead_tick)


def test_the_key_names_choice(view):
    assert view.roll.key_names == "c"
    pick(view.key_names, "All keys")
    assert view.roll.key_names == "all"
    pick(view.key_names, "C only")
    assert view.roll.key_names == "c"
    view.roll.set_key_names("all")
    assert view.key_names.currentText() == "All keys"


def test_the_bars_line_up_with_the_note_area(view):
    roll = view.roll
    vertical_top = view.vertical.mapTo(view, QPoint(0, 0)).y() - roll.mapTo(view, QPoint(0, 0)).y()
    assert vertical_top == roll.view.top
    assert view.vertical.height() == roll.view.view_height
    horizontal_left = view.horizontal.mapTo(view, QPoint(0, 0)).x()
    assert horizontal_left == roll.view.left and view.horizontal.width() == roll.width() - roll.view.left
