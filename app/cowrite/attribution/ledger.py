"""The attribution ledger: an append-only, hash-chained JSON Lines file beside the song.

Each line is one event in a canonical form: UTF-8 JSON without whitespace, the
members ``seq`` and ``prev`` first, the others in sorted order, and ``hash``
last. ``prev`` is the SHA-256 of the previous line's bytes (64 zeros for the
first), ``hash`` the SHA-256 of the line's bytes before ``,"hash":``. The fixed
layout lets `verify` check a million lines without parsing JSON.

The song file records the ledger's length, byte size and head hash, so lines cut
off the end are noticed too. Anyone can rewrite the whole chain and the song's
record together: the ledger is tamper-evident, not signed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import orjson

from cowrite.io.files import GiB, open_regular, read_regular

GENESIS = "0" * 64
SCHEMA = 1
_SEQ = b'{"seq":'
_PREV = b'"prev":"'
_HASH = b',"hash":"'
_TAIL = len(_HASH) + 64 + 2  # ,"hash":"<64 hex>"}
LEDGER_LIMIT = 2 * GiB  # about 5 million events (a million take 417 MB); readers refuse more
LEDGER_MISSING = "the song's attribution ledger is missing"


class LedgerError(Exception):
    """The ledger cannot be written or read; the change it was for did not happen."""


@dataclass(frozen=True)
class LedgerRecord:
    """What the song file remembers of its ledger."""

    events: int = 0
    bytes: int = 0
    head: str = GENESIS

    def to_json(self) -> dict:
        return {"events": self.events, "bytes": self.bytes, "head": self.head}

    @classmethod
    def from_json(cls, data: dict) -> LedgerRecord:
        return cls(int(data["events"]), int(data["bytes"]), str(data["head"]))


def ledger_path(song_path: Path) -> Path:
    return song_path.with_name(song_path.name + ".attribution.jsonl")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def encode_event(seq: int, prev: str, body: dict) -> tuple[bytes, str]:
    """The canonical line for `body` (without newline), and the line's SHA-256 for the next `prev`."""
    rest = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    prefix = b'{"seq":%d,"prev":"%s",%s' % (seq, prev.encode(), rest[1:-1])
    digest = hashlib.sha256(prefix)
    tail = b',"hash":"%s"}' % digest.hexdigest().encode()
    digest.update(tail)
    return prefix + tail, digest.hexdigest()


def decode_event(line: bytes) -> dict:
    return orjson.loads(line)


class Ledger:
    """The open ledger of one song; `append` is the only way lines get in."""

    def __init__(self, path: Path, record: LedgerRecord):
        self.path = path
        self.record = record
        self._file = None

    @classmethod
    def create(cls, path: Path) -> Ledger:
        """A new, empty ledger; refuses to clobber an existing one."""
        try:
            with open(path, "xb") as f:
                os.fsync(f.fileno())
        except FileExistsError:
            raise LedgerError(f"{path}: a ledger already exists here; refusing to overwrite it") from None
        except OSError as e:
            raise LedgerError(f"{path}: cannot create the ledger ({e.strerror})") from None
        return cls(path, LedgerRecord())

    def append(self, bodies: list[dict]) -> list[dict]:
        """Write events as one group commit (one write, one fsync); return them as written.

        On any failure the file is cut back to where it was and LedgerError is
        raised, so a ledger never holds half an event.
        """
        if not bodies:
            return []
        record = self.record
        lines, events = [], []
        seq, prev, time = record.events, record.head, utc_now()
        for body in bodies:
            seq += 1
            body = {"v": SCHEMA, "time": time, **body}
            line, prev = encode_event(seq, prev, body)
            lines.append(line)
            events.append({"seq": seq, **body})
        data = b"\n".join(lines) + b"\n"
        try:
            f = self._open()
            f.write(data)
            f.flush()
            os.fdatasync(f.fileno())
        except OSError as e:
            self._roll_back(record.bytes)
            raise LedgerError(f"{self.path}: cannot write the attribution ledger ({e.strerror or e}); "
                              "the change was not made") from None
        self.record = LedgerRecord(seq, record.bytes + len(data), prev)
        return events

    def _open(self):
        if self._file is None:
            self._file = open(self.path, "ab")
            if self._file.tell() != self.record.bytes:
                size = self._file.tell()
                self.close()
                raise OSError(f"the file is {size} bytes, expected {self.record.bytes}; "
                              "another program changed it")
        return self._file

    def _roll_back(self, size: int) -> None:
        self.close()
        try:
            os.truncate(self.path, size)
        except OSError:
            pass  # nothing more we can do; verify will report the damage

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                pass
            self._file = None


@dataclass
class Verdict:
    """The outcome of checking a ledger line by line."""

    events: int  # how many lines checked out
    head: str  # hash of the last good line
    bytes: int  # size of the good part
    bad_line: int = 0  # first bad line, 1-based; 0 when intact
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.bad_line == 0


