"""Audio outputs, chosen by name and imported lazily (as mido chooses its backends).

"sounddevice" plays through PortAudio; "null" plays nothing (a server, CI, a
machine without libportaudio2); "manual" lets a test pull blocks as a sound
card would. `open_output()` falls back to null with a reason to show, once.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Callback = Callable[[np.ndarray, int], None]  # fill outdata (frames, 2) float32


class NullOutput:
    name = "null"
    available = False

    def __init__(self, reason: str):
        self.reason = reason

    def start(self, callback: Callback, sample_rate: int, block: int) -> None:
        """Nothing to play through."""

    def stop(self) -> None:
        """Nothing is playing."""


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
