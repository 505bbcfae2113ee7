"""A polyphonic subtractive-sounding synth, computed additively so numpy can vectorise it.

A low-pass filter is recursive (each output sample needs the previous one), which
numpy cannot vectorise. So the filter is folded into the oscillator instead: for
each waveform a bank of single-cycle wavetables holds the waveform already
filtered at cutoffs a quarter-octave apart (harmonic k of a cutoff h has the gain
of a 3rd-order Butterworth low-pass, 1/sqrt(1 + (k/h)^6), and nothing above 2h, so
no table aliases once the cutoff is capped below a quarter of the sample rate).
A voice reads the bank with a phase accumulator and blends the two tables around
its current cutoff; a filter envelope moves the cutoff by moving through the rows.

Every voice is two oscillators (detuned, or a second one an interval above), an
ADSR amplitude envelope, a filter envelope, and an optional pitch drop at the
attack (the 808 sub). All of it is a closed-form function of the time since
note-on, so any slice of any number of voices is computed in one set of array
operations (see `voice`).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

from cowrite.audio.voice import release_curve, velocity_gain
from cowrite.model import Track

TABLE_BITS = 11
TABLE_SIZE = 1 << TABLE_BITS
ROWS_PER_OCTAVE = 4
ROWS = 7 * ROWS_PER_OCTAVE + 1  # cutoffs from the fundamental up to 128 harmonics
WAVES = ("sine", "triangle", "square", "saw")
#: The cutoff follows half the pitch, so high notes keep some brightness.
KEY_TRACKING = 0.5
#: Velocity 127 opens the filter this many octaves wider than velocity 0, as a harder hit is brighter.
VELOCITY_OCTAVES = 1.0
_PHASE_SHIFT = 32 - TABLE_BITS  # the phase is a 32-bit fixed-point fraction of a cycle


class Preset(NamedTuple):
    """A synth sound. Times in seconds, cutoff in Hz, intervals in semitones, detune in cents."""

    wave: float  # index into WAVES
    attack: float  # linear rise to full level
    decay: float  # time constant of the fall from full level towards `sustain`
    sustain: float  # level held while the note is held, 0..1
    release: float  # from note-off to silence
    cutoff: float  # filter cutoff for middle C at velocity ~100, once the filter envelope has settled
    env_octaves: float  # how far above `cutoff` the filter envelope starts
    env_decay: float  # time constant of the filter envelope's fall
    detune: float  # spread between the two oscillators
    interval: float  # second oscillator this far above the first (0: a detuned pair)
    level2: float  # second oscillator's level relative to the first
    glide: float  # the pitch starts this far above the note and drops to it...
    glide_time: float  # ...with this time constant
    gain: float


PRESETS: dict[str, Preset] = {
    # two detuned saws whose filter closes as the note decays: a poly-synth piano
    "keys": Preset(3, 0.003, 1.2, 0.3, 0.35, 700, 2.5, 0.35, 10, 0, 1.0, 0, 0.05, 0.5),
    "bass": Preset(3, 0.002, 0.5, 0.6, 0.08, 220, 2.8, 0.12, 6, 0, 1.0, 0, 0.05, 0.65),
    # an 808 sub: a sine dropping an octave into the note, a quiet octave above for small speakers
    "sub": Preset(0, 0.002, 1.8, 0.45, 0.12, 1000, 0, 1, 0, 12, 0.15, 12, 0.03, 0.8),
    "pad": Preset(3, 0.6, 2.0, 0.8, 1.2, 900, 0.7, 1.5, 14, 0, 1.0, 0, 0.05, 0.35),
    "lead": Preset(2, 0.008, 0.6, 0.75, 0.15, 2200, 1.2, 0.25, 6, 0, 1.0, 0, 0.05, 0.45),
    "pluck": Preset(3, 0.001, 0.45, 0.0, 0.2, 300, 3.5, 0.1, 0, 12, 0.35, 0, 0.05, 0.55),
}
PRESET_NAMES = tuple(PRESETS)


def preset_for(track: Track) -> str:
    """The synth preset for an instrument track: its own preset if the synth knows it, else from its GM program.

    "keys" is also the preset every track gets when none was chosen (MIDI imports,
    AddTrack without one), so for "keys" a General MIDI program other than the
    pianos decides.
    """
    if track.preset in PRESETS and not (track.preset == "keys" and track.program > 7):
        return track.preset
    return gm_preset(track.program)


#: The preset for each General MIDI family of eight programs: piano, chromatic percussion, organ,
#: guitar, bass, strings, ensemble, brass, reed, pipe, synth lead, synth pad, synth effects, ethnic,
#: percussive, sound effects.
GM_FAMILIES = ("keys", "pluck", "keys", "pluck", "bass", "pad", "pad", "lead",
               "lead", "lead", "lead", "pad", "pad", "pluck", "pluck", "pad")
#: Programs that sound unlike their family: synth basses, pizzicato, harp, timpani, bass + lead.
GM_EXCEPTIONS = {38: "sub", 39: "sub", 45: "pluck", 46: "pluck", 47: "pluck", 87: "bass"}


def gm_preset(program: int) -> str:
    """The closest preset to a General MIDI program (0-127)."""
    return GM_EXCEPTIONS.get(program) or GM_FAMILIES[program // 8]


@cache
def wavetables() -> np.ndarray:
    """The filtered single-cycle tables, shaped (waves * ROWS * TABLE_SIZE, 4).

    Entry [row, i] holds sample i of that row, the step to sample i + 1, and the
    same two for the next row up: everything one read needs, fetched in one gather.
    """
    k = np.arange(1, TABLE_SIZE // 2)
    odd = k % 2 == 1
    series = {"sine": (k == 1) * 1.0, "triangle": odd * (-1.0) ** (k // 2) / k**2,
              "square": odd / k, "saw": 1.0 / k}
    banks = []
    for wave in WAVES:
        bank = np.zeros((ROWS + 1, TABLE_SIZE))  # a silent row above the top, for the blend's upper half
        for row in range(ROWS):
            h = 2.0 ** (row / ROWS_PER_OCTAVE)
            gains = series[wave] / np.sqrt(1 + (k / h) ** 6) * (k <= 2 * h)
            spectrum = np.concatenate([[0], -0.5j * TABLE_SIZE * gains, [0]])
            bank[row] = np.fft.irfft(spectrum, TABLE_SIZE)
        bank /= np.abs(bank).max()
        step = np.roll(bank, -1, axis=1) - bank
        banks.append(np.stack([bank[:-1], step[:-1], bank[1:], step[1:]], axis=-1).reshape(-1, 4))
    return np.concatenate(banks).astype(np.float32)


class Synth:
    """The synth engine at one sample rate; `program` is an index into PRESET_NAMES."""

    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        self.columns = np.array(list(PRESETS.values()), np.float32).T  # [field, preset]
        self.tables = wavetables()

    @staticmethod
    @cache
    def load(sample_rate: int) -> Synth:
        return Synth(sample_rate)

    def length(self, program, pitch, gate) -> np.ndarray:
        release = self.columns[Preset._fields.index("release"), program]
        return np.asarray(gate) + np.ceil(release * np.float32(self.sample_rate)).astype(np.int64)

    def render(self, n: np.ndarray, program, pitch, velocity, gate) -> np.ndarray:
        p = Preset(*self.columns[:, program])
        second = np.float32(1 / self.sample_rate)
        t = n.astype(np.float32) * second
        since = np.maximum(t, np.float32(0))
        held = np.asarray(gate, np.float32) * second

        # amplitude: ADSR, written without branches so it works on any slice of any voices
        until_off = np.minimum(t, held)
        rise = np.clip(until_off / p.attack, 0, 1)
        fall = p.sustain + (1 - p.sustain) * np.exp(np.maximum(until_off - p.attack, 0) / -p.decay)
        level = rise * fall * release_curve(np.maximum(t - held, 0), p.release)
        level *= velocity_gain(velocity) * (p.gain / (1 + p.level2))

        # both oscillators at once, stacked on a new first axis
        f0 = 440.0 * np.exp2((np.asarray(pitch, np.float64) - 69) / 12)
        cents = np.stack([-p.detune / 2, p.interval * 100 + p.detune / 2])
        ratio = np.exp2(cents.reshape(cents.shape + (1,) * (n.ndim + 1 - cents.ndim)) / 1200.0)
        f = f0 * ratio
        phase = n.astype(np.uint32) * np.rint(f * (2.0**32 / self.sample_rate)).astype(np.uint32)
        drop = np.exp2(np.asarray(p.glide, np.float64) / 12) - 1  # extra frequency at the attack, as a ratio
        if np.any(drop):
            gained = np.float32(f0 * drop) * p.glide_time * -np.expm1(since / -p.glide_time)  # cycles
            cycles = gained * ratio.astype(np.float32)
            phase += ((cycles - np.floor(cycles)) * np.float32(2.0**32)).astype(np.int64).astype(np.uint32)

        # the filter: a row of the tables, set by the cutoff (in octaves above each oscillator) and its envelope
        note_cutoff = (np.log2(p.cutoff) + KEY_TRACKING * np.log2(f0 / 261.63)
                       + VELOCITY_OCTAVES * (np.asarray(velocity) / 127 - 0.8))
        base = (ROWS_PER_OCTAVE * (note_cutoff - np.log2(f))).astype(np.float32)
        top = np.clip(ROWS_PER_OCTAVE * np.log2(self.sample_rate / (4 * f * (1 + drop))), 0, ROWS - 1)
        sweep = np.exp(since / -p.env_decay) * (ROWS_PER_OCTAVE * p.env_octaves)
        row = np.minimum(np.maximum(sweep + base, np.float32(0)), top.astype(np.float32))

        both = self._lookup(phase, row, np.asarray(p.wave).astype(np.intp))
        return (both[0] + both[1] * p.level2) * level

    def _lookup(self, phase: np.ndarray, row: np.ndarray, wave) -> np.ndarray:
        """Read the tables at `phase` (32-bit fraction of a cycle), blending the rows either side of `row`."""
        below = np.floor(row)
        index = (phase >> _PHASE_SHIFT).astype(np.intp)
        index += (below.astype(np.intp) + wave * ROWS) * TABLE_SIZE
        frac = (phase & ((1 << _PHASE_SHIFT) - 1)).astype(np.float32) * np.float32(2.0**-_PHASE_SHIFT)
        value, step, upper_value, upper_step = np.moveaxis(self.tables.take(index, axis=0), -1, 0)
        low = value + frac * step
        return low + (row - below) * (upper_value + frac * upper_step - low)
