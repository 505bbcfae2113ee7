"""What the bass plays on each onset: a role, then a pitch in the register, then length and loudness.

Pitches come in two passes. Anchors (roots, fifths, octaves, chord tones) are
placed first, each near the one before, so the line stays in one place of the
register; then the notes that lead somewhere (passing tones, approach notes,
ghosts) are filled in between, because they depend on where the line goes next.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from random import Random

from cowrite.assistants.api import Chord, ProposedNote
from cowrite.theory.chords import INTERVALS, chord_tones
from cowrite_bass.rhythm import SIXTEENTH, Bar, position
from cowrite_bass.styles import Style

ANCHORS = ("root", "fifth", "octave", "pop", "chord")
GAP = 20  # ticks of silence before the next note: one voice, cleanly articulated
VELOCITY = {"down": 100, "strong": 94, "beat": 88, "and": 82, "16th": 76}
ROLE_VELOCITY = {"ghost": 34, "pop": 112, "approach": 84}


@dataclass
class Hit:
    tick: int
    bar: Bar
    chord: int  # index of the chord it sounds under
    role: str = ""
    pitch: int = 0


def hits(ticks: list[int], bars: list[Bar], chords: list[Chord]) -> list[Hit]:
    """Each onset with the bar and the chord it falls in."""
    bar_starts = [b.start for b in bars]
    chord_starts = [c.start for c in chords]
    return [Hit(t, bars[bisect_right(bar_starts, t) - 1], bisect_right(chord_starts, t) - 1) for t in ticks]


def assign_roles(line: list[Hit], style: Style, chords: list[Chord], approach: bool, rng: Random) -> None:
    """The first note under each chord is its root; approach notes lead into changes; the style picks the rest."""
    for i, hit in enumerate(line):
        pos = position(hit.bar, hit.tick)
        first = i == 0 or line[i - 1].chord != hit.chord
        last = i + 1 < len(line) and line[i + 1].chord != hit.chord
        if first:
            hit.role = "root"
        elif (approach and last and pos not in ("down", "strong")
              and chords[hit.chord].end - hit.tick <= style.approach_window):
            hit.role = "approach"
        else:
            roles = style.roles[pos]
            hit.role = rng.choices(list(roles), list(roles.values()))[0]


def assign_pitches(line: list[Hit], chords: list[Chord], scale: frozenset[int], low: int, high: int,
                   rng: Random) -> None:
    """Anchors near the previous root, in low..high; then passing, approach and ghost notes between them."""
    roots: dict[int, int] = {}
    previous = last_root = None
    for hit in line:
        if hit.role not in ANCHORS:
            continue
        chord = chords[hit.chord]
        if hit.chord not in roots:  # the first note under a chord is always its root
            bass = chord.root if chord.bass is None else chord.bass
            roots[hit.chord] = last_root = _nearest(bass, last_root, low, high - 12, rng)
        root = roots[hit.chord]
        if hit.role == "root":
            hit.pitch = root
        elif hit.role == "fifth":
            fifth = next((i for i in INTERVALS[chord.quality] if i in (7, 6, 8)), 7)
            hit.pitch = root + (chord.root + fifth - root) % 12
        elif hit.role in ("octave", "pop"):
            hit.pitch = root + 12
        else:
            tones = set(chord_tones(chord))
            options = sorted((p for p in range(low, high + 1) if p % 12 in tones and p != previous),
                             key=lambda p: abs(p - (previous or root)))
            hit.pitch = rng.choice(options[:3])
        previous = hit.pitch
    for i, hit in enumerate(line):
        if hit.role in ANCHORS:
            continue
        before = line[i - 1].pitch if i else None
        after = next((h.pitch for h in line[i + 1:] if h.role in ANCHORS), roots.get(hit.chord, low))
        if hit.role == "ghost":
            hit.pitch = before or after
        else:
            local = scale | set(chord_tones(chords[hit.chord]))
            hit.pitch = _lead_in(after, before, local, low, high, rng, passing=hit.role == "pass")


def _nearest(pitch_class: int, near: int | None, low: int, high: int, rng: Random) -> int:
    """The pitch of `pitch_class` in low..high nearest `near`; a coin picks between near-equal ones."""
    options = [p for p in range(low, high + 1) if p % 12 == pitch_class]
    if near is None:
        return rng.choice(options)
    options.sort(key=lambda p: abs(p - near))
    if len(options) > 1 and abs(options[1] - near) - abs(options[0] - near) <= 2 and rng.random() < 0.5:
        return options[1]
    return options[0]


def _lead_in(target: int, before: int | None, scale: set[int], low: int, high: int, rng: Random,
             passing: bool) -> int:
    """A note that leads into `target`: a scale tone between the neighbours when passing, else a step.

    The step is a scale step (passing) or a scale or chromatic step (approach),
    from above or below; of the two nearest the previous note (so the line keeps
    moving its way) a coin picks one.
    """
    if passing and before is not None:
        between = [p for p in range(min(before, target) + 1, max(before, target)) if p % 12 in scale]
        if between:
            middle = (before + target) / 2
            return min(between, key=lambda p: (abs(p - middle), rng.random()))
    below = next(p for p in range(target - 1, target - 3, -1) if p % 12 in scale or p == target - 2)
    above = next(p for p in range(target + 1, target + 3) if p % 12 in scale or p == target + 2)
    steps = {below, above} if passing else {target - 1, target + 1, below, above}
    options = [p for p in steps if low <= p <= high and p != before] or [target]
    options.sort(key=lambda p: abs(p - (target if before is None else before)))
    return rng.choice(options[:2])


def notes(line: list[Hit], style: Style, chords: list[Chord], end: int, rng: Random) -> list[ProposedNote]:
    """Each hit as a note that stops before the next note, the chord's end and the bar line."""
    out = []
    for i, hit in enumerate(line):
        stop = min(line[i + 1].tick if i + 1 < len(line) else end, chords[hit.chord].end, hit.bar.end) - GAP
        length = stop - hit.tick
        if hit.role == "ghost":
            length = min(length, SIXTEENTH // 2)
        elif hit.role == "pop":
            length = min(length, SIXTEENTH)
        elif style.longest:
            length = min(length, round(style.longest * hit.bar.beat))
        velocity = ROLE_VELOCITY.get(hit.role, VELOCITY[position(hit.bar, hit.tick)]) + rng.randint(-4, 4)
        out.append(ProposedNote(hit.pitch, hit.tick, max(1, length), max(1, min(127, velocity))))
    return out
