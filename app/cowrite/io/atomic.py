"""Write a file so that a crash or a failure leaves either the old version or the new one, never half.

Every file Cowrite writes (songs, exports, manifests, credits) goes through a
temp file in the same folder: written, fsynced, given the mode the file had
(a new file the mode the umask gives, not mkstemp's 600), then renamed over
the target. On any failure the temp file is removed and FileProblem raised.

A file-size limit (RLIMIT_FSIZE, `ulimit -f`) normally kills the writer with
SIGXFSZ, before any clean-up can run; importing this module ignores that
signal, so the write fails with EFBIG instead and the clean-up happens.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cowrite.io.errors import FileProblem


def ignore_file_size_signal() -> None:
    """Let a write past RLIMIT_FSIZE raise OSError(EFBIG) rather than kill the process (main thread only)."""
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


ignore_file_size_signal()


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` as the whole of `path` (see `writing_atomically`)."""
    with writing_atomically(path) as f:
        f.write(data)


@contextmanager
def writing_atomically(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content into; it replaces `path` only when the block ends well.

    For writers that stream (a WAV, a MIDI file). An OSError inside the block
    or while committing (disk full, file too large) becomes FileProblem; any
    other exception passes through. Either way the temp file is gone and
    `path` is as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode, existed = _mode_for(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise FileProblem(path, f"cannot write here ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException as e:
        _remove(temp)
        if isinstance(e, OSError):
            kept = "the old version is untouched" if existed else "nothing was written"
            raise FileProblem(path, f"cannot write the file ({e.strerror or e}); {kept}") from None
        raise
    _sync_folder(folder)


def _mode_for(path: Path) -> tuple[int, bool]:
    """(permission bits the written file gets, whether `path` exists): its own mode, else what the umask allows."""
    try:
        return os.stat(path).st_mode & 0o7777, True
    except OSError:
        return 0o666 & ~_umask(), False


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else set and put back."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove(temp: str) -> None:
    try:
        os.unlink(temp)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
