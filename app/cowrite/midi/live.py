"""A keyboard played live: each key timed by the song position heard when it arrived, monitored, kept in a take.

`LiveInput.on_message` runs on the MIDI thread (rtmidi's callback). It asks
the clock for the tick audible at the message's arrival time
(`player.position_at(t)`: between output blocks, after output latency), so
a note played on the beat is stored on the beat however late the UI thread
sees it and however full the playback ring is. Monitoring goes straight to
the player's voices (`monitor_on` / `monitor_off`) from the same thread:
polyphonic, released on note-off, heard whether or not a take is running.
"""

from __future__ import annotations

import threading
from typing import Callable, Protocol

from cowrite.midi.take import Key, NoteRow, Take, parse_key
from cowrite.model.timing import TempoMap


class SongClock(Protocol):
    def position_at(self, when: float) -> int:
        """The song tick heard at monotonic time `when`."""


class TempoClock:
    """A song clock without a player: `start_tick` at monotonic `started_at`, moving at the song's tempo."""

    def __init__(self, tempo: TempoMap, start_tick: int, started_at: float):
        self._tempo, self._start, self._started_at = tempo, tempo.seconds_at(start_tick), started_at

    def position_at(self, when: float) -> int:
        return self._tempo.tick_at(max(0.0, self._start + when - self._started_at))


class LiveInput:
    """One keyboard's keys: to the monitor when `monitor` is on, into the take while one is running.

    `instrument()` names the track whose sound monitors the keys (the current
    track); `heard(key, tick)` is told of every key after it is handled (the
    Qt glue passes it to the UI thread). The take is shared with the UI
    thread's start and stop, so a lock guards it (never the audio callback's).
    """

    def __init__(self, clock: SongClock, player=None, instrument: Callable[[], object] = lambda: None,
                 heard: Callable[[Key, int], None] = lambda key, tick: None):
        self.clock, self.player, self.instrument, self.heard = clock, player, instrument, heard
        #: monitoring needs a player with monitor voices (none in a session without audio)
        self.monitor = callable(getattr(player, "monitor_on", None))
        self._sounding: set[int] = set()  # pitches the monitor holds
        self._take: Take | None = None
        self._lock = threading.Lock()

    @property
    def recording(self) -> bool:
        return self._take is not None

    def on_message(self, message, when: float) -> None:
        """One raw MIDI message that arrived at monotonic `when` (the MIDI thread)."""
        key = parse_key(message)
        if key is None:
            return
        tick = self.clock.position_at(when)
        if self.monitor:
            self._sound(key)
        with self._lock:
            if self._take is not None:
                self._take.play(key, tick)
        self.heard(key, tick)

    def _sound(self, key: Key) -> None:
        if key.down:
            self.player.monitor_on(key.pitch, key.velocity, self.instrument())
            self._sounding.add(key.pitch)
        elif key.pitch in self._sounding:
            self.player.monitor_off(key.pitch)
            self._sounding.discard(key.pitch)

    def silence(self) -> None:
        """Release every key the monitor still holds (the keyboard closing, monitoring turned off)."""
        for pitch in list(self._sounding):
            self.player.monitor_off(pitch)
        self._sounding.clear()

    def start_take(self, clock: SongClock | None = None) -> None:
        """Keep what is played from now on (timed by `clock` when given: a new take may bring its own)."""
        with self._lock:
            self.clock = clock or self.clock
            self._take = Take()

    def stop_take(self, when: float, grid: int | None = None) -> list[NoteRow]:
        """End the take at monotonic `when` (keys still held end there); its notes, pulled to `grid` if given."""
        stop_tick = self.clock.position_at(when)
        with self._lock:
            take, self._take = self._take, None
        return take.finish(stop_tick, grid) if take is not None else []
