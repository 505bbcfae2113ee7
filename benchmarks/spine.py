"""Timings of Cowrite's spine against its goals: MIDI import, save/load, edits, ledger verify.

Run:  .venv/bin/python benchmarks/spine.py [--quick]

Every input (a 60,000-note MIDI file, a 100,000-note project, a 1,000,000-event
ledger) is built in a temporary folder that is removed afterwards. Each row is
the median of several runs, because the machine may be shared and noisy; a
verdict compares the median with the goal. --quick checks a 100,000-event ledger
and uses fewer runs, so CI can smoke-test the script in seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from itertools import count
from pathlib import Path

import mido

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import GENESIS, Ledger, LedgerRecord, encode_event, utc_now, verify_ledger
from cowrite.edit import AddNotes, AddTrack, Document, ImportSong, Macro, MoveNotes, Quantize
from cowrite.io.midi_read import read_midi
from cowrite.io.project import Project, read_song
from cowrite.model import PPQ, Song

ANA = Actor.person("Ana")
BAR = 4 * PPQ  # a 4/4 bar
ROW = "{:<46} {:>11} {:>19} {:>11}  {}"


# -- timing and the table ----------------------------------------------------------------

def timed(action, runs: int, setup=None) -> list[float]:
    """Seconds taken by each of `runs` calls of action(*setup()); setup is not timed."""
    samples = []
    for _ in range(runs):
        args = setup() if setup else ()
        start = time.perf_counter()
        action(*args)
        samples.append(time.perf_counter() - start)
    return samples


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.{2 if value < 0.01 else 1}f} ms"


def time_row(name: str, samples: list[float], goal: float | None, p95: bool = False) -> None:
    """Print the median of `samples` against a goal in seconds (None: a reference, no goal)."""
    median = statistics.median(samples)
    spread = (f"p95 {seconds(statistics.quantiles(samples, n=20)[18])}" if p95
              else f"{seconds(min(samples))}–{seconds(max(samples))}")
    goal_text = "-" if goal is None else f"< {goal:g} s" if goal >= 1 else f"< {goal * 1000:g} ms"
    verdict = "ref" if goal is None else "ok" if median < goal else "over"
    print(ROW.format(name, seconds(median), spread, goal_text, verdict), flush=True)


def rate_row(name: str, changes: int, samples: list[float], goal: float) -> None:
    """Print the median rate of `changes` note changes per run against a goal in changes a second."""
    rates = [changes / s for s in samples]
    median = statistics.median(rates)
    print(ROW.format(name, f"{median:,.0f}/s", f"{min(rates):,.0f}–{max(rates):,.0f}/s", f">= {goal:,.0f}/s",
                     "ok" if median >= goal else "over"), flush=True)


def check(condition: bool, problem: str) -> None:
    """Stop the benchmark when the code under test gave a wrong answer: its timings would mean nothing."""
    if not condition:
        raise SystemExit(f"broken: {problem}")


# -- 1. MIDI import --------------------------------------------------------------------

def write_midi(path: Path, tracks: int = 8, notes_per_track: int = 7_500) -> None:
    """A type 1 file at 960 PPQ: a conductor track (tempo change at bar 9, 3/4 from bar 17), then note tracks."""
    conductor = mido.MidiTrack([
        mido.MetaMessage("track_name", name="Spine", time=0),
        mido.MetaMessage("set_tempo", tempo=500_000, time=0),
        mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
        mido.MetaMessage("key_signature", key="G", time=0),
        mido.MetaMessage("set_tempo", tempo=600_000, time=8 * BAR),
        mido.MetaMessage("time_signature", numerator=3, denominator=4, time=8 * BAR),
        mido.MetaMessage("end_of_track", time=0),
    ])
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ, tracks=[conductor])
    for number in range(tracks):
        channel = 9 if number == tracks - 1 else number
        events = []  # (tick, message): overlapping notes, 120 ticks apart, 180 long
        for i in range(notes_per_track):
            pitch, start = 36 + (i * 7 + number * 5) % 60, i * 120 + number
            events.append((start, mido.Message("note_on", channel=channel, note=pitch, velocity=40 + i % 80)))
            events.append((start + 180, mido.Message("note_off", channel=channel, note=pitch, velocity=0)))
        events.sort(key=lambda e: e[0])
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=f"Part {number + 1}", time=0),
                                mido.Message("program_change", channel=channel, program=number * 8, time=0)])
        last = 0
        for tick, message in events:
            track.append(message.copy(time=tick - last))
            last = tick
        track.append(mido.MetaMessage("end_of_track", time=0))
        midi.tracks.append(track)
    midi.save(path)


def measure_import(folder: Path, runs: int) -> None:
    path = folder / "import.mid"
    write_midi(path)
    imported = read_midi(path)
    check(sum(len(t.notes) for t in imported.tracks) == 60_000 and len(imported.tracks) == 8,
          f"read_midi found {sum(len(t.notes) for t in imported.tracks)} notes in {len(imported.tracks)} tracks")
    check(len(imported.tempo) == 2 and len(imported.meter) == 2 and not imported.warnings,
          f"read_midi: tempo {imported.tempo}, meter {imported.meter}, warnings {imported.warnings}")
    ledgers = count()

    def fresh_document() -> tuple[Document]:
        return (Document(Song(), Ledger.create(folder / f"import-{next(ledgers)}.jsonl"), ANA),)

    def read_and_import(document: Document) -> None:
        document.apply(ImportSong(read_midi(path)))

    read = timed(lambda: read_midi(path), runs)
    time_row("1a read_midi, 60k notes, 8 tracks", read, 0.100)
    time_row("1b read_midi + ImportSong (ledger fsync)", timed(read_and_import, runs, fresh_document), 0.100)
    reference = timed(lambda: mido.MidiFile(path), 2)
    ratio = statistics.median(reference) / statistics.median(read)
    time_row(f"1c mido.MidiFile parse (ref: {ratio:.0f}x read_midi)", reference, None)


# -- 2. save and load ------------------------------------------------------------------

def build_project(folder: Path, tracks: int = 16, notes_per_track: int = 6_250) -> Project:
    """A saved 100,000-note song made through the door: one macro adds the tracks and their notes.

    Starts are a little off the 240-tick grid, so every quantize changes every note.
    """
    rng = random.Random(1)
    project = Project.create(folder / "big.cowrite", Song(title="Spine"), ANA)
    commands = []
    for number in range(tracks):
        name = f"Part {number + 1}"
        notes = [(36 + (i * 7 + number) % 60, i * 240 + rng.randint(1, 40), rng.randint(60, 480),
                  rng.randint(30, 127)) for i in range(notes_per_track)]
        commands += [AddTrack(name), AddNotes(name, notes)]
    project.document.apply(Macro("Set up", commands))
    project.save()
    return project


def measure_save_load(project: Project, runs: int) -> None:
    song, _ = read_song(project.path)
    check(song.note_count() == 100_000 and len(song.tracks) == 16,
          f"read_song found {song.note_count()} notes in {len(song.tracks)} tracks")
    size = project.path.stat().st_size / 1e6
    time_row(f"2a Project.save, 100k notes ({size:.1f} MB)", timed(project.save, runs), 0.300)
    time_row("2b read_song, 100k notes", timed(lambda: read_song(project.path), runs), 0.300)


# -- 3. edits --------------------------------------------------------------------------

def measure_edits(project: Project, runs: int, edits: int) -> None:
    """One-note moves, then 500-note batches, each on its own notes of the 100k song."""
    document = project.document
    selections = (list(range(first, first + 500)) for first in range(1, 100_001, 500))
    single = next(selections)
    moves = iter([MoveNotes([single[i % len(single)]], ticks=10 if i % 2 == 0 else -10) for i in range(edits)])
    time_row(f"3a MoveNotes of 1 note, durable ({edits} edits)",
             timed(document.apply, edits, setup=lambda: (next(moves),)), 0.005, p95=True)

    starts = count(1_000 * BAR, 240)

    def new_notes() -> AddNotes:
        return AddNotes("Part 1", [(60 + i % 12, next(starts), 200, 90) for i in range(500)])

    batches = [
        ("3b MoveNotes of 500 notes", 500, lambda: MoveNotes(next(selections), ticks=5)),
        ("3c Quantize of 500 notes", 500, lambda: Quantize(next(selections), grid=240)),
        ("3d AddNotes of 500 notes", 500, new_notes),
        ("3e Macro: move + quantize + add, 500 each", 1_500, lambda: Macro("Batch", [
            MoveNotes(next(selections), ticks=5), Quantize(next(selections), grid=240), new_notes()])),
    ]
    for name, changes, make in batches:
        applied = []
        samples = timed(lambda command: applied.append(document.apply(command)), runs, setup=lambda: (make(),))
        check(all(applied), f"{name}: a batch changed nothing")
        rate_row(name, changes, samples, 10_000)


# -- 4. ledger verification ------------------------------------------------------------

def write_ledger(path: Path, events: int) -> LedgerRecord:
    """A chained ledger of one-note add_notes events, written with one write; its record."""
    actor, stamp = ANA.to_json(), utc_now()
    data, prev = bytearray(), GENESIS
    for seq in range(1, events + 1):
        body = {"v": 1, "time": stamp, "op": "add_notes", "action": V.CREATED, "prov": V.GENERATED,
                "actor": actor, "subject": {"track": "t1", "notes": [seq]}, "before": None,
                "after": {"notes": [[seq, 36 + seq % 60, seq * 240, 240, 100]]}}
        line, prev = encode_event(seq, prev, body)
        data += line
        data += b"\n"
    path.write_bytes(data)
    return LedgerRecord(events, len(data), prev)


def measure_verify(folder: Path, events: int, runs: int) -> None:
    path = folder / "million.jsonl"
    record = write_ledger(path, events)
    results = []
    samples = timed(lambda: results.append(verify_ledger(path, record)), runs)
    check(all(r.intact and r.events == events for r in results), f"verify_ledger: {results[0].message}")
    time_row(f"4  verify_ledger, {events:,} events ({record.bytes / 1e6:.0f} MB)", samples, 3.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 ledger events and fewer runs (for CI)")
    quick = parser.parse_args().quick
    runs, edits, events = (5, 50, 100_000) if quick else (11, 200, 1_000_000)
    print(f"cowrite spine benchmark{' (quick)' if quick else ''}: {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()} on {platform.platform()}")
    print(f"medians of {runs} runs ({edits} edits for 3a, 3 runs for 4, 2 for 1c)\n")
    print(ROW.format("measurement", "median", "p95 or min–max", "goal", "verdict"))
    print("-" * 100)
    with tempfile.TemporaryDirectory(prefix="cowrite-spine-") as temp:
        folder = Path(temp)
        measure_import(folder, runs)
        project = build_project(folder)
        try:
            measure_save_load(project, runs)
            measure_edits(project, runs, edits)
        finally:
            project.close()
        measure_verify(folder, events, 3)


if __name__ == "__main__":
    main()
