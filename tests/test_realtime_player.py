"""The player on a real device's terms: seamless reloads, the device's rate, a blocking writer, live keys, timing.

Outputs are driven by the test (ManualOutput, NullOutput, a fake PortAudio
stream), clocks are numbers the test moves, and the render worker's job is
done by `fill()`: nothing here sleeps.
"""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from cowrite.audio import player as player_module
from cowrite.audio.output import ManualOutput, NullOutput, SoundDeviceOutput
from cowrite.audio.player import KEY_WINDOW, RELEASE_MARGIN, Player
from cowrite.audio.render import render_song
from cowrite.model import PPQ, Note, Origin, Track
from tests.conftest import Clock, new_song
from tests.test_playback import song_with_notes

BLOCK, RATE = 256, 48000


def play_blocks(player: Player, output: ManualOutput, blocks: int, clock: Clock | None = None) -> np.ndarray:
    """Pull `blocks` blocks as a device would, the worker keeping up (and the clock moving a block each)."""
    pulled = []
    for _ in range(blocks):
        player.fill()
        pulled.append(output.pull(BLOCK))
        if clock is not None:
            clock.now += BLOCK / player.sample_rate
    return np.concatenate(pulled)


def started(song, clock: Clock | None = None, **kwargs) -> tuple[Player, ManualOutput]:
    output = ManualOutput(clock or Clock())
    player = Player(output, BLOCK, threaded=False, **kwargs)
    player.load(song)
    player.play()
    return player, output


