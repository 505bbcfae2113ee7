"""The metronome: a click on every beat, accented on the bar line, heard but never saved."""

from __future__ import annotations

import dataclasses

from cowrite.model import PPQ, Note, Origin, Song, Track, TrackKind

RIM, COWBELL = 37, 56
_ORIGIN = Origin("metronome")  # never reaches a saved song or the credits


def with_metronome(song: Song, volume: float = 0.6) -> Song:
    """A render-only copy of `song` with a click track: cowbell on the downbeat, rim on the other beats."""
    notes, note_id = {}, -1
    for bar in range(song.meter.bars_to_cover(song.end_tick)):
        start, end = song.meter.bar_start(bar), song.meter.bar_start(bar + 1)
        beat = PPQ * 4 // song.meter.at(start).denominator
        for i, tick in enumerate(range(start, end, beat)):
            notes[note_id] = Note(note_id, COWBELL if i == 0 else RIM, tick, beat // 4, 110 if i == 0 else 80, _ORIGIN)
            note_id -= 1
    click = Track("metronome", "Metronome", TrackKind.DRUMS, "studio", 9, volume=volume, notes=notes)
    return dataclasses.replace(song, tracks=[*song.tracks, click])
