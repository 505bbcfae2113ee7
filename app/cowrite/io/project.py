"""A song on disk: the project file, its ledger beside it, and the document that edits both.

Order of writes: a change's ledger line is fsynced first, the project file is
saved (atomically) after. A crash in between leaves ledger lines the song never
saw; the next open declares them void with a `cowrite.discarded` event, so the
chain stays whole and honest. A failed save leaves the same state (the song
file untouched, the ledger ahead of it), and the same open repairs it.

One writer at a time: opening or creating for writing takes the song's lock
(`cowrite.io.lock`); reading (`read_song`, `Project.open(..., read_only=True)`)
takes none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import (LEDGER_LIMIT, LEDGER_MISSING, Ledger, LedgerError, LedgerRecord,
                                        check_chain, ledger_path, read_events)
from cowrite.edit import Document
from cowrite.edit.song_commands import meter_json, tempo_json
from cowrite.io import song_json
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.io.files import GiB, open_failure, open_regular, read_regular
from cowrite.io.lock import SongLock
from cowrite.model import Song

SONG_LIMIT = GiB  # a 100,000-note song is 3.4 MB


def read_song(path: Path) -> tuple[Song, LedgerRecord]:
    """The song and its ledger record, for reading only; FileProblem if it cannot be."""
    path = Path(path)
    data = read_regular(path, SONG_LIMIT, "Cowrite song")
    try:
        song, record, _ = song_json.decode(data)
    except ValueError as e:
        raise FileProblem(path, f"cannot be opened: {e}") from None
    return song, record


def _last_line_before(f, end: int) -> bytes:
    """The ledger line that ends at byte `end` (without its newline), read from the back of open file `f`."""
    step = 1 << 16
    while True:
        start = max(0, end - step)
        f.seek(start)
        tail = f.read(end - start)
        cut = tail.rfind(b"\n", 0, len(tail) - 1)
        if cut >= 0 or start == 0:
            return tail[cut + 1:-1]
        step *= 4


def file_name_text(path: Path) -> str:
    """`path`'s name as UTF-8 can hold it: bytes that are not UTF-8 become U+FFFD (for the song and ledger JSON)."""
    return utf8_text(path.name)


def utf8_text(text: str) -> str:
    """`text` with the bytes of a file name that were not UTF-8 (Python's surrogates) as U+FFFD."""
    return os.fsencode(text).decode("utf-8", "replace")


class ReadOnlyLedger(Ledger):
    """The ledger of a song opened read-only: every append is refused, so the Document changes nothing."""

    def __init__(self, path: Path, record: LedgerRecord, song_path: Path):
        super().__init__(path, record)
        self.song_path = song_path

    def append(self, bodies: list[dict]) -> list[dict]:
        if not bodies:
            return []
        raise LedgerError(f"{self.song_path}: is open read-only; the change was not made")


