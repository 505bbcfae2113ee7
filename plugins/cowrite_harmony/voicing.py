"""Turn a chord path into notes: block chords, pads, arpeggios, or alto/tenor/bass under the melody.

The "satb" voicing treats the melody as the soprano and writes three lower
voices by dynamic programming over candidate voicings per chord: hard rules
(no parallel fifths or octaves between any two voices, no crossing, each voice
in its range) cost so much that they lose to any legal path; spacing (soprano
to alto and alto to tenor within an octave) costs less, so it is the only rule
relaxed when nothing else fits; the rest (small motion, complete chords,
root position, a resolving leading tone and seventh) are preferences.
voice_leading_problems() checks the result independently.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from cowrite.assistants.api import PPQ, Chord, ProposedNote
from cowrite.theory.chords import INTERVALS, chord_tones
from cowrite.theory.pitch import note_name

#: lowest and highest MIDI pitch of each voice: S C4-G5, A G3-D5, T C3-G4, B E2-C4
RANGES = {"soprano": (60, 79), "alto": (55, 74), "tenor": (48, 67), "bass": (40, 60)}
VOICES = tuple(RANGES)
HARD = 1e6  # parallels, crossing: never chosen while a legal voicing exists
SPACING = 1e3  # the one rule relaxed when nothing else fits
PERFECT = (0, 7)  # interval classes of unisons/octaves and fifths


# -- checking ----------------------------------------------------------------------------------

def voice_leading_problems(voices) -> list[str]:
    """Every broken rule of four-part writing, as readable sentences (empty: none).

    `voices`: soprano, alto, tenor, bass (top to bottom), each a list of notes
    (pitch, start, duration, ...) such as ProposedNote or ContextNote. The
    music is cut into slices wherever any voice changes; between consecutive
    slices two voices that both move and keep the same perfect fifth or
    octave (unison) are parallels. Within a slice an upper voice below a lower
    one is a crossing, and S-A or A-T wider than an octave is bad spacing.
    """
    names = VOICES[:len(voices)] if len(voices) == 4 else [f"voice {i + 1}" for i in range(len(voices))]
    problems = []
    for name, notes in zip(names, voices):
        low, high = RANGES.get(name, (0, 127))
        problems += [f"{name} {note_name(n[0])} at tick {n[1]} is outside {note_name(low)}-{note_name(high)}"
                     for n in notes if not low <= n[0] <= high]
    times = sorted({t for notes in voices for n in notes for t in (n[1], n[1] + n[2])})
    slices = [(t, [_sounding(notes, t) for notes in voices]) for t in times]
    slices = [s for i, s in enumerate(slices) if i == 0 or s[1] != slices[i - 1][1]]
    for (_, before), (tick, after) in zip(slices, slices[1:]):
        for i, j in combinations(range(len(voices)), 2):
            pitches = (before[i], before[j], after[i], after[j])
            if None in pitches or before[i] == after[i] or before[j] == after[j]:
                continue
            interval = (before[i] - before[j]) % 12
            if interval in PERFECT and interval == (after[i] - after[j]) % 12:
                kind = "fifths" if interval == 7 else "octaves"
                problems.append(f"parallel {kind} between {names[i]} and {names[j]} at tick {tick}")
    for tick, pitches in slices:
        for i in range(len(voices) - 1):
            upper, lower = pitches[i], pitches[i + 1]
            if upper is not None and lower is not None and upper < lower:
                problems.append(f"{names[i]} crosses below {names[i + 1]} at tick {tick}")
            if upper is not None and lower is not None and i < 2 and upper - lower > 12:
                problems.append(f"{names[i]} and {names[i + 1]} more than an octave apart at tick {tick}")
    return problems


def _sounding(notes, tick: int) -> int | None:
    return next((n[0] for n in notes if n[1] <= tick < n[1] + n[2]), None)


# -- satb ---------------------------------------------------------------------------------------

class _Span:
    """One chord and the soprano around it."""

    def __init__(self, chord: Chord, melody: list[tuple[int, int, int]]):
        self.chord = chord
        inside = [p for p, s, e in melody if s < chord.end and e > chord.start]
        self.soprano_low, self.soprano_high = (min(inside), max(inside)) if inside else (None, None)
        self.soprano = next((p for p, s, e in melody if s <= chord.start < e), None)
        self.soprano_before = next((p for p, s, e in melody if s <= chord.start - 1 < e), None)


def _candidates(span: _Span, leading_tone: int, use_soprano: bool) -> tuple[np.ndarray, np.ndarray]:
    """(alto, tenor, bass) rows of every voicing of the chord in range, and each one's cost."""
    chord = span.chord
    tones = chord_tones(chord)
    required = {tones[0], tones[1]} | ({tones[3]} if len(tones) > 3 else set())
    soprano_pc = span.soprano % 12 if use_soprano and span.soprano is not None else None
    pitches = {v: [p for p in range(RANGES[v][0], RANGES[v][1] + 1) if p % 12 in tones]
               for v in ("alto", "tenor", "bass")}
    rows, costs = [], []
    for bass in pitches["bass"]:
        for tenor in pitches["tenor"]:
            if tenor <= bass:
                continue
            for alto in pitches["alto"]:
                if alto <= tenor or (use_soprano and span.soprano_low is not None and alto > span.soprano_low):
                    continue
                pcs = [alto % 12, tenor % 12, bass % 12] + ([soprano_pc] if soprano_pc in tones else [])
                if not required <= set(pcs):
                    continue
                cost = (0, 2.5, 6, 4)[tones.index(bass % 12)]  # root position, then first inversion
                cost += 1.0 * (tones[-1 if len(tones) < 3 else 2] not in pcs) + 6 * (pcs.count(leading_tone) > 1)
                cost += 6 * (len(tones) > 3 and pcs.count(tones[3]) > 1)
                cost += 1.5 * (chord.quality == "major" and pcs.count(tones[1]) > 1)
                cost += 3 * (use_soprano and alto == span.soprano) + 1 * (tenor - bass > 19)
                cost += 0.05 * (abs(alto - 67) + abs(tenor - 57))
                top = span.soprano_high if use_soprano and span.soprano_high is not None else alto
                cost += SPACING * ((alto - tenor > 12) + (top - alto > 12))
                rows.append((alto, tenor, bass))
                costs.append(cost)
    return np.array(rows, dtype=np.int64).reshape(-1, 3), np.array(costs)


