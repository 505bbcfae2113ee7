"""Project format versions and the ordered steps that bring old files up to date.

MIGRATIONS[n] turns a version-n document into version n+1. A file newer than
FORMAT_VERSION is refused (never guessed at), so an old Cowrite cannot lose what
a newer one wrote.
"""

from __future__ import annotations

from typing import Callable


def add_samples(doc: dict) -> dict:
    """Version 2 lets tracks play samples: every older track has no pads and no keyboard sample."""
    for track in doc["tracks"]:
        track.update(pads={}, sample=None)
    doc["format_version"] = 2
    return doc


#: Each format change adds its step here and raises FORMAT_VERSION, and old files keep opening.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: add_samples}
FORMAT_VERSION = 2


def migrate(doc: dict) -> dict:
    """Bring `doc` to FORMAT_VERSION; ValueError for versions this Cowrite cannot read."""
    version = doc.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"its format version {version!r} is not a version number")
    if version > FORMAT_VERSION:
        raise ValueError(f"it was written by a newer Cowrite (format version {version}; "
                         f"this one reads up to {FORMAT_VERSION}); update Cowrite to open it")
    while version < FORMAT_VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["format_version"]
    return doc
