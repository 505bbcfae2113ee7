"""`cowrite play` through a real sound server: what JACK receives is the export, sample for sample.

Each test starts its own JACK server (tests/jack_server.py, synchronous: the
dummy driver, no sound card, but JACK's real process cycle and PortAudio's real
JACK backend), a recorder client with two input ports, then `cowrite play` in a
process of its own, and records what Cowrite sends. Skipped where jackd is missing or cannot start, except
under `make test` (COWRITE_REAL_DESKTOP=1), where a missing jackd is a failure:
CI must run this.
"""

from __future__ import annotations

import gc
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import orjson
import pytest

from cowrite.attribution.actors import Actor
from cowrite.audio.pcm import read_wav
from cowrite.audio.wav import export_wav
from cowrite.edit import AddNotes, AddTrack, Macro
from cowrite.io.project import Project, read_song
from cowrite.model import PPQ, TrackKind
from tests.conftest import new_song
from tests.jack_server import synchronous_jack_server as jack_server
from tests.jack_server import _stop as stop_process
from tests.jack_server import unavailable, wait_for

LSB = 2.0 ** -23  # one step of a 24-bit WAV
#: above any float noise and far above one LSB, so the recording and the WAV agree where the sound begins
ONSET = 1e-3


def jack_module():
    """The JACK-Client module where jackd is installed, or skip/fail saying what is missing."""
    if shutil.which("jackd") is None:
        unavailable("jackd is not installed (Debian: jackd2)")
    try:
        import jack
    except (ImportError, OSError) as e:
        unavailable(f"JACK-Client cannot load libjack: {e}")
    return jack


class Recorder:
    """A JACK client with two input ports that keeps every frame it is given, from activation on.

    Its process callback runs in the server's real-time thread and only copies
    into a buffer allocated up front. Until `connect` joins its ports to
    Cowrite's it records the silence of unconnected ports, so the recording's
    timeline starts before Cowrite plays. Frames it was not called for (it was
    late for a cycle) are counted in `missed`: a gap of ours, not Cowrite's.
    Python's garbage collector is off while it records, since a collection
    inside the callback can outlast a period.
    """

    def __init__(self, jack, server: str, seconds: float):
        self.client = jack.Client("cowrite-test-recorder", servername=server, no_start_server=True)
        self.ports = [self.client.inports.register(f"in_{side}") for side in ("left", "right")]
        self.audio = np.zeros((int(seconds * self.client.samplerate), 2), np.float32)
        self.frames = self.missed = 0
        self._next_cycle: int | None = None  # JACK's frame time the next cycle should start at
        self.client.set_process_callback(self._process)
        gc.disable()
        self.client.activate()

    def _process(self, frames: int) -> None:
        cycle = self.client.last_frame_time
        if self._next_cycle is not None and cycle != self._next_cycle:
            self.missed += (cycle - self._next_cycle) % 2 ** 32
        self._next_cycle = (cycle + frames) % 2 ** 32
        at = self.frames
        n = min(frames, len(self.audio) - at)
        for channel, port in enumerate(self.ports):
            self.audio[at:at + n, channel] = port.get_array()[:n]
        self.frames = at + n

    def connect(self, client: str, seconds: float, alive) -> None:
        """Join the first two audio outputs of `client` (PortAudio's) to our inputs as soon as they appear.

        `alive()` is True while the process that should open them runs, else what it said, to fail with.
        """
        def outputs():
            running = alive()
            if running is not True:
                raise AssertionError(f"cowrite ended before it opened the device: {running}")
            found = self.client.get_ports(f"{client}:", is_audio=True, is_output=True)
            return found if len(found) >= 2 else None

        for source, port in zip(wait_for(outputs, seconds, f"{client}'s output ports"), self.ports):
            self.client.connect(source, port)

    def recorded(self) -> np.ndarray:
        return self.audio[:self.frames].copy()

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()
        gc.enable()


