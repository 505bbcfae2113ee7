"""24-bit PCM WAV bytes: encode a mix, decode a kit's samples.

The standard library's `wave` module handles the header; numpy packs the 24-bit
samples (three little-endian bytes each), so no audio library is needed.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from cowrite.io.errors import FileProblem

FULL_SCALE = 1 << 23  # 24-bit samples run from -2**23 to 2**23 - 1


def encode_wav(audio: np.ndarray, sample_rate: int) -> bytes:
    """The bytes of a 24-bit WAV file holding `audio`: (frames,) mono or (frames, channels), -1..1."""
    frames = audio.reshape(len(audio), -1)
    ints = np.ascontiguousarray(np.clip(np.rint(frames * float(FULL_SCALE)), -FULL_SCALE, FULL_SCALE - 1), "<i4")
    packed = ints.view(np.uint8).reshape(-1, 4)[:, :3]  # drop the high byte of each sample
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(frames.shape[1])
        out.setsampwidth(3)
        out.setframerate(sample_rate)
        out.writeframes(packed.tobytes())
    return buffer.getvalue()


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(float32 samples shaped (frames, channels) in -1..1, sample rate) of a 16-, 24- or 32-bit PCM WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            data = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as e:
        raise FileProblem(path, f"cannot read it as a PCM WAV file ({e})") from None
    if width == 3:
        padded = np.zeros((len(data) // 3, 4), np.uint8)
        padded[:, 1:] = np.frombuffer(data, np.uint8).reshape(-1, 3)
        ints = padded.view("<i4").ravel() >> 8  # the arithmetic shift restores the sign
    elif width in (2, 4):
        ints = np.frombuffer(data, f"<i{width}")
    else:
        raise FileProblem(path, f"{8 * width}-bit samples are not supported (16, 24 or 32 are)")
    scale = np.float32(1.0 / (1 << (8 * width - 1)))
    return (ints.astype(np.float32) * scale).reshape(-1, channels), rate
