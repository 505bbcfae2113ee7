"""The drum grid: a step view of the current drum track that changes the song only through the door."""

from __future__ import annotations

import wave

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtTest import QTest

from cowrite.attribution.ledger import read_events
from cowrite.edit import AddNotes, AddTrack, ProposeSuggestion
from cowrite.model import PPQ, ProposedNote, Suggestion, TrackKind
from cowrite.ui.drum_grid import DEFAULT_VELOCITY, DrumGrid, drum_rows, row_label
from cowrite.ui.session import Session

SIXTEENTH = PPQ // 4
KICK, SNARE, CLOSED_HAT = 36, 38, 42


@pytest.fixture
def session(project):
    """A session whose current track is an empty drum track, with a piano track beside it."""
    project.document.apply(AddTrack("Keys"))
    project.document.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    s = Session(project)
    s.set_current_track(project.song.find_track("Drums").id)
    return s


@pytest.fixture
def grid(qtbot, session):
    widget = DrumGrid(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    return widget


def drums(session):
    return session.current_track


def events(session) -> list[dict]:
    return read_events(session.project.ledger.path)


def centre(grid, pitch, index) -> QPoint:
    return grid.cell_rect(pitch, index).center()


def click(grid, pitch, index, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.mouseClick(grid.viewport(), button, modifiers, centre(grid, pitch, index))


def drag(grid, start: QPoint, end: QPoint, modifiers=Qt.KeyboardModifier.NoModifier):
    """Press, move in small steps (as a hand does), release."""
    viewport = grid.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, start)
    for i in range(1, 11):
        QTest.mouseMove(viewport, start + (end - start) * (i / 10))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, end)


def render(grid) -> QImage:
    image = QImage(grid.size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    grid.render(image)
    return image


# -- rows ----------------------------------------------------------------------------


def test_rows_are_the_standard_kit_in_kit_order(grid):
    labels = [grid.row_label(p) for p in grid.rows]
    assert labels == ["Kick", "Snare", "Clap", "Closed hat", "Open hat", "Low tom", "Mid tom", "High tom",
                      "Crash", "Ride", "Rim", "Shaker", "Cowbell"]


def test_a_key_with_notes_gets_a_row_beside_its_voice(session, grid):
    session.apply(AddNotes(drums(session).id, [(35, 0, SIXTEENTH, 100), (65, 0, SIXTEENTH, 100)]))
    assert grid.rows[:3] == [35, KICK, SNARE]
    assert grid.row_label(35) == "Kick 35"
    assert grid.rows[-1] == 65 and grid.row_label(65) == "Key 65"
    assert drum_rows(drums(session)) == grid.rows
    assert row_label(drums(session), KICK) == "Kick"


# -- clicking steps --------------------------------------------------------------------


def test_clicking_a_cell_adds_one_note_by_the_person(session, grid, ana):
    before = len(events(session))
    click(grid, SNARE, 4)
    (note,) = drums(session).notes.values()
    assert (note.pitch, note.start, note.duration, note.velocity) == (SNARE, 4 * SIXTEENTH, SIXTEENTH,
                                                                      DEFAULT_VELOCITY)
    assert note.origin.created_by == ana.id
    new = events(session)[before:]
    assert [e["op"] for e in new] == ["add_notes"] and new[0]["actor"]["id"] == ana.id


def test_clicking_again_removes_it(session, grid):
    click(grid, SNARE, 4)
    before = len(events(session))
    click(grid, SNARE, 4)
    assert drums(session).notes == {}
    assert [e["op"] for e in events(session)[before:]] == ["delete_notes"]


def test_right_click_deletes_and_never_adds(session, grid):
    click(grid, KICK, 0)
    click(grid, KICK, 0, Qt.MouseButton.RightButton)
    click(grid, KICK, 1, Qt.MouseButton.RightButton)
    assert drums(session).notes == {}


def test_the_step_size_sets_where_and_how_long(session, grid):
    grid.set_step("1/8")
    click(grid, KICK, 3)
    grid.set_step("1/16t")
    click(grid, KICK, 1)
    assert sorted((n.start, n.duration) for n in drums(session).notes.values()) == [(PPQ // 6, PPQ // 6),
                                                                                   (3 * PPQ // 2, PPQ // 2)]
    with pytest.raises(ValueError):
        grid.set_step("1/5")


def test_a_click_outside_the_cells_does_nothing(session, grid):
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 100))  # on the row names
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 5))  # on the ruler
    assert drums(session).notes == {}