class Project:
    """An open song: `document` is the door for edits, `save` writes the song file.

    Opened for writing, it holds the song's lock (`cowrite.io.lock`) until
    `close`; opened read-only (`read_only` is True) it holds nothing, and its
    document refuses every change.
    """

    def __init__(self, path: Path, document: Document, lock: SongLock | None):
        self.path = Path(path)
        self.document = document
        self.lock = lock

    @property
    def song(self) -> Song:
        return self.document.song

    @property
    def ledger(self) -> Ledger:
        return self.document.ledger

    @property
    def read_only(self) -> bool:
        return self.lock is None

    @classmethod
    def create(cls, path: Path, song: Song, author: Actor) -> Project:
        """A new song file and ledger, locked for writing; refuses to overwrite either.

        If anything fails after the ledger was made, the ledger goes again: a
        failed create leaves nothing behind.
        """
        path = Path(path)
        if file_name_text(path) != path.name:
            raise FileProblem(path, "the name is not valid UTF-8, and Cowrite writes it into the song and its "
                                    "ledger; choose a UTF-8 name (nothing was changed)")
        lock = SongLock.take(path, author)
        try:
            if path.exists():
                raise FileProblem(path, "already exists; choose another name (nothing was changed)")
            lpath = ledger_path(path)
            try:
                ledger = Ledger.create(lpath)
            except LedgerError as e:
                raise FileProblem(lpath, str(e).split(": ", 1)[-1]) from None
            song.title = utf8_text(song.title)  # a title taken from a MIDI file's non-UTF-8 name
            try:
                project = cls(path, Document(song, ledger, author), lock)
                project._record_creation()
                project.save()
            except BaseException:
                ledger.close()
                with contextlib.suppress(OSError):
                    os.unlink(lpath)
                raise
        except BaseException:
            lock.release()
            raise
        return project

    def _record_creation(self) -> None:
        song = self.song
        self.ledger.append([{
            "op": "new_song", "action": V.CREATED, "prov": V.GENERATED, "actor": self.document.author.to_json(),
            "subject": {"song": file_name_text(self.path)}, "before": None,
            "after": {"title": song.title, "tempo": tempo_json(song.tempo), "meter": meter_json(song.meter),
                      "key": str(song.key), "length_bars": song.length_bars},
        }])

    @classmethod
    def open(cls, path: Path, author: Actor, read_only: bool = False) -> Project:
        """Open for editing (locked; SongLocked if another writer has it), or `read_only` (no lock, no changes).

        The ledger must end where the song says it does, or later: lines after
        that were written but never saved (a crash, a failed save); opening for
        writing declares them void.
        """
        path = Path(path)
        try:
            os.stat(path)  # a missing song is named as such, not as a lock file that cannot be made
        except OSError as e:
            raise FileProblem(path, open_failure(e)) from None
        lock = None if read_only else SongLock.take(path, author)
        try:
            song, record = read_song(path)
            lpath = ledger_path(path)
            size = _check_ledger_end(lpath, record)
            ledger = ReadOnlyLedger(lpath, record, path) if read_only else Ledger(lpath, record)
            project = cls(path, Document(song, ledger, author), lock)
            if size > record.bytes and not read_only:
                project._discard_unsaved(record)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return project

    def _discard_unsaved(self, record: LedgerRecord) -> None:
        """Declare void the events written after the last save (the song never got them)."""
        lpath = self.ledger.path
        with open_regular(lpath, LEDGER_LIMIT, "Cowrite ledger", LEDGER_MISSING) as f:
            f.seek(record.bytes)
            tail = f.read()
        verdict = check_chain(tail, first_seq=record.events + 1, prev=record.head)
        if not verdict.intact:
            raise FileProblem(lpath, f"line {verdict.bad_line}: {verdict.reason}; run `cowrite verify`")
        events = read_events(lpath, record.bytes)
        self.ledger.record = LedgerRecord(verdict.events, record.bytes + len(tail), verdict.head)
        self.ledger.append([{
            "op": "discard", "action": V.DISCARDED, "prov": V.INVALIDATED,
            "actor": self.document.author.to_json(),
            "subject": {"events": [events[0]["seq"], events[-1]["seq"]]}, "before": None, "after": None,
        }])
        self.save()

    def save(self) -> None:
        """Write the song file atomically with the ledger's current length and head."""
        if self.read_only:
            raise FileProblem(self.path, "is open read-only; nothing was saved")
        data = song_json.encode(self.song, self.ledger.record, file_name_text(self.ledger.path))
        write_atomically(self.path, data)
        self.document.dirty = False

    def close(self) -> None:
        """Close the ledger and let the next writer in."""
        self.ledger.close()
        if self.lock is not None:
            self.lock.release()


def _check_ledger_end(lpath: Path, record: LedgerRecord) -> int:
    """The ledger's size, after checking it ends with the event the song recorded (or goes on after it)."""
    with open_regular(lpath, LEDGER_LIMIT, "Cowrite ledger", LEDGER_MISSING) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size < record.bytes:
                raise FileProblem(lpath, f"is shorter than the song recorded ({size} < {record.bytes} bytes): "
                                  "lines were cut off; run `cowrite verify`")
            head = _last_line_before(f, record.bytes) if record.bytes else b""
        except OSError as e:
            raise FileProblem(lpath, f"cannot be read ({e.strerror})") from None
    if (hashlib.sha256(head).hexdigest() if record.bytes else record.head) != record.head:
        raise FileProblem(lpath, "does not end with the event the song recorded; run `cowrite verify`")
    return size
