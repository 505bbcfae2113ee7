"""The sampler: one-shot drum kits, and pitched samples played across the keyboard.

Every sound of every kit lives in one flat bank, so a block of voices from
different kits is still one gather; a song's own samples join the bank the same
way (`with_sounds`). Voices follow the engine contract of `voice`: a pure
function of the sample index since note-on, so offline and real-time rendering
share them.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import NamedTuple

import numpy as np

from cowrite.assets import asset_path
from cowrite.audio.pcm import read_wav
from cowrite.audio.voice import release_curve, velocity_gain
from cowrite.io.errors import FileProblem
from cowrite.model import Track

KITS = ("studio", "808", "808-boom")
DEFAULT_KIT = "studio"
VOICES = ("kick", "snare", "clap", "hat-closed", "hat-open", "tom-low", "tom-mid", "tom-high",
          "crash", "ride", "rim", "shaker", "cowbell")
#: General MIDI drum keys -> kit voice; keys a kit has no sound for borrow the nearest one.
GM_DRUMS = {
    35: "kick", 36: "kick", 37: "rim", 38: "snare", 39: "clap", 40: "snare",
    41: "tom-low", 42: "hat-closed", 43: "tom-low", 44: "hat-closed", 45: "tom-mid", 46: "hat-open",
    47: "tom-mid", 48: "tom-high", 49: "crash", 50: "tom-high", 51: "ride", 52: "crash", 53: "ride",
    54: "shaker", 55: "crash", 56: "cowbell", 57: "crash", 59: "ride", 60: "tom-high", 61: "tom-mid",
    62: "tom-high", 63: "tom-mid", 64: "tom-low", 69: "shaker", 70: "shaker", 75: "rim", 76: "rim",
    77: "rim", 82: "shaker",
}
#: The key a drum's name stands for when a person names a pad: each kit voice's usual General MIDI key.
PAD_KEYS = {"kick": 36, "rim": 37, "snare": 38, "clap": 39, "hat": 42, "hat-closed": 42, "hat-open": 46,
            "tom-low": 41, "tom-mid": 47, "tom-high": 50, "crash": 49, "ride": 51, "shaker": 82, "cowbell": 56}
#: A hit in a choke group silences the group's ringing sounds, as a closing hi-hat stops an open one.
CHOKE_GROUPS = {"hat-closed": 1, "hat-open": 1}
#: How fast a choked sound fades: quick, but not a click.
CHOKE_SECONDS = 0.02
#: Instrument presets played by the sampler: preset -> (kit, voice) pitched from the root in kit.json.
PITCHED = {"808": ("808-boom", "kick")}
PITCHED_RELEASE = 0.15
#: The gate of a one-shot that nothing chokes: longer than any sample.
ONE_SHOT = 1 << 40


class Sound(NamedTuple):
    """A sound to add to a sampler's bank, and how it plays."""

    samples: np.ndarray  # mono float32 at the sampler's rate
    root: float  # the key at which it plays at its recorded speed; NaN: every key plays it unchanged
    release: float  # seconds of fade after note-off (or after a choke)
    choke: int  # its choke group (0: none)


def pad_sound(samples: np.ndarray, key: int) -> Sound:
    """A one-shot on drum key `key`, choked like the kit sound it stands in for (a pad on 46 is an open hat)."""
    return Sound(samples, np.nan, CHOKE_SECONDS, CHOKE_GROUPS.get(GM_DRUMS.get(key, ""), 0))


def keyboard_sound(samples: np.ndarray, root: int | None) -> Sound:
    """A sample played at every pitch, faster or slower from its root (middle C when it has none)."""
    return Sound(samples, 60 if root is None else root, PITCHED_RELEASE, 0)


def kit_for(track: Track) -> str:
    """The kit a drum track plays: its preset if that names a kit, else the default kit."""
    return track.preset if track.preset in KITS else DEFAULT_KIT


