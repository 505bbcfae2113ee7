"""Accepting has a rule: replace (or layer) in the suggestion's bars, never two identical notes, undo exact."""

from collections import Counter

import pytest

from cowrite.attribution.actors import Actor
from cowrite.attribution.credits import credits
from cowrite.attribution.ledger import read_events, verify_ledger
from cowrite.edit import LAYER, AcceptSuggestion, AddNotes, AddTrack, EditError, ProposeSuggestion, SetChords
from cowrite.io.project import read_song
from cowrite.model import Chord, ProposedNote, Suggestion
from cowrite.theory.chords import chart_to_chords

BAR = 3840  # 4/4 at 960 PPQ
HARMONY = Actor.assistant("harmony", "1.0.0")
#: Ana's Keys part: one note on each beat of bars 1-4 (pitches 60..63 by beat)
ANA = [(60 + beat, bar * BAR + beat * 960, 480, 90) for bar in range(4) for beat in range(4)]


@pytest.fixture
def doc(project, ana):
    project.document.apply(AddTrack("Keys"))
    project.document.apply(AddNotes("Keys", ANA), ana)
    return project.document


def keys(doc):
    return doc.song.find_track("Keys").notes


def propose(doc, notes, bars=(2, 3), chords=()) -> str:
    """A pending harmony suggestion for Keys over 1-based bars `bars`; returns its id."""
    s = Suggestion("", HARMONY.id, "Keys", {}, 7, [ProposedNote(*n) for n in notes], chords=list(chords),
                   bars=bars)
    doc.apply(ProposeSuggestion(s), HARMONY)
    return f"s{doc.song.next_suggestion_id - 1}"


def in_bars(notes, first, last):
    """Notes starting in 1-based bars first..last."""
    return {n.id for n in notes.values() if (first - 1) * BAR <= n.start < last * BAR}


def no_stacked_notes(notes) -> bool:
    return max(Counter((n.pitch, n.start) for n in notes.values()).values()) == 1


#: a suggestion for bars 2-3: a whole note a bar, A3 then F3
WHOLE_NOTES = [(57, BAR, BAR, 70), (53, 2 * BAR, BAR, 70)]


def test_replace_removes_the_notes_in_the_suggestions_bars_and_keeps_the_rest(doc, ana):
    before = dict(keys(doc))
    doc.apply(AcceptSuggestion(propose(doc, WHOLE_NOTES)), ana)
    after = keys(doc)
    outside = in_bars(before, 1, 1) | in_bars(before, 4, 4)
    assert {i: after[i] for i in outside} == {i: before[i] for i in outside}  # same notes, same origins
    assert not in_bars(before, 2, 3) & after.keys()
    assert sorted((n.pitch, n.start) for n in after.values() if n.id not in outside) == [(53, 2 * BAR), (57, BAR)]
    event = read_events(doc.ledger.path)[-1]
    replaced = sorted(in_bars(before, 2, 3))
    assert event["actor"]["id"] == "person:Ana" and event["after"]["mode"] == "replace"
    assert event["after"]["removed"] == replaced
    assert [row[0] for row in event["before"]["notes"]] == replaced
    assert set(replaced) <= set(event["subject"]["notes"])
    assert event["after"]["ticks"] == [[BAR, 3 * BAR]]


def test_layer_keeps_every_note_on_the_track(doc, ana):
    before = dict(keys(doc))
    doc.apply(AcceptSuggestion(propose(doc, WHOLE_NOTES), mode=LAYER), ana)
    after = keys(doc)
    assert {i: after[i] for i in before} == before and len(after) == len(before) + 2
    assert read_events(doc.ledger.path)[-1]["after"]["removed"] == []


