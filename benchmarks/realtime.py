"""Dropouts through a real sound server while a person edits and an assistant generates.

Run:  .venv/bin/python benchmarks/realtime.py [--quick] [--seconds S] [--repeats N]

For each buffer size (128, 256, 1024 frames) a JACK server of its own (the
dummy driver: JACK's real process cycle at 48 kHz, no sound card) plays the
demo song, looped, through Cowrite's player and PortAudio's JACK backend, for
60 s. Meanwhile, through the same door the window uses, a note moves every
250 ms (the document; each edit reloads the player) and the drums assistant
generates every 1.5 s (the assistants runner on a worker thread, proposed
through the document). Both counts are the answer, goal zero: underflows the
device reported (PortAudio ran dry) and Cowrite's own underruns (the render
fell a whole ring behind). Quiet, then under `stress-ng --cpu 2`. Then
key-to-sound latency: from `player.monitor_on` to the key's first sounding
frame at the server, 20 keys after the playback. Each run is a process of its
own, so PortAudio meets a fresh server; rows are medians of the repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

RATE = 48000
BLOCKS = (128, 256, 1024)
EDIT_EVERY, GENERATE_EVERY = 0.25, 1.5  # seconds
KEYS = 20  # key presses timed for the latency
SERVER_START_SECONDS = 10


# -- one run (a process of its own, on the server its parent started) ---------------------

class Assistant:
    """The window's way to ask for drums: build the request now, think on a worker thread, propose here."""

    def __init__(self, document):
        from cowrite.assistants.registry import find

        self.document, self.drums = document, find("drums")
        self._done: list = []
        self._thread: threading.Thread | None = None
        self.generations = 0

    def ask(self, seed: int) -> None:
        """Start a suggestion unless one is still being thought of (the dock's Generate is busy then too)."""
        from cowrite.assistants.parameters import resolve
        from cowrite.assistants.request import build_request
        from cowrite.assistants.runner import run

        if self._thread is not None:
            return
        song = self.document.song
        request = build_request(song, song.find_track("Drums"), None, 0, song.length_bars - 1,
                                resolve(self.drums.parameters, {"style": "house"}), seed)
        self._thread = threading.Thread(target=lambda: self._done.append((request, run(self.drums, request))))
        self._thread.start()

    def propose_finished(self) -> None:
        """Back on the main thread: propose the draft the worker finished, as the dock does."""
        from cowrite.assistants.runner import to_suggestion
        from cowrite.attribution.actors import Actor
        from cowrite.edit import ProposeSuggestion

        if self._thread is None or self._thread.is_alive():
            return
        self._thread.join()
        self._thread = None
        request, draft = self._done.pop()
        card = self.drums.card
        self.document.apply(ProposeSuggestion(to_suggestion(self.drums, request, draft)),
                            Actor.assistant(card.id, card.version))
        self.generations += 1


