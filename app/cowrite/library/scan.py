"""Adding folders to the library and keeping the index in step with the disk.

A rescan is cheap when little changed: a file whose size and modification
time match the index is not opened, and a changed file whose bytes hash the
same (touched, copied back) is not decoded again. A file that vanished is
marked missing, not deleted, so its tags and favourite survive: when a file
with the same content hash turns up at a new path, that row moves there. A
folder that vanished (an unplugged drive) is reported and its samples marked
missing until it comes back. Unreadable files are recorded in `problems` with
the reason and not retried until they change.

`scan` suits a worker thread: it reports progress per file, stops between
files when `cancel` is set (keeping what it finished), and writes from the
calling thread only, in batched transactions. A few threads read and analyse
files ahead of it (benchmarks/library.py compares one with several).
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from cowrite.assets import asset_path
from cowrite.io.errors import FileProblem
from cowrite.io.files import not_regular, open_failure, open_regular
from cowrite.library.analysis import SAMPLE_LIMIT
from cowrite.library.analysis import analyse as analyse_file
from cowrite.library.tags import path_tags

AUDIO_SUFFIXES = frozenset({".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".mp3"})
BATCH = 200  # files a transaction: a crash loses at most this much work, and commits stay rare
BUILTIN_TAG = "built-in"
WORKERS = min(4, os.cpu_count() or 1)


@dataclass
class ScanReport:
    """What a scan did, for a status line and a list of files to look at."""

    added: int = 0
    updated: int = 0  # changed in place and analysed again
    moved: int = 0  # found at a new path by content hash, tags and favourite kept
    unchanged: int = 0
    missing: int = 0  # samples noticed gone in this scan
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason), old and new
    missing_folders: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class _Job:
    folder_id: int
    path: str
    size: int
    mtime_ns: int
    tags: str
    row_id: int | None  # the sample already at this path
    old_hash: str | None


def add_folder(db: sqlite3.Connection, folder: str | Path) -> Path:
    """Remember `folder` (recursively) as a library root and return it; scan it afterwards.

    A folder inside a root already added returns that root; a folder holding roots
    already added takes their samples over (the built-in kits stay their own root),
    so no file is ever indexed twice.
    """
    root = _resolved(folder)
    if not _utf8(str(root)):
        raise FileProblem(folder, "its name is not valid UTF-8, which the library cannot index; rename it")
    if not root.exists():
        raise FileProblem(folder, "no such folder")
    if not root.is_dir():
        raise FileProblem(folder, "is not a folder")
    roots = {Path(r["path"]): (r["id"], r["builtin"]) for r in db.execute("SELECT id, path, builtin FROM folders")}
    for known in roots:
        if root == known or known in root.parents:
            return known
    inside = [i for known, (i, builtin) in roots.items() if root in known.parents and not builtin]
    with db:
        new = db.execute("INSERT INTO folders(path) VALUES (?)", (str(root),)).lastrowid
        for table in ("samples", "problems"):
            db.executemany(f"UPDATE {table} SET folder_id = ? WHERE folder_id = ?", [(new, i) for i in inside])
        db.executemany("DELETE FROM folders WHERE id = ?", [(i,) for i in inside])
    return root


def _resolved(folder: str | Path) -> Path:
    """`folder` as an absolute path without links; FileProblem for a link that loops."""
    try:
        return Path(folder).expanduser().resolve()
    except (RuntimeError, OSError):  # Python 3.11 says RuntimeError("Symlink loop"), 3.13 OSError(ELOOP)
        raise FileProblem(folder, "is a symbolic link that loops (it leads back to itself)") from None


def ensure_builtin(db: sqlite3.Connection, **scan_options) -> ScanReport:
    """Index the kits Cowrite ships (assets/kits), tagged "built-in".

    The folder is known by its flag, not its path, so when an upgrade installs
    the kits elsewhere its samples move, keeping tags and favourites.
    """
    kits = asset_path("kits").resolve()
    with db:
        db.execute("UPDATE folders SET path = ? WHERE builtin = 1 AND path != ?", (str(kits), str(kits)))
        db.execute("INSERT INTO folders(path, builtin, tags) VALUES (?, 1, ?) "
                   "ON CONFLICT(path) DO UPDATE SET builtin = 1, tags = excluded.tags", (str(kits), BUILTIN_TAG))
    return scan(db, [kits], **scan_options)


def scan(db: sqlite3.Connection, folders: list[str | Path] | None = None, *,
         progress: Callable[[int, int, str], None] | None = None, cancel: threading.Event | None = None,
         analyse: Callable = analyse_file, workers: int = WORKERS) -> ScanReport:
    """Bring the index of `folders` (default: every root) in step with the disk.

    `progress(done, total, path)` follows each new or changed file; `analyse`
    is analysis.analyse unless a caller wants other limits (or to count calls).
    """
    report = ScanReport()
    roots = db.execute("SELECT id, path, tags FROM folders ORDER BY path").fetchall()
    if folders is not None:
        wanted = {str(_resolved(f)) for f in folders}
        roots = [r for r in roots if r["path"] in wanted]
    jobs = [job for root in roots for job in _survey(db, root, report)]
    examined = _examined(jobs, analyse, workers)
    try:
        for done, (job, digest, result) in enumerate(examined, 1):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            _store(db, job, digest, result, report)
            if done % BATCH == 0:
                db.commit()
            if progress is not None:
                progress(done, len(jobs), job.path)
    finally:
        examined.close()
        db.commit()
    return report


def _examined(jobs: list[_Job], analyse: Callable, workers: int):
    """(job, content hash, result) for each job, in order, from `workers` threads a few files ahead.

    Decoding, hashing and numpy's FFTs release the GIL, so threads keep the
    cores busy without the start-up and pickling of processes.
    """
    with ThreadPoolExecutor(workers) as pool:
        ahead = deque()
        for job in jobs:
            ahead.append((job, pool.submit(_examine, job, analyse)))
            if len(ahead) > 2 * workers:
                job, future = ahead.popleft()
                yield job, *future.result()
        for job, future in ahead:
            yield job, *future.result()


def _survey(db: sqlite3.Connection, root: sqlite3.Row, report: ScanReport) -> list[_Job]:
    """Compare one root's files with the index: settle the unchanged and the gone, return the rest.

    Rows under the root that another root holds (the built-in kits inside an added
    folder, say) are taken over when found here; only the root's own rows can go missing.
    """
    base = Path(root["path"])
    if not base.is_dir():
        report.missing_folders.append(root["path"])
        with db:
            db.execute("UPDATE folders SET missing = 1 WHERE id = ?", (root["id"],))
            report.missing += db.execute("UPDATE samples SET missing = 1 WHERE folder_id = ? AND missing = 0",
                                         (root["id"],)).rowcount
        return []
    nested = {r["path"] for r in db.execute("SELECT path FROM folders WHERE id != ?", (root["id"],))}
    found = _audio_files(base, nested, report)
    under = (root["id"], str(base) + os.sep, str(base) + chr(ord(os.sep) + 1))
    known = {r["path"]: r for r in db.execute(
        "SELECT id, path, folder_id, size, mtime_ns, hash, auto_tags, missing FROM samples "
        "WHERE folder_id = ? OR (path >= ? AND path < ?)", under)}
    broken = {r["path"]: r for r in db.execute(
        "SELECT * FROM problems WHERE folder_id = ? OR (path >= ? AND path < ?)", under)}
    jobs = []
    with db:
        db.execute("UPDATE folders SET missing = 0 WHERE id = ?", (root["id"],))
        for path, (size, mtime_ns) in sorted(found.items()):
            tags = path_tags(base, Path(path), root["tags"])
            row, problem = known.get(path), broken.get(path)
            if row is not None and (row["size"], row["mtime_ns"]) == (size, mtime_ns):
                report.unchanged += 1
                if (row["missing"], row["auto_tags"], row["folder_id"]) != (0, tags, root["id"]):
                    db.execute("UPDATE samples SET missing = 0, auto_tags = ?, folder_id = ? WHERE id = ?",
                               (tags, root["id"], row["id"]))
            elif problem is not None and (problem["size"], problem["mtime_ns"]) == (size, mtime_ns):
                report.problems.append((path, problem["reason"]))
            else:
                jobs.append(_Job(root["id"], path, size, mtime_ns, tags,
                                 row["id"] if row else None, row["hash"] if row else None))
        gone = [(row["id"],) for path, row in known.items()
                if path not in found and row["folder_id"] == root["id"] and not row["missing"]]
        db.executemany("UPDATE samples SET missing = 1 WHERE id = ?", gone)
        report.missing += len(gone)
        db.executemany("DELETE FROM problems WHERE path = ?",
                       [(p,) for p, r in broken.items() if p not in found and r["folder_id"] == root["id"]])
    return jobs


def _audio_files(base: Path, skip: set[str], report: ScanReport) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime_ns) of the audio files under `base`, but not under the `skip` folders.

    Hidden files (macOS's ._ twins) and links to folders (which can loop) are not followed.
    An audio name that is no regular file (a link that loops or leads nowhere, a
    FIFO, a device) or that is not UTF-8 (the index holds text) goes into the
    report's problems with the reason, and the listing goes on.
    """
    found, folders = {}, [str(base)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if entry.path not in skip:
                            folders.append(entry.path)
                    elif os.path.splitext(entry.name)[1].lower() in AUDIO_SUFFIXES:
                        _take_audio_file(entry, found, report)
        except OSError as e:
            report.problems.append((e.filename or str(base), f"cannot list it ({e.strerror})"))
    return found


def _take_audio_file(entry: os.DirEntry, found: dict[str, tuple[int, int]], report: ScanReport) -> None:
    """Add `entry` to `found` if it is a regular file the index can name; else report why not."""
    try:
        stat = entry.stat()  # follows a link to a file
    except OSError as e:
        missing = e.errno == errno.ENOENT
        report.problems.append((entry.path, "is a symbolic link to a file that is not there" if missing
                                else open_failure(e)))
        return
    problem = not_regular(stat.st_mode, "sample")
    if problem is None and not _utf8(entry.path):
        problem = "its name is not valid UTF-8, which the library cannot index; rename it"
    if problem is not None:
        report.problems.append((entry.path, problem))
        return
    found[entry.path] = (stat.st_size, stat.st_mtime_ns)


def _utf8(path: str) -> bool:
    """Whether `path` holds only UTF-8 (Python keeps other bytes of file names as surrogates, which SQLite refuses)."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _content_hash():
    return hashlib.blake2b(digest_size=20)  # 160 bits: no two files of a collection collide


def _examine(job: _Job, analyse: Callable) -> tuple[str | None, object]:
    """(content hash, Analysis, None when the bytes did not change, or the FileProblem that stopped it)."""
    try:
        with open_regular(job.path, SAMPLE_LIMIT, "sample") as f:
            digest = hashlib.file_digest(f, _content_hash).hexdigest()
    except FileProblem as e:
        return None, e
    except OSError as e:
        return None, FileProblem(job.path, f"cannot read it ({e.strerror})")
    if digest == job.old_hash:
        return digest, None
    try:
        return digest, analyse(job.path, list(reversed(job.tags.split())))
    except FileProblem as e:
        return digest, e
    except Exception as e:  # a file no rule foresaw must not stop the other 50,000 from being indexed
        return digest, FileProblem(job.path, f"could not analyse it ({type(e).__name__}: {e})")


def _store(db: sqlite3.Connection, job: _Job, digest: str | None, result, report: ScanReport) -> None:
    if isinstance(result, FileProblem):
        db.execute("INSERT OR REPLACE INTO problems(path, folder_id, size, mtime_ns, reason) VALUES (?, ?, ?, ?, ?)",
                   (job.path, job.folder_id, job.size, job.mtime_ns, result.problem))
        if job.row_id is not None:
            db.execute("UPDATE samples SET missing = 1 WHERE id = ?", (job.row_id,))
        report.problems.append((job.path, result.problem))
        return
    db.execute("DELETE FROM problems WHERE path = ?", (job.path,))
    values = {"path": job.path, "folder_id": job.folder_id, "name": Path(job.path).stem, "size": job.size,
              "mtime_ns": job.mtime_ns, "hash": digest, "auto_tags": job.tags, "missing": 0,
              **(asdict(result) if result is not None else {})}
    target = job.row_id
    if target is None:
        moved = db.execute("SELECT id FROM samples WHERE hash = ? AND missing = 1 ORDER BY id LIMIT 1",
                           (digest,)).fetchone()
        target = moved["id"] if moved else None
    if target is None:
        db.execute(f"INSERT INTO samples({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                   tuple(values.values()))
        report.added += 1
        return
    db.execute(f"UPDATE samples SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?", (*values.values(), target))
    if job.row_id is None:
        report.moved += 1
    elif result is None:
        report.unchanged += 1
    else:
        report.updated += 1
