"""The harmony assistant: chords for a melody, learned from Bach's chorales, voiced for a track."""

from __future__ import annotations

from statistics import median

import numpy as np

from cowrite.assistants.api import (
    PPQ, TRAINED_ALGORITHMIC, Alternative, Assistant, Card, Choice, Chord, Draft, FloatRange, Key, ModelInfo,
    Request, TrainingSource)
from cowrite.theory.chords import SYMBOL_SUFFIXES as SUFFIX
from cowrite.theory.key_finding import key_scores
from cowrite.theory.keys import tonic_pitch_class
from cowrite.theory.pitch import LETTERS
from cowrite_harmony import voicing
from cowrite_harmony.model import load_model, posteriors, read_melody, sample_path, strength_of, viterbi

#: the scale degree (0 = the tonic's letter) naming a root so many semitones above the tonic;
#: chromatic roots are spelled as Bach used them: bII, bIII, #IV, bVI, bVII in major
#: and bII, #III, #IV, #VI, #VII in minor (in C: Db, Eb, F#, Ab, Bb; in A minor: Bb, C#, D#, F#, G#)
DEGREE = (0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6)
LETTER_ORDER = "CDEFGAB"
VOICINGS = {"block": voicing.block, "pad": voicing.pad, "arpeggio": voicing.arpeggio}
TOP_ALTERNATIVES = 3


def spell(root: int, quality: str, key: Key) -> str:
    """A chord symbol spelled in the key: in E minor the leading-tone chord is D#dim, not Ebdim."""
    tonic = tonic_pitch_class(key)
    letter = LETTER_ORDER[(LETTER_ORDER.index(key.tonic[0]) + DEGREE[(root - tonic) % 12]) % 7]
    accidental = (root - LETTERS[letter] + 6) % 12 - 6
    if abs(accidental) > 1:  # a double sharp or flat: use the plain enharmonic name
        names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
        return names[root] + SUFFIX[quality]
    return letter + ("#" if accidental == 1 else "b" if accidental == -1 else "") + SUFFIX[quality]


