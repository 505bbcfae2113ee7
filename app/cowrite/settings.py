"""The person's settings: typed, with defaults, versioned, stored as JSON in the user's config folder.

Unknown or broken values fall back to defaults (a bad settings file must never
stop anyone from making music); SETTINGS_MIGRATIONS upgrades old files.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable

import orjson

SETTINGS_VERSION = 1
#: version n -> n+1 steps, added when a setting is renamed or reshaped
SETTINGS_MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


@dataclass
class Settings:
    author: str = ""  # the person's name in credits; empty: not asked yet (the window asks on first start)
    author_color: str = "#3d8bfd"
    theme: str = "dark"


def _user_dir(variable: str, kind: str) -> Path:
    """$variable if set (tests, portable installs), else the OS's `kind` folder (config, data) for Cowrite."""
    override = os.environ.get(variable)
    if override:
        return Path(override)
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")("cowrite", appauthor=False))


def config_dir() -> Path:
    return _user_dir("COWRITE_CONFIG_DIR", "config")


def data_dir() -> Path:
    """Where the sample library and the first-start demo song live."""
    return _user_dir("COWRITE_DATA_DIR", "data")


def cache_dir() -> Path:
    """What Cowrite can always rebuild (the assistants' cards, so the window need not import every plugin)."""
    return _user_dir("COWRITE_CACHE_DIR", "cache")


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> Settings:
    try:
        data = orjson.loads(settings_path().read_bytes())
        version = data.get("version", 1)
        while version < SETTINGS_VERSION:
            data = SETTINGS_MIGRATIONS[version](data)
            version += 1
    except (OSError, ValueError, AttributeError, KeyError):
        return Settings()
    defaults = Settings()
    values = {f.name: data[f.name] for f in fields(Settings)
              if f.name in data and isinstance(data[f.name], type(getattr(defaults, f.name)))}
    return Settings(**values)


def save_settings(settings: Settings) -> None:
    from cowrite.io.atomic import write_atomically

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    write_atomically(settings_path(), orjson.dumps({"version": SETTINGS_VERSION, **asdict(settings)},
                                                   option=orjson.OPT_INDENT_2))


def chosen_name(explicit: str | None = None) -> str:
    """The name the person gave: --author, else $COWRITE_AUTHOR, else the settings; "" when none was given."""
    for candidate in (explicit, os.environ.get("COWRITE_AUTHOR"), load_settings().author):
        if candidate and candidate.strip():
            return candidate.strip()
    return ""


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def full_name() -> str:
    """The account's full name (the GECOS field on Linux and macOS), or "" if it has none worth using.

    Never the bare login: "root" or "jdoe" in someone's credits is worse than asking.
    """
    name = ""
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, OSError):
        name = _windows_display_name()
    return "" if name.lower() in {"", login_name().lower(), "root", "administrator"} else name


def _windows_display_name() -> str:
    try:
        import ctypes

        size = ctypes.c_ulong(0)
        get = ctypes.windll.secur32.GetUserNameExW  # type: ignore[attr-defined]
        get(3, None, ctypes.byref(size))  # 3: NameDisplay
        buffer = ctypes.create_unicode_buffer(size.value)
        return buffer.value if get(3, buffer, ctypes.byref(size)) else ""
    except (AttributeError, OSError):
        return ""


def author_name(explicit: str | None = None) -> str:
    """The name given (see chosen_name), else the account's full name, else the login name.

    The window asks a person without a chosen name on first start; the command
    line cannot ask, so it falls back.
    """
    return chosen_name(explicit) or full_name() or login_name() or "me"
