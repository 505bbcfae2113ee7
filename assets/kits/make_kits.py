"""Synthesize Cowrite's built-in drum kits into assets/kits/<kit>/<voice>.wav (48 kHz, 24-bit, mono).

    .venv/bin/python assets/kits/make_kits.py

Every sound is made here from sines, band-limited square waves and seeded
noise, shaped by envelopes and zero-phase FFT filters: no recording or sample
pack is used, so the kits are the project's own (CC0, see CARD.md). The noise is
seeded by kit and voice, so running the script again writes identical files.

Kits: `studio` (an acoustic-leaning kit), `808` (the classic drum machine
voices) and `808-boom` (a deeper 808 with a long, driven kick that the `808`
instrument preset also plays across the keyboard; its root is in kit.json).
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from cowrite.audio.pcm import encode_wav

HERE = Path(__file__).resolve().parent
RATE = 48000
#: The six square-wave oscillators of the TR-808's cymbals and hats, in Hz.
METAL_808 = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)


def times(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * RATE)) / RATE


def decay(t: np.ndarray, tau: float) -> np.ndarray:
    return np.exp(-t / tau)


def noise(t: np.ndarray, name: str) -> np.ndarray:
    """White noise seeded by the sound's name, so every run writes the same file."""
    return np.random.default_rng(zlib.crc32(name.encode())).standard_normal(len(t))


