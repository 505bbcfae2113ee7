"""The harmony assistant, through the real registry and runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cowrite.assistants import registry
from cowrite.assistants.api import TRAINED_ALGORITHMIC
from cowrite.assistants.parameters import resolve
from cowrite.assistants.registry import AssistantError
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Note, Origin, Track
from cowrite.theory.chords import chord_tones
from cowrite.theory.key_finding import find_key
from cowrite.theory.keys import scale_pitch_classes
from cowrite.theory.pitch import parse_pitch_class
from cowrite_harmony import HarmonyAssistant
from cowrite_harmony.model import load_model
from cowrite_harmony.voicing import RANGES, voice_leading_problems
from tests.conftest import new_song

ANA = Origin("person:Ana")

# (note, beats) per note; "r" is a rest. Each is 8 bars of 4/4.
MARY = ("E5 1, D5 1, C5 1, D5 1, E5 1, E5 1, E5 2, D5 1, D5 1, D5 2, E5 1, G5 1, G5 2, "
        "E5 1, D5 1, C5 1, D5 1, E5 1, E5 1, E5 1, E5 1, D5 1, D5 1, E5 1, D5 1, C5 4")
ODE = ("E5 1, E5 1, F5 1, G5 1, G5 1, F5 1, E5 1, D5 1, C5 1, C5 1, D5 1, E5 1, E5 1.5, D5 .5, D5 2, "
       "E5 1, E5 1, F5 1, G5 1, G5 1, F5 1, E5 1, D5 1, C5 1, C5 1, D5 1, E5 1, D5 1.5, C5 .5, C5 2")
A_MINOR = ("A4 1, B4 1, C5 1, D5 1, E5 2, E5 2, F5 1, E5 1, D5 1, C5 1, B4 4, "
           "C5 1, B4 1, A4 1, B4 1, C5 1, D5 1, E5 2, D5 1, C5 1, B4 1, G#4 1, A4 4")
E_MINOR = ("E5 1, F#5 .5, G5 .5, F#5 1, E5 1, F#5 2, E5 1, r 1, B4 1, E5 1, D#5 1, E5 1, F#5 2, B4 2, "
           "G5 1, F#5 1, E5 1, D5 1, C5 1, B4 1, A4 2, B4 1, C5 1, B4 1, A4 .5, G4 .5, F#4 1, D#4 1, E4 2")
TUNES = [(MARY, Key("C", "major")), (ODE, Key("C", "major")), (A_MINOR, Key("A", "minor")),
         (E_MINOR, Key("E", "minor"))]


def pitch(name: str) -> int:
    pc, _, octave = parse_pitch_class(name)
    return 12 * (int(octave) + 1) + pc


def song_with(tune: str, key: Key, bars: int = 8):
    notes, tick = {}, 0
    for i, item in enumerate(tune.split(","), 1):
        name, beats = item.split()
        if name != "r":
            notes[i] = Note(i, pitch(name), tick, round(float(beats) * PPQ), 90, ANA)
        tick += round(float(beats) * PPQ)
    melody, harmony = Track("t1", "Melody", notes=notes), Track("t2", "Harmony")
    song = new_song(key=key, length_bars=bars, tracks=[melody, harmony], next_note_id=len(notes) + 1)
    return song, melody, harmony


def suggest(tune=MARY, song_key=Key("C", "major"), seed=1, first=0, last=7, **params):
    song, melody, harmony = song_with(tune, song_key)
    request = build_request(song, harmony, melody, first, last, resolve(HarmonyAssistant.parameters, params), seed)
    return request, run(registry.find("harmony"), request)


def parts(request, draft):
    """[soprano, alto, tenor, bass] of an satb draft: the melody on top, then the notes struck together, high to low."""
    struck = {}
    for note in draft.notes:
        struck.setdefault(note.start, []).append(note)
    assert all(len(chord) == 3 for chord in struck.values())
    lower = [sorted(struck[t], key=lambda n: -n.pitch) for t in sorted(struck)]
    return [list(request.source.notes)] + [[chord[v] for chord in lower] for v in range(3)]


def test_found_through_the_registry_with_an_honest_card():
    assistant = registry.find("harmony")
    assert assistant.card == HarmonyAssistant.card  # found in its sandbox worker: a stand-in with its card
    card = assistant.card
    assert (card.id, card.version, card.kind, card.model.type) == ("harmony", "1.0.0", "harmony", "statistical")
    assert card.model.source_type == TRAINED_ALGORITHMIC
    (source,) = card.model.training_data
    assert f"{load_model().info['train_chorales']} train chorales" in source.name
    assert "music21" in source.url and "public domain" in source.licence.lower() and source.share == 1.0
    assert assistant.needs_source and assistant.target_kind == "instrument"
    assert [p.name for p in assistant.parameters] == ["rhythm", "voicing", "key", "adventure"]


@pytest.mark.parametrize("rhythm, count", [("beat", 32), ("half-bar", 16), ("bar", 8)])
def test_one_chord_per_rhythm_unit_covering_the_range(rhythm, count):
    request, draft = suggest(rhythm=rhythm)
    assert len(draft.chords) == count
    assert draft.chords[0].start == request.start and draft.chords[-1].end == request.end
    assert all(a.end == b.start for a, b in zip(draft.chords, draft.chords[1:]))
    assert len({c.duration for c in draft.chords}) == 1


def test_a_range_in_the_middle_of_the_song():
    request, draft = suggest(first=2, last=3, rhythm="bar")
    assert [(c.start, c.end) for c in draft.chords] == [(8 * PPQ, 12 * PPQ), (12 * PPQ, 16 * PPQ)]
    assert all(request.start <= n.start < request.end for n in draft.notes)


@pytest.mark.parametrize("tune, key", TUNES)
def test_chords_are_mostly_diatonic_and_hold_the_melody_on_strong_beats(tune, key):
    request, draft = suggest(tune, key, rhythm="beat", adventure=0.0)
    scale = scale_pitch_classes(key) | {(parse_pitch_class(key.tonic)[0] - 1) % 12}  # the leading tone too
    diatonic = [set(chord_tones(c)) <= scale for c in draft.chords]
    assert sum(diatonic) >= 0.8 * len(diatonic)
    strong = [c for c in draft.chords if c.start % (2 * PPQ) == 0]
    held = [any(n.start <= c.start < n.end and n.pitch % 12 in chord_tones(c) for n in request.source.notes)
            for c in strong]
    assert sum(held) >= 0.75 * len(held)


@pytest.mark.parametrize("tune, key", TUNES)
@pytest.mark.parametrize("rhythm", ["beat", "half-bar", "bar"])
def test_a_tune_ending_on_the_tonic_ends_on_the_tonic_chord(tune, key, rhythm):
    _, draft = suggest(tune, key, rhythm=rhythm, adventure=0.0)
    last = draft.chords[-1]
    assert last.root == parse_pitch_class(key.tonic)[0]
    # Bach often ends a minor chorale with a major tonic (a Picardy third)
    assert last.quality in ("major", "minor")


def test_same_seed_same_suggestion():
    for params in ({}, {"adventure": 1.0, "voicing": "block"}, {"adventure": 0.0}):
        _, first = suggest(seed=7, **params)
        _, again = suggest(seed=7, **params)
        assert (first.notes, first.chords, first.explanation) == (again.notes, again.chords, again.explanation)


@pytest.mark.parametrize("tune, key", TUNES)
@pytest.mark.parametrize("voicing", ["satb", "block", "pad", "arpeggio"])
def test_other_seeds_give_other_suggestions_when_adventurous(tune, key, voicing):
    drafts = [suggest(tune, key, seed=seed, voicing=voicing)[1] for seed in range(6)]
    results = {(tuple(d.notes), tuple(d.chords)) for d in drafts}
    assert len(results) == len(drafts)


def test_no_adventure_is_the_same_for_every_seed():
    results = {tuple(suggest(seed=seed, adventure=0.0)[1].chords) for seed in range(4)}
    assert len(results) == 1


@pytest.mark.parametrize("tune, key", TUNES)
@pytest.mark.parametrize("rhythm", ["beat", "half-bar", "bar"])
def test_satb_keeps_the_rules_over_many_seeds(tune, key, rhythm):
    for seed in range(8):
        request, draft = suggest(tune, key, seed=seed, rhythm=rhythm, adventure=seed / 8)
        assert voice_leading_problems(parts(request, draft)) == []


def test_the_checker_finds_parallels_crossing_and_ranges():
    def voice(*pitches):
        return [(p, i * PPQ, PPQ) for i, p in enumerate(pitches)]
    moving = voice_leading_problems([voice(67, 69), voice(64, 65), voice(55, 57), voice(48, 50)])
    assert "parallel fifths between tenor and bass at tick 960" in moving
    assert "parallel octaves between soprano and tenor at tick 960" in moving
    octaves = voice_leading_problems([voice(72, 74), voice(64, 65), voice(55, 53), voice(48, 50)])
    assert any("parallel octaves between soprano and bass" in p for p in octaves)
    crossing = voice_leading_problems([voice(67), voice(69), voice(55), voice(48)])
    assert any("soprano crosses below alto" in p for p in crossing)
    low = voice_leading_problems([voice(67), voice(64), voice(55), voice(36)])
    assert any(p.startswith("bass C2") for p in low)
    # soprano and tenor stay an octave (class) apart, but the soprano holds: not parallel motion
    still = voice_leading_problems([voice(72, 72), voice(64, 64), voice(60, 48), voice(43, 43)])
    assert not any("parallel" in p for p in still)


@pytest.mark.parametrize("voicing", ["block", "pad", "arpeggio"])
@pytest.mark.parametrize("rhythm", ["beat", "half-bar", "bar"])
def test_other_voicings_play_each_chord_inside_its_span(voicing, rhythm):
    request, draft = suggest(A_MINOR, Key("A", "minor"), voicing=voicing, rhythm=rhythm)
    for chord in draft.chords:
        inside = [n for n in draft.notes if chord.start <= n.start < chord.end]
        assert inside and all(n.start + n.duration <= chord.end for n in inside)
        assert {n.pitch % 12 for n in inside} <= set(chord_tones(chord))
        if voicing != "arpeggio":
            assert {n.pitch % 12 for n in inside} == set(chord_tones(chord))
            melody = [n.pitch for n in request.source.notes if n.start < chord.end and n.end > chord.start]
            assert max(n.pitch for n in inside) < min(melody)
    assert sum(len([n for n in draft.notes if c.start <= n.start < c.end]) for c in draft.chords) == len(draft.notes)
    if voicing == "arpeggio":
        assert {n.duration for n in draft.notes} == {PPQ // 2}
    if voicing == "pad":
        assert all(n.velocity < 64 for n in draft.notes)


def test_satb_voices_stay_in_their_ranges_and_under_the_melody():
    request, draft = suggest(ODE, Key("C", "major"), rhythm="beat")
    soprano, *lower = parts(request, draft)
    for name, notes in zip(("alto", "tenor", "bass"), lower):
        low, high = RANGES[name]
        assert all(low <= n.pitch <= high for n in notes)


@pytest.mark.parametrize("source", ["missing", "empty"])
def test_no_melody_is_an_error_the_runner_reports(source):
    song, melody, harmony = song_with(MARY, Key("C", "major"))
    if source == "empty":
        melody.notes.clear()
    request = build_request(song, harmony, melody if source == "empty" else None, 0, 7,
                            resolve(HarmonyAssistant.parameters, {}), 1)
    with pytest.raises(AssistantError, match="harmony needs a melody"):
        run(registry.find("harmony"), request)


@pytest.mark.parametrize("tune, key", TUNES)
def test_key_detection_finds_the_key_of_simple_tunes(tune, key):
    song, melody, _ = song_with(tune, key)
    assert find_key(melody.notes.values()) == key


def test_detect_uses_the_melody_not_the_song_key():
    request, draft = suggest(A_MINOR, Key("F", "major"), key="detect", adventure=0.0)
    assert draft.explanation.startswith("Key: A minor, found in the melody")
    assert draft.chords[-1].root == 9
    _, told = suggest(A_MINOR, Key("F", "major"), key="song", adventure=0.0)
    assert told.explanation.startswith("Key: the song's key, F major")


def test_chords_are_spelled_in_the_key():
    _, draft = suggest(E_MINOR, Key("E", "minor"), rhythm="beat", adventure=0.0)
    symbols = {c.symbol for c in draft.chords}
    assert "B" in symbols or "B7" in symbols  # the dominant, with D# not Eb
    assert not any(s.startswith(("Eb", "Gb", "Db", "Ab")) for s in symbols)


def test_alternatives_are_probabilities_most_likely_first():
    _, draft = suggest(ODE, Key("C", "major"))
    assert [a.start for a in draft.alternatives] == [c.start for c in draft.chords]
    for alternative, chord in zip(draft.alternatives, draft.chords):
        assert alternative.chosen == chord.symbol
        probabilities = [p for _, p in alternative.options]
        assert 1 <= len(probabilities) <= 3 and all(0 <= p <= 1 for p in probabilities)
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1 + 1e-9


def test_the_explanation_names_key_rhythm_cadences_and_doubts():
    _, draft = suggest(A_MINOR, Key("A", "minor"), adventure=0.0)
    text = draft.explanation
    assert "Key: the song's key, A minor" in text and "One chord per half bar" in text
    assert "bar 8" in text and "cadence" in text and "Least certain" in text and "%" in text


def test_three_four_meter_beats_and_half_bars():
    song, melody, harmony = song_with("G4 3, A4 3, B4 3, C5 3", Key("C", "major"), bars=4)
    song.meter = MeterMap([MeterChange(0, 3, 4)])
    for rhythm, count in (("beat", 12), ("half-bar", 8), ("bar", 4)):
        request = build_request(song, harmony, melody, 0, 3, resolve(HarmonyAssistant.parameters,
                                                                     {"rhythm": rhythm}), 3)
        draft = run(registry.find("harmony"), request)
        assert len(draft.chords) == count and draft.chords[-1].end == 12 * PPQ


def test_suggesting_does_not_import_music21():
    code = ("import sys; from tests.test_harmony import suggest; suggest(); "
            "print('music21' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.strip() == "False"


def _tracks(**pitches):
    """Tracks named by the keywords, each holding notes of the given pitches (a drum track if named Drums)."""
    from cowrite.model import TrackKind

    return [Track(f"t{i}", name, TrackKind.DRUMS if name == "Drums" else TrackKind.INSTRUMENT,
                  notes={j: Note(j, p, j * PPQ, PPQ, 90, ANA) for j, p in enumerate(ps, 100 * i)})
            for i, (name, ps) in enumerate(pitches.items())]


@pytest.mark.parametrize("pitches, target, expected", [
    (dict(Bass=[40, 45], Lead=[50, 52], Strings=[72, 76], Pad=[]), "t3", "Lead"),  # a melody by name, though lower
    (dict(Bass=[40, 45], Strings=[72, 76], Keys=[60, 64], Drums=[80]), "t2", "Strings"),  # else the highest
    (dict(Keys=[60], Bass=[40, 45], Vocal=[]), "t0", None),  # the bass never, nor a track with no notes
    (dict(Melody=[70], Pad=[60]), "t0", "Pad"),  # nor the target itself
])
def test_the_melody_is_the_track_named_so_else_the_highest_never_the_bass(pitches, target, expected):
    from cowrite.theory.chord_detect import melody_track

    found = melody_track(_tracks(**pitches), target)
    assert (found.name if found else None) == expected


def test_the_cli_harmonises_the_melody_not_the_bass_by_default(tmp_path, capsys):
    """Without --source the suggestion is the one --source Tune gives, not the one --source Bass gives."""
    from cowrite.attribution.actors import Actor
    from cowrite.edit import AddNotes, AddTrack, Macro
    from cowrite.io.project import Project, read_song
    from tests.conftest import run_cowrite

    path = tmp_path / "song.cowrite"
    _, melody, _ = song_with(MARY, Key("C", "major"))
    project = Project.create(path, new_song(key=Key("C", "major")), Actor.person("Ana"))
    bass_line = [(36 + 7 * (bar % 2), bar * 4 * PPQ, 4 * PPQ, 90) for bar in range(8)]
    project.document.apply(Macro("Tracks", [AddTrack("Bass"), AddNotes("Bass", bass_line),
                                            AddTrack("Tune"), AddNotes("Tune", [n[1:5] for n in melody.notes.values()]),
                                            AddTrack("Keys")]))
    project.save()
    project.close()
    for source in ([], ["--source", "Tune"], ["--source", "Bass"]):
        code, _, err = run_cowrite(capsys, "suggest", "harmony", path, "--track", "Keys", "--seed", 1, *source)
        assert code == 0, err
    suggestions = read_song(path)[0].suggestions
    by_default, from_tune, from_bass = (suggestions[i].notes for i in ("s1", "s2", "s3"))
    assert by_default == from_tune != from_bass
