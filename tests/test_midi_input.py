"""MIDI input without Qt or devices: the MIDI system chosen, keys parsed, timed by the song heard, made notes.

Timing is driven by scripted streams of (arrival time, message) against a
fake player whose `position_at` works as the real one is specified to: from
the latest output block, interpolated, less the output latency. No test
sleeps; every clock here is moved by hand.
"""

from __future__ import annotations

import sys
import types

import pytest

from cowrite.midi.live import LiveInput, TempoClock
from cowrite.midi.system import (AUTOMATIC, Keyboard, MidiUnavailable, _find_port, api_name, chosen_api, list_inputs,
                                 open_keyboard)
from cowrite.midi.take import Key, Take, parse_key, snap
from cowrite.model import PPQ, TempoChange, TempoMap

SIXTEENTH = PPQ // 4
TEMPO = TempoMap([TempoChange(0, 120.0)])
MS_PER_TICK = 60_000 / (120.0 * PPQ)


def note_on(pitch: int, velocity: int = 100, channel: int = 0) -> list[int]:
    return [0x90 | channel, pitch, velocity]


def note_off(pitch: int, channel: int = 0) -> list[int]:
    return [0x80 | channel, pitch, 64]


# -- keys and takes -----------------------------------------------------------------------------------

def test_note_messages_become_keys_on_any_channel_and_velocity_zero_is_a_release():
    assert parse_key(note_on(60, 90)) == Key(60, 90)
    assert parse_key(note_on(61, 90, channel=9)) == Key(61, 90)
    assert parse_key(note_on(60, 0)) == Key(60, 0) and not Key(60, 0).down
    assert parse_key(note_off(60)) == Key(60, 0)
    assert parse_key([0xB0, 64, 127]) is None  # the sustain pedal is not a key
    assert parse_key([0xF8]) is None  # MIDI clock


def test_a_take_pairs_presses_and_releases_into_notes():
    take = Take()
    take.play(Key(60, 90), 0)
    take.play(Key(64, 80), 480)
    take.play(Key(60, 0), 960)
    take.play(Key(64, 0), 1440)
    assert take.finish(2000) == [(60, 0, 960, 90), (64, 480, 960, 80)]


def test_no_stuck_notes_a_key_held_at_stop_ends_at_the_stop_position():
    take = Take()
    take.play(Key(60, 90), 100)  # its note-off was lost
    assert take.held == {60}
    assert take.finish(3000) == [(60, 100, 2900, 90)]


def test_a_key_struck_again_while_held_ends_the_first_note_there():
    take = Take()
    take.play(Key(60, 90), 0)
    take.play(Key(60, 70), 480)  # no note-off in between
    take.play(Key(60, 0), 960)
    assert take.finish(2000) == [(60, 0, 480, 90), (60, 480, 480, 70)]


def test_a_release_without_a_press_adds_nothing():
    take = Take()
    take.play(Key(60, 0), 100)
    assert take.finish(2000) == []


def test_pulling_to_the_grid_takes_the_nearest_line_never_the_next():
    assert snap((60, 960 + 100, 200, 90), SIXTEENTH) == (60, 960, 240, 90)  # 52 ms late: back onto the beat
    assert snap((60, 960 - 100, 200, 90), SIXTEENTH) == (60, 960, 240, 90)  # early: forward onto the beat
    assert snap((60, 960 + 140, 30, 90), SIXTEENTH) == (60, 1200, 240, 90)  # past half a step: the next line
    assert snap((60, 3, 30, 90), SIXTEENTH) == (60, 0, 240, 90)  # a grace note keeps one step


# -- timing: the song position heard when a key arrived ------------------------------------------------

class FakePlayer:
    """The player as MIDI input uses it: `position_at` and monitor voices that remember what they were asked.

    A test tells it when each output block went to the device (`block_out`);
    `position_at(t)` is what the real player specifies: the latest block's
    song frame, moved on by the time since, less the output latency.
    """

    def __init__(self, block: int, rate: int = 48000, latency_blocks: int = 2):
        self.block, self.rate, self.latency = block, rate, latency_blocks * block
        self._latest: tuple[float, int] | None = None
        self.voices: list[tuple] = []

    def block_out(self, when: float, frame: int) -> None:
        self._latest = (when, frame)

    def position_at(self, when: float) -> int:
        if self._latest is None:
            return 0
        at, frame = self._latest
        return TEMPO.tick_at(max(0.0, (frame + (when - at) * self.rate - self.latency) / self.rate))

    def heard_at(self, tick: int, first_block_at: float) -> float:
        """The monotonic time `tick` is heard when the first block went out at `first_block_at`."""
        return first_block_at + TEMPO.seconds_at(tick) + self.latency / self.rate

    def monitor_on(self, pitch: int, velocity: int, track=None) -> None:
        self.voices.append(("on", pitch, velocity, track))

    def monitor_off(self, pitch: int) -> None:
        self.voices.append(("off", pitch))


