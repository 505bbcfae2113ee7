"""The studio on a real X server (Xvfb, Qt's xcb platform plugin), started as a newcomer starts it.

Offscreen tests cannot see a missing xcb library, a dialog nobody can answer,
or a window larger than the screen. This one runs `cowrite studio --demo`
from an empty HOME on a 1024x700 virtual screen, answers the first-run
question with xdotool as a person would, keeps the window up, takes a
screenshot (kept in out/screenshots/ to be looked at) and quits with Ctrl+Q.

`make test` sets COWRITE_REAL_DESKTOP=1: there, a missing Xvfb or xdotool is a
failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

SCREEN = (1024, 700)
TOOLS = ("Xvfb", "xdotool", "import")
REPO = Path(__file__).resolve().parents[2]


def _tools_or_skip() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing and os.environ.get("COWRITE_REAL_DESKTOP"):
        pytest.fail(f"the real-desktop test needs {', '.join(missing)} (tools/bootstrap.sh --test installs them)")
    if missing:
        pytest.skip(f"no {', '.join(missing)}")


@pytest.fixture
def display():
    """A fresh virtual screen; its display name."""
    _tools_or_skip()
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                               "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()  # Xvfb writes it once the server accepts clients
    yield f":{number}"
    server.terminate()
    server.wait(10)


def xdotool(env: dict, *args: str, timeout: float = 60) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout,
                          check=True).stdout.strip()


def newcomer_env(home: Path, display: str) -> dict:
    """An empty HOME, no Cowrite variables, the real xcb platform."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COWRITE_", "XDG_", "QT_"))}
    env.update(HOME=str(home), DISPLAY=display, QT_QPA_PLATFORM="xcb", LOGNAME="root", USER="root")
    return env


def distinct_colours(png: Path) -> int:
    image = QImage(str(png))
    assert not image.isNull(), f"{png} is not an image"
    step = 7
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def screenshot_once_drawn(display: str, shot: Path, deadline_s: float = 60) -> bool:
    """Screenshot the screen until the window has been drawn (mapped comes before painted); False at the deadline."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True, timeout=60)
        if distinct_colours(shot) > 40:
            return True
    return False


def test_a_newcomer_starts_the_studio_on_a_real_x_server(display, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = newcomer_env(home, display)
    app = subprocess.Popen([sys.executable, "-m", "cowrite", "studio", "--demo"], env=env, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        question = xdotool(env, "search", "--sync", "--name", "Welcome to Cowrite").splitlines()[0]
        xdotool(env, "windowfocus", "--sync", question)
        xdotool(env, "type", "--delay", "20", "Ana Rivera")
        xdotool(env, "key", "Return")
        window = xdotool(env, "search", "--sync", "--name", "First Light").splitlines()[0]
        geometry = xdotool(env, "getwindowgeometry", window)
        assert app.poll() is None, app.communicate()
        shot = REPO / "out" / "screenshots" / "xcb-first-run-1024x700.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        assert screenshot_once_drawn(display, shot), "the screen shows no window"
        assert app.poll() is None, "the window did not stay up"
        xdotool(env, "windowfocus", "--sync", window)
        xdotool(env, "key", "ctrl+q")
        out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, err
    assert "Could not load the Qt platform plugin" not in err
    settings = next(home.rglob("settings.json")).read_text()
    assert '"author": "Ana Rivera"' in settings
    width, height = (int(v) for v in geometry.split("Geometry:")[1].split()[0].split("x"))
    assert width <= SCREEN[0] and height <= SCREEN[1], f"the window ({width}x{height}) is larger than the screen"