def longest_zero_run(audio: np.ndarray) -> int:
    silent = np.concatenate([[False], (audio == 0).all(axis=1), [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(silent))
    return int((edges[1::2] - edges[::2]).max(initial=0))


def sustained_song():
    """A chord on a pad held from the first frame to the last bar line: sound all the way, then a 1.2 s release."""
    origin = Origin("person:Ana")
    notes = {i + 1: Note(i + 1, pitch, 0, 12 * PPQ, 70, origin) for i, pitch in enumerate((57, 60, 64))}
    return new_song(length_bars=3, tracks=[Track("t1", "Keys", preset="pad", notes=notes)])


def edited(song):
    """`song` with its top note moved up a tone and a new note added: what an edit mid-play looks like."""
    track = song.tracks[0]
    notes = dict(track.notes)
    notes[3] = notes[3]._replace(pitch=66)
    notes[9] = Note(9, 69, PPQ, 4 * PPQ, 60, Origin("person:Ana"))
    return dataclasses.replace(song, tracks=[dataclasses.replace(track, notes=notes)])


# -- 1. reloads are seamless --------------------------------------------------------------------

def test_reloading_the_same_song_mid_play_changes_no_sample():
    song = song_with_notes()
    plain, plain_out = started(song)
    reloaded, reloaded_out = started(song)
    expected = play_blocks(plain, plain_out, 300)
    heard = [play_blocks(reloaded, reloaded_out, 100)]
    for _ in range(4):  # edits that change nothing, 20 blocks apart
        reloaded.load(song_with_notes())
        heard.append(play_blocks(reloaded, reloaded_out, 50))
    assert np.array_equal(np.concatenate(heard), expected)
    assert np.abs(expected).max() > 0.05


def test_an_edit_mid_play_leaves_no_gap_no_click_and_then_plays_the_new_song():
    song, new = sustained_song(), edited(sustained_song())
    player, output = started(song)
    before = play_blocks(player, output, 150)
    player.load(new)
    player.fill()  # the worker builds the new song; it takes over where the ring ends
    took_over = player._renderer.position
    after = play_blocks(player, output, 300)
    heard = np.concatenate([before, after])
    assert longest_zero_run(heard[player._renderer.latency + 1000:]) <= 2
    jumps = np.abs(np.diff(heard, axis=0)).max()
    own = max(np.abs(np.diff(render_song(s, RATE).audio, axis=0)).max() for s in (song, new))
    assert jumps <= 1.05 * own  # no step larger than the music's own
    offline = render_song(new, RATE).audio
    latency = player._renderer.latency
    start = took_over + latency  # the output frame where the new song plays alone: `took_over` of the song
    np.testing.assert_allclose(heard[start:len(heard)], offline[took_over:len(heard) - latency], atol=1e-5)
    assert player.underruns == 0


def test_a_reload_is_built_by_the_worker_not_the_caller(monkeypatch):
    builders = []
    real = player_module.BlockRenderer

    def recording(*args):
        builders.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(player_module, "BlockRenderer", recording)
    player = Player(ManualOutput(), BLOCK)  # threaded: its own worker
    try:
        player.load(song_with_notes())
        assert player.wait_until_loaded(timeout=30)
        player.set_metronome(True)  # a metronome toggle takes the same path
        assert player.wait_until_loaded(timeout=30)
        assert builders == ["audio render-ahead"] * 2
    finally:
        player.close()


def test_a_metronome_toggle_mid_play_leaves_no_gap():
    player, output = started(sustained_song())
    play_blocks(player, output, 100)
    player.set_metronome(True)
    heard = play_blocks(player, output, 200)
    assert longest_zero_run(heard) <= 2 and player.underruns == 0


def test_a_loop_going_round_keeps_the_limiter_and_leaves_no_gap():
    player, output = started(sustained_song())
    player.set_loop(0, PPQ)  # the held chord sounds at both ends of the loop
    heard = play_blocks(player, output, 300)
    assert longest_zero_run(heard[BLOCK:]) <= 2


# -- 2. the device's own rate, and a device that will not start ---------------------------------

class Rated(ManualOutput):
    def __init__(self, rate: int):
        super().__init__()
        self.rate = rate

    def preferred_rate(self) -> int:
        return self.rate


@pytest.mark.parametrize("rate", [44100, 48000, 88200, 96000])
def test_the_player_renders_at_the_outputs_rate(rate):
    origin = Origin("person:Ana")
    song = new_song(length_bars=1, tracks=[Track("t1", "Keys", notes={1: Note(1, 69, 0, 2 * PPQ, 100, origin)})])
    player, output = started(song, sample_rate=None) if rate == 48000 else (None, None)
    if player is None:
        output = Rated(rate)
        player = Player(output, BLOCK, threaded=False)
        player.load(song)
        player.play()
    assert player.sample_rate == rate and player._renderer.sample_rate == rate
    audio = play_blocks(player, output, rate // BLOCK)[:, 0]  # one second
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    assert abs(np.argmax(spectrum) * rate / len(audio) - 440) < 3


def test_an_export_stays_at_48k_whatever_the_device():
    assert render_song(song_with_notes()).sample_rate == 48000


class Refusing(ManualOutput):
    name = "sounddevice"

    def start(self, callback, sample_rate, block):
        raise RuntimeError("Error opening OutputStream: Invalid sample rate [PaErrorCode -9997]")


def test_an_output_that_will_not_start_becomes_a_silent_clock_saying_why():
    player = Player(Refusing(), BLOCK, threaded=False)
    try:
        assert isinstance(player.output, NullOutput) and not player.output.available
        assert "Invalid sample rate" in player.output.reason and "Everything else works" in player.output.reason
    finally:
        player.close()


def test_a_block_and_a_rate_given_the_wrong_way_round_are_refused():
    with pytest.raises(ValueError, match="block"):
        Player(ManualOutput(), 48000, 256, threaded=False)


# -- 3. the device is written from a thread of ours ----------------------------------------------

class FakeStream:
    """PortAudio's blocking stream as the test drives it: each write waits until the test lets one block play."""

    def __init__(self, sounddevice, **kwargs):
        self.kwargs, self.latency = kwargs, 0.02
        self.room = threading.Semaphore(0)
        self.wrote = threading.Condition()
        self.written: list[np.ndarray] = []
        self.threads: set[str] = set()
        self.underflow_at: set[int] = set()
        sounddevice.streams.append(self)

    def start(self):
        pass

    def write(self, data):
        self.threads.add(threading.current_thread().name)
        self.room.acquire()
        with self.wrote:
            self.written.append(data.copy())
            self.wrote.notify_all()
        return len(self.written) in self.underflow_at

    def abort(self):
        pass

    def close(self):
        pass


class FakeSoundDevice:
    def __init__(self, rate: float = 44100.0, refuse: str = ""):
        self.rate, self.refuse, self.streams = rate, refuse, []

    def query_devices(self, device=None, kind=None):
        return {"name": "fake", "default_samplerate": self.rate}

    def OutputStream(self, **kwargs):
        if self.refuse:
            raise RuntimeError(self.refuse)
        return FakeStream(self, **kwargs)


def test_the_device_is_opened_at_its_own_rate_without_a_callback_and_written_by_our_thread():
    sd = FakeSoundDevice(44100.0)
    output = SoundDeviceOutput(sd)
    player = Player(output, BLOCK, threaded=False)
    try:
        player.load(song_with_notes())
        player.play()
        stream = sd.streams[0]
        assert player.sample_rate == 44100 and stream.kwargs["samplerate"] == 44100
        assert "callback" not in stream.kwargs and stream.kwargs["blocksize"] == BLOCK
        assert output.latency_frames == round(0.02 * 44100)
        stream.underflow_at = {3}
        stream.room.release(8)  # the "device" has room for 8 blocks; the writer fills it
        with stream.wrote:
            assert stream.wrote.wait_for(lambda: len(stream.written) == 8, timeout=30)
        assert stream.threads == {"audio device writer"}
        assert output.underflows == 1 and player.underruns == 0
        written = np.concatenate(stream.written)
        start = np.flatnonzero(written.any(axis=1))[0] // BLOCK * BLOCK  # blocks pulled before play are silence
        reference = play_blocks(*started(song_with_notes(), sample_rate=44100), 8)
        assert start <= 2 * BLOCK and np.array_equal(written[start:], reference[:len(written) - start])
    finally:
        stream.room.release(1000)  # a device keeps taking blocks: the writer's last write returns
        player.close()


def test_a_device_that_refuses_its_rate_leaves_a_silent_clock():
    player = Player(SoundDeviceOutput(FakeSoundDevice(refuse="Invalid sample rate [PaErrorCode -9997]")), BLOCK,
                    threaded=False)
    try:
        assert isinstance(player.output, NullOutput) and "Invalid sample rate" in player.output.reason
        assert player.sample_rate == 44100
    finally:
        player.close()


# -- 5. live keys ------------------------------------------------------------------------------------

def peaks_hz(audio: np.ndarray, rate: int = RATE, count: int = 3) -> list[float]:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    found = []
    for i in np.argsort(spectrum)[::-1]:
        hz = i * rate / len(audio)
        if all(abs(hz - f) > 20 for f in found):
            found.append(hz)
        if len(found) == count:
            return sorted(found)
    return sorted(found)


def idle_player() -> tuple[Player, ManualOutput]:
    output = ManualOutput()
    player = Player(output, BLOCK, threaded=False)
    player.preview_track = Track("t1", "Lead", preset="lead")
    return player, output


def test_a_chord_played_live_sounds_as_a_chord_at_the_next_block():
    player, output = idle_player()
    for pitch in (57, 61, 64):  # A, C#, E
        player.monitor_on(pitch, 100)
    first = output.pull(BLOCK)
    assert np.abs(first).max() > 0.01  # heard at once: no ring to wait for
    held = play_blocks(player, output, 40)[:, 0]
    expected = [440 * 2 ** ((p - 69) / 12) for p in (57, 61, 64)]
    assert all(abs(a - b) < 6 for a, b in zip(peaks_hz(held), expected))


def test_a_key_held_longer_than_a_window_keeps_sounding():
    player, output = idle_player()
    player.monitor_on(60, 100)
    held = play_blocks(player, output, 4 * KEY_WINDOW // BLOCK)
    assert longest_zero_run(held[1:]) == 0  # (the attack starts from zero)


def test_note_off_releases_the_key_smoothly_to_silence():
    player, output = idle_player()
    player.monitor_on(60, 100)
    held = play_blocks(player, output, 40)
    player.monitor_off(60)
    after = play_blocks(player, output, 100)  # the lead's release is 0.15 s: 28 blocks
    heard = np.concatenate([held, after])
    assert not after[-20 * BLOCK:].any() and not player._keys  # silent, and the key is forgotten
    assert np.abs(after[:RELEASE_MARGIN]).max() > 0.01  # the release starts a moment after note-off
    assert np.abs(np.diff(heard, axis=0)).max() <= 1.05 * np.abs(np.diff(held, axis=0)).max()  # no click


def test_keys_play_over_the_song_and_leave_it_as_it_was():
    song = song_with_notes()
    plain, plain_out = started(song)
    live, live_out = started(song)
    live.preview_track = song.tracks[0]
    expected = play_blocks(plain, plain_out, 200)
    live.monitor_on(72, 90)
    with_key = play_blocks(live, live_out, 200)
    assert not np.array_equal(with_key, expected)
    live.monitor_off(72)
    play_blocks(live, live_out, 100), play_blocks(plain, plain_out, 100)  # the key's release (0.35 s)
    assert np.array_equal(play_blocks(live, live_out, 100), play_blocks(plain, plain_out, 100))


def test_a_drum_key_rings_out_after_note_off():
    player, output = idle_player()
    player.monitor_on(38, 110, song_with_notes().tracks[1])  # a snare: half a second of sample
    player.monitor_off(38)
    hit = play_blocks(player, output, 60)
    assert np.abs(hit[:BLOCK]).max() > 0.1
    assert np.abs(hit[6000:12000]).max() > 1e-3  # well past a choke's 20 ms: note-off did not cut it


# -- 6. where the music is, between blocks -------------------------------------------------------

def test_position_at_a_moment_between_blocks_is_accurate_to_a_millisecond():
    clock = Clock()
    song = song_with_notes()
    player, output = started(song, clock)
    play_blocks(player, output, 50, clock)  # the clock at the 51st block's due time, not yet pulled
    latency = player._renderer.latency
    pulled_at = clock.now - BLOCK / RATE  # when the 50th block was pulled: its first frame sounded then
    for into in (0.0, 0.0011, 0.0025, 0.0049):
        heard = 49 * BLOCK + into * RATE - latency
        assert abs(player.position_at(pulled_at + into) - song.tempo.tick_at(heard / RATE)) <= 1
    earlier = 40 * BLOCK - latency  # a moment already past: looked up in what the callback kept
    assert abs(player.position_at(pulled_at - 9 * BLOCK / RATE) - song.tempo.tick_at(earlier / RATE)) <= 1


def test_position_at_follows_the_outputs_latency():
    clock = Clock()
    output = ManualOutput(clock, latency_frames=1024)
    player = Player(output, BLOCK, threaded=False)
    player.load(song_with_notes())
    player.play()
    play_blocks(player, output, 50, clock)
    now = clock.now - BLOCK / RATE
    heard = 49 * BLOCK - 1024 - player._renderer.latency
    assert abs(player.position_at(now) - song_with_notes().tempo.tick_at(heard / RATE)) <= 1
    assert player.position_at(now) == player.position_at(now)  # the same moment, the same answer


def test_the_silent_clock_times_blocks_by_when_they_fell_due(clock):
    output = NullOutput("no output device", clock=clock, threaded=False)
    player = Player(output, BLOCK, threaded=False)
    player.load(song_with_notes())
    player.play()
    clock.now += 0.06  # the output thread wakes late: 11 blocks fell due, pulled at once
    assert output.catch_up() == 11 * BLOCK
    heard = (0.06 - 0.003) * RATE - player._renderer.latency
    assert abs(player.position_at(clock.now - 0.003) - song_with_notes().tempo.tick_at(heard / RATE)) <= 1


# -- 7. the release tail rings out -----------------------------------------------------------------

def test_finished_waits_for_the_last_release(clock):
    song = sustained_song()  # the pad's release runs 1.2 s past the song's last bar line
    output = NullOutput("no output device", clock=clock, threaded=False)
    player = Player(output, BLOCK, threaded=False)
    player.load(song)
    player.play()
    end = song.tempo.seconds_at(song.end_tick)
    tail = render_song(song, RATE).seconds
    assert tail > end + 0.5
    while clock.now - 100 < end + 0.1:
        clock.now += 0.01
        output.catch_up()
        player.fill()
    assert player.position >= song.end_tick and not player.finished
    while clock.now - 100 < tail + 0.1:
        clock.now += 0.01
        output.catch_up()
        player.fill()
    assert player.finished
