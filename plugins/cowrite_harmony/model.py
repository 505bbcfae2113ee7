"""The learned harmony model: what it reads from a melody, and how it picks chords.

Per beat, a maximum-entropy (multinomial logistic) model gives P(chord | the
melody around the beat): the melody pitch at the beat and the two beats either
side (relative to the key), the notes inside the beat weighted by duration and
the one sounding at its middle, whether the note is held over or several notes
start, how the melody moves into and out of the note (step or leap, up or
down), whether it is a short passing note, how long it is, the beat's metric
strength and its place in the phrase (a phrase end, the beat before one, the
first beat after one, beats since the last one), and the local key: which of
the 24 keys the melody within four beats fits best (Krumhansl-Kessler
profiles), and which pitch classes sound within four and eight beats.
Chorales modulate phrase by phrase, and the same melody note means another
chord in the dominant or the relative key. A first-order chain of chord-to-chord transitions (and of
first and last chords), learned from Bach with add-k smoothing and weighted
against that evidence, links the beats: Viterbi gives the best path,
forward-backward the probability of each chord at each place, and forward
filtering / backward sampling draws other paths.

Why not a plain HMM with P(melody note | chord) emissions: on the held-out
chorales it gets 47% of beats right (root and quality), this model over 60%
(assets/harmony/CARD.md). A chord is read mostly from the melody's previous and
next notes together, which a per-chord emission table cannot combine; once they
are read, the chain adds little (its weight is low).

Training (assets/harmony/build_model.py) and the assistant share the feature
code below, so the model sees a user's melody exactly as it saw Bach's.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

MODEL_PATH = Path(os.environ.get("COWRITE_ASSETS") or Path(__file__).resolve().parents[2] / "assets") \
    / "harmony" / "model.json"

REST = 12  # the "pitch class" of a beat where the melody rests
MID, END, BEFORE_END, START = range(4)  # a beat's place in its phrase
N_POSITIONS = 4
MAX_DISTANCE = 4  # beats to the next phrase end are counted up to this
MAX_SINCE = 8  # beats since the last phrase end are counted up to this
KEY_WINDOW = 4  # beats either side whose melody decides the local key
WIDE = (4, 8)  # beats either side whose pitch classes are read as present or not
# Krumhansl & Kessler (1982) major and minor key profiles, as in cowrite.theory.key_finding
PROFILES = np.array([(6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),
                     (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)])


class Beat(NamedTuple):
    """One beat of melody as the model reads it; pitch classes are relative to the tonic."""

    on: int  # the melody pitch class sounding at the beat (REST if none)
    prev: int
    next: int
    prev2: int
    next2: int
    held: int  # 1 if that note started before the beat
    starts: int  # melody notes starting inside the beat: 0, 1, 2 (= 2 or more)
    strength: int  # 0 downbeat, 1 middle of an even bar, 2 other beats
    position: int  # MID, END, BEFORE_END or START
    distance: int  # beats to the next phrase end, 0..MAX_DISTANCE
    came: int  # motion into the note at the beat: 0 none, 1 down leap, 2 down step, 3 same, 4 up step, 5 up leap
    goes: int  # motion out of it, same codes
    passing: int  # 1: a short note between two steps in the same direction
    length: int  # the note's length: 0 rest, 1 < beat, 2 one beat, 3 between, 4 two beats, 5 longer
    mid: int  # pitch class sounding at the middle of the beat
    since: int  # beats since the last phrase end, 0..MAX_SINCE
    local: int  # the melody's local key around the beat (0..23: major/minor tonic relative to the key)


def _motion(a: int | None, b: int | None) -> int:
    """The melodic motion from pitch a to pitch b: 0 none (a rest), 1 leap down, 2 step down, 3 repeat,
    4 step up, 5 leap up."""
    if a is None or b is None:
        return 0
    d = b - a
    return 3 if d == 0 else (5 if d > 2 else 4) if d > 0 else (1 if d < -2 else 2)


def _length_code(length: int, beat: int) -> int:
    """A note's length: 1 shorter than the beat, 2 one beat, 3 between one and two, 4 two beats, 5 longer."""
    r = length / beat
    return 1 if r < 0.99 else 2 if r < 1.01 else 3 if r < 1.99 else 4 if r < 2.01 else 5


