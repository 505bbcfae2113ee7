"""Timings of the sample library against its goals: first index, search, rescans.

Run:  .venv/bin/python benchmarks/library.py [--files N]

2,000 short 16-bit WAV files (by default) are generated in a temporary
folder: one-shots (decaying sines of 40-800 Hz or noise bursts, 0.1-1 s, mono
and stereo, 44.1 and 48 kHz) and, one in five, a drum groove of 1 or 2 bars at
70-180 BPM, named from a few sample-pack words in 4 folders. The first index
decodes and analyses every file (goal: 200 files a second), once with one
analysis thread and once with the default (one a core, at most 4); the
"cores busy" figure shows whether the cores were free, as on a machine busy
with other work they may not be. The loop row checks the analysis against the
tempos the grooves were made at. A rescan with nothing changed only lists the
folders; a rescan after 20 files changed analyses those 20. Search is the
median of 100 queries of one to three words, with and without filters (goal:
under 20 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from cowrite.library import add_folder, open_library, scan, search
from cowrite.library.scan import WORKERS

ROW = "{:<46} {:>12} {:>14}  {}"
WORDS = ["kick", "snare", "hat", "clap", "stab", "perc", "groove", "808", "dark", "bright", "tight", "room"]
QUERIES = ["kick", "sn", "808 kick", "dark stab", "groove", "hat tight", "perc room 808", "cl", "bright", "zzz"]


def one_shot(rng, rate: int) -> np.ndarray:
    seconds = rng.uniform(0.1, 1.0)
    t = np.arange(int(seconds * rate)) / rate
    if rng.random() < 0.5:
        sound = np.sin(2 * np.pi * rng.uniform(40, 800) * t)
    else:
        sound = rng.standard_normal(len(t))
    return (0.6 * sound * np.exp(-t * rng.uniform(4, 30))).astype(np.float32)


def loop(rng, rate: int, bpm: float) -> np.ndarray:
    """One or two bars of a drum groove: kick on 1 and 3, snare on 2 and 4, hats on every eighth."""
    bars = int(rng.choice([1, 2]))
    audio = np.zeros(round(bars * 4 * 60 / bpm * rate), np.float32)
    t = np.arange(int(0.3 * rate)) / rate
    kick = np.sin(2 * np.pi * (50 * t + 100 * (1 - np.exp(-30 * t)) / 30)) * np.exp(-12 * t)
    snare = (0.6 * rng.standard_normal(len(t)) + 0.4 * np.sin(2 * np.pi * 180 * t)) * np.exp(-20 * t)
    hat = 0.3 * np.diff(rng.standard_normal(len(t)), prepend=0) * np.exp(-60 * t)
    for eighth in range(bars * 8):
        start = round(eighth * 30 / bpm * rate)
        hits = [hat * (1.0 if eighth % 2 == 0 else 0.6)]
        hits += [kick] if eighth % 8 in (0, 4) else [0.8 * snare] if eighth % 8 in (2, 6) else []
        for hit in hits:
            audio[start:start + len(hit)] += hit[:len(audio) - start]
    return 0.5 * audio


def make_pack(root: Path, count: int) -> dict[str, float]:
    """Write the pack; returns each loop's file name and tempo."""
    rng = np.random.default_rng(1)
    tempos = {}
    for i in range(count):
        rate = 48000 if i % 2 else 44100
        bpm = rng.uniform(70, 180)
        audio = loop(rng, rate, bpm) if i % 5 == 0 else one_shot(rng, rate)
        if i % 3 == 0:
            audio = np.stack([audio, audio * 0.8], axis=1)
        name = "_".join(rng.choice(WORDS, 2)) + f"_{i:04d}.wav"
        folder = root / f"{WORDS[i % 4].title()}s" / f"Pack{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        soundfile.write(str(folder / name), audio, rate, subtype="PCM_16")
        if i % 5 == 0:
            tempos[Path(name).stem] = bpm
    return tempos


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    count = parser.parse_args().files
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COWRITE_DATA_DIR"] = str(Path(tmp) / "data")
        pack = Path(tmp) / "pack"
        make_time, tempos = timed(lambda: make_pack(pack, count))
        print(f"cowrite library benchmark: {os.cpu_count()} CPUs, {count} files "
              f"({sum(f.stat().st_size for f in pack.rglob('*.wav')) / 1e6:.0f} MB, made in {make_time:.1f} s)")
        print(ROW.format("measurement", "time", "rate", "goal / verdict"))
        print("-" * 96)

        for workers in sorted({1, WORKERS}):
            db = open_library(Path(tmp) / f"library-{workers}.sqlite")
            add_folder(db, pack)
            cpu = time.process_time()
            seconds, report = timed(lambda: scan(db, workers=workers))
            cores = (time.process_time() - cpu) / seconds
            if report.added != count or report.problems:
                raise SystemExit(f"broken: first index added {report.added} of {count}: {report.problems[:3]}")
            rate = count / seconds
            print(ROW.format(f"first index, {workers} analysis thread{'s' * (workers > 1)} ({cores:.1f} cores busy)",
                             f"{seconds:.2f} s", f"{rate:.0f} files/s",
                             f">= 200 files/s: {'ok' if rate >= 200 else 'SLOW'}"))

        found = {r["name"]: r["bpm"] for r in db.execute("SELECT name, bpm FROM samples WHERE kind = 'loop'")}
        right = sum(1 for name, bpm in tempos.items() if found.get(name) and abs(found[name] - bpm) <= 1)
        octave = sum(1 for name, bpm in tempos.items() if found.get(name) and abs(found[name] - 2 * bpm) <= 2)
        print(f"loops found: {len(found)} of {len(tempos)}; tempo within 1 BPM: {right}, "
              f"at double tempo: {octave}")

        seconds, report = timed(lambda: scan(db))
        print(ROW.format("rescan, nothing changed", f"{seconds * 1000:.0f} ms", f"{count / seconds:.0f} files/s",
                         f"{report.unchanged} unchanged"))

        changed = sorted(pack.rglob("*.wav"))[::count // 20][:20]
        for path in changed:
            soundfile.write(str(path), np.zeros(4800, np.float32) + 0.1, 48000)
        seconds, report = timed(lambda: scan(db))
        print(ROW.format(f"rescan, {len(changed)} files changed", f"{seconds * 1000:.0f} ms", "",
                         f"{report.updated} updated, {report.unchanged} unchanged"))

        times, hits = [], 0
        filters = [{}, {"kind": "one-shot"}, {"kind": "loop", "bpm": 120, "bpm_tolerance": 10},
                   {"max_duration": 0.5}]
        for i in range(100):
            seconds, rows = timed(lambda: search(db, QUERIES[i % len(QUERIES)], **filters[i % len(filters)]))
            times.append(seconds)
            hits += len(rows)
        median = statistics.median(times) * 1000
        print(ROW.format("search, median of 100 queries", f"{median:.2f} ms",
                         f"p95 {sorted(times)[94] * 1000:.2f} ms", f"< 20 ms: {'ok' if median < 20 else 'SLOW'}"))
        print(f"({hits / 100:.0f} rows a query on average, limit 50)")
        db.close()


if __name__ == "__main__":
    main()
