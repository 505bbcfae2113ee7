"""The drums assistant through the real runner: styles keep their fingerprint, fills, swing, variation, meters."""

import importlib.util
import json
import statistics
import time
from pathlib import Path

import pytest

from cowrite.assistants.api import ParameterError, ProposedNote
from cowrite.assistants.parameters import resolve
from cowrite.assistants.registry import find
from cowrite.assistants.request import build_request
from cowrite.assistants.runner import run
from cowrite.model import MeterChange, MeterMap, Note, Origin, Track, TrackKind
from cowrite_drums import STYLES, DrumsAssistant
from cowrite_drums.fingerprints import fingerprint
from cowrite_drums.generate import phrase_ends
from cowrite_drums.model import styles
from tests.conftest import new_song

ROOT = Path(__file__).resolve().parents[1]
DRUMS = DrumsAssistant()
BAR = 3840  # ticks in a 4/4 bar
ANA = Origin("person:Ana")


def drum_song(meter=(4, 4), notes=()):
    song = new_song(meter=MeterMap([MeterChange(0, *meter)]))
    track = Track("d1", "Drums", kind=TrackKind.DRUMS, channel=9)
    track.notes.update({i: Note(i, *values, ANA) for i, values in enumerate(notes, 1)})
    song.tracks.append(track)
    return song, track


def suggest(first=0, last=7, seed=0, song=None, **params):
    song, track = song or drum_song()
    request = build_request(song, track, None, first, last, resolve(DrumsAssistant.parameters, params), seed)
    return request, run(DRUMS, request)


def test_discovered_with_an_honest_card():
    assistant = find("drums")
    assert assistant.card == DrumsAssistant.card and assistant.target_kind == "drums"  # a sandboxed stand-in
    card = assistant.card
    assert (card.id, card.version, card.kind, card.model.type) == ("drums", "1.0.0", "drums", "statistical")
    assert card.model.source_type == "trainedAlgorithmicMedia"
    (source,) = card.model.training_data
    assert (source.url, source.licence, source.share) == ("assets/drums/corpus.json", "CC0-1.0, written for Cowrite", 1)
    assert {p.name for p in assistant.parameters} == {"style", "density", "swing", "humanize", "fills",
                                                      "fill_every", "variation"}


def test_shipped_table_is_learned_from_the_shipped_corpus():
    spec = importlib.util.spec_from_file_location("build_model", ROOT / "assets/drums/build_model.py")
    build_model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_model)
    corpus = json.loads((ROOT / "assets/drums/corpus.json").read_text())
    assert build_model.build(corpus) == json.loads((ROOT / "assets/drums/model.json").read_text())
    assert set(corpus["styles"]) == set(STYLES)
    assert all(6 <= len(s["patterns"]) <= 12 and s["fills"] for s in corpus["styles"].values())


def test_same_seed_same_notes_and_twenty_seeds_twenty_grooves():
    assert suggest(seed=5)[1].notes == suggest(seed=5)[1].notes
    for humanize in (0.3, 0.0):
        grooves = {tuple(suggest(seed=seed, density=0.5, humanize=humanize)[1].notes) for seed in range(20)}
        assert len(grooves) == 20


