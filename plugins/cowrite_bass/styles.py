"""The styles as data: where each puts notes, what each note plays, how long it rings.

rhythm.py and line.py read these tables, so a style is one entry here, and a
teacher can read a style's whole idea in one place.

Metric positions, rounded to the nearest 16th: "down" (beat 1), "strong" (the
middle of an even bar: beat 3 in 4/4), "beat" (the other beats), "and" (the
8th between beats) and "16th" (anything finer). Roles: "root" (the chord's
root, or its slash bass), "fifth", "octave" (the root an octave up), "pop" (a
short, loud octave: funk's slap), "chord" (any chord tone), "pass" (a step
between its neighbours), "ghost" (a quiet, short dead note).
"""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.assistants.api import PPQ


@dataclass(frozen=True)
class Style:
    name: str
    idea: str  # the style's idea in a sentence, for the explanation
    #: chance of a note at each metric position at density 0.5 (density 1 doubles it, 0 removes it)
    chance: dict[str, float]
    #: at each metric position, the roles a note may play and their weights
    roles: dict[str, dict[str, float]]
    #: a sentence on why the style does not lock to the kick; "" when it does
    own_time: str = ""
    #: scales `chance` when locked to a kick: the kick already gives the rhythm
    fill_when_locked: float = 1.0
    longest: float | None = None  # longest note in beats; None: legato up to the next note
    approach_window: int = PPQ // 2  # an approach note sits this close before a chord change
    #: chance a bar rests on beat one (reggae's one-drop feel) and answers on the "and" of one or on two
    drop_one: float = 0.0


STYLES = {style.name: style for style in (
    Style("root", "plays the root of each chord, mostly on the beat with the odd eighth-note push",
          chance={"down": 1, "strong": 0.9, "beat": 0.8, "and": 0.2, "16th": 0},
          roles={"down": {"root": 1}, "strong": {"root": 1}, "beat": {"root": 1},
                 "and": {"root": 0.8, "octave": 0.2}, "16th": {"root": 1}},
          fill_when_locked=0.3),
    Style("root-fifth", "alternates the root and the fifth: root on beat one, fifth on beat three",
          chance={"down": 1, "strong": 1, "beat": 0.4, "and": 0.25, "16th": 0},
          roles={"down": {"root": 1}, "strong": {"fifth": 0.8, "root": 0.2}, "beat": {"root": 0.5, "fifth": 0.5},
                 "and": {"root": 0.6, "fifth": 0.2, "octave": 0.2}, "16th": {"root": 1}},
          fill_when_locked=0.5, longest=0.9),
    Style("octave", "bounces between the root on the beat and its octave on the off-beat (disco octaves)",
          chance={"down": 1, "strong": 1, "beat": 1, "and": 0.9, "16th": 0.05},
          roles={"down": {"root": 1}, "strong": {"root": 1}, "beat": {"root": 1},
                 "and": {"octave": 0.85, "fifth": 0.15}, "16th": {"octave": 1}},
          longest=0.45),
    Style("walking", "walks in quarter notes: chord tones on beats one and three, passing and approach "
          "tones on two and four, always heading for the next chord's root",
          chance={"down": 1, "strong": 1, "beat": 1, "and": 0, "16th": 0},
          roles={"down": {"root": 1}, "strong": {"chord": 1}, "beat": {"pass": 1}, "and": {"pass": 1},
                 "16th": {"pass": 1}},
          own_time="A walking line keeps its own quarter-note time, so it does not follow the kick.",
          approach_window=PPQ),
    Style("808", "holds long sub-bass notes on the root, with the odd octave jump, one note at a time "
          "so a glide never smears two pitches",
          chance={"down": 1, "strong": 0.5, "beat": 0.15, "and": 0.25, "16th": 0.12},
          roles={"down": {"root": 1}, "strong": {"root": 0.7, "octave": 0.3}, "beat": {"root": 0.6, "octave": 0.4},
                 "and": {"root": 0.5, "octave": 0.3, "fifth": 0.2}, "16th": {"root": 0.6, "octave": 0.4}},
          fill_when_locked=0.15),
    Style("funk", "syncopates in 16ths: a solid root on one, octave pops and quiet ghost notes in between",
          chance={"down": 1, "strong": 0.4, "beat": 0.3, "and": 0.4, "16th": 0.45},
          roles={"down": {"root": 1}, "strong": {"root": 0.6, "pop": 0.4},
                 "beat": {"root": 0.4, "pop": 0.3, "chord": 0.3},
                 "and": {"ghost": 0.3, "pop": 0.3, "root": 0.2, "chord": 0.2},
                 "16th": {"ghost": 0.45, "root": 0.25, "pop": 0.15, "chord": 0.15}},
          fill_when_locked=0.8, longest=0.45),
    Style("reggae", "often rests on beat one (the one-drop feel) and answers with short melodic phrases "
          "of chord and scale tones",
          chance={"down": 1, "strong": 0.6, "beat": 0.6, "and": 0.45, "16th": 0.05},
          roles={"down": {"root": 1}, "strong": {"chord": 0.7, "root": 0.3}, "beat": {"chord": 0.5, "pass": 0.5},
                 "and": {"pass": 0.4, "chord": 0.4, "root": 0.2}, "16th": {"pass": 1}},
          own_time="Reggae plays around the kick (the one-drop kick lands on beat three), not on it.",
          longest=0.75, drop_one=0.6),
)}
