"""Timings of Cowrite's audio engine against its goals: offline render and real-time blocks.

Run:  .venv/bin/python benchmarks/audio.py [--quick]

The song is dense: 16 tracks over 8 minutes at 120 BPM (4 drum tracks on two
kits, bass, 808 sub, sampled 808, keys, pads, strings, leads, arps, stabs,
bells), about 10 notes a beat across tracks. It is rendered twice: as written
(patterns repeat exactly, as loops and copied sections do) and humanized (every
note's velocity nudged, so no two synth notes are alike and the renderer cannot
reuse a rendered note). Offline rows are medians of 3 renders; the goal is 50x
real time. The block rows time BlockRenderer.render_block(256), the real-time
path, over a busy stretch of the song (median of 3 runs of 4,000 blocks); the
goal is 10% of a block's 5.33 ms at the 99th percentile. The live-key row times
Player.monitor_on and monitor_off (what a MIDI keyboard's key costs its thread)
on the keys, pad and drum sounds; the goal is 3 ms at the worst.
--quick renders 1 minute once, for CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from cowrite.audio import BlockRenderer, export_wav, render_song
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Note, Origin, Song, TempoChange, TempoMap, Track, TrackKind

SR = 48000
BLOCK = 256
BEAT, BAR = PPQ, 4 * PPQ
ROW = "{:<52} {:>10} {:>18} {:>10}  {}"
ANA = Origin("person:Ana")
CHORDS = [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]  # Am F C G, as root-position triads


def parts() -> list[tuple[str, dict, list[tuple[int, int, int, int]]]]:
    """(name, track settings, one 8-bar section of (pitch, start, duration, velocity)) for each track."""
    drums = {"kind": TrackKind.DRUMS, "preset": "drum-kit"}
    p: dict[str, tuple[dict, list]] = {
        "Kick": (drums, [(36, b * BAR + q * BEAT, 60, 112) for b in range(8) for q in range(4)]),
        "Snare": (drums, [(38, b * BAR + q * BEAT, 60, 104) for b in range(8) for q in (1, 3)]),
        "Hats": (drums, [(46 if e == 7 else 42, b * BAR + e * BEAT // 2, 60, 70 + 20 * (e % 2 == 0))
                         for b in range(8) for e in range(8)]),
        "Perc": ({**drums, "preset": "808"}, [(39, b * BAR + q * BEAT, 60, 96) for b in range(8) for q in (1, 3)]
                 + [(t, 7 * BAR + 3 * BEAT + i * BEAT // 4, 60, 100) for i, t in enumerate((50, 47, 45, 41))]),
        "Bass": ({"preset": "bass", "program": 33},
                 [(c[0] - 24 + 7 * (q == 2), b * BAR + q * BEAT, 860, 100 + 10 * (q == 0))
                  for b, c in enumerate(CHORDS * 2) for q in range(4)]),
        "Sub": ({"preset": "sub"}, [(c[0] - 24, b * BAR, BAR - 120, 110) for b, c in enumerate(CHORDS * 2)]),
        "808": ({"preset": "808"}, [(c[0] - 24, b * BAR + 2 * BEAT, 2 * BEAT, 105)
                                    for b, c in enumerate(CHORDS * 2)]),
        "Keys": ({"preset": "keys"}, [(p, b * BAR, 2 * BEAT, 84) for b, c in enumerate(CHORDS * 2) for p in c]),
        "Pad": ({"preset": "pad", "program": 89}, [(p, b * BAR, BAR, 72) for b, c in enumerate(CHORDS * 2)
                                                   for p in c]),
        "Strings": ({"preset": "keys", "program": 48},
                    [(c[1] + 12, b * BAR, 2 * BAR, 64) for b, c in enumerate(CHORDS * 2) if b % 2 == 0]
                    + [(c[2] + 12, b * BAR, 2 * BAR, 64) for b, c in enumerate(CHORDS * 2) if b % 2 == 0]),
        "Lead": ({"preset": "lead", "program": 81},
                 [(c[(b + i) % 3] + 12, b * BAR + i * 5 * BEAT // 4, BEAT, 96) for b, c in enumerate(CHORDS * 2)
                  for i in range(3)]),
        "Arp": ({"preset": "pluck"}, [(c[q % 3] + 24, b * BAR + q * BEAT, BEAT // 2, 88)
                                      for b, c in enumerate(CHORDS * 2) for q in range(4)]),
        "Stabs": ({"preset": "keys", "program": 25},
                  [(c[0] + 12, b * BAR + q * BEAT + BEAT // 2, BEAT // 2, 90) for b, c in enumerate(CHORDS * 2)
                   for q in (1, 3)]),
        "Organ": ({"preset": "keys", "program": 16}, [(p, b * BAR + 2 * BEAT, 2 * BEAT, 70)
                                                       for b, c in enumerate(CHORDS * 2) for p in c[:2]]),
        "Bell": ({"preset": "keys", "program": 9}, [(c[2] + 24, b * BAR + 3 * BEAT, BEAT, 80)
                                                     for b, c in enumerate(CHORDS * 2)]),
        "Lead 2": ({"preset": "lead"}, [(c[1] + 24, b * BAR + BEAT, 2 * BEAT, 76) for b, c in enumerate(CHORDS * 2)]),
    }
    return [(name, settings, notes) for name, (settings, notes) in p.items()]


def dense_song(minutes: float, humanize: bool) -> Song:
    bars = round(minutes * 60 / 2)  # 2 s a bar at 120 BPM
    song = Song(title="Dense", tempo=TempoMap([TempoChange(0, 120.0)]), meter=MeterMap([MeterChange(0, 4, 4)]),
                key=Key("A", "minor"), length_bars=bars)
    rng = np.random.default_rng(5)
    next_id = 1
    for number, (name, settings, section) in enumerate(parts()):
        track = Track(f"t{number + 1}", name, **settings, volume=0.7, pan=((number % 5) - 2) * 0.3)
        for start in range(0, bars * BAR, 8 * BAR):
            for pitch, tick, duration, velocity in section:
                if start + tick < bars * BAR:
                    nudged = int(np.clip(velocity + rng.integers(-8, 9), 1, 127)) if humanize else velocity
                    track.notes[next_id] = Note(next_id, pitch, start + tick, duration, nudged, ANA)
                    next_id += 1
        song.tracks.append(track)
    return song


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.{2 if value < 0.01 else 1}f} ms"


def offline_row(name: str, song: Song, runs: int, stems: bool = False) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        mix = render_song(song, SR, stems=stems)
        samples.append(time.perf_counter() - start)
    if not 0.05 < np.abs(mix.audio).max() <= 1.0:
        raise SystemExit(f"broken: the mix peaks at {np.abs(mix.audio).max()}")
    speeds = [mix.seconds / s for s in samples]
    median = statistics.median(speeds)
    print(ROW.format(name, seconds(statistics.median(samples)), f"{min(speeds):.0f}x–{max(speeds):.0f}x real time",
                     ">= 50x", f"{median:.0f}x " + ("ok" if median >= 50 else "over")), flush=True)


def export_row(song: Song, folder: Path) -> None:
    start = time.perf_counter()
    path = export_wav(song, folder / "dense.wav")
    elapsed = time.perf_counter() - start
    print(ROW.format(f"export_wav: render, encode, write {path.stat().st_size / 1e6:.0f} MB", seconds(elapsed),
                     "1 run", "-", "ref"), flush=True)


def block_row(song: Song, blocks: int, runs: int) -> None:
    """p99 of render_block over `blocks` consecutive blocks from the middle of the song; median of `runs` runs.

    The machine may be shared, so one run's tail can be someone else's work.
    """
    budget = BLOCK / SR
    p50s, p99s = [], []
    for _ in range(runs):
        player = BlockRenderer(song, SR)
        player.seek(round(song.tempo.seconds_at(song.end_tick) / 2 * SR))  # mid-song: every track is busy
        for _ in range(20):  # warm up caches and the allocator
            player.render_block(BLOCK)
        times = []
        for _ in range(blocks):
            start = time.perf_counter()
            player.render_block(BLOCK)
            times.append(time.perf_counter() - start)
        p50s.append(statistics.median(times))
        p99s.append(statistics.quantiles(times, n=100)[98])
    p99 = statistics.median(p99s)
    print(ROW.format(f"render_block({BLOCK}) of 16 busy tracks, p99", seconds(p99),
                     f"{seconds(min(p99s))}–{seconds(max(p99s))}", f"< {budget * 100:.2f} ms",
                     f"{p99 / budget:.0%} of a block " + ("ok" if p99 < budget / 10 else "over")), flush=True)
    print(ROW.format(f"render_block({BLOCK}), p50 (block budget {seconds(budget)})", seconds(statistics.median(p50s)),
                     f"{seconds(min(p50s))}–{seconds(max(p50s))}", "-", "ref"), flush=True)


def live_key_row(keys: int) -> None:
    """The worst of `keys` note-ons and note-offs on the keys, pad and drum sounds (each renders a window)."""
    from cowrite.audio.output import ManualOutput
    from cowrite.audio.player import Player

    player = Player(ManualOutput(), BLOCK, SR, threaded=False)
    tracks = [Track("keys", "Keys"), Track("pad", "Pad", preset="pad"),
              Track("drums", "Drums", TrackKind.DRUMS, "studio", 9)]
    times = []
    for i in range(keys):
        pitch, track = 36 + i % 48, tracks[i % len(tracks)]
        start = time.perf_counter()
        player.monitor_on(pitch, 100, track)
        middle = time.perf_counter()
        player.monitor_off(pitch)
        times += [middle - start, time.perf_counter() - middle]
    player.close()
    worst = max(times[len(tracks) * 2:])  # the first key of each sound loads it
    print(ROW.format("live key: monitor_on / monitor_off, worst", seconds(worst),
                     f"p50 {seconds(statistics.median(times))}", "< 3 ms",
                     "ok" if worst < 0.003 else "over"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 1-minute song, one run (for CI)")
    quick = parser.parse_args().quick
    minutes, runs, blocks = (1, 1, 500) if quick else (8, 3, 4000)
    patterned, humanized = dense_song(minutes, humanize=False), dense_song(minutes, humanize=True)
    notes = patterned.note_count()
    print(f"cowrite audio benchmark{' (quick)' if quick else ''}: {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, numpy {np.__version__} on {platform.platform()}")
    print(f"song: {len(patterned.tracks)} tracks, {minutes} min at 120 BPM, {notes:,} notes "
          f"({notes / (minutes * 120):.1f} a beat); offline rows are medians of {runs}\n")
    print(ROW.format("measurement", "median", "spread", "goal", "verdict"))
    print("-" * 112)
    block_row(humanized, blocks, runs)  # first, while the machine's memory is calm
    live_key_row(60 if quick else 600)
    offline_row("render_song, mix only, patterns repeat exactly", patterned, runs)
    offline_row("render_song, mix only, humanized velocities", humanized, runs)
    offline_row("render_song with 16 stems, humanized", humanized, 1, stems=True)
    with tempfile.TemporaryDirectory(prefix="cowrite-audio-") as temp:
        export_row(humanized, Path(temp))


if __name__ == "__main__":
    main()
