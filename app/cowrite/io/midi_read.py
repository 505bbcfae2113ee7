"""Read a Standard MIDI File (format 0 or 1) into an ImportedSong.

symusic (C++) parses the events, about 100x faster than mido; Python only checks
the chunk structure, reads a few events per track that symusic does not report
(a track's channel, the conductor track's name), and, when symusic fails,
walks the broken track to say exactly which byte is wrong.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

import numpy as np
import symusic

from cowrite.edit.import_command import ImportedSong, ImportedTrack
from cowrite.io.errors import FileProblem
from cowrite.io.files import MiB, read_regular
from cowrite.model import DRUM_CHANNEL, PPQ, Key, MeterChange, TempoChange, TrackKind
from cowrite.model.timing import check_meter

MIDI_LIMIT = 64 * MiB  # a 60,000-note file is about 0.5 MB

#: Key signature spellings along the circle of fifths; major tonic = [sharps + 8], minor = [sharps + 11].
_FIFTHS = "Fb Cb Gb Db Ab Eb Bb F C G D A E B F# C# G# D# A#".split()


class _Problem(Exception):
    """A one-line reason the file cannot be read; read_midi turns it into FileProblem."""


def read_midi(path: Path) -> ImportedSong:
    """The file's tracks, tempo, meter and key at 960 PPQ; FileProblem for anything unreadable."""
    data = read_regular(path, MIDI_LIMIT, "MIDI file")
    try:
        return _read(data, os.fsencode(path).decode("utf-8", "replace"))  # the ledger holds UTF-8 only
    except _Problem as e:
        raise FileProblem(path, str(e)) from None


def _read(data: bytes, source: str) -> ImportedSong:
    """The import of `data`, or _Problem."""
    fmt, tpq, chunks = _chunks(data)
    header = data[:8] + struct.pack(">HHH", 0, 1, tpq)
    tempos, meters, keys, tracks, warnings = [], [], [], [], []
    title = None
    for number, (base, chunk) in enumerate(chunks, 1):
        # One symusic parse per chunk: symusic splits a chunk into tracks by (channel, program)
        # but does not say which chunk a track came from, nor its channel.
        score = _parse(header + data[base - 8:base + len(chunk)], chunk, base, number)
        tempos += [(t.time, t.mspq) for t in score.tempos]
        meters += [(t.time, t.numerator, t.denominator) for t in score.time_signatures]
        keys += [(k.time, k.key, k.tonality) for k in score.key_signatures]
        noted = [t for t in score.tracks if t.note_num()]
        if not noted and number == 1 and fmt == 1:
            title = _track_name(chunk, base, number)
        for track in noted:
            if track.is_drum:
                channel = DRUM_CHANNEL
            elif len(noted) == 1:  # the chunk holds one channel: its first note says which
                channel = _first_note_channel(chunk, base, number)
            else:
                channel = None  # several channels in one chunk: given a free one below
            tracks.append(ImportedTrack(
                track.name, TrackKind.DRUMS if track.is_drum else TrackKind.INSTRUMENT,
                channel, track.program, _notes(track, tpq)))
    _assign_free_channels(tracks)
    if not tracks:
        warnings.append("the file holds no notes")
    return ImportedSong(
        source=source, sha256=hashlib.sha256(data).hexdigest(),
        tempo=_tempo(sorted(tempos, key=lambda t: t[0]), tpq, warnings),
        meter=_meter(sorted(meters, key=lambda m: m[0]), tpq, warnings),
        tracks=tracks, key=_key(min(keys, default=None, key=lambda k: k[0]), warnings),
        title=title, warnings=warnings)


