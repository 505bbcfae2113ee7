"""`cowrite pad` and `cowrite sampler`: put a sample on a drum pad, or across an instrument track's keyboard.

SAMPLE is a file when one is there, or when it looks like a path (it holds a
slash or ends in an audio suffix); otherwise it is words to search the sample
library for, which must match exactly one sample. Either way the file is
analysed as the library analyses it, so the song stores its root key and the
SHA-256 of its bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from cowrite.audio.sampler import PAD_KEYS
from cowrite.cli.common import author
from cowrite.edit import AssignSample, EditError
from cowrite.io.errors import FileProblem
from cowrite.io.project import Project
from cowrite.library import analyse, ensure_builtin, mark_used, open_library, sample_ref, search
from cowrite.library.scan import AUDIO_SUFFIXES
from cowrite.model import SampleRef
from cowrite.theory.pitch import note_name

#: Matches listed when a search finds more than one sample.
SHOWN_MATCHES = 5


def find_sample(text: str) -> SampleRef:
    """The sample SAMPLE names: a file, or the one library sample matching the words; FileProblem or EditError."""
    path = Path(text).expanduser()
    if path.is_file() or "/" in text or os.sep in text or path.suffix.lower() in AUDIO_SUFFIXES:
        if not path.is_file():
            raise FileProblem(text, "no such file" if not path.exists() else "is not a file")
        return sample_ref(path, analyse(path).root)
    db = open_library()
    try:
        ensure_builtin(db)
        rows = search(db, text, limit=SHOWN_MATCHES + 1)
        if len(rows) != 1:
            names = ", ".join(r.name for r in rows[:SHOWN_MATCHES]) + (", ..." if len(rows) > SHOWN_MATCHES else "")
            raise EditError(f"no sample in the library matches {text!r}" if not rows else
                            f"{text!r} matches more than one sample ({names}); add words or give a path")
        mark_used(db, rows[0].path)
        return sample_ref(rows[0].path, rows[0].root)
    finally:
        db.close()


def drum_key(text: str) -> int:
    """A pad's drum key: a MIDI key number, or a drum's name (kick, snare, clap, hat...)."""
    if text.isdigit():
        return int(text)
    try:
        return PAD_KEYS[text.lower()]
    except KeyError:
        raise EditError(f"unknown drum {text!r}: give a key 0..127 or one of {', '.join(PAD_KEYS)}") from None


def _assign(args, pitch: int | None, what: str) -> int:
    """Apply AssignSample with the sample found first, so a mistyped file costs no change to the song."""
    if bool(args.sample) == args.clear:
        raise EditError("give a SAMPLE, or --clear to take the sample off")
    ref = None if args.clear else find_sample(args.sample)
    project = Project.open(Path(args.song), author(args))
    try:
        changed = project.document.apply(AssignSample(args.track, pitch, ref))
        project.save()
        name = project.song.find_track(args.track).name
    finally:
        project.close()
    if ref is None:
        print(f"{what} of {name}: no sample" + ("" if changed else " (it had none)"))
    else:
        root = f", root {note_name(ref.root)}" if ref.root is not None else ""
        print(f"{what} of {name}: {ref.name}{root} ({ref.path})" + ("" if changed else " (already there)"))
    return 0


def run_pad(args) -> int:
    key = drum_key(args.key)
    return _assign(args, key, f"pad {key}")


def run_sampler(args) -> int:
    return _assign(args, None, "keyboard")


def register_pad(sub, name):
    p = sub.add_parser(name, help="play a sample on a drum key of a drum track, instead of the kit's sound",
                       description=__doc__.split("\n\n")[1])
    p.add_argument("song")
    p.add_argument("track", help="the drum track's name or id")
    p.add_argument("key", help="a drum key 0..127 or a name: " + ", ".join(PAD_KEYS))
    p.add_argument("sample", nargs="?", help="an audio file, or words matching one library sample")
    p.add_argument("--clear", action="store_true", help="take the pad's sample off: the kit plays again")
    p.set_defaults(run=run_pad)


def register_sampler(sub, name):
    p = sub.add_parser(name, help="play an instrument track with a sample, pitched from its root key",
                       description=__doc__.split("\n\n")[1])
    p.add_argument("song")
    p.add_argument("track", help="the instrument track's name or id")
    p.add_argument("sample", nargs="?", help="an audio file, or words matching one library sample")
    p.add_argument("--clear", action="store_true", help="take the sample off: the synth preset plays again")
    p.set_defaults(run=run_sampler)


COMMANDS = {"pad": register_pad, "sampler": register_sampler}
