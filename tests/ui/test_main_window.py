"""The studio window: every panel changes the song through the door, and files round-trip."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from cowrite.attribution.credits import credits_text
from cowrite.attribution.ledger import ledger_path, read_events
from cowrite.attribution.provenance import manifest_path
from cowrite.edit import SetTempo
from cowrite.io.project import Project, read_song
from cowrite.model import TrackKind
from cowrite.ui import recovery
from cowrite.ui.credits_dialog import CreditsDialog
from cowrite.ui.drum_view import DrumView
from cowrite.ui.midi_input import Recorder
from cowrite.ui.roll_view import RollView
from cowrite.ui.samples_dock import SamplesDock
from cowrite.ui.session import Session
from cowrite.ui.transport_bar import bar_beat
from tests.ui.conftest import open_window


def events(session) -> list[dict]:
    return read_events(session.project.ledger.path)


def test_the_window_opens_on_the_song_with_the_editor_for_the_track(window, session):
    assert "song.cowrite" in window.windowTitle()
    assert [r.name.text() for r in window.tracks.rows] == ["Keys", "Bass", "Drums"]
    assert isinstance(window.editors.currentWidget(), RollView)
    session.set_current_track(session.song.find_track("Drums").id)
    assert isinstance(window.editors.currentWidget(), DrumView)
    assert window.saved_label.text() == "Saved"
    assert window.audio_label.text() == "No audio"  # no player in tests: said, not hidden


def test_add_rename_and_mute_a_track_from_the_track_list(qtbot, window, session):
    qtbot.mouseClick(window.tracks.add_drums, Qt.MouseButton.LeftButton)
    added = session.song.tracks[-1]
    assert added.kind is TrackKind.DRUMS and added.name == "Drums 2"
    assert session.current_track_id == added.id
    row = window.tracks.row(added.id)
    row.name.setText("Percussion")
    row.name.editingFinished.emit()
    assert session.song.tracks[-1].name == "Percussion"
    qtbot.mouseClick(window.tracks.row(added.id).mute, Qt.MouseButton.LeftButton)
    assert session.song.tracks[-1].mute is True
    last = events(session)[-3:]
    assert [e["op"] for e in last] == ["add_track", "set_track", "set_track"]
    assert [e["subject"].get("property") for e in last[1:]] == ["name", "mute"]
    assert all(e["actor"]["id"] == "person:Ana" for e in last)
    assert window.saved_label.text() == "● Unsaved changes" and window.isWindowModified()
    assert window.act.undo.text() == "&Undo" and window.act.undo.toolTip() == "Undo Set track"  # fixed width
    assert window.act.undo.isEnabled()


def test_remove_and_reorder_tracks(qtbot, window, session):
    bass = session.song.find_track("Bass")
    session.set_current_track(bass.id)
    window.tracks.move_current(-1)
    assert [t.name for t in session.song.tracks] == ["Bass", "Keys", "Drums"]
    window.tracks.remove_current()
    assert [t.name for t in session.song.tracks] == ["Keys", "Drums"]
    assert [e["op"] for e in events(session)[-2:]] == ["move_track", "remove_track"]
    assert isinstance(window.editors.currentWidget(), RollView)  # the first track, Keys, is current now


def test_tempo_and_meter_change_through_the_door(window, session):
    window.transport.tempo.setValue(100.0)
    window.transport.numerator.setValue(3)
    assert session.song.tempo.changes[0].bpm == 100.0
    assert (session.song.meter.changes[0].numerator, session.song.meter.changes[0].denominator) == (3, 4)
    assert [e["op"] for e in events(session)[-2:]] == ["set_tempo", "set_meter"]
    assert bar_beat(session.song, 3 * 960 + 240) == "  2.1.2"


def test_loop_range_is_the_selected_bars_or_the_first_four(window, session):
    keys = session.song.find_track("Keys")
    assert window.transport.loop_range() == (0, 4 * 3840)
    session.select({n.id for n in keys.notes.values() if n.start >= 1920})
    assert window.transport.loop_range() == (0, 3840)


def test_enter_on_the_editor_accepts_and_esc_rejects(qtbot, window, session):
    session.set_current_track(session.song.find_track("Drums").id)
    dock = window.assistant
    dock.pick("drums")
    for key, status in ((Qt.Key.Key_Return, "accepted"), (Qt.Key.Key_Escape, "rejected")):
        assert dock.generate(seed=3)
        qtbot.waitUntil(lambda: session.suggestion is not None, timeout=10000)
        suggestion = session.suggestion
        window.drums.setFocus()
        qtbot.keyClick(window.drums, key)
        assert session.song.suggestions[suggestion.id].status == status


def test_esc_rejects_on_the_piano_roll_although_the_roll_claims_esc(qtbot, window, session):
    dock = window.assistant
    dock.pick("bass")
    assert dock.target.currentText() == "Bass"  # the track named for what the assistant writes
    assert dock.generate(seed=3)
    qtbot.waitUntil(lambda: session.suggestion is not None, timeout=10000)
    suggestion = session.suggestion
    window.piano.setFocus()
    qtbot.keyClick(window.piano, Qt.Key.Key_Escape)
    assert session.song.suggestions[suggestion.id].status == "rejected"


def test_the_colour_toggle_and_the_view_menu_agree(window, session):
    window.attribution.colour_toggle.setChecked(True)
    assert session.colour_by_origin and window.act.colour.isChecked()
    window.act.colour.setChecked(False)
    assert not session.colour_by_origin and not window.attribution.colour_toggle.isChecked()


def test_the_history_lists_the_ledger_newest_first_and_selects_notes(qtbot, window, session):
    history = window.attribution.history
    qtbot.waitUntil(lambda: history.topLevelItemCount() == len(events(session)))
    assert history.topLevelItem(0).text(0) == str(events(session)[-1]["seq"])
    keys = session.song.find_track("Keys")
    session.set_current_track(session.song.find_track("Bass").id)
    add_keys = next(i for i in range(history.topLevelItemCount())
                    if "3 notes to Keys" in history.topLevelItem(i).text(3))
    window.attribution._on_clicked(history.topLevelItem(add_keys))
    assert session.current_track_id == keys.id and session.selection == set(keys.notes)
    window.transport.tempo.setValue(90.0)
    assert history.topLevelItemCount() == len(events(session))
    assert "90 BPM" in history.topLevelItem(0).text(3)


def test_credits_dialog_shows_the_label_and_copies_the_credits(qtbot, session):
    dialog = CreditsDialog(session)
    qtbot.addWidget(dialog)
    assert "digitalCreation" in dialog.label.text() and "Made by people" in dialog.label.text()
    assert dialog.sentence.text() == "Written by Ana; no AI generated any of its notes."
    assert dialog.people.item(0, 0).text() == "Ana"
    assert [dialog.tracks.item(r, 0).text() for r in range(dialog.tracks.rowCount())] == ["Keys", "Bass", "Drums"]
    dialog.copy()
    assert QGuiApplication.clipboard().text() == credits_text(dialog.report)


def test_save_then_open_round_trip(qtbot, tmp_path, window, session, ana):
    path = session.project.path
    window.transport.tempo.setValue(101.0)
    assert window.files.save() and not session.document.dirty
    song, _ = read_song(path)
    assert song.tempo.changes[0].bpm == 101.0
    other = Project.create(tmp_path / "other.cowrite", song.__class__(title="Other"), ana)
    other.close()
    assert window.files.open_song(tmp_path / "other.cowrite")
    assert window.session.song.title == "Other" and window.tracks.rows == []
    assert window.files.open_song(path)
    assert window.session.song.tempo.changes[0].bpm == 101.0
    assert [t.name for t in window.session.song.tracks] == ["Keys", "Bass", "Drums"]


def test_save_as_takes_the_ledger_along(tmp_path, window, session):
    new = tmp_path / "copy" / "renamed.cowrite"
    new.parent.mkdir()
    assert window.files.save_to(new)
    assert session.project.path == new and ledger_path(new).exists()
    window.transport.tempo.setValue(88.0)
    assert window.files.save()
    reopened = Project.open(new, session.document.author, read_only=True)  # the window holds the new name's lock
    assert reopened.song.tempo.changes[0].bpm == 88.0
    reopened.close()


def test_autosave_writes_a_recovery_copy_offered_back_after_a_crash(qtbot, tmp_path, window, session):
    path = session.project.path
    song_bytes, ledger_size = path.read_bytes(), ledger_path(path).stat().st_size
    assert window.autosaver.autosave() is None  # nothing unsaved: nothing written
    window.tracks.row(session.song.find_track("Keys").id).name.setText("Piano")
    window.tracks.row(session.song.find_track("Keys").id).name.editingFinished.emit()
    copy = window.autosaver.autosave()
    assert copy == recovery.recovery_path(path) and copy.exists()
    assert path.read_bytes() == song_bytes  # the song file is the person's to save
    assert ledger_path(path).stat().st_size > ledger_size  # (the rename's event, not the autosave's)
    events_before = len(events(session))
    assert len(read_events(ledger_path(path))) == events_before  # the autosave wrote no event

    crashed = tmp_path / "crashed"  # the disk as a crash leaves it: song, ledger and copy
    crashed.mkdir()
    for file in (path, ledger_path(path), copy):
        shutil.copy2(file, crashed / file.name)
    offered = []
    window.files.offer_recovery = lambda song, found: offered.append(found) or True
    assert window.files.open_song(crashed / path.name)
    assert offered and offered[0].unsaved == 1
    restored = window.session
    assert [t.name for t in restored.song.tracks] == ["Piano", "Bass", "Drums"]
    assert read_events(ledger_path(crashed / path.name))[-1]["op"] == "recover"
    assert not recovery.recovery_path(crashed / path.name).exists()


def test_a_declined_recovery_opens_the_saved_song_and_deletes_the_copy(qtbot, tmp_path, window, session):
    path = session.project.path
    session.apply(SetTempo(77.0))
    window.autosaver.autosave()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for file in (path, ledger_path(path), recovery.recovery_path(path)):
        shutil.copy2(file, crashed / file.name)
    window.files.offer_recovery = lambda song, found: False
    assert window.files.open_song(crashed / path.name)
    assert window.session.song.tempo.changes[0].bpm == 120.0
    assert not recovery.recovery_path(crashed / path.name).exists()
    assert read_events(ledger_path(crashed / path.name))[-1]["op"] == "discard"  # the unsaved edit, declared void


def test_samples_dock_finds_the_built_in_kick_and_drags_it_as_a_file(qtbot, session):
    dock = SamplesDock(session)
    qtbot.addWidget(dock)
    qtbot.waitUntil(lambda: dock.db is not None and not dock.indexing, timeout=30000)
    dock.query.setText("kick")
    dock.search()
    assert dock.rows and all("kick" in r.name for r in dock.rows)
    item = dock.results.topLevelItem(0)
    urls = dock.results.mimeData([item]).urls()
    assert urls[0].isLocalFile() and urls[0].toLocalFile() == dock.rows[0].path
    dock.results.setCurrentItem(item)
    dock.toggle_favourite()
    assert dock.current().favourite and dock.favourite_button.text() == "★"
    dock.shutdown()


def test_export_wav_writes_the_file_its_manifest_and_an_event(qtbot, tmp_path, window, session):
    out = tmp_path / "mix.wav"
    window.exporter.export("wav", out)
    qtbot.waitUntil(lambda: window.exporter.running is None, timeout=60000)
    assert out.stat().st_size > 1000
    assert manifest_path(out).exists()
    last = events(session)[-1]
    assert last["op"] == "export" and last["actor"]["id"] == "person:Ana" and last["subject"]["file"] == "mix.wav"
    assert not session.document.dirty  # saved, so the export event is not declared void on the next open
    _, record = read_song(session.project.path)
    assert record.events == last["seq"]


def test_the_help_lists_the_window_and_the_piano_roll_shortcuts(window):
    sections = dict(window.shortcut_sections())
    assert ("Space", "Play / Stop") in sections["Window"]
    assert any("Quantize the selection" in what for _, what in sections["Piano roll"])


class FakeKeyboard:
    """What `open_keyboard` gives the recorder: the port's name, whether it is still there, and a way to play it."""

    def __init__(self, name: str, on_message):
        self.name, self.play, self.there, self.closed = name, on_message, True, False

    def present(self) -> bool:
        return self.there

    def close(self) -> None:
        self.closed = True


