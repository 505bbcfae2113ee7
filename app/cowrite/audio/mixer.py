"""The mixer's rules: which tracks sound, how a track is placed in stereo, and the master limiter."""

from __future__ import annotations

import numpy as np

from cowrite.model import Track


def audible(tracks: list[Track]) -> list[Track]:
    """The tracks the mix hears: the soloed ones if any (even if also muted: solo wins), else the unmuted."""
    soloed = [t for t in tracks if t.solo]
    return soloed or [t for t in tracks if not t.mute]


def channel_gains(track: Track) -> tuple[float, float]:
    """(left, right) gain of a mono track: its volume, panned at constant power (-3 dB each side at centre)."""
    angle = (track.pan + 1) * np.pi / 4
    return track.volume * float(np.cos(angle)), track.volume * float(np.sin(angle))


class Limiter:
    """A look-ahead peak limiter for the master bus: no sample leaves above `ceiling_db`.

    The gain is a chain of steps numpy can run on a whole block at once:
    the gain each sample needs (in dB); a release that lets the gain recover at
    `release_db` per second, which as a recursion g[n] = min(need[n], g[n-1] + r)
    is a running minimum of need[m] - r*m (plus r*n); the minimum over the next
    `lookahead` seconds, so the gain is already down when a peak arrives; and a
    moving average over the same window, which turns the steps into ramps while
    staying at or below every need it covers. State carries between calls, so
    the offline render (large chunks) and real-time playback (256 frames at a
    time) compute the same gains; the gains lag the input by `latency` frames.
    """

    def __init__(self, sample_rate: int, ceiling_db: float = -0.3, lookahead: float = 0.005,
                 release_db: float = 40.0):
        self.ceiling_db = ceiling_db
        self.window = max(1, round(lookahead * sample_rate))
        self.latency = self.window - 1
        self.step = release_db / sample_rate
        self._gain = 0.0  # dB, after the release, at the last sample seen
        self._ahead = np.zeros(self.latency)  # released gains still waiting for their look-ahead
        self._smooth = np.zeros(self.latency)  # look-ahead gains still inside the averaging window

    def gains(self, peaks: np.ndarray) -> np.ndarray:
        """Linear gains (float32) for the samples `latency` frames before each of `peaks` (max |sample| per frame)."""
        if not len(peaks):
            return np.zeros(0, np.float32)
        loud = np.maximum(peaks, 10 ** (self.ceiling_db / 20))
        need = self.ceiling_db - 20 * np.log10(loud)
        ramp = self.step * np.arange(len(peaks))
        headroom = need - ramp
        headroom[0] = min(headroom[0], self._gain + self.step)
        released = ramp + np.minimum.accumulate(headroom)
        self._gain = released[-1]
        ahead = np.concatenate([self._ahead, released])
        self._ahead = ahead[len(ahead) - self.latency:]
        held = sliding_min(ahead, self.window)
        smooth = np.concatenate([self._smooth, held])
        self._smooth = smooth[len(smooth) - self.latency:]
        return (10 ** (sliding_mean(smooth, self.window) / 20)).astype(np.float32)


def limit(mix: np.ndarray, sample_rate: int, chunk: int = 1 << 18) -> np.ndarray:
    """The limiter's gain for every frame of a whole (frames, channels) mix, aligned with it.

    Fed in chunks, as playback would feed it, so memory stays small for long songs.
    """
    limiter = Limiter(sample_rate)
    gains = [limiter.gains(np.abs(mix[i:i + chunk]).max(axis=1)) for i in range(0, len(mix), chunk)]
    gains.append(limiter.gains(np.zeros(limiter.latency)))  # flush: the last frames' gains
    return np.concatenate(gains)[limiter.latency:]


def sliding_min(x: np.ndarray, window: int) -> np.ndarray:
    """min(x[i:i + window]) for each full window, in O(n) (van Herk / Gil-Werman)."""
    n = len(x)
    blocks = np.concatenate([x, np.full(-n % window, np.inf)]).reshape(-1, window)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[:n - window + 1], prefix[window - 1:n])


def sliding_mean(x: np.ndarray, window: int) -> np.ndarray:
    """mean(x[i:i + window]) for each full window."""
    total = np.concatenate([[0.0], np.cumsum(x)])
    return (total[window:] - total[:-window]) / window