#: (name, number of values, the value for a beat): each is one-hot, and the
#: model learns a weight per value and chord. Conjunctions (a*b) let it learn
#: e.g. that the 2nd degree before a phrase end wants a dominant.
FEATURES_BASE = (
    ("bias", 1, lambda b: 0),
    ("on", 13, lambda b: b.on),
    ("prev", 13, lambda b: b.prev),
    ("next", 13, lambda b: b.next),
    ("prev2", 13, lambda b: b.prev2),
    ("next2", 13, lambda b: b.next2),
    ("position", N_POSITIONS, lambda b: b.position),
    ("strength", 3, lambda b: b.strength),
    ("distance", MAX_DISTANCE + 1, lambda b: b.distance),
    ("held", 2, lambda b: b.held),
    ("starts", 3, lambda b: b.starts),
    ("on*position", 13 * N_POSITIONS, lambda b: b.on * N_POSITIONS + b.position),
    ("on*strength", 13 * 3, lambda b: b.on * 3 + b.strength),
    ("on*distance", 13 * 5, lambda b: b.on * 5 + b.distance),
    ("on*held*starts", 13 * 6, lambda b: b.on * 6 + b.held * 3 + b.starts),
    ("on*next", 13 * 13, lambda b: b.on * 13 + b.next),
    ("prev*on", 13 * 13, lambda b: b.prev * 13 + b.on),
    ("prev*on*next", 13 ** 3, lambda b: (b.prev * 13 + b.on) * 13 + b.next),
    ("on*next*next2", 13 ** 3, lambda b: (b.on * 13 + b.next) * 13 + b.next2),
    ("on*next*distance", 13 * 13 * 5, lambda b: (b.on * 13 + b.next) * 5 + b.distance),
    ("on*next*strength", 13 * 13 * 3, lambda b: (b.on * 13 + b.next) * 3 + b.strength),
)
#: added in 1.1, by group (each helped on the held-back train chorales; the local key most)
FEATURES_NEW = {
    "motion": (("came", 6, lambda b: b.came), ("goes", 6, lambda b: b.goes),
               ("on*came*goes", 13 * 36, lambda b: b.on * 36 + b.came * 6 + b.goes)),
    "passing": (("passing", 2, lambda b: b.passing),
                ("on*passing*strength", 13 * 6, lambda b: (b.on * 2 + b.passing) * 3 + b.strength)),
    "length": (("length", 6, lambda b: b.length), ("on*length", 13 * 6, lambda b: b.on * 6 + b.length)),
    "mid": (("mid", 13, lambda b: b.mid), ("on*mid", 169, lambda b: b.on * 13 + b.mid)),
    "since": (("since", MAX_SINCE + 1, lambda b: b.since),
              ("strength*position", 3 * N_POSITIONS, lambda b: b.strength * N_POSITIONS + b.position),
              ("since*distance", (MAX_SINCE + 1) * 5, lambda b: b.since * 5 + b.distance)),
    "local": (("local", 24, lambda b: b.local), ("on*local", 13 * 24, lambda b: b.on * 24 + b.local)),
}
FEATURES = FEATURES_BASE + tuple(f for group in FEATURES_NEW.values() for f in group)
OFFSETS = tuple(np.cumsum([0] + [size for _, size, _ in FEATURES])[:-1].tolist())
N_FEATURES = sum(size for _, size, _ in FEATURES)


def strength_of(index: int, beats_in_bar: int) -> int:
    return 0 if index == 0 else 1 if beats_in_bar % 2 == 0 and index == beats_in_bar // 2 else 2


_KEYS = np.array([np.roll(PROFILES[mode], tonic) for mode in range(2) for tonic in range(12)])
_KEYS = (_KEYS - _KEYS.mean(axis=1, keepdims=True)) / _KEYS.std(axis=1, keepdims=True)


