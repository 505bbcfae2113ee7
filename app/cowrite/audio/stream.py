"""Real-time rendering: the song's mix a block at a time, from the voices sounding in that block.

This is what a playback callback will call every 256 frames. It shares the
voices of the offline render (`voice`), so what plays is what exports, and
computes a block with a fixed number of array operations however many voices
sound: every sounding voice of an engine is one row of a (voices, frames)
array, rendered in one call, and mixed to stereo by one (2, voices) matrix of
track gains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cowrite.audio.mixer import Limiter, audible, channel_gains
from cowrite.audio.schedule import Voices, schedule
from cowrite.audio.song_samples import load_song_samples
from cowrite.audio.voice import Engine
from cowrite.model import Song


@dataclass(frozen=True)
class _Group:
    """All voices one engine plays, from every audible track, in onset order."""

    engine: Engine
    voices: Voices
    gains: np.ndarray  # (2, voices) float32: each voice's track volume and pan
    latest_end: np.ndarray  # running maximum of the voices' ends: finds the first one still sounding

    @classmethod
    def of(cls, engine: Engine, parts: list[tuple[Voices, tuple[float, float]]]) -> _Group:
        names = ("onset", "gate", "length", "program", "pitch", "velocity")
        columns = {name: np.concatenate([getattr(v, name) for v, _ in parts]) for name in names}
        order = np.argsort(columns["onset"], kind="stable")
        voices = Voices(engine, **{name: column[order] for name, column in columns.items()})
        gains = np.concatenate([np.repeat(np.array(lr, np.float32)[:, None], len(v.onset), axis=1)
                                for v, lr in parts], axis=1)[:, order]
        return cls(engine, voices, gains, np.maximum.accumulate(voices.end))


class BlockRenderer:
    """Renders `song` block by block from `position`; the output lags by `latency` frames (the limiter's look-ahead)."""

    def __init__(self, song: Song, sample_rate: int = 48000):
        self.sample_rate = sample_rate
        tracks = audible(song.tracks)
        samples = load_song_samples(tracks, sample_rate)  # here, so no block ever waits for a file
        self.warnings = samples.warnings
        parts: dict[Engine, list] = {}
        for track in tracks:
            voices = schedule(track, song.tempo, samples)
            parts.setdefault(voices.engine, []).append((voices, channel_gains(track)))
        self._groups = [_Group.of(engine, p) for engine, p in parts.items()]
        self.seek(0)

    @property
    def latency(self) -> int:
        return self._limiter.latency

    def seek(self, frame: int) -> None:
        """Continue from `frame` of the song, with the limiter starting afresh."""
        self.position = frame
        self._limiter = Limiter(self.sample_rate)
        self._delayed = np.zeros((self._limiter.latency, 2), np.float32)

    def render_block(self, frames: int = 256) -> np.ndarray:
        """The next `frames` frames of the limited mix, (frames, 2) float32."""
        start, stop = self.position, self.position + frames
        mix = np.zeros((2, frames), np.float32)
        for group in self._groups:
            v = group.voices
            first = np.searchsorted(group.latest_end, start, side="right")
            candidates = np.arange(first, np.searchsorted(v.onset, stop))
            sounding = candidates[v.end[candidates] > start]
            if len(sounding):
                n = (start - v.onset[sounding])[:, None] + np.arange(frames)
                rows = group.engine.render(n, *(c[sounding, None] for c in (v.program, v.pitch, v.velocity, v.gate)))
                mix += group.gains[:, sounding] @ rows
        gain = self._limiter.gains(np.abs(mix).max(axis=0))
        delayed = np.concatenate([self._delayed, mix.T])
        self._delayed = delayed[frames:]
        self.position = stop
        return delayed[:frames] * gain[:, None]
