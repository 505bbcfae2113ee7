"""Rebuild the harmony assistant's model from Bach's chorales (offline; needs music21).

Run:  .venv/bin/python assets/harmony/build_model.py [--rebuild-dataset]

1. Extract: every chorale of /work/shared/data/bach-chorale-split.json is read
   from music21's corpus; per beat we keep what the assistant will see (the
   soprano line, fermatas) and what Bach wrote under it (the pitch classes of
   the four voices weighted by duration, the pitch of each voice at the beat).
   That takes a few minutes, so it is cached in dataset.json.gz (~200 kB).
2. Label each beat with a chord (root relative to the key + quality), see
   label_beat() for the rules.
3. Train, on the `train` chorales only, one model per mode (see
   plugins/cowrite_harmony/model.py): the chord vocabulary, a maximum-entropy
   model of P(chord | melody around the beat), and add-k smoothed first, last and
   chord-to-chord probabilities whose weight is chosen on a fifth of the train
   chorales held back.
4. Score the held-out chorales and write model.json and CARD.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from cowrite.model import PPQ
from cowrite.theory.chords import INTERVALS
from cowrite_harmony.model import (
    MODEL_PATH, N_FEATURES, REST, ModeModel, feature_indices, read_melody, strength_of, viterbi)

HERE = Path(__file__).resolve().parent
SPLIT = Path("/work/shared/data/bach-chorale-split.json")
DATASET = HERE / "dataset.json.gz"
CARD = HERE / "CARD.md"
CORPUS_URL = "https://github.com/cuthbertLab/music21/tree/master/music21/corpus/bach"
CORPUS_LICENCE = ("music21 is BSD-3-Clause; its corpus scores 'have their own copyrights and licenses': "
                  "the music is public domain and the encodings are 'either public domain or used by "
                  "permission' (music21 licence notes)")
VOCABULARY_SIZE = 50  # chords per mode; they cover ~99% of Bach's beats
SMOOTHING = 0.1  # add-k, for the first, last and chord-to-chord probabilities
L2, ITERATIONS, LEARNING_RATE = 1e-3, 300, 0.05  # the maximum-entropy fit (Adam)
MIN_COUNT = 2  # a feature value seen fewer times in training gets no weight (keeps model.json small)
WEIGHT_SCALE = 100  # weights are stored as integers in hundredths
TRANSITION_WEIGHTS = (0.1, 0.2, 1 / 3, 0.5, 1.0)  # the candidates tried on the held-back train chorales


# -- step 1: extraction (music21) ---------------------------------------------------------

def _ticks(quarter_length) -> int:
    return round(float(quarter_length) * PPQ)


def _key_of(parsed) -> tuple[int, str, str]:
    """(tonic pitch class, mode, how it was decided) of a chorale.

    The key signature gives two candidates, its major and its relative minor;
    the final bass note picks one, because every chorale ends on its tonic
    (a Picardy third still has the tonic in the bass). Chorales whose last bass
    is neither (modal ones, e.g. Dorian notated with one flat fewer, or Phrygian
    ending on the dominant) fall back to music21's Krumhansl-Schmuckler analysis.
    """
    signature = parsed.parts[0].recurse().getElementsByClass("KeySignature").first()
    final_bass = parsed.parts[-1].flatten().notes[-1].pitch.pitchClass
    if signature is not None:
        major, minor = signature.asKey("major"), signature.asKey("minor")
        if final_bass == major.tonic.pitchClass:
            return final_bass, "major", "signature"
        if final_bass == minor.tonic.pitchClass:
            return final_bass, "minor", "signature"
    analysed = parsed.analyze("key")
    return analysed.tonic.pitchClass, analysed.mode, "analysis"


def _beat_grid(part) -> list[tuple[int, int, int]]:
    """(start tick, end tick, index of the beat in its bar) of every beat, pickup bars included."""
    grid, signature = [], None
    for measure in part.getElementsByClass("Measure"):
        signature = measure.timeSignature or signature
        beat = _ticks(signature.beatDuration.quarterLength)
        start, length, pad = _ticks(measure.offset), _ticks(measure.duration.quarterLength), _ticks(measure.paddingLeft)
        for index in range(signature.beatCount):
            local = index * beat - pad
            if 0 <= local < length:
                grid.append((start + local, start + min(local + beat, length), index))
    return grid


def extract(name: str) -> dict | None:
    """One chorale as plain data: key, beat grid, soprano notes, and per beat what Bach's four voices sound.

    Per beat: `pcs`, each pitch class weighted by how long it sounds in the beat
    (summed over voices: 4.0 when all four sound throughout), and `onset`, the
    MIDI pitch of each voice at the beat (None: resting); the bass is onset[-1].
    None if the chorale does not have exactly four parts.
    """
    from music21 import corpus, expressions

    parsed = corpus.parse(f"bach/{name}")
    if len(parsed.parts) != 4:
        return None
    tonic, mode, key_source = _key_of(parsed)
    grid = _beat_grid(parsed.parts[0])
    voices = [[(n.pitch.midi, _ticks(n.offset), _ticks(n.offset + n.quarterLength),
                any(isinstance(e, expressions.Fermata) for e in n.expressions))
               for n in part.flatten().notes if not n.isChord] for part in parsed.parts]
    beats = []
    for start, end, _ in grid:
        weights = [0.0] * 12
        for voice in voices:
            for pitch, n_start, n_end, _ in voice:
                overlap = min(end, n_end) - max(start, n_start)
                if overlap > 0:
                    weights[pitch % 12] += overlap / (end - start)
        onset = [next((pitch for pitch, n_start, n_end, _ in voice if n_start <= start < n_end), None)
                 for voice in voices]
        beats.append({"pcs": [round(w, 3) for w in weights], "onset": onset})
    return {"name": name, "tonic": tonic, "mode": mode, "key_source": key_source,
            "grid": grid, "soprano": [list(n) for n in voices[0]], "beats": beats}


def load_dataset(rebuild: bool = False) -> dict:
    """{'train': [...], 'held_out': [...]} chorales, from the cache or (minutes) from music21."""
    if DATASET.exists() and not rebuild:
        with gzip.open(DATASET, "rt") as f:
            return json.load(f)
    split = json.loads(SPLIT.read_text())
    data = {part: [] for part in ("train", "held_out")}
    for part in data:
        for name in split[part]:
            chorale = extract(name)
            if chorale:
                data[part].append(chorale)
            print(f"\r{part}: {len(data[part])}", end="", file=sys.stderr)
        print(file=sys.stderr)
    with gzip.open(DATASET, "wt") as f:
        json.dump(data, f, separators=(",", ":"))
    return data


# -- step 2: a chord per beat ---------------------------------------------------------------

#: the qualities a beat is labelled with, and what each costs against a plain triad
LABEL_PENALTY = {"major": 0.0, "minor": 0.0, "diminished": 0.1, "augmented": 0.6, "dominant-seventh": 0.3,
                 "diminished-seventh": 0.3, "suspended-fourth": 0.8, "suspended-second": 1.0}
#: the seven triads of each mode (minor: natural minor with the raised leading tone in V and vii°)
DIATONIC_TRIADS = {
    "major": {0: "major", 2: "minor", 4: "minor", 5: "major", 7: "major", 9: "minor", 11: "diminished"},
    "minor": {0: "minor", 2: "diminished", 3: "major", 5: "minor", 7: "major", 8: "major", 11: "diminished"},
}


def label_beat(weights: list[float], bass: int | None, mode: str) -> tuple[int, str] | None:
    """Bach's chord on one beat: (root relative to the tonic, quality), None if all voices rest.

    `weights[pc]` is how long pitch class pc (relative to the tonic) sounds in
    the beat, summed over the four voices (4.0 in all). Every root that sounds
    is tried with every quality; a candidate scores the weight of its tones,
    minus the weight of the other (non-chord) tones, minus 1.2 if its third is
    missing and 0.3 if its fifth is, plus 0.6 if the bass is its root (0.2 if
    the bass is another of its tones), minus LABEL_PENALTY. So:
    - passing and neighbour notes are outweighed by the chord they decorate;
    - a seventh makes a dominant-seventh or diminished-seventh chord only when
      it sounds a whole beat's worth; Bach's other sevenths (ii7, IVmaj7, the
      half-diminished iiø7) are prepared suspensions or passing notes over a
      triad, and are labelled as that triad (this also keeps the labels
      learnable: with half-diminished as a label, held-out accuracy is 2 points lower);
    - suspended chords need the 4th (2nd) for a whole beat and no third at all;
    - an incomplete chord (a bare root, or root and fifth) takes the quality of
      the diatonic triad on that root, never "power": Bach's bare fifths stand
      for a full triad of the key.
    """
    best = None
    diatonic = DIATONIC_TRIADS[mode]
    for root in range(12):
        if weights[root] <= 0:
            continue
        for quality, penalty in LABEL_PENALTY.items():
            intervals = INTERVALS[quality]
            tones = {(root + i) % 12 for i in intervals}
            if any(weights[(root + i) % 12] < 1.0 for i in intervals[3:]):
                continue
            if quality.startswith("suspended") and (weights[(root + intervals[1]) % 12] < 1.0
                                                   or weights[(root + 3) % 12] + weights[(root + 4) % 12] > 0):
                continue
            score = sum(weights[pc] if pc in tones else -weights[pc] for pc in range(12)) - penalty
            score -= 1.2 * (weights[(root + intervals[1]) % 12] <= 0) + 0.3 * (weights[(root + intervals[2]) % 12] <= 0)
            score += 0.6 if bass == root else 0.2 if bass in tones else 0.0
            score += 0.01 * (diatonic.get(root) == quality)  # breaks the tie of an incomplete chord
            if best is None or score > best[0]:
                best = (score, root, quality)
    return best and best[1:]


def chorale_examples(chorale: dict) -> tuple[list, np.ndarray, list]:
    """(beats as the model reads them, their melody pitch-class weights, Bach's chord per beat)."""
    tonic, grid = chorale["tonic"], chorale["grid"]
    beats_in_bar = max(index for _, _, index in grid) + 1
    grid = [(start, end, strength_of(index, beats_in_bar)) for start, end, index in grid]
    soprano = chorale["soprano"]
    phrase_end = [any(fermata and n_start < end and n_end > start for _, n_start, n_end, fermata in soprano)
                  for start, end, _ in grid]
    phrase_end[-1] = True
    beats, bag = read_melody([(p, s, e) for p, s, e, _ in soprano], grid, tonic, phrase_end)
    labels = []
    for beat in chorale["beats"]:
        weights = [beat["pcs"][(pc + tonic) % 12] for pc in range(12)]
        bass = beat["onset"][-1]
        labels.append(label_beat(weights, None if bass is None else (bass - tonic) % 12, chorale["mode"]))
    return beats, bag, labels


# -- step 3: training -----------------------------------------------------------------------

def fit_maxent(rows: np.ndarray, bag: np.ndarray, y: np.ndarray, n_chords: int):
    """Weights (one row per feature value, one column per chord) and dense-feature weights, by Adam.

    rows: examples x features, indices into the weight table; row N_FEATURES is
    a dummy for values seen too rarely, kept at zero. bag: examples x dense features.
    """
    weights, bag_weights = np.zeros((N_FEATURES + 1, n_chords)), np.zeros((bag.shape[1], n_chords))
    params = (weights, bag_weights)
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    truth = np.eye(n_chords)[y]
    # the gradient of a feature value's row sums the residuals of the examples it is on in:
    # sort (value, example) pairs by value once, then add up runs (much faster than np.add.at)
    flat = rows.ravel()
    order = np.argsort(flat, kind="stable")
    examples = np.repeat(np.arange(len(rows)), rows.shape[1])[order]
    values, run_starts = np.unique(flat[order], return_index=True)
    for step in range(1, ITERATIONS + 1):
        scores = weights[rows].sum(axis=1) + bag @ bag_weights
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        residual = (probs / probs.sum(axis=1, keepdims=True) - truth) / len(y)
        grad_weights = np.zeros_like(weights)
        grad_weights[values] = np.add.reduceat(residual[examples], run_starts, axis=0)
        grad_weights[N_FEATURES] = 0.0
        grads = (grad_weights + L2 * weights, bag.T @ residual + L2 * bag_weights)
        for param, grad, (m, v) in zip(params, grads, moments):
            m += 0.1 * (grad - m)
            v += 0.001 * (grad * grad - v)
            param -= LEARNING_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return weights[:N_FEATURES], bag_weights


def train_mode(examples: list[tuple]) -> dict:
    """model.json's entry for one mode, from (beats, bag, labels) of its chorales."""
    counts = Counter(label for _, _, labels in examples for label in labels if label)
    chords = [label for label, _ in counts.most_common(VOCABULARY_SIZE)]
    index = {chord: i for i, chord in enumerate(chords)}
    beats, bags, y = [], [], []
    start, end = np.full(len(chords), SMOOTHING), np.full(len(chords), SMOOTHING)
    transitions = np.full((len(chords), len(chords)), SMOOTHING)
    for chorale_beats, bag, labels in examples:
        ids = [index.get(label) for label in labels]
        keep = [t for t, i in enumerate(ids) if i is not None]
        beats += [chorale_beats[t] for t in keep]
        bags.append(bag[keep])
        y += [ids[t] for t in keep]
        if ids[0] is not None:
            start[ids[0]] += 1
        if ids[-1] is not None:
            end[ids[-1]] += 1
        for a, b in zip(ids, ids[1:]):
            if a is not None and b is not None:
                transitions[a, b] += 1
    rows = feature_indices(beats)
    rare = np.bincount(rows.ravel(), minlength=N_FEATURES) < MIN_COUNT
    rows[rare[rows]] = N_FEATURES
    weights, bag_weights = fit_maxent(rows, np.concatenate(bags), np.array(y), len(chords))
    kept = np.flatnonzero(np.abs(weights).max(axis=1) >= 0.5 / WEIGHT_SCALE)
    return {
        "chords": [list(chord) for chord in chords],
        "weights": {"scale": WEIGHT_SCALE, "rows": kept.tolist(),
                    "values": np.rint(weights[kept] * WEIGHT_SCALE).astype(int).tolist()},
        "bag": np.round(bag_weights, 3).tolist(),
        "start": np.round(start / start.sum(), 6).tolist(),
        "end": np.round(end / end.sum(), 6).tolist(),
        "transitions": np.round(transitions / transitions.sum(axis=1, keepdims=True), 6).tolist(),
    }


def train(chorales: list[dict]) -> dict:
    examples = {"major": [], "minor": []}
    for chorale in chorales:
        examples[chorale["mode"]].append(chorale_examples(chorale))
    return {mode: train_mode(examples[mode]) for mode in examples}


# -- step 4: scoring --------------------------------------------------------------------------

def evaluate_chords(modes: dict, chorales: list[dict], transition_weight: float, train_chorales=()) -> dict:
    """Per-beat accuracy of the model and of two baselines on `chorales` (beats Bach leaves silent skipped).

    The model decodes each chorale with Viterbi, as the assistant does with
    rhythm "beat" and adventure 0. Baselines: the tonic triad on every beat; and
    the diatonic triad that contains the melody note at the beat, the one whose
    chord is most frequent in `train_chorales` when several do (tonic triad if
    none does, or the melody rests).
    """
    models = {mode: ModeModel(data) for mode, data in modes.items()}
    frequency = Counter((c["mode"], label) for c in train_chorales for label in chorale_examples(c)[2])
    hits = Counter()
    for chorale in chorales:
        mode = chorale["mode"]
        model, tonic_chord = models[mode], (0, DIATONIC_TRIADS[mode][0])
        beats, bag, labels = chorale_examples(chorale)
        path = viterbi(model.beat_log_probs(beats, bag), *model.chain(transition_weight))
        for beat, label, chosen in zip(beats, labels, path):
            if label is None:
                continue
            guess = model.chords[chosen]
            containing = [(root, quality) for root, quality in DIATONIC_TRIADS[mode].items()
                          if beat.on != REST and (beat.on - root) % 12 in INTERVALS[quality]]
            triad = max(containing, key=lambda chord: frequency[(mode, chord)], default=tonic_chord)
            hits.update(beats=1, model=guess == label, root=guess[0] == label[0],
                        tonic=tonic_chord == label, triad=triad == label)
    n = hits["beats"]
    return {"beats": n, "accuracy": hits["model"] / n, "root_accuracy": hits["root"] / n,
            "tonic_baseline": hits["tonic"] / n, "triad_baseline": hits["triad"] / n}


def choose_transition_weight(chorales: list[dict]) -> tuple[float, dict]:
    """The transition weight that decodes best on every fifth train chorale, trained on the rest."""
    held_back, rest = chorales[::5], [c for i, c in enumerate(chorales) if i % 5]
    modes = train(rest)
    results = {w: evaluate_chords(modes, held_back, w)["accuracy"] for w in TRANSITION_WEIGHTS}
    return max(results, key=results.get), results


def bach_agreement(chorales: list[dict]) -> tuple[float, int]:
    """How often two of Bach's settings of the same melody (key-relative, beat by beat) have the same
    chord on a beat, and over how many beats: a ceiling for any model that sees only the melody.
    (Some pairs are the same setting filed twice, which raises it a little.)"""
    settings: dict[tuple, list[list]] = {}
    for chorale in chorales:
        beats, _, labels = chorale_examples(chorale)
        settings.setdefault((chorale["mode"], tuple(b.on for b in beats)), []).append(labels)
    same = total = 0
    for group in settings.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                pairs = [(a, b) for a, b in zip(first, second) if a and b]
                same += sum(a == b for a, b in pairs)
                total += len(pairs)
    return same / total, total


def melodies_seen_in_training(data: dict) -> int:
    """Held-out chorales whose melody (key-relative, beat by beat) Bach also harmonized in a train chorale."""
    def melody(c):
        return c["mode"], tuple(beat.on for beat in chorale_examples(c)[0])
    seen = {melody(c) for c in data["train"]}
    return sum(melody(c) in seen for c in data["held_out"])


# -- writing it out ---------------------------------------------------------------------------

def write_card(info: dict) -> None:
    held = info["held_out"]
    CARD.write_text(f"""# Harmony model card

Built by `assets/harmony/build_model.py`; used by the harmony assistant
(`plugins/cowrite_harmony`, card id `harmony`, version 1.0.0).

## What it does

Given a melody and a key, it proposes a chord per beat (then per half bar or
bar, as asked) in the style of J. S. Bach's four-part chorales. Per beat, a
maximum-entropy model reads the melody at the beat and two beats either side
(relative to the key), the notes within the beat, metric strength and the
place in the phrase, and gives P(chord | melody). An add-k smoothed
first-order chain of Bach's chord-to-chord transitions (and of his first and
last chords) links the beats, weighted {info["transition_weight"]:.2f} against the melody evidence;
that weight was chosen on every fifth train chorale, trained on the rest
({", ".join(f"{w:.2f}: {a:.3f}" for w, a in info["transition_weight_trials"])}).
Viterbi gives the best chords, forward-backward the alternatives with their
probabilities. Separate models for major and minor, {info["chords_per_mode"]} chords each
(root relative to the tonic, and quality).

## Training data

- Bach chorales from music21's corpus (`bach` folder, music21 {info["music21"]}):
  {info["train_chorales"]} `train` chorales ({info["train_beats"]} beats) of
  `/work/shared/data/bach-chorale-split.json`; the {info["held_out_chorales"]}
  `held_out` chorales are used only for the scores below. Left out, as their
  music21 encoding has more than four parts (instruments): {", ".join(info["skipped"]) or "none"}.
- Source: {CORPUS_URL}
- Licence: the music is in the public domain. {CORPUS_LICENCE}.
- No user data.

## How the beats were labelled

- Beats follow the time signature (a quarter in 4/4 and 3/4, a half in 3/2),
  pickup bars included. Phrase ends are the fermatas of the soprano; the
  assistant, which sees no fermatas, treats long notes, notes followed by a
  rest, and the last note as phrase ends.
- Key: the key signature gives a major key and its relative minor; the final
  bass note picks one (chorales end on their tonic, a Picardy third keeps the
  tonic in the bass). {info["keys_by_analysis"]} of the {info["train_chorales"] + info["held_out_chorales"]}
  chorales end on neither (modal
  chorales, e.g. Dorian written with one flat fewer, or Phrygian endings on the
  dominant); for them music21's Krumhansl-Schmuckler analysis decides.
- Chord per beat: every pitch class of the four voices weighted by how long it
  sounds in the beat; the chord whose tones cover the most weight wins, with a
  preference for the bass as root. Sevenths count only for dominant-seventh
  and diminished-seventh chords and only when the seventh sounds a whole
  beat's worth (other sevenths in Bach are suspensions or passing notes; with
  half-diminished as a label accuracy is 2 points lower). Incomplete chords
  (a bare root or fifth) take the quality of the diatonic triad on that root.
  Suspended chords need the held 4th (2nd) for a whole beat and no third.
  Beats where all voices rest are skipped. The model never proposes
  power, major-seventh, minor-seventh or half-diminished chords.

## How well it does (held-out chorales, {held["beats"]} beats)

| per beat, root and quality both right | |
|---|---|
| this model (Viterbi) | {held["accuracy"]:.3f} (root alone: {held["root_accuracy"]:.3f}) |
| baseline: the tonic chord on every beat | {held["tonic_baseline"]:.3f} |
| baseline: the most frequent diatonic triad containing the melody note | {held["triad_baseline"]:.3f} |

The goal was 0.60. For scale: where Bach set the same melody twice, his two
settings agree on {info["bach_agreement"][0]:.3f} of {info["bach_agreement"][1]} beats under these labels.
{info["held_out_seen"]} of the
held-out chorales have a melody that Bach also set in a train chorale (the
corpus holds several settings of many hymns).

## Limits

- It knows four-part chorale harmony of the 1720s-40s: no jazz extensions,
  no modal interchange beyond Bach's, and its harmonic rhythm is a chord a beat.
- It reads one melody line (the highest note when notes overlap) and the key
  it is given; it does not modulate on its own.
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild-dataset", action="store_true", help="re-extract the chorales from music21")
    args = parser.parse_args()
    data = load_dataset(args.rebuild_dataset)
    weight, trials = choose_transition_weight(data["train"])
    print(f"transition weight {weight:.2f}: {trials}", file=sys.stderr)
    modes = train(data["train"])
    held = evaluate_chords(modes, data["held_out"], weight, data["train"])
    split = json.loads(SPLIT.read_text())
    kept = {c["name"] for part in ("train", "held_out") for c in data[part]}
    info = {
        "skipped": sorted(set(split["train"] + split["held_out"]) - kept),
        "music21": split["music21"], "train_chorales": len(data["train"]),
        "train_beats": sum(len(c["beats"]) for c in data["train"]),
        "held_out_chorales": len(data["held_out"]), "held_out": held,
        "held_out_seen": melodies_seen_in_training(data),
        "bach_agreement": bach_agreement(data["train"] + data["held_out"]),
        "keys_by_analysis": sum(c["key_source"] == "analysis" for c in data["train"] + data["held_out"]),
        "chords_per_mode": VOCABULARY_SIZE, "transition_weight": weight,
        "transition_weight_trials": [[round(w, 3), round(a, 4)] for w, a in trials.items()],
    }
    MODEL_PATH.write_text(json.dumps({**modes, "transition_weight": weight, "info": info}, separators=(",", ":")))
    write_card(info)
    print(json.dumps(held, indent=1))


if __name__ == "__main__":
    main()
