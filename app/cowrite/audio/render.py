"""Offline rendering: a whole song to a stereo float32 mix at 48 kHz, with one stem per audible track.

Each note is rendered whole (see `voice`) and added at its exact onset. Notes
that repeat exactly (same sound, pitch, velocity and length: loops, drum hits)
are rendered once and reused, which is most of a typical song. The limiter's
gain, computed on the mix, is applied to every stem too, so the stems always
add up to the mix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from cowrite.audio.mixer import audible, channel_gains, limit
from cowrite.audio.schedule import Voices, schedule
from cowrite.audio.song_samples import load_song_samples
from cowrite.audio.voice import render_note
from cowrite.model import Song

#: Bytes of rendered notes kept for reuse while one track renders.
REUSE_BUDGET = 256 << 20


@dataclass(frozen=True)
class Mix:
    """Arrays are (frames, 2) float32 views of channel-first buffers (np.ascontiguousarray interleaves them)."""

    audio: np.ndarray  # the mix, after the limiter
    stems: dict[str, np.ndarray]  # track id -> what the track adds to `audio`
    gain: np.ndarray  # (frames,) the limiter's gain
    sample_rate: int
    warnings: list[str]  # samples that could not play (see `song_samples`), each once

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.sample_rate


def render_song(song: Song, sample_rate: int = 48000, stems: bool = True) -> Mix:
    """Render `song` until its last bar or the end of its last note's release, whichever is later.

    Deterministic: the same song renders to the same samples. With stems=False
    only the mix is kept (less memory for long songs).
    """
    tracks = audible(song.tracks)
    samples = load_song_samples(tracks, sample_rate)
    voices = [schedule(track, song.tempo, samples) for track in tracks]
    frames = max([round(song.tempo.seconds_at(song.end_tick) * sample_rate)]
                 + [int(v.end.max()) for v in voices if len(v.onset)])
    # channels first while rendering, so a note adds to two contiguous runs of samples
    mix = np.zeros((2, frames), np.float32)
    kept = {}
    for track, track_voices in zip(tracks, voices):
        out = np.zeros((2, frames), np.float32) if stems else mix
        add_voices(track_voices, out, np.array(channel_gains(track), np.float32)[:, None])
        if stems:
            mix += out
            kept[track.id] = out
    gain = limit(mix.T, sample_rate)
    for buffer in (mix, *kept.values()):
        buffer *= gain
    return Mix(mix.T, {track_id: buffer.T for track_id, buffer in kept.items()}, gain, sample_rate, samples.warnings)


def add_voices(voices: Voices, out: np.ndarray, gains: np.ndarray) -> None:
    """Add a track's voices into `out` (2, frames), each channel scaled by its row of `gains` (2, 1)."""
    columns = (voices.program, voices.pitch, voices.velocity, voices.gate, voices.length)
    sounds = list(zip(*(c.tolist() for c in columns)))
    uses = Counter(sounds)
    reusable: dict[tuple, np.ndarray] = {}
    kept_bytes = 0
    for onset, sound in zip(voices.onset.tolist(), sounds):
        uses[sound] -= 1
        samples = reusable.get(sound)
        if samples is None:
            samples = render_note(voices.engine, *sound)
            if uses[sound] and kept_bytes + samples.nbytes <= REUSE_BUDGET:
                reusable[sound] = samples
                kept_bytes += samples.nbytes
        elif not uses[sound]:  # its last use: free it for others
            kept_bytes -= reusable.pop(sound).nbytes
        out[:, onset:onset + len(samples)] += gains * samples