def _local_key(hist: np.ndarray) -> int:
    """The key (0-11 major, 12-23 minor; tonic relative to the given key) whose profile best correlates
    with a pitch-class histogram; 0 (the given major key's tonic, i.e. no change) if it is flat."""
    if hist.std() <= 0:
        return 0
    return int(np.argmax(_KEYS @ (hist - hist.mean())))


def read_melody(melody, grid, tonic: int, phrase_end: list[bool]) -> tuple[list[Beat], np.ndarray]:
    """The beats of a melody line, and per beat its dense features (T x 36): the pitch classes within
    the beat weighted by duration, then those present within WIDE[0] and WIDE[1] beats either side.

    melody: (pitch, start, end) tuples of a single line in time order; grid:
    (start, end, strength) of each beat; phrase_end: per beat, whether a phrase
    ends there (a fermata in Bach, a long note or the last note in a user's tune).
    """
    count = len(grid)
    bag = np.zeros((count, 12))
    on, held, starts = [REST] * count, [0] * count, [0] * count
    note_at = [None] * count
    mid = [REST] * count
    first = 0
    for t, (start, end, _) in enumerate(grid):
        while first < len(melody) and melody[first][2] <= start:
            first += 1
        centre = (start + end) / 2
        for k, (pitch, n_start, n_end) in enumerate(melody[first:], first):
            if n_start >= end:
                break
            bag[t, (pitch - tonic) % 12] += (min(end, n_end) - max(start, n_start)) / (end - start)
            if n_start <= centre < n_end:
                mid[t] = (pitch - tonic) % 12
            if n_start <= start:
                on[t], held[t] = (pitch - tonic) % 12, int(n_start < start)
                note_at[t] = k
            else:
                starts[t] += 1
        starts[t] = min(starts[t] + (on[t] != REST and not held[t]), 2)
    beats = []
    last_end = None
    cum = np.vstack([np.zeros(12), np.cumsum(bag, axis=0)])
    dense = [bag]
    for w in WIDE:
        lo = np.clip(np.arange(count) - w, 0, count)
        hi = np.clip(np.arange(count) + w + 1, 0, count)
        dense.append(((cum[hi] - cum[lo]) > 1e-9).astype(float))
    for t, (b_start, b_end, strength) in enumerate(grid):
        if phrase_end[t]:
            position = END
        elif t + 1 < count and phrase_end[t + 1]:
            position = BEFORE_END
        elif t == 0 or phrase_end[t - 1]:
            position = START
        else:
            position = MID
        distance = next((d for d in range(MAX_DISTANCE) if t + d < count and phrase_end[t + d]), MAX_DISTANCE)
        since = MAX_SINCE if last_end is None else min(t - last_end, MAX_SINCE)
        if phrase_end[t]:
            last_end = t
        around = [on[i] if 0 <= i < count else REST for i in (t - 1, t + 1, t - 2, t + 2)]
        k = note_at[t]
        came = goes = passing = length = 0
        if k is not None:
            pitch, n_start, n_end = melody[k]
            before = melody[k - 1][0] if k > 0 and melody[k - 1][2] >= n_start - 1 else None
            after = melody[k + 1][0] if k + 1 < len(melody) and melody[k + 1][1] <= n_end + 1 else None
            came, goes = _motion(before, pitch), _motion(pitch, after)
            beat = b_end - b_start
            length = _length_code(n_end - n_start, beat)
            passing = int(length == 1 and (came, goes) in ((2, 2), (4, 4)))
        local = _local_key(cum[min(count, t + KEY_WINDOW + 1)] - cum[max(0, t - KEY_WINDOW)])
        beats.append(Beat(on[t], *around, held[t], starts[t], strength, position, distance,
                          came, goes, passing, length, mid[t], since, local))
    return beats, np.hstack(dense)


def feature_indices(beats: list[Beat]) -> np.ndarray:
    """(T x len(FEATURES)) rows of the weight table each beat switches on."""
    return np.array([[offset + value(b) for offset, (_, _, value) in zip(OFFSETS, FEATURES)] for b in beats],
                    dtype=np.int64).reshape(len(beats), len(FEATURES))