def play_on_the_beats(block: int, beats: int = 16, ring_blocks: int = 32) -> tuple[LiveInput, FakePlayer, float]:
    """Play `beats` quarter notes on the beats as heard into a take; the live input, the player, the stop time.

    The take starts before play does; the ring fills (`ring_blocks`) before
    the first block goes out, as the real player's does. Each key arrives 0 to
    1.5 ms after its beat is heard (the keyboard and MIDI transport), and is
    released after 100 ms. Blocks and messages are handed over in time order,
    as the device and the MIDI thread would.
    """
    player = FakePlayer(block)
    live = LiveInput(player, player)
    live.start_take()
    first_block_at = 100.0 + 0.030 + ring_blocks * block / player.rate  # play pressed 30 ms after record
    events = []
    for b in range(beats):
        heard = player.heard_at(b * PPQ, first_block_at) + (b % 4) * 0.0005
        events += [(heard, "key", note_on(60 + b % 12)), (heard + 0.100, "key", note_off(60 + b % 12))]
    period = block / player.rate
    events += [(first_block_at + i * period, "block", i * block) for i in range(int(beats * 0.5 / period) + 8)]
    for when, kind, what in sorted(events, key=lambda e: (e[0], e[1] == "key")):
        player.block_out(when, what) if kind == "block" else live.on_message(what, when)
    end = player.heard_at(beats * PPQ, first_block_at)
    return live, player, end


@pytest.mark.parametrize("block", [256, 1024])
def test_on_beat_notes_are_stored_within_5_ms_of_their_beats(block):
    live, _, end = play_on_the_beats(block)
    notes = live.stop_take(end)
    assert len(notes) == 16
    errors = [(start - b * PPQ) * MS_PER_TICK for b, (_, start, _, _) in enumerate(notes)]
    assert all(abs(e) <= 5 for e in errors), errors


@pytest.mark.parametrize("block", [256, 1024])
def test_pulled_to_sixteenths_on_beat_notes_stay_on_their_beats(block):
    live, _, end = play_on_the_beats(block)
    notes = live.stop_take(end, grid=SIXTEENTH)
    assert [start for _, start, _, _ in notes] == [b * PPQ for b in range(16)]
    assert {duration for _, _, duration, _ in notes} == {SIXTEENTH}  # 100 ms: a sixteenth at 120 bpm


def test_a_key_is_timed_when_it_arrived_not_when_it_is_handled():
    """The keyboard stamps the time first thing in rtmidi's callback, on the MIDI thread."""
    now = [10.0]
    received = []
    port = FakeMidiIn(["keys"])
    Keyboard(port, 0, "keys", lambda message, when: received.append((message, when)), lambda: now[0])
    port.deliver(note_on(60), delta=0.0)
    now[0] += 0.050
    assert received == [(note_on(60), 10.0)]
    assert port.ignoring == {"sysex": True, "timing": True, "active_sense": True} and port.opened == 0


