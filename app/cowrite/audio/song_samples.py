"""The song's own samples, loaded before rendering: pads on drum tracks, keyboard samples on instrument tracks.

Loading reads, checks and resamples every file once, before the first block,
so real-time rendering never touches the disk. A sample that cannot be played
(missing, unreadable, or changed since it was assigned) is left out: its pad
plays the kit's sound and its track the synth preset, and a warning says so,
so a song whose samples went missing still plays and exports.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile

from cowrite.audio.mixer import audible
from cowrite.audio.sampler import Sampler, keyboard_sound, pad_sound, resample
from cowrite.io.errors import FileProblem
from cowrite.model import SampleRef, Song, Track

#: Decoded files kept between loads (playback loads the song again after every edit).
CACHED_FILES = 32


@dataclass(frozen=True)
class SongSamples:
    """The sampler with the song's samples in its bank, and which sound each pad and keyboard plays."""

    engine: Sampler
    pads: dict[tuple[str, int], int]  # (track id, drum key) -> sound
    keyboards: dict[str, int]  # track id -> sound
    warnings: list[str]

    @property
    def sample_rate(self) -> int:
        return self.engine.sample_rate


def load_song_samples(tracks: list[Track], sample_rate: int) -> SongSamples:
    """Load the samples `tracks` play (the audible ones: what is not heard need not load)."""
    kits = Sampler.load(sample_rate)
    sounds, pads, keyboards, warnings = [], {}, {}, []
    for track in tracks:
        for key, ref in sorted(track.pads.items()):
            try:
                sounds.append(pad_sound(load_sample(ref, sample_rate), key))
            except FileProblem as e:
                warnings.append(f"track {track.name!r}, pad {key}: {e}; the kit's sound plays instead")
                continue
            pads[track.id, key] = len(kits.start) + len(sounds) - 1
        if track.sample is not None:
            try:
                sounds.append(keyboard_sound(load_sample(track.sample, sample_rate), track.sample.root))
            except FileProblem as e:
                warnings.append(f"track {track.name!r}: {e}; its synth preset plays instead")
                continue
            keyboards[track.id] = len(kits.start) + len(sounds) - 1
    return SongSamples(kits.with_sounds(sounds), pads, keyboards, warnings)


def load_sample(ref: SampleRef, sample_rate: int) -> np.ndarray:
    """The sample as mono float32 at `sample_rate` (read-only: it is shared); FileProblem if it cannot be."""
    path = Path(ref.path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileProblem(path, "is missing (moved or deleted since it was assigned)") from None
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    sha256, samples = _decoded(str(path), stat.st_size, stat.st_mtime_ns, sample_rate)
    if sha256 != ref.sha256:
        raise FileProblem(path, "has changed since it was assigned (its SHA-256 differs); assign it again")
    return samples


@lru_cache(maxsize=CACHED_FILES)
def _decoded(path: str, size: int, mtime_ns: int, sample_rate: int) -> tuple[str, np.ndarray]:
    """(SHA-256, samples) of a file, cached by its size and modification time as the library's scan trusts them."""
    try:
        data = Path(path).read_bytes()
        audio, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    except (soundfile.LibsndfileError, RuntimeError) as e:
        raise FileProblem(path, f"cannot read it as audio ({e})") from None
    if not len(audio):
        raise FileProblem(path, "holds no audio")
    samples = resample(audio.mean(axis=1), rate, sample_rate)
    samples.flags.writeable = False
    return hashlib.sha256(data).hexdigest(), samples


def sample_warnings(song: Song, sample_rate: int = 48000) -> list[str]:
    """The warnings a render of `song` will give, known before it starts (an export says them first)."""
    return load_song_samples(audible(song.tracks), sample_rate).warnings
