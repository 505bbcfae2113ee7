"""The song overview: a lane per track over the whole song; clicks select and jump; it repaints only what it shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.edit import (AcceptSuggestion, AddNotes, AddTrack, ProposeSuggestion, RenameTrack, SetChords, SetKey,
                          SetLength, SetTempo, SetTrackProperty)
from cowrite.model import Key, ProposedNote, Suggestion
from cowrite.theory.chords import chart_to_chords
from cowrite.ui.song_overview import (LANE_HEIGHT, MIN_LANE_HEIGHT, NAME_WIDTH, RULER_HEIGHT, SongOverview,
                                      TrackColumns, lane_raster, pitch_rows)
from cowrite.ui.theme import DARK, ORIGIN_COLOURS

LEFT = Qt.MouseButton.LeftButton
DRUMS_AI = Actor.assistant("drums", "1.0.0")
SONG_TICKS = 8 * 3840  # the fixture song: 8 bars of 4/4
NOTES_WIDTH = 768  # 40 ticks a pixel over the fixture song


@pytest.fixture
def overview(qtbot, session) -> SongOverview:
    widget = SongOverview(session)
    qtbot.addWidget(widget)
    widget.resize(NAME_WIDTH + NOTES_WIDTH, RULER_HEIGHT + 3 * LANE_HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def lane_middle(index: int) -> int:
    return RULER_HEIGHT + index * LANE_HEIGHT + LANE_HEIGHT // 2


def track_id(session, name: str) -> str:
    return session.song.find_track(name).id


def accept_drums(session, pitches=(36, 38)) -> None:
    """The drums assistant proposes a kick and a snare on Drums; Ana accepts them."""
    doc = session.document
    notes = [ProposedNote(p, i * 960, 240, 100) for i, p in enumerate(pitches)]
    doc.apply(ProposeSuggestion(Suggestion("", DRUMS_AI.id, track_id(session, "Drums"), {}, 1, notes,
                                           source_type=V.TRAINED_ALGORITHMIC)), DRUMS_AI)
    doc.apply(AcceptSuggestion(f"s{session.song.next_suggestion_id - 1}"))


def lane_colours(image: QImage, index: int) -> set[str]:
    """The colours in the notes part of lane `index` of a grabbed overview."""
    top = RULER_HEIGHT + index * LANE_HEIGHT
    return {QColor(image.pixel(x, y)).name() for x in range(NAME_WIDTH + 2, image.width())
            for y in range(top, top + LANE_HEIGHT - 1)}


# -- the thumbnail, without a widget ---------------------------------------------------------

def test_pitch_rows_centre_a_narrow_range_and_squeeze_a_wide_one():
    narrow = pitch_rows(np.array([60, 64]), 13)  # 5 semitones in 13 rows: a row a semitone, centred
    assert narrow[60] == 4 and narrow[64] == 8
    wide = pitch_rows(np.array([24, 96]), 13)
    assert wide[24] == 0 and wide[96] == 12 and wide[60] == 6


def test_a_lane_raster_marks_each_note_where_and_by_what_class_it_sounds(session):
    accept_drums(session)
    drums = TrackColumns.of(session.song.find_track("Drums"))
    raster = lane_raster(drums, SONG_TICKS, NOTES_WIDTH, 13)
    # kick at 0..240 (6 columns), snare at 960..1200 (columns 24..29); an AI class code, snare above the kick
    kick_row, snare_row = np.nonzero(raster[:, 0])[0], np.nonzero(raster[:, 24])[0]
    assert len(kick_row) == len(snare_row) == 1 and snare_row[0] < kick_row[0]
    assert set(np.unique(raster)) == {0, 2}  # CLASS_CODES[V.AI]
    assert np.count_nonzero(raster) == 12


# -- clicks ----------------------------------------------------------------------------------

def test_a_click_on_a_lane_selects_its_track_and_asks_to_jump_to_the_tick(qtbot, overview, session):
    x = NAME_WIDTH + 48  # 48 pixels of 40 ticks
    with qtbot.waitSignal(overview.jump_requested) as jump:
        qtbot.mouseClick(overview, LEFT, pos=QPoint(x, lane_middle(1)))
    assert jump.args == [1920]
    assert session.current_track_id == track_id(session, "Bass")
    with qtbot.waitSignal(overview.jump_requested) as jump:
        qtbot.mouseClick(overview, LEFT, pos=QPoint(NAME_WIDTH + 96, lane_middle(2)))
    assert jump.args == [3840] and session.current_track_id == track_id(session, "Drums")


def test_the_ruler_only_jumps_and_a_name_only_selects(qtbot, overview, session):
    with qtbot.waitSignal(overview.jump_requested) as jump:
        qtbot.mouseClick(overview, LEFT, pos=QPoint(NAME_WIDTH + 192, RULER_HEIGHT // 2))
    assert jump.args == [7680] and session.current_track_id == track_id(session, "Keys")
    with qtbot.assertNotEmitted(overview.jump_requested):
        qtbot.mouseClick(overview, LEFT, pos=QPoint(NAME_WIDTH // 2, lane_middle(1)))
    assert session.current_track_id == track_id(session, "Bass")


def test_lanes_shrink_then_scroll_when_many_tracks(overview, session):
    for i in range(9):
        session.apply(AddTrack(f"Extra {i}"))
    assert len(session.song.tracks) == 12
    overview.resize(overview.width(), RULER_HEIGHT + 6 * LANE_HEIGHT)
    assert overview.lane_height == MIN_LANE_HEIGHT  # 96 pixels for 12 lanes: shrunk to the least, then scrolled
    last = overview.lane_top(11) + MIN_LANE_HEIGHT // 2
    assert last > overview.height() and overview.lane_at(last) == 11
    wheel = QWheelEvent(QPointF(200, 50), QPointF(200, 50), QPoint(), QPoint(0, -120 * 10), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(overview, wheel)
    assert overview.lane_top(11) + MIN_LANE_HEIGHT == overview.height()  # scrolled to the last lane, no further


# -- colours ---------------------------------------------------------------------------------

def test_lanes_are_coloured_by_author_class_when_colouring_is_on(overview, session):
    accept_drums(session)
    session.colour_by_origin = True
    image = overview.grab().toImage()
    human, ai = ORIGIN_COLOURS[V.HUMAN].name(), ORIGIN_COLOURS[V.AI].name()
    keys, drums = lane_colours(image, 0), lane_colours(image, 2)
    assert human in keys and ai not in keys
    assert ai in drums and human not in drums
    session.colour_by_origin = False
    overview.update()
    plain = lane_colours(overview.grab().toImage(), 2)
    assert DARK.note.name() in plain and ai not in plain  # every note in the one note colour


# -- repainting only what changed -------------------------------------------------------------

MARKER = QRect(0, 0, 1, 1)


class PaintWatcher(QObject):
    """Records the region of each paint event the overview gets."""

    def __init__(self):
        super().__init__()
        self.regions: list[QRect] = []

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == event.Type.Paint:
            self.regions.append(event.rect())
        return False


def painted_after(qtbot, overview, change) -> QRect:
    """What the overview repainted once `change()` ran: the one-pixel MARKER alone if the change asked for nothing.

    Qt merges every pending update into the next paint, so asking for MARKER after
    the change and waiting for that paint shows whether the change asked for more.
    """
    watcher = PaintWatcher()
    overview.installEventFilter(watcher)
    assert change(), "the change was refused"
    overview.update(MARKER)
    qtbot.waitUntil(lambda: bool(watcher.regions))
    overview.removeEventFilter(watcher)
    return watcher.regions[0]


@pytest.mark.parametrize("command", [
    lambda s: SetTempo(100.0),
    lambda s: SetKey(Key("D", "major")),
    lambda s: SetChords(chart_to_chords("Am | F", s.song.meter, 2)),
    lambda s: SetTrackProperty(track_id(s, "Bass"), "volume", 0.5),
], ids=["tempo", "key", "chords", "volume"])
def test_changes_it_does_not_show_repaint_nothing(qtbot, overview, session, command):
    assert painted_after(qtbot, overview, lambda: session.apply(command(session))) == MARKER


@pytest.mark.parametrize("command", [
    lambda s: AddNotes(track_id(s, "Bass"), [(40, 7680, 960, 100)]),
    lambda s: RenameTrack(track_id(s, "Bass"), "Low end"),
    lambda s: SetLength(12),
    lambda s: AddTrack("Strings"),
], ids=["notes", "rename", "length", "new track"])
def test_changes_it_shows_repaint(qtbot, overview, session, command):
    assert painted_after(qtbot, overview, lambda: session.apply(command(session))) == overview.rect()


def test_only_the_changed_tracks_thumbnail_is_rebuilt(overview, session):
    overview.grab()
    keys, bass = (overview._thumbnails[track_id(session, name)][1] for name in ("Keys", "Bass"))
    session.apply(AddNotes(track_id(session, "Bass"), [(43, 960, 960, 100)]))
    overview.grab()
    assert overview._thumbnails[track_id(session, "Keys")][1] is keys
    assert overview._thumbnails[track_id(session, "Bass")][1] is not bass


def test_the_playhead_and_loop_are_drawn_where_they_belong(overview):
    overview.playhead_tick = 3840  # bar 2: 96 pixels in
    overview.loop_range = (7680, 11520)
    image = overview.grab().toImage()
    assert QColor(image.pixel(NAME_WIDTH + 96, lane_middle(2))).name() == DARK.playhead.name()
    loop_x, outside_x = NAME_WIDTH + 240, NAME_WIDTH + 400
    y = RULER_HEIGHT + 3 * LANE_HEIGHT - 3  # below the notes, in the last lane
    assert QColor(image.pixel(loop_x, y)) != QColor(image.pixel(outside_x, y))
