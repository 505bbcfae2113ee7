"""The docks at their narrowest and without a sound card: nothing clipped at 300 pixels, in either theme;
a track is renamed only on purpose; a silent preview says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import read_events
from cowrite.audio.output import ManualOutput, NullOutput
from cowrite.audio.player import Player
from cowrite.edit import RenameTrack
from cowrite.ui.attribution_dock import WHAT, WHO, WHO_MAX_WIDTH, AttributionDock
from cowrite.ui.preferences import apply_theme
from cowrite.ui.samples_dock import SamplesDock
from cowrite.ui.session import Session
from cowrite.ui.track_list import TrackList

NARROWEST = 300
REASON = "no audio playback: no output device (Error querying device -1). Everything else works."


@pytest.fixture(params=["dark", "light"])
def theme(request, qapp):
    """The app in one of the studio's themes, restored afterwards so other tests see Qt's defaults."""
    style, palette, sheet = qapp.style().name(), QPalette(qapp.palette()), qapp.styleSheet()
    apply_theme(qapp, request.param)
    yield request.param
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


@pytest.fixture
def library_folder(tmp_path_factory, monkeypatch):
    """The run's one sample library (the built-in kits indexed once), never the person's own."""
    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))


def clipped(dock: QWidget) -> list[str]:
    """Each visible control narrower than it needs, or reaching past the dock's right edge."""
    problems = []
    for child in dock.findChildren(QWidget):
        if not child.isVisibleTo(dock):
            continue
        need = min(child.minimumSizeHint().width(), child.maximumWidth())
        right = child.mapTo(dock, QPoint(child.width(), 0)).x()
        if child.width() < need or right > dock.width():
            text = getattr(child, "text", None)
            name = child.objectName() or (text() if callable(text) else "")
            problems.append(f"{type(child).__name__} {name!r}: {child.width()} of {need} px, right edge {right}")
    return problems


def at_narrowest(qtbot, dock: QWidget) -> QWidget:
    qtbot.addWidget(dock)
    dock.resize(NARROWEST, 700)
    dock.show()
    qtbot.waitExposed(dock)
    assert dock.minimumSizeHint().width() <= NARROWEST
    assert dock.width() == NARROWEST
    return dock


def names(session) -> list[str]:
    return [t.name for t in session.song.tracks]


def renames(session) -> list[dict]:
    """The ledger's renames (a rename is a set_track of the name)."""
    return [e for e in read_events(session.project.ledger.path)
            if e["op"] == "set_track" and e["subject"].get("property") == "name"]


# -- nothing clipped at 300 pixels --------------------------------------------------------------------------


def test_the_track_list_fits_300_pixels(qtbot, session, theme):
    tracks = at_narrowest(qtbot, TrackList(session))
    assert clipped(tracks) == []


def test_the_attribution_dock_fits_300_pixels(qtbot, session, theme):
    dock = at_narrowest(qtbot, AttributionDock(session, QAction("Colour by origin")))
    dock.read_new()
    assert clipped(dock) == []


def test_the_samples_dock_fits_300_pixels(qtbot, session, theme, library_folder):
    dock = at_narrowest(qtbot, SamplesDock(session))
    qtbot.waitUntil(lambda: dock.db is not None and not dock.indexing, timeout=30000)
    assert clipped(dock) == []
    dock.shutdown()


# -- the history's "What" -----------------------------------------------------------------------------------


def test_what_takes_the_room_and_the_whole_event_is_in_the_tooltip(qtbot, session):
    arranger = Actor.assistant("orchestral-arranger-deluxe", "12.3.45")
    long_name = "A track with a name far too long to show whole in a narrow dock"
    session.document.apply(RenameTrack(session.song.tracks[0].id, long_name), arranger)
    dock = at_narrowest(qtbot, AttributionDock(session, QAction("Colour by origin")))
    dock.read_new()
    history, header = dock.history, dock.history.header()
    newest = history.topLevelItem(0)
    assert long_name in newest.text(WHAT) and long_name in newest.toolTip(WHAT)
    others = sum(header.sectionSize(c) for c in range(header.count()) if c != WHAT)
    assert header.sectionSize(WHAT) == history.viewport().width() - others  # all the rest of the row
    assert header.sectionSize(WHAT) == max(header.sectionSize(c) for c in range(header.count()))
    assert header.sectionSize(WHO) <= WHO_MAX_WIDTH
    assert newest.text(WHO) == arranger.name and arranger.label in newest.toolTip(WHO)  # the version: in the tip