def write_song(path: Path, last_note_end: int) -> Path:
    """Three bars at 120 BPM: keys and kicks from beat 2 (a lead of silence), the last note ending at `last_note_end`."""
    project = Project.create(path, new_song(length_bars=3), Actor.person("Ana"))
    keys = [(57, PPQ, PPQ // 2, 90), (60, 2 * PPQ, PPQ, 80), (64, 4 * PPQ, last_note_end - 4 * PPQ, 100)]
    kicks = [(36, i * PPQ, 120, 110) for i in range(1, 6)]
    project.document.apply(Macro("Tracks", [AddTrack("Keys"), AddNotes("Keys", keys),
                                            AddTrack("Drums", kind=TrackKind.DRUMS), AddNotes("Drums", kicks)]))
    project.save()
    project.close()
    return path


def cowrite(*args: str, server: str) -> subprocess.Popen:
    """`cowrite ARGS` in a process of its own, on `server` (PortAudio's JACK backend finds it by name)."""
    env = {**os.environ, "JACK_DEFAULT_SERVER": server, "JACK_NO_START_SERVER": "1", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "cowrite", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def play_and_record(jack, server: str, song: Path, *flags: str, seconds: float = 40):
    """Run `cowrite play` on `server` to its end, recording it; (recording, stdout, stderr, exit code)."""
    recorder = Recorder(jack, server, seconds)
    player = cowrite("play", str(song), *flags, server=server)
    try:
        recorder.connect("PortAudio", seconds=20, alive=lambda: player.poll() is None or player.communicate())
        out, err = player.communicate(timeout=seconds)
        assert not recorder.missed, f"the recorder missed {recorder.missed} frames (late for a JACK cycle)"
        return recorder.recorded(), out, err, player.returncode
    finally:
        stop_process(player)
        recorder.close()


def onset(audio: np.ndarray) -> int:
    """The first frame where either channel is clearly sounding."""
    loud = np.flatnonzero(np.abs(audio).max(axis=1) > ONSET)
    assert len(loud), "the audio is silent"
    return int(loud[0])


def assert_recording_is(recording: np.ndarray, expected: np.ndarray) -> None:
    """The recording holds `expected` whole (within one 24-bit step), with only silence before and after.

    Silence within one step too: what the WAV rounds to zero (a release's last 1e-11) may still reach the server.
    """
    start = onset(recording) - onset(expected)
    assert start >= 0, "the recording began after the song did"
    heard = recording[start:start + len(expected)]
    assert len(heard) == len(expected), f"the recording stops {len(expected) - len(heard)} frames before the song"
    error = np.abs(heard.astype(np.float64) - expected).max(axis=1)
    wrong = np.flatnonzero(error > LSB)
    assert not len(wrong), (f"{len(wrong)} of {len(expected)} frames differ by more than 1 LSB ({LSB:.3g}), "
                            f"the first at frame {wrong[0] if len(wrong) else 0}, by up to {error.max():.3g}")
    outside = np.concatenate([recording[:start], recording[start + len(expected):], np.zeros((1, 2), np.float32)])
    assert np.abs(outside).max() <= LSB, "sound outside the song's frames"


def summary(out: str) -> tuple[int, int]:
    """(device underflows, Cowrite underruns) from play's last line."""
    found = re.search(r"(\d+) device underflows, (\d+) Cowrite underruns", out)
    assert found, out
    return int(found[1]), int(found[2])


def test_play_through_jack_sounds_exactly_like_the_export(tmp_path):
    """48 kHz; device and buffer from the window's preferences; the release tail is heard to its end."""
    from cowrite.cli.main import main

    jack = jack_module()
    song = write_song(tmp_path / "song.cowrite", last_note_end=6 * PPQ)  # 1.5 s of the song's 6 s left
    assert main(["export", str(song), "--wav", str(tmp_path / "song.wav")]) == 0
    expected, rate = read_wav(tmp_path / "song.wav")
    studio = Path(os.environ["COWRITE_CONFIG_DIR"]) / "studio.json"
    studio.write_bytes(orjson.dumps({"audio_device": "system", "buffer_size": 512}))
    with jack_server(48000) as server:
        recording, out, err, code = play_and_record(jack, server, song)
    assert code == 0, err
    assert "on system at 48000 Hz, 512-frame blocks" in out
    assert summary(out) == (0, 0) and out.rstrip().splitlines()[-1].startswith("finished")
    assert rate == 48000
    assert_recording_is(recording, expected)


def test_play_at_44100_follows_the_server_and_matches_an_export_at_that_rate(tmp_path):
    """The device's rate, not 48 kHz; the last note rings past the last bar line, and all of its tail plays."""
    jack = jack_module()
    song = write_song(tmp_path / "song.cowrite", last_note_end=12 * PPQ)  # to the song's very end
    expected_path = export_wav(read_song(song)[0], tmp_path / "song-44k.wav", sample_rate=44100)
    expected, _ = read_wav(expected_path)
    assert len(expected) > 6 * 44100  # the tail runs past the last bar line (6 s)
    with jack_server(44100) as server:
        recording, out, err, code = play_and_record(jack, server, song, "--device", "system", "--buffer", "256")
    assert code == 0, err
    assert "on system at 44100 Hz, 256-frame blocks" in out
    assert summary(out) == (0, 0)
    assert_recording_is(recording, expected)


def lines_of(stream) -> queue.Queue:
    """Every line `stream` gives, as it gives it (None at its end), read on a thread so a wait can time out."""
    lines = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_ctrl_c_stops_cleanly_and_still_gives_both_counts(tmp_path):
    song = write_song(tmp_path / "song.cowrite", last_note_end=6 * PPQ)
    with jack_server(48000) as server:
        player = cowrite("play", str(song), "--device", "system", server=server)
        try:
            lines = lines_of(player.stdout)
            first = lines.get(timeout=20)
            assert first and first.startswith("playing"), (first, player.stderr.read())
            player.send_signal(signal.SIGINT)
            code = player.wait(10)
            out = "".join(iter(lambda: lines.get(timeout=5), None))
            err = player.stderr.read()
        finally:
            stop_process(player)
    assert code == 0 and "Traceback" not in err, err
    assert out.rstrip().splitlines()[-1].startswith("stopped:")
    summary(out)
