"""Piano roll paint time against its goals: a frame must fit in a screen refresh, however big the song.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_paint.py [--quick]

For 1,000, 10,000 and 100,000 notes on the current track (a dense part: 64
notes a bar, so the song is as long as its notes need, 16 to 1,563 bars), the
roll is rendered into a 1600x900 image, the way the window's backing store is
painted: once showing about 8 bars in the middle of the song, once zoomed out
to the whole song. Each row is the median of 20 paints after one untimed paint
(which builds the note index, a cost paid once per edit, not per frame); the
view scrolls a pixel before each paint, so no paint reuses the one before.
Goals: a visible window at 10,000 notes under 8 ms (half a 60 Hz frame, leaving
the other half to the rest of the window); the whole song at 100,000 notes
under 16 ms. The other rows are held to the same budgets. --quick runs 5 paints
a row, to smoke-test the script in CI.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cowrite.attribution.actors import Actor  # noqa: E402
from cowrite.edit import AddNotes, AddTrack, Macro  # noqa: E402
from cowrite.io.project import Project  # noqa: E402
from cowrite.model import PPQ, Key, Song  # noqa: E402
from cowrite.ui.piano_roll import PianoRoll  # noqa: E402
from cowrite.ui.session import Session  # noqa: E402

WIDTH, HEIGHT = 1600, 900
NOTES_A_BAR = 64
BAR = 4 * PPQ
SIZES = (1_000, 10_000, 100_000)
GOALS = {"8 bars": 0.008, "whole song": 0.016}
ROW = "{:>8}  {:<11} {:>9} {:>17} {:>8}  {}"


def dense_part(count: int, seed: int = 1) -> list[tuple[int, int, int, int]]:
    """`count` notes, 64 a bar: sixteenths in four voices around middle C, varied lengths and velocities."""
    rng = random.Random(seed)
    step = BAR // NOTES_A_BAR * 4  # four notes share each sixteenth
    return [(rng.randint(48, 84), (i // 4) * step, rng.choice((120, 240, 480, 960)), rng.randint(40, 127))
            for i in range(count)]


def roll_for(folder: Path, count: int) -> PianoRoll:
    project = Project.create(folder / f"bench{count}.cowrite", Song(key=Key("C", "major")), Actor.person("Ana"))
    project.document.apply(Macro("Part", [AddTrack("Keys"), AddNotes("Keys", dense_part(count))]))
    roll = PianoRoll(Session(project))
    roll.resize(WIDTH, HEIGHT)
    roll.show()
    return roll


def show_eight_bars(roll: PianoRoll) -> None:
    middle = roll.session.song.end_tick // 2
    roll.view.fit_ticks(max(0, middle - 4 * BAR), middle + 4 * BAR)


def paint_times(roll: PianoRoll, runs: int) -> list[float]:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    roll.render(image)  # builds the index once, as the first paint after an edit does
    samples = []
    for _ in range(runs):
        roll.view.scroll_by(1, 0)  # a new view each frame, as in a scroll: nothing painted before is reused
        start = time.perf_counter()
        roll.render(image)
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 paints a row instead of 20")
    runs = 5 if parser.parse_args().quick else 20
    print(ROW.format("notes", "view", "median", "min–max", "goal", "verdict"))
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for count in SIZES:
            roll = roll_for(Path(folder), count)
            for view, arrange in (("8 bars", show_eight_bars), ("whole song", PianoRoll.show_whole_song)):
                arrange(roll)
                samples = paint_times(roll, runs)
                median, goal = statistics.median(samples), GOALS[view]
                failed |= median >= goal
                print(ROW.format(f"{count:,}", view, ms(median), f"{ms(min(samples))}–{ms(max(samples))}",
                                 f"< {goal * 1000:.0f} ms", "ok" if median < goal else "SLOW"))
            roll.session.project.close()
    if failed:
        raise SystemExit("some paints are over their budget")


if __name__ == "__main__":
    app = QApplication.instance() or QApplication([])  # alive while the rolls paint
    main()
