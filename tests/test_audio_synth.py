"""The audio engine's voices: synth presets in tune and shaped as designed, GM mapping, the drum kits."""

import importlib.util
import wave

import numpy as np
import pytest

from cowrite.assets import asset_path
from cowrite.audio.pcm import encode_wav, read_wav
from cowrite.audio.sampler import GM_DRUMS, KITS, ONE_SHOT, VOICES, Sampler, kit_for
from cowrite.audio.synth import PRESET_NAMES, PRESETS, Synth, gm_preset, preset_for
from cowrite.audio.voice import render_note
from cowrite.model import Track, TrackKind

SR = 48000


def synth_note(preset: str, pitch: int = 69, velocity: int = 100, seconds: float = 2.0):
    """(samples, gate, length) of one note of `preset` held for `seconds`."""
    synth = Synth.load(SR)
    program = PRESET_NAMES.index(preset)
    gate = round(seconds * SR)
    length = int(synth.length(program, pitch, gate))
    return render_note(synth, program, pitch, velocity, gate, length), gate, length


def spectrum(x: np.ndarray):
    """(frequencies, power) of `x`, Hann-windowed and zero-padded for fine bins."""
    size = 1 << 20
    power = np.abs(np.fft.rfft(x * np.hanning(len(x)), size)) ** 2
    return np.fft.rfftfreq(size, 1 / SR), power


def pitch_of(x: np.ndarray, near: float) -> tuple[float, float]:
    """(strongest frequency, power-weighted centre of the band within 40 cents of `near`)."""
    freq, power = spectrum(x)
    band = np.abs(1200 * np.log2(np.maximum(freq, 1) / near)) < 40
    return freq[power.argmax()], float((freq[band] * power[band]).sum() / power[band].sum())


