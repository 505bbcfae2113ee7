"""Who wrote what: origins, the four note classes, suggestions, credits and the disclosure label."""

import pytest

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.authorship import note_class
from cowrite.attribution.credits import credits, credits_summary, credits_text
from cowrite.attribution.history import history, history_text
from cowrite.attribution.ledger import read_events
from cowrite.edit import (AcceptSuggestion, AddNotes, AddTrack, EditError, MoveNotes, ProposeSuggestion,
                          RejectSuggestion, SetVelocity, Transpose)
from cowrite.model import Chord, ProposedNote, Suggestion, TrackKind

KICKS = [ProposedNote(36, i * 960, 240, 100) for i in range(8)]


def proposal(assistant: Actor, source_type=V.TRAINED_ALGORITHMIC, notes=KICKS, track="Drums", chords=()):
    return Suggestion(id="", assistant=assistant.id, track_id=track, parameters={"style": "house"}, seed=7,
                      notes=list(notes), chords=list(chords), source_type=source_type, bars=(1, 2))


@pytest.fixture
def song(project, ana):
    doc = project.document
    doc.apply(AddTrack("Melody"))
    doc.apply(AddNotes("Melody", [(69, i * 480, 480, 90) for i in range(8)]))
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    return project


def notes(project, name):
    return project.song.find_track(name).sorted_notes()


def test_actor_ids_round_trip():
    for actor in (Actor.person("Ana Lopez"), Actor.assistant("drums", "1.2.0")):
        assert Actor.parse(actor.id) == actor
    with pytest.raises(ValueError):
        Actor.parse("robot")


def test_accept_whole_suggestion(song, ana, drums_ai):
    doc = song.document
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    assert notes(song, "Drums") == []  # pending: nothing in the song yet
    doc.apply(AcceptSuggestion("s1"), ana)
    placed = notes(song, "Drums")
    assert [n.pitch for n in placed] == [36] * 8
    assert {n.origin.created_by for n in placed} == {"assistant:drums@1.0.0"}
    assert {n.origin.suggestion for n in placed} == {"s1"}
    assert {note_class(n.origin) for n in placed} == {V.AI}
    propose, accept = read_events(song.ledger.path)[-2:]
    assert propose["action"] == V.SUGGESTED and propose["actor"]["type"] == "prov:SoftwareAgent"
    assert propose["suggestion"] == {"id": "s1", "assistant": "assistant:drums@1.0.0",
                                     "parameters": {"style": "house"}, "seed": 7,
                                     "source_type": V.TRAINED_ALGORITHMIC}
    assert accept["action"] == V.PLACED and accept["actor"]["id"] == "person:Ana"
    assert accept["after"]["accepted"] == list(range(8))


def test_accept_part_of_a_suggestion(song, ana, drums_ai):
    doc = song.document
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(AcceptSuggestion("s1", [0, 2, 4]), ana)
    assert [n.start for n in notes(song, "Drums")] == [0, 1920, 3840]
    assert song.song.suggestions["s1"].status == "partly-accepted"
    with pytest.raises(EditError, match="already partly-accepted"):
        doc.apply(AcceptSuggestion("s1"), ana)


def test_reject_and_bad_suggestion_commands(song, ana, drums_ai):
    doc = song.document
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(RejectSuggestion("s1"), ana)
    assert song.song.suggestions["s1"].status == "rejected" and notes(song, "Drums") == []
    with pytest.raises(EditError, match="no suggestion"):
        doc.apply(AcceptSuggestion("s9"), ana)
    with pytest.raises(EditError, match="proposed by the assistant"):
        doc.apply(ProposeSuggestion(proposal(drums_ai)), ana)
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    with pytest.raises(EditError, match="notes 0..7 only"):
        doc.apply(AcceptSuggestion("s2", [8]), ana)


def test_accepted_chords_replace_the_chord_track_in_their_range(song, ana):
    harmony = Actor.assistant("harmony", "1.0.0")
    doc = song.document
    chords = [Chord(0, 1920, "Am", 9, "minor"), Chord(1920, 1920, "E", 4, "major")]
    doc.apply(ProposeSuggestion(proposal(harmony, notes=[ProposedNote(57, 0, 1920, 70)], track="Melody",
                                         chords=chords)), harmony)
    doc.apply(AcceptSuggestion("s1"), ana)
    assert [c.symbol for c in song.song.chords] == ["Am", "E"]
    doc.undo(ana)
    assert song.song.chords == [] and song.song.suggestions["s1"].status == "pending"


def test_a_person_editing_ai_notes_makes_them_ai_edited(song, ana, drums_ai):
    doc = song.document
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(AcceptSuggestion("s1"), ana)
    first, second = notes(song, "Drums")[:2]
    doc.apply(SetVelocity([first.id], velocity=60), ana)
    doc.apply(MoveNotes([second.id], ticks=20), ana)
    edited = song.song.find_track("Drums").notes
    assert edited[first.id].origin.edited == {"velocity"}
    assert edited[second.id].origin.edited == {"timing"}
    assert note_class(edited[first.id].origin) == V.AI_EDITED
    assert edited[first.id].origin.created_by == drums_ai.id  # still the assistant's note
    doc.undo(ana)
    assert note_class(song.song.find_track("Drums").notes[second.id].origin) == V.AI


def test_an_assistant_changing_human_notes_makes_them_transformed(song):
    humanizer = Actor.assistant("humanize", "0.3.0")
    first = notes(song, "Melody")[0]
    song.document.apply(Transpose([first.id], 12), humanizer)
    origin = song.song.find_track("Melody").notes[first.id].origin
    assert origin.transformed_by == (humanizer.id,) and note_class(origin) == V.HUMAN_TRANSFORMED


