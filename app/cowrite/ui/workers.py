"""Run slow work (an assistant, an export, a library scan) off the UI thread.

The window must never freeze while an assistant thinks or a WAV renders, yet
the document may only be touched on the UI thread. So a worker gets a plain
function with everything it needs already copied out of the song, and hands
its result back through a Qt signal, which Qt delivers on the UI thread.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Task(QObject):
    """One piece of background work and its two possible endings."""

    done = Signal(object)  # the function's return value
    failed = Signal(str)  # one line for the person: what went wrong

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.running = True


class _Job(QRunnable):
    def __init__(self, task: Task, work: Callable[[], object]):
        super().__init__()
        self.task, self.work = task, work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as e:  # a failure in a thread must reach the person, not vanish with the thread
            self.task.failed.emit(str(e) or type(e).__name__)
        else:
            self.task.done.emit(result)


_alive: set[Task] = set()  # a Task must outlive its job, or its signals die with it


def run_in_thread(name: str, work: Callable[[], object], on_done: Callable[[object], None],
                  on_failed: Callable[[str], None]) -> Task:
    """Start `work()` on Qt's thread pool; `on_done(result)` or `on_failed(message)` runs on the UI thread.

    The callbacks are connected before the job starts: a fast job could
    otherwise finish before anyone listens.
    """
    task = Task(name)
    _alive.add(task)

    def finished(*_):
        task.running = False
        _alive.discard(task)

    task.done.connect(finished)
    task.failed.connect(finished)
    task.done.connect(on_done)
    task.failed.connect(on_failed)
    QThreadPool.globalInstance().start(_Job(task, work))
    return task


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Let running work finish (at quit), so no thread writes a file half-way."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