def check_chain(data: bytes, first_seq: int = 1, prev: str = GENESIS) -> Verdict:
    """Check every line's sequence number, link to the previous line and own hash.

    `first_seq` and `prev` let a caller check a tail of the ledger on its own.
    Line numbers in the verdict are sequence numbers. The loop is the hot path
    of `cowrite verify` (a million lines): one prefix test and one SHA-256 pass
    a line; only a failing line is examined further to say what is wrong.
    """
    sha = hashlib.sha256
    prev_hex = prev.encode()
    lines = data.split(b"\n")
    last = lines.pop()  # b"" when the file ends with a newline
    for index, line in enumerate(lines):
        number = first_seq + index
        cut = len(line) - _TAIL
        if not line.startswith(b'{"seq":%d,"prev":"%s",' % (number, prev_hex)) or line[cut:cut + 9] != _HASH:
            return _failed(lines, index, number, prev_hex, _diagnose(line, number, prev_hex))
        digest = sha(line[:cut])
        if digest.hexdigest().encode() != line[cut + 9:-2]:
            return _failed(lines, index, number, prev_hex, "its content does not match its hash (the line was edited)")
        digest.update(line[cut:])
        prev_hex = digest.hexdigest().encode()
    count = first_seq - 1 + len(lines)
    good_bytes = len(data) - len(last)
    if last:
        return Verdict(count, prev_hex.decode(), good_bytes, count + 1,
                       "the last line is incomplete (the file was cut in the middle of an event)")
    return Verdict(count, prev_hex.decode(), good_bytes)


def _failed(lines: list[bytes], index: int, number: int, prev: bytes, problem: str) -> Verdict:
    good_bytes = sum(map(len, lines[:index])) + index
    return Verdict(number - 1, prev.decode(), good_bytes, number, problem)


def _diagnose(line: bytes, number: int, prev: bytes) -> str:
    """Why a line failed the fast check."""
    if not line.startswith(_SEQ):
        return "it is not a ledger event" if line else "it is empty"
    comma = line.find(b",", 7)
    seq = line[7:comma]
    if seq != b"%d" % number:
        return (f"its sequence number is {seq.decode(errors='replace')}, expected {number} "
                "(a line was removed, inserted or moved)")
    if line[comma + 1:comma + 9] != _PREV or line[comma + 9 + 64:comma + 9 + 66] != b'",':
        return "it has no link to the previous line"
    if line[comma + 9:comma + 9 + 64] != prev:
        return ("its link to the previous line does not match "
                "(the line before it was changed, or lines were reordered)")
    return "it has no hash of its own"


def read_events(path: Path, start: int = 0) -> list[dict]:
    """Parse the events from byte offset `start` (used after a chain check).

    FileProblem (cowrite.io.errors) when the ledger is not a regular file under LEDGER_LIMIT.
    """
    with open_regular(path, LEDGER_LIMIT, "Cowrite ledger", LEDGER_MISSING) as f:
        f.seek(start)
        return [decode_event(line) for line in f.read().splitlines() if line]


@dataclass
class LedgerCheck:
    """`verify`'s answer: is the ledger intact and does it match what the song recorded?"""

    intact: bool
    message: str
    events: int  # events in the good part of the chain
    unsaved: int = 0  # events written after the song was last saved (a crash)
    bad_line: int = 0


def verify_ledger(path: Path, record: LedgerRecord) -> LedgerCheck:
    """Check the whole chain, then that the song's record of its length and head holds.

    Raises FileProblem (cowrite.io.errors) when the file cannot be read, or is
    not a regular file under LEDGER_LIMIT.
    """
    data = read_regular(path, LEDGER_LIMIT, "Cowrite ledger", LEDGER_MISSING)
    verdict = check_chain(data)
    if not verdict.intact:
        return LedgerCheck(False, f"line {verdict.bad_line}: {verdict.reason}", verdict.events,
                           bad_line=verdict.bad_line)
    if verdict.events < record.events:
        return LedgerCheck(False, f"the ledger has {verdict.events} events but the song recorded "
                           f"{record.events}: lines were cut off the end", verdict.events,
                           bad_line=verdict.events + 1)
    end = record.bytes
    head_line = data[data.rfind(b"\n", 0, end - 1) + 1:end - 1] if end else b""
    head = hashlib.sha256(head_line).hexdigest() if end else GENESIS
    if (end and data[end - 1:end] != b"\n") or head != record.head or data.count(b"\n", 0, end) != record.events:
        return LedgerCheck(False, f"line {record.events or 1}: it is not the event the song recorded as "
                           "the last one (the ledger was rewritten)", verdict.events,
                           bad_line=record.events or 1)
    unsaved = verdict.events - record.events
    message = f"intact: {verdict.events} events, head {verdict.head[:16]}"
    if unsaved:
        message += f"; the last {unsaved} were written after the song was last saved (never saved)"
    return LedgerCheck(True, message, verdict.events, unsaved)