class MonitoringPlayer:
    """A player with the clock and monitor voices MIDI input uses: the tick heard is one beat a half second."""

    preview_track = None

    def __init__(self):
        self.voices: list[tuple] = []

    def load(self, song) -> None:
        pass

    def position_at(self, when: float) -> int:
        return round(when * 2 * 960)

    def monitor_on(self, pitch: int, velocity: int, track=None) -> None:
        self.voices.append(("on", pitch, track.name if track else None))

    def monitor_off(self, pitch: int) -> None:
        self.voices.append(("off", pitch))


@pytest.fixture
def keyboards(monkeypatch) -> list[FakeKeyboard]:
    """Keyboards the recorder opens ("keys" is connected, nothing else), newest last."""
    from cowrite.midi.system import MidiUnavailable

    opened = []

    def open_keyboard(port, on_message, api, clock):
        if port != "keys":
            raise MidiUnavailable(f"the MIDI keyboard {port!r} is not connected (connected: keys)")
        opened.append(FakeKeyboard(port, on_message))
        return opened[-1]

    monkeypatch.setattr("cowrite.ui.midi_input.open_keyboard", open_keyboard)
    monkeypatch.setattr("cowrite.ui.midi_input.list_inputs", lambda api: (["keys"], ""))
    return opened


def new_notes(track, before) -> list[tuple]:
    return sorted((n.pitch, n.start, n.duration, n.velocity) for i, n in track.notes.items() if i not in before)


