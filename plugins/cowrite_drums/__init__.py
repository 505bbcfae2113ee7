"""The built-in drums assistant (registered through the cowrite.assistants entry point).

It samples drum bars from a table of step probabilities learned from
Cowrite's own hand-written patterns (assets/drums/), so a teacher can trace
every note back to data anyone may read.
"""

from __future__ import annotations

from cowrite.assistants.api import (TRAINED_ALGORITHMIC, Assistant, Boolean, Card, Choice, Draft, FloatRange,
                                    IntRange, ModelInfo, Request, TrainingSource)
from cowrite_drums.generate import Groove, generate

STYLES = ("boom-bap", "trap", "house", "techno", "rock", "funk", "lofi", "reggaeton", "dnb", "afrobeat")


class DrumsAssistant(Assistant):
    card = Card(
        id="drums", name="Drums", version="1.0.0", kind="drums",
        description="Writes drum patterns in ten styles, with fills at the ends of phrases, "
                    "or varies the hats and percussion of an existing drum part.",
        model=ModelInfo(
            type="statistical",
            summary="For each style, the chance of a hit and its loudness at every step of the bar, counted from "
                    "ten one-bar patterns per style written by hand for Cowrite; new bars are drawn from them.",
            source_type=TRAINED_ALGORITHMIC,
            training_data=(TrainingSource("Cowrite drum pattern corpus", "assets/drums/corpus.json",
                                          "CC0-1.0, written for Cowrite", 1.0),),
        ),
    )
    parameters = (
        Choice("style", STYLES, "boom-bap", "the groove to write"),
        FloatRange("density", 0.0, 1.0, 0.5, "0: only the hits that 9 in 10 of the style's patterns share; "
                                             "0.5: as learned; 1: busier"),
        FloatRange("swing", 0.0, 1.0, 0.0, "delays the off-beat 16ths, up to a triplet feel at 1; "
                                           "added to the style's own swing"),
        FloatRange("humanize", 0.0, 1.0, 0.3, "small timing and loudness variations, as a drummer plays"),
        Boolean("fills", True, "a fill at the end of each phrase"),
        IntRange("fill_every", 4, 8, 4, "phrase length in bars: the fill goes in its last bar"),
        Boolean("variation", False, "keep the track's kicks and backbeat, write new hats and percussion"),
    )
    target_kind = "drums"

    def suggest(self, request: Request) -> Draft:
        groove = generate(request)
        return Draft(groove.notes, explain(request, groove))


def _bars(bars: list[int]) -> str:
    """'bar 4' or 'bars 4, 8 and 12', counted from 1 as the window shows them."""
    names = [str(b + 1) for b in bars]
    return "bar " + names[0] if len(names) == 1 else "bars " + ", ".join(names[:-1]) + " and " + names[-1]


def explain(request: Request, groove: Groove) -> str:
    """A few sentences a teacher can read out: the style, the settings, the fills, the data."""
    p, style = request.parameters, groove.style
    range_text = f"bars {request.first_bar + 1}-{request.last_bar + 1}"
    density = p["density"]
    density_text = ("only the hits 9 in 10 patterns share" if density == 0 else "the table as learned"
                    if density == 0.5 else "sparser than learned" if density < 0.5 else "busier than learned")
    swing = min(1.0, p["swing"] + style.swing)
    text = [f"{style.title}: {style.feel}."]
    if p["variation"]:
        text.append(f"Variation: kept your {groove.kept_kicks} kick notes exactly and your {groove.kept_backbeats} "
                    "snare hits on the backbeat; the hats and percussion are new." if groove.varied else
                    f"Variation was asked for, but the track has no notes in {range_text}, "
                    "so this is a new pattern.")
    own = f" (the style's own {style.swing:.2f} plus {p['swing']:.2f})" if style.swing else ""
    text.append(f"Density {density:.2f} ({density_text}), swing {swing:.2f}{own}, humanize {p['humanize']:.2f}.")
    if groove.fills:
        where = ", ".join(f"bar {bar + 1} ({'last half' if 2 * steps <= style.steps else 'whole bar'})"
                          for bar, steps in groove.fills)
        text.append(f"Fills end each {p['fill_every']}-bar phrase: {where}.")
    elif groove.varied and p["fills"]:
        text.append("No fills, so your kicks stay exactly as they were.")
    elif p["fills"]:
        text.append(f"No {p['fill_every']}-bar phrase ends in {range_text}, so no fill.")
    if groove.crashes:
        text.append(f"A crash opens the next phrase in {_bars(groove.crashes)}.")
    text.append(f"The table was learned from {style.patterns} hand-written {style.title.lower()} patterns "
                "in Cowrite's own corpus (CC0).")
    return " ".join(text)
