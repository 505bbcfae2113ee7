"""MIDI input: list the keyboards mido can see, and record what is played into the current track.

Recording is deliberately small: notes are collected while recording and land
as one AddNotes (the person's own notes, one undo step, one ledger event) when
recording stops, optionally pulled to a grid first. Live monitoring of the
keys through the speakers is not done here: the player has no voice for
single notes yet.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from cowrite.edit import AddNotes
from cowrite.theory.quantize import quantize_length, quantize_tick


def list_ports() -> tuple[list[str], str]:
    """(input port names, "") or ([], why there are none)."""
    try:
        import mido

        return list(mido.get_input_names()), ""
    except ImportError as e:  # mido's default backend needs python-rtmidi
        return [], f"MIDI input needs a mido backend ({e.name or e}); install python-rtmidi to use a keyboard"
    except Exception as e:  # a backend that cannot reach the system's MIDI (no ALSA sequencer, say)
        return [], f"MIDI input is not available here: {e}"


class Recorder(QObject):
    """Collects note-on/note-off pairs into notes at the song's ticks."""

    received = Signal(str, int, int, float)  # type, note, velocity, monotonic seconds: hops from mido's thread
    recorded = Signal(int)  # how many notes were added when recording stopped

    def __init__(self, session):
        super().__init__()
        self.session = session
        self.port = None
        self.grid: int | None = None
        self._start_tick = 0
        self.started_at = 0.0
        self._held: dict[int, tuple[int, int]] = {}  # pitch -> (start tick, velocity)
        self.notes: list[tuple[int, int, int, int]] = []
        self.received.connect(self.feed)

    @property
    def recording(self) -> bool:
        return self.started_at > 0

    def start(self, start_tick: int, grid: int | None = None, port_name: str | None = None) -> None:
        """Record from `start_tick` (where the music is now); with `port_name`, listen to that keyboard."""
        self.grid, self._start_tick, self.started_at = grid, start_tick, time.monotonic()
        self._held.clear()
        self.notes = []
        if port_name:
            import mido

            self.port = mido.open_input(port_name, callback=self._on_message)

    def _on_message(self, message) -> None:
        """mido's thread: pass the message to the UI thread with the moment it arrived."""
        if message.type in ("note_on", "note_off"):
            self.received.emit(message.type, message.note, message.velocity, time.monotonic())

    def tick_at(self, when: float) -> int:
        tempo = self.session.song.tempo
        return tempo.tick_at(tempo.seconds_at(self._start_tick) + when - self.started_at)

    def feed(self, kind: str, pitch: int, velocity: int, when: float) -> None:
        """One key going down or up (a note-on with velocity 0 is a note-off, as keyboards send it)."""
        play = getattr(self.session.player, "preview_note", None)
        if play is not None and kind == "note_on" and velocity > 0:
            play(pitch, velocity)  # hear the track's instrument as you play
        if not self.recording:
            return
        tick = self.tick_at(when)
        if kind == "note_on" and velocity > 0:
            self._close(pitch, tick)  # a key struck again before its note-off
            self._held[pitch] = (tick, velocity)
        else:
            self._close(pitch, tick)

    def _close(self, pitch: int, end: int) -> None:
        if pitch in self._held:
            start, velocity = self._held.pop(pitch)
            self.notes.append((pitch, start, max(1, end - start), velocity))

    def stop(self) -> int:
        """Stop listening and add what was played to the current track; the number of notes added."""
        if self.port is not None:
            self.port.close()
            self.port = None
        if not self.recording:
            return 0
        end = self.tick_at(time.monotonic())
        for pitch in list(self._held):
            self._close(pitch, end)
        self.started_at = 0.0
        notes = [self._snap(n) for n in self.notes]
        track = self.session.current_track
        added = len(notes) if notes and track is not None and self.session.apply(AddNotes(track.id, notes)) else 0
        self.recorded.emit(added)
        return added

    def _snap(self, note: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        pitch, start, duration, velocity = note
        if self.grid:
            start, duration = quantize_tick(start, self.grid), quantize_length(duration, self.grid)
        return pitch, start, duration, velocity