class ModeModel:
    """The model for one mode: chords as (root relative to the tonic, quality), weights, transitions."""

    def __init__(self, data: dict):
        self.chords = [(root, quality) for root, quality in data["chords"]]
        n = len(self.chords)
        self.weights = np.zeros((N_FEATURES, n))
        rows = np.array(data["weights"]["rows"], dtype=np.int64)
        self.weights[rows] = np.array(data["weights"]["values"]) / data["weights"]["scale"]
        self.bag = np.array(data["bag"])
        self.log_start = np.log(np.array(data["start"]))
        self.log_transitions = np.log(np.array(data["transitions"]))
        self.log_end = np.log(np.array(data["end"]))

    def chain(self, weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start, transition, end) log-probabilities, each times `weight`, for the decoders below."""
        return weight * self.log_start, weight * self.log_transitions, weight * self.log_end

    def beat_log_probs(self, beats: list[Beat], bag: np.ndarray) -> np.ndarray:
        """log P(chord | melody) per beat: T x chords. bag: read_melody()'s dense features."""
        scores = self.weights[feature_indices(beats)].sum(axis=1) + bag @ self.bag
        scores -= scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))


class HarmonyModel(NamedTuple):
    major: ModeModel
    minor: ModeModel
    transition_weight: float  # how much the chord-to-chord chain counts against the melody evidence
    info: dict  # what it was trained on, for the card


@cache
def load_model(path: Path = MODEL_PATH) -> HarmonyModel:
    """The model, read once per process (~20 ms)."""
    data = json.loads(path.read_text())
    return HarmonyModel(ModeModel(data["major"]), ModeModel(data["minor"]), data["transition_weight"], data["info"])


# -- decoding a chain of chord scores -------------------------------------------------------

def viterbi(unary: np.ndarray, log_start, log_transitions, log_end) -> list[int]:
    """The best chord path. unary: T x chords of log scores; the chain's log-probabilities
    of the first chord, of each chord following another, and of the last chord (Bach ends on the tonic)."""
    score = log_start + unary[0]
    back = []
    for t in range(1, len(unary)):
        total = score[:, None] + log_transitions
        back.append(total.argmax(axis=0))
        score = total.max(axis=0) + unary[t]
    path = [int((score + log_end).argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return path[::-1]


def _forward(unary, log_start, log_transitions) -> np.ndarray:
    alpha = np.empty_like(unary)
    alpha[0] = log_start + unary[0]
    for t in range(1, len(unary)):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + log_transitions, axis=0) + unary[t]
    return alpha


def posteriors(unary: np.ndarray, log_start, log_transitions, log_end) -> np.ndarray:
    """P(chord at t | whole melody), T x chords, by forward-backward."""
    alpha = _forward(unary, log_start, log_transitions)
    beta = np.zeros_like(unary)
    beta[-1] = log_end
    for t in range(len(unary) - 2, -1, -1):
        beta[t] = _logsumexp(log_transitions + (unary[t + 1] + beta[t + 1])[None, :], axis=1)
    joint = alpha + beta
    joint -= joint.max(axis=1, keepdims=True)
    probs = np.exp(joint)
    return probs / probs.sum(axis=1, keepdims=True)


def sample_path(unary, log_start, log_transitions, log_end, rng: np.random.Generator) -> list[int]:
    """A chord path drawn from the chain's distribution (forward filtering, backward sampling)."""
    alpha = _forward(unary, log_start, log_transitions)
    path = [_draw(alpha[-1] + log_end, rng)]
    for t in range(len(unary) - 2, -1, -1):
        path.append(_draw(alpha[t] + log_transitions[:, path[-1]], rng))
    return path[::-1]


def _draw(log_weights: np.ndarray, rng: np.random.Generator) -> int:
    weights = np.exp(log_weights - log_weights.max())
    return int(rng.choice(len(weights), p=weights / weights.sum()))


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)
