"""The harmony assistant against its goals: chord accuracy on Bach's held-out chorales, and speed.

Run:  .venv/bin/python benchmarks/eval_harmony.py

Accuracy: the shipped model.json labels each beat of the 73 held-out chorales
(per beat, root and quality must both match the chord Bach wrote, as labelled
by assets/harmony/build_model.py), next to two baselines on the same beats.
It reads the cached dataset (assets/harmony/dataset.json.gz); without it the
chorales are extracted from music21 again, which takes a few minutes.
Latency: suggestions for 8 bars of melody with the default parameters through
the real runner, 20 seeds, after one warm-up that loads the model.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from pathlib import Path

from cowrite.assistants.parameters import resolve
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Note, Origin, Song, TempoChange, TempoMap, Track
from cowrite_harmony import HarmonyAssistant
from cowrite_harmony.model import MODEL_PATH

BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "assets" / "harmony" / "build_model.py"
ACCURACY_GOAL, LATENCY_GOAL_MS = 0.60, 150.0
SEEDS = 20
# "Ode to Joy", 8 bars of 4/4 in C: (MIDI pitch, beats)
TUNE = [(76, 1), (76, 1), (77, 1), (79, 1), (79, 1), (77, 1), (76, 1), (74, 1), (72, 1), (72, 1), (74, 1),
        (76, 1), (76, 1.5), (74, .5), (74, 2)] * 2


def _build_model_module():
    spec = importlib.util.spec_from_file_location("harmony_build_model", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def accuracy() -> dict:
    """evaluate_chords() of the build script on the held-out chorales, with the shipped model."""
    build = _build_model_module()
    data = build.load_dataset()
    model = json.loads(MODEL_PATH.read_text())
    modes = {mode: model[mode] for mode in ("major", "minor")}
    return build.evaluate_chords(modes, data["held_out"], model["transition_weight"], data["train"])


def latencies_ms() -> tuple[float, list[float]]:
    """(first suggestion, model load included; the next SEEDS suggestions), in milliseconds."""
    origin, notes, tick = Origin("person:bench"), {}, 0
    for i, (pitch, beats) in enumerate(TUNE, 1):
        notes[i] = Note(i, pitch, tick, round(beats * PPQ), 90, origin)
        tick += round(beats * PPQ)
    melody, harmony = Track("t1", "Melody", notes=notes), Track("t2", "Harmony")
    song = Song(tempo=TempoMap([TempoChange(0, 100.0)]), meter=MeterMap([MeterChange(0, 4, 4)]),
                key=Key("C", "major"), length_bars=8, tracks=[melody, harmony])
    assistant, params = HarmonyAssistant(), resolve(HarmonyAssistant.parameters, {})
    samples = []
    for seed in range(SEEDS + 1):
        request = build_request(song, harmony, melody, 0, 7, params, seed)
        start = time.perf_counter()
        run(assistant, request)
        samples.append((time.perf_counter() - start) * 1000)
    return samples[0], samples[1:]


def evaluate() -> list[dict]:
    """Rows of {name, value, unit, goal, note}: accuracy and baselines, then latency."""
    scores = accuracy()
    first, samples = latencies_ms()
    p95 = statistics.quantiles(samples, n=20)[18]
    beats = f"{scores['beats']} held-out beats"
    return [
        {"name": "harmony: model, root+quality per beat", "value": scores["accuracy"], "unit": "",
         "goal": f">= {ACCURACY_GOAL:.2f}",
         "note": f"{round(scores['accuracy'] * scores['beats'])} of {beats}: "
                 + ("goal met" if scores["accuracy"] >= ACCURACY_GOAL else "short of the goal")},
        {"name": "harmony: model, root only per beat", "value": scores["root_accuracy"], "unit": "",
         "goal": None, "note": beats},
        {"name": "harmony: baseline tonic chord", "value": scores["tonic_baseline"], "unit": "",
         "goal": None, "note": beats},
        {"name": "harmony: baseline diatonic triad with the melody note", "value": scores["triad_baseline"],
         "unit": "", "goal": None, "note": beats},
        {"name": "harmony: held-out beats", "value": scores["beats"], "unit": "beats", "goal": None,
         "note": "73 chorales"},
        {"name": "harmony: latency p50, 8 bars", "value": statistics.median(samples), "unit": "ms",
         "goal": None, "note": f"{SEEDS} seeds, default parameters"},
        {"name": "harmony: latency p95, 8 bars", "value": p95, "unit": "ms",
         "goal": f"< {LATENCY_GOAL_MS:g} ms", "note": f"{SEEDS} seeds, default parameters"},
        {"name": "harmony: first suggestion (loads model.json)", "value": first, "unit": "ms", "goal": None,
         "note": "once per process"},
    ]


def main() -> None:
    row = "{:<56} {:>10} {:>10}  {}"
    print(row.format("what", "value", "goal", "note"))
    for r in evaluate():
        value = f"{r['value']:.4f}" if r["unit"] == "" else f"{r['value']:.1f} {r['unit']}" \
            if r["unit"] == "ms" else f"{r['value']} {r['unit']}"
        print(row.format(r["name"], value, r["goal"] or "", r["note"]))


if __name__ == "__main__":
    main()