def _chunks(data: bytes) -> tuple[int, int, list[tuple[int, bytes]]]:
    """Check the header and chunk lengths; (format, ticks per quarter, [(file offset, MTrk data)])."""
    if not data:
        raise _Problem("the file is empty")
    if data[:4] != b"MThd":
        raise _Problem("not a MIDI file (it does not start with MThd)")
    if len(data) < 14:
        raise _Problem(f"truncated: the file ends inside its header, after {len(data)} bytes")
    length, fmt, ntracks, division = struct.unpack_from(">IHHH", data, 4)
    if length != 6:
        raise _Problem(f"the header chunk says it holds {length} bytes; a MIDI header holds 6")
    if fmt == 2:
        raise _Problem("MIDI format 2 (independent patterns) is not supported; only formats 0 and 1")
    if fmt > 2:
        raise _Problem(f"unknown MIDI format {fmt}; only formats 0 and 1 are supported")
    if division & 0x8000:
        raise _Problem("SMPTE timing (frames per second) is not supported; only ticks per quarter note")
    if division == 0:
        raise _Problem("the header gives 0 ticks per quarter note, which is not supported")
    pos, chunks = 14, []
    while len(chunks) < ntracks:
        if pos + 8 > len(data):
            raise _Problem(f"truncated: the header announces {ntracks} tracks "
                           f"but the file holds {len(chunks)}")
        kind, length = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "big")
        if not kind.isalpha():
            raise _Problem(f"no chunk starts at byte offset 0x{pos:X} "
                           "(the chunk before it has a wrong length)")
        name = f"track {len(chunks) + 1}" if kind == b"MTrk" else f"the {kind.decode()} chunk"
        pos += 8
        if length > len(data) - pos:
            raise _Problem(f"truncated: {name} says it holds {length} bytes "
                           f"but only {len(data) - pos} remain")
        if kind == b"MTrk":  # other chunk types are skipped, as the standard asks
            chunks.append((pos, data[pos:pos + length]))
        pos += length
    return fmt, division, chunks


def _parse(smf: bytes, chunk: bytes, base: int, number: int) -> symusic.Score:
    """symusic's parse of a one-track file; on failure, the exact broken byte when we can find it."""
    try:
        return symusic.Score.from_midi(smf)
    except Exception as e:  # symusic raises RuntimeError, ValueError, IndexError...
        for _ in _events(chunk, base, number):  # raises _Problem at the first broken event
            pass
        reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise _Problem(f"track {number} cannot be read ({reason})") from None


def _events(chunk: bytes, base: int, number: int):
    """Yield (status, meta type or None, data bytes) per event; _Problem at the first malformed byte.

    Meta and sysex events cancel running status, as the standard (and symusic) say.
    """
    end = len(chunk)

    def fail(problem: str, at: int):
        raise _Problem(f"track {number} {problem} (byte offset 0x{base + at:X})")

    def varlen(at: int) -> tuple[int, int]:
        value = 0
        for i in range(at, min(at + 4, end)):
            value = (value << 7) | (chunk[i] & 0x7F)
            if chunk[i] < 0x80:
                return value, i + 1
        fail("ends in the middle of an event" if at + 4 > end else "has a number longer than 4 bytes", at)

    pos, running = 0, None
    while pos < end:
        _, pos = varlen(pos)  # delta time
        if pos >= end:
            fail("ends in the middle of an event", pos)
        status, kind = chunk[pos], None
        if status < 0x80:
            if running is None:
                fail("uses running status before any status byte", pos)
            if running == 0:
                fail("uses running status right after a meta or sysex event", pos)
            status = running
        else:
            pos += 1
        if status == 0xFF:
            if pos >= end:
                fail("ends in the middle of an event", pos)
            kind = chunk[pos]
            length, pos = varlen(pos + 1)
            running = 0
        elif status in (0xF0, 0xF7):
            length, pos = varlen(pos)
            running = 0
        elif status > 0xF0:
            fail(f"has an unsupported status byte 0x{status:X}", pos - 1)
        else:
            length = 1 if 0xC0 <= status < 0xE0 else 2
            for at in range(pos, min(pos + length, end)):
                if chunk[at] >= 0x80:
                    fail(f"has the status byte 0x{chunk[at]:X} where a data byte belongs", at)
            running = status
        if pos + length > end:
            fail("ends in the middle of an event", pos)
        yield status, kind, chunk[pos:pos + length]
        pos += length


def _track_name(chunk: bytes, base: int, number: int) -> str | None:
    """The chunk's first track name: a conductor track's name is the song title."""
    for _, kind, body in _events(chunk, base, number):
        if kind == 0x03:
            return body.decode("utf-8", "ignore").strip() or None  # symusic, too, drops non-UTF-8
    return None


