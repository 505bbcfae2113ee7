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

The song overview (the lanes above the roll) is measured on 10,000 and 100,000
notes spread over 8 tracks of the same dense part, at 1600 pixels wide: each
paint moves the playhead, as in playback, and draws the whole widget. Goal:
under 8 ms. "after edit" paints right after a ChangeSet names one of the
tracks, so that track's thumbnail is rebuilt from its notes; goal: under 16 ms.
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
from cowrite.edit import AddNotes, AddTrack, ChangeSet, Macro  # noqa: E402
from cowrite.io.project import Project  # noqa: E402
from cowrite.model import PPQ, Key, Song  # noqa: E402
from cowrite.ui.piano_roll import PianoRoll  # noqa: E402
from cowrite.ui.session import Session  # noqa: E402
from cowrite.ui.song_overview import SongOverview  # noqa: E402

WIDTH, HEIGHT = 1600, 900
NOTES_A_BAR = 64
BAR = 4 * PPQ
SIZES = (1_000, 10_000, 100_000)
OVERVIEW_SIZES = (10_000, 100_000)
OVERVIEW_TRACKS = 8
GOALS = {"8 bars": 0.008, "whole song": 0.016, "overview": 0.008, "after edit": 0.016}
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


def overview_for(folder: Path, count: int) -> SongOverview:
    """An overview of a song of OVERVIEW_TRACKS tracks holding `count` notes between them."""
    project = Project.create(folder / f"overview{count}.cowrite", Song(key=Key("C", "major")), Actor.person("Ana"))
    share = count // OVERVIEW_TRACKS
    project.document.apply(Macro("Parts", [command for i in range(OVERVIEW_TRACKS) for command in (
        AddTrack(f"Part {i + 1}"), AddNotes(f"Part {i + 1}", dense_part(share, seed=i + 1)))]))
    session = Session(project)
    overview = SongOverview(session)
    overview.resize(WIDTH, overview.sizeHint().height())
    overview.show()
    return overview


def overview_paint_times(overview: SongOverview, runs: int, after_edit: bool) -> list[float]:
    """Paint times of the whole overview with the playhead a bar further each time (and, `after_edit`,
    right after a ChangeSet names the first track)."""
    image = QImage(overview.size(), QImage.Format.Format_ARGB32_Premultiplied)
    overview.render(image)  # builds every track's thumbnail once, as the first paint of a song does
    edited = ChangeSet(note_tracks={overview.session.song.tracks[0].id})
    samples = []
    for run in range(runs):
        overview.playhead_tick = run * BAR
        start = time.perf_counter()
        if after_edit:
            overview._on_changed(edited)
        overview.render(image)
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def report(count: int, view: str, samples: list[float]) -> bool:
    """Print a row of the table; True when its median is over the goal."""
    median, goal = statistics.median(samples), GOALS[view]
    print(ROW.format(f"{count:,}", view, ms(median), f"{ms(min(samples))}–{ms(max(samples))}",
                     f"< {goal * 1000:.0f} ms", "ok" if median < goal else "SLOW"))
    return median >= goal


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
                failed |= report(count, view, paint_times(roll, runs))
            roll.session.project.close()
        for count in OVERVIEW_SIZES:
            overview = overview_for(Path(folder), count)
            for view, after_edit in (("overview", False), ("after edit", True)):
                samples = overview_paint_times(overview, runs, after_edit)
                failed |= report(count, view, samples)
            overview.session.project.close()
    if failed:
        raise SystemExit("some paints are over their budget")


if __name__ == "__main__":
    app = QApplication.instance() or QApplication([])  # alive while the rolls paint
    main()