def test_a_note_already_there_stays_with_its_origin_and_the_duplicate_is_merged(doc, ana):
    ana_note = next(n for n in keys(doc).values() if n.start == BAR)  # pitch 60 on bar 2's downbeat
    longer_copy = (ana_note.pitch, ana_note.start, 1920, 110)
    doc.apply(AcceptSuggestion(propose(doc, [longer_copy, *WHOLE_NOTES]), mode=LAYER), ana)
    at_downbeat = [n for n in keys(doc).values() if (n.pitch, n.start) == (ana_note.pitch, BAR)]
    assert at_downbeat == [ana_note] and at_downbeat[0].origin.created_by == "person:Ana"
    assert no_stacked_notes(keys(doc))
    event = read_events(doc.ledger.path)[-1]
    assert event["after"]["merged"] == [{"index": 0, "into": ana_note.id}]
    assert len(event["after"]["notes"]) == 2
    report = credits(doc.song)
    by = {c["id"]: c["notes"] for c in report["contributors"]}
    assert report["notes"] == len(ANA) + 2 and by == {"person:Ana": len(ANA), HARMONY.id: 2}


def test_two_identical_notes_within_one_suggestion_are_placed_once(doc, ana):
    doubled = [WHOLE_NOTES[0], WHOLE_NOTES[0][:2] + (960, 50), WHOLE_NOTES[1]]
    doc.apply(AcceptSuggestion(propose(doc, doubled)), ana)
    assert no_stacked_notes(keys(doc))
    placed = [n for n in keys(doc).values() if n.origin.created_by == HARMONY.id]
    assert sorted((n.pitch, n.start, n.duration) for n in placed) == [(53, 2 * BAR, BAR), (57, BAR, BAR)]
    first = next(n.id for n in placed if n.pitch == 57)
    assert read_events(doc.ledger.path)[-1]["after"]["merged"] == [{"index": 1, "into": first}]


@pytest.mark.parametrize("mode", ["replace", "layer"])
@pytest.mark.parametrize("indices", [None, [0, 3], [2]])
def test_no_accept_ever_stacks_notes(doc, ana, mode, indices):
    same_as_ana = [(60 + beat, BAR + beat * 960, 240, 100) for beat in range(4)]  # bar 2 exactly as Ana wrote it
    doc.apply(AcceptSuggestion(propose(doc, [*same_as_ana, *same_as_ana]), indices, mode), ana)
    assert no_stacked_notes(keys(doc))


def test_a_partial_accept_replaces_only_the_notes_the_picked_ones_overlap(doc, ana):
    before = dict(keys(doc))
    notes = [(72, BAR, 960, 80), (74, 2 * BAR, 960, 80), (76, 3 * BAR + 960, 960, 80)]  # one in each of bars 2-4
    doc.apply(AcceptSuggestion(propose(doc, notes, bars=(2, 4)), [0, 2]), ana)
    after = keys(doc)
    clashed = {n.id for n in before.values() if n.start in (BAR, 3 * BAR + 960)}  # Ana's notes under the picks
    assert len(clashed) == 2 and not clashed & after.keys()
    assert set(before) - clashed <= after.keys()  # the rest of bars 2 and 4, and all of bars 1 and 3, survive
    assert sorted(n.pitch for n in after.values() if n.origin.created_by == HARMONY.id) == [72, 76]
    assert read_events(doc.ledger.path)[-1]["after"]["removed"] == sorted(clashed)


def test_a_partial_drum_accept_replaces_only_hits_on_the_same_key(project, ana):
    from cowrite.model import TrackKind

    doc = project.document
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    doc.apply(AddNotes("Drums", [(36, 0, 120, 100), (42, 0, 120, 80)]), ana)  # a kick and a hat together
    drums_ai = Actor.assistant("drums", "1.0.0")
    s = Suggestion("", drums_ai.id, "Drums", {}, 1, [ProposedNote(36, 0, 120, 127), ProposedNote(38, 960, 120, 90)],
                   bars=(1, 1))
    doc.apply(ProposeSuggestion(s), drums_ai)
    doc.apply(AcceptSuggestion(f"s{doc.song.next_suggestion_id - 1}", [0]), ana)
    hits = sorted((n.pitch, n.velocity, n.origin.created_by) for n in doc.song.find_track("Drums").notes.values())
    assert hits == [(36, 127, drums_ai.id), (42, 80, "person:Ana")]  # the kick swapped, the hat kept


