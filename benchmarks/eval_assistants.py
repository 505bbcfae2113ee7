"""Evaluate the three built-in assistants side by side, in one run.

Run:  .venv/bin/python benchmarks/eval_assistants.py

Harmony: per-beat root-and-quality accuracy on the held-out Bach chorales
against two baselines. Drums: per style, onsets per bar per voice, grid share,
syncopation, bar-to-bar repetition, whether the style's fingerprint holds for
every seed. Bass: chord tones on strong beats, bars starting on the root, kicks
met by a bass onset. All three: latency p50/p95 over 20 seeds for 8 bars.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_bass  # noqa: E402
import eval_drums  # noqa: E402
import eval_harmony  # noqa: E402


def cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    if isinstance(value, dict):
        return " ".join(f"{k}:{cell(v)}" for k, v in value.items())
    return str(value)


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n== {title}")
    if not rows:
        print("(no rows)")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    cells = [[cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)))


def main() -> None:
    print_table("harmony (held-out Bach chorales; goal: accuracy >= 0.60, p95 < 150 ms)", eval_harmony.evaluate())
    print_table("drums (20 seeds x 8 bars; goal: fingerprint holds for every seed, p95 < 50 ms)",
                eval_drums.evaluate())
    print_table("bass (20 seeds x 8 bars; goal: strong-beat chord tones >= 0.95, p95 < 50 ms)",
                eval_bass.evaluate())


if __name__ == "__main__":
    main()
