"""What a sample is: its format, level and length, one-shot or loop, a loop's tempo, a one-shot's pitch.

Everything is measured with numpy on the decoded audio, in a few milliseconds
for a typical sample, so indexing a large collection stays a matter of
minutes. The rules, chosen to be predictable rather than clever:

* loudness is RMS in dBFS, gated as EBU R128 gates (blocks under -70 dBFS and
  blocks 10 dB under the mean are ignored) but without K-weighting, so a
  one-shot's fading tail does not make it read quieter; a full-scale sine reads
  -3 dBFS.
* loop or one-shot: the words of the name decide first ("loop" or "loops":
  loop; "oneshot", "shot", "hit" and their plurals: one-shot; the file's own
  words before its folders'). Otherwise a sample is a loop when it lasts at
  least 1.2 s (a bar at 200 BPM), its energy stays up (its last quarter is
  within 12 dB of its mean power) and its onsets repeat (the autocorrelation
  of its onset strength reaches 0.3 somewhere from 60 to 200 BPM). A long
  sustained note is therefore a one-shot, a drum groove a loop.
* a loop's tempo: loops are cut to whole bars, so the candidates are the
  tempos from 60 to 200 BPM that put 4, 8, 16 or 32 beats in its length, kept
  when the autocorrelation at their beat is at least half its top. Of those,
  a faster one wins over a slower one when its pulse is at least half as
  strong. A loop of no whole-bar length gets the autocorrelation's strongest
  tempo, doubled by the same rule. What stays ambiguous is the octave: hats
  on sixteenths at 80 BPM can read as 160.
* a one-shot's root: the fundamental of up to 0.5 s after the attack, by
  autocorrelation (30 Hz to 2 kHz), as a MIDI note number. Noise and drums
  have none: the spectrum must not be flat (flatness under 0.3) and the sound
  must repeat itself (an autocorrelation peak of 0.6 or more).
* Files longer than 10 minutes, or over 200 MB once decoded, are refused
  without being decoded: they are songs or recordings, not samples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from cowrite.io.errors import FileProblem
from cowrite.io.files import GiB, open_regular

MAX_SECONDS = 600.0
MAX_DECODED_BYTES = 200 * 2**20  # float32 frames times channels
SAMPLE_LIMIT = GiB  # the file itself: 600 s of 8-channel 64-bit float is 0.3 GiB
LOOP_MIN_SECONDS = 1.2  # a bar of 4/4 at 200 BPM
LOOP_WORDS = frozenset({"loop", "loops"})
ONE_SHOT_WORDS = frozenset({"oneshot", "oneshots", "shot", "shots", "hit", "hits"})
TEMPO_SPAN_SECONDS = 30.0  # a tempo is read from the first 30 s; loops are shorter
BAR_BEATS = (4, 8, 16, 32)  # loops are whole bars of 4/4
FASTER = 0.5  # of two tempos an octave apart, the faster wins when its pulse is at least this strong
RIPPLE_FRAMES = 3  # onset frames compare with the loudest of this many before them
FLOOR_DB = -120.0


@dataclass(frozen=True)
class Analysis:
    format: str  # libsndfile's name: WAV, AIFF, FLAC, OGG, MP3...
    sample_rate: int
    channels: int
    frames: int
    duration: float
    peak_db: float
    loudness_db: float
    kind: str  # "one-shot" or "loop"
    bpm: float | None  # loops only
    root: int | None  # tonal one-shots only: a MIDI note number


def analyse(path: str | Path, tags: Sequence[str] = (), max_seconds: float = MAX_SECONDS) -> Analysis:
    """Measure the audio file at `path`; `tags` are its name's words, file first. FileProblem if unreadable."""
    with open_regular(path, SAMPLE_LIMIT, "sample") as f:  # never a FIFO or a device; any file name
        try:
            with soundfile.SoundFile(f.fileno(), closefd=False) as sound:
                _check_size(path, sound, max_seconds)
                audio, rate, container = sound.read(dtype="float32", always_2d=True), sound.samplerate, sound.format
        except (soundfile.LibsndfileError, RuntimeError) as e:
            raise FileProblem(path, f"cannot read it as audio ({_reason(e)})") from None
    if len(audio) == 0:
        raise FileProblem(path, "holds no audio")
    if not np.isfinite(audio).all():
        raise FileProblem(path, "holds broken samples (not a number, or infinite)")
    mono = audio.mean(axis=1)
    power = np.square(audio, dtype=np.float64).mean(axis=1)
    kind, bpm = _kind_and_tempo(mono, power, rate, tags)
    return Analysis(format=container, sample_rate=rate, channels=audio.shape[1], frames=len(audio),
                    duration=len(audio) / rate, peak_db=_db(float(np.abs(audio).max()) ** 2),
                    loudness_db=_loudness(power, rate), kind=kind, bpm=bpm,
                    root=_root(mono, rate) if kind == "one-shot" else None)


