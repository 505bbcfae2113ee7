"""When each note of a track sounds, in samples, and which engine and sound play it.

Both renderers start here: offline rendering walks the voices note by note,
real-time playback picks the voices sounding in each block. Onsets are exact:
a note at tick t starts at sample round(tempo.seconds_at(t) * sample_rate),
following every tempo change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from cowrite.audio.sampler import PITCHED, kit_for
from cowrite.audio.song_samples import SongSamples
from cowrite.audio.synth import PRESET_NAMES, Synth, preset_for
from cowrite.audio.voice import Engine
from cowrite.model import TempoMap, Track


@dataclass(frozen=True)
class Voices:
    """A track's notes as voices, in onset order: equal-length int64 columns."""

    engine: Engine
    onset: np.ndarray  # sample of note-on
    gate: np.ndarray  # samples held (drums: until choked, or ONE_SHOT)
    length: np.ndarray  # samples from note-on until silent
    program: np.ndarray  # the engine's sound for the note
    pitch: np.ndarray
    velocity: np.ndarray

    @cached_property
    def end(self) -> np.ndarray:
        return self.onset + self.length


def schedule(track: Track, tempo: TempoMap, samples: SongSamples) -> Voices:
    """`samples`: the song's own samples, loaded for the tracks being rendered (see `song_samples`)."""
    sample_rate = samples.sample_rate
    notes = track.sorted_notes()
    onset = np.array([round(tempo.seconds_at(n.start) * sample_rate) for n in notes], np.int64)
    off = np.array([round(tempo.seconds_at(n.end) * sample_rate) for n in notes], np.int64)
    gate = np.maximum(off - onset, 1)
    pitch = np.array([n.pitch for n in notes], np.int64)
    velocity = np.array([n.velocity for n in notes], np.int64)
    engine: Engine
    if track.is_drums:
        engine = samples.engine
        sounds = engine.drum_sounds(kit_for(track))
        for key in track.pads:
            sounds[key] = samples.pads.get((track.id, key), sounds[key])
        program = sounds[pitch]
        keep = program >= 0  # keys with no sound in the kit and no pad stay silent
        onset, pitch, velocity, program = onset[keep], pitch[keep], velocity[keep], program[keep]
        gate = engine.one_shot_gates(program, onset)
    elif track.id in samples.keyboards:
        engine = samples.engine
        program = np.full(len(notes), samples.keyboards[track.id])
    elif track.preset in PITCHED:
        engine = samples.engine
        program = np.full(len(notes), engine.pitched_sound(track.preset))
    else:
        engine = Synth.load(sample_rate)
        program = np.full(len(notes), PRESET_NAMES.index(preset_for(track)))
    return Voices(engine, onset, gate, engine.length(program, pitch, gate).astype(np.int64),
                  program, pitch, velocity)
