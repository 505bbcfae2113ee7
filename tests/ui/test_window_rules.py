"""The window's rules a musician leans on: who gets Space, Enter and Esc; the roll's share of the room;
a layout that survives new songs and restarts; and being asked one's name, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from cowrite.settings import Settings, full_name, load_settings
from cowrite.ui import first_run, window_layout
from cowrite.ui.preferences import StudioPrefs
from cowrite.ui.session import Session
from tests.ui.conftest import open_window


def plays(window) -> list[bool]:
    """Each time the window's Play / Stop action fires."""
    fired = []
    window.act.play.triggered.connect(lambda *_: fired.append(True))
    return fired


def test_space_plays_from_a_button_or_a_track_and_types_in_a_text_field(qtbot, window):
    fired = plays(window)
    mute = window.tracks.rows[0].mute
    mute.setFocus()
    qtbot.keyClick(mute, Qt.Key.Key_Space)
    assert fired == [True] and not mute.isChecked()  # played; the button was not pressed
    window.piano.setFocus()
    qtbot.keyClick(window.piano, Qt.Key.Key_Space)
    assert fired == [True, True]
    field = QLineEdit(window.assistant)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "808 kick")
    assert field.text() == "808 kick" and len(fired) == 2


def pending(qtbot, window, session, assistant: str = "bass"):
    window.assistant.pick(assistant)
    assert window.assistant.generate(seed=3)
    qtbot.waitUntil(lambda: session.suggestion is not None, timeout=10000)
    return session.suggestion


def test_enter_accepts_from_any_panel_but_not_from_a_text_field(qtbot, window, session):
    suggestion = pending(qtbot, window, session)
    field = QLineEdit(window.assistant)
    field.show()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert session.song.suggestions[suggestion.id].status == "pending"  # typing, not deciding
    mute = window.tracks.rows[0].mute
    mute.setFocus()
    qtbot.keyClick(mute, Qt.Key.Key_Return)
    assert session.song.suggestions[suggestion.id].status == "accepted"


def test_esc_rejects_from_the_track_list(qtbot, window, session):
    suggestion = pending(qtbot, window, session)
    window.tracks.rows[1].mute.setFocus()
    qtbot.keyClick(window.tracks.rows[1].mute, Qt.Key.Key_Escape)
    assert session.song.suggestions[suggestion.id].status == "rejected"


def test_enter_without_a_suggestion_decides_nothing(qtbot, window, session):
    before = len(session.song.suggestions)
    window.piano.setFocus()
    qtbot.keyClick(window.piano, Qt.Key.Key_Return)
    assert len(session.song.suggestions) == before and window.act.accept.isEnabled() is False


def test_no_sun_keyboard_keys_in_the_shortcut_list(window):
    keys = " ".join(k for section in window.shortcut_sections() for k, _ in section[1])
    assert "Ctrl+Z" in keys and "Space" in keys
    assert not any(f"F{n}" in keys.split(", ") or f"F{n}," in keys for n in range(13, 36))
    assert all(f"F{n}" not in keys.replace(",", " ").split() for n in range(13, 36))


def settle() -> None:
    """Let Qt carry out the pending layout requests (no waiting on a clock)."""
    for _ in range(3):
        QApplication.processEvents()


def central_share(window) -> float:
    return window.centralWidget().width() / window.width()


def test_the_roll_gets_most_of_a_small_window(qtbot, session):
    session.project.save()
    window = open_window(qtbot, session)
    window.resize(1024, 700)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.width() == 1024)
    settle()
    assert central_share(window) >= 0.6, central_share(window)
    for dock in (window.tracks_dock, window.assistants_dock, window.samples_dock, window.attribution_dock):
        assert dock.minimumSizeHint().width() <= window_layout.DOCK_MIN, dock.objectName()


def test_new_song_keeps_the_layout_and_it_survives_a_restart(qtbot, session, tmp_path):
    session.project.save()
    window = open_window(qtbot, session)
    window.resize(790, 760)  # inside the offscreen screen (800x800), which a restored geometry is kept within
    window.reset_layout()
    settle()
    window.resizeDocks([window.assistants_dock], [360], Qt.Orientation.Horizontal)
    settle()
    widths = (window.tracks_dock.width(), window.assistants_dock.width())
    assert window.files.create_song(tmp_path / "new.cowrite")
    settle()
    assert (window.tracks_dock.width(), window.assistants_dock.width()) == widths
    state = window_layout.saved_state(window)
    project = window.session.project
    window.close()
    again = open_window_with_layout(qtbot, project.path, state)
    settle()
    assert again.size() == window.size() and again.assistants_dock.width() == widths[1] == 360
    assert again.dockWidgetArea(again.tracks_dock) == Qt.DockWidgetArea.RightDockWidgetArea  # a narrow window's


