"""Shared UI fixtures: a small song of a few tracks in a temporary project, a Session over it, and the window.

A test module may define its own `session` (the drum grid's starts on a drum
track); this one starts on Keys, the first track.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from cowrite.edit import AddNotes, AddTrack, Macro  # noqa: E402
from cowrite.model import TrackKind  # noqa: E402
from cowrite.ui.session import Session  # noqa: E402

#: Ana's notes on Keys: A3 for a beat, C4 for a beat, E4 for half a beat (pitch, start, duration, velocity)
KEYS_NOTES = [(57, 0, 960, 90), (60, 960, 960, 90), (64, 1920, 480, 80)]
BASS_NOTES = [(45, 0, 1920, 100), (40, 1920, 1920, 100)]


@pytest.fixture
def song_project(project):
    """The shared `project` (Ana's song in A minor, 4/4, 8 bars) with Keys, Bass and an empty Drums track."""
    project.document.apply(Macro("Tracks", [
        AddTrack("Keys"), AddNotes("Keys", KEYS_NOTES),
        AddTrack("Bass"), AddNotes("Bass", BASS_NOTES),
        AddTrack("Drums", kind=TrackKind.DRUMS),
    ]))
    return project


@pytest.fixture
def session(qtbot, song_project) -> Session:
    """A session on the song, its current track Keys, with no player."""
    return Session(song_project)


# -- the studio window ----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def library_folder(tmp_path_factory, monkeypatch):
    """One sample library for the whole run (indexing the kits once), never the person's own."""
    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))


@pytest.fixture(autouse=True)
def questions(monkeypatch) -> list[str]:
    """A question box never blocks a test: 'Save changes?' is answered Discard; the titles are kept."""
    asked = []

    def answer(parent, title, text, *args, **kwargs):
        asked.append(title)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


def open_window(qtbot, session):
    from cowrite.settings import Settings
    from cowrite.ui.main_window import MainWindow
    from cowrite.ui.preferences import StudioPrefs

    window = MainWindow(session, Settings(author="Ana"), StudioPrefs())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, session):
    """The window on the shared small song, saved first: as if just opened from disk."""
    session.project.save()
    return open_window(qtbot, session)


