"""Shared fixtures: an isolated config folder, a person, and a fresh song project."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt tests never need a screen

import pytest

from cowrite.attribution.actors import Actor
from cowrite.io.project import Project
from cowrite.model import Key, MeterChange, MeterMap, Song, TempoChange, TempoMap


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user's settings."""
    monkeypatch.setenv("COWRITE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("COWRITE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("COWRITE_AUTHOR", raising=False)
    for name in ("COWRITE_SIGN_KEY", "COWRITE_SIGN_CERT"):  # an author's own signing key never signs test exports
        monkeypatch.delenv(name, raising=False)


class Clock:
    """A monotonic clock that only moves when a test moves it (for the silent output's real-time pulls)."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ana() -> Actor:
    return Actor.person("Ana")


@pytest.fixture
def ben() -> Actor:
    return Actor.person("Ben")


@pytest.fixture
def drums_ai() -> Actor:
    return Actor.assistant("drums", "1.0.0")


def new_song(**kwargs) -> Song:
    defaults = dict(title="Test", tempo=TempoMap([TempoChange(0, 120.0)]), meter=MeterMap([MeterChange(0, 4, 4)]),
                    key=Key("A", "minor"), length_bars=8)
    return Song(**{**defaults, **kwargs})


@pytest.fixture
def project(tmp_path, ana) -> Project:
    p = Project.create(tmp_path / "song.cowrite", new_song(), ana)
    yield p
    p.close()


def keys_and_accepted_kicks(project, drums_ai) -> None:
    """A small mixed song: a person's keys, and four kicks the drums assistant proposed and she accepted."""
    from cowrite.edit import AcceptSuggestion, AddNotes, AddTrack, Macro, ProposeSuggestion
    from cowrite.model import ProposedNote, Suggestion, TrackKind

    doc = project.document
    doc.apply(Macro("Tracks", [AddTrack("Keys"), AddNotes("Keys", [(57, 0, 960, 90), (60, 960, 960, 90)]),
                               AddTrack("Drums", kind=TrackKind.DRUMS)]))
    doc.apply(ProposeSuggestion(Suggestion("", drums_ai.id, "Drums", {}, 1,
                                           [ProposedNote(36, i * 960, 120, 110) for i in range(4)],
                                           source_type="trainedAlgorithmicMedia")), drums_ai)
    doc.apply(AcceptSuggestion(f"s{project.song.next_suggestion_id - 1}"))


def run_cowrite(capsys, *args) -> tuple[int, str, str]:
    """Run the `cowrite` command in-process: (exit code, stdout, stderr)."""
    from cowrite.cli.main import main

    code = main([*map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err
