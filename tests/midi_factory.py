"""Build raw Standard MIDI File bytes for tests, including deliberately broken ones."""

from __future__ import annotations

import struct

END_OF_TRACK = b"\x00\xff\x2f\x00"


def varlen(value: int) -> bytes:
    """A MIDI variable-length number: 7 bits per byte, high bit set on all but the last."""
    out = [value & 0x7F]
    while value > 0x7F:
        value >>= 7
        out.append(0x80 | (value & 0x7F))
    return bytes(reversed(out))


def event(delta: int, *data: int) -> bytes:
    return varlen(delta) + bytes(data)


def meta(delta: int, kind: int, payload: bytes) -> bytes:
    return varlen(delta) + bytes([0xFF, kind]) + varlen(len(payload)) + payload


def name(text: str) -> bytes:
    return meta(0, 0x03, text.encode())


def tempo(delta: int, mspq: int) -> bytes:
    return meta(delta, 0x51, mspq.to_bytes(3, "big"))


def time_signature(delta: int, numerator: int, denominator: int) -> bytes:
    return meta(delta, 0x58, bytes([numerator, denominator.bit_length() - 1, 24, 8]))


def key_signature(delta: int, sharps: int, minor: int) -> bytes:
    return meta(delta, 0x59, bytes([sharps & 0xFF, minor]))


def note(channel: int, pitch: int, length: int, velocity: int = 100, delta: int = 0) -> bytes:
    """Note-on after `delta` ticks, note-off `length` ticks later."""
    return event(delta, 0x90 | channel, pitch, velocity) + event(length, 0x80 | channel, pitch, 0)


def track(*events: bytes) -> bytes:
    """A track body: the events, then end-of-track."""
    return b"".join(events) + END_OF_TRACK


def header(fmt: int = 1, ntracks: int = 1, division: int = 480, length: int = 6) -> bytes:
    return b"MThd" + struct.pack(">IHHH", length, fmt, ntracks, division)


def chunk(body: bytes, kind: bytes = b"MTrk", length: int | None = None) -> bytes:
    """A chunk; `length` overrides the true length, to make broken files."""
    return kind + struct.pack(">I", len(body) if length is None else length) + body


def smf(*tracks: bytes, fmt: int = 1, division: int = 480, ntracks: int | None = None) -> bytes:
    """A whole file from track bodies; `ntracks` overrides the count the header announces."""
    count = len(tracks) if ntracks is None else ntracks
    return header(fmt, count, division) + b"".join(chunk(body) for body in tracks)
