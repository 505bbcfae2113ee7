"""The chord lane by hand: a typed chord's span, clearing, detecting from the tracks, clearing a range."""

import pytest

from cowrite.attribution.ledger import read_events
from cowrite.edit import (AddNotes, AddTrack, EditError, SetChords, SetMeter, clear_chord_command, clear_chords_command,
                          detect_chords_command, set_chord_command)
from cowrite.model import QUALITIES, Chord, TrackKind
from cowrite.theory.chords import chart_to_chords, common_chord_symbols, parse_chord

BAR, BEAT = 3840, 960


@pytest.fixture
def doc(project):
    return project.document


def lane(doc):
    return [(c.start, c.end, c.symbol) for c in doc.song.chords]


def chart(doc, text):
    doc.apply(SetChords(chart_to_chords(text, doc.song.meter, len(text.split("|")))))


def test_a_chord_typed_on_a_bar_line_fills_the_bar(doc):
    chart(doc, "C | F | G")
    doc.apply(set_chord_command(doc.song, BAR, "Am7"))
    assert lane(doc) == [(0, BAR, "C"), (BAR, 2 * BAR, "Am7"), (2 * BAR, 3 * BAR, "G")]
    chord = doc.song.chords[1]
    assert (chord.root, chord.quality) == (9, "minor-seventh")
    event = read_events(doc.ledger.path)[-1]
    assert event["op"] == "set_chords" and event["actor"]["id"] == "person:Ana"


def test_a_chord_typed_mid_bar_runs_to_the_bar_line_and_leaves_the_chord_before_it(doc):
    chart(doc, "C | F")
    doc.apply(set_chord_command(doc.song, 2 * BEAT, "G7"))
    assert lane(doc) == [(0, 2 * BEAT, "C"), (2 * BEAT, BAR, "G7"), (BAR, 2 * BAR, "F")]


def test_a_chord_typed_before_a_chord_change_stops_there(doc):
    chart(doc, "C G")  # C on beats 1-2, G on beats 3-4
    doc.apply(set_chord_command(doc.song, BEAT, "Dm"))
    assert lane(doc) == [(0, BEAT, "C"), (BEAT, 2 * BEAT, "Dm"), (2 * BEAT, BAR, "G")]


def test_a_chord_follows_the_meter_of_its_bar(doc):
    doc.apply(SetMeter(3, 4, bar=1))
    doc.apply(set_chord_command(doc.song, BAR, "E"))
    assert lane(doc) == [(BAR, BAR + 3 * BEAT, "E")]


def test_a_bad_symbol_is_refused_with_its_name_and_changes_nothing(doc):
    chart(doc, "C")
    with pytest.raises(EditError, match="'Hm7' is not a chord symbol I know"):
        set_chord_command(doc.song, 0, "Hm7")
    assert lane(doc) == [(0, BAR, "C")]


def test_clearing_at_a_place_takes_off_what_a_typed_chord_would_replace(doc):
    chart(doc, "C | F | G")
    doc.apply(clear_chord_command(doc.song, BAR))
    assert lane(doc) == [(0, BAR, "C"), (2 * BAR, 3 * BAR, "G")]
    assert clear_chord_command(doc.song, BAR + BEAT) is None  # nothing sounds there any more


def test_every_offered_symbol_is_one_the_lane_accepts():
    symbols = common_chord_symbols()
    assert len(symbols) == 17 * 12 and {"Am7", "Bbmaj7", "F#m7b5", "Gsus4", "C", "Ebdim7"} <= set(symbols)
    assert {parse_chord(s)[1] for s in symbols} == set(QUALITIES)  # every quality the model knows


@pytest.fixture
def played(doc):
    """Keys playing Am (bar 1) and F (bar 2) and C | E in bar 3's halves, with drums that must not count."""
    doc.apply(AddTrack("Keys"))
    doc.apply(AddNotes("Keys", [(p, 0, BAR, 80) for p in (57, 60, 64)] + [(p, BAR, BAR, 80) for p in (53, 57, 60)]
                       + [(p, 2 * BAR, 2 * BEAT, 80) for p in (48, 52, 55)]
                       + [(p, 2 * BAR + 2 * BEAT, 2 * BEAT, 80) for p in (52, 56, 59)]))
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    doc.apply(AddNotes("Drums", [(42, i * BEAT, 120, 100) for i in range(12)]))
    return doc


def test_detect_names_the_chords_of_the_pitched_tracks_per_bar_or_half_bar(played):
    doc = played
    doc.apply(detect_chords_command(doc.song, per="half-bar"))
    assert [c.symbol for c in doc.song.chords][:4] == ["Am", "F", "C", "E"]
    assert doc.song.chords[2].start == 2 * BAR and doc.song.chords[3].start == 2 * BAR + 2 * BEAT
    assert doc.undo_label == "Detect chords"


def test_detect_over_a_range_covers_whole_bars_and_leaves_the_rest(played):
    doc = played
    chart(doc, "G | G | G | G")
    doc.apply(detect_chords_command(doc.song, BAR + 100, BAR + 200))  # inside bar 2: the whole of bar 2
    assert lane(doc) == [(0, BAR, "G"), (BAR, 2 * BAR, "F"), (2 * BAR, 3 * BAR, "G"), (3 * BAR, 4 * BAR, "G")]


def test_detect_without_pitched_notes_is_refused_and_keeps_the_chords(doc):
    chart(doc, "C")
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    doc.apply(AddNotes("Drums", [(36, 0, 120, 100)]))
    with pytest.raises(EditError, match="no notes in bars 1-8 to name chords from"):
        doc.apply(detect_chords_command(doc.song))
    assert lane(doc) == [(0, BAR, "C")]


def test_clear_a_range_of_bars_or_all(doc):
    chart(doc, "C | F | G | Am")
    doc.apply(clear_chords_command(doc.song, BAR, 3 * BAR))
    assert lane(doc) == [(0, BAR, "C"), (3 * BAR, 4 * BAR, "Am")]
    assert doc.undo_label == "Clear chords"
    doc.apply(clear_chords_command(doc.song))
    assert doc.song.chords == []
    with pytest.raises(EditError, match="no chords to clear"):
        doc.apply(clear_chords_command(doc.song))
    doc.undo()
    assert lane(doc) == [(0, BAR, "C"), (3 * BAR, 4 * BAR, "Am")]


def test_set_chords_over_a_range_keeps_the_outside_part_of_a_chord_crossing_its_edge(doc):
    doc.apply(SetChords([Chord(0, 3 * BAR, "C", 0, "major")]))
    doc.apply(SetChords([Chord(BAR, BAR, "F", 5, "major")], BAR, 2 * BAR))
    assert lane(doc) == [(0, BAR, "C"), (BAR, 2 * BAR, "F"), (2 * BAR, 3 * BAR, "C")]