@pytest.mark.parametrize("density", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("style", STYLES)
def test_every_seed_and_density_keeps_the_style_fingerprint(style, density):
    fill_bars = set(phrase_ends(0, 7, 4))  # bar indexes of the range, which starts at bar 0
    for seed in range(20):
        request, draft = suggest(seed=seed, style=style, density=density)
        assert fingerprint(style, draft.notes, request.bar_starts(), fill_bars) == [], (style, density, seed)


@pytest.mark.parametrize("style", STYLES)
def test_fingerprint_survives_full_swing_and_humanize(style):
    for seed in range(5):
        request, draft = suggest(seed=seed, style=style, swing=1.0, humanize=1.0, fills=False)
        assert fingerprint(style, draft.notes, request.bar_starts()) == [], (style, seed)


def test_fingerprints_tell_styles_apart():
    request, trap = suggest(style="trap", fills=False)
    assert any("four on the floor" in p for p in fingerprint("house", trap.notes, request.bar_starts()))
    assert any("backbeat" in p for p in fingerprint("rock", trap.notes, request.bar_starts()))
    request, rock = suggest(style="rock", fills=False)
    assert any("dembow" in p for p in fingerprint("reggaeton", rock.notes, request.bar_starts()))
    assert any("only on beat 3" in p for p in fingerprint("trap", rock.notes, request.bar_starts()))
    assert any("clave" in p for p in fingerprint("afrobeat", rock.notes, request.bar_starts()))


def fill_in_bar(notes, bar, style="rock"):
    """The fill of `style` whose hits are exactly the end of `bar` (humanize 0, straight time), or None."""
    for fill in styles()[style].fills:
        tail = {(n.pitch, (n.start - bar * BAR) // 240) for n in notes
                if bar * BAR + (16 - fill.steps) * 240 <= n.start < (bar + 1) * BAR}
        if tail == {(key, 16 - fill.steps + step) for key, step, _ in fill.hits}:
            return fill
    return None


def test_fills_end_each_phrase_when_on_and_never_when_off():
    for seed in range(10):
        _, draft = suggest(seed=seed, style="rock", humanize=0.0)
        assert [bar for bar in range(8) if fill_in_bar(draft.notes, bar)] == [3, 7]
        assert "Fills end each 4-bar phrase: bar 4" in draft.explanation
        assert [n.start for n in draft.notes if n.pitch == 49] == [4 * BAR]  # a crash opens bar 5
        _, draft = suggest(seed=seed, style="rock", humanize=0.0, fill_every=8)
        assert [bar for bar in range(8) if fill_in_bar(draft.notes, bar)] == [7]
        _, draft = suggest(seed=seed, style="rock", humanize=0.0, fills=False)
        assert not any(fill_in_bar(draft.notes, bar) for bar in range(8))
        assert not any(n.pitch in (43, 47, 49, 50) for n in draft.notes)  # no toms, no crash
        assert "Fill" not in draft.explanation


def test_swing_delays_only_the_off_beat_sixteenths():
    """Funk's hats play every 16th; funk has a little swing of its own (0.15)."""
    for swing in (0.0, 0.5, 1.0):
        delay = round(min(1.0, swing + 0.15) * 80)
        _, draft = suggest(style="funk", swing=swing, humanize=0.0, fills=False)
        offsets = {n.start % 480 for n in draft.notes if n.pitch == 42}
        assert offsets == {0, 240 + delay}, swing
    _, draft = suggest(style="boom-bap", humanize=0.0, fills=False)  # boom-bap swings at swing 0
    assert {n.start % 480 for n in draft.notes if n.pitch == 42} <= {0, 280}


def test_notes_stay_in_the_range_on_general_midi_drum_keys():
    for i, style in enumerate(STYLES):
        request, draft = suggest(first=2, last=5, seed=i, style=style, density=1.0, swing=1.0, humanize=1.0,
                                 fill_every=5)
        assert draft.notes
        for pitch, start, duration, velocity in draft.notes:
            assert 35 <= pitch <= 81 and 1 <= velocity <= 127 and 1 <= duration <= 240
            assert request.start <= start and start + duration <= request.end


def test_variation_keeps_the_kicks_and_backbeat_and_writes_new_hats():
    kicks = [(36, step * 240, 120, 100) for bar in range(4) for step in (bar * 16, bar * 16 + 3, bar * 16 + 7)]
    snares = [(38, step * 240, 120, 96) for bar in range(4) for step in (bar * 16 + 4, bar * 16 + 12)]
    ghost = [(38, 9 * 240, 120, 40)]
    hats = [(42, step * 240, 60, 70) for step in range(64)]
    song = drum_song(notes=kicks + snares + ghost + hats)
    for seed in range(5):
        _, draft = suggest(last=3, seed=seed, song=song, variation=True, style="house")
        notes = set(draft.notes)
        assert {n for n in notes if n.pitch in (35, 36)} == {ProposedNote(*k) for k in kicks}
        assert {ProposedNote(*s) for s in snares} <= notes and ProposedNote(*ghost[0]) not in notes
        assert {ProposedNote(*h) for h in hats}.isdisjoint(notes) and any(n.pitch == 46 for n in notes)
        assert "kept your 12 kick notes exactly and your 8 snare hits" in draft.explanation
    empty = dict(first=0, last=3, seed=3, style="house")
    _, fresh = suggest(**empty, variation=True)
    assert fresh.notes == suggest(**empty)[1].notes and "has no notes in bars 1-4" in fresh.explanation


@pytest.mark.parametrize("meter", [(3, 4), (6, 8), (5, 4), (7, 8)])
def test_other_meters_put_notes_only_inside_bars(meter):
    song = drum_song(meter)
    for style in STYLES:
        request, draft = suggest(style=style, song=song, humanize=1.0, swing=1.0)
        starts = request.bar_starts()
        assert draft.notes
        for note in draft.notes:
            bar = max(i for i, tick in enumerate(starts) if tick <= note.start)
            assert note.start + note.duration <= starts[bar + 1]
    request, draft = suggest(style="rock", song=drum_song((3, 4)), fills=False)
    assert fingerprint("rock", draft.notes, request.bar_starts()) == []  # beat 2 of each 3/4 bar


@pytest.mark.parametrize("given", [{"style": "polka"}, {"density": 2}, {"swing": -0.1}, {"humanize": "lots"},
                                   {"fill_every": 3}, {"fills": "maybe"}, {"variation": 1}])
def test_bad_parameter_values_are_refused(given):
    with pytest.raises(ParameterError):
        resolve(DrumsAssistant.parameters, given)


def test_eight_bars_well_under_fifty_milliseconds():
    suggest()  # the table is loaded once, here
    times = []
    for seed in range(20):
        began = time.perf_counter()
        suggest(seed=seed, style=STYLES[seed % len(STYLES)])
        times.append(time.perf_counter() - began)
    assert statistics.quantiles(times, n=20)[-1] < 0.05
