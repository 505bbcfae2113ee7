"""Audio outputs, chosen by name and imported lazily (as mido chooses its backends).

"sounddevice" plays through PortAudio; "null" is silent but still keeps time
(a server, CI, a machine without libportaudio2 or without a sound card), so
the transport, playhead, loop and previews behave as with a device; "manual"
lets a test pull blocks as a sound card would. `open_output()` falls back to
null with a reason to show, once.

Every output calls `callback(out, frames)` from a thread of its own and, just
before each call, records `stamp`: (the `clock` time the block's first frame
leaves the output, the frames pulled before it). With `latency_frames` (how
long a frame takes from there to the ear) that tells the player which frame is
being heard at any moment, between blocks too (`Player.position_at`).
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import numpy as np

Callback = Callable[[np.ndarray, int], None]  # fill outdata (frames, 2) float32


#: how often the silent clock wakes to pull the blocks that fell due (the playhead follows at ~30 Hz)
SILENT_WAKE_SECONDS = 0.01
#: preferred by the outputs that have no rate of their own (and the rate exports use)
DEFAULT_RATE = 48000
#: The latency asked of PortAudio, in blocks, when a SoundDeviceOutput writes to it from its own thread.
#: Measured through JACK (dummy driver, 256-frame period, 44.1 and 48 kHz), 20 s of a held chord with a
#: reload every 250 ms, recorded by a JACK client: no gap at 1, 2 or 4 blocks, quiet or under
#: `stress-ng --cpu 2`, because the writer waits in PortAudio without the GIL and wakes as soon as there
#: is room. Two, not one: a block of slack for host APIs not measured (ALSA, a GIL hand-over that comes
#: late), at the cost of one block (5.3 ms at 256 frames) more between a key and the ear.
DEVICE_BUFFER_BLOCKS = 2
#: the most blocks the silent clock pulls at one wake; time beyond it (a suspended laptop, a starved
#: thread) is skipped, as a device skips it, rather than rushed through as a burst of underruns
MAX_CATCH_UP_BLOCKS = 16


class NullOutput:
    """No sound card, but still a clock: pulls blocks from the callback at real-time rate and drops them.

    The player cannot tell it from a device, so its position advances, loops
    wrap and previews run their course, all silently; `available` stays False
    and `reason` says why nothing is heard. The pulling runs on a thread of
    its own that takes no lock (the callback never waits on it). A test passes
    `threaded=False` and a `clock` it moves, then calls `catch_up()`.
    """

    name = "null"
    available = False
    underflows = 0  # a clock never runs dry
    latency_frames = 0

    def __init__(self, reason: str, clock: Callable[[], float] = time.monotonic, threaded: bool = True):
        self.reason = reason
        self.clock, self._threaded = clock, threaded
        self._callback: Callback | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        #: frames handed to the callback since `start`
        self.pulled = 0
        self.stamp = (clock(), 0)
        self._skipped = 0  # frames of clock time let go by (see MAX_CATCH_UP_BLOCKS)

    @staticmethod
    def preferred_rate() -> int:
        return DEFAULT_RATE

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        self.stop()
        self._rate, self._block = sample_rate, block
        self._buffer = np.zeros((block, 2), np.float32)  # one buffer, reused: nothing allocated per block
        self._began, self.pulled, self._skipped = self.clock(), 0, 0
        self.stamp = (self._began, 0)
        self._callback = callback
        if self._threaded:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="silent audio clock", daemon=True)
            self._thread.start()

    def catch_up(self) -> int:
        """Pull every whole block a device would have asked for by now; returns the frames pulled."""
        callback = self._callback
        if callback is None:
            return 0
        due = int((self.clock() - self._began) * self._rate) - self.pulled - self._skipped
        blocks = max(0, due // self._block)
        if blocks > MAX_CATCH_UP_BLOCKS:
            self._skipped += (blocks - MAX_CATCH_UP_BLOCKS) * self._block
            blocks = MAX_CATCH_UP_BLOCKS
        for _ in range(blocks):
            # the block's time is when a device would have started it, not when this wake came round
            self.stamp = (self._began + (self.pulled + self._skipped) / self._rate, self.pulled)
            callback(self._buffer, self._block)
            self.pulled += self._block
        return blocks * self._block

    def _run(self) -> None:
        while not self._stopping.wait(SILENT_WAKE_SECONDS):
            self.catch_up()

    def stop(self) -> None:
        """Stop the clock; once this returns, the callback is not called again."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._callback = None


