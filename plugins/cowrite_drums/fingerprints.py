"""What a musician listens for to name each style, checked bar by bar on any drum notes.

A note is placed on the 16th-note grid by rounding: swing (at most a third of
a 16th) and humanize (a few ticks) never move a note half a 16th, so they
cannot hide or fake a fingerprint. Fill bars are skipped: a fill may
legitimately break the groove.
"""

from __future__ import annotations

from itertools import pairwise

from cowrite.assistants.api import PPQ

SIXTEENTH = PPQ // 4
KICK = frozenset({35, 36})
SNARE_OR_CLAP = frozenset({38, 39, 40})
SNARE_OR_RIM = frozenset({37, 38, 40})
HATS = frozenset({42, 44, 46})
HAT_OR_SHAKER = HATS | {70}
COWBELL = frozenset({56})
ROLL_GAP = 200  # ticks: hats closer than this are a roll (32nds or 16th triplets), even swung and humanized


def _needs(keys, steps, what):
    def check(bar_notes, start, length):
        played = {round((t - start) / SIXTEENTH) for pitch, t in bar_notes if pitch in keys}
        missing = [s for s in steps if s * SIXTEENTH < length and s not in played]
        return f"{what}: nothing at 16th step(s) {', '.join(str(s + 1) for s in missing)}" if missing else ""
    return check


def _only(keys, steps, what):
    def check(bar_notes, start, length):
        stray = sorted({round((t - start) / SIXTEENTH) for pitch, t in bar_notes if pitch in keys} - set(steps))
        return f"{what}: also at 16th step(s) {', '.join(str(s + 1) for s in stray)}" if stray else ""
    return check


def _rolls(keys, what):
    """At least one run of three hats, each within ROLL_GAP ticks of the one before."""
    def check(bar_notes, start, length):
        times = sorted(t for pitch, t in bar_notes if pitch in keys)
        if any(b - a < ROLL_GAP and c - b < ROLL_GAP for a, b, c in zip(times, times[1:], times[2:])):
            return ""
        return f"{what}: no roll"
    return check


BACKBEAT = _needs(SNARE_OR_CLAP, (4, 12), "backbeat (snare or clap on beats 2 and 4)")
FOUR_ON_THE_FLOOR = _needs(KICK, (0, 4, 8, 12), "four on the floor (kick on every beat)")

RULES = {
    "boom-bap": (BACKBEAT,),
    "rock": (BACKBEAT,),
    "funk": (BACKBEAT,),
    "lofi": (BACKBEAT,),
    "house": (FOUR_ON_THE_FLOOR,),
    "techno": (FOUR_ON_THE_FLOOR,),
    "reggaeton": (FOUR_ON_THE_FLOOR,
                  _needs(SNARE_OR_RIM, (3, 6, 11, 14), "dembow (snare or rim on the 'a' of 1, 'and' of 2, "
                                                        "'a' of 3, 'and' of 4)")),
    "dnb": (_needs(KICK, (0, 10), "two-step kick (on 1 and the 'and' of 3)"),
            _needs(SNARE_OR_CLAP, (4, 12), "two-step snare (beats 2 and 4)")),
    "trap": (_needs(SNARE_OR_CLAP, (8,), "half-time (snare or clap on beat 3)"),
             _only(SNARE_OR_CLAP, (8,), "half-time (snare or clap only on beat 3)"),
             _rolls(HATS, "rolling hats")),
    "afrobeat": (_needs(KICK, (0, 6), "kick on 1 and the 'and' of 2"),
                 _needs(HAT_OR_SHAKER, range(0, 16, 2), "steady eighths (hat or shaker)"),
                 _needs(COWBELL, (0, 3, 6, 10, 12), "cowbell 3-2 clave")),
}


def fingerprint(style: str, notes, bar_starts: list[int], fill_bars=()) -> list[str]:
    """The problems with `notes` (pitch, start, ...) as `style`, bar by bar; empty when every bar sounds like it.

    `bar_starts` are the bars' start ticks plus the end tick (Request.bar_starts());
    `fill_bars` are indexes into it of bars to skip because they hold a fill.
    """
    if style not in RULES:
        return [f"no fingerprint for style {style!r}"]
    problems = []
    for index, (start, end) in enumerate(pairwise(bar_starts)):
        if index in fill_bars:
            continue
        bar_notes = [(n[0], n[1]) for n in notes if start <= n[1] < end]
        problems += [f"bar {index + 1}: {problem}" for rule in RULES[style]
                     if (problem := rule(bar_notes, start, end - start))]
    return problems
