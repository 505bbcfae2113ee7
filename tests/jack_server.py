"""A JACK server of a test's own: start it, wait until it answers, stop it however the test ends.

For the tests that need real JACK (MIDI in tests/test_midi_jack.py; audio
tests may use it too). Each server gets a unique name, so tests and people
running at the same time never share one, and the dummy driver, so no sound
card is needed; a client joins it by that name (`servername=`, or
$JACK_DEFAULT_SERVER for libraries that take no name, like python-rtmidi).

Where jackd is missing or cannot start the test is skipped, saying why;
under `make test` (COWRITE_REAL_DESKTOP=1) that is a failure: CI must run it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

REQUIRED = os.environ.get("COWRITE_REAL_DESKTOP") == "1"
START_SECONDS = 10


def unavailable(reason: str):
    """Skip, or fail where the real desktop is promised (`make test`, CI)."""
    if REQUIRED:
        pytest.fail(f"{reason} (COWRITE_REAL_DESKTOP=1: this test must run; tools/bootstrap.sh --test installs jackd2)")
    pytest.skip(reason)


def wait_for(condition, seconds: float, what: str):
    """Poll `condition` until it returns something true (that is returned), or fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.002)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


@contextmanager
def jack_server(rate: int = 48000, period: int = 256) -> Iterator[str]:
    """A running JACK server of our own (dummy driver, `period` frames at `rate`); yields its name."""
    if shutil.which("jackd") is None:
        unavailable("jackd is not installed (Debian: jackd2)")
    try:
        import jack
    except (ImportError, OSError) as e:
        unavailable(f"JACK-Client cannot load libjack: {e}")
    jack.set_error_function(lambda message: None)  # not the probes' "cannot connect" while the server starts
    name = f"cowrite-test-{uuid.uuid4().hex[:8]}"
    server = subprocess.Popen(["jackd", "-n", name, "-d", "dummy", "-r", str(rate), "-p", str(period)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_die_with_parent)
    try:
        if not _answers(jack, name, server):
            server.kill()
            unavailable(f"jackd could not start: {server.communicate()[0].strip()[-500:]}")
        yield name
    finally:
        _stop(server)


def _die_with_parent() -> None:
    """In the server's process before jackd runs: end it if the test's process dies (killed by a timeout, say)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG, Linux only
    except (AttributeError, OSError):
        pass


def _answers(jack, name: str, server: subprocess.Popen) -> bool:
    """Whether the server `name` takes a client before it exits or START_SECONDS pass."""
    deadline = time.monotonic() + START_SECONDS
    while server.poll() is None and time.monotonic() < deadline:
        try:
            jack.Client("probe", servername=name, no_start_server=True).close()
            return True
        except jack.JackOpenError:
            time.sleep(0.01)
    return False


def _stop(process: subprocess.Popen) -> None:
    """End `process` if it still runs: SIGTERM, then SIGKILL after 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def synchronous_jack_server(rate: int = 48000, period: int = 256) -> Iterator[str]:
    """A server as `jack_server` starts, but synchronous (-S): each cycle waits for every client; yields its name.

    For a test that records through a JACK client of its own in Python
    (tests/test_jack_playback.py): when that client, sharing a GIL in a busy
    process, is late for a cycle, the cycle is late rather than lost
    (asynchronous, such a recorder lost 256-768 frames one run in three).
    Cowrite's side is not helped: PortAudio's JACK thread only copies from a
    buffer that Cowrite's writer must have kept full. jackd logs to a file, which
    cannot fill and stall it as an unread pipe can.
    """
    import tempfile

    if shutil.which("jackd") is None:
        unavailable("jackd is not installed (Debian: jackd2)")
    try:
        import jack
    except (ImportError, OSError) as e:
        unavailable(f"JACK-Client cannot load libjack: {e}")
    jack.set_error_function(lambda message: None)
    name = f"cowrite-test-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(["jackd", "-S", "-n", name, "-d", "dummy", "-r", str(rate), "-p", str(period)],
                                  stdout=log, stderr=subprocess.STDOUT, text=True, preexec_fn=_die_with_parent)
        try:
            if not _answers(jack, name, server):
                _stop(server)
                log.seek(0)
                unavailable(f"jackd could not start: {log.read().strip()[-500:]}")
            yield name
        finally:
            _stop(server)
