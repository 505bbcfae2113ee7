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
    """Renders `song` block by block from `position`; the output lags by `latency` frames (the limiter's look-ahead).

    A renderer can take over from another mid-play (`take_over`): it goes on
    from the same frame with the same limiter and delay line, so an edit heard
    during playback costs no gap and no click.
    """

    def __init__(self, song: Song, sample_rate: int = 48000):
        self.sample_rate = sample_rate
        self.tempo = song.tempo
        tracks = audible(song.tracks)
        samples = load_song_samples(tracks, sample_rate)  # here, so no block ever waits for a file
        self.warnings = samples.warnings
        parts: dict[Engine, list] = {}
        for track in tracks:
            voices = schedule(track, song.tempo, samples)
            parts.setdefault(voices.engine, []).append((voices, channel_gains(track)))
        self._groups = [_Group.of(engine, p) for engine, p in parts.items()]
        #: the song frame where the last bar or the last release ends, whichever is later: silence from here on
        self.end = max([round(song.tempo.seconds_at(song.end_tick) * sample_rate)]
                       + [int(g.latest_end[-1]) for g in self._groups if len(g.latest_end)])
        self._block = 256  # the size of the blocks asked for so far (see `_mix_before`)
        self.seek(0)

    @property
    def latency(self) -> int:
        return self._limiter.latency

    def seek(self, frame: int) -> None:
        """Continue from `frame` of the song, with the limiter starting afresh (a jump: what played before is gone)."""
        self.position = frame
        self._limiter = Limiter(self.sample_rate)
        self._delayed = np.zeros((self._limiter.latency, 2), np.float32)

    def take_over(self, old: BlockRenderer) -> None:
        """Go on from where `old` is, with its limiter and the frames still in its delay line.

        Those frames (the old song's last `latency` frames, not yet heard)
        crossfade into this song's mix of the same frames, so the output has
        no gap, no jump, and from `latency` frames on is this song's alone.
        The same song taking over gives exactly the samples `old` would have.
        """
        self._limiter, self._block = old._limiter, old._block
        self._continue(old._delayed, old.position)

    def jump(self, frame: int) -> None:
        """Go on from `frame` (a loop going round) without restarting the limiter: crossfaded, as in `take_over`."""
        self._continue(self._delayed, frame)

    def _continue(self, delayed: np.ndarray, frame: int) -> None:
        fresh = self._mix_before(frame)
        ramp = np.arange(1, len(fresh) + 1, dtype=np.float32)[:, None] / np.float32(len(fresh) + 1)
        self._delayed = delayed + ramp * (fresh - delayed)  # exactly `delayed` where the two agree
        self.position = frame

    def _mix_before(self, frame: int) -> np.ndarray:
        """This song's mix of the `latency` frames before `frame`, (latency, 2).

        Rendered in the blocks playback used, ending at `frame`, so it is
        bit for bit what playing up to `frame` would have put in the delay line.
        """
        latency, block = self._limiter.latency, self._block
        count = -(-latency // block)
        blocks = [self._mix(start, block) for start in range(frame - count * block, frame, block)]
        return np.concatenate(blocks, axis=1).T[count * block - latency:] if latency else np.zeros((0, 2), np.float32)

    def render_block(self, frames: int = 256) -> np.ndarray:
        """The next `frames` frames of the limited mix, (frames, 2) float32."""
        self._block = frames
        mix = self._mix(self.position, frames)
        gain = self._limiter.gains(np.abs(mix).max(axis=0))
        delayed = np.concatenate([self._delayed, mix.T])
        self._delayed = delayed[frames:]
        self.position += frames
        return delayed[:frames] * gain[:, None]

    def _mix(self, start: int, frames: int) -> np.ndarray:
        """The song's mix of frames [start, start + frames), before the limiter, (2, frames) float32."""
        stop = start + frames
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
        return mix
