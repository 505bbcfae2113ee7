"""Quantize and swing: pull note times toward a grid."""

from __future__ import annotations

from cowrite.model import PPQ

#: grid names a musician types, in ticks at 960 PPQ
GRIDS = {
    "1/1": PPQ * 4, "1/2": PPQ * 2, "1/4": PPQ, "1/8": PPQ // 2, "1/16": PPQ // 4,
    "1/32": PPQ // 8, "1/64": PPQ // 16, "1/4t": PPQ * 2 // 3, "1/8t": PPQ // 3,
    "1/16t": PPQ // 6, "1/32t": PPQ // 12,
}


def parse_grid(text: str) -> int:
    try:
        return GRIDS[text.strip().lower()]
    except KeyError:
        raise ValueError(f"grid {text!r} is not one of {', '.join(GRIDS)}") from None


def check_quantize(grid: int, strength: float, swing: float) -> None:
    if grid < 1:
        raise ValueError(f"grid {grid} ticks must be at least 1")
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength {strength} is outside 0..1")
    if not 0.0 <= swing <= 1.0:
        raise ValueError(f"swing {swing} is outside 0..1")


def grid_point(tick: int, grid: int, swing: float = 0.0) -> int:
    """The nearest grid line to `tick`; odd grid lines are delayed by swing.

    Swing 1.0 moves every second grid line a third of a step later: the
    off-beat lands two thirds of the way through the pair, a triplet shuffle.
    """
    index = round(tick / grid)
    point = index * grid
    if swing and index % 2:
        point += round(swing * grid / 3)
    return point


def quantize_tick(tick: int, grid: int, strength: float = 1.0, swing: float = 0.0) -> int:
    target = grid_point(tick, grid, swing)
    return max(0, tick + round((target - tick) * strength))


def quantize_length(duration: int, grid: int, strength: float = 1.0) -> int:
    target = max(grid, round(duration / grid) * grid)
    return max(1, duration + round((target - duration) * strength))
