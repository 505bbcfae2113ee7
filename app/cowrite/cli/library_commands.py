"""The `cowrite library` subcommands: add sample folders, rescan, search, tag and favourite samples."""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from pathlib import Path

from cowrite.cli.common import print_json
from cowrite.io.errors import FileProblem
from cowrite.io.files import open_failure
from cowrite.library import (add_folder, add_tags, ensure_builtin, open_library, remove_tags, sample_at, scan,
                             search, set_favourite)
from cowrite.library.scan import ScanReport
from cowrite.library.search import KINDS
from cowrite.theory.pitch import note_name


def _open():
    """The library, with Cowrite's own kits indexed (cheap once done: an unchanged folder is only listed)."""
    db = open_library()
    ensure_builtin(db)
    return db


def _scan(db, folders) -> ScanReport:
    """Scan with a progress line on a terminal; Ctrl-C stops after the current file, keeping the work done."""
    cancel = threading.Event()

    def progress(done, total, path):
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} {Path(path).name[:60]:<60}" + ("\n" if done == total else ""))

    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        return scan(db, folders, progress=progress, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)


def _print_report(report: ScanReport) -> int:
    print(f"{report.added} added, {report.updated} updated, {report.moved} moved, {report.unchanged} unchanged, "
          f"{report.missing} missing, {len(report.problems)} problems" + (" (cancelled)" if report.cancelled else ""))
    for folder in report.missing_folders:
        print(f"folder missing: {folder}")
    for path, reason in report.problems:
        print(f"problem: {path}: {reason}")
    return 130 if report.cancelled else 0


def run_add(args) -> int:
    db = _open()
    try:
        root = add_folder(db, args.folder)
        if root != Path(args.folder).expanduser().resolve():
            print(f"{args.folder} is already in the library, as part of {root}")
        return _print_report(_scan(db, [root]))
    finally:
        db.close()


def run_scan(args) -> int:
    db = _open()
    try:
        return _print_report(_scan(db, None))
    finally:
        db.close()


def run_search(args) -> int:
    db = _open()
    try:
        rows = search(db, " ".join(args.query), kind=args.kind, bpm=args.bpm, favourites=args.favourites,
                      limit=args.limit)
    finally:
        db.close()
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        tempo = f"{r.bpm:g} BPM" if r.bpm else (note_name(r.root) if r.root is not None else "")
        print(f"{'*' if r.favourite else ' '} {r.name[:32]:<32} {r.kind:<8} {r.duration:>6.2f}s {tempo:<10} "
              f"{' '.join(r.tags)[:40]:<40} {r.path}")
    if not rows:
        print("no samples match")
    return 0


def _no_link_loop(path: str) -> str:
    """`path`, unless it is a symbolic link that loops (resolving it would raise); a gone file is fine."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise FileProblem(path, open_failure(e)) from None
    return path


def run_tag(args) -> int:
    db = _open()
    try:
        tags = (remove_tags if args.remove else add_tags)(db, _no_link_loop(args.path), args.tags)
    finally:
        db.close()
    print(f"{args.path}: {' '.join(tags)}")
    return 0


def run_fav(args) -> int:
    db = _open()
    try:
        row = set_favourite(db, _no_link_loop(args.path), not args.off)
    finally:
        db.close()
    print(f"{row.path}: {'a favourite' if row.favourite else 'not a favourite'}")
    return 0


def run_info(args) -> int:
    db = _open()
    try:
        row = sample_at(db, _no_link_loop(args.path))
    finally:
        db.close()
    print_json({**row.to_json(), "format": row.format, "sample_rate": row.sample_rate, "channels": row.channels,
                "peak_db": row.peak_db, "loudness_db": row.loudness_db, "hash": row.hash, "missing": row.missing})
    return 0


def register_library(sub, name):
    p = sub.add_parser(name, help="the sample library: add folders, rescan, search, tag, favourite")
    commands = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)

    c = commands.add_parser("add", help="add a folder of samples (with its sub-folders) and index it")
    c.add_argument("folder")
    c.set_defaults(run=run_add)

    c = commands.add_parser("scan", help="rescan every folder: new and changed files only; Ctrl-C stops cleanly")
    c.set_defaults(run=run_scan)

    c = commands.add_parser("search", help="find samples by words of their names and tags (prefixes match)")
    c.add_argument("query", nargs="*", help="words, e.g. 808 kick (none: every sample)")
    c.add_argument("--kind", choices=KINDS)
    c.add_argument("--bpm", type=float, help="loops within 2 BPM of this tempo")
    c.add_argument("--favourites", action="store_true", help="favourites only")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true", help="print the rows as JSON")
    c.set_defaults(run=run_search)

    c = commands.add_parser("tag", help="add tags to a sample (or --remove them)")
    c.add_argument("path")
    c.add_argument("tags", nargs="+", metavar="TAG")
    c.add_argument("--remove", action="store_true")
    c.set_defaults(run=run_tag)

    c = commands.add_parser("fav", help="mark a sample a favourite (or --off)")
    c.add_argument("path")
    c.add_argument("--off", action="store_true")
    c.set_defaults(run=run_fav)

    c = commands.add_parser("info", help="everything the library knows about one sample, as JSON")
    c.add_argument("path")
    c.set_defaults(run=run_info)


COMMANDS = {"library": register_library}