def test_undo_restores_exactly_redo_repeats_and_the_ledger_verifies(project, doc, ana, ben):
    chart = chart_to_chords("C | F | G | C", doc.song.meter, 4)
    doc.apply(SetChords(chart), ana)
    before, chords_before = dict(keys(doc)), list(doc.song.chords)
    harmony_chords = [Chord(BAR, BAR, "Am", 9, "minor"), Chord(2 * BAR, BAR, "Dm", 2, "minor")]
    doc.apply(AcceptSuggestion(propose(doc, WHOLE_NOTES, chords=harmony_chords)), ana)
    accepted, chords_accepted = dict(keys(doc)), list(doc.song.chords)
    doc.undo(ben)
    assert keys(doc) == before and doc.song.chords == chords_before
    assert doc.song.suggestions["s1"].status == "pending"
    accept, undo = read_events(doc.ledger.path)[-2:]
    assert undo["op"] == "undo" and undo["undoes"] == accept["seq"] and undo["actor"]["id"] == "person:Ben"
    assert undo["after"] == accept["before"] and len(undo["after"]["notes"]) == 8  # the replaced notes come back
    assert undo["before"] == accept["after"]
    doc.redo(ana)
    assert keys(doc) == accepted and doc.song.chords == chords_accepted
    project.save()
    assert verify_ledger(project.ledger.path, read_song(project.path)[1]).intact
    assert read_song(project.path)[0].find_track("Keys").notes == accepted  # saved as accepted


def test_a_partial_harmony_accept_writes_chords_only_over_the_accepted_notes_bars(doc, ana):
    doc.apply(SetChords(chart_to_chords("C | F | G | C", doc.song.meter, 4)), ana)
    chords = [Chord(bar * BAR + half * 1920, 1920, symbol, root, "minor")
              for bar in range(4) for half, (symbol, root) in enumerate([("Am", 9), ("Dm", 2)])]
    notes = [(57, bar * BAR, BAR, 70) for bar in range(4)]
    doc.apply(AcceptSuggestion(propose(doc, notes, bars=(1, 4), chords=chords), [1]), ana)  # bar 2's note only
    assert [(c.start, c.symbol) for c in doc.song.chords] == [
        (0, "C"), (BAR, "Am"), (BAR + 1920, "Dm"), (2 * BAR, "G"), (3 * BAR, "C")]
    event = read_events(doc.ledger.path)[-1]
    assert [c["symbol"] for c in event["after"]["chords"]] == ["Am", "Dm"]


def test_a_whole_harmony_accept_writes_all_its_chords(doc, ana):
    chords = [Chord(bar * BAR, BAR, "Am", 9, "minor") for bar in (1, 2)]
    doc.apply(AcceptSuggestion(propose(doc, WHOLE_NOTES, chords=chords)), ana)
    assert doc.song.chords == chords


def test_a_mode_it_does_not_know_is_refused_and_changes_nothing(doc, ana):
    suggestion = propose(doc, WHOLE_NOTES)
    before = dict(keys(doc))
    with pytest.raises(EditError, match="accept mode 'merge' is not one of replace, layer"):
        doc.apply(AcceptSuggestion(suggestion, mode="merge"), ana)
    assert keys(doc) == before and doc.song.suggestions[suggestion].status == "pending"


def test_a_suggestion_whose_track_is_gone_cannot_be_accepted(doc, ana):
    from cowrite.edit import RemoveTrack

    suggestion = propose(doc, WHOLE_NOTES)
    doc.apply(RemoveTrack("Keys"), ana)
    with pytest.raises(EditError, match="track of suggestion s1 is gone"):
        doc.apply(AcceptSuggestion(suggestion), ana)
