"""Auditioning a sample, and what a song stores when a sample goes on a drum pad or into a sampler.

The song keeps the content hash next to the path: when the person reorganises
their folders, a rescan moves the library row, and `find_assigned` follows it
to the same sound instead of losing it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import soundfile

from cowrite.attribution.provenance import sha256_file
from cowrite.io.errors import FileProblem
from cowrite.library.analysis import MAX_SECONDS
from cowrite.library.index import SELECT_SAMPLES, SampleRow
from cowrite.model import SampleRef


def preview(row: SampleRow) -> tuple[np.ndarray, int]:
    """(float32 stereo samples shaped (frames, 2), the file's sample rate): the player resamples as it plays."""
    if not Path(row.path).is_file():
        raise FileProblem(row.path, "is missing (moved or deleted since the library last scanned it)")
    try:
        info = soundfile.info(row.path)
        if info.frames > MAX_SECONDS * info.samplerate:
            raise FileProblem(row.path, f"longer than the {MAX_SECONDS / 60:g}-minute limit")
        audio, rate = soundfile.read(row.path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError) as e:
        raise FileProblem(row.path, f"cannot read it as audio ({e})") from None
    if audio.shape[1] == 1:
        return np.repeat(audio, 2, axis=1), rate
    return np.ascontiguousarray(audio[:, :2]), rate  # beyond stereo, the front pair


def assignment(row: SampleRow) -> dict:
    """What a drum pad or sampler track stores to play this sample: JSON-ready."""
    return {"path": row.path, "hash": row.hash, "name": row.name, "root": row.root, "kind": row.kind,
            "bpm": row.bpm}


def sample_ref(path: str | Path, root: int | None) -> SampleRef:
    """What a song keeps to play the file at `path` (a library row's, or one just analysed): the SHA-256
    of its bytes now, its name as the library names it, and its root key.

    SHA-256 rather than the library's own hash, as the ledger and the export
    manifests name every other file by it.
    """
    path = Path(path).resolve()
    try:
        return SampleRef(str(path), sha256_file(path), path.stem, root)
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None


def find_assigned(db: sqlite3.Connection, stored: dict) -> SampleRow | None:
    """The library's sample for a stored assignment: at its path if the sound is still there, else the
    same sound wherever it moved to; None when the library has no file with that content."""
    row = db.execute(f"{SELECT_SAMPLES} WHERE s.hash = ? AND s.missing = 0 ORDER BY s.path = ? DESC LIMIT 1",
                     (stored["hash"], stored["path"])).fetchone()
    return SampleRow.from_row(row) if row else None