class ManualOutput:
    """A sound card the caller drives: `pull(frames)` calls the callback like a device would.

    A block pulled at `clock()` starts sounding then (after `latency_frames`,
    0 unless a test sets it); a test passes a `clock` it moves.
    """

    name = "manual"
    available = True
    reason = ""
    underflows = 0

    def __init__(self, clock: Callable[[], float] = time.monotonic, latency_frames: int = 0):
        self.clock, self.latency_frames = clock, latency_frames
        self._callback: Callback | None = None
        self.pulled = 0
        self.stamp = (clock(), 0)

    @staticmethod
    def preferred_rate() -> int:
        return DEFAULT_RATE

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        self.pulled, self.stamp = 0, (self.clock(), 0)
        self._callback = callback

    def stop(self) -> None:
        self._callback = None

    def pull(self, frames: int) -> np.ndarray:
        out = np.zeros((frames, 2), np.float32)
        if self._callback:
            self.stamp = (self.clock(), self.pulled)
            self._callback(out, frames)
            self.pulled += frames
        return out


class SoundDeviceOutput:
    """A sound card through PortAudio's blocking API, written from a thread of ours.

    No Python runs in PortAudio's real-time thread: there is no stream
    callback. Our writer thread pulls a block from the player's callback and
    `write()`s it; the write waits (without the GIL: cffi releases it) while
    PortAudio's buffer of DEVICE_BUFFER_BLOCKS blocks is full, so the device's
    own thread only ever copies from that buffer. A write that finds the
    device ran dry in between counts one `underflows`; a device that fails
    mid-play stops the writer and says why in `reason`.
    """

    name = "sounddevice"
    available = True
    reason = ""

    def __init__(self, sounddevice, device=None):
        self._sd, self._device, self._stream = sounddevice, device, None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.clock = time.monotonic
        self.underflows = self.pulled = self.latency_frames = 0
        self.stamp = (self.clock(), 0)

    def preferred_rate(self) -> int:
        """The device's own rate (44.1, 48, 88.2, 96 kHz...): opening it at another one may fail."""
        try:
            return round(self._sd.query_devices(self._device, "output")["default_samplerate"])
        except Exception:  # the device vanished since open_output: start() will say so
            return DEFAULT_RATE

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        """Open the stream (raising PortAudio's error if the device refuses) and start the writer thread."""
        self.stop()
        stream = self._sd.OutputStream(samplerate=sample_rate, blocksize=block, channels=2, dtype="float32",
                                       device=self._device, latency=DEVICE_BUFFER_BLOCKS * block / sample_rate)
        try:
            stream.start()
        except Exception:
            stream.close()
            raise
        self._stream, self.underflows, self.pulled = stream, 0, 0
        self.latency_frames = round(stream.latency * sample_rate)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._write_blocks, args=(callback, stream, block),
                                        name="audio device writer", daemon=True)
        self._thread.start()

    def _write_blocks(self, callback: Callback, stream, block: int) -> None:
        out = np.zeros((block, 2), np.float32)  # one buffer, reused: nothing allocated per block
        while not self._stopping.is_set():
            # a write returns once PortAudio has room for one more block: this block follows the buffered ones
            self.stamp = (self.clock(), self.pulled)
            callback(out, block)
            self.pulled += block
            try:
                if stream.write(out):
                    self.underflows += 1
            except Exception as e:  # the device went away (unplugged, the sound server quit)
                self.reason = f"the audio device stopped ({str(e).splitlines()[0]})"
                return

    def stop(self) -> None:
        """Stop the writer and close the stream; once this returns, the callback is not called again."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._stream is not None:
            self._stream.abort()
            self._stream.close()
            self._stream = None


def open_output(name: str | None = None, device=None):
    """The output called `name` (default: sounddevice), or a NullOutput saying why not."""
    if name == "null":
        return NullOutput("playback is turned off")
    if name == "manual":
        return ManualOutput()
    try:
        import sounddevice
    except (ImportError, OSError) as e:  # OSError: the PortAudio library itself is missing
        return NullOutput(f"no audio playback: PortAudio is not available ({str(e).splitlines()[0]}); "
                          "install libportaudio2 to hear songs. Everything else works.")
    try:
        sounddevice.query_devices(device, kind="output")
    except Exception as e:  # PortAudioError or ValueError: no such device
        return NullOutput(f"no audio playback: no output device ({str(e).splitlines()[0]}). Everything else works.")
    return SoundDeviceOutput(sounddevice, device)
