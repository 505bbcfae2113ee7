"""Start the studio: the application, the person's settings and theme, a song, the player, the window.

Start-up is kept short (the window should be up well within 1.5 s): music21
is never imported here, and the library, the history and the assistants'
models load after the window shows or when first used.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import LedgerError
from cowrite.io.errors import FileProblem
from cowrite.settings import load_settings
from cowrite.ui import recovery
from cowrite.ui.first_run import ask_name_if_new
from cowrite.ui.preferences import apply_theme, load_prefs, remember, save_prefs


def demo_path() -> Path:
    """Where the demo song lives: the user's data folder, built there on first start."""
    from cowrite.library import data_dir

    return data_dir() / "demo" / "demo.cowrite"


def first_song(song_path: str | Path | None, demo: bool, recent: list[str]) -> Path:
    """The song asked for, else (unless the demo is asked for) the last one, else the demo song."""
    if song_path:
        return Path(song_path)
    if not demo and recent and Path(recent[0]).exists():
        return Path(recent[0])
    path = demo_path()
    if not path.exists():
        from cowrite.demo import build

        build(path.parent)
    return path


def run(song_path: str | Path | None = None, demo: bool = False, quit_after_show: bool = False,
        author: str | None = None, ask_name=None) -> int:
    """Open the studio window on a song and run until it closes; the exit code.

    `author` names the person (else $COWRITE_AUTHOR, the settings; on first
    start the window asks, through `ask_name(suggested)` when given).
    The demo song opens coloured by who wrote each note: what it is there to show.

    With `quit_after_show` the window closes as soon as it has been shown,
    printing how long that took (to measure start-up).
    """
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Cowrite")
    app.setDesktopFileName("cowrite")
    settings, prefs = load_settings(), load_prefs()
    apply_theme(app, settings.theme)
    person = Actor.person(ask_name_if_new(settings, author, ask_name))
    path = first_song(song_path, demo, prefs.recent)
    try:
        project = recovery.open_song(path, person, recovery.ask, recovery.ask_read_only)
    except (FileProblem, LedgerError) as e:
        QMessageBox.critical(None, "Cannot open the song", str(e))
        return 2
    remember(prefs, path)
    try:
        save_prefs(prefs)
    except FileProblem:
        pass  # a read-only config folder costs the recent-songs list, nothing else

    from cowrite.audio.output import open_output
    from cowrite.audio.player import Player
    from cowrite.ui.main_window import MainWindow
    from cowrite.ui.session import Session

    player = Player(open_output(device=prefs.audio_device or None), block=prefs.buffer_size)
    window = MainWindow(Session(project, player), settings, prefs)
    if path.resolve() == demo_path().resolve():
        window.act.colour.setChecked(True)
    window.show()
    if quit_after_show:
        def shown() -> None:
            print(f"window shown after {time.perf_counter() - started:.3f} s (in-process)")
            window.close()

        QTimer.singleShot(0, shown)
    try:
        return app.exec()
    finally:
        player.close()
