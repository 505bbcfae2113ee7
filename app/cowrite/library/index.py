"""The sample library's database: one SQLite file, library.sqlite, in the user's data folder.

It is an index, not a store: samples stay where the person keeps them and the
database remembers what each file is (level, length, loop tempo, pitch) and
what the person said about it (tags, favourites), so a search over tens of
thousands of files answers without opening one. WAL mode lets the interface
search while a scan writes. The schema version is PRAGMA user_version;
MIGRATIONS[n] upgrades version n to n + 1, so old libraries keep their tags.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cowrite.io.errors import FileProblem
from cowrite.settings import data_dir

#: version n -> n + 1, each run in one transaction together with the new user_version
MIGRATIONS = [
    """
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        builtin INTEGER NOT NULL DEFAULT 0,   -- Cowrite's own kits: found by this flag, as their path moves on upgrade
        tags TEXT NOT NULL DEFAULT '',        -- given to every sample in the folder, e.g. 'built-in'
        missing INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        hash TEXT NOT NULL,                   -- blake2b of the file's bytes: finds a moved file, or an assigned one
        format TEXT NOT NULL,
        sample_rate INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        frames INTEGER NOT NULL,
        duration REAL NOT NULL,
        peak_db REAL NOT NULL,
        loudness_db REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('one-shot', 'loop')),
        bpm REAL,
        root INTEGER,
        auto_tags TEXT NOT NULL DEFAULT '',   -- words of the folder and file names, rewritten by every scan
        user_tags TEXT NOT NULL DEFAULT '',   -- the person's, kept across rescans and moves
        favourite INTEGER NOT NULL DEFAULT 0,
        last_used REAL,
        missing INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX samples_folder ON samples(folder_id);
    CREATE INDEX samples_hash ON samples(hash);
    CREATE TABLE problems (
        path TEXT PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE samples_fts USING fts5(name, tags, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER samples_fts_insert AFTER INSERT ON samples BEGIN
        INSERT INTO samples_fts(rowid, name, tags) VALUES (new.id, new.name, new.auto_tags || ' ' || new.user_tags);
    END;
    CREATE TRIGGER samples_fts_delete AFTER DELETE ON samples BEGIN
        DELETE FROM samples_fts WHERE rowid = old.id;
    END;
    CREATE TRIGGER samples_fts_update AFTER UPDATE OF name, auto_tags, user_tags ON samples BEGIN
        UPDATE samples_fts SET name = new.name, tags = new.auto_tags || ' ' || new.user_tags WHERE rowid = new.id;
    END;
    """,
]

SELECT_SAMPLES = "SELECT s.*, f.path AS folder FROM samples s JOIN folders f ON f.id = s.folder_id"


def library_path() -> Path:
    return data_dir() / "library.sqlite"


def open_library(path: Path | None = None) -> sqlite3.Connection:
    """The library database, created or upgraded as needed. One connection per thread, as sqlite3 wants."""
    path = path or library_path()
    db = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # with WAL: a power cut may lose the last batch; a rescan redoes it
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db, path)
        return db
    except (sqlite3.Error, OSError) as e:
        if db is not None:
            db.close()
        raise FileProblem(path, f"cannot open it as the sample library ({e})") from None
    except FileProblem:
        db.close()
        raise


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise FileProblem(path, f"was written by a newer Cowrite (library version {version}; "
                                f"this one reads up to {len(MIGRATIONS)})")
    for step in range(version, len(MIGRATIONS)):
        db.executescript(f"BEGIN; {MIGRATIONS[step]}; PRAGMA user_version = {step + 1}; COMMIT;")


@dataclass(frozen=True)
class SampleRow:
    """One indexed sample as the interface shows it; `tags` are the name words, folder tags and user tags."""

    id: int
    path: str
    folder: str
    name: str
    size: int
    mtime_ns: int
    hash: str
    format: str
    sample_rate: int
    channels: int
    frames: int
    duration: float
    peak_db: float
    loudness_db: float
    kind: str
    bpm: float | None
    root: int | None
    tags: tuple[str, ...]
    user_tags: tuple[str, ...]
    favourite: bool
    last_used: float | None
    missing: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> SampleRow:
        values = {key: row[key] for key in row.keys() if key in cls.__dataclass_fields__}
        user_tags = tuple(row["user_tags"].split())
        return cls(**{**values, "tags": tuple(dict.fromkeys(row["auto_tags"].split() + list(user_tags))),
                      "user_tags": user_tags, "favourite": bool(row["favourite"]), "missing": bool(row["missing"])})

    def to_json(self) -> dict:
        return {"name": self.name, "path": self.path, "kind": self.kind, "duration": round(self.duration, 3),
                "bpm": self.bpm, "root": self.root, "tags": list(self.tags), "favourite": self.favourite}


def sample_at(db: sqlite3.Connection, path: str | Path) -> SampleRow:
    """The indexed sample at `path`; FileProblem when the library does not hold it."""
    full = str(Path(path).expanduser().resolve())
    row = db.execute(f"{SELECT_SAMPLES} WHERE s.path = ?", (full,)).fetchone()
    if row is None:
        raise FileProblem(path, "is not in the sample library (add its folder with `cowrite library add`)")
    return SampleRow.from_row(row)