def cents(f: float, ref: float) -> float:
    return 1200 * np.log2(f / ref)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_a_sustained_a4_sounds_at_440_hz(preset):
    x, gate, _ = synth_note(preset)
    strongest, centre = pitch_of(x[SR // 2:gate], 440.0)
    assert abs(cents(strongest, 440.0)) < 40, f"{preset}: the strongest partial is at {strongest:.1f} Hz"
    assert abs(cents(centre, 440.0)) < 3, f"{preset}: {centre:.2f} Hz"


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_other_pitches_are_in_tune_too(preset):
    for pitch in (33, 57, 81):  # A1, A3, A5
        f = 440.0 * 2 ** ((pitch - 69) / 12)
        x, gate, _ = synth_note(preset, pitch, seconds=1.5)
        assert abs(cents(pitch_of(x[SR // 2:gate], f)[1], f)) < 3, (preset, pitch)


@pytest.mark.parametrize("preset", ["keys", "bass", "sub", "pluck"])
def test_struck_sounds_decay_while_held(preset):
    x, _, _ = synth_note(preset)
    assert rms(x[int(0.05 * SR):int(0.15 * SR)]) > 1.3 * rms(x[int(1.7 * SR):int(1.9 * SR)])


def test_the_pad_swells_in_and_the_pluck_dies_away():
    pad, _, _ = synth_note("pad")
    assert rms(pad[:int(0.1 * SR)]) < 0.3 * rms(pad[SR:int(1.5 * SR)])
    pluck, _, _ = synth_note("pluck")
    assert rms(pluck[int(1.8 * SR):2 * SR]) < 0.05 * rms(pluck[:int(0.2 * SR)])


def test_the_filter_envelope_darkens_the_keys():
    """Later in the note, less of the energy is above 2 kHz than at the attack."""
    x, _, _ = synth_note("keys", pitch=57)

    def bright(part):
        freq, power = spectrum(part)
        return power[freq > 2000].sum() / power.sum()
    assert bright(x[int(1.5 * SR):int(1.8 * SR)]) < 0.3 * bright(x[:int(0.3 * SR)])


def test_the_808_sub_drops_into_its_note():
    x, _, _ = synth_note("sub", pitch=45)
    zero_crossings = np.flatnonzero(np.diff(np.signbit(x)))
    periods = np.diff(zero_crossings[::2]) / SR
    assert 1 / periods[0] > 150  # starts high (A2 is 110 Hz)...
    assert abs(cents(1 / np.median(periods[-50:-10]), 110.0)) < 10  # ...and settles on A2


@pytest.mark.parametrize("preset", PRESET_NAMES)
def test_silent_before_note_on_and_after_the_release(preset):
    synth = Synth.load(SR)
    program = PRESET_NAMES.index(preset)
    gate = SR // 2
    length = int(synth.length(program, 60, gate))
    assert 0 <= length - gate - PRESETS[preset].release * SR <= 1
    x = synth.render(np.arange(-1000, length + 1000), program, 60, 127, gate)
    assert not x[:1000].any() and np.abs(x[-1000:]).max() < 1e-9  # -180 dB: the release has ended
    assert np.abs(x[1000:1000 + gate]).max() > 0.05
    assert rms(x[1000 + length - 500:1000 + length]) < 0.01 * rms(x[1000 + gate - 500:1000 + gate])


def test_velocity_sets_loudness():
    soft, _, _ = synth_note("keys", velocity=40)
    hard, _, _ = synth_note("keys", velocity=120)
    assert rms(hard) > 4 * rms(soft)


def test_a_block_of_voices_matches_the_notes_rendered_one_by_one():
    """The real-time path (many voices, one call) and the offline path (one note) give the same samples."""
    synth = Synth.load(SR)
    program = np.array([[0], [2], [3], [5]])
    pitch, velocity, gate = np.array([[60], [36], [64], [72]]), np.array([[90], [127], [60], [100]]), SR // 4
    n = np.arange(3000, 3256) + np.array([[0], [100], [-3100], [5000]])
    block = synth.render(n, program, pitch, velocity, gate)
    for row in range(4):
        alone = synth.render(n[row], int(program[row, 0]), int(pitch[row, 0]), int(velocity[row, 0]), gate)
        np.testing.assert_allclose(block[row], alone, atol=1e-6)


def test_gm_programs_map_to_the_closest_preset():
    expected = {0: "keys", 4: "keys", 19: "keys", 25: "pluck", 33: "bass", 34: "bass", 38: "sub", 39: "sub",
                46: "pluck", 48: "pad", 56: "lead", 73: "lead", 81: "lead", 89: "pad", 95: "pad", 105: "pluck"}
    for program, preset in expected.items():
        assert gm_preset(program) == preset, program
    assert {gm_preset(p) for p in range(128)} <= set(PRESETS)


def test_a_tracks_own_preset_wins_over_its_program_but_default_keys_defers():
    assert preset_for(Track("t1", "Bass", preset="pad", program=33)) == "pad"
    assert preset_for(Track("t1", "Bass", preset="keys", program=33)) == "bass"  # an import's default
    assert preset_for(Track("t1", "Piano", preset="keys", program=1)) == "keys"
    assert preset_for(Track("t1", "Strings", preset="my-strings", program=48)) == "pad"
    drums = Track("t2", "Drums", kind=TrackKind.DRUMS, preset="drum-kit")
    assert kit_for(drums) == "studio"
    drums.preset = "808"
    assert kit_for(drums) == "808"


# -- the sampler and its kits ---------------------------------------------------------

@pytest.mark.parametrize("kit", KITS)
def test_every_kit_ships_every_voice_as_48k_24_bit(kit):
    for voice in VOICES:
        with wave.open(str(asset_path("kits", kit, f"{voice}.wav"))) as w:
            assert (w.getframerate(), w.getsampwidth(), w.getnchannels()) == (48000, 3, 1)
            assert 0.05 * SR < w.getnframes() < 3 * SR


@pytest.mark.parametrize("kit", KITS)
def test_every_gm_key_of_the_kit_map_sounds(kit):
    sampler = Sampler.load(SR)
    sounds = sampler.drum_sounds(kit)
    for key in (36, 38, 40, 39, 42, 44, 46, 41, 43, 45, 47, 48, 50, 49, 57, 51, 59, 37, 70, 82, 56):
        sound = sounds[key]
        assert VOICES[sound % len(VOICES)] == GM_DRUMS[key]
        length = int(sampler.length(sound, key, ONE_SHOT))
        hit = sampler.render(np.arange(length), sound, key, 100, ONE_SHOT)
        assert np.abs(hit).max() > 0.05, (kit, key)
    assert sounds[0] == -1 and sounds[100] == -1


def test_velocity_scales_a_one_shot():
    sampler = Sampler.load(SR)
    kick = sampler.drum_sounds("studio")[36]
    n = np.arange(2000)
    np.testing.assert_allclose(sampler.render(n, kick, 36, 64, ONE_SHOT),
                               sampler.render(n, kick, 36, 127, ONE_SHOT) * (64 / 127) ** 2, atol=1e-6)


def test_a_closed_hat_chokes_the_open_hat():
    sampler = Sampler.load(SR)
    sounds = sampler.drum_sounds("studio")
    hits = sounds[[46, 36, 42, 46]]
    gates = sampler.one_shot_gates(hits, np.array([0, 100, 12000, 12000]))
    assert list(gates) == [12000, ONE_SHOT, ONE_SHOT, ONE_SHOT]  # a hit at the same instant does not choke
    open_hat = hits[0]
    choked = sampler.render(np.arange(SR), open_hat, 46, 100, 12000)
    ringing = sampler.render(np.arange(SR), open_hat, 46, 100, ONE_SHOT)
    assert rms(ringing[13000:20000]) > 0.01
    assert not choked[13000:].any()  # silent 20 ms after the closed hat
    np.testing.assert_array_equal(choked[:12000], ringing[:12000])


def test_the_808_preset_plays_the_boom_kick_across_the_keyboard():
    sampler = Sampler.load(SR)
    sound = sampler.pitched_sound("808")
    low = sampler.render(np.arange(SR), sound, 31, 100, SR)  # the root, G1 = 49 Hz
    high = sampler.render(np.arange(SR), sound, 43, 100, SR)  # an octave up
    assert abs(cents(pitch_of(low[SR // 4:], 49.0)[1], 49.0)) < 10
    assert abs(cents(pitch_of(high[SR // 4:], 98.0)[1], 98.0)) < 10
    assert sampler.length(sound, 43, ONE_SHOT) * 2 == pytest.approx(sampler.length(sound, 31, ONE_SHOT), abs=2)


def test_drum_hits_play_at_their_recorded_pitch_even_in_the_boom_kit():
    sampler = Sampler.load(SR)
    kick = sampler.drum_sounds("808-boom")[36]
    recorded = read_wav(asset_path("kits", "808-boom", "kick.wav"))[0][:, 0]
    assert sampler.length(kick, 36, ONE_SHOT) == len(recorded)
    np.testing.assert_allclose(sampler.render(np.arange(len(recorded)), kick, 36, 127, ONE_SHOT), recorded)


def test_the_shipped_kits_are_what_make_kits_writes():
    spec = importlib.util.spec_from_file_location("make_kits", asset_path("kits", "make_kits.py"))
    make_kits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_kits)
    for kit, (make, _) in make_kits.KITS.items():
        for voice, (samples, peak) in make().items():
            expected = encode_wav(make_kits.finish(samples, peak), make_kits.RATE)
            assert asset_path("kits", kit, f"{voice}.wav").read_bytes() == expected, (kit, voice)
