"""A sample a track plays: on a drum pad, or across the keyboard of an instrument track.

The song names the file by its path and by the SHA-256 of its bytes: the path
finds it, the hash says which sound was assigned, so the ledger can name the
ingredient exactly and a file changed or replaced since is told apart from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SampleRef:
    path: str
    sha256: str  # lowercase hex of the file's bytes
    name: str
    root: int | None = None  # the sample's pitch as a MIDI key; None when it has none (drums, noise)

    def __post_init__(self):
        """Checked on creation, so every SampleRef in a song is a valid one."""
        if not (isinstance(self.path, str) and self.path):
            raise ValueError("a sample needs the path of its file")
        if not (isinstance(self.sha256, str) and _SHA256.fullmatch(self.sha256)):
            raise ValueError(f"sample {self.path}: {self.sha256!r} is not a SHA-256 hex digest")
        if not isinstance(self.name, str):
            raise ValueError(f"sample {self.path}: its name must be text")
        if self.root is not None and not (type(self.root) is int and 0 <= self.root <= 127):
            raise ValueError(f"sample {self.path}: root {self.root!r} is not a MIDI key 0..127")

    def to_json(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "name": self.name, "root": self.root}

    @classmethod
    def from_json(cls, data: dict) -> SampleRef:
        return cls(data["path"], data["sha256"], data["name"], data["root"])
