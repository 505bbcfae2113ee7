"""Where the panels go: a first layout that leaves the roll most of the room, kept as the person arranges it.

The piano roll is where a musician spends every minute, so the docks start
narrow and share space: on a window narrower than WIDE every dock stacks in
one column on the right (the track list above, the assistants, samples and
attribution as tabs below it); a wide window puts the track list on the left,
as DAWs do. Docks shrink to DOCK_MIN px, close, float and tab; their
arrangement, the window's size and the overview's height are saved
(QMainWindow.saveState, the central splitter's saveState) when the window closes and restored on the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

#: from this window width on, the track list gets a column of its own on the left
WIDE = 1500
DOCK_MIN = 300
DOCK_START = 330  # a dock's starting width: a card's text and a track's controls fit
TRACKS_SHARE = 40  # percent of a narrow window's height for the track list above the tabs (four tracks at 700 px)
#: bumped whenever the set of docks or toolbars changes, so an old saved state is not applied to a new window
LAYOUT_VERSION = 2


def fit_to_screen(window: QMainWindow, preferred=(1600, 1000)) -> None:
    """Start at the preferred size, or the screen's available area when that is smaller."""
    screen = window.screen()
    if screen is None:
        window.resize(*preferred)
        return
    room = screen.availableGeometry()
    window.resize(min(preferred[0], room.width()), min(preferred[1], room.height()))
    window.move(room.topLeft())


def arrange(window: QMainWindow, tracks: QDockWidget, tabbed: list[QDockWidget]) -> None:
    """The first layout (see the module's docstring), for the window's width now.

    The tab group is formed dock by dock, never stacking all docks in one column
    first: their minimum heights added up would grow the window past the screen.
    """
    right = Qt.DockWidgetArea.RightDockWidgetArea
    size = window.size()
    wide = size.width() >= WIDE
    for dock in (tracks, *tabbed):
        dock.setFloating(False)
        dock.show()
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea if wide else right, tracks)
    if wide:
        window.addDockWidget(right, tabbed[0])
    else:
        window.splitDockWidget(tracks, tabbed[0], Qt.Orientation.Vertical)
    for dock in tabbed[1:]:
        window.tabifyDockWidget(tabbed[0], dock)
    tabbed[0].raise_()
    window.resizeDocks([tracks, tabbed[0]], [DOCK_START, DOCK_START], Qt.Orientation.Horizontal)
    if not wide:
        window.resizeDocks([tracks, tabbed[0]], [TRACKS_SHARE * size.height() // 100, size.height()],
                           Qt.Orientation.Vertical)
    window.resize(size)


def saved_state(window: QMainWindow) -> dict[str, str]:
    """The arrangement as text for the preferences file."""
    return {"geometry": _text(window.saveGeometry()), "docks": _text(window.saveState(LAYOUT_VERSION)),
            "centre": _text(window.centralWidget().saveState())}


def saved_centre(state: dict) -> QByteArray | None:
    """The overview's height as saved, for the window to apply once the first song's views are in."""
    return _bytes(state["centre"]) if isinstance(state, dict) and state.get("centre") else None


def _text(state: QByteArray) -> str:
    return bytes(state.toBase64()).decode()


def _bytes(text) -> QByteArray:
    return QByteArray.fromBase64(str(text).encode())


def restore_state(window: QMainWindow, state: dict) -> bool:
    """Put back a saved arrangement; False (and nothing changed) when there is none or it does not fit."""
    if not isinstance(state, dict) or not state.get("docks"):
        return False
    geometry = _bytes(state.get("geometry", ""))
    if geometry and not window.restoreGeometry(geometry):
        return False
    return window.restoreState(_bytes(state["docks"]), LAYOUT_VERSION)
