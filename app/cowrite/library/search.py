"""Finding samples: full-text search over names and tags, narrowed by kind, length and tempo.

Every word of the query must match the start of a word of the sample's name
or tags, so typing "kic" already finds "kicks" and "808 kick" needs both.
Results come best match first (FTS5's bm25 rank), then favourites, then the
most recently used. Missing samples are never offered.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from cowrite.edit import EditError
from cowrite.library.index import SELECT_SAMPLES, SampleRow, sample_at
from cowrite.library.tags import words

KINDS = ("one-shot", "loop")


def search(db: sqlite3.Connection, query: str = "", kind: str | None = None, min_duration: float | None = None,
           max_duration: float | None = None, bpm: float | None = None, bpm_tolerance: float = 2.0,
           favourites: bool = False, limit: int = 50) -> list[SampleRow]:
    """The samples matching every word of `query` (all samples when it has none) and every filter given."""
    if kind is not None and kind not in KINDS:
        raise EditError(f"unknown sample kind {kind!r}; one of {', '.join(KINDS)}")
    terms = _fts_terms(query)
    where, values = ["s.missing = 0"], []
    for condition, value in (("s.kind = ?", kind), ("s.duration >= ?", min_duration),
                             ("s.duration <= ?", max_duration)):
        if value is not None:
            where.append(condition)
            values.append(value)
    if bpm is not None:
        where.append("s.bpm BETWEEN ? AND ?")
        values += [bpm - bpm_tolerance, bpm + bpm_tolerance]
    if favourites:
        where.append("s.favourite = 1")
    order = "s.favourite DESC, s.last_used DESC NULLS LAST, s.name"
    if terms:
        sql = (f"{SELECT_SAMPLES} JOIN samples_fts ON samples_fts.rowid = s.id "
               f"WHERE samples_fts MATCH ? AND {' AND '.join(where)} ORDER BY samples_fts.rank, {order} LIMIT ?")
        values = [terms, *values]
    else:
        sql = f"{SELECT_SAMPLES} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    return [SampleRow.from_row(r) for r in db.execute(sql, (*values, limit))]


def _fts_terms(query: str) -> str:
    """'808 Kick' -> '"808"* "kick"*': each word quoted (FTS syntax stays inert) and matched as a prefix."""
    parts = [w for token in query.split() for w in words(token) or [token.lower()]]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in parts if any(c.isalnum() for c in w))


def set_favourite(db: sqlite3.Connection, path: str | Path, favourite: bool = True) -> SampleRow:
    sample = sample_at(db, path)
    with db:
        db.execute("UPDATE samples SET favourite = ? WHERE id = ?", (int(favourite), sample.id))
    return sample_at(db, path)


def mark_used(db: sqlite3.Connection, path: str | Path, when: float | None = None) -> None:
    """Remember that the person put this sample in a song now: recent samples come first among equals."""
    sample = sample_at(db, path)
    with db:
        db.execute("UPDATE samples SET last_used = ? WHERE id = ?", (time.time() if when is None else when, sample.id))
