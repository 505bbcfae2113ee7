import pytest

from cowrite.model import PPQ, Key, MeterChange, MeterMap
from cowrite.theory.chords import chart_to_chords, chord_tones, parse_chord
from cowrite.theory.keys import parse_key, scale_pitch_classes
from cowrite.theory.quantize import parse_grid, quantize_tick


@pytest.mark.parametrize("symbol, expected", [
    ("Am", (9, "minor", None)), ("F", (5, "major", None)), ("Bbmaj7", (10, "major-seventh", None)),
    ("F#m7b5", (6, "half-diminished", None)), ("G7", (7, "dominant-seventh", None)),
    ("E/G#", (4, "major", 8)), ("Bdim", (11, "diminished", None)), ("Dsus2", (2, "suspended-second", None)),
    ("C5", (0, "power", None)), ("Ebm7", (3, "minor-seventh", None)), ("Cdim7", (0, "diminished-seventh", None)),
])
def test_chord_symbols(symbol, expected):
    assert parse_chord(symbol) == expected


@pytest.mark.parametrize("symbol", ["H", "Cxyz", "", "Am/Q", "7"])
def test_unknown_chord_symbols_are_refused_with_examples(symbol):
    with pytest.raises(ValueError, match="chord symbol"):
        parse_chord(symbol)


def test_chart_fills_the_song_one_cell_a_bar():
    meter = MeterMap([MeterChange(0, 4, 4)])
    chords = chart_to_chords("Am | F G | %", meter, 4)
    assert [(c.symbol, c.start, c.duration) for c in chords] == [
        ("Am", 0, 4 * PPQ), ("F", 4 * PPQ, 2 * PPQ), ("G", 6 * PPQ, 2 * PPQ),
        ("F", 8 * PPQ, 2 * PPQ), ("G", 10 * PPQ, 2 * PPQ), ("Am", 12 * PPQ, 4 * PPQ)]
    assert chord_tones(chords[0]) == (9, 0, 4)


def test_chart_errors():
    meter = MeterMap([])
    with pytest.raises(ValueError, match="empty"):
        chart_to_chords("Am || F", meter, 4)
    with pytest.raises(ValueError, match="no chords"):
        chart_to_chords(" | ", meter, 4)


def test_keys():
    assert parse_key("A minor") == Key("A", "minor")
    assert parse_key("Am") == Key("A", "minor")
    assert parse_key("eb major") == Key("Eb", "major")
    assert scale_pitch_classes(Key("A", "minor")) == frozenset({9, 11, 0, 2, 4, 5, 7})
    with pytest.raises(ValueError, match="not a key"):
        parse_key("A dorian-ish")


def test_quantize_with_strength_and_swing():
    grid = parse_grid("1/8")
    assert quantize_tick(500, grid) == 480
    assert quantize_tick(500, grid, strength=0.5) == 490
    assert quantize_tick(470, grid, swing=1.0) == 480 + 160  # off-beat pushed a third of a step
    assert quantize_tick(10, grid, swing=1.0) == 0  # on-beats stay
