"""Evaluate the bass assistant per style: harmony, the root on the downbeat, kick locking, speed.

Run:  .venv/bin/python benchmarks/eval_bass.py

Each style plays "Am | F | C | G" over 8 bars of 4/4 for 20 seeds at the
default parameters, three times a seed: with no drums, with a
four-on-the-floor kick and with a boom-bap kick (both with snare and hats, so
the kick has to be picked out). Columns:

- strong_chord_tones: share of onsets on beats 1 and 3 that are chord tones (goal >= 0.95)
- bars_on_root: share of bars with a note on beat 1 that is the chord's root
  (reggae rests on beat 1 in most bars by design, so it scores low here)
- first_note_root: share of bars whose first note is the chord's root
- kicks_4otf, kicks_boombap: share of kicks with a bass onset within a 16th
  (walking and reggae keep their own time, so theirs are incidental)
- notes_per_bar: mean over all runs
- p50_ms, p95_ms: time of one suggestion for 8 bars through the runner (goal p95 < 50 ms)
"""

from __future__ import annotations

import statistics
import time

from cowrite.assistants.parameters import resolve
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Note, Origin, Song, Track, TrackKind
from cowrite.theory.chords import chart_to_chords, chord_tones
from cowrite_bass import BassAssistant

BAR = 4 * PPQ
SIXTEENTH = PPQ // 4
CHART = "Am | F | C | G"
#: kick steps (16ths) of each bar, cycling: a two-bar boom-bap figure
KICKS = {"4otf": ((0, 4, 8, 12),), "boombap": ((0, 10), (0, 7, 10))}
DRUMMER = Origin("person:Drummer")


def song(bars: int, kicks: str | None) -> tuple[Song, Track]:
    """The chart over `bars` bars, a Bass track, and (unless kicks is None) a drum track with that kick."""
    result = Song(title="eval", meter=MeterMap([MeterChange(0, 4, 4)]), key=Key("A", "minor"), length_bars=bars)
    result.chords = chart_to_chords(CHART, result.meter, bars)
    bass = Track("bass", "Bass")
    result.tracks.append(bass)
    if kicks:
        hits = [(36, bar * BAR + step * SIXTEENTH) for bar in range(bars)
                for step in KICKS[kicks][bar % len(KICKS[kicks])]]
        hits += [(38, bar * BAR + beat * PPQ) for bar in range(bars) for beat in (1, 3)]
        hits += [(42, tick) for tick in range(0, bars * BAR, PPQ // 2)]
        notes = {i: Note(i, pitch, tick, SIXTEENTH, 100, DRUMMER) for i, (pitch, tick) in enumerate(hits, 1)}
        result.tracks.append(Track("drums", "Drums", TrackKind.DRUMS, notes=notes))
    return result, bass


def chord_at(chords, tick):
    return next(c for c in reversed(chords) if c.start <= tick)


def evaluate(seeds=range(20), bars: int = 8) -> list[dict]:
    assistant = BassAssistant()
    rows = []
    for style in assistant.parameters[0].choices:
        params = resolve(assistant.parameters, {"style": style})
        strong = strong_ok = on_root = first_root = notes_total = runs = 0
        kicks_met: dict[str, list[float]] = {name: [] for name in KICKS}
        latency = []
        for kicks in (None, *KICKS):
            the_song, bass = song(bars, kicks)
            chords = the_song.chords
            for seed in seeds:
                request = build_request(the_song, bass, None, 0, bars - 1, params, seed)
                began = time.perf_counter()
                notes = run(assistant, request).notes
                latency.append((time.perf_counter() - began) * 1000)
                runs += 1
                notes_total += len(notes)
                for n in notes:
                    if n.start % (BAR // 2) == 0:
                        strong += 1
                        strong_ok += n.pitch % 12 in chord_tones(chord_at(chords, n.start))
                for bar in range(bars):
                    root = chord_at(chords, bar * BAR).root
                    in_bar = [n for n in notes if bar * BAR <= n.start < (bar + 1) * BAR]
                    on_root += any(n.start == bar * BAR and n.pitch % 12 == root for n in in_bar)
                    first_root += bool(in_bar) and in_bar[0].pitch % 12 == root
                if kicks:
                    kick_ticks = [n.start for n in the_song.tracks[1].notes.values() if n.pitch == 36]
                    met = sum(any(abs(n.start - k) <= SIXTEENTH for n in notes) for k in kick_ticks)
                    kicks_met[kicks].append(met / len(kick_ticks))
        quantiles = statistics.quantiles(latency, n=20)
        rows.append({
            "style": style,
            "strong_chord_tones": strong_ok / strong,
            "bars_on_root": on_root / (runs * bars),
            "first_note_root": first_root / (runs * bars),
            "kicks_4otf": statistics.mean(kicks_met["4otf"]),
            "kicks_boombap": statistics.mean(kicks_met["boombap"]),
            "notes_per_bar": notes_total / (runs * bars),
            "p50_ms": statistics.median(latency),
            "p95_ms": quantiles[18],
        })
    return rows


def main() -> None:
    rows = evaluate()
    columns = list(rows[0])
    print("  ".join(f"{c:>{max(len(c), 10)}}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]:>{max(len(c), 10)}.3f}" if isinstance(row[c], float)
                        else f"{row[c]:>{max(len(c), 10)}}" for c in columns))


if __name__ == "__main__":
    main()
