"""Audio outputs, chosen by name and imported lazily (as mido chooses its backends).

"sounddevice" plays through PortAudio; "null" is silent but still keeps time
(a server, CI, a machine without libportaudio2 or without a sound card), so
the transport, playhead, loop and previews behave as with a device; "manual"
lets a test pull blocks as a sound card would. `open_output()` falls back to
null with a reason to show, once.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import numpy as np

Callback = Callable[[np.ndarray, int], None]  # fill outdata (frames, 2) float32


#: how often the silent clock wakes to pull the blocks that fell due (the playhead follows at ~30 Hz)
SILENT_WAKE_SECONDS = 0.01
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

    def __init__(self, reason: str, clock: Callable[[], float] = time.monotonic, threaded: bool = True):
        self.reason = reason
        self._clock, self._threaded = clock, threaded
        self._callback: Callback | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        #: frames handed to the callback since `start`
        self.pulled = 0
        self._skipped = 0  # frames of clock time let go by (see MAX_CATCH_UP_BLOCKS)

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        self.stop()
        self._rate, self._block = sample_rate, block
        self._buffer = np.zeros((block, 2), np.float32)  # one buffer, reused: nothing allocated per block
        self._began, self.pulled, self._skipped = self._clock(), 0, 0
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
        due = int((self._clock() - self._began) * self._rate) - self.pulled - self._skipped
        blocks = max(0, due // self._block)
        if blocks > MAX_CATCH_UP_BLOCKS:
            self._skipped += (blocks - MAX_CATCH_UP_BLOCKS) * self._block
            blocks = MAX_CATCH_UP_BLOCKS
        for _ in range(blocks):
            callback(self._buffer, self._block)
        self.pulled += blocks * self._block
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
    """A sound card the caller drives: `pull(frames)` calls the callback like a device would."""

    name = "manual"
    available = True
    reason = ""

    def __init__(self):
        self._callback: Callback | None = None

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        self._callback = callback

    def stop(self) -> None:
        self._callback = None

    def pull(self, frames: int) -> np.ndarray:
        out = np.zeros((frames, 2), np.float32)
        if self._callback:
            self._callback(out, frames)
        return out


class SoundDeviceOutput:
    name = "sounddevice"
    available = True
    reason = ""

    def __init__(self, sounddevice, device=None):
        self._sd, self._device, self._stream = sounddevice, device, None

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        def on_device(outdata, frames, time, status):  # PortAudio's thread: no allocation beyond the copy
            callback(outdata, frames)

        self._stream = self._sd.OutputStream(samplerate=sample_rate, blocksize=block, channels=2,
                                             dtype="float32", device=self._device, callback=on_device)
        self._stream.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
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
