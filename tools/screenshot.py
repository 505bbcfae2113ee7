"""Screenshots of the studio on the demo song, on a real X server, into out/screenshots/.

    .venv/bin/python tools/screenshot.py                   # both themes at 1024x700 and 1600x1000, each on
                                                           # its own Xvfb screen (xcb), as a person sees it
    .venv/bin/python tools/screenshot.py --theme light --size 1024x700   # one set, on $DISPLAY (or offscreen)

Builds the demo song in a temporary folder (the person's own settings, sample
library and songs are not touched), then saves: the piano roll on the melody
coloured by origin, the drum grid, a pending harmony suggestion as ghost
notes with the assistants dock, the attribution dock's history, the samples
dock, and the credits dialog.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
_scratch = tempfile.mkdtemp(prefix="cowrite-shots-")
os.environ["COWRITE_CONFIG_DIR"] = os.path.join(_scratch, "config")
os.environ["COWRITE_DATA_DIR"] = os.path.join(_scratch, "data")

from PySide6.QtWidgets import QApplication  # noqa: E402

from cowrite.attribution.actors import Actor  # noqa: E402
from cowrite.audio.output import open_output  # noqa: E402
from cowrite.audio.player import Player  # noqa: E402
from cowrite.demo import build  # noqa: E402
from cowrite.io.project import Project  # noqa: E402
from cowrite.settings import Settings  # noqa: E402
from cowrite.ui.credits_dialog import CreditsDialog  # noqa: E402
from cowrite.ui.main_window import MainWindow  # noqa: E402
from cowrite.ui.preferences import StudioPrefs, apply_theme  # noqa: E402
from cowrite.ui.session import Session  # noqa: E402

SIZES = ("1024x700", "1600x1000")


def settle(app: QApplication, until=lambda: True, timeout: float = 20.0) -> None:
    """Let Qt lay out, paint and deliver worker results until `until()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        app.processEvents()
        if until() or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", choices=("dark", "light"), help="one theme (default: both, each size)")
    parser.add_argument("--size", help="WIDTHxHEIGHT of the window (default: each of " + ", ".join(SIZES) + ")")
    parser.add_argument("--out", default="out/screenshots")
    args = parser.parse_args(argv)
    if args.theme is None or args.size is None:
        return every_set(args.out)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    size = tuple(int(v) for v in args.size.split("x"))
    suffix = f"-{args.size}" + ("" if args.theme == "dark" else "-light")

    app = QApplication(sys.argv[:1])
    settings = Settings(author="Ana", theme=args.theme)
    apply_theme(app, settings.theme)
    song = build(Path(_scratch) / "demo")
    project = Project.open(song, Actor.person("Ana"))
    window = MainWindow(Session(project, Player(open_output())), settings, StudioPrefs())
    window.move(0, 0)
    window.resize(*size)
    window.show()
    session = window.session
    settle(app, lambda: window.samples.db is not None and not window.samples.indexing)

    def shot(name: str, widget=None) -> None:
        settle(app)
        path = out / f"{name}{suffix}.png"
        if widget is None and os.environ["QT_QPA_PLATFORM"] == "xcb":
            subprocess.run(["import", "-window", "root", str(path)], check=True)  # what the X server shows
        else:
            (widget or window).grab().save(str(path))
        print(path)

    melody = session.song.find_track("Melody")
    session.set_current_track(melody.id)
    window.act.colour.setChecked(True)
    window.piano.show_whole_song()
    session.select({n.id for n in melody.sorted_notes()[4:8]})
    window.attribution_dock.raise_()
    shot("piano-roll-by-origin")

    session.select(set())
    session.set_current_track(session.song.find_track("Drums").id)
    shot("drum-grid")

    window.samples_dock.raise_()
    window.samples.query.setText("kick")
    window.samples.search()
    window.samples.results.setCurrentItem(window.samples.results.topLevelItem(0))
    shot("samples")

    keys = session.song.find_track("Keys")
    session.set_current_track(keys.id)
    window.assistants_dock.raise_()
    dock = window.assistant
    dock.pick("harmony")
    dock.target.setCurrentIndex(dock.target.findData(keys.id))
    dock.source.setCurrentIndex(dock.source.findData(melody.id))
    dock.first_bar.setValue(5)
    dock.last_bar.setValue(8)
    dock.set_value("voicing", "block")
    dock.generate(seed=4)
    settle(app, lambda: session.suggestion is not None)
    window.piano.show_whole_song()
    session.select_ghosts({0, 1, 2})
    shot("suggestion-ghost-notes")

    dialog = CreditsDialog(session, window)
    dialog.show()
    shot("credits", dialog)
    dialog.close()

    window.files.save()  # the suggestion made the song unsaved: closing would ask
    window.close()
    return 0


def every_set(out: str) -> int:
    """Each theme at each size, each size on a fresh Xvfb screen of exactly that size."""
    for size in SIZES:
        with xvfb(size) as display:
            for theme in ("dark", "light"):
                env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
                subprocess.run([sys.executable, __file__, "--theme", theme, "--size", size, "--out", out],
                               env=env, check=True)
    return 0


@contextlib.contextmanager
def xvfb(size: str):
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        display = ":" + f.readline().strip()
    try:
        yield display
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    finally:
        shutil.rmtree(_scratch, ignore_errors=True)