def test_credits_shares_by_count_and_time_per_track(song, ana, ben, drums_ai):
    doc = song.document
    doc.apply(AddNotes("Melody", [(72, 4000, 4000, 80)]), ben)  # one long note by Ben
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(AcceptSuggestion("s1", [0, 1, 2, 3]), ana)
    doc.apply(SetVelocity([notes(song, "Drums")[0].id], velocity=50), ben)
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(RejectSuggestion("s2"), ana)
    report = credits(song.song)
    by = {c["id"]: c for c in report["contributors"]}
    assert report["notes"] == 13
    assert by["person:Ana"]["notes"] == 8 and by["person:Ben"]["notes"] == 1
    assert by["assistant:drums@1.0.0"]["notes"] == 4 and by["assistant:drums@1.0.0"]["version"] == "1.0.0"
    assert by["person:Ben"]["edited_ai_notes"] == 1
    # sounding time at 120 BPM: Ana 8 x 0.25 s, Ben 2.083 s, drums 4 x 0.125 s
    assert by["person:Ana"]["seconds"] == pytest.approx(2.0)
    assert by["person:Ben"]["seconds"] == pytest.approx(4000 / 960 / 2, abs=1e-3)
    assert by["person:Ben"]["time_share"] > by["person:Ben"]["share"]
    assert report["classes"][V.AI]["notes"] == 3 and report["classes"][V.AI_EDITED]["notes"] == 1
    drums = next(t for t in report["tracks"] if t["track"] == "Drums")
    assert drums["by"]["assistant:drums@1.0.0"]["share"] == 1.0
    assert report["suggestions"] == {"offered": 2, "accepted": 0, "partly_accepted": 1, "rejected": 1,
                                     "pending": 0, "by_assistant": {"drums@1.0.0": {"partly-accepted": 1,
                                                                                     "rejected": 1}}}
    label = report["disclosure"]
    assert label["digital_source_type"] == V.COMPOSITE_TRAINED
    assert label["uri"].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert "31% of the notes (Drums) came from AI assistants (drums@1.0.0)" in label["sentence"]
    assert "1 of them were then edited by hand" in label["sentence"]
    text = credits_text(report)
    assert "drums@1.0.0 (AI assistant): 4 notes (30.8%)" in text
    assert "compositeWithTrainedAlgorithmicMedia" in credits_summary(report)


@pytest.mark.parametrize("source_type, with_human, expected", [
    (V.TRAINED_ALGORITHMIC, False, V.TRAINED_ALGORITHMIC),
    (V.TRAINED_ALGORITHMIC, True, V.COMPOSITE_TRAINED),
    (V.ALGORITHMIC, False, V.ALGORITHMIC),
    (V.ALGORITHMIC, True, V.COMPOSITE_SYNTHETIC),
])
def test_disclosure_label(project, ana, drums_ai, source_type, with_human, expected):
    doc = project.document
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    if with_human:
        doc.apply(AddNotes("Drums", [(38, 960, 240, 100)]), ana)
    doc.apply(ProposeSuggestion(proposal(drums_ai, source_type)), drums_ai)
    doc.apply(AcceptSuggestion("s1", mode="layer"), ana)  # layered: the person's note stays beside the AI's
    assert credits(project.song)["disclosure"]["digital_source_type"] == expected


def test_only_people_means_digital_creation(song):
    label = credits(song.song)["disclosure"]
    assert label["digital_source_type"] == V.DIGITAL_CREATION
    assert label["sentence"] == "Written by Ana; no AI generated any of its notes."


def test_history_of_the_song_and_of_one_note(song, ana, ben, drums_ai):
    doc = song.document
    doc.apply(ProposeSuggestion(proposal(drums_ai)), drums_ai)
    doc.apply(AcceptSuggestion("s1", [0]), ana)
    kick = notes(song, "Drums")[0].id
    doc.apply(MoveNotes([kick], ticks=10), ben)
    doc.undo(ben)
    rows = history(read_events(song.ledger.path), song.song, kick)
    assert [(r["actor"], r["op"]) for r in rows] == [
        ("assistant:drums@1.0.0", "propose"), ("person:Ana", "accept"), ("person:Ben", "move_notes"),
        ("person:Ben", "undo")]
    text = history_text(rows)
    assert "drums@1.0.0" in text and "accepted 1 of 8 notes of suggestion s1 from drums@1.0.0" in text
    assert "moved 1 note (timing)" in text and f"undid #{rows[2]['seq']}" in text
    everything = history(read_events(song.ledger.path), song.song)
    assert everything[0]["text"].startswith("created the song")



def test_every_iptc_source_type_has_a_label_in_plain_words():
    from cowrite.attribution.disclosure import PLAIN_LABELS, plain_label, source_type

    iptc = {V.DIGITAL_CREATION, V.HUMAN_EDITS, V.TRAINED_ALGORITHMIC, V.ALGORITHMIC, V.COMPOSITE_TRAINED,
            V.COMPOSITE_SYNTHETIC}
    labelled = {source_type(counts, sources) for counts in ({V.HUMAN: 1}, {V.AI: 1}, {V.AI: 1, V.HUMAN: 1})
                for sources in (set(), {V.TRAINED_ALGORITHMIC}, {V.ALGORITHMIC})}
    assert labelled <= set(PLAIN_LABELS) == iptc  # every term the label can be, and every term Cowrite names
    for term, words in PLAIN_LABELS.items():
        assert words != term and words.startswith("Made by ") and term not in words
    assert plain_label(V.COMPOSITE_TRAINED) == "Made by people with help from AI assistants"
    assert plain_label("somethingNew") == "somethingNew"  # an unknown term is shown as it is, never guessed
