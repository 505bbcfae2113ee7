"""A take: what a person plays while recording, timed in song ticks, turned into notes.

Pure functions and one small class; no devices, no threads, no Qt, so every
rule is tested by feeding (tick, key) events. The rules a keyboard needs:

- a note-on with velocity 0 is a note-off (running status keyboards send it);
- a note-on of a pitch still held ends the held note there (some keyboards
  never send the first note-off when a key is struck again quickly);
- a key still held when recording stops ends at the stop position, so a lost
  note-off never leaves a stuck note;
- "pull to the grid" moves a start to the nearest grid line, never the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.theory.quantize import quantize_length, quantize_tick

#: (pitch, start tick, duration in ticks, velocity), as AddNotes takes them
NoteRow = tuple[int, int, int, int]


@dataclass(frozen=True)
class Key:
    """One key going down (velocity > 0) or up (velocity 0), from a note-on or note-off message."""

    pitch: int
    velocity: int

    @property
    def down(self) -> bool:
        return self.velocity > 0


def parse_key(message) -> Key | None:
    """The key a raw MIDI message presses or releases, on any channel; None for anything else.

    `message` is the status byte and data bytes (rtmidi's list). Note-on with
    velocity 0 becomes a release, exactly like note-off.
    """
    if len(message) < 3:
        return None
    kind, pitch, velocity = message[0] & 0xF0, message[1] & 0x7F, message[2] & 0x7F
    if kind == 0x90:
        return Key(pitch, velocity)
    if kind == 0x80:
        return Key(pitch, 0)
    return None


class Take:
    """The notes of one recording pass: keys held (pitch -> start tick, velocity) and notes finished."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[int, int]] = {}
        self._notes: list[NoteRow] = []

    @property
    def held(self) -> set[int]:
        """The pitches sounding now (pressed, not yet released)."""
        return set(self._held)

    def play(self, key: Key, tick: int) -> None:
        """A key at `tick`: down starts a note (ending one of the same pitch still held), up ends it."""
        self._end(key.pitch, tick)
        if key.down:
            self._held[key.pitch] = (tick, key.velocity)

    def finish(self, stop_tick: int, grid: int | None = None) -> list[NoteRow]:
        """Every note played, keys still held ending at `stop_tick`, pulled to `grid` when given; ordered by start."""
        for pitch in list(self._held):
            self._end(pitch, stop_tick)
        notes = [snap(note, grid) for note in self._notes] if grid else self._notes
        return sorted(notes, key=lambda note: (note[1], note[0]))

    def _end(self, pitch: int, tick: int) -> None:
        if pitch in self._held:
            start, velocity = self._held.pop(pitch)
            self._notes.append((pitch, start, max(1, tick - start), velocity))


def snap(note: NoteRow, grid: int) -> NoteRow:
    """`note` with its start on the nearest grid line and its length a whole number of grid steps (at least one)."""
    pitch, start, duration, velocity = note
    return pitch, quantize_tick(start, grid), quantize_length(duration, grid), velocity