def test_without_a_player_the_take_moves_at_the_songs_tempo_from_its_start():
    live = LiveInput(TempoClock(TEMPO, 1920, started_at=50.0))
    live.start_take()
    live.on_message(note_on(60), 50.5)  # half a second: one beat at 120 bpm
    live.on_message(note_off(60), 50.75)
    assert live.stop_take(51.0) == [(60, 1920 + PPQ, PPQ // 2, 100)]


def test_a_key_still_held_when_recording_stops_ends_at_the_stop_position():
    player = FakePlayer(256, latency_blocks=0)
    player.block_out(0.0, 0)
    live = LiveInput(player, player)
    live.start_take()
    live.on_message(note_on(60), 0.5)
    live.on_message(note_on(62, 0), 0.6)  # a release nothing pressed
    assert live.stop_take(1.5) == [(60, PPQ, 2 * PPQ, 100)]
    assert not live.recording


def test_keys_outside_a_take_are_not_kept():
    player = FakePlayer(256)
    live = LiveInput(player, player)
    live.on_message(note_on(60), 0.5)
    live.start_take()
    assert live.stop_take(1.0) == []


class OnsetEar:
    """Listens to the blocks a device plays and says when each note starts being heard (after 50 ms of quiet)."""

    def __init__(self, rate: int, latency_frames: int):
        self.rate, self.latency, self._quiet = rate, latency_frames, rate

    def onsets(self, audio, pulled_at: float) -> list[float]:
        """The monotonic moments the notes starting in `audio` (pulled at `pulled_at`) reach the ear."""
        heard = []
        for frame, loud in enumerate(abs(audio[:, 0]) > 1e-3):
            if loud and self._quiet >= self.rate // 20:
                heard.append(pulled_at + (frame + self.latency) / self.rate)
            self._quiet = 0 if loud else self._quiet + 1
        return heard


@pytest.mark.parametrize("block", [256, 1024])
def test_with_the_real_player_keys_played_as_each_beat_is_heard_are_stored_on_it(block):
    """The real player on a device pulled on time (the manual output): the ear, not a formula, says when beats sound.

    Each beat of the song has a click; a key arrives the moment its click
    reaches the ear (between blocks, after two blocks of output latency and
    the player's own), the way a musician plays along. The take starts before
    play, while the ring is still filling.
    """
    from cowrite.audio.output import ManualOutput
    from cowrite.audio.player import Player
    from cowrite.model import Note, Origin, Song, Track

    rate, now = 48000, [100.0]
    output = ManualOutput(clock=lambda: now[0], latency_frames=2 * block)
    player = Player(output, block=block, sample_rate=rate, threaded=False)
    clicks = Track("clicks", "Clicks")
    clicks.notes = {b + 1: Note(b + 1, 84, b * PPQ, PPQ // 8, 127, Origin("test")) for b in range(16)}
    player.load(Song(tempo=TEMPO, length_bars=6, tracks=[clicks]))
    live, ear, keys = LiveInput(player, player), OnsetEar(rate, output.latency_frames), []
    live.start_take()
    player.play()
    while now[0] < 100.0 + 10:
        for when in ear.onsets(output.pull(block), now[0]):
            keys += [(when, note_on(60)), (when + 0.1, note_off(60))]
        player.fill()
        due, keys = [k for k in keys if k[0] < now[0] + block / rate], [k for k in keys if k[0] >= now[0] + block / rate]
        for when, message in sorted(due):
            live.on_message(message, when)
        now[0] += block / rate
    notes = live.stop_take(now[0])
    assert [snap(note, SIXTEENTH)[1] for note in notes] == [b * PPQ for b in range(16)]
    errors = [(start - b * PPQ) * MS_PER_TICK for b, (_, start, _, _) in enumerate(notes)]
    assert all(abs(e) <= 5 for e in errors), errors


# -- monitoring -----------------------------------------------------------------------------------------

def test_monitoring_is_polyphonic_releases_on_note_off_and_needs_no_take():
    player = FakePlayer(256)
    piano = object()
    live = LiveInput(player, player, instrument=lambda: piano)
    for pitch in (60, 64, 67):
        live.on_message(note_on(pitch, 80), 1.0)
    live.on_message(note_off(64), 1.2)
    live.on_message(note_on(60, 0), 1.3)
    assert player.voices == [("on", 60, 80, piano), ("on", 64, 80, piano), ("on", 67, 80, piano),
                             ("off", 64), ("off", 60)]
    live.silence()  # the keyboard closes with 67 still held
    assert player.voices[-1] == ("off", 67)


def test_monitoring_off_sounds_nothing_but_still_records():
    player = FakePlayer(256, latency_blocks=0)
    player.block_out(0.0, 0)
    live = LiveInput(player, player)
    live.monitor = False
    live.start_take()
    live.on_message(note_on(60), 0.5)
    assert player.voices == [] and live.stop_take(1.0) == [(60, PPQ, PPQ, 100)]


def test_the_heard_callback_gets_every_key_with_its_tick():
    player = FakePlayer(256, latency_blocks=0)
    player.block_out(0.0, 0)
    heard = []
    LiveInput(player, player, heard=lambda key, tick: heard.append((key, tick))).on_message(note_on(60), 0.5)
    assert heard == [(Key(60, 100), PPQ)]


# -- the MIDI system ------------------------------------------------------------------------------------

@pytest.mark.parametrize("environ, api, source", [
    ({}, "alsa", "preference"),
    ({"COWRITE_MIDI_API": "jack"}, "jack", "COWRITE_MIDI_API"),
    ({"COWRITE_MIDI_API": "JACK", "MIDO_BACKEND": "mido.backends.rtmidi/LINUX_ALSA"}, "jack", "COWRITE_MIDI_API"),
    ({"MIDO_BACKEND": "mido.backends.rtmidi/UNIX_JACK"}, "jack", "MIDO_BACKEND"),
    ({"MIDO_BACKEND": "mido.backends.rtmidi"}, "alsa", "preference"),  # no API named: the preference's
    ({"MIDO_BACKEND": "mido.backends.portmidi"}, "alsa", "preference"),  # not rtmidi: nothing to take from it
])
def test_the_environment_chooses_the_midi_system_over_the_preference(environ, api, source):
    choice = chosen_api("alsa", environ)
    assert (choice.api, choice.source) == (api, source)


def test_a_misspelt_midi_system_is_named_in_one_line():
    with pytest.raises(MidiUnavailable, match=r"^COWRITE_MIDI_API=jakc names no MIDI system \(use one of alsa, jack"):
        chosen_api("", {"COWRITE_MIDI_API": "jakc"})
    assert list_inputs("", {"COWRITE_MIDI_API": "jakc"})[0] == []


def test_midi_system_names_in_every_spelling():
    assert [api_name(t) for t in ("jack", "UNIX_JACK", "LINUX_ALSA", "core", "windows_mm", "", "oss")] == \
        ["jack", "jack", "alsa", "coremidi", "winmm", AUTOMATIC, None]


class FakeMidiIn:
    """An rtmidi.MidiIn stand-in: its ports, the port opened, the callback, and `deliver` to call it."""

    def __init__(self, ports: list[str]):
        self.ports, self.opened, self.callback, self.ignoring, self.deleted = ports, None, None, None, False

    def get_ports(self):
        return list(self.ports)

    def ignore_types(self, **kinds):
        self.ignoring = kinds

    def set_callback(self, callback):
        self.callback = callback

    def open_port(self, index, name):
        self.opened = index

    def deliver(self, message, delta):
        self.callback((message, delta), None)

    def close_port(self):
        self.opened = None

    def delete(self):
        self.deleted = True


def fake_rtmidi(monkeypatch, systems: dict[str, list[str] | str]):
    """Install a fake python-rtmidi whose APIs (name -> its ports, or the error text it fails with) are `systems`."""
    names = list(systems)

    class RtMidiError(Exception):
        pass

    def midi_in(number, client_name):
        ports = systems[names[number]]
        if isinstance(ports, str):
            raise RtMidiError(ports)
        return FakeMidiIn(ports)

    module = types.SimpleNamespace(get_compiled_api=lambda: list(range(len(names))), get_api_name=names.__getitem__,
                                   MidiIn=midi_in, RtMidiError=RtMidiError)
    monkeypatch.setitem(sys.modules, "rtmidi", module)


def test_automatic_takes_the_first_midi_system_that_lists_a_keyboard(monkeypatch):
    fake_rtmidi(monkeypatch, {"alsa": "MidiInAlsa::initialize: error creating ALSA sequencer client object.",
                              "jack": ["keys:out"]})
    assert list_inputs(AUTOMATIC, {}) == (["keys:out"], "")


def test_no_midi_system_reached_is_one_line_naming_each(monkeypatch):
    fake_rtmidi(monkeypatch, {"alsa": "MidiInAlsa::initialize: error creating ALSA sequencer client object.",
                              "jack": "MidiInJack::initialize: JACK server not running?"})
    assert list_inputs(AUTOMATIC, {}) == ([], "ALSA MIDI cannot be reached: error creating ALSA sequencer client "
                                              "object.; JACK MIDI cannot be reached: JACK server not running?")
    assert list_inputs("jack", {}) == ([], "JACK MIDI cannot be reached: JACK server not running?")


def test_a_system_this_rtmidi_was_built_without_is_named(monkeypatch):
    fake_rtmidi(monkeypatch, {"alsa": []})
    assert list_inputs("jack", {}) == ([], "JACK MIDI is not available: this python-rtmidi was built without it")


def test_without_python_rtmidi_the_reason_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rtmidi", None)  # import rtmidi raises ImportError
    assert list_inputs(AUTOMATIC, {}) == ([], "no MIDI system: python-rtmidi is not installed "
                                              "(pip install python-rtmidi)")


def test_a_keyboard_not_connected_is_named_with_those_that_are(monkeypatch):
    fake_rtmidi(monkeypatch, {"jack": ["piano:out", "pads:out"]})
    with pytest.raises(MidiUnavailable, match=r"^the MIDI keyboard 'keys:out' is not connected "
                                              r"\(connected: piano:out, pads:out\)$"):
        open_keyboard("keys:out", lambda message, when: None, "jack", {})


def test_an_open_keyboard_knows_when_it_went_away(monkeypatch):
    fake_rtmidi(monkeypatch, {"jack": ["piano:out", "keys:out"]})
    keyboard = open_keyboard("keys:out", lambda message, when: None, "jack", {})
    port = keyboard._midi_in
    assert port.opened == 1 and keyboard.present()
    port.ports.remove("keys:out")
    assert not keyboard.present()
    keyboard.close()
    assert port.opened is None and port.deleted


def test_an_alsa_keyboard_plugged_in_again_under_new_numbers_is_the_same():
    ports = ["Midi Through:Midi Through Port-0 14:0", "nanoKEY2:nanoKEY2 MIDI 1 24:0"]
    assert _find_port("nanoKEY2:nanoKEY2 MIDI 1 20:0", ports) == 1
    assert _find_port("sender:keys", ports) is None