def band(x: np.ndarray, low: float | None = None, high: float | None = None, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth-shaped band-pass (either edge optional), applied in the frequency domain."""
    freq = np.fft.rfftfreq(len(x), 1 / RATE)
    response = np.ones_like(freq)
    if low:
        response /= np.sqrt(1 + (low / np.maximum(freq, 1e-9)) ** (2 * order))
    if high:
        response /= np.sqrt(1 + (freq / high) ** (2 * order))
    return np.fft.irfft(np.fft.rfft(x) * response, len(x))


def sweep(t: np.ndarray, start_hz: float, end_hz: float, tau: float) -> np.ndarray:
    """A sine gliding from start_hz to end_hz with time constant tau: a drum skin's pitch drop."""
    cycles = end_hz * t + (start_hz - end_hz) * tau * (1 - np.exp(-t / tau))
    return np.sin(2 * np.pi * cycles)


def metal(t: np.ndarray, freqs, scale: float = 1.0) -> np.ndarray:
    """Band-limited square waves at inharmonic frequencies: the clang of cymbals and cowbells."""
    out = np.zeros_like(t)
    for f in np.asarray(freqs) * scale:
        for k in range(1, int(20000 / f) + 1, 2):
            out += np.sin(2 * np.pi * k * f * t) / k
    return out


def bursts(t: np.ndarray, count: int, gap: float, tau: float, tail: float) -> np.ndarray:
    """A clap's envelope: a few quick bursts (several hands), then a room-like tail."""
    env = sum((t >= k * gap) * decay(np.maximum(t - k * gap, 0), tau) for k in range(count))
    last = (count - 1) * gap
    return env + (t >= last) * decay(np.maximum(t - last, 0), tail)


def studio() -> dict[str, tuple[np.ndarray, float]]:
    """An acoustic-leaning kit: each voice as (samples, peak level)."""
    s = {}
    t = times(0.7)
    click = band(noise(t, "studio/kick"), 1500, 6000) * decay(t, 0.004)
    s["kick"] = sweep(t, 160, 52, 0.035) * decay(t, 0.22) + 0.3 * click, 0.95
    t = times(0.5)
    tone = 0.6 * np.sin(2 * np.pi * 185 * t) + 0.4 * np.sin(2 * np.pi * 330 * t)
    s["snare"] = 0.6 * tone * decay(t, 0.07) + band(noise(t, "studio/snare"), 1800, 9000) * decay(t, 0.16), 0.8
    t = times(0.5)
    s["clap"] = band(noise(t, "studio/clap"), 900, 5000) * bursts(t, 3, 0.011, 0.006, 0.12), 0.7
    for name, tau, length, level in (("hat-closed", 0.035, 0.2, 0.45), ("hat-open", 0.4, 1.2, 0.4)):
        t = times(length)
        s[name] = band(metal(t, METAL_808, 1.3) + 2 * noise(t, "studio/hat"), 7000) * decay(t, tau), level
    for name, hz in (("tom-low", 100), ("tom-mid", 140), ("tom-high", 190)):
        t = times(0.8)
        skin = band(noise(t, f"studio/{name}"), 200, 2000) * decay(t, 0.03)
        s[name] = sweep(t, hz * 1.5, hz, 0.05) * decay(t, 0.3) + 0.2 * skin, 0.8
    t = times(2.5)
    wash = band(noise(t, "studio/crash") + 0.5 * metal(t, METAL_808, 1.7), 3500)
    s["crash"] = wash * (1 - decay(t, 0.002)) * decay(t, 0.9), 0.45
    t = times(2.0)
    ping = sum(np.sin(2 * np.pi * f * t) for f in (2400, 3460, 5120, 6200)) * decay(t, 1.1)
    s["ride"] = 0.3 * ping + band(noise(t, "studio/ride"), 5000) * decay(t, 0.6), 0.4
    t = times(0.1)
    knock = 0.6 * np.sin(2 * np.pi * 1700 * t) + 0.4 * np.sin(2 * np.pi * 520 * t)
    s["rim"] = knock * decay(t, 0.012) + 0.5 * band(noise(t, "studio/rim"), 2000, 8000) * decay(t, 0.004), 0.6
    t = times(0.2)
    s["shaker"] = band(noise(t, "studio/shaker"), 5000, 14000) * (1 - decay(t, 0.008)) * decay(t, 0.05), 0.35
    t = times(0.6)
    s["cowbell"] = band(metal(t, (587, 845)), 800, 4000) * (0.7 * decay(t, 0.03) + 0.3 * decay(t, 0.25)), 0.5
    return s


def eight_o_eight(kit: str, kick_hz: float, kick_tau: float, drive: float, snare_hz: float,
                  hat_tau: float, tom_hz: tuple[float, float, float]) -> dict[str, tuple[np.ndarray, float]]:
    """A TR-808-style kit; the two 808 kits differ in tuning, decay and drive."""
    s = {}
    t = times(max(1.6, 2.3 * kick_tau + 0.1))
    body = sweep(t, kick_hz * 2.8, kick_hz, 0.02) * decay(t, kick_tau)
    s["kick"] = np.tanh(drive * body) / np.tanh(drive), 0.95
    t = times(0.45)
    tone = 0.6 * np.sin(2 * np.pi * snare_hz * t) + 0.3 * np.sin(2 * np.pi * 2 * snare_hz * t)
    s["snare"] = tone * decay(t, 0.09) + 0.7 * band(noise(t, f"{kit}/snare"), 2500) * decay(t, 0.13), 0.8
    t = times(0.6)
    s["clap"] = band(noise(t, f"{kit}/clap"), 900, 2500) * bursts(t, 4, 0.010, 0.004, 0.18), 0.7
    for name, tau, length, level in (("hat-closed", hat_tau, 0.25, 0.4), ("hat-open", 8 * hat_tau, 1.2, 0.35)):
        t = times(length)
        s[name] = band(metal(t, METAL_808), 7500, 11000) * decay(t, tau), level
    for name, hz in zip(("tom-low", "tom-mid", "tom-high"), tom_hz):
        t = times(1.0)
        s[name] = sweep(t, hz * 1.25, hz, 0.08) * decay(t, 0.35), 0.8
    t = times(2.5)
    s["crash"] = band(metal(t, METAL_808) + noise(t, f"{kit}/crash"), 5000) * decay(t, 1.2), 0.4
    t = times(2.0)
    s["ride"] = band(metal(t, METAL_808, 2.2), 3000, 12000) * decay(t, 0.9), 0.35
    t = times(0.08)
    s["rim"] = (np.sin(2 * np.pi * 1667 * t) + 0.6 * np.sin(2 * np.pi * 455 * t)) * decay(t, 0.01), 0.6
    t = times(0.12)
    s["shaker"] = band(noise(t, f"{kit}/shaker"), 6000) * (1 - decay(t, 0.002)) * decay(t, 0.02), 0.35
    t = times(0.6)
    s["cowbell"] = band(metal(t, (540, 800)), 600, 3000) * (0.6 * decay(t, 0.02) + 0.4 * decay(t, 0.2)), 0.5
    return s


BOOM_ROOT = 31  # MIDI G1, 49.0 Hz: the 808-boom kick's pitch once its attack has dropped
KITS = {
    "studio": (studio, {}),
    "808": (lambda: eight_o_eight("808", 50.0, 0.5, 1.0, 238.0, 0.045, (90, 125, 170)), {}),
    "808-boom": (lambda: eight_o_eight("808-boom", 440 * 2 ** ((BOOM_ROOT - 69) / 12), 1.1, 2.5, 260.0,
                                       0.025, (75, 105, 145)), {"kick": BOOM_ROOT}),
}


def finish(x: np.ndarray, peak: float) -> np.ndarray:
    """Scale to `peak` and fade out the last 10 ms, so a cut-off tail never clicks."""
    fade = min(len(x), RATE // 100)
    x = x / np.max(np.abs(x)) * peak
    x[-fade:] *= np.cos(np.linspace(0, np.pi / 2, fade)) ** 2
    return x


def main() -> None:
    for kit, (make, roots) in KITS.items():
        folder = HERE / kit
        folder.mkdir(exist_ok=True)
        for voice, (samples, peak) in make().items():
            (folder / f"{voice}.wav").write_bytes(encode_wav(finish(samples, peak), RATE))
        (folder / "kit.json").write_text(json.dumps({"roots": roots}, indent=2) + "\n")
        print(f"{kit}: {len(list(folder.glob('*.wav')))} voices")


if __name__ == "__main__":
    main()