def _first_note_channel(chunk: bytes, base: int, number: int) -> int | None:
    """The channel of the first note-on; walks only that far, which is why it is cheap."""
    for status, _, body in _events(chunk, base, number):
        if status & 0xF0 == 0x90 and body[1]:
            return status & 0x0F
    return None


def _assign_free_channels(tracks: list[ImportedTrack]) -> None:
    """Give tracks split from a multi-channel chunk channels no other track uses (cycling if none left)."""
    used = {t.channel for t in tracks}
    free = [c for c in range(16) if c != DRUM_CHANNEL and c not in used] or \
        [c for c in range(16) if c != DRUM_CHANNEL]
    for i, track in enumerate(t for t in tracks if t.channel is None):
        track.channel = free[i % len(free)]


def _scale(ticks, tpq: int):
    """File ticks to 960 PPQ, rounded to the nearest tick; works on ints and numpy arrays."""
    return ticks if tpq == PPQ else (ticks * PPQ + tpq // 2) // tpq


def _notes(track: symusic.Track, tpq: int) -> list[tuple[int, int, int, int]]:
    """(pitch, start, duration, velocity) rows, built in numpy and one zip.

    symusic pairs a note-off with the earliest unfinished note-on of its pitch and
    channel (first in, first out); a note-off at the note-on's own tick is ignored.
    Velocities are already 1..127: a velocity-0 note-on is a note-off, never a note.
    """
    arrays = track.notes.numpy()
    start = arrays["time"].astype(np.int64)
    end = _scale(start + arrays["duration"], tpq)
    start = _scale(start, tpq)
    duration = np.maximum(end - start, 1)  # ends are scaled, not lengths, so legato stays legato
    return list(zip(arrays["pitch"].tolist(), start.tolist(), duration.tolist(),
                    arrays["velocity"].tolist()))


def _tempo(events: list[tuple[int, int]], tpq: int, warnings: list[str]) -> list[TempoChange]:
    changes = {0: TempoChange(0, 120.0)}  # the standard's tempo until the first set_tempo
    for time, mspq in events:
        if mspq == 0:
            raise _Problem(f"tempo 0 at tick {time} (a tempo must be above zero)")
        bpm = round(60e6 / mspq, 3)
        if bpm > 999:
            warnings.append(f"tempo {bpm:g} BPM at tick {time} is above 999 BPM; imported as 999")
            bpm = 999.0
        changes[_scale(time, tpq)] = TempoChange(_scale(time, tpq), bpm)
    return list(changes.values())


def _meter(events: list[tuple[int, int, int]], tpq: int, warnings: list[str]) -> list[MeterChange]:
    """Meter changes, each moved to the next bar line if it is not on one (the model's rule)."""
    changes, bars = [MeterChange(0, 4, 4)], [0]  # the standard's 4/4 until the first time signature
    for time, numerator, denominator in events:
        try:
            check_meter(numerator, denominator)
        except ValueError as e:
            warnings.append(f"ignored the time signature at tick {time}: {e}")
            continue
        last, tick = changes[-1], _scale(time, tpq)
        count = max(0, -(-(tick - last.tick) // last.bar_ticks))
        change = MeterChange(last.tick + count * last.bar_ticks, numerator, denominator)
        if change.tick != tick:
            warnings.append(f"time signature {change} at tick {time} is not on a bar line; "
                            f"moved to the start of bar {bars[-1] + count + 1}")
        if count:
            changes.append(change)
            bars.append(bars[-1] + count)
        else:  # same bar line as the previous change: the later one wins
            changes[-1] = change
    return changes


def _key(event: tuple[int, int, int] | None, warnings: list[str]) -> Key | None:
    """The first key signature, spelled from its sharps (+) or flats (-) count."""
    if event is None:
        return None
    time, sharps, minor = event
    if not (-7 <= sharps <= 7 and minor in (0, 1)):
        warnings.append(f"ignored the key signature at tick {time} ({sharps} sharps, mode {minor})")
        return None
    return Key(_FIFTHS[sharps + 11], "minor") if minor else Key(_FIFTHS[sharps + 8], "major")