def test_recording_adds_the_played_notes_as_the_persons_in_one_undo_step(qtbot, session, clock):
    from cowrite.ui.preferences import StudioPrefs

    recorder = Recorder(session, StudioPrefs(), clock=clock)  # no player: the song's tempo from the start
    recorder.start(0, grid=240)
    t0, beat = clock.now, 0.5  # seconds a beat at the test song's 120 bpm
    recorder.live.on_message([0x90, 60, 90], t0 + 0.02)
    recorder.live.on_message([0x80, 60, 0], t0 + 0.02 + beat)
    recorder.live.on_message([0x90, 64, 80], t0 + beat)
    recorder.live.on_message([0x90, 64, 0], t0 + 1.5 * beat)  # velocity 0: a note-off
    recorder.live.on_message([0x90, 67, 70], t0 + 2 * beat)  # its note-off never comes
    keys = session.current_track
    before = set(keys.notes)
    clock.now = t0 + 4 * beat
    assert recorder.stop() == 3
    assert new_notes(keys, before) == [(60, 0, 960, 90), (64, 960, 480, 80), (67, 1920, 1920, 70)]
    assert events(session)[-1]["actor"]["id"] == "person:Ana"
    session.undo()
    assert set(keys.notes) == before


def test_a_take_through_a_keyboard_that_goes_away_keeps_its_notes(qtbot, session, clock, keyboards):
    from cowrite.ui.preferences import StudioPrefs

    problems = []
    session.failed.connect(problems.append)
    recorder = Recorder(session, StudioPrefs(), clock=clock)
    assert recorder.start(0, port_name="keys")
    keyboard = keyboards[-1]
    keyboard.play([0x90, 60, 90], clock.now + 0.5)
    keyboard.there = False
    recorder.check_keyboard()
    assert problems == ["the MIDI keyboard 'keys' went away; the notes played so far are kept: "
                        "stop recording to add them"]
    assert keyboard.closed and recorder.keyboard is None and recorder.recording
    clock.now += 1.0
    before = set(session.current_track.notes)
    assert recorder.stop() == 1
    assert new_notes(session.current_track, before) == [(60, 960, 960, 90)]


