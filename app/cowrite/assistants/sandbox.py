"""Run assistant plugins in worker processes of their own, each under a hard time limit.

One long-lived worker a plugin (`worker.py`): started on first use, it imports
the plugin once and then answers suggestions in a few milliseconds. A worker
that crashes, exits, or overruns its time limit is killed and forgotten, and
the next request starts a fresh one: a misbehaving plugin costs one suggestion,
never Cowrite. Requests go out pickled (a copy: the plugin cannot touch the
song); replies come back as JSON of plain values (see `plain`).

Why a subprocess rather than multiprocessing's spawn: spawn re-imports the
parent's `__main__` (the window, pytest) in every worker; `python -m
cowrite.assistants.worker` imports only Cowrite's model and the plugin.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

import orjson

from cowrite.assistants.errors import AssistantError
from cowrite.assistants.request import Draft, Request
from cowrite.assistants.validate import checked_draft, note_limit

DEFAULT_TIME_LIMIT = 10.0  # seconds a suggestion may take
IMPORT_TIME_LIMIT = 10.0  # seconds a plugin may take to import and construct
REPLY_LIMIT = 64 << 20  # bytes of one reply; a plugin cannot flood Cowrite's memory
EXIT_GRACE = 1.0  # seconds a worker whose pipe closed has to end, before it is killed


class WorkerFailure(AssistantError):
    """A plugin's worker did not answer: `reason` says why, without the plugin's name ('crashed (...)')."""

    def __init__(self, label: str, reason: str):
        super().__init__(f"{label} {reason}")
        self.reason = reason


def exit_reason(returncode: int) -> str:
    """How a worker ended, in words: 'segmentation fault', 'exited with code 0'."""
    if returncode < 0:
        try:
            return (signal.strsignal(-returncode) or f"signal {-returncode}").lower()
        except ValueError:
            return f"signal {-returncode}"
    return f"exited with code {returncode}"


class Worker:
    """One plugin's process and its two pipes; every call waits at most its time limit."""

    def __init__(self, target: str):
        self.target = target
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
               "PYTHONHASHSEED": "0"}  # set and dict order of text the same in every worker: reproducible
        self.process = subprocess.Popen([sys.executable, "-m", "cowrite.assistants.worker", target],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.lock = threading.Lock()
        self.described: dict | None = None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def describe(self, deadline: float, time_limit: float, label: str) -> dict:
        """The plugin's card and parameters (its first reply, once imported by `deadline`); AssistantError otherwise."""
        with self.lock:
            if self.described is None:
                self.described = self._reply(deadline, time_limit, label, importing=True)
            return self.described

    def suggest(self, request: Request, note_limit: int, time_limit: float, label: str) -> dict:
        """The plugin's draft as plain data; AssistantError for its failure, a crash or an overrun."""
        with self.lock:
            try:
                self.requests.send((dataclasses.replace(request, parameters=dict(request.parameters)), note_limit))
            except OSError:
                raise WorkerFailure(label, self._ending()) from None
            return self._reply(time.monotonic() + time_limit, time_limit, label)

    def _reply(self, deadline: float, time_limit: float, label: str, importing: bool = False):
        """The next reply's result if it comes by `deadline`; AssistantError naming what went wrong.

        A worker that overruns, crashes or sends garbage is stopped; one whose
        plugin merely raised stays, ready for the next request.
        """
        if not self.replies.poll(max(0.0, deadline - time.monotonic())):
            self.stop()
            doing = " to import" if importing else ""
            raise WorkerFailure(label, f"took longer than {time_limit:g} s{doing} and was stopped")
        try:
            reply = orjson.loads(self.replies.recv_bytes(REPLY_LIMIT))
        except (EOFError, OSError):
            raise WorkerFailure(label, self._ending() + (" while being imported" if importing else "")) from None
        except orjson.JSONDecodeError:
            self.stop()
            raise WorkerFailure(label, "sent a reply Cowrite cannot read, and was stopped") from None
        if "error" in reply:
            raise WorkerFailure(label, f"failed: {reply['error']}")
        return reply["ok"]

    def _ending(self) -> str:
        """Why the worker's pipe closed, once it has ended (it is killed if it lingers): 'crashed (...)'."""
        try:
            code = self.process.wait(EXIT_GRACE)
        except subprocess.TimeoutExpired:
            self.stop()
            return "closed its pipe and was stopped"
        self.stop()
        return f"crashed ({exit_reason(code)})"

    def stop(self) -> None:
        """End the worker now: its pipes closed, the process killed and reaped. Nothing is left running."""
        for pipe in (self.requests, self.replies):
            if not pipe.closed:
                pipe.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_workers: dict[str, Worker] = {}
_workers_lock = threading.Lock()


def worker(target: str) -> Worker:
    """The live worker for `target`, started now if there is none (or the last one ended)."""
    with _workers_lock:
        current = _workers.get(target)
        if current is None or not current.alive:
            current = _workers[target] = Worker(target)
        return current


def forget(target: str) -> None:
    """Stop `target`'s worker, if it has one: it will not be asked again."""
    with _workers_lock:
        gone = _workers.pop(target, None)
    if gone is not None:
        gone.stop()


def ask(target: str, request: Request, time_limit: float, assistant_id: str, version: str) -> Draft:
    """The checked draft of the plugin at `target` for `request`; AssistantError naming id@version otherwise.

    A fresh worker first imports the plugin (under IMPORT_TIME_LIMIT), then the
    suggestion has `time_limit`; a warm one answers at once.
    """
    label = f"{assistant_id}@{version}"
    plugin = worker(target)
    plugin.describe(time.monotonic() + IMPORT_TIME_LIMIT, IMPORT_TIME_LIMIT, label)
    reply = plugin.suggest(request, note_limit(request), time_limit, label)
    return checked_draft(reply, request, label)


def stop_all() -> None:
    """Stop every worker (at exit, and between tests)."""
    with _workers_lock:
        stopping = list(_workers.values())
        _workers.clear()
    for w in stopping:
        w.stop()


def running() -> list[int]:
    """Process ids of the workers still running: for tests that no worker is left behind."""
    with _workers_lock:
        return [w.process.pid for w in _workers.values() if w.alive]


atexit.register(stop_all)
