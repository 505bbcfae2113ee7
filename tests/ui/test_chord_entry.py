"""Typing a chord into the chord lane: set, clear, cancel, and a bad symbol refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from cowrite.attribution.ledger import read_events
from cowrite.edit import SetChords
from cowrite.theory.chords import chart_to_chords
from cowrite.ui.chord_entry import open_chord_entry

BAR, BEAT = 3840, 960


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def charted(session):
    session.apply(SetChords(chart_to_chords("C | F | G | C", session.song.meter, 4)))
    return session


def lane(session):
    return [(c.start, c.end, c.symbol) for c in session.song.chords]


def type_in(qtbot, entry, text, key=Qt.Key.Key_Return):
    """Type `text` over whatever the entry holds, then press `key`; returns what `finished` said."""
    outcome = []
    entry.finished.connect(outcome.append)
    entry.edit.clear()
    qtbot.keyClicks(entry.edit, text)
    popup = entry.edit.completer().popup()
    qtbot.keyClick(popup if popup.isVisible() else entry.edit, key)  # the list of completions has the keys
    return outcome


def test_typing_a_chord_on_a_bar_line_sets_it_for_the_bar_as_the_person(qtbot, host, charted):
    entry = open_chord_entry(charted, host, BAR, QPoint(10, 10))
    assert entry.edit.text() == "F"  # it opens on the chord that is there
    assert type_in(qtbot, entry, "Am7") == [True]
    assert lane(charted) == [(0, BAR, "C"), (BAR, 2 * BAR, "Am7"), (2 * BAR, 3 * BAR, "G"), (3 * BAR, 4 * BAR, "C")]
    event = read_events(charted.project.ledger.path)[-1]
    assert event["op"] == "set_chords" and event["actor"]["id"] == "person:Ana"


def test_typing_a_chord_mid_bar_runs_to_the_bar_line(qtbot, host, charted):
    entry = open_chord_entry(charted, host, 2 * BAR + 2 * BEAT)
    type_in(qtbot, entry, "D7")
    assert lane(charted)[2:4] == [(2 * BAR, 2 * BAR + 2 * BEAT, "G"), (2 * BAR + 2 * BEAT, 3 * BAR, "D7")]


def test_an_empty_entry_clears_the_chord_there(qtbot, host, charted):
    entry = open_chord_entry(charted, host, 2 * BAR)
    assert type_in(qtbot, entry, "") == [True]
    assert lane(charted) == [(0, BAR, "C"), (BAR, 2 * BAR, "F"), (3 * BAR, 4 * BAR, "C")]


def test_esc_cancels_and_changes_nothing(qtbot, host, charted):
    before, events = lane(charted), len(read_events(charted.project.ledger.path))
    entry = open_chord_entry(charted, host, 0)
    outcome = type_in(qtbot, entry, "Bb", key=Qt.Key.Key_Escape)  # the first Esc folds the completions away
    assert outcome == [] and entry.isVisible()
    qtbot.keyClick(entry.edit, Qt.Key.Key_Escape)
    assert outcome == [False]
    assert lane(charted) == before and len(read_events(charted.project.ledger.path)) == events


def test_a_bad_symbol_is_named_and_changes_nothing(qtbot, host, charted):
    before, events = lane(charted), len(read_events(charted.project.ledger.path))
    entry = open_chord_entry(charted, host, 0)
    assert type_in(qtbot, entry, "Hmaj7") == []  # still open, for a correction
    assert entry.isVisible() and entry.message.isVisibleTo(entry)
    assert "'Hmaj7' is not a chord symbol I know" in entry.message.text()
    assert lane(charted) == before and len(read_events(charted.project.ledger.path)) == events
    assert type_in(qtbot, entry, "Bmaj7") == [True]
    assert lane(charted)[0] == (0, BAR, "Bmaj7")


def test_the_completer_offers_every_root_with_the_qualities(qtbot, host, session):
    entry = open_chord_entry(session, host, 0)
    completer = entry.edit.completer()
    completer.setCompletionPrefix("F#")
    offered = {completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())}
    assert {"F#", "F#m", "F#m7", "F#maj7", "F#7", "F#dim", "F#m7b5", "F#sus4"} <= offered
    assert all(symbol.startswith("F#") for symbol in offered)
    entry.close()
