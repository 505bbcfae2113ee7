"""MIDI input in the window: the keyboard from Preferences, heard as it is played, recorded into the current track.

Thin Qt glue over `cowrite.midi`, which does the work without Qt: the MIDI
thread times each key by the song position heard when it arrived and sends
it to the player's monitor voices (`LiveInput`); this module opens and closes
the keyboard, tells the UI thread about keys (`played`) and problems
(`session.failed`: no MIDI system, no keyboard, a keyboard gone mid-take),
and lands a take as one AddNotes when recording stops: the person's own
notes, one undo step, one ledger event, pulled to the nearest grid line first
when asked.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from cowrite.edit import AddNotes
from cowrite.midi.live import LiveInput, TempoClock
from cowrite.midi.system import Keyboard, MidiUnavailable, list_inputs, open_keyboard
from cowrite.ui.preferences import StudioPrefs, load_prefs

#: how often an open keyboard is looked for (unplugged, its JACK client gone)
PRESENCE_CHECK_MS = 1000


def list_ports(midi_api: str | None = None) -> tuple[list[str], str]:
    """(keyboard port names, "") or ([], one line saying why there are none), scanned now.

    `midi_api` None: the MIDI system saved in Preferences (the environment still overrides it).
    """
    return list_inputs(load_prefs().midi_api if midi_api is None else midi_api)


class Recorder(QObject):
    """The keyboard: monitored whenever it is open and monitoring is on, recorded between `start` and `stop`."""

    played = Signal(int, int, int)  # pitch, velocity (0: released), tick: each key as timed, to the UI thread
    recorded = Signal(int)  # how many notes were added when recording stopped

    def __init__(self, session, prefs: StudioPrefs | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.session, self.prefs, self._clock = session, prefs or load_prefs(), clock
        self.keyboard: Keyboard | None = None
        self.grid: int | None = None
        self._take_only = False  # the keyboard was opened by `start` and closes at `stop`
        self.live = LiveInput(self._song_clock(0), session.player, lambda: self.session.current_track,
                              lambda key, tick: self.played.emit(key.pitch, key.velocity, tick))
        self._can_monitor = self.live.monitor
        self.live.monitor = self._can_monitor and self.prefs.monitor_keyboard
        self._presence = QTimer(self)
        self._presence.setInterval(PRESENCE_CHECK_MS)
        self._presence.timeout.connect(self.check_keyboard)

    @property
    def recording(self) -> bool:
        return self.live.recording

    def _song_clock(self, start_tick: int):
        """The player (its position_at is the tick heard at a moment), or the tempo from `start_tick` without one."""
        player = self.session.player
        return player if player is not None else TempoClock(self.session.song.tempo, start_tick, self._clock())

    # -- the keyboard ----------------------------------------------------------------------------

    def listen(self, port_name: str = "") -> str:
        """Open the keyboard (`port_name`, else the preferred one, else the first) to hear it; "" or why not."""
        ports, problem = list_ports(self.prefs.midi_api)
        port = port_name or (self.prefs.midi_port if self.prefs.midi_port in ports else (ports[0] if ports else ""))
        if not port:
            return problem or "no MIDI keyboard found: connect one and choose it in Preferences"
        return self._open(port, take_only=False)

    def use(self, prefs: StudioPrefs) -> str:
        """New preferences: monitoring on or off, and a keyboard listened to reopened on a new system or port."""
        moved = (prefs.midi_api, prefs.midi_port) != (self.prefs.midi_api, self.prefs.midi_port)
        self.prefs = prefs
        self.live.monitor = self._can_monitor and prefs.monitor_keyboard
        if not self.live.monitor and self._can_monitor:
            self.live.silence()
        if self.keyboard is None or self._take_only or not moved:
            return ""
        self.close()
        return self.listen()

    def _open(self, port: str, take_only: bool) -> str:
        if self.keyboard is not None and self.keyboard.name == port:
            self._take_only = self._take_only and take_only  # listened to now: it stays open after the take
            return ""
        self.close()
        try:
            self.keyboard = open_keyboard(port, self.live.on_message, self.prefs.midi_api, clock=self._clock)
        except MidiUnavailable as e:
            return str(e)
        self._take_only = take_only
        self._presence.start()
        return ""

    def check_keyboard(self) -> None:
        """Say so, once, when the open keyboard has gone away; a take keeps what was played up to then."""
        if self.keyboard is None or self.keyboard.present():
            return
        kept = "; the notes played so far are kept: stop recording to add them" if self.recording else ""
        self.session.failed.emit(f"the MIDI keyboard {self.keyboard.name!r} went away{kept}")
        self.close()

    def close(self) -> None:
        """Stop listening: the monitor releases every key it still holds."""
        self._presence.stop()
        if self.keyboard is not None:
            self.keyboard.close()
            self.keyboard = None
        if self._can_monitor:
            self.live.silence()

    # -- recording -------------------------------------------------------------------------------

    def start(self, start_tick: int, grid: int | None = None, port_name: str | None = None) -> bool:
        """Record from `start_tick` (where the music is now), listening to `port_name` if given; False if it cannot."""
        if port_name:
            problem = self._open(port_name, take_only=self.keyboard is None or self._take_only)
            if problem:
                self.session.failed.emit(problem)
                return False
        self.grid = grid
        self.live.start_take(self._song_clock(start_tick))
        return True

    def stop(self) -> int:
        """Stop recording and add what was played to the current track; the number of notes added."""
        was_recording = self.recording
        notes = self.live.stop_take(self._clock(), self.grid)
        if self._take_only:
            self.close()
        if not was_recording:
            return 0
        track = self.session.current_track
        added = len(notes) if notes and track is not None and self.session.apply(AddNotes(track.id, notes)) else 0
        self.recorded.emit(added)
        return added
