"""The transport without a sound card: a manual output pulls blocks as a device would."""

import numpy as np
import pytest

from cowrite.audio.output import ManualOutput, NullOutput, open_output
from cowrite.audio.player import Player, audition_song
from cowrite.audio.stream import BlockRenderer
from cowrite.model import PPQ, Note, Origin, ProposedNote, Suggestion, Track, TrackKind
from tests.conftest import new_song

BLOCK = 256


def song_with_notes():
    origin = Origin("person:Ana")
    keys = Track("t1", "Keys", notes={i + 1: Note(i + 1, 60 + i, i * PPQ, PPQ // 2, 100, origin) for i in range(8)})
    drums = Track("t2", "Drums", TrackKind.DRUMS, "drum-kit", 9,
                  notes={20 + i: Note(20 + i, 36, i * PPQ, 120, 110, origin) for i in range(8)})
    return new_song(length_bars=2, tracks=[keys, drums])


@pytest.fixture
def player(clock):
    output = ManualOutput(clock)
    p = Player(output, threaded=False)
    p.load(song_with_notes())
    yield p, output
    p.close()


def test_no_device_means_a_null_output_with_a_reason():
    output = open_output()
    if output.available:  # a machine with speakers: nothing to check here
        pytest.skip("this machine has an audio output")
    assert isinstance(output, NullOutput) and "Everything else works" in output.reason
    assert open_output("null").reason == "playback is turned off"


def test_playing_delivers_the_rendered_song(player):
    p, output = player
    p.play()
    p.fill()
    pulled = np.concatenate([output.pull(BLOCK) for _ in range(8)])
    expected = BlockRenderer(song_with_notes())
    expected_audio = np.concatenate([expected.render_block(BLOCK) for _ in range(8)])
    assert np.array_equal(pulled, expected_audio)
    assert np.abs(pulled).max() > 0.01 and p.underruns == 0


def test_an_empty_ring_is_an_underrun_and_silence(player):
    p, output = player
    p.play()  # starts with a full ring: 32 blocks
    for _ in range(32):
        output.pull(BLOCK)
    assert p.underruns == 0
    assert not output.pull(BLOCK).any()  # nobody rendered more: the worker is "late"
    assert p.underruns == 1
    p.stop()
    output.pull(BLOCK)
    assert p.underruns == 1  # stopped is not an underrun


def test_loop_repeats_the_range(player):
    p, output = player
    beat = PPQ  # 0.5 s at 120 BPM = 24,000 frames = 93.75 blocks: rounded to whole blocks
    p.set_loop(0, beat)
    p.play()
    blocks = []
    for _ in range(200):
        p.fill()
        blocks.append(output.pull(BLOCK))
    audio = np.concatenate(blocks)
    period = 94 * BLOCK  # the loop restarts at the first block boundary past its end
    assert np.array_equal(audio[BLOCK:period], audio[period + BLOCK:2 * period])


def test_seek_and_position(player, clock):
    """The playhead is what is heard now: the last block pulled, as far into it as time has gone."""
    p, output = player
    p.seek(4 * PPQ)
    p.play()
    p.fill()
    for _ in range(10):
        output.pull(BLOCK)
    ticks_a_frame = 2 * PPQ / 48000  # 120 BPM
    assert p.position == int(4 * PPQ + (9 * BLOCK - p._renderer.latency) * ticks_a_frame)
    clock.now += 100 / 48000
    assert p.position == int(4 * PPQ + (9 * BLOCK + 100 - p._renderer.latency) * ticks_a_frame)


def test_audition_plays_the_suggestion_in_place_of_the_bars_it_replaces_without_touching_the_song():
    song = song_with_notes()
    suggestion = Suggestion("s1", "assistant:bass@1.0.0", "t1", {}, 1, [ProposedNote(40, 2 * PPQ, PPQ, 100)],
                            bars=(1, 1))
    alone = audition_song(song, suggestion, context=False)
    with_context = audition_song(song, suggestion)
    assert len(song.tracks) == 2 and len(song.tracks[0].notes) == 8  # the song is untouched
    assert len(with_context.tracks) == 2 and len(alone.tracks) == 1
    heard = sorted((n.pitch, n.start) for n in alone.tracks[0].notes.values())
    assert heard == [(40, 2 * PPQ), *((60 + i, i * PPQ) for i in range(4, 8))]  # bar 1 replaced, bar 2 kept
    renderer = BlockRenderer(alone)
    audio = np.concatenate([renderer.render_block(BLOCK) for _ in range(400)])
    onset = round(1.0 * 48000)  # beat 3 at 120 BPM
    assert np.abs(audio[:onset]).max() == 0 and np.abs(audio[onset:onset + 4800]).max() > 0.01


@pytest.mark.parametrize("mode", ["replace", "layer"])
def test_audition_holds_exactly_the_notes_accepting_gives(project, ana, mode):
    from cowrite.attribution.actors import Actor
    from cowrite.edit import AcceptSuggestion, AddNotes, AddTrack, ProposeSuggestion

    bass = Actor.assistant("bass", "1.0.0")
    doc = project.document
    doc.apply(AddTrack("Keys"))
    doc.apply(AddNotes("Keys", [(60 + i % 4, i * PPQ, PPQ // 2, 90) for i in range(16)]))
    doc.apply(AddTrack("Drums", kind=TrackKind.DRUMS))
    doc.apply(AddNotes("Drums", [(36, i * PPQ, 120, 110) for i in range(8)]))
    proposed = [ProposedNote(61, 4 * PPQ + PPQ, PPQ, 80), ProposedNote(61, 4 * PPQ + PPQ, PPQ, 80),
                ProposedNote(72, 8 * PPQ, 2 * PPQ, 80)]  # doubled, and the first two the same as a Keys note
    doc.apply(ProposeSuggestion(Suggestion("", bass.id, "Keys", {}, 1, proposed, bars=(2, 3))), bass)
    suggestion = project.song.suggestions["s1"]

    def heard(song):
        return {t.name: sorted((*n[1:5], n.origin) for n in t.notes.values()) for t in song.tracks}

    audition = audition_song(project.song, suggestion, mode=mode)
    doc.apply(AcceptSuggestion("s1", mode=mode), ana)
    assert heard(audition) == heard(project.song)
    assert audition.chords == project.song.chords


def test_metronome_clicks_on_every_beat_without_changing_the_song(player):
    p, output = player
    song = new_song(length_bars=1, tracks=[])
    p.set_metronome(True)
    p.load(song)
    assert song.tracks == []
    p.play()
    audio = []
    for _ in range(380):  # 2 s at 120 BPM (one 4/4 bar) in 256-frame blocks
        p.fill()
        audio.append(output.pull(BLOCK))
    audio = np.abs(np.concatenate(audio)).max(axis=1)
    latency = p._renderer.latency
    for beat in range(4):
        onset = beat * 24000 + latency
        before, after = audio[max(0, onset - 480):onset].max(initial=0), audio[onset:onset + 480].max()
        assert after > 0.05 and after > 3 * before  # a click starts exactly on the beat


def test_preview_plays_over_silence_once(player):
    p, output = player
    click = np.zeros((480, 1), np.float32)
    click[:10] = 0.5
    p.preview(click, 24000)  # mono at half the rate: resampled to 960 stereo frames
    first = output.pull(BLOCK)
    assert first[:20].max() == pytest.approx(0.5, abs=0.05) and first[:, 0].tolist() == first[:, 1].tolist()
    for _ in range(3):
        output.pull(BLOCK)
    assert not output.pull(BLOCK).any()  # heard once, then gone


def test_preview_note_uses_the_track_instrument(player):
    p, output = player
    p.preview_track = song_with_notes().tracks[0]
    p.preview_note(69)
    assert not output.pull(BLOCK).any()  # the worker renders it, not the caller (the UI thread)
    p.fill()
    audio = np.concatenate([output.pull(BLOCK) for _ in range(40)])[:, 0]
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    peak_hz = np.argmax(spectrum) * 48000 / len(audio)
    assert abs(peak_hz - 440) < 10
