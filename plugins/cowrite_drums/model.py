"""The learned drum table (assets/drums/model.json, built by assets/drums/build_model.py).

It is read once per process: every suggestion after the first costs no file access.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from cowrite.assets import asset_path

#: a step played in at least 90% of a style's patterns is part of the style's identity: always played
ANCHOR = 0.9


@dataclass(frozen=True)
class Voice:
    name: str
    key: int  # General MIDI drum key
    p: tuple[float, ...]  # onset probability per step
    velocity: tuple[float, ...]  # mean velocity of the hits at each step
    spread: tuple[float, ...]  # their standard deviation


@dataclass(frozen=True)
class Fill:
    steps: int  # how many steps at the end of the bar it replaces
    hits: tuple[tuple[int, int, int], ...]  # (key, step, velocity)


@dataclass(frozen=True)
class Style:
    name: str
    title: str  # as a musician would write it: "Drum and bass" for dnb
    steps: int  # steps in a 4/4 bar: 16 (16ths) or 32 (32nds, for trap's hat rolls)
    swing: float  # the style's own swing, added to the swing parameter
    feel: str  # what makes the style itself, for the explanation
    patterns: int  # how many hand-written patterns the table was learned from
    voices: tuple[Voice, ...]
    fills: tuple[Fill, ...]


@cache
def styles() -> dict[str, Style]:
    """Every style of the table by name."""
    data = json.loads(asset_path("drums", "model.json").read_text(encoding="utf-8"))
    return {
        name: Style(name, s["title"], s["steps"], s["swing"], s["feel"], s["patterns"],
                    tuple(Voice(v["name"], v["key"], tuple(v["p"]), tuple(v["velocity"]), tuple(v["spread"]))
                          for v in s["voices"]),
                    tuple(Fill(f["steps"], tuple(map(tuple, f["hits"]))) for f in s["fills"]))
        for name, s in data["styles"].items()
    }