def _transition_costs(prev: np.ndarray, nxt: np.ndarray, prev_span: _Span, span: _Span,
                      tonic: int, use_soprano: bool) -> np.ndarray:
    """Cost of moving from each voicing in `prev` to each in `nxt` (len(prev) x len(nxt))."""
    a, b = prev[:, None, :], nxt[None, :, :]  # voices: alto, tenor, bass
    motion = np.abs(b - a)
    cost = motion[..., 0] + motion[..., 1] + 0.25 * motion[..., 2] + 2.0 * (motion[..., :2] > 7).sum(-1)
    # overlap: a voice moving past where its neighbour just was
    cost += 2.0 * ((b[..., 1] > a[..., 0]) | (b[..., 2] > a[..., 1]) | (b[..., 0] < a[..., 1]))
    voices_before, voices_after = [a[..., v] for v in range(3)], [b[..., v] for v in range(3)]
    s_after = span.soprano
    if use_soprano and span.soprano_before is not None and s_after is not None:
        voices_before.insert(0, np.full(a.shape[:2], span.soprano_before))
        voices_after.insert(0, np.full(b.shape[:2], s_after))
        # hidden octaves or fifths: outer voices in similar motion into a perfect interval, soprano leaping
        outer = (s_after - voices_after[-1]) % 12
        similar = np.sign(s_after - span.soprano_before) == np.sign(voices_after[-1] - voices_before[-1])
        cost += 2.0 * (np.isin(outer, PERFECT) & similar & (abs(s_after - span.soprano_before) > 2))
    for i, j in combinations(range(len(voices_before)), 2):
        interval = (voices_before[i] - voices_before[j]) % 12
        moved = (voices_before[i] != voices_after[i]) & (voices_before[j] != voices_after[j])
        parallel = moved & np.isin(interval, PERFECT) & (interval == (voices_after[i] - voices_after[j]) % 12)
        cost += HARD * parallel
    return cost + _resolution_costs(a, b, prev_span.chord, span.chord, tonic)


def _resolution_costs(a, b, before: Chord, after: Chord, tonic: int) -> np.ndarray:
    """The leading tone of a dominant rising to the tonic, a chord seventh falling by step (inner voices and bass)."""
    cost = np.zeros(np.broadcast_shapes(a.shape[:2], b.shape[:2]))
    tones_after = chord_tones(after)
    dominant = (before.root - tonic) % 12 in (7, 11) and tonic in tones_after
    seventh = chord_tones(before)[3] if len(INTERVALS[before.quality]) > 3 else None
    for v in range(3):
        if dominant and v < 2:
            cost = cost + 3.0 * ((a[..., v] % 12 == (tonic - 1) % 12) & (b[..., v] != a[..., v] + 1))
        if seventh is not None:
            step_down = (a[..., v] - b[..., v] >= 1) & (a[..., v] - b[..., v] <= 2)
            cost = cost + 3.0 * ((a[..., v] % 12 == seventh) & ~step_down & (b[..., v] != a[..., v]))
    return cost


