"""The bass assistant through the real registry and runner: harmony, kick locking, styles, chord detection."""

import pytest

from cowrite.assistants import registry
from cowrite.assistants.api import ParameterError
from cowrite.assistants.parameters import resolve
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import PPQ, Key, Note, Origin, Track, TrackKind
from cowrite.theory.chord_detect import detect_chords
from cowrite.theory.chords import chart_to_chords, chord_tones
from cowrite_bass import BassAssistant
from tests.conftest import new_song

BAR = 4 * PPQ
SIXTEENTH = PPQ // 4
STYLES = ("root", "root-fifth", "octave", "walking", "808", "funk", "reggae")
RANGES = {"low": (28, 52), "mid": (35, 59), "high": (43, 67)}
AM_F_C_G = [9, 5, 0, 7]
PERSON = Origin("person:Ana")
#: 16th steps of the kicks in each bar: a two-bar boom-bap figure, and four on the floor
BOOM_BAP = ((0, 10), (0, 7, 10))
FOUR_ON_THE_FLOOR = ((0, 4, 8, 12),)


def track(track_id, name, notes=(), kind=TrackKind.INSTRUMENT):
    return Track(track_id, name, kind, notes={i: Note(i, p, s, d, 90, PERSON) for i, (p, s, d) in enumerate(notes, 1)})


def bass_song(chart="Am | F | C | G", kicks=None, bars=8):
    """A song with `chart` on the chord track (None: no chords), a Bass track, and optionally drums."""
    song = new_song(length_bars=bars)
    if chart:
        song.chords = chart_to_chords(chart, song.meter, bars)
    song.tracks.append(track("bass", "Bass"))
    if kicks:
        hits = [(36, bar * BAR + step * SIXTEENTH, 120) for bar in range(bars) for step in kicks[bar % len(kicks)]]
        hits += [(38, bar * BAR + beat * PPQ, 120) for bar in range(bars) for beat in (1, 3)]
        song.tracks.append(track("drums", "Drums", hits, TrackKind.DRUMS))
    return song


def suggest(song, seed=0, first_bar=0, last_bar=7, **params):
    assistant = registry.find("bass")
    request = build_request(song, song.find_track("Bass"), None, first_bar, last_bar,
                            resolve(assistant.parameters, params), seed)
    return run(assistant, request)


def chord_at(chords, tick):
    return next(c for c in reversed(chords) if c.start <= tick)


def kick_share(song, notes):
    kicks = [n.start for n in song.find_track("Drums").notes.values() if n.pitch == 36]
    return sum(any(abs(n.start - k) <= SIXTEENTH for n in notes) for k in kicks) / len(kicks)


def test_discovered_through_the_registry_with_its_card_and_contract():
    assistant = registry.find("bass")
    assert assistant.card == BassAssistant.card  # found in its sandbox worker: a stand-in with its card
    card = assistant.card
    assert (card.id, card.version, card.kind, card.model.type) == ("bass", "1.0.0", "bass", "rule-based")
    assert card.model.source_type == "algorithmicMedia" and card.model.training_data == ()
    assert assistant.target_kind == "instrument"
    params = {p.name: p for p in assistant.parameters}
    assert params["style"].choices == STYLES and params["style"].default == "root-fifth"
    assert (params["density"].low, params["density"].high, params["density"].default) == (0.0, 1.0, 0.5)
    assert params["register"].choices == ("low", "mid", "high") and params["register"].default == "low"
    assert params["approach"].default is True


