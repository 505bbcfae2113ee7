"""Keys: parse what a musician types ("A minor", "Am", "F#"), and the scale of a key."""

from __future__ import annotations

from cowrite.model import Key
from cowrite.theory.pitch import parse_pitch_class

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)
_MODES = {"": "major", "major": "major", "maj": "major", "m": "minor", "min": "minor", "minor": "minor"}


def parse_key(text: str) -> Key:
    try:
        _, tonic, rest = parse_pitch_class(text.strip())
        mode = _MODES[rest.strip().lower()] if rest.strip() != "M" else "major"
    except (ValueError, KeyError):
        raise ValueError(f"key {text!r} is not a key like \"A minor\", \"Am\" or \"Eb major\"") from None
    return Key(tonic, mode)


def tonic_pitch_class(key: Key) -> int:
    return parse_pitch_class(key.tonic)[0]


def scale_pitch_classes(key: Key) -> frozenset[int]:
    tonic = tonic_pitch_class(key)
    steps = MAJOR_SCALE if key.mode == "major" else MINOR_SCALE
    return frozenset((tonic + s) % 12 for s in steps)