def satb(chords: list[Chord], melody: list[tuple[int, int, int]], tonic: int,
         rng: np.random.Generator | None = None, jitter: float = 0.0) -> tuple[list[list[ProposedNote]], list[str]]:
    """Alto, tenor and bass notes for `chords` under the melody, and notes on any rule that had to give.

    Returns ([alto, tenor, bass], remarks). With `rng`, each voicing's preference
    cost gets up to `jitter` of random noise (the rules are untouched), so
    another seed can pick another of the good voicings.
    """
    spans = [_Span(chord, melody) for chord in chords]
    leading_tone = (tonic - 1) % 12
    layers, remarks, with_soprano = [], [], []
    for span in spans:
        rows, costs = _candidates(span, leading_tone, True)
        with_soprano.append(len(rows) > 0)
        if not len(rows):
            rows, costs = _candidates(span, leading_tone, False)
        layers.append((rows, costs + rng.uniform(0, jitter, len(costs)) if rng else costs))
    if not all(with_soprano):
        remarks.append(f"the melody is too low for three voices under it in {with_soprano.count(False)} "
                       "places; there the lower voices ignore it")
    total = layers[0][1]
    back = []
    for k in range(1, len(spans)):
        step = total[:, None] + _transition_costs(layers[k - 1][0], layers[k][0], spans[k - 1], spans[k],
                                                  tonic, with_soprano[k] and with_soprano[k - 1])
        back.append(step.argmin(axis=0))
        total = step.min(axis=0) + layers[k][1]
    choice = [int(total.argmin())]
    for pointers in reversed(back):
        choice.append(int(pointers[choice[-1]]))
    choice.reverse()
    best = float(total.min())
    if best >= HARD:
        remarks.append("no voicing avoids every parallel fifth or octave here; the fewest were kept")
    elif best >= SPACING:
        remarks.append("the voices are spaced wider than an octave in places: the melody leaves no room")
    voices = [[], [], []]
    for span, (rows, _), index in zip(spans, layers, choice):
        for voice, pitch, velocity in zip(voices, rows[index], (72, 72, 78)):
            voice.append(ProposedNote(int(pitch), span.chord.start, span.chord.duration, velocity))
    return voices, remarks


# -- block, pad, arpeggio ---------------------------------------------------------------------------

def close_voicings(chords: list[Chord], melody: list[tuple[int, int, int]],
                   rng: np.random.Generator | None = None, jitter: float = 0.0) -> list[list[int]]:
    """Close-position chords below the melody, each inversion chosen to move least from the one before
    (plus up to `jitter` of noise from `rng`, so another seed may pick another inversion)."""
    voicings, previous = [], None
    for chord in chords:
        tones = chord_tones(chord)
        below = min((p for p, s, e in melody if s < chord.end and e > chord.start), default=84)
        options = []
        for inversion in range(len(tones)):
            order = tones[inversion:] + tones[:inversion]
            for low in range(50, 62):
                if low % 12 != order[0]:
                    continue
                pitches = [low]
                for pc in order[1:]:
                    pitches.append(pitches[-1] + (pc - pitches[-1]) % 12)
                cost = 0.1 * abs(sum(pitches) / len(pitches) - 62)
                cost += 20 * (pitches[-1] >= below)
                if previous:
                    cost += sum(min(abs(p - q) for q in previous) for p in pitches)
                options.append((cost + (rng.uniform(0, jitter) if rng else 0.0), pitches))
        previous = min(options)[1]
        voicings.append(previous)
    return voicings


def block(chords, melody, rng=None, jitter=0.0) -> list[ProposedNote]:
    """Each chord struck once, held for most of its span (close position, below the melody)."""
    return [ProposedNote(p, c.start, max(1, c.duration * 9 // 10), 80)
            for c, pitches in zip(chords, close_voicings(chords, melody, rng, jitter)) for p in pitches]


def pad(chords, melody, rng=None, jitter=0.0) -> list[ProposedNote]:
    """Each chord held softly for its whole span."""
    return [ProposedNote(p, c.start, c.duration, 48)
            for c, pitches in zip(chords, close_voicings(chords, melody, rng, jitter)) for p in pitches]


def arpeggio(chords, melody, rng=None, jitter=0.0) -> list[ProposedNote]:
    """Each chord broken in eighths, up from its root near C3 and back down (its own register,
    so the melody and the seed do not change it)."""
    notes = []
    step = PPQ // 2
    for chord in chords:
        tones = chord_tones(chord)
        root = 48 + (tones[0] - 48) % 12
        rising = [root + (pc - root) % 12 for pc in tones]
        rising += [p + 12 for p in rising[:2]]
        pattern = rising + rising[-2:0:-1]
        for i, tick in enumerate(range(chord.start, chord.end, step)):
            notes.append(ProposedNote(pattern[i % len(pattern)], tick, min(step, chord.end - tick),
                                      78 if (tick - chord.start) % PPQ == 0 else 66))
    return notes
