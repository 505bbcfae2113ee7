"""Drum bars sampled from the learned table, then swung, humanized and ended with fills.

Anchor steps (played in at least 90% of a style's patterns) are always
played: they are what makes the style recognisable, so no seed or density
may lose them. Every other step is a weighted coin flip whose odds the
density scales; most flips carry over to the next bar (REDRAW).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from cowrite.assistants.api import PPQ, ContextNote, ProposedNote, Request
from cowrite_drums.model import ANCHOR, Style, styles

SIXTEENTH = PPQ // 4
LENGTH = PPQ // 8  # drum hits are short: a 32nd (General MIDI kits ignore the note-off anyway)
JITTER = 10  # most timing jitter at humanize 1, in ticks (5 ms at 120 BPM)
BEAT_JITTER = 3  # anchors on a beat stay this close to the grid: they hold the band together
VELOCITY_JITTER = 6  # velocity noise at humanize 1, on top of the table's own spread
KICKS = frozenset({35, 36})
SNARES = frozenset({37, 38, 39, 40})  # side stick, snare, clap, electric snare
BACKBEAT_VOICES = frozenset({"snare", "clap", "rim"})
CRASH, CRASH_VELOCITY = 49, 110
#: share of optional steps drawn afresh each bar; the rest repeat the bar before, as a drummer keeps a
#: groove with small changes. Every draw uses the same odds, so each step still plays as often as the table says.
REDRAW = 0.25


@dataclass
class Groove:
    """The notes, and what the explanation needs to tell about how they were made."""

    style: Style
    notes: list[ProposedNote]
    fills: list[tuple[int, int]]  # (0-based bar, steps the fill replaced)
    crashes: list[int]  # 0-based bars opened by a crash
    varied: bool  # variation mode found notes to keep
    kept_kicks: int = 0
    kept_backbeats: int = 0


def phrase_ends(first_bar: int, last_bar: int, every: int) -> list[int]:
    """The 0-based bars in range that end a phrase of `every` bars, counted from the song start."""
    return [bar for bar in range(first_bar, last_bar + 1) if (bar + 1) % every == 0]


def chance(p: float, density: float) -> float:
    """A non-anchor step's chance: its odds times 2*density (0.5 is the table, 1 doubles the odds, 0 drops it)."""
    odds = p / (1 - p) * 2 * density
    return odds / (1 + odds)


def swung(offset: int, delay: float) -> float:
    """`offset` (ticks from the bar start) with the second 16th of each 8th note delayed by `delay` ticks.

    A piecewise-linear warp of each 8th rather than a shift of the odd 16ths,
    so trap's 32nd rolls stretch with it and stay in order.
    """
    eighths, within = divmod(offset, 2 * SIXTEENTH)
    if within <= SIXTEENTH:
        within *= (SIXTEENTH + delay) / SIXTEENTH
    else:
        within = SIXTEENTH + delay + (within - SIXTEENTH) * (SIXTEENTH - delay) / SIXTEENTH
    return eighths * 2 * SIXTEENTH + within


def backbeat_steps(style: Style) -> set[int]:
    """The steps where the style always has a snare, clap or rim: its backbeat (trap: beat 3; reggaeton: dembow)."""
    return {s for v in style.voices if v.name in BACKBEAT_VOICES for s, p in enumerate(v.p) if p >= ANCHOR}


def kept_notes(notes: tuple[ContextNote, ...], style: Style, bar_starts: list[int]) -> tuple[list, list]:
    """Variation keeps the existing kicks, and the snares that sit on the style's backbeat steps."""
    step, backbeat = 4 * PPQ // style.steps, backbeat_steps(style)
    kicks = [n for n in notes if n.pitch in KICKS]
    snares = [n for n in notes if n.pitch in SNARES
              and round((n.start - bar_starts[bisect_right(bar_starts, n.start) - 1]) / step) % style.steps
              in backbeat]
    return kicks, snares


def generate(request: Request) -> Groove:
    """The drum part for the request's bars (with the kept notes, in variation mode), in time order."""
    params = request.parameters
    style = styles()[params["style"]]
    rng = random.Random(request.seed)
    step = 4 * PPQ // style.steps
    delay = min(1.0, params["swing"] + style.swing) * SIXTEENTH / 3  # swing 1: a triplet feel
    humanize, density = params["humanize"], params["density"]
    bar_starts = request.bar_starts()

    existing = tuple(n for n in request.target.notes if request.start <= n.start < request.end)
    kicks, snares = kept_notes(existing, style, bar_starts) if params["variation"] else ([], [])
    varied = bool(params["variation"] and existing)
    backbeat = backbeat_steps(style)
    fills_on = params["fills"] and not varied  # a fill would replace the kicks variation must keep
    fill_bars = set(phrase_ends(request.first_bar, request.last_bar, params["fill_every"])) if fills_on else set()
    played: dict[tuple[str, int], bool] = {}  # (voice, step): whether the last bar played it
    groove = Groove(style, [ProposedNote(*n) for n in kicks + snares], [], [], varied, len(kicks), len(snares))

    def hit(key: int, b0: int, b1: int, i: int, velocity: float, spread: float, anchor: bool) -> None:
        limit = BEAT_JITTER if anchor and i * step % PPQ == 0 else JITTER
        jitter = max(-limit, min(limit, rng.gauss(0, limit / 2))) * humanize
        start = min(b1 - 1, max(b0, b0 + round(swung(i * step, delay) + jitter)))
        loudness = round(velocity + rng.gauss(0, spread + VELOCITY_JITTER) * humanize)
        groove.notes.append(ProposedNote(key, start, min(LENGTH, b1 - start), max(1, min(127, loudness))))

    for bar, (b0, b1) in zip(range(request.first_bar, request.last_bar + 1), pairwise(bar_starts)):
        n = (b1 - b0) // step  # other meters: the pattern is cut, or looped from its start
        fill = rng.choice(style.fills) if bar in fill_bars else None
        groove_end = n - fill.steps if fill else n
        for voice in style.voices:
            if varied and voice.key in KICKS:
                continue
            skip = backbeat if varied and voice.name in BACKBEAT_VOICES else ()
            for i in range(groove_end):
                s = i % style.steps
                p = voice.p[s]
                if not p or s in skip:
                    continue
                if p < ANCHOR:
                    if (voice.name, s) not in played or rng.random() < REDRAW:
                        played[voice.name, s] = rng.random() < chance(p, density)
                    if not played[voice.name, s]:
                        continue
                hit(voice.key, b0, b1, i, voice.velocity[s], voice.spread[s], p >= ANCHOR)
        if fill:
            groove.fills.append((bar, fill.steps))
            for key, s, velocity in fill.hits:
                if groove_end + s >= 0:  # a bar shorter than the fill keeps the fill's end
                    hit(key, b0, b1, groove_end + s, velocity, 0.0, False)
        if fills_on and bar and bar % params["fill_every"] == 0:
            groove.crashes.append(bar)
            hit(CRASH, b0, b1, 0, CRASH_VELOCITY, 0.0, True)

    groove.notes.sort(key=lambda note: (note.start, note.pitch))
    return groove
