"""One writer per song: an advisory lock on `SONG.cowrite.lock`, beside the song.

Two programs writing one song lose work: each appends to the ledger from its
own idea of where it ends, and the one that opens second takes the other's
unsaved lines for a crash's leftovers and voids them. So whoever opens a song
for writing (the window, a `cowrite` command) first takes an exclusive
`flock` on the lock file and writes into it who holds it. A second writer is
refused with `SongLocked`, naming the holder; reading (info, credits,
history, verify) needs no lock. The kernel drops a flock when its holder
exits, however it exits, so a crash never leaves a song locked; a lock file a
crash left behind is only a name and is taken over by the next writer.

POSIX only, as the rest of Cowrite's file handling (fdatasync, fsync of folders).
"""

from __future__ import annotations

import fcntl
import os
import socket
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import utc_now
from cowrite.io.errors import FileProblem
from cowrite.io.files import not_regular

_HOLDER_BYTES = 4096  # a holder's record is one short JSON line


def _started_as() -> str:
    """This process's program as it was started: `cowrite`, or the package run with `python -m` (pytest)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("python")
    return started.parent.name if started.name == "__main__.py" else started.name


_program = _started_as()


def name_this_program(name: str) -> None:
    """What lock files say this process is, e.g. "cowrite suggest" or "cowrite studio"."""
    global _program
    _program = name


def lock_path(song_path: Path) -> Path:
    return song_path.with_name(song_path.name + ".lock")


@dataclass(frozen=True)
class Holder:
    """Who has a song open for writing, as its lock file records it."""

    person: str
    program: str
    pid: int
    host: str
    since: str  # UTC, ISO 8601

    def describe(self) -> str:
        """'Ana (cowrite studio, pid 4120 on studio-pc) since 2026-05-01T14:03:22.120Z'."""
        where = f"pid {self.pid}" + ("" if self.host == socket.gethostname() else f" on {self.host}")
        return f"{self.person} ({self.program}, {where}) since {self.since}"

    @classmethod
    def from_bytes(cls, data: bytes) -> Holder | None:
        """The holder a lock file names; None while it is being written, or if it holds something else."""
        try:
            fields = orjson.loads(data)
            return cls(str(fields["person"]), str(fields["program"]), int(fields["pid"]), str(fields["host"]),
                       str(fields["since"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None


class SongLocked(FileProblem):
    """Another writer has the song open; `holder` says who (None if its lock file does not say yet)."""

    def __init__(self, song: Path, holder: Holder | None):
        self.holder = holder
        who = holder.describe() if holder else "another program (it has not said who yet)"
        super().__init__(song, f"is open for writing by {who}; nothing was changed "
                               "(close it there first, or open it read-only)")


class SongLock:
    """A held lock on one song; `release` (or the process ending) lets the next writer in."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd = fd

    @classmethod
    def take(cls, song_path: Path, person: Actor) -> SongLock:
        """Lock `song_path` for writing by `person`; SongLocked if another writer holds it.

        The lock file is unlinked on release, so after taking the flock the
        file must still be the one at the path (else the holder just released
        and removed it, and the next writer locks a new one): try again.
        """
        song_path = Path(song_path)
        path = lock_path(song_path)
        while True:
            fd = _open_lock_file(path, song_path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = Holder.from_bytes(os.pread(fd, _HOLDER_BYTES, 0))
                os.close(fd)
                raise SongLocked(song_path, holder) from None
            if _still_at(fd, path):
                break
            os.close(fd)
        holder = Holder(person.label, _program, os.getpid(), socket.gethostname(), utc_now())
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, orjson.dumps(asdict(holder)) + b"\n", 0)
        except OSError:
            pass  # the lock holds without the note; a refused writer is told "another program"
        return cls(path, fd)

    def release(self) -> None:
        """Remove the lock file while still holding it, then let go (idempotent)."""
        if self._fd < 0:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass  # a read-only folder or a removed file: the flock still ends with close
        os.close(self._fd)
        self._fd = -1


def _open_lock_file(path: Path, song_path: Path) -> int:
    """The lock file's descriptor, created if need be; never through a link, never anything but a regular file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
    except OSError as e:
        raise FileProblem(song_path, f"cannot create its lock file {path.name} ({e.strerror or e}); "
                                     "nothing was changed") from None
    problem = not_regular(os.fstat(fd).st_mode, "lock file")
    if problem is not None:
        os.close(fd)
        raise FileProblem(song_path, f"cannot be locked for writing: {path.name} {problem}; nothing was changed")
    return fd


def _still_at(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one named `path` (not unlinked by a releasing holder)."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)