def test_recording_from_a_keyboard_that_is_not_there_says_so_and_records_nothing(qtbot, session, keyboards):
    from cowrite.ui.preferences import StudioPrefs

    problems = []
    session.failed.connect(problems.append)
    recorder = Recorder(session, StudioPrefs())
    assert not recorder.start(0, port_name="piano")
    assert problems == ["the MIDI keyboard 'piano' is not connected (connected: keys)"]
    assert not recorder.recording and recorder.stop() == 0


def test_a_keyboard_listened_to_is_monitored_on_the_current_track_without_recording(qtbot, song_project, keyboards):
    from cowrite.ui.preferences import StudioPrefs

    player = MonitoringPlayer()
    session = Session(song_project, player)
    recorder = Recorder(session, StudioPrefs(midi_port="keys"))
    assert recorder.listen() == ""
    keyboard = keyboards[-1]
    for pitch in (60, 64, 67):  # a chord: three voices
        keyboard.play([0x90, pitch, 90], 1.0)
    keyboard.play([0x80, 64, 0], 1.5)
    session.set_current_track(session.song.find_track("Bass").id)
    keyboard.play([0x90, 40, 90], 2.0)
    assert player.voices == [("on", 60, "Keys"), ("on", 64, "Keys"), ("on", 67, "Keys"), ("off", 64),
                             ("on", 40, "Bass")]
    recorder.use(StudioPrefs(midi_port="keys", monitor_keyboard=False))  # monitoring off: held keys released
    assert sorted(player.voices[5:]) == [("off", 40), ("off", 60), ("off", 67)]
    keyboard.play([0x90, 62, 90], 2.5)
    assert len(player.voices) == 8
    recorder.start(0, port_name="keys")
    recorder.stop()
    assert recorder.keyboard is keyboard and not keyboard.closed  # listened to: open after the take


