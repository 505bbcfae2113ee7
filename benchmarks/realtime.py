"""Underruns while a person edits and an assistant generates during playback.

Run:  .venv/bin/python benchmarks/realtime.py

A thread stands in for the sound card: every 256 frames of real time (5.33 ms)
it pulls a block from the player, as PortAudio's callback would. Meanwhile the
main thread moves notes through the door (each edit reloads the player) and
asks the drums assistant for suggestions. The player's underrun count is the
answer; the goal is zero.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from cowrite.assistants.parameters import resolve
from cowrite.assistants.registry import find
from cowrite.assistants.runner import propose
from cowrite.attribution.actors import Actor
from cowrite.audio.output import ManualOutput
from cowrite.audio.player import Player
from cowrite.demo import build
from cowrite.edit import MoveNotes
from cowrite.io.project import Project

BLOCK, RATE = 256, 48000


def sound_card(output: ManualOutput, stop: threading.Event, late: list[float]) -> None:
    """Pull a block every 5.33 ms of wall-clock time, like a device; note how late each pull was."""
    period, due = BLOCK / RATE, time.perf_counter()
    while not stop.is_set():
        output.pull(BLOCK)
        due += period
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        else:
            late.append(-wait)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    project = Project.open(build(folder), Actor.person("Ana"))
    output = ManualOutput()
    player = Player(output, RATE, BLOCK)
    player.load(project.song)
    project.document.subscribe(lambda change: player.load(project.song))
    player.play()
    stop, late = threading.Event(), []
    card = threading.Thread(target=sound_card, args=(output, stop, late), daemon=True)
    card.start()
    drums, melody = find("drums"), project.song.find_track("Melody")
    started = time.perf_counter()
    edits = generations = 0
    for round_ in range(100):
        note = sorted(melody.notes)[(round_ // 2) % len(melody.notes)]  # forth, then back
        project.document.apply(MoveNotes([note], ticks=-10 if round_ % 2 else 10))
        edits += 1
        propose(project.document, drums, project.song.find_track("Drums"), None, 0, 7,
                resolve(drums.parameters, {"style": "house"}), seed=round_)
        generations += 1
        time.sleep(0.05)  # a person's pace between gestures
    seconds = time.perf_counter() - started
    stop.set()
    card.join()
    player.close()
    project.close()
    print(f"{'measurement':<44} {'value':>10}  goal")
    print(f"{'playback time':<44} {seconds:>9.1f}s")
    print(f"{'edits through the door (each reloads player)':<44} {edits:>10}")
    print(f"{'drum suggestions generated':<44} {generations:>10}")
    print(f"{'underruns':<44} {player.underruns:>10}  0")
    print(f"{'sound-card pulls later than their slot':<44} {len(late):>10}  (the stand-in thread itself)")


if __name__ == "__main__":
    main()
