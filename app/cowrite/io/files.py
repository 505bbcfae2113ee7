"""Open only regular files, under a size cap, so a hostile path fails in one line instead of hanging.

A named pipe (FIFO) blocks a plain `open` until a writer comes, /dev/zero reads
forever, a folder or a symbolic link that loops raises an error no reader
expected. Every Cowrite reader (song, ledger, MIDI, samples) opens through
`open_regular`: it opens without blocking, looks at what it got (fstat), and
refuses anything but a regular file no bigger than the reader's cap. Paths may
hold bytes that are not UTF-8 (the OS hands them to Python as surrogates);
`os.open` passes them back to the OS unchanged.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from cowrite.io.errors import FileProblem

MiB = 1 << 20
GiB = 1 << 30

_NOT_A_FILE = (
    (stat.S_ISDIR, "is a folder"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISCHR, "is a device"),
    (stat.S_ISBLK, "is a device"),
    (stat.S_ISSOCK, "is a socket"),
)


def size_text(size: int) -> str:
    """A cap in the unit a person would say it in: 64 MiB, 1 GiB."""
    return f"{size // GiB} GiB" if size % GiB == 0 else f"{size // MiB} MiB" if size % MiB == 0 else f"{size} bytes"


def open_regular(path: str | Path, limit: int, kind: str = "file", missing: str = "no such file") -> BinaryIO:
    """`path` opened for reading if it is a regular file of at most `limit` bytes; else FileProblem.

    `kind` names what the caller wanted ("MIDI file", "Cowrite song") in the
    one-line reason, `missing` is the reason when there is no such file. O_NONBLOCK makes opening a FIFO return at once, so the
    fstat can refuse it; on a regular file the flag changes nothing.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise FileProblem(path, missing if e.errno == errno.ENOENT else open_failure(e)) from None
    try:
        info = os.fstat(fd)
        problem = not_regular(info.st_mode, kind)
        if problem is None and info.st_size > limit:
            problem = f"is larger than {size_text(limit)}, the most Cowrite reads for a {kind}"
        if problem is not None:
            raise FileProblem(path, problem)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, kind: str = "file", missing: str = "no such file") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; FileProblem for anything else.

    Reads one byte past the cap, so a file that grows while it is read is refused too.
    """
    with open_regular(path, limit, kind, missing) as f:
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise FileProblem(path, f"cannot be read ({e.strerror or e})") from None
    if len(data) > limit:
        raise FileProblem(path, f"is larger than {size_text(limit)}, the most Cowrite reads for a {kind}")
    return data


def not_regular(mode: int, kind: str = "file") -> str | None:
    """Why a file of this `st_mode` is not one Cowrite reads, or None for a regular file."""
    for test, what in _NOT_A_FILE:
        if test(mode):
            return f"{what}, not a {kind}"
    return None if stat.S_ISREG(mode) else f"is not a regular file, not a {kind}"


def open_failure(error: OSError) -> str:
    """The one-line reason `os.open` failed, in words."""
    if error.errno == errno.ENOENT:
        return "no such file"
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops (it leads back to itself)"
    return f"cannot be read ({error.strerror or error})"