def play_while_editing(project, player, seconds: float) -> dict:
    """Loop the song for `seconds`, an edit every 250 ms and a generation every 1.5 s, on a deadline clock."""
    from cowrite.edit import MoveNotes

    song = project.song
    melody, assistant = song.find_track("Melody"), Assistant(project.document)
    player.set_loop(0, song.end_tick)
    player.play()
    start = time.perf_counter()
    edits = 0
    while (due := start + (edits + 1) * EDIT_EVERY) < start + seconds:
        time.sleep(max(0.0, due - time.perf_counter()))
        note = sorted(melody.notes)[(edits // 2) % len(melody.notes)]  # forth, then back
        project.document.apply(MoveNotes([note], ticks=-10 if edits % 2 else 10))
        edits += 1
        assistant.propose_finished()
        if edits % round(GENERATE_EVERY / EDIT_EVERY) == 0:
            assistant.ask(seed=edits)
    player.stop()
    return {"seconds": time.perf_counter() - start, "edits": edits, "generations": assistant.generations}


class Ear:
    """A JACK client listening to PortAudio's left output: the frame (on JACK's clock) each key was first heard.

    Its process callback runs in the server's thread: it notes the last frame
    that sounded and, while armed, the first one.
    """

    def __init__(self, server: str):
        import jack

        self.client = jack.Client("latency-probe", servername=server, no_start_server=True)
        self.port = self.client.inports.register("in")
        self.armed = threading.Event()
        self.first_loud: int | None = None
        self.last_loud = 0
        self.client.set_process_callback(self._process)
        self.client.activate()
        self.client.connect(self.client.get_ports("PortAudio:", is_audio=True, is_output=True)[0], self.port)

    def _process(self, frames: int) -> None:
        import numpy as np

        loud = np.flatnonzero(np.abs(self.port.get_array()) > 1e-4)
        if len(loud):
            self.last_loud = self.client.last_frame_time + int(loud[-1])
            if self.armed.is_set() and self.first_loud is None:
                self.first_loud = self.client.last_frame_time + int(loud[0])

    def wait_for_silence(self, seconds: float, deadline: float) -> None:
        """Until nothing has sounded for `seconds` (the last key's release has died away)."""
        rate = self.client.samplerate
        while self.client.frame_time - self.last_loud < seconds * rate and time.monotonic() < deadline:
            time.sleep(0.005)

    def time_key(self, press) -> float | None:
        """Seconds from calling `press()` to its first sounding frame at the server; None if unheard in 2 s."""
        self.first_loud = None
        pressed = self.client.frame_time
        self.armed.set()
        press()
        deadline = time.monotonic() + 2
        while self.first_loud is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        self.armed.clear()
        return None if self.first_loud is None else (self.first_loud - pressed) / self.client.samplerate

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()


def key_latencies(player, server: str) -> list[float]:
    """Seconds from `player.monitor_on` to the first sounding frame at the server, for each key heard."""
    ear = Ear(server)
    latencies = []
    try:
        for key in range(KEYS):
            pitch = 60 + key % 12
            ear.wait_for_silence(0.1, deadline=time.monotonic() + 5)
            heard = ear.time_key(lambda: player.monitor_on(pitch, 100))
            player.monitor_off(pitch)
            if heard is not None:
                latencies.append(heard)
    finally:
        ear.close()
    return latencies


def one_run(block: int, seconds: float, server: str) -> dict:
    """Play the demo song through `server` at `block` frames while editing; the counts as a dict."""
    from cowrite.attribution.actors import Actor
    from cowrite.audio.output import open_output
    from cowrite.audio.player import Player
    from cowrite.demo import build
    from cowrite.io.project import Project

    project = Project.open(build(Path(tempfile.mkdtemp())), Actor.person("Ana"))
    player = Player(open_output(device="system"), block)
    output = player.output  # a silent one if the device would not start
    try:
        if not output.available:
            raise SystemExit(f"realtime: {output.reason}")
        player.load(project.song)
        project.document.subscribe(lambda change: player.load(project.song))
        result = play_while_editing(project, player, seconds)
        result.update(underflows=output.underflows, underruns=player.underruns, rate=player.sample_rate,
                      latencies=key_latencies(player, server))
    finally:
        player.close()
        project.close()
    return result


# -- the servers, the load, the table (the parent) ---------------------------------------

def stop(process: subprocess.Popen) -> None:
    """End `process` if it still runs: SIGTERM, then SIGKILL after 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def jack_server(block: int):
    """A JACK server of our own at 48 kHz with `block`-frame periods, stopped however the run ends; yields its name."""
    import jack

    jack.set_error_function(lambda message: None)  # not the probes' "cannot connect" while it starts
    name = f"cowrite-bench-{uuid.uuid4().hex[:8]}"
    server = subprocess.Popen(["jackd", "-n", name, "-d", "dummy", "-r", str(RATE), "-p", str(block)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                jack.Client("probe", servername=name, no_start_server=True).close()
                break
            except jack.JackOpenError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"realtime: jackd -d dummy -p {block} did not start") from None
                time.sleep(0.01)
        yield name
    finally:
        stop(server)


@contextmanager
def cpu_load(stressed: bool):
    """`stress-ng --cpu 2` for as long as the block runs, when `stressed`."""
    load = subprocess.Popen(["stress-ng", "--cpu", "2", "--quiet"]) if stressed else None
    try:
        yield
    finally:
        if load is not None:
            stop(load)


def measure(block: int, seconds: float, stressed: bool) -> dict:
    """One run in a child process on a fresh server (and load); its result."""
    with jack_server(block) as server, cpu_load(stressed):
        env = {**os.environ, "JACK_DEFAULT_SERVER": server, "JACK_NO_START_SERVER": "1"}
        child = subprocess.run([sys.executable, __file__, "--child", str(block), "--seconds", str(seconds),
                                "--server", server], env=env, capture_output=True, text=True, timeout=seconds + 120)
    if child.returncode != 0:
        raise SystemExit(f"realtime: the run at {block} frames failed:\n{child.stderr[-2000:]}")
    return json.loads(child.stdout.splitlines()[-1])


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def latency_cell(runs: list[dict]) -> str:
    """Median key-to-sound latency in ms (min-max over every key of every run)."""
    timed = [s for run in runs for s in run["latencies"]]
    if not timed:
        return "no key was heard"
    return f"{statistics.median(timed) * 1000:.1f} ({min(timed) * 1000:.1f}-{max(timed) * 1000:.1f})"


def print_table(rows: list[tuple[str, int, list[dict]]], seconds: float) -> None:
    print(f"{seconds:g} s of playback at {RATE} Hz each, an edit every {EDIT_EVERY * 1000:g} ms, "
          f"a drum generation every {GENERATE_EVERY:g} s; medians of {len(rows[0][2])} run(s)\n")
    print(f"{'load':<14} {'block':>5} {'device underflows':>17} {'Cowrite underruns':>17} {'edits':>6} "
          f"{'generations':>11}  key-to-sound ms, median (range)")
    for load, block, runs in rows:
        print(f"{load:<14} {block:>5} {median_of(runs, 'underflows'):>17g} {median_of(runs, 'underruns'):>17g} "
              f"{median_of(runs, 'edits'):>6g} {median_of(runs, 'generations'):>11g}  {latency_cell(runs)}")
    print("\ngoal: 0 underflows and 0 underruns in every row")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10 s, once each, quiet only")
    parser.add_argument("--seconds", type=float, help="playback per run (default 60; --quick 10)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per row, for the median (default 3)")
    parser.add_argument("--child", type=int, metavar="BLOCK", help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seconds = args.seconds or (10 if args.quick else 60)
    if args.child:
        print(json.dumps(one_run(args.child, seconds, args.server)))
        return
    if shutil.which("jackd") is None:
        raise SystemExit("realtime: needs jackd (Debian: jackd2; tools/bootstrap.sh --test installs it)")
    loads = [("quiet", False)]
    if not args.quick:
        if shutil.which("stress-ng") is None:
            raise SystemExit("realtime: needs stress-ng for the loaded runs (tools/bootstrap.sh --test installs it)")
        loads.append(("stress-ng cpu 2", True))
    repeats = 1 if args.quick else args.repeats
    rows = [(name, block, [measure(block, seconds, stressed) for _ in range(repeats)])
            for name, stressed in loads for block in BLOCKS]
    print_table(rows, seconds)


if __name__ == "__main__":
    main()