# -- renaming a track -----------------------------------------------------------------------------------------


def test_space_on_a_picked_track_never_renames_it(qtbot, session):
    tracks = at_narrowest(qtbot, TrackList(session))
    row = tracks.rows[0]
    before = names(session)
    QTest.mouseClick(row.name, Qt.MouseButton.LeftButton, pos=QPoint(8, row.name.height() // 2))
    assert session.current_track_id == row.track_id  # the click picked the track
    QTest.keyClick(row.name, Qt.Key.Key_Space)
    QTest.keyClicks(row.name, "x")
    QTest.keyClick(row.name, Qt.Key.Key_Return)
    row.name.editingFinished.emit()  # as losing focus would
    assert names(session) == before and renames(session) == []
    assert row.name.text() == before[0] and not row.name.editing


def test_double_click_opens_the_rename_editor(qtbot, session, ana):
    tracks = at_narrowest(qtbot, TrackList(session))
    row = tracks.rows[0]
    QTest.mouseDClick(row.name, Qt.MouseButton.LeftButton, pos=QPoint(8, row.name.height() // 2))
    assert row.name.editing and row.name.selectedText() == "Keys"
    QTest.keyClicks(row.name, "Lead synth")  # a space inside a name being typed is just a space
    QTest.keyClick(row.name, Qt.Key.Key_Return)
    assert names(session)[0] == "Lead synth" and not row.name.editing
    (event,) = renames(session)
    assert event["actor"]["id"] == ana.id


def test_escape_keeps_the_old_name(qtbot, session):
    tracks = at_narrowest(qtbot, TrackList(session))
    row = tracks.rows[0]
    QTest.mouseDClick(row.name, Qt.MouseButton.LeftButton, pos=QPoint(8, row.name.height() // 2))
    QTest.keyClicks(row.name, "Oops")
    QTest.keyClick(row.name, Qt.Key.Key_Escape)
    assert row.name.text() == "Keys" and not row.name.editing
    assert names(session)[0] == "Keys" and renames(session) == []


# -- previews without a sound card ------------------------------------------------------------------------------


def samples_dock(qtbot, song_project, output) -> tuple[SamplesDock, Player]:
    player = Player(output, threaded=False)
    dock = SamplesDock(Session(song_project, player))
    qtbot.addWidget(dock)
    dock.show()
    qtbot.waitUntil(lambda: dock.db is not None and not dock.indexing, timeout=30000)
    dock.query.setText("kick")
    dock.search()
    return dock, player


def test_a_silent_preview_says_why(qtbot, song_project, library_folder):
    dock, player = samples_dock(qtbot, song_project, NullOutput(REASON, clock=lambda: 0.0, threaded=False))
    assert not dock.silent_notice.isHidden() and REASON in dock.silent_notice.toolTip()
    dock.results.setCurrentItem(dock.results.topLevelItem(0))  # picking a sample previews it
    assert dock.status.text() == f"Silent preview of {dock.current().name}: {REASON}"
    dock.shutdown()
    player.close()


def test_with_a_sound_card_the_preview_is_heard_and_nothing_is_said(qtbot, song_project, library_folder):
    device = ManualOutput()
    dock, player = samples_dock(qtbot, song_project, device)
    assert dock.silent_notice.isHidden()
    dock.results.setCurrentItem(dock.results.topLevelItem(0))
    assert "Silent" not in dock.status.text()
    assert abs(device.pull(4096)).max() > 0.01  # the kick, through the "sound card"
    dock.shutdown()
    player.close()

