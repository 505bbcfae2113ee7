"""MusicXML export: written through music21, read back with music21's own parser."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import music21
import pytest

from cowrite.io.errors import FileProblem
from cowrite.io.musicxml import _chord_symbol, snap, write_musicxml
from cowrite.model import (
    QUALITIES, Chord, Key, MeterChange, MeterMap, Note, Origin, Song, TempoChange, TempoMap,
    Track, TrackKind,
)

BAR = 3840  # a 4/4 bar in ticks
ORIGIN = Origin("person:ann")


def notes(*specs: tuple[int, int, int], first_id: int = 1) -> dict[int, Note]:
    """(pitch, start, duration) -> notes keyed by id."""
    return {i: Note(i, pitch, start, dur, 90, ORIGIN)
            for i, (pitch, start, dur) in enumerate(specs, first_id)}


def demo_song() -> Song:
    """Two bars of 4/4 then two of 3/4, with a humanized, a triplet, a chord,
    overlapping notes and notes tied over bar lines."""
    melody = notes(
        (67, 0, 960),
        (70, 970, 470),             # late and short: 1/16 grid -> beat 2, an eighth
        (72, 1450, 250),            # -> 1.5, a sixteenth
        (74, 2 * 960 + 330, 320),   # 1/8 triplet is closer -> 7/3
        (62, BAR, 1920), (65, BAR, 1920),  # same start and length: one chord
        (77, BAR + 960, 2880),      # overlaps the chord: a second voice
        (79, BAR + 2880, 2880),     # tied over the bar line into 3/4
        (60, 2 * BAR + 960, 960),
    )
    drums = notes((36, 0, 120), (38, 960, 120), first_id=20)
    return Song(
        title="Demo", key=Key("G", "minor"), length_bars=4,
        meter=MeterMap([MeterChange(0, 4, 4), MeterChange(2 * BAR, 3, 4)]),
        tempo=TempoMap([TempoChange(0, 100), TempoChange(BAR, 132.5)]),
        chords=[Chord(0, 1920, "Gm", 7, "minor"),
                Chord(1920, 1920, "Eb/Bb", 3, "major", 10),
                Chord(BAR, BAR, "Cmaj9", 0, "major-seventh")],  # music21 cannot read "maj9"
        tracks=[Track("t1", "Melody", notes=melody),
                Track("t2", "Drums", kind=TrackKind.DRUMS, channel=9, notes=drums)],
    )


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    """One export for the whole module, because music21 is slow."""
    path = tmp_path_factory.mktemp("export") / "demo.musicxml"
    write_musicxml(demo_song(), path)
    return music21.converter.parse(path)


def elements(part, cls):
    return list(part.flatten().getElementsByClass(cls))


def test_snap_prefers_sixteenths_and_takes_triplets_when_closer():
    assert [snap(t) for t in (0, 100, 130, 250, 330, 400, 650)] == [0, 0, 240, 240, 320, 480, 640]


def test_importing_the_module_does_not_import_music21():
    code = "import sys, cowrite.io.musicxml; sys.exit('music21' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_one_part_per_track_named_after_it(score):
    assert [p.partName for p in score.parts] == ["Melody", "Drums"]


def test_title(score):
    # music21's reader moves a title equal to the movement title into movementName
    assert score.metadata.bestTitle == "Demo"
    assert not score.metadata.composer  # music21 would otherwise credit itself


def test_melody_notes_are_quantized_with_ties_and_voices_intact(score):
    flat = score.parts[0].flatten().stripTies()
    got = [(e.offset, e.quarterLength, [p.midi for p in e.pitches])
           for e in flat.notes if not isinstance(e, music21.harmony.Harmony)]
    assert got == [
        (0, 1, [67]), (1, 0.5, [70]), (1.5, 0.25, [72]), (Fraction(7, 3), Fraction(1, 3), [74]),
        (4, 2, [62, 65]), (5, 3, [77]), (7, 3, [79]), (9, 1, [60]),
    ]


def test_time_signatures_at_their_bars(score):
    for part in score.parts:
        assert [(ts.offset, ts.ratioString) for ts in elements(part, music21.meter.TimeSignature)] \
            == [(0, "4/4"), (8, "3/4")]


def test_key_signature(score):
    (key,) = elements(score.parts[0], music21.key.KeySignature)
    assert (key.sharps, key.tonic.name, key.mode) == (-2, "G", "minor")


def test_tempo_marks(score):
    marks = elements(score.parts[0], music21.tempo.MetronomeMark)
    assert [(m.offset, m.number) for m in marks] == [(0, 100), (4, 132.5)]


def test_chord_symbols_in_the_first_instrument_part(score):
    symbols = elements(score.parts[0], music21.harmony.ChordSymbol)
    assert [(s.offset, s.root().name, s.chordKind) for s in symbols] == [
        (0, "G", "minor"), (2, "E-", "major"), (4, "C", "major-seventh")]
    assert symbols[1].bass().name == "B-"
    assert not elements(score.parts[1], music21.harmony.ChordSymbol)


def test_drums_get_a_percussion_clef(score):
    assert isinstance(elements(score.parts[1], music21.clef.Clef)[0], music21.clef.PercussionClef)
    assert [n.pitch.midi for n in score.parts[1].flatten().notes] == [36, 38]


def test_every_bar_is_full_up_to_the_song_end(score):
    for part in score.parts:
        measures = list(part.getElementsByClass(music21.stream.Measure))
        assert [m.offset for m in measures] == [0, 4, 8, 11]
        for measure in measures:
            for container in measure.voices or [measure]:
                assert container.highestTime == measure.barDuration.quarterLength
        # music21 would fill gaps with hidden rests; a teacher should see them
        rests = elements(part, music21.note.Rest)
        assert rests and not any(r.style.hideObjectOnPrint for r in rests)


@pytest.mark.parametrize("quality", QUALITIES)
def test_unreadable_symbols_are_built_from_root_and_quality(quality):
    symbol = _chord_symbol(Chord(0, 960, "??", 10, quality, 2), music21)
    assert (symbol.root().pitchClass, symbol.bass().pitchClass) == (10, 2)


def test_missing_folder_raises_and_leaves_nothing(tmp_path):
    path = tmp_path / "missing" / "demo.musicxml"
    with pytest.raises(FileProblem):
        write_musicxml(demo_song(), path)
    assert not path.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_music21_failure_is_a_file_problem_and_keeps_the_old_file(tmp_path, monkeypatch):
    def fail(self, obj=None):
        raise music21.musicxml.xmlObjects.MusicXMLExportException("measure 3 is broken")

    monkeypatch.setattr(music21.musicxml.m21ToXml.GeneralObjectExporter, "parse", fail)
    path = tmp_path / "demo.musicxml"
    path.write_text("old")
    with pytest.raises(FileProblem, match="cannot write MusicXML: measure 3 is broken"):
        write_musicxml(demo_song(), path)
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]


def test_song_without_tracks_is_a_file_problem(tmp_path):
    with pytest.raises(FileProblem, match="no tracks"):
        write_musicxml(Song(), tmp_path / "empty.musicxml")
