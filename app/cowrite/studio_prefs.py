"""The window's audio preferences, read without Qt, so `cowrite play` plays as the window does.

studio.json (written by the window's Preferences, `cowrite.ui.preferences`)
holds the audio device and buffer size beside what only the window needs.
The command line must not import Qt to read two values, so this reads them
from the same file with the same rule: a bad file or value falls back to the
default and never stops anyone from playing.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from cowrite.settings import config_dir

#: the buffer sizes the window offers (cowrite.ui.preferences.BUFFER_SIZES holds the same)
BUFFER_SIZES = (128, 256, 512, 1024, 2048)
DEFAULT_BUFFER = 256


@dataclass(frozen=True)
class AudioPrefs:
    device: str = ""  # "": the system's default output
    buffer_size: int = DEFAULT_BUFFER


def load_audio_prefs() -> AudioPrefs:
    """The audio device and buffer size the window saved, or the defaults for what is missing or wrong."""
    try:
        data = orjson.loads((config_dir() / "studio.json").read_bytes())
    except (OSError, ValueError):
        return AudioPrefs()
    if not isinstance(data, dict):
        return AudioPrefs()
    device, buffer = data.get("audio_device", ""), data.get("buffer_size", DEFAULT_BUFFER)
    return AudioPrefs(device if isinstance(device, str) else "",
                      buffer if type(buffer) is int and buffer in BUFFER_SIZES else DEFAULT_BUFFER)
