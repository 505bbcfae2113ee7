"""No sound card, still a transport: the null output keeps time, so the player's position moves as with a device.

The clock is a number the test moves; `catch_up()` pulls what fell due, as the
output's own thread does every few milliseconds.
"""

import threading

import pytest

from cowrite.audio.output import MAX_CATCH_UP_BLOCKS, ManualOutput, NullOutput, open_output
from cowrite.audio.player import Player
from cowrite.model import PPQ
from tests.conftest import Clock
from tests.test_playback import song_with_notes

RATE, BLOCK = 48000, 256




@pytest.fixture
def silent(clock):
    output = NullOutput("no output device", clock=clock, threaded=False)
    player = Player(output, BLOCK, RATE, threaded=False)
    player.load(song_with_notes())
    yield player, output
    player.close()


def run_for(player, output, clock, seconds: float, wake: float = 0.01) -> None:
    """Let `seconds` of time pass in wakes of the output's thread, the render-ahead worker keeping up."""
    for _ in range(round(seconds / wake)):
        clock.now += wake
        output.catch_up()
        player.fill()


def test_it_stays_unavailable_and_says_why(silent):
    _, output = silent
    assert not output.available and output.reason == "no output device"
    assert open_output("null").reason == "playback is turned off"


def test_playing_advances_the_position_by_the_frames_the_clock_pulled(silent, clock):
    player, output = silent
    player.play()
    run_for(player, output, clock, 1.0)
    assert output.pulled == (RATE // BLOCK) * BLOCK  # one second in whole blocks: 187 of them
    device_clock = Clock()  # the same frames pulled by a "real" device, each block when it falls due
    device = ManualOutput(device_clock)
    reference = Player(device, BLOCK, RATE, threaded=False)
    reference.load(song_with_notes())
    reference.play()
    for block in range(output.pulled // BLOCK):
        device_clock.now = 100.0 + block * BLOCK / RATE
        device.pull(BLOCK)
        reference.fill()
    device_clock.now = clock.now
    assert player.position == reference.position
    assert player.position > PPQ  # past the first beat after a second at 120 BPM
    assert player.underruns == 0


def test_only_whole_due_blocks_are_pulled(silent, clock):
    _, output = silent
    clock.now += (BLOCK - 1) / RATE
    assert output.catch_up() == 0
    clock.now += 1 / RATE
    assert output.catch_up() == BLOCK
    assert output.catch_up() == 0  # nothing more is due until the clock moves


def test_stop_stops_the_position(silent, clock):
    player, output = silent
    player.play()
    run_for(player, output, clock, 0.5)
    player.stop()
    where = player.position
    run_for(player, output, clock, 0.5)
    assert player.position == where
    assert output.pulled > RATE * 0.9  # the clock kept pulling, as a device does; stopped means silence


def test_a_loop_wraps_silently(silent, clock):
    player, output = silent
    player.set_loop(0, PPQ)  # one beat: half a second
    player.play()
    run_for(player, output, clock, 0.75)
    assert 0 < player.position < PPQ // 2 + PPQ // 8  # went round once, a quarter of a second into it


def test_a_long_stall_is_skipped_not_rushed(silent, clock):
    player, output = silent
    player.play()
    clock.now += 60.0  # the laptop slept for a minute
    assert output.catch_up() == MAX_CATCH_UP_BLOCKS * BLOCK
    clock.now += BLOCK / RATE
    assert output.catch_up() == BLOCK  # back to real time, not a minute of blocks in a burst


def test_after_stop_the_callback_is_never_called(silent, clock):
    _, output = silent
    output.stop()
    clock.now += 1.0
    assert output.catch_up() == 0


def test_its_own_thread_pulls_and_stops():
    pulled = threading.Event()
    output = NullOutput("no output device")
    output.start(lambda out, frames: pulled.set(), RATE, BLOCK)
    try:
        assert pulled.wait(timeout=5), "the silent clock never pulled a block"
    finally:
        output.stop()
    assert not any(t.name == "silent audio clock" for t in threading.enumerate())