def test_a_piano_track_shows_no_steps_and_takes_no_clicks(session, grid):
    session.set_current_track(session.song.find_track("Keys").id)
    assert grid.track is None and grid.rows == []
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 100))
    assert session.song.note_count() == 0
    render(grid)


# -- dragging runs ----------------------------------------------------------------------


def test_a_drag_across_four_cells_is_one_undo_step(session, grid):
    before = len(events(session))
    drag(grid, centre(grid, CLOSED_HAT, 0), centre(grid, CLOSED_HAT, 3))
    assert sorted(n.start for n in drums(session).notes.values()) == [i * SIXTEENTH for i in range(4)]
    assert len(events(session)) == before + 1
    session.undo()
    assert drums(session).notes == {}


def test_a_drag_from_a_filled_cell_erases_the_run_in_one_step(session, grid):
    session.apply(AddNotes(drums(session).id, [(KICK, i * SIXTEENTH, SIXTEENTH, 90) for i in range(8)]))
    drag(grid, centre(grid, KICK, 2), centre(grid, KICK, 5))
    assert sorted(n.start // SIXTEENTH for n in drums(session).notes.values()) == [0, 1, 6, 7]
    session.undo()
    assert len(drums(session).notes) == 8


def test_painting_fills_only_the_empty_cells_of_the_run(session, grid):
    click(grid, KICK, 2)
    drag(grid, centre(grid, KICK, 1), centre(grid, KICK, 3))  # starts on an empty cell: paints
    assert sorted(n.start // SIXTEENTH for n in drums(session).notes.values()) == [1, 2, 3]


# -- velocity ---------------------------------------------------------------------------


def test_shift_drag_up_raises_the_velocity(session, grid):
    click(grid, SNARE, 0)
    start = centre(grid, SNARE, 0)
    before = len(events(session))
    drag(grid, start, start - QPoint(0, 20), Qt.KeyboardModifier.ShiftModifier)
    (note,) = drums(session).notes.values()
    assert note.velocity == DEFAULT_VELOCITY + 20
    assert [e["op"] for e in events(session)[before:]] == ["set_velocity"]
    assert "velocity" in note.origin.edited


def test_a_new_step_takes_the_rows_last_velocity(session, grid):
    click(grid, SNARE, 0)
    start = centre(grid, SNARE, 0)
    drag(grid, start, start + QPoint(0, 200), Qt.KeyboardModifier.ShiftModifier)  # down to the floor
    click(grid, SNARE, 4)
    click(grid, KICK, 4)
    velocities = {(n.pitch, n.start): n.velocity for n in drums(session).notes.values()}
    assert velocities == {(SNARE, 0): 1, (SNARE, 4 * SIXTEENTH): 1, (KICK, 4 * SIXTEENTH): DEFAULT_VELOCITY}


def test_cell_brightness_shows_velocity(session, grid):
    session.apply(AddNotes(drums(session).id, [(KICK, 0, SIXTEENTH, 20), (KICK, SIXTEENTH, SIXTEENTH, 127)]))
    image = render(grid)
    soft = QColor(image.pixel(centre(grid, KICK, 0)))
    hard = QColor(image.pixel(centre(grid, KICK, 1)))
    assert hard.lightness() > soft.lightness()


# -- swing and pattern --------------------------------------------------------------------


def test_swing_delays_the_off_beat_steps(session, grid):
    grid.swing = 0.6
    drag(grid, centre(grid, CLOSED_HAT, 0), centre(grid, CLOSED_HAT, 3))
    starts = sorted(n.start for n in drums(session).notes.values())
    assert starts == [0, SIXTEENTH + 48, 2 * SIXTEENTH, 3 * SIXTEENTH + 48]  # 0.6 * 240 / 3
    click(grid, CLOSED_HAT, 1)  # the swung note is still in its cell
    assert len(drums(session).notes) == 3
    with pytest.raises(ValueError):
        grid.swing = 1.5


def test_apply_swing_moves_existing_off_beats_in_one_step(session, grid):
    session.apply(AddNotes(drums(session).id, [(CLOSED_HAT, i * SIXTEENTH, SIXTEENTH, 80) for i in range(4)]))
    grid.swing = 1.0
    assert grid.apply_swing()
    assert sorted(n.start for n in drums(session).notes.values()) == [0, 320, 480, 800]
    assert events(session)[-1]["op"] == "quantize"
    session.undo()
    assert sorted(n.start for n in drums(session).notes.values()) == [0, 240, 480, 720]


def test_apply_swing_on_an_empty_track_says_so(session, grid, qtbot):
    with qtbot.waitSignal(session.failed):
        assert not grid.apply_swing()


def test_repeat_pattern_copies_the_first_bars_over_the_song(session, grid, drums_ai):
    bar = 4 * PPQ
    track = drums(session).id
    session.apply(AddNotes(track, [(KICK, 0, SIXTEENTH, 100), (SNARE, PPQ, SIXTEENTH, 100)]))
    session.document.apply(AddNotes(track, [(CLOSED_HAT, bar + PPQ // 2, SIXTEENTH, 70)]), drums_ai)
    session.apply(AddNotes(track, [(KICK, 2 * bar, SIXTEENTH, 100)]))  # already there: not doubled
    before = len(events(session))
    assert grid.repeat_pattern(2)
    notes = drums(session).notes.values()
    assert len(notes) == 3 + 3 * 3  # bars 3..8 hold three copies of each note of the two-bar pattern
    assert sorted(n.start for n in notes if n.pitch == KICK) == [b * bar for b in (0, 2, 4, 6)]
    hats = [n for n in notes if n.pitch == CLOSED_HAT]
    assert {n.origin.created_by for n in hats} == {drums_ai.id}  # the assistant's pattern stays the assistant's
    assert {e.get("group") for e in events(session)[before:]} == {"Repeat 2 bars"}
    session.undo()
    assert len(drums(session).notes) == 4


def test_repeat_pattern_refuses_a_pattern_as_long_as_the_song(session, grid, qtbot):
    with qtbot.waitSignal(session.failed):
        assert not grid.repeat_pattern(8)


# -- same notes as every other view -----------------------------------------------------------


def test_the_grid_shows_notes_added_through_the_door(session, grid):
    session.apply(AddNotes(drums(session).id, [(KICK, 0, SIXTEENTH, 100), (SNARE, 4 * SIXTEENTH, 50, 100)]))
    assert [n.pitch for n in grid.notes_in_cell(KICK, 0)] == [KICK]
    assert [n.pitch for n in grid.notes_in_cell(SNARE, 4)] == [SNARE]
    assert grid.notes_in_cell(KICK, 4) == []
    image = render(grid)
    empty = QColor(image.pixel(centre(grid, KICK, 4)))
    assert QColor(image.pixel(centre(grid, KICK, 0))) != empty
    assert QColor(image.pixel(centre(grid, SNARE, 4))) != empty


def test_it_repaints_only_for_changes_it_shows(session, grid, monkeypatch):
    refreshed = []
    monkeypatch.setattr(grid, "_refresh", lambda: refreshed.append(1))
    session.apply(AddNotes("Keys", [(60, 0, PPQ, 90)]))
    assert refreshed == []
    session.apply(AddNotes(drums(session).id, [(KICK, 0, PPQ, 90)]))
    assert refreshed == [1]


def test_selected_notes_are_highlighted(session, grid):
    session.apply(AddNotes(drums(session).id, [(KICK, 0, SIXTEENTH, 127)]))
    edge = grid.cell_rect(KICK, 0).topLeft() + QPoint(3, 3)
    plain = render(grid).pixel(edge)
    session.select(set(drums(session).notes))
    assert render(grid).pixel(edge) != plain


def test_colour_by_origin_tells_an_assistants_steps_apart(session, grid, drums_ai):
    session.document.apply(AddNotes(drums(session).id, [(KICK, 0, SIXTEENTH, 127)]), drums_ai)
    plain = render(grid).pixel(centre(grid, KICK, 0))
    session.colour_by_origin = True
    assert render(grid).pixel(centre(grid, KICK, 0)) != plain


# -- ghosts ----------------------------------------------------------------------------


def propose(session, drums_ai, notes):
    track = drums(session).id
    session.document.apply(ProposeSuggestion(Suggestion("", drums_ai.id, track, {}, 1, notes)), drums_ai)
    session.show_suggestion(f"s{session.song.next_suggestion_id - 1}")


def test_ghost_cells_show_and_toggle(session, grid, drums_ai):
    propose(session, drums_ai, [ProposedNote(KICK, 0, SIXTEENTH, 110), ProposedNote(58, SIXTEENTH, SIXTEENTH, 90)])
    assert 58 in grid.rows  # a key only the suggestion uses still gets its row
    assert grid.ghosts_in_cell(KICK, 0) == [0] and grid.ghosts_in_cell(58, 1) == [1]
    empty = QColor(render(grid).pixel(centre(grid, KICK, 0)))
    click(grid, KICK, 0)
    assert session.ghost_selection == {0}
    assert drums(session).notes == {}  # picking a ghost writes nothing
    assert QColor(render(grid).pixel(centre(grid, KICK, 0))) != empty
    click(grid, KICK, 0)
    assert session.ghost_selection == set()


def test_ghosts_of_another_track_are_not_shown(session, grid, drums_ai):
    session.document.apply(ProposeSuggestion(Suggestion("", drums_ai.id, "Keys", {}, 1,
                                                        [ProposedNote(KICK, 0, SIXTEENTH, 110)])), drums_ai)
    session.show_suggestion(f"s{session.song.next_suggestion_id - 1}")
    assert grid.ghosts() == []


# -- dropping a sample ---------------------------------------------------------------------


def write_wav(path):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(bytes(2 * 4410))
    return path


def drop(grid, path, pitch):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = grid.cell_rect(pitch, 2).center()
    event = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    grid.dropEvent(event)
    return event


def test_dropping_a_wav_on_the_kick_row_assigns_pad_36(session, grid, tmp_path):
    sample = write_wav(tmp_path / "BigKick.wav")
    before = len(events(session))
    assert drop(grid, sample, KICK).isAccepted()
    assert drums(session).pads[KICK].name == "BigKick"
    assert [e["op"] for e in events(session)[before:]] == ["assign_sample"]
    assert grid.row_label(KICK) == "BigKick"


def test_a_missing_sample_becomes_a_message(session, grid, tmp_path, qtbot):
    with qtbot.waitSignal(session.failed):
        drop(grid, tmp_path / "gone.wav", SNARE)
    assert drums(session).pads == {}


def test_a_file_that_is_not_audio_is_refused(session, grid, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("kick")
    assert not drop(grid, text, KICK).isAccepted()
    assert drums(session).pads == {}


# -- painting and scrolling -------------------------------------------------------------------


def test_painting_many_frames(session, grid):
    session.apply(AddNotes(drums(session).id, [(p, i * SIXTEENTH, SIXTEENTH, 1 + (i * 7) % 127)
                                               for p in (KICK, SNARE, CLOSED_HAT) for i in range(128)]))
    session.select({n.id for n in list(drums(session).notes.values())[::5]})
    image = QImage(grid.size(), QImage.Format.Format_ARGB32)
    for i in range(100):
        grid.horizontalScrollBar().setValue(i * 20)
        image.fill(0)
        grid.render(image)
    assert not image.isNull()


def test_zoom_keeps_the_tick_under_the_pointer(session, grid):
    rect = grid.cell_rect(KICK, 8)
    grid.zoom_by(2.0, rect.left())
    assert abs(grid.cell_rect(KICK, 8).left() - rect.left()) <= 1
    assert grid.cell_rect(KICK, 8).width() in (2 * rect.width() - 1, 2 * rect.width(), 2 * rect.width() + 1)


def test_cells_follow_the_scroll(session, grid):
    grid.zoom_by(4.0)
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    index = grid.cell_count - 1
    click(grid, KICK, index)
    (note,) = drums(session).notes.values()
    assert note.start == index * SIXTEENTH


# -- hits off the step grid ------------------------------------------------------------------


def drawn(grid, point: QPoint) -> QPoint:
    """Where a viewport point lands in `render(grid)` (the scroll area's frame around the viewport)."""
    return grid.viewport().mapTo(grid, point)


@pytest.mark.parametrize("step", ["1/8", "1/16", "1/32", "1/16t"])
def test_a_swung_hit_fills_its_whole_cell_at_every_step_size(session, grid, step):
    grid.set_step(step)
    size = grid.step
    late = size + size * 4 // 5  # four fifths into the second cell: drawn from its start it was a sliver
    session.apply(AddNotes(drums(session).id, [(CLOSED_HAT, late, SIXTEENTH, 127)]))
    cell = grid.cell_rect(CLOSED_HAT, 1)
    block = grid.hit_rect(CLOSED_HAT, late)
    assert block.left() <= cell.left() + 2 and block.right() >= cell.right() - 2
    assert block.width() >= cell.width() - 4
    marker = grid.offset_marker(CLOSED_HAT, late)
    assert block.contains(marker) and marker.center().x() > block.center().x()  # late: towards the cell's end
    image = render(grid)
    early_part = cell.topLeft() + QPoint(cell.width() // 4, cell.height() // 2)  # before the hit's real start
    empty = QColor(image.pixel(drawn(grid, grid.cell_rect(CLOSED_HAT, 3).center())))
    assert QColor(image.pixel(drawn(grid, early_part))) != empty


def test_a_hit_on_the_grid_has_no_offset_marker(session, grid):
    assert grid.offset_marker(KICK, 4 * SIXTEENTH) is None
    assert grid.offset_marker(KICK, 4 * SIXTEENTH + 1) is not None  # one tick late is off the grid


def test_the_offset_marker_is_drawn_where_the_hit_really_starts(session, grid):
    grid.swing = 1.0
    click(grid, CLOSED_HAT, 1)  # lands a third of a step late
    (note,) = drums(session).notes.values()
    marker = grid.offset_marker(CLOSED_HAT, note.start)
    assert abs(marker.center().x() - grid.x_of(note.start)) <= 1
    image = render(grid)
    block = grid.hit_rect(CLOSED_HAT, note.start)
    assert QColor(image.pixel(drawn(grid, marker.center()))) != QColor(image.pixel(drawn(grid, block.center())))


# -- the toolbar ----------------------------------------------------------------------------

def test_the_drum_toolbar_reaches_steps_swing_and_repeat(qtbot, session):
    from cowrite.ui.drum_view import DrumView

    view = DrumView(session)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    view.steps.setCurrentIndex(view.steps.findData("1/8"))
    view.steps.activated.emit(view.steps.currentIndex())
    assert view.grid.step_name == "1/8"
    view.swing.setValue(50)
    assert view.grid.swing == 0.5
    session.apply(AddNotes(drums(session).id, [(KICK, 0, SIXTEENTH, 100)]))
    view.repeat.setCurrentIndex(view.repeat.findData(1))
    repeat = next(a for a in view.toolbar.actions() if a.text() == "Repeat")
    repeat.trigger()
    assert sorted(n.start for n in drums(session).notes.values()) == [b * 4 * PPQ for b in range(8)]
