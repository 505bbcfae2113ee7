"""What every sound engine offers the renderers, and the envelope pieces the engines share.

An engine renders voices as a pure function of the sample index since note-on::

    engine.render(n, program, pitch, velocity, gate) -> float32 array shaped like n

`n` is an int64 array (negative before the note starts); the other columns
broadcast against it: plain numbers for one note (`n` of shape (frames,)), or
(voices, 1) columns for many at once (`n` of shape (voices, frames)). `gate` is the number of samples the note is held. Because no
state is carried from one sample to the next, the offline renderer computes a
whole note in a few large steps, real-time playback computes any 256-frame
slice of all sounding voices in one step, and both get the same samples.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

#: Samples rendered per step of one note: large enough to amortise numpy's call
#: overhead, small enough that the temporaries stay in the CPU cache.
CHUNK = 16384
#: A release fades to this level (-60 dB) and is then exactly silent, so a voice has a definite end.
RELEASE_FLOOR = 1e-3


class Engine(Protocol):
    sample_rate: int

    def render(self, n: np.ndarray, program, pitch, velocity, gate) -> np.ndarray: ...

    def length(self, program, pitch, gate) -> np.ndarray:
        """Samples from note-on until the voice is silent for good."""


def velocity_gain(velocity) -> np.ndarray:
    """Loudness follows the square of the velocity, as on most synths and samplers."""
    return np.square(np.asarray(velocity, np.float32) * np.float32(1 / 127))


def release_curve(after: np.ndarray, seconds) -> np.ndarray:
    """Gain `after` seconds past note-off: exponential, reaching exact silence at `seconds`."""
    falling = np.exp(after * (np.float32(-np.log(1 / RELEASE_FLOOR)) / seconds))
    return np.maximum((falling - np.float32(RELEASE_FLOOR)) * np.float32(1 / (1 - RELEASE_FLOOR)), np.float32(0))


def render_note(engine: Engine, program: int, pitch: int, velocity: int, gate: int, length: int) -> np.ndarray:
    """All `length` samples of one note, CHUNK at a time."""
    out = np.empty(length, np.float32)
    for start in range(0, length, CHUNK):
        n = np.arange(start, min(length, start + CHUNK))
        out[start:start + len(n)] = engine.render(n, program, pitch, velocity, gate)
    return out
