"""Export a song as WAV files: the mix, or one stem per track plus the mix.

Files are 24-bit PCM (see `pcm`), written atomically: a failed export leaves
the old file or none, never half of one.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cowrite.audio.pcm import encode_wav
from cowrite.audio.render import render_song
from cowrite.io.atomic import writing_atomically
from cowrite.io.errors import FileProblem
from cowrite.model import Song


def write_wav(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    """Write `audio` as a 24-bit WAV file, atomically; FileProblem if its folder is missing."""
    _check_folder(Path(path))
    _commit(Path(path), audio, sample_rate)


def export_wav(song: Song, path: Path, sample_rate: int = 48000) -> Path:
    """Render `song` and write its mix to `path` as a stereo 24-bit WAV file."""
    path = Path(path)
    _check_folder(path)  # before the render, so a typo costs no waiting
    _commit(path, render_song(song, sample_rate, stems=False).audio, sample_rate)
    return path


def _commit(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    """Write the WAV through a temp file renamed into place: a full disk or a size limit leaves no half file."""
    with writing_atomically(path) as f:
        f.write(encode_wav(audio, sample_rate))


def export_stems(song: Song, folder: Path, sample_rate: int = 48000) -> list[Path]:
    """Write one WAV per audible track, named after it, and mix.wav into `folder`; the stems add up to the mix.

    Muted tracks (and, when any track is soloed, the others) add nothing to the
    mix, so they get no file. Returns the paths written, mix.wav last.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FileProblem(folder, f"cannot create the folder ({e.strerror or e})") from None
    mix = render_song(song, sample_rate)
    taken = {"mix"}
    paths = [folder / f"{_unique(file_stem(song.track(track_id).name), taken)}.wav" for track_id in mix.stems]
    for path, stem in zip(paths, mix.stems.values()):
        write_wav(path, stem, sample_rate)
    write_wav(folder / "mix.wav", mix.audio, sample_rate)
    return [*paths, folder / "mix.wav"]


def file_stem(name: str) -> str:
    """A track name made safe as a file name on every OS: no separators, reserved names or control characters."""
    safe = re.sub(r"[^\w\-. ()&+,']", "_", name).strip(" .")
    if re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)", safe):
        safe = f"_{safe}"
    return safe or "track"


def _unique(stem: str, taken: set[str]) -> str:
    """`stem`, else `stem 2`, `stem 3`...: tracks may share a name, and file systems may ignore case."""
    candidate, number = stem, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} {number}"
    taken.add(candidate.casefold())
    return candidate


def _check_folder(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileProblem(path, f"the folder {folder} does not exist")