def test_same_request_same_notes_and_seeds_give_different_lines():
    song = bass_song(kicks=BOOM_BAP)
    for style in STYLES:
        assert suggest(song, seed=3, style=style).notes == suggest(song, seed=3, style=style).notes
        lines = {tuple((n.pitch, n.start) for n in suggest(song, seed=seed, style=style).notes) for seed in range(20)}
        assert len(lines) >= 15, style


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kicks", [None, BOOM_BAP])
def test_every_style_keeps_the_rules(style, kicks):
    song = bass_song(kicks=kicks)
    low, high = (24, 48) if style == "808" else RANGES["low"]
    for seed in range(10):
        notes = suggest(song, seed=seed, style=style).notes
        assert notes, (style, seed)
        for a, b in zip(notes, notes[1:]):
            assert a.start + a.duration <= b.start, f"{style} seed {seed}: {a} overlaps {b}"
        assert all(low <= n.pitch <= high for n in notes), (style, seed)
        strong = [n for n in notes if n.start % (BAR // 2) == 0]
        tones = sum(n.pitch % 12 in chord_tones(chord_at(song.chords, n.start)) for n in strong)
        assert tones / len(strong) >= 0.95, (style, seed)
        for bar in range(8):
            in_bar = [n for n in notes if bar * BAR <= n.start < (bar + 1) * BAR]
            assert in_bar[0].pitch % 12 == AM_F_C_G[bar % 4], (style, seed, bar)  # the first note is the root
            if style != "reggae":  # reggae rests on beat one in most bars: the one-drop feel
                assert in_bar[0].start == bar * BAR, (style, seed, bar)


@pytest.mark.parametrize("register", ["low", "mid", "high"])
def test_registers(register):
    notes = suggest(bass_song(), style="octave", register=register).notes
    low, high = RANGES[register]
    assert all(low <= n.pitch <= high for n in notes)


def test_walking_walks_in_quarters_into_each_root():
    song = bass_song(kicks=BOOM_BAP)  # a walking line ignores the kick
    for seed in range(10):
        notes = suggest(song, seed=seed, style="walking").notes
        assert [n.start for n in notes] == list(range(0, 8 * BAR, PPQ))
        for beat_four, next_root in zip(notes[3::4], notes[4::4]):
            assert 1 <= abs(beat_four.pitch - next_root.pitch) <= 2  # a chromatic or scale step into the root


def test_without_approach_root_style_plays_only_roots():
    song = bass_song()
    notes = suggest(song, style="root", approach=False, density=1.0).notes
    assert all(n.pitch % 12 == chord_at(song.chords, n.start).root for n in notes)


@pytest.mark.parametrize("style", ["808", "funk", "root", "root-fifth", "octave"])
@pytest.mark.parametrize("kicks", [BOOM_BAP, FOUR_ON_THE_FLOOR])
@pytest.mark.parametrize("density", [0.5, 0.8])
def test_locks_to_the_kick(style, kicks, density):
    song = bass_song(kicks=kicks)
    for seed in range(10):
        draft = suggest(song, seed=seed, style=style, density=density)
        assert kick_share(song, draft.notes) >= 0.8, (style, seed)
    assert "locks to the kick of 'Drums'" in draft.explanation


def test_explanation_names_chords_style_and_register():
    explanation = suggest(bass_song(), style="funk").explanation
    for words in ("chord track: Am | F | C | G", "Funk style", "ghost", "no kick drum", "E1 to E3"):
        assert words in explanation


def test_chords_are_heard_in_the_other_parts_when_there_is_no_chord_track():
    triads = [(57, 60, 64), (53, 57, 60), (55, 60, 64), (55, 59, 62)]  # Am, F, C/G, G: left hand voicings
    piano = [(pitch, bar * BAR + beat * PPQ, PPQ - 60) for bar in range(8) for beat in range(4)
             for pitch in triads[bar % 4]]
    song = bass_song(chart=None, kicks=FOUR_ON_THE_FLOOR)
    song.tracks.append(track("piano", "Piano", piano))
    bar_starts = [song.meter.bar_start(b) for b in range(9)]
    assert [c.root for c in detect_chords(piano, bar_starts, song.key)] == AM_F_C_G * 2
    draft = suggest(song, style="root")
    assert [n.pitch % 12 for n in draft.notes if n.start % BAR == 0] == AM_F_C_G * 2
    assert "no chord track" in draft.explanation and "Piano" in draft.explanation


def test_no_chords_and_nothing_to_hear_stays_on_the_tonic():
    draft = suggest(bass_song(chart=None), style="root-fifth")
    assert all(n.pitch % 12 == 9 for n in draft.notes if n.start % BAR == 0)
    assert "tonic chord, Am" in draft.explanation


def test_detect_chords_by_half_bar_and_when_silent():
    key = Key("C", "major")
    notes = [(p, 0, 2 * PPQ) for p in (53, 57, 60)] + [(p, 2 * PPQ, 2 * PPQ) for p in (55, 59, 62, 65)]
    chords = detect_chords(notes, [0, BAR], key, per="half-bar")
    assert [(c.symbol, c.start, c.duration) for c in chords] == [("F", 0, 2 * PPQ), ("G7", 2 * PPQ, 2 * PPQ)]
    assert detect_chords([], [0, BAR], key) == []
    with pytest.raises(ValueError, match="half-bar"):
        detect_chords(notes, [0, BAR], key, per="beat")


def test_a_range_inside_the_song_stays_inside_it():
    song = bass_song()
    draft = suggest(song, first_bar=2, last_bar=3, style="funk")
    assert all(2 * BAR <= n.start and n.start + n.duration <= 4 * BAR for n in draft.notes)
    assert draft.notes[0].start == 2 * BAR and draft.notes[0].pitch % 12 == 0  # bar 3 is C


@pytest.mark.parametrize("given, words", [
    ({"style": "disco"}, "not one of"), ({"density": 1.5}, "0..1"), ({"register": "sub"}, "not one of"),
    ({"approach": "maybe"}, "on or off"), ({"swing": 0.5}, "unknown parameter"),
])
def test_bad_parameters_are_refused(given, words):
    with pytest.raises(ParameterError, match=words):
        resolve(BassAssistant.parameters, given)
