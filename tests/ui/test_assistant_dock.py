"""The assistants dock: ask on a worker, show the suggestion as ghost notes, and let the person decide."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

from cowrite.assistants.parameters import Boolean, Choice, FloatRange, IntRange
from cowrite.attribution.ledger import read_events
from cowrite.edit import AddNotes, AddTrack, Macro
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


def test_harmony_never_reads_the_bass_by_default(qtbot, dock, session):
    dock.pick("harmony")
    assert dock.source.isVisibleTo(dock)
    assert dock.target.currentText() == "Keys"  # an instrument track: the drums track does not fit
    assert dock.source.currentIndex() == -1 and not dock.generate_button.isEnabled()  # only the bass to read
    dock.source.setCurrentIndex(dock.source.findText("Bass"))
    dock.source.activated.emit(dock.source.currentIndex())  # as the person picking it
    assert dock.generate_button.isEnabled()


def test_harmony_reads_the_melody_by_default_and_keeps_a_source_the_person_picked(qtbot, dock, session):
    session.apply(Macro("Tracks", [AddTrack("Lead"), AddNotes("Lead", [(76, 0, 960, 90), (79, 960, 960, 90)]),
                                   AddTrack("Pad")]))
    dock.pick("harmony")
    dock.target.setCurrentIndex(dock.target.findText("Pad"))
    assert dock.source.currentText() == "Lead"
    dock.target.setCurrentIndex(dock.target.findText("Lead"))
    assert dock.source.currentText() == "Keys"  # the highest-pitched other track, the bass still not
    dock.source.setCurrentIndex(dock.source.findText("Bass"))
    dock.source.activated.emit(dock.source.currentIndex())
    dock.target.setCurrentIndex(dock.target.findText("Pad"))
    assert dock.source.currentText() == "Bass"


def drum_hits(session):
    return sorted((n.pitch, n.start, n.origin.suggestion) for n in session.song.find_track("Drums").notes.values())


def test_accept_replaces_by_default_and_layer_keeps_the_tracks_notes(qtbot, dock, session):
    first = generate(qtbot, dock, seed=7)
    assert dock.mode == "replace" and dock.accept()
    kept = drum_hits(session)
    assert {s for *_, s in kept} == {first.id}
    second = generate(qtbot, dock, seed=8)
    dock.accept_mode.setCurrentIndex(dock.accept_mode.findData("layer"))
    assert dock.accept()
    hits = drum_hits(session)
    assert set(kept) <= set(hits)  # layered: the first pattern's hits all stay
    assert len({(p, t) for p, t, _ in hits}) == len(hits)  # and no hit doubles another
    assert events(session)[-1]["after"]["mode"] == "layer"
    third = generate(qtbot, dock, seed=9)
    dock.accept_mode.setCurrentIndex(dock.accept_mode.findData("replace"))
    assert dock.accept()
    assert {s for *_, s in drum_hits(session)} == {third.id} != {second.id}


@pytest.fixture
def heard(qtbot, song_project):
    """A dock whose session has a player on a manual output, so what it is given can be read back."""
    from cowrite.audio.output import ManualOutput
    from cowrite.audio.player import Player
    from cowrite.ui.session import Session

    player = Player(ManualOutput(), threaded=False)
    session = Session(song_project, player)
    session.set_current_track(session.song.find_track("Keys").id)
    widget = AssistantDock(session)
    qtbot.addWidget(widget)
    yield widget, player
    player.close()


@pytest.mark.parametrize("mode", ["replace", "layer"])
def test_audition_plays_what_accept_in_the_chosen_mode_gives(qtbot, heard, mode):
    dock, player = heard
    session = dock.session
    dock.pick("bass")
    dock.target.setCurrentIndex(dock.target.findText("Keys"))
    generate(qtbot, dock, seed=3)
    dock.accept_mode.setCurrentIndex(dock.accept_mode.findData(mode))
    dock.audition_button.setChecked(True)
    assert not dock.silence.isVisibleTo(dock)  # a device: nothing to explain

    def keys_notes(song):
        track = next(t for t in song.tracks if t.name == "Keys")
        return sorted((*n[1:5], n.origin) for n in track.notes.values())

    auditioned = keys_notes(player._song)
    assert dock.accept()
    assert auditioned == keys_notes(session.song)


def test_audition_without_a_device_says_why_it_is_silent_and_still_loads(qtbot, song_project):
    from cowrite.audio.output import NullOutput
    from cowrite.audio.player import Player
    from cowrite.ui.session import Session

    player = Player(NullOutput("no audio playback: no sound card found", threaded=False), threaded=False)
    session = Session(song_project, player)
    session.set_current_track(session.song.find_track("Drums").id)
    dock = AssistantDock(session)
    qtbot.addWidget(dock)
    dock.pick("drums")
    wanted = []
    dock.audition_wanted.connect(wanted.append)
    generate(qtbot, dock)
    dock.audition_button.setChecked(True)
    assert dock.silence.isVisibleTo(dock)
    assert dock.silence.text() == "Audition is silent: no audio playback: no sound card found"
    assert wanted == [True] and player._song.tracks[-1].id.startswith("audition:")  # the transport still runs
    dock.audition_button.setChecked(False)
    assert not dock.silence.isVisibleTo(dock)
    player.close()


def test_audition_without_a_player_says_so(qtbot, dock, session):
    generate(qtbot, dock)
    dock.audition_button.setChecked(True)
    assert dock.silence.isVisibleTo(dock) and "no player" in dock.silence.text()


def test_the_card_names_the_training_data(qtbot, dock):
    card = CardDialog(dock.assistant)
    qtbot.addWidget(card)
    text = card.findChild(type(dock.source_label)).text()
    assert "Cowrite drum pattern corpus" in text and "CC0" in text and "statistical" in text
