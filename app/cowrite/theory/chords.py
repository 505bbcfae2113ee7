"""Chord symbols: parse "Am7", "F/A", "Bbmaj7", "E7sus4"; chord tones; a chord chart over bars."""

from __future__ import annotations

from cowrite.model import Chord, MeterMap
from cowrite.theory.pitch import parse_pitch_class

#: semitones above the root for each quality
INTERVALS = {
    "major": (0, 4, 7), "minor": (0, 3, 7), "diminished": (0, 3, 6), "augmented": (0, 4, 8),
    "dominant-seventh": (0, 4, 7, 10), "major-seventh": (0, 4, 7, 11), "minor-seventh": (0, 3, 7, 10),
    "half-diminished": (0, 3, 6, 10), "diminished-seventh": (0, 3, 6, 9),
    "suspended-fourth": (0, 5, 7), "suspended-second": (0, 2, 7), "power": (0, 7),
}

# suffix -> quality; extensions (9, 11, 13, 6, add9) keep the quality of the chord they extend
_SUFFIXES = {
    "": "major", "maj": "major", "M": "major", "6": "major", "add9": "major", "add2": "major", "69": "major",
    "m": "minor", "min": "minor", "-": "minor", "m6": "minor", "madd9": "minor", "mi": "minor",
    "dim": "diminished", "°": "diminished", "o": "diminished",
    "aug": "augmented", "+": "augmented", "#5": "augmented",
    "7": "dominant-seventh", "9": "dominant-seventh", "11": "dominant-seventh", "13": "dominant-seventh",
    "7b9": "dominant-seventh", "7#9": "dominant-seventh", "dom7": "dominant-seventh",
    "maj7": "major-seventh", "M7": "major-seventh", "Δ": "major-seventh", "Δ7": "major-seventh",
    "maj9": "major-seventh", "ma7": "major-seventh",
    "m7": "minor-seventh", "min7": "minor-seventh", "-7": "minor-seventh", "m9": "minor-seventh",
    "m11": "minor-seventh", "mi7": "minor-seventh",
    "m7b5": "half-diminished", "ø": "half-diminished", "ø7": "half-diminished", "-7b5": "half-diminished",
    "dim7": "diminished-seventh", "°7": "diminished-seventh", "o7": "diminished-seventh",
    "sus4": "suspended-fourth", "sus": "suspended-fourth", "7sus4": "suspended-fourth",
    "sus2": "suspended-second", "5": "power",
}


def parse_chord(symbol: str) -> tuple[int, str, int | None]:
    """(root pitch class, quality, slash-bass pitch class or None) of a chord symbol."""
    text = symbol.strip()
    try:
        root, _, rest = parse_pitch_class(text)
        rest, slash, bass_text = rest.partition("/")
        quality = _SUFFIXES[rest]
        bass = None
        if slash:
            bass, _, extra = parse_pitch_class(bass_text)
            if extra:
                raise ValueError(extra)
    except (ValueError, KeyError):
        raise ValueError(f"chord {symbol!r} is not a chord symbol I know (e.g. C, Am, F#m7, Bbmaj7, "
                         "G7sus4, Bdim, E/G#)") from None
    return root, quality, bass


def chord_tones(chord: Chord) -> tuple[int, ...]:
    """Pitch classes of the chord, root first."""
    return tuple((chord.root + i) % 12 for i in INTERVALS[chord.quality])


_REPEAT = {"%", "/", "-"}


def parse_chart(chart: str) -> list[list[str]]:
    """'Am | F G | % | C' -> [['Am'], ['F', 'G'], ['F', 'G'], ['C']]: the chords of each bar."""
    bars: list[list[str]] = []
    body = chart.strip().strip("|")  # bar lines at either end are decoration
    if not body.strip():
        raise ValueError("the chord chart has no chords; write them like \"Am | F | C | G\"")
    for number, cell in enumerate(body.split("|"), 1):
        symbols = cell.split()
        if not symbols:
            raise ValueError(f"bar {number} of the chord chart is empty")
        if symbols == ["%"]:
            if not bars:
                raise ValueError("the chord chart cannot start with a repeat sign")
            symbols = list(bars[-1])
        for symbol in symbols:
            if symbol not in _REPEAT:
                parse_chord(symbol)
        bars.append(symbols)
    return bars


def chart_to_chords(chart: str, meter: MeterMap, bars: int, first_bar: int = 0) -> list[Chord]:
    """Lay the chart out one bar a cell from `first_bar`, repeating it to fill `bars` bars."""
    cells = parse_chart(chart)
    chords: list[Chord] = []
    for i in range(bars):
        bar = first_bar + i
        start, end = meter.bar_start(bar), meter.bar_start(bar + 1)
        symbols = cells[i % len(cells)]
        step = (end - start) // len(symbols)
        for j, symbol in enumerate(symbols):
            if symbol in _REPEAT and chords:
                symbol = chords[-1].symbol
            elif symbol in _REPEAT:
                raise ValueError("the chord chart cannot start with a repeat sign")
            chord_start = start + j * step
            chord_end = end if j == len(symbols) - 1 else chord_start + step
            root, quality, bass = parse_chord(symbol)
            chords.append(Chord(chord_start, chord_end - chord_start, symbol, root, quality, bass))
    return chords


#: how each quality is written after its root in a chord symbol Cowrite spells (Am7, Bdim, Gsus4)
SYMBOL_SUFFIXES = {"major": "", "minor": "m", "diminished": "dim", "augmented": "aug", "dominant-seventh": "7",
                   "major-seventh": "maj7", "minor-seventh": "m7", "half-diminished": "m7b5",
                   "diminished-seventh": "dim7", "suspended-fourth": "sus4", "suspended-second": "sus2",
                   "power": "5"}
_ROOT_SPELLINGS = ("C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A", "A#", "Bb", "B")
_FAR = 1 << 62  # past the end of any song


def common_chord_symbols() -> list[str]:
    """Every root (sharp and flat spellings) with every quality, as a chord entry offers them to complete."""
    return [root + SYMBOL_SUFFIXES[quality] for root in _ROOT_SPELLINGS for quality in SYMBOL_SUFFIXES]


def chord_from_symbol(symbol: str, start: int, end: int) -> Chord:
    """The chord `symbol` names, sounding over [start, end); ValueError for a symbol it cannot read."""
    root, quality, bass = parse_chord(symbol)
    return Chord(start, end - start, symbol.strip(), root, quality, bass)


def chords_within(chords, start: int, end: int) -> list[Chord]:
    """The parts of `chords` that sound inside [start, end), cut at its edges."""
    inside = []
    for chord in chords:
        cut_start, cut_end = max(chord.start, start), min(chord.end, end)
        if cut_start < cut_end:
            inside.append(chord._replace(start=cut_start, duration=cut_end - cut_start))
    return inside


def lane_with(lane, chords, start: int, end: int | None = None) -> list[Chord]:
    """The chord lane with [start, end) given over to `chords` (end None: to the song's end).

    A chord crossing an edge keeps its part outside the range, so writing one
    bar's chord into a long chord leaves the long chord on either side.
    """
    end = _FAR if end is None else end
    return sorted([*chords_within(lane, 0, start), *chords, *chords_within(lane, end, _FAR)])
