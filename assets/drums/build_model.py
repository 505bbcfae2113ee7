"""Learn the drums assistant's table (model.json) from the hand-written corpus (corpus.json).

    .venv/bin/python assets/drums/build_model.py

For each style, voice and step the table holds the onset probability (the
fraction of the style's patterns with a hit there) and the mean and spread
(population standard deviation) of the velocities of those hits. Fills are
copied as lists of hits. Only the standard library is used, so the table can
be rebuilt anywhere; tests check that the shipped table matches the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import fmean, pstdev

HERE = Path(__file__).resolve().parent


def lane(text: str, steps: int, velocity: dict[str, int], where: str) -> list[int]:
    """A voice's string as velocities per step (0 = rest); '|' and spaces are only for reading."""
    cells = text.replace("|", "").replace(" ", "")
    if len(cells) != steps:
        raise ValueError(f"{where}: {len(cells)} steps, expected {steps}")
    unknown = set(cells) - set(velocity) - {"-"}
    if unknown:
        raise ValueError(f"{where}: unknown step characters {sorted(unknown)}")
    return [velocity.get(c, 0) for c in cells]


def learn_style(name: str, style: dict, kit: dict[str, int], velocity: dict[str, int]) -> dict:
    steps, patterns = style["steps"], style["patterns"]
    voices = []
    for voice in kit:  # kit order, so the table (and the generator's draws) have a fixed order
        lanes = [lane(p[voice], steps, velocity, f"{name} pattern {i + 1} {voice}")
                 for i, p in enumerate(patterns) if voice in p]
        if not lanes:
            continue
        hits = [[row[s] for row in lanes if row[s]] for s in range(steps)]
        voices.append({
            "name": voice, "key": kit[voice],
            "p": [round(len(h) / len(patterns), 3) for h in hits],
            "velocity": [round(fmean(h), 1) if h else 0 for h in hits],
            "spread": [round(pstdev(h), 1) if h else 0 for h in hits],
        })
    fills = []
    for i, fill in enumerate(style["fills"]):
        hits = [[kit[voice], s, v]
                for voice, text in fill.items() if voice != "steps"
                for s, v in enumerate(lane(text, fill["steps"], velocity, f"{name} fill {i + 1} {voice}")) if v]
        fills.append({"steps": fill["steps"], "hits": sorted(hits, key=lambda h: (h[1], h[0]))})
    return {"title": style["title"], "steps": steps, "swing": style["swing"], "feel": style["feel"],
            "patterns": len(patterns),
            "voices": voices, "fills": fills}


def build(corpus: dict) -> dict:
    """The table learned from `corpus` (the parsed corpus.json)."""
    unknown = {v for s in corpus["styles"].values() for p in s["patterns"] + s["fills"] for v in p} \
        - set(corpus["kit"]) - {"steps"}
    if unknown:
        raise ValueError(f"voices not in the kit: {sorted(unknown)}")
    return {
        "source": corpus["name"], "licence": corpus["licence"],
        "styles": {name: learn_style(name, style, corpus["kit"], corpus["velocity"])
                   for name, style in corpus["styles"].items()},
    }


def main() -> None:
    corpus = json.loads((HERE / "corpus.json").read_text())
    (HERE / "model.json").write_text(json.dumps(build(corpus), separators=(",", ":")) + "\n")
    print(f"wrote {HERE / 'model.json'}: {len(corpus['styles'])} styles, "
          f"{sum(len(s['patterns']) for s in corpus['styles'].values())} patterns")


if __name__ == "__main__":
    main()