class Sampler:
    """All kits at one sample rate; `program` is a sound index (see `drum_sounds` and `pitched_sound`)."""

    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        chunks = [np.zeros(2, np.float32)]  # two silent samples: where voices read outside their sound
        start, size = [], []
        for kit in KITS:
            for voice in VOICES:
                samples = _load(kit, voice, sample_rate)
                start.append(sum(map(len, chunks)))
                size.append(len(samples))
                chunks += [samples, np.zeros(1, np.float32)]  # a zero after each sound ends its interpolation
        drums = len(start)
        # drum hits: one-shots at their recorded pitch; then the pitched presets, reading the same samples
        root, release = [np.nan] * drums, [CHOKE_SECONDS] * drums
        for kit, voice in PITCHED.values():
            sound = KITS.index(kit) * len(VOICES) + VOICES.index(voice)
            start.append(start[sound])
            size.append(size[sound])
            root.append(_kit_roots(kit)[voice])
            release.append(PITCHED_RELEASE)
        self.bank = np.concatenate(chunks)
        self.start, self.size = np.array(start), np.array(size)
        self.root, self.release = np.array(root, np.float32), np.array(release, np.float32)
        self.choke = np.array([CHOKE_GROUPS.get(voice, 0) for _ in KITS for voice in VOICES] + [0] * len(PITCHED))

    @staticmethod
    @cache
    def load(sample_rate: int) -> Sampler:
        return Sampler(sample_rate)

    def with_sounds(self, sounds: list[Sound]) -> Sampler:
        """A copy that also plays `sounds`, numbered from `len(self.start)` on.

        A song's samples join the kits in one bank, so a drum track with some
        pads replaced is still one engine, rendered a block at a time in one gather.
        """
        if not sounds:
            return self
        extended = copy.copy(self)
        sizes = [len(sound.samples) for sound in sounds]
        extended.bank = np.concatenate([self.bank, *(np.append(sound.samples, np.float32(0)) for sound in sounds)])
        extended.start = np.append(self.start, len(self.bank) + np.cumsum([0, *sizes[:-1]]) + np.arange(len(sizes)))
        extended.size = np.append(self.size, sizes)
        extended.root = np.append(self.root, [sound.root for sound in sounds]).astype(np.float32)
        extended.release = np.append(self.release, [sound.release for sound in sounds]).astype(np.float32)
        extended.choke = np.append(self.choke, [sound.choke for sound in sounds])
        return extended

    def drum_sounds(self, kit: str) -> np.ndarray:
        """Sound index for each of the 128 keys in `kit` (-1: no sound)."""
        sounds = np.full(128, -1)
        base = KITS.index(kit) * len(VOICES)
        for key, voice in GM_DRUMS.items():
            sounds[key] = base + VOICES.index(voice)
        return sounds

    def pitched_sound(self, preset: str) -> int:
        return len(KITS) * len(VOICES) + list(PITCHED).index(preset)

    def one_shot_gates(self, sounds: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """Drum hits ignore note-off: each rings out, unless a later hit of its choke group cuts it.

        `onsets` in time order; a hit at the same sample does not choke.
        """
        gates = np.full(len(sounds), ONE_SHOT, np.int64)
        groups = self.choke[sounds]
        for group in set(groups.tolist()) - {0}:
            members = np.flatnonzero(groups == group)
            times = onsets[members]
            later = np.searchsorted(times, times, side="right")
            choked = later < len(members)
            gates[members[choked]] = times[later[choked]] - times[choked]
        return gates

    def rates(self, program, pitch) -> np.ndarray:
        """Playback speed: 1 for drums, 2**((pitch - root) / 12) for pitched sounds."""
        root = self.root[program]
        return np.where(np.isnan(root), np.float32(1), np.exp2((np.asarray(pitch, np.float32) - root) / 12))

    def length(self, program, pitch, gate) -> np.ndarray:
        played = np.ceil(self.size[program] / self.rates(program, pitch)).astype(np.int64)
        fade = np.ceil(self.release[program] * self.sample_rate).astype(np.int64)
        return np.minimum(played, np.asarray(gate) + fade)

    def render(self, n: np.ndarray, program, pitch, velocity, gate) -> np.ndarray:
        position = n * self.rates(program, pitch).astype(np.float64)
        index = position.astype(np.int64)
        frac = (position - index).astype(np.float32)
        inside = (n >= 0) & (index < self.size[program])
        index = np.where(inside, index + self.start[program], 0)
        a, b = self.bank.take(index), self.bank.take(index + 1)
        held = np.asarray(gate, np.float32) * np.float32(1 / self.sample_rate)
        after = np.maximum(n.astype(np.float32) * np.float32(1 / self.sample_rate) - held, np.float32(0))
        return (a + frac * (b - a)) * (velocity_gain(velocity) * release_curve(after, self.release[program]))


def _kit_roots(kit: str) -> dict[str, int]:
    """Root keys of a kit's pitched sounds, from its kit.json (written by make_kits.py)."""
    path = asset_path("kits", kit, "kit.json")
    try:
        return json.loads(path.read_text())["roots"]
    except (OSError, ValueError, KeyError) as e:
        raise FileProblem(path, f"cannot read the kit's roots ({e})") from None


def _load(kit: str, voice: str, sample_rate: int) -> np.ndarray:
    """One sound as mono float32 at `sample_rate` (resampled linearly if the output rate differs)."""
    samples, rate = read_wav(asset_path("kits", kit, f"{voice}.wav"))
    return resample(samples.mean(axis=1, dtype=np.float32), rate, sample_rate)


def resample(mono: np.ndarray, rate: int, sample_rate: int) -> np.ndarray:
    """`mono` recorded at `rate` as float32 at `sample_rate`, linearly interpolated if the rates differ."""
    if rate == sample_rate:
        return mono.astype(np.float32, copy=False)
    times = np.arange(round(len(mono) * sample_rate / rate)) * (rate / sample_rate)
    return np.interp(times, np.arange(len(mono)), mono).astype(np.float32)