def test_played_keys_reach_the_ui_thread_with_their_ticks(qtbot, song_project, keyboards):
    import threading

    from PySide6.QtCore import QThread

    from cowrite.ui.preferences import StudioPrefs

    session = Session(song_project, MonitoringPlayer())
    recorder = Recorder(session, StudioPrefs(midi_port="keys"))
    recorder.listen()
    on_ui_thread = []
    recorder.played.connect(lambda *key: on_ui_thread.append((key, QThread.currentThread() is recorder.thread())))
    midi_thread = threading.Thread(target=keyboards[-1].play, args=([0x90, 60, 90], 0.5))
    with qtbot.waitSignal(recorder.played, timeout=2000):
        midi_thread.start()
        midi_thread.join()
    assert on_ui_thread == [((60, 90, 960), True)]


def test_a_session_without_notes_still_opens(qtbot, tmp_path, ana):
    from cowrite.model import Song

    project = Project.create(tmp_path / "empty.cowrite", Song(title="Empty"), ana)
    window = open_window(qtbot, Session(project))
    assert window.tracks.rows == [] and isinstance(window.editors.currentWidget(), RollView)


@pytest.fixture
def played(qtbot, session):
    """The window with a player whose sound card the test drives (ManualOutput): nothing is heard."""
    from cowrite.audio.output import open_output
    from cowrite.audio.player import Player

    player = Player(open_output("manual"), threaded=False)
    session.player = player
    session.project.save()
    window = open_window(qtbot, session)
    yield window, player
    player.close()


def test_the_playhead_follows_what_is_heard(played):
    window, player = played
    assert window.audio_label.text().startswith("Audio: manual")
    window.transport.play()
    for _ in range(40):  # about 0.2 s of music, pulled as the sound card would
        player.fill()
        player.output.pull(player.block)
    window.transport.follow()
    assert window.piano.playhead_tick > 0
    assert window.transport.position.text().strip() == bar_beat(window.session.song, window.piano.playhead_tick).strip()
    window.transport.stop()
    assert not player.playing
    window.transport.stop()  # stopped already: back to the start
    assert window.piano.playhead_tick == 0


def test_audition_plays_the_suggestion_and_stops_with_the_transport(qtbot, played):
    window, player = played
    session, dock = window.session, window.assistant
    session.set_current_track(session.song.find_track("Drums").id)
    dock.pick("drums")
    dock.generate(seed=5)
    qtbot.waitUntil(lambda: session.suggestion is not None, timeout=10000)
    dock.audition_button.setChecked(True)
    assert player.playing and any(t.id.startswith("audition:") for t in player._song.tracks)
    dock.audition_button.setChecked(False)
    assert not player.playing and player._song is session.song


def test_preferences_are_stored_and_the_author_follows(qtbot, window, session):
    from cowrite.settings import load_settings
    from cowrite.ui.preferences import PreferencesDialog, load_prefs

    dialog = PreferencesDialog(window.settings, window.prefs)
    qtbot.addWidget(dialog)
    dialog.author.setText("Ben")
    dialog.theme.setCurrentText("light")
    dialog.buffer.setCurrentIndex(dialog.buffer.findData(512))
    dialog.accept()
    assert load_settings().author == "Ben" and load_settings().theme == "light"
    assert load_prefs().buffer_size == 512
    window.apply_preferences(dialog.settings, dialog.prefs)
    session.apply(SetTempo(99.0))
    assert events(session)[-1]["actor"]["id"] == "person:Ben"
    assert window.piano.colours.name == "light"


