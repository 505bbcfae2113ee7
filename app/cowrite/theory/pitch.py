"""Pitch names and pitch classes."""

from __future__ import annotations

import re

LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SHARP_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
FLAT_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]
_NAME = re.compile(r"([A-Ga-g])([#b♯♭]?)")


def parse_pitch_class(text: str) -> tuple[int, str, str]:
    """Read a note name at the start of `text`: (pitch class, spelled name, rest of text)."""
    match = _NAME.match(text)
    if not match:
        raise ValueError(f"{text!r} does not start with a note name (A to G)")
    letter, accidental = match.group(1).upper(), match.group(2).replace("♯", "#").replace("♭", "b")
    pc = (LETTERS[letter] + (1 if accidental == "#" else -1 if accidental == "b" else 0)) % 12
    return pc, letter + accidental, text[match.end():]


def note_name(pitch: int, flats: bool = False) -> str:
    """MIDI pitch to a name with octave: 60 -> C4."""
    names = FLAT_NAMES if flats else SHARP_NAMES
    return f"{names[pitch % 12]}{pitch // 12 - 1}"
