"""Evaluate the drums assistant per style: what it plays, how it sits on the grid, and how fast.

    .venv/bin/python benchmarks/eval_drums.py

Every suggestion goes through the real runner on an empty 4/4 drum track,
once per seed. Two settings are measured:

- as shipped (the parameter defaults: density 0.5, swing 0, humanize 0.3,
  fills every 4 bars): `fingerprint` (the style's fingerprint holds in every
  non-fill bar for every seed) and the latency of 8-bar suggestions (`p50_ms`,
  `p95_ms`; the one-off table load is done before timing);
- the bare pattern (humanize 0, no fills) for the rhythm measures:
  - `kick`, `snare`, `hat`, `other`: onsets per bar (snare counts snare, clap
    and rim; hat counts closed, pedal and open hats; other is everything else);
  - `grid`: share of onsets exactly on the 16th-note grid. The style's own swing
    still applies, so swung styles (boom-bap, lofi, funk, house, afrobeat) and
    trap's 32nd rolls score below 1 by design;
  - `syncopation`: Longuet-Higgins & Lee syncopation of the kick-and-snare
    rhythm, summed per bar and averaged over bars. Metrical weights of the 16
    steps: 0 for beat 1, -1 for beat 3, -2 for beats 2 and 4, -3 for the other
    8ths, -4 for the other 16ths. A note followed by a rest that spans a stronger
    position (the bar taken as a cycle) adds the weight difference;
  - `repetition`: mean Jaccard similarity of consecutive bars' sets of
    (key, position on the 32nd grid): 1 means every bar is the same.
"""

from __future__ import annotations

import statistics
import time
from itertools import pairwise

from cowrite.assistants.parameters import resolve
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import PPQ, MeterChange, MeterMap, Song, Track, TrackKind
from cowrite_drums import STYLES, DrumsAssistant
from cowrite_drums.fingerprints import fingerprint
from cowrite_drums.generate import phrase_ends

SIXTEENTH = PPQ // 4
GROUPS = {"kick": {35, 36}, "snare": {37, 38, 39, 40}, "hat": {42, 44, 46}}
WEIGHTS = [0 if s == 0 else -1 if s == 8 else -2 if s % 4 == 0 else -3 if s % 2 == 0 else -4 for s in range(16)]


def lhl_syncopation(steps: set[int]) -> int:
    """Longuet-Higgins & Lee syncopation of one 16-step bar's onsets, the bar taken as a cycle."""
    onsets = sorted(steps)
    total = 0
    for here, after in zip(onsets, onsets[1:] + [onsets[0] + 16] if onsets else []):
        rest = [WEIGHTS[k % 16] for k in range(here + 1, after)]
        if rest and max(rest) > WEIGHTS[here]:
            total += max(rest) - WEIGHTS[here]
    return total


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _bars(notes, bar_starts):
    """Each bar's notes as (key, offset from the bar start)."""
    return [[(n.pitch, n.start - start) for n in notes if start <= n.start < end]
            for start, end in pairwise(bar_starts)]


def _style_row(assistant, song, track, style, seeds, bars) -> dict:
    def request(seed, **params):
        return build_request(song, track, None, 0, bars - 1,
                             resolve(assistant.parameters, {"style": style, **params}), seed)

    run(assistant, request(0))  # load the table before timing
    times, holds = [], True
    fill_bars = set(phrase_ends(0, bars - 1, 4))
    for seed in seeds:
        shipped = request(seed)
        began = time.perf_counter()
        draft = run(assistant, shipped)
        times.append((time.perf_counter() - began) * 1000)
        holds = holds and not fingerprint(style, draft.notes, shipped.bar_starts(), fill_bars)

    counts = {group: [] for group in (*GROUPS, "other")}
    on_grid, onsets, syncopation, repetition = 0, 0, [], []
    for seed in seeds:
        bare = request(seed, humanize=0.0, fills=False)
        bar_notes = _bars(run(assistant, bare).notes, bare.bar_starts())
        for notes in bar_notes:
            for group, keys in GROUPS.items():
                counts[group].append(sum(key in keys for key, _ in notes))
            counts["other"].append(sum(all(key not in keys for keys in GROUPS.values()) for key, _ in notes))
            on_grid += sum(offset % SIXTEENTH == 0 for _, offset in notes)
            onsets += len(notes)
            syncopation.append(lhl_syncopation({round(offset / SIXTEENTH) % 16 for key, offset in notes
                                                if key in GROUPS["kick"] | GROUPS["snare"]}))
        repetition += [jaccard({(k, round(o / (SIXTEENTH / 2))) for k, o in a},
                               {(k, round(o / (SIXTEENTH / 2))) for k, o in b}) for a, b in pairwise(bar_notes)]
    quantiles = statistics.quantiles(times, n=20)
    return {"style": style, **{group: statistics.fmean(c) for group, c in counts.items()},
            "grid": on_grid / onsets, "syncopation": statistics.fmean(syncopation),
            "repetition": statistics.fmean(repetition), "fingerprint": holds,
            "p50_ms": statistics.median(times), "p95_ms": quantiles[-1]}


def evaluate(seeds=range(20), bars=8) -> list[dict]:
    """One row per style (see the module docstring for what each field means)."""
    assistant = DrumsAssistant()
    song = Song(meter=MeterMap([MeterChange(0, 4, 4)]), length_bars=bars)
    track = Track("drums", "Drums", kind=TrackKind.DRUMS, channel=9)
    song.tracks.append(track)
    return [_style_row(assistant, song, track, style, list(seeds), bars) for style in STYLES]


def main() -> None:
    rows = evaluate()
    print(f"{'style':<10} {'kick':>5} {'snare':>5} {'hat':>5} {'other':>5} {'grid':>5} {'sync':>5} {'repeat':>6} "
          f"{'fingerprint':>11} {'p50 ms':>7} {'p95 ms':>7}")
    for r in rows:
        print(f"{r['style']:<10} {r['kick']:5.2f} {r['snare']:5.2f} {r['hat']:5.2f} {r['other']:5.2f} "
              f"{r['grid']:5.2f} {r['syncopation']:5.2f} {r['repetition']:6.2f} "
              f"{'holds' if r['fingerprint'] else 'BROKEN':>11} {r['p50_ms']:7.2f} {r['p95_ms']:7.2f}")
    print("onsets per bar (kick, snare/clap/rim, hats, other); grid: share on the 16th grid at humanize 0; "
          "sync: Longuet-Higgins & Lee, kick+snare, per bar; repeat: Jaccard of consecutive bars")


if __name__ == "__main__":
    main()
