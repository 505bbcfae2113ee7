"""Where the bass plays: chord changes first, then the kick, then the style's own fills.

Onsets are chosen by priority so the important ones survive when two fall
closer than a 32nd: a chord change (the bass must say the new root), a kick
(bass and kick sound as one instrument), the downbeat, then style fills by
density.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from random import Random

from cowrite.assistants.api import PPQ, Chord
from cowrite_bass.styles import Style

SIXTEENTH = PPQ // 4
MIN_GAP = PPQ // 8  # onsets closer than a 32nd would blur into one
KICK_PITCHES = (35, 36)
CHANGE, KICK, DOWNBEAT, FILL = 3, 2, 1, 0  # priorities


@dataclass(frozen=True)
class Bar:
    start: int
    end: int
    beat: int  # ticks in one beat of this bar's meter
    numerator: int


def position(bar: Bar, tick: int) -> str:
    """The metric position of `tick`, rounded to the nearest 16th so a loose kick keeps its place."""
    offset = round((tick - bar.start) / SIXTEENTH) * SIXTEENTH
    length = bar.end - bar.start
    if offset % length == 0:
        return "down"
    if bar.numerator % 2 == 0 and bar.numerator >= 4 and offset == length // 2:
        return "strong"
    if offset % bar.beat == 0:
        return "beat"
    return "and" if offset % (bar.beat // 2) == 0 else "16th"


def kick_ticks(drums, start: int, end: int) -> list[int]:
    """Start ticks of the kicks (GM 35/36) of a drum track view inside [start, end)."""
    if drums is None:
        return []
    return sorted({n.start for n in drums.notes if n.pitch in KICK_PITCHES and start <= n.start < end})


def onsets(style: Style, bars: list[Bar], chords: list[Chord], kicks: list[int], density: float,
           rng: Random) -> list[int]:
    """Onset ticks for `style`; `kicks` is empty unless the style locks to them.

    A bar that drops beat one (reggae) answers on the "and" of one or on two instead.
    """
    candidates = [(KICK, k) for k in kicks if rng.random() < min(1.0, 0.5 + density)]
    dropped = set()
    for bar in bars:
        if bar.numerator >= 2 and rng.random() < style.drop_one:
            dropped.add(bar.start)
            candidates.append((DOWNBEAT, bar.start + rng.choice((bar.beat // 2, bar.beat))))
        else:
            candidates.append((DOWNBEAT, bar.start))
        for tick in range(bar.start + SIXTEENTH, bar.end, SIXTEENTH):
            chance = style.chance[position(bar, tick)] * (style.fill_when_locked if kicks else 1.0)
            if rng.random() < min(1.0, 2 * density * chance):
                candidates.append((FILL, tick))
    candidates += [(CHANGE, c.start) for c in chords if c.start not in dropped]
    chosen: list[int] = []
    for _, tick in sorted(candidates, key=lambda c: (-c[0], c[1])):
        i = bisect_left(chosen, tick)
        if all(abs(tick - t) >= MIN_GAP for t in chosen[max(0, i - 1):i + 1]):
            insort(chosen, tick)
    return chosen


def add_pickups(ticks: list[int], chords: list[Chord], window: int, density: float, rng: Random) -> list[int]:
    """Add a note on the last eighth before some chord changes (more at higher density) to carry an approach."""
    ticks = list(ticks)
    for before, chord in zip(chords, chords[1:]):
        pickup = chord.start - window
        i = bisect_left(ticks, pickup)
        if pickup <= before.start or i < len(ticks) and ticks[i] < chord.start:
            continue  # the chord is too short, or a note is already there
        if (i == 0 or pickup - ticks[i - 1] >= MIN_GAP) and rng.random() < density:
            ticks.insert(i, pickup)
    return ticks