@pytest.fixture
def midi_systems(monkeypatch) -> dict[str, list[str]]:
    """What each MIDI system lists (a test plugs keyboards in by changing it), ALSA and JACK built in."""
    monkeypatch.delenv("COWRITE_MIDI_API", raising=False)
    monkeypatch.delenv("MIDO_BACKEND", raising=False)
    systems = {"": ["piano"], "alsa": ["piano"], "jack": []}
    monkeypatch.setattr("cowrite.ui.preferences.compiled_apis", lambda: ["alsa", "jack"])
    monkeypatch.setattr("cowrite.ui.preferences.list_inputs",
                        lambda api: (systems[api], "" if systems[api] else "no keyboard on JACK"))
    return systems


def test_preferences_choose_the_midi_system_and_rescan_keyboards_when_the_list_opens(qtbot, window, midi_systems):
    from cowrite.ui.preferences import PreferencesDialog, load_prefs

    dialog = PreferencesDialog(window.settings, window.prefs)
    qtbot.addWidget(dialog)
    systems = [dialog.midi_system.itemText(i) for i in range(dialog.midi_system.count())]
    assert systems == ["Automatic", "ALSA", "JACK"] and dialog.midi_system.isEnabled()
    dialog.midi_system.setCurrentIndex(dialog.midi_system.findData("jack"))
    assert dialog.midi.count() == 1 and dialog.midi_problem.text() == "no keyboard on JACK"
    midi_systems["jack"] = ["keys:out"]  # plugged in while the dialog is open
    dialog.midi.showPopup()
    dialog.midi.hidePopup()
    assert dialog.midi.itemText(1) == "keys:out" and dialog.midi_problem.text() == ""
    dialog.midi.setCurrentIndex(1)
    dialog.monitor.setChecked(False)
    dialog.accept()
    prefs = load_prefs()
    assert (prefs.midi_api, prefs.midi_port, prefs.monitor_keyboard) == ("jack", "keys:out", False)


def test_a_chosen_keyboard_not_plugged_in_stays_chosen(qtbot, window, midi_systems):
    from cowrite.ui.preferences import PreferencesDialog, StudioPrefs

    dialog = PreferencesDialog(window.settings, StudioPrefs(midi_api="alsa", midi_port="keys:out"))
    qtbot.addWidget(dialog)
    assert dialog.midi.currentText() == "keys:out (not connected)" and dialog.midi.currentData() == "keys:out"


def test_the_environment_fixes_the_midi_system_in_preferences(qtbot, window, midi_systems, monkeypatch):
    from cowrite.ui.preferences import PreferencesDialog, StudioPrefs, load_prefs

    monkeypatch.setenv("COWRITE_MIDI_API", "jack")
    dialog = PreferencesDialog(window.settings, StudioPrefs(midi_api="alsa"))
    qtbot.addWidget(dialog)
    assert dialog.midi_system.currentText() == "JACK" and not dialog.midi_system.isEnabled()
    assert "COWRITE_MIDI_API" in dialog.midi_system.toolTip()
    dialog.accept()
    assert load_prefs().midi_api == "alsa"  # the person's own choice, for when the environment no longer says


def test_chords_are_detected_typed_and_cleared_from_the_chords_menu(qtbot, window, session):
    from cowrite.ui.chord_entry import ChordEntry

    assert session.song.chords == []
    window.act.detect_chords.trigger()
    detected = session.song.chords
    assert detected and detected[0].start == 0 and events(session)[-1]["op"] == "set_chords"
    window.act.clear_chords.trigger()
    assert session.song.chords == []
    window.act.enter_chord.trigger()  # at the playhead, bar 1 beat 1
    entry = window.piano.findChild(ChordEntry)
    assert entry is not None and entry.isVisible()
    qtbot.keyClicks(entry.edit, "Dm7")
    qtbot.keyClick(entry.edit, Qt.Key.Key_Return)
    assert [(c.symbol, c.start) for c in session.song.chords] == [("Dm7", 0)]


def test_a_click_on_the_overview_picks_the_track_and_shows_its_bar(qtbot, window, session):
    overview, song = window.overview, session.song
    bass = song.find_track("Bass")
    lane = [t.id for t in song.tracks].index(bass.id)
    bar_3 = song.meter.bar_start(2)
    point = QPoint(round(overview.x_of(bar_3 + 480)), overview.lane_top(lane) + overview.lane_height // 2)
    qtbot.mouseClick(overview, Qt.MouseButton.LeftButton, pos=point)
    assert session.current_track_id == bass.id
    assert window.piano.view.scroll_tick == bar_3  # the bar that was clicked starts the roll's view
