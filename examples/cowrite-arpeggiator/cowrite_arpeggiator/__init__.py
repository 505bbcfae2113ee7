"""An example assistant: it arpeggiates the song's chord track.

It is deliberately small: a card, two parameters, and `suggest`. It imports
only from `cowrite.assistants.api`, the public plugin API.
"""

import random

from cowrite.assistants.api import (ALGORITHMIC, PPQ, Assistant, Card, Choice, Draft, IntRange, ModelInfo,
                                    ProposedNote)

INTERVALS = {"major": (0, 4, 7), "minor": (0, 3, 7), "diminished": (0, 3, 6), "augmented": (0, 4, 8),
             "dominant-seventh": (0, 4, 7, 10), "major-seventh": (0, 4, 7, 11), "minor-seventh": (0, 3, 7, 10),
             "half-diminished": (0, 3, 6, 10), "diminished-seventh": (0, 3, 6, 9),
             "suspended-fourth": (0, 5, 7), "suspended-second": (0, 2, 7), "power": (0, 7)}
STEPS = {"8th": PPQ // 2, "16th": PPQ // 4}


class Arpeggiator(Assistant):
    card = Card(
        id="arpeggiator", name="Arpeggiator", version="0.1.0", kind="melody",
        description="Plays the chord track as a broken chord, up, down or at random.",
        model=ModelInfo(type="rule-based", summary="Walks through each chord's tones in a fixed pattern.",
                        source_type=ALGORITHMIC),
    )
    parameters = (
        Choice("pattern", ("up", "down", "random"), "up", "the order of the chord tones"),
        Choice("rate", ("8th", "16th"), "8th", "how fast the notes follow each other"),
        IntRange("octave", 3, 6, 4, "the octave of the lowest note"),
    )
    target_kind = "instrument"

    def suggest(self, request):
        params, rng = request.parameters, random.Random(request.seed)
        step, notes = STEPS[params["rate"]], []
        for chord in request.chords:
            tones = [12 * (params["octave"] + 1) + chord.root + i for i in INTERVALS[chord.quality]]
            if params["pattern"] == "down":
                tones.reverse()
            start, end = max(chord.start, request.start), min(chord.end, request.end)
            for i, tick in enumerate(range(start, end, step)):
                pitch = rng.choice(tones) if params["pattern"] == "random" else tones[i % len(tones)]
                notes.append(ProposedNote(pitch, tick, min(step, end - tick), 80 if i % 2 else 96))
        if not notes:
            raise ValueError("the song has no chords in these bars: set them with `cowrite chords`")
        return Draft(notes, f"Arpeggiated {len(request.chords)} chords {params['pattern']} in {params['rate']} notes.")
