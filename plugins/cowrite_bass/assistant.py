"""The bass assistant: follows the chords, locks to the kick, plays one of seven styles."""

from __future__ import annotations

from random import Random

from cowrite.assistants.api import (ALGORITHMIC, PPQ, Assistant, Boolean, Card, Choice, Chord, Draft, FloatRange,
                                    ModelInfo, Request)
from cowrite.theory.chord_detect import SUFFIXES, detect_chords
from cowrite.theory.keys import scale_pitch_classes, tonic_pitch_class
from cowrite.theory.pitch import note_name
from cowrite_bass import line, rhythm
from cowrite_bass.styles import STYLES

#: lowest and highest MIDI pitch of each register (low: E1..E3, a four-string bass)
REGISTERS = {"low": (28, 52), "mid": (35, 59), "high": (43, 67)}
SUB_SHIFT = -4  # an 808 sits a major third lower: low is C1..C3, the sub range


class BassAssistant(Assistant):
    card = Card(
        "bass", "Bass", "1.0.0", "bass",
        "Writes a bass line that follows the chords (from the chord track, or heard in the other parts) "
        "and locks to the kick drum, in one of seven styles.",
        ModelInfo("rule-based",
                  "Hand-written rules of bass playing: roots and chord tones on the strong beats, approach "
                  "notes into chord changes, the rhythm taken from the kick drum or from the style. "
                  "It learned from no data.",
                  ALGORITHMIC),
    )
    parameters = (
        Choice("style", tuple(STYLES), "root-fifth", "how the line moves: " + "; ".join(
            f"{s.name}: {s.idea}" for s in STYLES.values())),
        FloatRange("density", 0.0, 1.0, 0.5, "how busy: 0 plays only the chord changes, 1 about twice the default"),
        Choice("register", tuple(REGISTERS), "low", "where the line sits: low E1-E3, mid B1-B3, high G2-G4 "
               "(808 a third lower)"),
        Boolean("approach", True, "lead into each chord change with a chromatic or scale step"),
    )
    target_kind = "instrument"

    def suggest(self, request: Request) -> Draft:
        p = request.parameters
        style, rng = STYLES[p["style"]], Random(request.seed)
        low, high = REGISTERS[p["register"]]
        if style.name == "808":
            low, high = low + SUB_SHIFT, high + SUB_SHIFT
        chords, harmony = _harmony(request)
        bars = [rhythm.Bar(start, end, 4 * PPQ // request.meter.at(start).denominator,
                           request.meter.at(start).numerator)
                for start, end in zip(request.bar_starts(), request.bar_starts()[1:])]
        drums = request.drum_track()
        kicks = rhythm.kick_ticks(drums, request.start, request.end)
        ticks = rhythm.onsets(style, bars, chords, [] if style.own_time else kicks, p["density"], rng)
        if p["approach"]:
            ticks = rhythm.add_pickups(ticks, chords, style.approach_window, p["density"], rng)
        hits = line.hits(ticks, bars, chords)
        line.assign_roles(hits, style, chords, p["approach"], rng)
        line.assign_pitches(hits, chords, scale_pitch_classes(request.key), low, high, rng)
        notes = line.notes(hits, style, chords, request.end, rng)

        if style.own_time:
            groove = style.own_time
        elif kicks:
            met = sum(any(abs(n.start - k) <= rhythm.SIXTEENTH for n in notes) for k in kicks)
            groove = (f"It locks to the kick of {drums.name!r}: {met} of {len(kicks)} kicks have a bass note "
                      "on them (within a 16th).")
        else:
            groove = "There is no kick drum to lock to, so it plays the style's own rhythm."
        explanation = " ".join(part for part in (
            harmony, f"{style.name.capitalize()} style: it {style.idea}.", groove,
            "Approach notes lead into the chord changes." if p["approach"] and len(chords) > 1 else "",
            f"Register {p['register']}: {note_name(low)} to {note_name(high)} (MIDI {low}-{high}).",
        ) if part)
        return Draft(notes, explanation)


def _harmony(request: Request) -> tuple[list[Chord], str]:
    """Chords covering the whole range, and a sentence saying where they came from."""
    if request.chords:
        chords = _cover(sorted(request.chords), request.start, request.end)
        return chords, f"It follows the chord track: {_listing(chords)}."
    heard = [t for t in request.others if not t.is_drums and t.notes]
    chords = detect_chords([n for t in heard for n in t.notes], request.bar_starts(), request.key, per="bar")
    if chords:
        names = ", ".join(t.name for t in heard)
        return chords, (f"There is no chord track, so it heard one chord a bar in {names} "
                        f"and follows those: {_listing(chords)}.")
    tonic = tonic_pitch_class(request.key)
    quality = "minor" if request.key.mode == "minor" else "major"
    chord = Chord(request.start, request.end - request.start, request.key.tonic + SUFFIXES[quality], tonic, quality)
    return [chord], (f"There is no chord track and no other part to hear chords in, so it stays on the key's "
                     f"tonic chord, {chord.symbol}; add chords or a part and ask again to follow them.")


def _cover(chords: list[Chord], start: int, end: int) -> list[Chord]:
    """The chords clipped to [start, end), each lasting until the next: no gaps, no overlaps."""
    covered: list[Chord] = []
    for chord in chords:
        begin = max(chord.start, start)
        while covered and covered[-1].start >= begin:
            covered.pop()  # a later chord at the same place replaces it
        covered.append(chord._replace(start=begin))
    covered[0] = covered[0]._replace(start=start)
    ends = [c.start for c in covered[1:]] + [end]
    return [c._replace(duration=e - c.start) for c, e in zip(covered, ends)]


def _listing(chords: list[Chord], most: int = 8) -> str:
    symbols = [c.symbol for c in chords]
    return " | ".join(symbols[:most]) + (" | ..." if len(symbols) > most else "")
