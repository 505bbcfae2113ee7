"""Offline rendering and WAV export: sample-accurate onsets, the limiter, stems, mute/solo, pan, files."""

import hashlib
import wave

import numpy as np
import pytest

from cowrite.audio import BlockRenderer, export_stems, export_wav, render_song
from cowrite.audio.mixer import Limiter, limit
from cowrite.audio.pcm import read_wav
from cowrite.audio.wav import file_stem
from cowrite.io.errors import FileProblem
from cowrite.model import PPQ, Note, Origin, TempoChange, TempoMap, Track, TrackKind
from tests.conftest import new_song

SR = 48000
ANA = Origin("person:Ana")
CEILING = 10 ** (-0.3 / 20)


def track(track_id: str, notes, **settings) -> Track:
    """A track holding (pitch, start tick, duration ticks, velocity) notes."""
    t = Track(track_id, settings.pop("name", track_id), **settings)
    t.notes = {i: Note(i, *n, ANA) for i, n in enumerate(notes, 1000 * len(track_id) + hash(track_id) % 1000)}
    return t


def song_of(*tracks, bars: int = 1, tempo=None):
    song = new_song(length_bars=bars, **({"tempo": tempo} if tempo else {}))
    song.tracks = list(tracks)
    return song


def onsets(x: np.ndarray, threshold: float = 1e-3, gap: int = SR // 20) -> list[int]:
    """Samples where the signal rises above `threshold` after at least `gap` quieter samples."""
    loud = np.flatnonzero(np.abs(x).max(axis=1) > threshold)
    return [int(loud[0])] + [int(b) for a, b in zip(loud, loud[1:]) if b - a > gap] if len(loud) else []


def test_onsets_are_sample_accurate_across_a_tempo_change():
    """Drum clicks and short synth notes on separate tracks start within 1 ms of their tick's exact time."""
    tempo = TempoMap([TempoChange(0, 120.0), TempoChange(2 * 4 * PPQ, 90.0)])
    ticks = [0, 480, 1440, 3840, 6000, 7680, 8160, 9000, 11520]

    def expected(tick):  # 120 BPM: 0.5 s a beat for two bars (4 s), then 90 BPM: 2/3 s a beat
        return round(SR * (tick / PPQ * 0.5 if tick < 7680 else 4.0 + (tick - 7680) / PPQ * 60 / 90))
    rim = track("rim", [(37, t, 60, 110) for t in ticks], kind=TrackKind.DRUMS, preset="drum-kit")
    pluck = track("pluck", [(72, t + 240, 60, 110) for t in ticks], preset="pluck")
    mix = render_song(song_of(rim, pluck, bars=4, tempo=tempo))
    for track_id, offset in (("rim", 0), ("pluck", 240)):
        found = onsets(mix.stems[track_id])
        assert len(found) == len(ticks), track_id
        for tick, sample in zip(ticks, found):
            assert abs(sample - expected(tick + offset)) <= SR // 1000, (track_id, tick, sample)


def test_the_limiter_keeps_sixteen_loud_tracks_below_the_ceiling():
    presets = ["keys", "bass", "sub", "pad", "lead", "pluck"]
    tracks = [track(f"t{i}", [(36 + 3 * i + k, 0, 4 * PPQ, 127) for k in (0, 4, 7)], preset=presets[i % 6],
                    volume=1.0, pan=(i % 3 - 1) * 0.5) for i in range(15)]
    tracks.append(track("drums", [(36, b * PPQ, 120, 127) for b in range(4)], kind=TrackKind.DRUMS, volume=1.0))
    mix = render_song(song_of(*tracks))
    peak = np.abs(mix.audio).max()
    assert peak <= CEILING * (1 + 1e-6) < 1.0
    assert peak > CEILING * 10 ** (-0.5 / 20)  # it limits, it does not just turn down
    assert mix.gain.min() < 0.3


def test_the_limiter_on_a_wild_signal():
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((SR, 2)) * np.repeat(rng.uniform(0.1, 8, 100), SR // 100)[:, None]).astype(np.float32)
    gain = limit(x, SR)
    assert (np.abs(x).max(axis=1) * gain <= CEILING * (1 + 1e-6)).all()
    quiet = np.zeros((SR, 2), np.float32)
    quiet[::100] = 0.5
    assert (limit(quiet, SR) == 1).all()


def test_the_limiter_streams_the_same_gains_in_blocks():
    rng = np.random.default_rng(2)
    peaks = np.abs(rng.standard_normal(20000) * 2).astype(np.float32)
    whole = Limiter(SR).gains(peaks)
    streaming = Limiter(SR)
    blocks = np.concatenate([streaming.gains(peaks[i:i + 256]) for i in range(0, len(peaks), 256)])
    np.testing.assert_allclose(blocks, whole, rtol=1e-6)


def test_stems_add_up_to_the_mix():
    song = song_of(track("keys", [(60, 0, 960, 100), (64, 960, 960, 100)], pan=-0.3),
                   track("bass", [(36, 0, 1920, 120)], preset="bass", pan=0.4),
                   track("drums", [(36, 0, 60, 127), (42, 480, 60, 90), (38, 960, 60, 110)], kind=TrackKind.DRUMS),
                   track("808", [(33, 1920, 960, 120)], preset="808"))
    mix = render_song(song)
    assert set(mix.stems) == {"keys", "bass", "drums", "808"}
    assert all(np.abs(stem).max() > 0.01 for stem in mix.stems.values())
    assert np.abs(sum(mix.stems.values()) - mix.audio).max() < 1e-5


def test_mute_and_solo():
    a, b, c = (track(n, [(60 + i, 0, 960, 100)]) for i, n in enumerate("abc"))
    song = song_of(a, b, c)
    b.mute = True
    assert set(render_song(song).stems) == {"a", "c"}
    np.testing.assert_array_equal(render_song(song).audio, render_song(song_of(a, c)).audio)
    b.solo = True  # solo wins over its own mute, and silences the others
    mix = render_song(song)
    assert set(mix.stems) == {"b"}
    assert np.abs(mix.audio).max() > 0.01
    b.mute = b.solo = False
    c.solo = True
    assert set(render_song(song).stems) == {"c"}


@pytest.mark.parametrize("pan, loud, silent", [(-1.0, 0, 1), (1.0, 1, 0)])
def test_pan_places_a_track_left_or_right(pan, loud, silent):
    mix = render_song(song_of(track("k", [(60, 0, 960, 100)], pan=pan)))
    assert np.abs(mix.audio[:, loud]).max() > 0.05
    assert np.abs(mix.audio[:, silent]).max() < 1e-6


def test_centre_pan_is_equal_power():
    mix = render_song(song_of(track("k", [(60, 0, 960, 100)], pan=0.0, volume=0.5)))
    np.testing.assert_array_equal(mix.audio[:, 0], mix.audio[:, 1])
    alone = render_song(song_of(track("k", [(60, 0, 960, 100)], pan=-1.0, volume=0.5))).audio[:, 0]
    assert np.abs(mix.audio[:, 0]).max() == pytest.approx(np.abs(alone).max() * np.sqrt(0.5), rel=1e-5)


def test_the_render_lasts_until_the_last_release_ends_or_the_song_ends():
    pad = track("pad", [(60, 3 * PPQ, PPQ, 100)], preset="pad")  # the last beat of a one-bar song
    mix = render_song(song_of(pad))
    assert abs(len(mix.audio) - (1.5 + 0.5 + 1.2) * SR) <= 1  # onset + gate + release
    assert np.abs(mix.audio[-2000:]).max() < 1e-3 < np.abs(mix.audio[-SR:]).max()
    short = render_song(song_of(track("k", [(60, 0, 240, 100)]), bars=2))
    assert len(short.audio) == 4 * SR  # two bars at 120 BPM
    assert len(render_song(song_of()).audio) == 2 * SR  # an empty song: its bars of silence


def test_blocks_of_256_frames_play_what_the_offline_render_exports():
    song = song_of(track("keys", [(60, 0, 960, 100), (67, 480, 1440, 80)], pan=0.5),
                   track("drums", [(36, 0, 60, 127), (46, 480, 60, 90), (42, 720, 60, 90)], kind=TrackKind.DRUMS),
                   track("pad", [(48, 0, 3840, 110), (55, 0, 3840, 110)], preset="pad", pan=-0.5))
    offline = render_song(song).audio
    player = BlockRenderer(song)
    blocks = np.concatenate([player.render_block(256) for _ in range((len(offline) + player.latency) // 256 + 1)])
    np.testing.assert_allclose(blocks[player.latency:player.latency + len(offline)], offline, atol=1e-5)
    player.seek(SR)
    np.testing.assert_allclose(np.concatenate([player.render_block(256) for _ in range(8)])[player.latency:],
                               offline[SR:SR + 2048 - player.latency], atol=1e-5)


# -- WAV files -------------------------------------------------------------------------

def demo_like_song():
    return song_of(track("Lead", [(69, 0, 720, 96), (72, 720, 240, 96), (71, 960, 960, 96)], preset="lead"),
                   track("Drums", [(36, 0, 60, 110), (42, 480, 60, 80), (38, 960, 60, 100), (46, 1440, 60, 80)],
                         kind=TrackKind.DRUMS),
                   track("Bass", [(45, 0, 960, 110), (40, 960, 960, 100)], preset="bass"),
                   track("Keys", [(57, 0, 1920, 70), (60, 0, 1920, 70), (64, 0, 1920, 70)], preset="pad"))


def test_export_wav_is_48k_24_bit_stereo_and_deterministic(tmp_path):
    song = demo_like_song()
    first, second = export_wav(song, tmp_path / "a.wav"), export_wav(song, tmp_path / "b.wav")
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    mix = render_song(song)
    with wave.open(str(first)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (2, 3, 48000, len(mix.audio))
    audio, rate = read_wav(first)
    assert rate == SR
    assert np.abs(audio - mix.audio).max() <= 1 / (1 << 23)
    assert 0.05 < np.abs(audio).max() < 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.wav", "b.wav"]  # no temp files left


def test_export_stems_writes_one_file_per_track_and_the_mix(tmp_path):
    song = demo_like_song()
    song.tracks[1].name = "Drums/Perc"
    song.tracks[2].name = "Keys"  # two tracks named Keys
    paths = export_stems(song, tmp_path / "stems")
    assert [p.name for p in paths] == ["Lead.wav", "Drums_Perc.wav", "Keys.wav", "Keys 2.wav", "mix.wav"]
    stems = [read_wav(p)[0] for p in paths[:-1]]
    assert np.abs(sum(stems) - read_wav(paths[-1])[0]).max() < 4 / (1 << 23)


def test_file_names_from_track_names():
    assert file_stem("Lead: take 2?") == "Lead_ take 2_"
    assert file_stem("../..") == "_"
    assert file_stem("  ") == "track"
    assert file_stem("con") == "_con"
    assert file_stem("Bässe & Pads") == "Bässe & Pads"


def test_exports_to_missing_or_impossible_places_fail_cleanly(tmp_path):
    song = demo_like_song()
    with pytest.raises(FileProblem) as missing:
        export_wav(song, tmp_path / "nowhere" / "mix.wav")
    assert "does not exist" in str(missing.value) and "\n" not in str(missing.value)
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(FileProblem) as blocked:
        export_stems(song, tmp_path / "a-file" / "stems")
    assert "cannot create the folder" in str(blocked.value) and "\n" not in str(blocked.value)
    with pytest.raises(FileProblem):
        export_wav(song, tmp_path / "a-file" / "mix.wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
