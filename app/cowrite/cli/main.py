"""The `cowrite` command: the song operations, headless.

Every user mistake ends in one line on stderr naming the file or value and what
is wrong, and exit status 2; nothing on disk is changed by a failed command.
Output that cannot be written (a closed pipe, `> /dev/full`) ends the command
quietly with exit status 1.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys

from cowrite import __version__
from cowrite.assistants.parameters import ParameterError
from cowrite.assistants.registry import AssistantError
from cowrite.attribution.ledger import LedgerError
from cowrite.cli import assistant_commands, library_commands, sample_commands, song_commands
from cowrite.edit import EditError
from cowrite.io.errors import FileProblem
from cowrite.io.lock import name_this_program

EXAMPLES = """examples:
  cowrite                                   (the studio window, on the last song or the demo)
  cowrite studio song.cowrite
  cowrite demo out/demo                     (the demo song, its credits, history and exports)
  cowrite new song.cowrite --tempo 92 --meter 4/4 --key "A minor" --bars 8
  cowrite chords song.cowrite "Am | F | C | G"
  cowrite import groove.mid -o groove.cowrite
  cowrite credits song.cowrite --json
  cowrite credits song.cowrite --save credits.html
  cowrite verify song.cowrite
  cowrite history song.cowrite --note 12
  cowrite export song.cowrite --midi song.mid
  cowrite suggest drums song.cowrite --bars 1-8 --set style=house --seed 7
  cowrite accept song.cowrite s1 --notes 0,1,4
  cowrite library add ~/Samples && cowrite library search "808 kick"
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cowrite", description="Write music with AI assistants; every note remembers who wrote it.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cowrite {__version__}")
    parser.add_argument("--author", help="your name in the credits (default: settings, $COWRITE_AUTHOR, login)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = {**song_commands.COMMANDS, **assistant_commands.COMMANDS, **library_commands.COMMANDS,
                **sample_commands.COMMANDS}
    for name, register in commands.items():
        register(sub, name)
    register_studio(sub, "studio")
    register_demo(sub, "demo")
    return parser


def register_demo(sub, name):
    p = sub.add_parser(name, help="build the demo song into FOLDER and show what Cowrite says of it")
    p.add_argument("folder", nargs="?", default="out/demo")
    p.set_defaults(run=run_demo)


def run_demo(args) -> int:
    """The demo song, then `info`, `credits`, `history`, `verify` and MIDI and WAV exports of it."""
    from pathlib import Path

    from cowrite.demo import build

    folder = Path(args.folder)
    path = build(folder)
    print(f"Demo song written to {path}\n")
    for command in (["info"], ["credits"], ["history"], ["verify"], ["export", "--midi", str(folder / "demo.mid")],
                    ["export", "--wav", str(folder / "demo.wav")]):
        main([*command[:1], str(path), *command[1:]])
        print()
    return 0


def register_studio(sub, name):
    p = sub.add_parser(name, help="open the studio window (what `cowrite` alone does)")
    p.add_argument("song", nargs="?", help="the song to open (default: the last one, or the demo song)")
    p.add_argument("--demo", action="store_true", help="open the demo song (built on first use)")
    p.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)  # start-up timing
    p.set_defaults(run=run_studio)


def run_studio(args) -> int:
    """The window; imported only here, so the headless commands never load Qt's widgets."""
    from cowrite.ui.app import run

    return run(args.song, demo=args.demo, quit_after_show=args.quit_after_show, author=args.author)


#: what a write to stdout fails with when nobody reads it any more, or it is a full disk or device
_OUTPUT_GONE = frozenset({errno.EPIPE, errno.ENOSPC, errno.EFBIG, errno.EIO})


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "studio"])
    name_this_program(f"cowrite {args.command}")
    _pass_file_names_through()
    try:
        code = args.run(args) or 0
        sys.stdout.flush()  # here, not at exit, where a failure would be a traceback and exit 120
        return code
    except (FileProblem, EditError, LedgerError, AssistantError, ParameterError) as e:
        _say_error(f"cowrite: error: {e}")
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        if e.errno not in _OUTPUT_GONE:
            raise
        _silence_stdout()
        return 1


def _say_error(line: str) -> None:
    """One line on stderr, even when it names a file whose bytes are not UTF-8 and stderr cannot pass them."""
    try:
        print(line, file=sys.stderr)
    except UnicodeEncodeError:
        print(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), file=sys.stderr)


def _pass_file_names_through() -> None:
    """Print file names whose bytes are not UTF-8 as those bytes (Python holds them as surrogates)."""
    for stream, real in ((sys.stdout, sys.__stdout__), (sys.stderr, sys.__stderr__)):
        if stream is real and isinstance(stream, io.TextIOWrapper):  # not a capture someone put in its place
            stream.reconfigure(errors="surrogateescape")


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit has nowhere to fail (Python's docs, signal)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (tests capture stdout): nothing will flush it at exit