def _check_size(path: str | Path, sound: soundfile.SoundFile, max_seconds: float) -> None:
    """Refuse, before decoding, audio that is empty, too long, or too big once decoded."""
    if sound.frames <= 0:
        raise FileProblem(path, "holds no audio")
    duration = sound.frames / sound.samplerate
    if duration > max_seconds:
        raise FileProblem(path, f"longer than the {_limit(max_seconds)} limit ({duration:.0f} s)")
    if sound.frames * sound.channels * 4 > MAX_DECODED_BYTES:
        raise FileProblem(path, f"over {MAX_DECODED_BYTES >> 20} MB once decoded")


def _reason(error: Exception) -> str:
    message = str(getattr(error, "error_string", error))
    # libsndfile's MP3 reader reports a file it cannot parse as one that does not exist
    return "not a format it knows, or damaged" if "does not exist" in message else message.rstrip(".")


def _limit(seconds: float) -> str:
    return f"{seconds / 60:g}-minute" if seconds >= 60 else f"{seconds:g}-second"


def _db(power: float) -> float:
    return round(max(FLOOR_DB, 10 * math.log10(power)) if power > 0 else FLOOR_DB, 2)


def _loudness(power: np.ndarray, rate: int) -> float:
    block = max(1, rate // 10)
    count = len(power) // block
    blocks = power[:count * block].reshape(count, block).mean(axis=1) if count else np.array([power.mean()])
    blocks = blocks[blocks > 1e-7]  # -70 dBFS
    if len(blocks) == 0:
        return FLOOR_DB
    return _db(float(blocks[blocks > blocks.mean() * 0.1].mean()))


def _kind_and_tempo(mono: np.ndarray, power: np.ndarray, rate: int, tags: Sequence[str]) -> tuple[str, float | None]:
    named = next((w for w in tags if w in LOOP_WORDS or w in ONE_SHOT_WORDS), None)
    duration = len(mono) / rate
    if named in ONE_SHOT_WORDS or (named is None and duration < LOOP_MIN_SECONDS):
        return "one-shot", None
    if named is None and power[-(len(power) // 4):].mean() < power.mean() * 10 ** -1.2:
        return "one-shot", None  # it dies away
    envelope, envelope_rate = _onset_strength(mono[:int(TEMPO_SPAN_SECONDS * rate)], rate)
    bpm, strength = _tempo(envelope, envelope_rate, duration)
    if bpm is None or strength < 0.3:  # nothing repeats: a long note, a texture
        return ("one-shot" if named is None else "loop"), None
    return "loop", round(bpm, 2)


def _onset_strength(mono: np.ndarray, rate: int) -> tuple[np.ndarray, float]:
    """How much new sound starts in each 10 ms: the spectral flux under 3 kHz of ~45 ms frames.

    Only the band where kicks, snares and basses live counts: summed over all
    bins, hats and shakers (broadband, on every eighth) drown the beat. Each
    frame is compared with the loudest of the 3 before it, not just the last,
    so the shimmer of a held low note (harmonics beating within a bin) is not
    mistaken for a rhythm.
    """
    hop = max(1, rate // 100)
    size = 1 << max(6, math.ceil(math.log2(rate * 0.04)))
    padded = np.concatenate([np.zeros(size // 2, np.float32), mono, np.zeros(size, np.float32)])
    frames = np.lib.stride_tricks.sliding_window_view(padded, size)[::hop]
    magnitude = np.abs(np.fft.rfft(frames * np.hanning(size).astype(np.float32), axis=1)[:, :3000 * size // rate])
    padded = np.concatenate([np.zeros((RIPPLE_FRAMES, magnitude.shape[1]), np.float32), magnitude])
    before = np.maximum.reduce([padded[i:i + len(magnitude)] for i in range(RIPPLE_FRAMES)])
    return np.maximum(magnitude - before, 0).sum(axis=1), rate / hop


def _tempo(envelope: np.ndarray, envelope_rate: float, duration: float) -> tuple[float | None, float]:
    """(tempo in BPM or None, how strongly the onsets repeat: the autocorrelation's top, 0..1)."""
    acf = _autocorrelation(envelope - envelope.mean())
    shortest, longest = int(envelope_rate * 60 / 200), min(len(acf) - 2, math.ceil(envelope_rate * 60 / 60))
    if acf[0] <= 0 or longest <= shortest:
        return None, 0.0
    acf = acf / acf[0]
    top = float(acf[shortest:longest + 1].max())

    def height(bpm: float) -> float:
        lag = round(60 * envelope_rate / bpm)
        return float(acf[lag - 1:lag + 2].max())

    whole_bars = [beats * 60 / duration for beats in BAR_BEATS if 60 <= beats * 60 / duration <= 200]
    fitting = [bpm for bpm in whole_bars if height(bpm) >= 0.5 * top]
    if fitting:  # slowest first; a faster one wins when its pulse is at least half as strong
        best = fitting[0]
        for bpm in fitting[1:]:
            if height(bpm) >= FASTER * height(best):
                best = bpm
        return best, top
    lag = shortest + int(np.argmax(acf[shortest:longest + 1]))
    half = round(lag / 2)
    if half >= shortest and acf[half] >= FASTER * acf[lag]:
        lag = half + int(np.argmax(acf[half - 1:half + 2])) - 1
    return float(60 * envelope_rate / _refine(acf, lag)), top


def _fft_size(n: int) -> int:
    """The power of two at or above n: numpy's FFT is several times slower on other lengths."""
    return 1 << max(0, math.ceil(math.log2(n)))


def _autocorrelation(x: np.ndarray) -> np.ndarray:
    """Linear (not circular) autocorrelation for lags 0..len-1, by FFT."""
    size = _fft_size(2 * len(x))
    return np.fft.irfft(np.abs(np.fft.rfft(x, size)) ** 2, size)[:len(x)]


def _refine(curve: np.ndarray, i: int) -> float:
    """The peak near integer index i, to a fraction of a step, from the parabola through its neighbours."""
    if not 0 < i < len(curve) - 1 or not curve[i - 1] <= curve[i] >= curve[i + 1]:
        return float(i)
    a, b, c = curve[i - 1], curve[i], curve[i + 1]
    bend = a - 2 * b + c
    return i + (0.5 * (a - c) / bend if bend < 0 else 0.0)


def _root(mono: np.ndarray, rate: int) -> int | None:
    start = int(np.argmax(np.abs(mono))) + int(0.03 * rate)  # past the attack's click
    part = mono[start:start + rate // 2]
    if len(part) < 0.05 * rate:
        part = mono[-int(0.05 * rate):]
    if len(part) < rate / 30 * 2:
        return None
    part = (part - part.mean()) * np.hanning(len(part)).astype(np.float32)
    size = _fft_size(2 * len(part))
    power = np.abs(np.fft.rfft(part, size)) ** 2 + 1e-20
    band = power[int(30 * size / rate):int(min(rate / 2, 16000) * size / rate)]
    if np.exp(np.mean(np.log(band))) / np.mean(band) > 0.3:
        return None  # noise-like
    acf = np.fft.irfft(power, size)[:len(part)]
    acf = acf / acf[0]
    below = np.flatnonzero(acf < 0)
    if len(below) == 0:
        return None
    first, last = max(int(below[0]), rate // 2000), min(len(acf) - 2, rate // 30)
    if last <= first:
        return None
    window = acf[first:last + 1]
    best = float(window.max())
    if best < 0.6:
        return None  # does not repeat: not a pitch
    peaks = np.flatnonzero((window[1:-1] >= 0.9 * best) & (window[1:-1] >= window[:-2]) & (window[1:-1] >= window[2:]))
    lag = first + 1 + int(peaks[0]) if len(peaks) else first + int(np.argmax(window))
    pitch = 69 + 12 * math.log2(rate / _refine(acf, lag) / 440)
    return min(127, max(0, round(pitch)))