def open_window_with_layout(qtbot, path: Path, state: dict):
    from cowrite.attribution.actors import Actor
    from cowrite.io.project import Project
    from cowrite.ui.main_window import MainWindow

    project = Project.open(path, Actor.person("Ana"))
    window = MainWindow(Session(project), Settings(author="Ana"), StudioPrefs(window_layout=state))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_broken_saved_layout_falls_back_to_the_first_one(qtbot, session):
    from cowrite.ui.main_window import MainWindow

    session.project.save()
    window = MainWindow(session, Settings(author="Ana"), StudioPrefs(window_layout={"docks": "not base64 !"}))
    qtbot.addWidget(window)
    assert not window.tracks_dock.isFloating() and window.tracks_dock.isVisibleTo(window)


# -- the person's name ------------------------------------------------------------------------------

def test_first_start_asks_once_and_remembers(monkeypatch):
    asked = []
    monkeypatch.setattr(first_run, "full_name", lambda: "Ana Rivera")
    name = first_run.ask_name_if_new(Settings(), ask=lambda suggested: asked.append(suggested) or "Ana R.")
    assert name == "Ana R." and asked == ["Ana Rivera"]
    assert load_settings().author == "Ana R."
    again = first_run.ask_name_if_new(load_settings(), ask=lambda suggested: pytest.fail("asked twice"))
    assert again == "Ana R."


def test_closing_the_question_credits_a_guest_not_the_login(monkeypatch):
    assert first_run.ask_name_if_new(Settings(), ask=lambda suggested: "") == first_run.UNNAMED


def test_the_account_name_is_never_a_bare_login(monkeypatch):
    import pwd

    class Entry:
        pw_gecos = "root"

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: Entry())
    monkeypatch.setenv("LOGNAME", "root")
    assert full_name() == ""
    Entry.pw_gecos = "Ana Rivera,,,"
    assert full_name() == "Ana Rivera"


def test_the_name_dialog_needs_a_name(qtbot):
    dialog = first_run.NameDialog("")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name, "Ben")
    assert ok.isEnabled() and dialog.answer() == "Ben"


def test_the_demo_opens_coloured_by_origin_and_asks_a_new_person_their_name(qtbot, monkeypatch, tmp_path):
    from cowrite.ui import app as studio
    from cowrite.ui.main_window import MainWindow

    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path / "data"))
    seen = {}
    real_show = MainWindow.show

    def show(window):
        seen["colour"], seen["author"] = window.act.colour.isChecked(), window.session.document.author.id
        real_show(window)

    monkeypatch.setattr(MainWindow, "show", show)
    asked = []
    code = studio.run(demo=True, quit_after_show=True, ask_name=lambda suggested: asked.append(suggested) or "Cleo")
    assert code == 0 and len(asked) == 1
    assert seen == {"colour": True, "author": "person:Cleo"}


# -- one writer per song ----------------------------------------------------------------------------

def test_a_song_open_for_writing_elsewhere_opens_read_only_when_the_person_agrees(qtbot, window, tmp_path,
                                                                                  monkeypatch, ben):
    from cowrite.edit import AddTrack
    from cowrite.io.lock import SongLock
    from cowrite.ui import recovery

    other = tmp_path / "other.cowrite"
    first = window.session.project.path
    assert window.files.create_song(other)
    assert window.files.open_song(first)  # back to the first song: other.cowrite is free again
    held = SongLock.take(other, ben)  # Ben has it open in another window
    try:
        monkeypatch.setattr(recovery, "ask_read_only", lambda locked, parent=None: False)
        monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a, **k: None)
        assert not window.files.open_song(other)
        assert window.session.project.path == first
        monkeypatch.setattr(recovery, "ask_read_only", lambda locked, parent=None: "Ben" in locked.problem)
        assert window.files.open_song(other)
        project = window.session.project
        assert project.read_only and "read-only" in window.windowTitle()
        assert not window.session.apply(AddTrack("Nope"))  # refused, said on the status bar
        assert [t.name for t in project.song.tracks] == ["Piano"]
    finally:
        held.release()