def beat_grid(request: Request) -> list[tuple[int, int, int, int]]:
    """(start, end, metric strength, bar index in the range) of each beat; compound meters beat in dotted quarters."""
    grid = []
    for bar, (start, end) in enumerate(zip(request.bar_starts(), request.bar_starts()[1:])):
        meter = request.meter.at(start)
        compound = meter.denominator == 8 and meter.numerator % 3 == 0 and meter.numerator > 3
        beat = 3 * PPQ // 2 if compound else PPQ * 4 // meter.denominator
        count = max(1, (end - start) // beat)
        for i in range(count):
            grid.append((start + i * beat, end if i == count - 1 else start + (i + 1) * beat,
                         strength_of(i, count), bar))
    return grid


def melody_line(request: Request) -> list[tuple[int, int, int]]:
    """The source track's top line as (pitch, start, end): of notes starting together the highest,
    each cut where the next starts."""
    highest = {}
    for note in request.source.notes if request.source else ():
        highest[note.start] = max(highest.get(note.start, note), note)
    notes = [highest[t] for t in sorted(highest)]
    return [(n.pitch, n.start, min(n.end, notes[i + 1].start) if i + 1 < len(notes) else n.end)
            for i, n in enumerate(notes)]


def phrase_ends(melody, grid) -> list[bool]:
    """Per beat, whether a phrase ends there: under a long note (twice the median length and at
    least two beats), a note followed by a beat's rest, or the last note. The chorales' fermatas,
    which taught the model its cadences, sit on such notes."""
    beat = grid[0][1] - grid[0][0]
    typical = median(end - start for _, start, end in melody)
    next_start = [n[1] for n in melody[1:]] + [None]
    ending = [(start, end) for (_, start, end), after in zip(melody, next_start)
              if after is None or after - end >= beat or (end - start >= 2 * typical and end - start >= 2 * beat)]
    return [any(s < b_end and e > b_start for s, e in ending) for b_start, b_end, _, _ in grid]


def spans_for(rhythm: str, grid) -> list[list[int]]:
    """Beat indices of each chord: every beat, each half bar (odd bars: the longer half first), or each bar."""
    if rhythm == "beat":
        return [[t] for t in range(len(grid))]
    bars: dict[int, list[int]] = {}
    for t, (*_, bar) in enumerate(grid):
        bars.setdefault(bar, []).append(t)
    if rhythm == "bar":
        return list(bars.values())
    halves = []
    for beats in bars.values():
        cut = (len(beats) + 1) // 2
        halves += [beats[:cut], beats[cut:]] if len(beats) > 1 else [beats]
    return halves


class HarmonyAssistant(Assistant):
    card = Card(
        id="harmony", name="Harmony", version="1.0.0", kind="harmony",
        description="Proposes chords for a melody in the style of Bach's chorales and voices them "
                    "as block chords, four-part writing under the melody, a pad or an arpeggio.",
        model=ModelInfo(
            type="statistical",
            summary="A model of Bach's four-part chorales: it reads the melody around each beat to weigh "
                    "the chords Bach used there, and links them with his chord-to-chord habits.",
            source_type=TRAINED_ALGORITHMIC,
            training_data=(TrainingSource(
                name="Bach chorales (music21 corpus), 290 train chorales",
                url="https://github.com/cuthbertLab/music21/tree/master/music21/corpus/bach",
                licence="Public-domain music; music21 (BSD-3-Clause) states its corpus encodings are "
                        "public domain or used by permission",
                share=1.0),),
        ),
    )
    parameters = (
        Choice("rhythm", ("beat", "half-bar", "bar"), "half-bar", "how often the chord changes"),
        Choice("voicing", ("block", "satb", "pad", "arpeggio"), "satb",
               "block chords, alto-tenor-bass under the melody, held pad, or broken chords in eighths"),
        Choice("key", ("song", "detect"), "song", "use the song's key, or find the melody's own"),
        FloatRange("adventure", 0.0, 1.0, 0.3, "0: the most likely chords; higher: less expected ones"),
    )
    target_kind = "instrument"
    needs_source = True

    def suggest(self, request: Request) -> Draft:
        melody = melody_line(request)
        if not melody:
            raise ValueError(f"harmony needs a melody: choose a source track with notes in bars "
                             f"{request.first_bar + 1}-{request.last_bar + 1}")
        params = request.parameters
        key, key_note = self._key(request, params["key"])
        tonic = tonic_pitch_class(key)
        model = load_model()
        mode = model.major if key.mode == "major" else model.minor
        grid = beat_grid(request)
        ends = phrase_ends(melody, grid)
        beats, bag = read_melody(melody, [g[:3] for g in grid], tonic, ends)
        beat_scores = mode.beat_log_probs(beats, bag)
        spans = spans_for(params["rhythm"], grid)
        # a span's evidence is the mean of its beats' log-probabilities: their melody windows
        # overlap, so the beats are not independent witnesses
        unary = np.array([beat_scores[span].mean(axis=0) for span in spans])
        chain = mode.chain(model.transition_weight)
        adventure = params["adventure"]
        rng = np.random.default_rng(request.seed) if adventure > 0 else None
        if rng is None:
            path = viterbi(unary, *chain)
        else:
            # temperature 2 * adventure: 0.5 samples the model's own uncertainty, 1 flattens it
            temperature = 2 * adventure
            path = sample_path(unary / temperature, *(part / temperature for part in chain), rng)
        probs = posteriors(unary, *chain)
        chords = []
        for span, index in zip(spans, path):
            root_rel, quality = mode.chords[index]
            begin, end = grid[span[0]][0], grid[span[-1]][1]
            root = (tonic + root_rel) % 12
            chords.append(Chord(begin, end - begin, spell(root, quality, key), root, quality))
        alternatives = [
            Alternative(chord.start, chord.symbol,
                        [(spell((tonic + mode.chords[i][0]) % 12, mode.chords[i][1], key), round(float(p[i]), 3))
                         for i in np.argsort(-p)[:TOP_ALTERNATIVES]])
            for chord, p in zip(chords, probs)]
        # the voicing may also wander a little (up to 2 semitones of motion per unit of adventure)
        notes, voicing_note = self._voice(params["voicing"], chords, melody, tonic, rng, 2 * adventure)
        explanation = self._explain(request, key_note, tonic, chords, spans, ends, alternatives, voicing_note)
        return Draft(notes=notes, explanation=explanation, chords=chords, alternatives=alternatives)

    @staticmethod
    def _key(request: Request, choice: str) -> tuple[Key, str]:
        if choice == "song":
            return request.key, f"the song's key, {request.key}"
        scores = key_scores(request.source.notes)
        (best, key), (second, runner_up) = scores[0], scores[1]
        return key, f"{key}, found in the melody (fit {best:.2f}; next best {runner_up}, {second:.2f})"

    @staticmethod
    def _voice(name: str, chords, melody, tonic, rng, jitter) -> tuple[list, str]:
        if name != "satb":
            return VOICINGS[name](chords, melody, rng, jitter), ""
        voices, remarks = voicing.satb(chords, melody, tonic, rng, jitter)
        notes = [note for voice in voices for note in voice]
        rules = "alto, tenor and bass under the melody, without parallel fifths or octaves or crossing voices"
        return notes, rules + (" (" + "; ".join(remarks) + ")" if remarks else "")

    @staticmethod
    def _explain(request, key_note, tonic, chords, spans, ends, alternatives, voicing_note) -> str:
        rhythm, adventure = request.parameters["rhythm"], request.parameters["adventure"]
        lines = [f"Key: {key_note}. One chord per {rhythm.replace('-', ' ')}, "
                 + ("the most likely path." if adventure == 0 else
                    f"drawn from the likely paths (adventure {adventure:g}, seed {request.seed}).")]
        at_end = [any(ends[t] for t in span) for span in spans]
        cadences = [f"{_where(request, chords[i].start)}: " + (
                        f"{chords[i - 1].symbol}-{chords[i].symbol}{_cadence(chords[i - 1], chords[i], tonic)}"
                        if chords[i - 1].symbol != chords[i].symbol else f"stays on {chords[i].symbol}")
                    for i in range(1, len(chords)) if at_end[i] and not at_end[i - 1]]
        if cadences:
            lines.append("Phrase ends (long notes, rests, the last note) get cadences, as at Bach's fermatas: "
                         + "; ".join(cadences) + ".")
        if voicing_note:
            lines.append(f"Voiced as {voicing_note}.")
        doubtful = sorted(sorted(alternatives, key=lambda a: a.options[0][1])[:3], key=lambda a: a.start)
        lines.append("Least certain: " + "; ".join(
            f"{_where(request, a.start)}: {a.chosen} (" + ", ".join(f"{s} {p:.0%}" for s, p in a.options) + ")"
            for a in doubtful) + ".")
        return " ".join(lines)


def _where(request: Request, tick: int) -> str:
    bar = request.meter.bar_at(tick)
    offset = tick - request.meter.bar_start(bar)
    meter = request.meter.at(tick)
    beat = offset // (PPQ * 4 // meter.denominator) + 1
    return f"bar {bar + 1}" + (f" beat {beat}" if offset else "")


def _cadence(before: Chord, after: Chord, tonic: int) -> str:
    """The name of the cadence from `before` to `after`, by their roots' degrees."""
    degrees = ((before.root - tonic) % 12, (after.root - tonic) % 12)
    if degrees[1] == 7:
        return " (half cadence)"
    if degrees == (7, 0) or degrees == (11, 0):
        return " (authentic cadence)"
    if degrees == (5, 0):
        return " (plagal cadence)"
    if degrees[0] == 7 and degrees[1] in (8, 9):
        return " (deceptive cadence)"
    return ""
