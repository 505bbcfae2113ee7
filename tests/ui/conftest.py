"""Shared UI fixtures: a small song of a few tracks in a temporary project, and a Session over it.

A test module may define its own `session` (the drum grid's starts on a drum
track); this one starts on Keys, the first track.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

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
