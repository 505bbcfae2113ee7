"""The MIDI system and its keyboards: which API (ALSA, JACK, CoreMIDI, Windows MM), which ports, one open port.

Everything goes through python-rtmidi (its wheels are built with ALSA and
JACK on Linux, CoreMIDI on macOS, Windows MM on Windows). The API comes from,
in order: $COWRITE_MIDI_API (alsa, jack, coremidi, winmm), mido's
$MIDO_BACKEND when it names one (`mido.backends.rtmidi/UNIX_JACK`), the
person's preference, else automatic: the first API that can be reached and
lists a keyboard. Ports are scanned afresh on every call (a client made per
scan), so a keyboard plugged in a moment ago is there. Every failure is a
`MidiUnavailable` whose text is one line for the person, never a traceback.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import Callable, Mapping

AUTOMATIC = ""
#: the APIs by the name a person (or $COWRITE_MIDI_API) uses, with the name shown in Preferences
API_LABELS = {"alsa": "ALSA", "jack": "JACK", "coremidi": "CoreMIDI", "winmm": "Windows MM"}
#: other spellings: mido's ($MIDO_BACKEND's tail) and rtmidi's own get_api_name
_ALIASES = {"linux_alsa": "alsa", "unix_jack": "jack", "macosx_core": "coremidi", "core": "coremidi",
            "windows_mm": "winmm", "mm": "winmm"}
CLIENT_NAME = "Cowrite"

#: called on the MIDI thread with the message's bytes and the monotonic time it arrived
OnMessage = Callable[[list, float], None]


class MidiUnavailable(Exception):
    """No MIDI here, or not the keyboard asked for; the text is one line to show the person."""


@dataclass(frozen=True)
class ApiChoice:
    api: str  # a key of API_LABELS, or AUTOMATIC
    source: str  # where it was chosen: "COWRITE_MIDI_API", "MIDO_BACKEND" or "preference"


def api_name(text: str) -> str | None:
    """The API `text` names in any of its spellings (jack, UNIX_JACK, JACK), AUTOMATIC for "", else None."""
    key = text.strip().lower()
    if not key or key == "auto":
        return AUTOMATIC
    key = _ALIASES.get(key, key)
    return key if key in API_LABELS else None


def chosen_api(preference: str = AUTOMATIC, environ: Mapping[str, str] = os.environ) -> ApiChoice:
    """The API to use: the environment's if it names one, else the preference; a bad name is MidiUnavailable."""
    backend = environ.get("MIDO_BACKEND", "")
    for variable, value in (("COWRITE_MIDI_API", environ.get("COWRITE_MIDI_API", "")),
                            ("MIDO_BACKEND", backend.partition("/")[2] if "rtmidi" in backend else "")):
        if value.strip():
            api = api_name(value)
            if api is None:
                raise MidiUnavailable(f"{variable}={value} names no MIDI system (use one of {', '.join(API_LABELS)})")
            return ApiChoice(api, variable)
    return ApiChoice(api_name(preference) or AUTOMATIC, "preference")


def compiled_apis() -> list[str]:
    """The APIs this machine's python-rtmidi was built with, in rtmidi's order; [] without python-rtmidi."""
    try:
        import rtmidi
    except ImportError:
        return []
    names = (api_name(rtmidi.get_api_name(number)) for number in rtmidi.get_compiled_api())
    return [name for name in names if name]


def list_inputs(preference: str = AUTOMATIC, environ: Mapping[str, str] = os.environ) -> tuple[list[str], str]:
    """(keyboard port names, "") or ([], one line saying why there are none). Scans afresh."""
    try:
        return _scan(chosen_api(preference, environ).api)[1], ""
    except MidiUnavailable as e:
        return [], str(e)


def open_keyboard(port: str, on_message: OnMessage, preference: str = AUTOMATIC,
                  environ: Mapping[str, str] = os.environ, clock: Callable[[], float] = time.monotonic) -> Keyboard:
    """Listen to the keyboard named `port` (as list_inputs gave it); MidiUnavailable if it is not there."""
    api, ports = _scan(chosen_api(preference, environ).api)
    index = _find_port(port, ports)
    if index is None:
        raise MidiUnavailable(f"the MIDI keyboard {port!r} is not connected"
                              + (f" (connected: {', '.join(ports)})" if ports else ""))
    return Keyboard(_client(api), index, ports[index], on_message, clock)


class Keyboard:
    """One open MIDI input port. Each message is timed with `clock()` first thing in rtmidi's callback.

    rtmidi calls back on its own thread (JACK's process thread with JACK), so
    the time is taken before any other work and long before the UI thread
    could see the message. System messages (clock, active sensing, sysex)
    are dropped by rtmidi itself.
    """

    def __init__(self, midi_in, index: int, name: str, on_message: OnMessage, clock: Callable[[], float]):
        self.name, self._midi_in, self._on_message, self._clock = name, midi_in, on_message, clock
        midi_in.ignore_types(sysex=True, timing=True, active_sense=True)
        midi_in.set_callback(self._arrived)
        midi_in.open_port(index, "keyboard in")

    def _arrived(self, event, _data) -> None:
        when = self._clock()
        self._on_message(event[0], when)

    def present(self) -> bool:
        """Whether the port is still there (a keyboard unplugged, a JACK client gone, reads False)."""
        try:
            return _find_port(self.name, self._midi_in.get_ports()) is not None
        except Exception:  # rtmidi raises its own errors when the system itself went away
            return False

    def close(self) -> None:
        self._midi_in.close_port()
        self._midi_in.delete()


def _scan(api: str) -> tuple[str, list[str]]:
    """(the API reached, its input port names); automatic takes the first API that lists a keyboard."""
    candidates = [api] if api else compiled_apis()
    if not candidates:
        raise MidiUnavailable("no MIDI system: python-rtmidi is not installed (pip install python-rtmidi)")
    reached: list[tuple[str, list[str]]] = []
    problems: list[str] = []
    for candidate in candidates:
        try:
            client = _client(candidate)
        except MidiUnavailable as e:
            problems.append(str(e))
            continue
        ports = client.get_ports()
        client.delete()
        if ports:
            return candidate, ports
        reached.append((candidate, ports))
    if reached:
        return reached[0]
    raise MidiUnavailable("; ".join(problems))


def _client(api: str):
    """A new rtmidi input client on `api`; MidiUnavailable when that MIDI system cannot be reached."""
    try:
        import rtmidi
    except ImportError:
        raise MidiUnavailable("no MIDI system: python-rtmidi is not installed (pip install python-rtmidi)") from None
    label = API_LABELS[api]
    if api not in compiled_apis():
        raise MidiUnavailable(f"{label} MIDI is not available: this python-rtmidi was built without it")
    number = next(n for n in rtmidi.get_compiled_api() if api_name(rtmidi.get_api_name(n)) == api)
    try:
        return rtmidi.MidiIn(number, CLIENT_NAME)
    except rtmidi.RtMidiError as e:
        reason = str(e).split(": ", 1)[-1].strip() or type(e).__name__
        raise MidiUnavailable(f"{label} MIDI cannot be reached: {reason}") from None


#: ALSA adds the client:port numbers, which change when a keyboard is plugged in again
_ALSA_NUMBERS = re.compile(r"\s+\d+:\d+$")


def _find_port(name: str, ports: list[str]) -> int | None:
    """The index of `name` in `ports`, the same port under new ALSA numbers counting as the same."""
    if name in ports:
        return ports.index(name)
    bare = [_ALSA_NUMBERS.sub("", port) for port in ports]
    stem = _ALSA_NUMBERS.sub("", name)
    return bare.index(stem) if stem in bare else None
