"""A song on disk: the project file, its ledger beside it, and the document that edits both.

Order of writes: a change's ledger line is fsynced first, the project file is
saved (atomically) after. A crash in between leaves ledger lines the song never
saw; the next open declares them void with a `cowrite.discarded` event, so the
chain stays whole and honest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import Ledger, LedgerError, LedgerRecord, check_chain, ledger_path, read_events
from cowrite.edit import Document
from cowrite.io import song_json
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.model import Song
from cowrite.edit.song_commands import meter_json, tempo_json

_MAX_SONG_BYTES = 1 << 30


def read_song(path: Path) -> tuple[Song, LedgerRecord]:
    """The song and its ledger record, for reading only; FileProblem if it cannot be."""
    path = Path(path)
    try:
        if path.is_dir():
            raise FileProblem(path, "is a folder, not a Cowrite song")
        if path.stat().st_size > _MAX_SONG_BYTES:
            raise FileProblem(path, "is larger than 1 GiB; not a Cowrite song")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(path, "no such file") from None
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    try:
        song, record, _ = song_json.decode(data)
    except ValueError as e:
        raise FileProblem(path, f"cannot be opened: {e}") from None
    return song, record


def _last_line_before(path: Path, end: int) -> bytes:
    """The ledger line that ends at byte `end` (without its newline), read from the back."""
    with open(path, "rb") as f:
        step = 1 << 16
        while True:
            start = max(0, end - step)
            f.seek(start)
            tail = f.read(end - start)
            cut = tail.rfind(b"\n", 0, len(tail) - 1)
            if cut >= 0 or start == 0:
                return tail[cut + 1:-1]
            step *= 4


class Project:
    """An open song: `document` is the door for edits, `save` writes the song file."""

    def __init__(self, path: Path, document: Document):
        self.path = Path(path)
        self.document = document

    @property
    def song(self) -> Song:
        return self.document.song

    @property
    def ledger(self) -> Ledger:
        return self.document.ledger

    @classmethod
    def create(cls, path: Path, song: Song, author: Actor) -> Project:
        """A new song file and ledger; refuses to overwrite either."""
        path = Path(path)
        if path.exists():
            raise FileProblem(path, "already exists; choose another name (nothing was changed)")
        try:
            ledger = Ledger.create(ledger_path(path))
        except LedgerError as e:
            raise FileProblem(ledger_path(path), str(e).split(": ", 1)[-1]) from None
        project = cls(path, Document(song, ledger, author))
        ledger.append([{
            "op": "new_song", "action": V.CREATED, "prov": V.GENERATED, "actor": author.to_json(),
            "subject": {"song": path.name}, "before": None,
            "after": {"title": song.title, "tempo": tempo_json(song.tempo), "meter": meter_json(song.meter),
                      "key": str(song.key), "length_bars": song.length_bars},
        }])
        project.save()
        return project

    @classmethod
    def open(cls, path: Path, author: Actor) -> Project:
        """Open for editing: the ledger must end where the song says it does (or later, after a crash)."""
        path = Path(path)
        song, record = read_song(path)
        lpath = ledger_path(path)
        try:
            size = os.path.getsize(lpath)
            if size < record.bytes:
                raise FileProblem(lpath, f"is shorter than the song recorded ({size} < {record.bytes} bytes): "
                                  "lines were cut off; run `cowrite verify`")
            head = _last_line_before(lpath, record.bytes) if record.bytes else b""
        except FileNotFoundError:
            raise FileProblem(lpath, "the song's attribution ledger is missing") from None
        except OSError as e:
            raise FileProblem(lpath, f"cannot be read ({e.strerror})") from None
        if (hashlib.sha256(head).hexdigest() if record.bytes else record.head) != record.head:
            raise FileProblem(lpath, "does not end with the event the song recorded; run `cowrite verify`")
        project = cls(path, Document(song, Ledger(lpath, record), author))
        if size > record.bytes:
            project._discard_unsaved(record)
        return project

    def _discard_unsaved(self, record: LedgerRecord) -> None:
        """Declare void the events written after the last save (the song never got them)."""
        lpath = self.ledger.path
        with open(lpath, "rb") as f:
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
        data = song_json.encode(self.song, self.ledger.record, self.ledger.path.name)
        write_atomically(self.path, data)
        self.document.dirty = False

    def close(self) -> None:
        self.ledger.close()
