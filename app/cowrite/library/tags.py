"""Tags: the words a sample is found by.

Sample packs name things in every style ("BigKick_808-01.wav", "Loops/Drum
Loops"), so names are split at punctuation, camelCase and letter-digit
boundaries and lowercased: that file is found by "big", "kick" and "808".
The person's own tags are stored apart from these, so a rescan or a move that
renames the words never loses them.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from cowrite.edit import EditError
from cowrite.library.index import sample_at

_TOKEN = re.compile(r"[^\W_]+")
_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=\d)(?=\D)|(?<=\D)(?=\d)")


def words(text: str) -> list[str]:
    """'BigKick_808-01' -> ['big', 'kick', '808']: lowercased, in order, no repeats.

    Single letters and one- or two-digit numbers (take numbers, "01") say nothing and are dropped.
    """
    found = (piece.lower() for token in _TOKEN.findall(text) for piece in _BOUNDARY.split(token))
    return list(dict.fromkeys(w for w in found if len(w) > 1 and not (w.isdigit() and len(w) < 3)))


def path_tags(root: Path, path: Path, folder_tags: str = "") -> str:
    """The folder's own tags as they are ("built-in"), then the words of the root's name, each sub-folder
    and the file name."""
    parts = [root.name, *path.relative_to(root).parent.parts, path.stem]
    return " ".join(dict.fromkeys([*folder_tags.split(), *(w for part in parts for w in words(part))]))


def _user_tags(tags: list[str]) -> list[str]:
    """A user tag is one word as search sees it: 'Dark Pad' becomes 'dark' and 'pad'."""
    found = [w for tag in tags for w in words(tag)]
    if not found:
        raise EditError(f"no usable tag in {' '.join(tags)!r} (tags are words of two or more letters)")
    return found


def add_tags(db: sqlite3.Connection, path: str | Path, tags: list[str]) -> tuple[str, ...]:
    """Add the person's tags to a sample; returns its tags now."""
    sample = sample_at(db, path)
    with db:
        db.execute("UPDATE samples SET user_tags = ? WHERE id = ?",
                   (" ".join(dict.fromkeys([*sample.user_tags, *_user_tags(tags)])), sample.id))
    return sample_at(db, path).tags


def remove_tags(db: sqlite3.Connection, path: str | Path, tags: list[str]) -> tuple[str, ...]:
    """Remove the person's tags from a sample (words from its name stay); returns its tags now."""
    sample = sample_at(db, path)
    gone = set(_user_tags(tags))
    with db:
        db.execute("UPDATE samples SET user_tags = ? WHERE id = ?",
                   (" ".join(t for t in sample.user_tags if t not in gone), sample.id))
    return sample_at(db, path).tags
