"""Find the key of some notes: the Krumhansl-Schmuckler key-profile correlation.

Pure Python, so an assistant can detect a key without importing music21
(which takes ~0.4 s). Each note counts by its duration: a long note says more
about the key than a passing one. The last note counts once more as long,
because tunes end on their tonic far more often than not, which settles the
usual tie between a minor key and its relative major when a tune never plays
the leading tone.
"""

from __future__ import annotations

from statistics import correlation

from cowrite.model import Key

# Krumhansl & Kessler (1982): how well each scale degree "fits" a major / minor key
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)

# the usual spelling of each tonic (fewest accidentals in the key signature)
MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")


def key_scores(notes) -> list[tuple[float, Key]]:
    """(correlation, key) for all 24 keys, best first. `notes` have .pitch and .duration."""
    notes = list(notes)
    histogram = [0.0] * 12
    for note in notes:
        histogram[note.pitch % 12] += note.duration
    if notes:
        last = max(notes, key=lambda n: n.start + n.duration)
        histogram[last.pitch % 12] += last.duration
    if len(set(histogram)) < 2:
        raise ValueError("finding a key needs notes of at least two pitch classes")
    scores = []
    for tonic in range(12):
        rotated = histogram[tonic:] + histogram[:tonic]
        scores.append((correlation(rotated, MAJOR_PROFILE), Key(MAJOR_TONICS[tonic], "major")))
        scores.append((correlation(rotated, MINOR_PROFILE), Key(MINOR_TONICS[tonic], "minor")))
    return sorted(scores, key=lambda s: -s[0])


def find_key(notes) -> Key:
    """The best-fitting key of `notes` (objects with .pitch, .start and .duration, e.g. ContextNote)."""
    return key_scores(notes)[0][1]
