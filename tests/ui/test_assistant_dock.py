"""The assistants dock: ask on a worker, show the suggestion as ghost notes, and let the person decide."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

from cowrite.assistants.parameters import Boolean, Choice, FloatRange, IntRange
from cowrite.attribution.ledger import read_events
from cowrite.model.suggestion import PARTLY_ACCEPTED, PENDING, REJECTED
from cowrite.ui.assistant_dock import AssistantDock, CardDialog, FloatControl, parameter_control


@pytest.fixture
def dock(qtbot, session):
    session.set_current_track(session.song.find_track("Drums").id)
    widget = AssistantDock(session)
    qtbot.addWidget(widget)
    widget.pick("drums")
    return widget


def events(session) -> list[dict]:
    return read_events(session.project.ledger.path)


def generate(qtbot, dock, seed=7):
    before = dock.session.suggestion_id
    assert dock.generate(seed=seed)
    qtbot.waitUntil(lambda: not dock.busy and dock.session.suggestion_id != before, timeout=10000)
    return dock.session.suggestion


def test_controls_follow_the_parameter_types(qapp):
    assert isinstance(parameter_control(Choice("style", ("a", "b"), "b"))[0], QComboBox)
    assert isinstance(parameter_control(IntRange("n", 1, 8, 4))[0], QSpinBox)
    assert isinstance(parameter_control(Boolean("fills", True))[0], QCheckBox)
    control, read = parameter_control(FloatRange("density", 0.0, 1.0, 0.25))
    assert isinstance(control, FloatControl) and read() == 0.25


def test_the_drums_controls_hold_the_assistants_defaults(dock):
    values = dock.values()
    assert values["style"] == "boom-bap" and values["fills"] is True and values["fill_every"] == 4
    assert dock.target.currentText() == "Drums"
    assert not dock.source.isVisibleTo(dock)  # the drums assistant reads no source track


def test_generate_shows_a_pending_suggestion_proposed_by_the_assistant(qtbot, dock, session):
    shown = []
    dock.suggestion_shown.connect(shown.append)
    suggestion = generate(qtbot, dock)
    assert suggestion.status == PENDING and suggestion.notes
    assert session.current_track.name == "Drums"
    assert shown == [suggestion.id]
    last = events(session)[-1]
    assert last["op"] == "propose" and last["actor"]["id"] == "assistant:drums@1.0.0"
    assert "drums@1.0.0" in dock.explanation.toPlainText()
    assert dock.accept_button.isEnabled() and not dock.accept_some_button.isEnabled()


def test_partial_accept_keeps_only_the_selected_ghost_notes(qtbot, dock, session):
    suggestion = generate(qtbot, dock)
    session.select_ghosts({0, 2, 5})
    assert dock.accept_some_button.isEnabled()
    assert dock.accept_selected()
    drums = session.song.find_track("Drums")
    assert sorted((n.pitch, n.start) for n in drums.notes.values()) == sorted(
        (suggestion.notes[i].pitch, suggestion.notes[i].start) for i in (0, 2, 5))
    assert all(n.origin.created_by == "assistant:drums@1.0.0" for n in drums.notes.values())
    assert session.song.suggestions[suggestion.id].status == PARTLY_ACCEPTED
    last = events(session)[-1]
    assert last["op"] == "accept" and last["actor"]["id"] == "person:Ana" and last["after"]["accepted"] == [0, 2, 5]
    assert session.suggestion is None and "Kept 3 of" in dock.explanation.toPlainText()


def test_accept_selected_without_a_selection_says_so(qtbot, dock, session):
    generate(qtbot, dock)
    messages = []
    session.failed.connect(messages.append)
    assert not dock.accept_selected()
    assert messages and "no ghost notes selected" in messages[0]
    assert session.suggestion is not None


def test_reject_leaves_the_song_alone_and_the_ledger_says_so(qtbot, dock, session):
    suggestion = generate(qtbot, dock)
    assert dock.reject()
    assert session.song.suggestions[suggestion.id].status == REJECTED
    assert not session.song.find_track("Drums").notes
    assert events(session)[-1]["op"] == "reject"
    assert not dock.accept_button.isEnabled()


def test_regenerate_rejects_first_then_asks_with_a_new_seed(qtbot, dock, session):
    first = generate(qtbot, dock)
    assert dock.regenerate()
    qtbot.waitUntil(lambda: not dock.busy and session.suggestion is not None, timeout=10000)
    second = session.suggestion
    assert second.id != first.id and second.seed != first.seed
    assert session.song.suggestions[first.id].status == REJECTED
    ops = [e["op"] for e in events(session)[-3:]]
    assert ops == ["propose", "reject", "propose"]


def test_a_refused_question_is_a_message_not_a_crash(qtbot, dock, session):
    messages = []
    session.failed.connect(messages.append)
    dock.first_bar.setValue(5)
    dock.last_bar.setValue(2)
    assert not dock.generate(seed=1)
    assert "first bar comes after the last" in messages[0]


def test_harmony_needs_a_source_track(qtbot, dock, session):
    dock.pick("harmony")
    assert dock.source.isVisibleTo(dock)
    assert dock.target.currentText() == "Keys"  # an instrument track: the drums track does not fit
    assert dock.source.currentText() == "Bass"  # the other instrument track with notes


def test_the_card_names_the_training_data(qtbot, dock):
    card = CardDialog(dock.assistant)
    qtbot.addWidget(card)
    text = card.findChild(type(dock.source_label)).text()
    assert "Cowrite drum pattern corpus" in text and "CC0" in text and "statistical" in text
