"""Cowrite's audio engine, in numpy: synth and sampler voices, the mixer, offline render and WAV export.

No Qt and no sound card: playback devices come in a layer above. Offline and
real-time rendering share the same voices (see `voice`).
"""

from cowrite.audio.render import Mix, render_song
from cowrite.audio.stream import BlockRenderer
from cowrite.audio.wav import export_stems, export_wav

__all__ = ["BlockRenderer", "Mix", "export_stems", "export_wav", "render_song"]
