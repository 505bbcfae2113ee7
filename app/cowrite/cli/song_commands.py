"""The `cowrite` subcommands that work on song files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import orjson

from cowrite.attribution import vocabulary as V
from cowrite.cli.common import author as _author
from cowrite.cli.common import print_json as _print_json
from cowrite.attribution.credits import credits, credits_summary, credits_text
from cowrite.attribution.history import history, history_text
from cowrite.attribution.ledger import ledger_path, read_events, verify_ledger
from cowrite.edit import EditError, ImportSong, SetChords
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.io.project import Project, read_song
from cowrite.model import MeterChange, MeterMap, Song, TempoChange, TempoMap
from cowrite.model.timing import check_bpm, parse_meter
from cowrite.theory.chords import chart_to_chords
from cowrite.theory.keys import parse_key



def _value(parse, text):
    """Parse a command-line value; a bad one is the person's mistake, reported as such."""
    try:
        return parse(text)
    except ValueError as e:
        raise EditError(str(e)) from None




def _warn(warnings: list[str]) -> None:
    """Say what will not sound as the song asks (a missing sample), without failing."""
    for warning in warnings:
        print(f"cowrite: warning: {warning}", file=sys.stderr)


def _ledger_events(song_path: Path) -> list[dict]:
    try:
        return read_events(ledger_path(song_path))
    except FileNotFoundError:
        raise FileProblem(ledger_path(song_path), "the song's attribution ledger is missing") from None
    except (OSError, ValueError) as e:
        raise FileProblem(ledger_path(song_path), f"cannot be read ({e}); run `cowrite verify`") from None


# -- new ------------------------------------------------------------------------------

def run_new(args) -> int:
    num, den = _value(parse_meter, args.meter)
    _value(check_bpm, args.tempo)
    if not 1 <= args.bars <= 9999:
        raise EditError(f"--bars {args.bars} is outside 1..9999")
    song = Song(title=args.title or Path(args.song).stem, tempo=TempoMap([TempoChange(0, args.tempo)]),
                meter=MeterMap([MeterChange(0, num, den)]), key=_value(parse_key, args.key),
                length_bars=args.bars)
    Project.create(Path(args.song), song, _author(args)).close()
    print(f"created {args.song}: {song.key}, {args.tempo:g} BPM, {num}/{den}, {args.bars} bars")
    return 0


def register_new(sub, name):
    p = sub.add_parser(name, help="create an empty song and its ledger")
    p.add_argument("song", help="the song file to create, e.g. song.cowrite")
    p.add_argument("--tempo", type=float, default=120.0, help="beats a minute (default 120)")
    p.add_argument("--meter", default="4/4", help="time signature (default 4/4)")
    p.add_argument("--key", default="C major", help='key, e.g. "A minor" (default C major)')
    p.add_argument("--bars", type=int, default=8, help="length in bars (default 8)")
    p.add_argument("--title", help="the song's title (default: the file name)")
    p.set_defaults(run=run_new)


# -- import ---------------------------------------------------------------------------

def run_import(args) -> int:
    from cowrite.io.midi_read import read_midi

    imported = read_midi(Path(args.file))
    out = Path(args.output)
    if out.exists():
        raise FileProblem(out, "already exists; choose another name (nothing was changed)")
    song = Song(title=args.title or imported.title or Path(args.file).stem, length_bars=1)
    project = Project.create(out, song, _author(args))
    project.document.apply(ImportSong(imported))
    project.save()
    project.close()
    for warning in imported.warnings:
        print(f"cowrite: warning: {args.file}: {warning}", file=sys.stderr)
    notes = project.song.note_count()
    print(f"imported {args.file} into {out}: {len(project.song.tracks)} tracks, {notes} notes, "
          f"{project.song.length_bars} bars")
    return 0


def register_import(sub, name):
    p = sub.add_parser(name, help="make a song from a Standard MIDI File (type 0 or 1)")
    p.add_argument("file", help="the MIDI file to read")
    p.add_argument("-o", "--output", required=True, help="the song file to create")
    p.add_argument("--title", help="the song's title (default: from the file)")
    p.set_defaults(run=run_import)


# -- chords ---------------------------------------------------------------------------

def run_chords(args) -> int:
    project = Project.open(Path(args.song), _author(args))
    try:
        song = project.song
        first = args.from_bar - 1
        if not 0 <= first < song.length_bars:
            raise EditError(f"--from-bar {args.from_bar} is outside the song's bars 1..{song.length_bars}")
        chords = _value(lambda c: chart_to_chords(c, song.meter, song.length_bars - first, first), args.chart)
        project.document.apply(SetChords(chords, song.meter.bar_start(first), None))
        project.save()
    finally:
        project.close()
    print(f"{len(chords)} chords from bar {args.from_bar} to bar {song.length_bars}: "
          + " | ".join(c.symbol for c in chords[:8]) + (" ..." if len(chords) > 8 else ""))
    return 0


def register_chords(sub, name):
    p = sub.add_parser(name, help="set the chord track from a chart, one cell a bar, repeated to fill the song")
    p.add_argument("song")
    p.add_argument("chart", help='e.g. "Am | F | C | G" ("F G" splits a bar; "%%" repeats the bar before)')
    p.add_argument("--from-bar", type=int, default=1, help="first bar to fill (default 1)")
    p.set_defaults(run=run_chords)


# -- credits, history, verify -----------------------------------------------------------

def run_credits(args) -> int:
    path = Path(args.song)
    song, _ = read_song(path)
    actors = list(dict.fromkeys(e["actor"]["id"] for e in _ledger_events(path)))
    report = credits(song, actors)
    if args.json:
        _print_json(report)
    else:
        print(credits_text(report))
    return 0


def register_credits(sub, name):
    p = sub.add_parser(name, help="who wrote what: shares per person and assistant, and the disclosure label")
    p.add_argument("song")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_credits)


def run_history(args) -> int:
    path = Path(args.song)
    song, _ = read_song(path)
    rows = history(_ledger_events(path), song, args.note)
    if args.note is not None and not rows:
        raise EditError(f"no note {args.note} in the history of {args.song}")
    if args.json:
        _print_json(rows)
    else:
        print(history_text(rows))
    return 0


def register_history(sub, name):
    p = sub.add_parser(name, help="who did what, oldest first (like `git blame` for a song or a note)")
    p.add_argument("song")
    p.add_argument("--note", type=int, help="only the events that touched this note id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_history)


def run_verify(args) -> int:
    path = Path(args.song)
    _, record = read_song(path)
    try:
        check = verify_ledger(ledger_path(path), record)
    except FileNotFoundError:
        raise FileProblem(ledger_path(path), "the song's attribution ledger is missing") from None
    except OSError as e:
        raise FileProblem(ledger_path(path), f"cannot be read ({e.strerror})") from None
    if check.intact:
        print(f"{ledger_path(path)}: {check.message}")
        return 0
    print(f"{ledger_path(path)}: TAMPERED: {check.message}")
    return 1


def register_verify(sub, name):
    p = sub.add_parser(name, help="check the ledger's hash chain and that it matches the song "
                                  "(exit 0 intact, 1 tampered, 2 unreadable)")
    p.add_argument("song")
    p.set_defaults(run=run_verify)


# -- export ---------------------------------------------------------------------------

def _cards() -> dict[str, dict]:
    """Card summaries of the installed assistants, by actor id, for provenance manifests."""
    from cowrite.assistants.registry import discover

    return {e.assistant.card.actor_id: {"name": e.assistant.card.name, "kind": e.assistant.card.kind,
                                        "model": e.assistant.card.to_json()["model"]}
            for e in discover() if not e.broken}


def _write_export(args, song: Song, path: Path, record) -> list[tuple[Path, str]]:
    """Write the files asked for; (path, kind) of each."""
    if args.midi:
        from cowrite.io.midi_write import write_midi

        actors = list(dict.fromkeys(e["actor"]["id"] for e in _ledger_events(path)))
        texts = [credits_summary(credits(song, actors)),
                 f"Cowrite attribution ledger: {record.events} events, head sha256 {record.head}"]
        write_midi(song, Path(args.midi), texts)
        return [(Path(args.midi), "midi")]
    if args.musicxml:
        from cowrite.io.musicxml import write_musicxml

        write_musicxml(song, Path(args.musicxml))
        return [(Path(args.musicxml), "musicxml")]
    from cowrite.audio.song_samples import sample_warnings
    from cowrite.audio.wav import export_stems, export_wav

    _warn(sample_warnings(song))
    written = [(export_wav(song, Path(args.wav)), "wav")] if args.wav else []
    if args.stems:
        written += [(p, "wav-stem" if p.name != "mix.wav" else "wav") for p in export_stems(song, Path(args.stems))]
    return written


#: export kinds C2PA has no way to embed a manifest in, by the name a person knows them by
CANNOT_EMBED = {"midi": "MIDI", "musicxml": "MusicXML"}


def _signing_files(args) -> tuple[Path, Path] | None:
    """The key and certificate chain to sign WAVs with: the options, else $COWRITE_SIGN_KEY and $COWRITE_SIGN_CERT."""
    key = args.sign_key or os.environ.get("COWRITE_SIGN_KEY")
    cert = args.sign_cert or os.environ.get("COWRITE_SIGN_CERT")
    if bool(key) != bool(cert):
        raise EditError("signing needs both --sign-key KEY.pem and --sign-cert CHAIN.pem "
                        "(or $COWRITE_SIGN_KEY and $COWRITE_SIGN_CERT)")
    return (Path(key), Path(cert)) if key else None


def _sign(written: list[tuple[Path, str]], signing: tuple[Path, Path] | None, report: dict,
          head: str) -> tuple[dict[Path, dict], str]:
    """Sign each WAV written, if a key was given: the signatures by file, and why the other files are unsigned.

    Stops at the first failure, with one warning: the same key and library
    would fail the same way on the next file.
    """
    from cowrite.attribution.provenance import NO_KEY, c2pa_actions

    if signing is None:
        return {}, NO_KEY
    kind = written[0][1]
    if kind in CANNOT_EMBED:
        reason = f"C2PA cannot embed a manifest in a {CANNOT_EMBED[kind]} file"
        _warn([f"not signed: {reason}"])
        return {}, f"unsigned: {reason}"
    from cowrite.attribution.c2pa_signing import sign_wav

    signatures = {}
    for out, _ in written:
        try:
            signatures[out] = sign_wav(out, *signing, c2pa_actions(report), report["song"],
                                       credits_summary(report), head)
        except FileProblem as e:
            _warn([f"not signed: {e}"])
            # the file name only: the manifest travels with the WAV, the folders of the signer's key need not
            return signatures, f"unsigned: signing failed ({e.path.name}: {e.problem})"
    return signatures, NO_KEY


def run_export(args) -> int:
    from cowrite.attribution.provenance import manifest, manifest_path, sha256_file

    if not (args.midi or args.musicxml or args.wav or args.stems):
        raise EditError("say what to export: --midi OUT, --musicxml OUT, --wav OUT or --stems DIR")
    if args.stems and (args.midi or args.musicxml):
        raise EditError("--stems goes with --wav (or alone), not with --midi or --musicxml")
    signing = _signing_files(args)
    path = Path(args.song)
    project = Project.open(path, _author(args))
    try:
        song = project.song
        written = _write_export(args, song, path, project.ledger.record)
        actors = list(dict.fromkeys(e["actor"]["id"] for e in _ledger_events(path)))
        report, cards = credits(song, actors), _cards()
        # sign first: the export events and the manifests hash the final, signed files
        signatures, note = _sign(written, signing, report, project.ledger.record.head)
        for out, kind in written:
            project.document.record({
                "op": "export", "action": V.PUBLISHED, "prov": V.USED,
                "subject": {"file": out.name, "format": kind, "sha256": sha256_file(out)},
                "before": None, "after": None})
            data = manifest(out, kind, path, project.ledger.record, report, cards, signatures.get(out), note)
            write_atomically(manifest_path(out), orjson.dumps(data, option=orjson.OPT_INDENT_2))
        project.save()
    finally:
        project.close()
    for out, kind in written:
        print(f"exported {out} ({kind}) with {manifest_path(out).name}")
        if out in signatures:
            sig = signatures[out]
            print(f"signed {out} with C2PA ({sig['alg']}, {sig['cert_subject']}): {sig['c2pa_manifest_label']}")
    unsigned = [out.name for out, _ in written if out not in signatures]
    if signing is None:
        print("provenance manifests are unsigned (no C2PA signing key configured)")
    elif unsigned:
        print(f"unsigned: {', '.join(unsigned)} (their provenance manifests say why)")
    return 0


def register_export(sub, name):
    p = sub.add_parser(name, help="write the song as MIDI, MusicXML or WAV (mix and stems), "
                                  "each with a provenance manifest beside it")
    p.add_argument("song")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--midi", metavar="OUT", help="a type 1 Standard MIDI File (credits in a text event)")
    group.add_argument("--musicxml", metavar="OUT", help="MusicXML for notation programs")
    group.add_argument("--wav", metavar="OUT", help="the mix as 48 kHz 24-bit WAV")
    p.add_argument("--stems", metavar="DIR", help="also (or only) one WAV per track plus mix.wav, into DIR")
    p.add_argument("--sign-key", metavar="KEY.pem",
                   help="embed a C2PA manifest in each WAV, signed with this PEM private key "
                        "(needs c2pa-python; default $COWRITE_SIGN_KEY)")
    p.add_argument("--sign-cert", metavar="CHAIN.pem",
                   help="the signing certificate followed by its CA chain, PEM (default $COWRITE_SIGN_CERT)")
    p.set_defaults(run=run_export)


# -- info -----------------------------------------------------------------------------

def run_info(args) -> int:
    song, record = read_song(Path(args.song))
    print(f"{song.title}: {song.key}, {song.tempo.changes[0].bpm:g} BPM, {song.meter.changes[0]}, "
          f"{song.length_bars} bars, {record.events} ledger events")
    for track in song.tracks:
        flags = "".join(f" [{f}]" for f in ("mute", "solo") if getattr(track, f))
        print(f"  {track.id:<4} {track.name:<20} {track.kind.value:<10} ch {track.channel + 1:<2} "
              f"prog {track.program:<3} {len(track.notes):>6} notes{flags}")
        for key, ref in sorted(track.pads.items()):
            print(f"       pad {key:<5} {ref.name} ({ref.path})")
        if track.sample:
            print(f"       keyboard  {track.sample.name} ({track.sample.path})")
    if song.chords:
        print("  chords: " + " | ".join(c.symbol for c in song.chords[:16]) + (" ..." if len(song.chords) > 16 else ""))
    return 0


def register_info(sub, name):
    p = sub.add_parser(name, help="what a song holds: key, tempo, tracks, notes")
    p.add_argument("song")
    p.set_defaults(run=run_info)


# -- play -----------------------------------------------------------------------------

def run_play(args) -> int:
    import time

    from cowrite.audio.output import open_output
    from cowrite.audio.player import Player

    song, _ = read_song(Path(args.song))
    output = open_output()
    if not output.available:
        raise EditError(output.reason)
    first = args.from_bar - 1
    if not 0 <= first < song.length_bars:
        raise EditError(f"--from-bar {args.from_bar} is outside the song's bars 1..{song.length_bars}")
    player = Player(output)
    try:
        player.load(song)
        _warn(player.warnings)
        player.seek(song.meter.bar_start(first))
        player.play()
        print(f"playing {song.title} from bar {args.from_bar} (Ctrl-C stops)")
        end = song.end_tick
        while player.position < end:
            time.sleep(0.05)
    except KeyboardInterrupt:
        pass
    finally:
        player.close()
    if player.underruns:
        print(f"{player.underruns} underruns (the machine could not keep up)")
    return 0


def register_play(sub, name):
    p = sub.add_parser(name, help="play the song through the sound card (says why not when there is none)")
    p.add_argument("song")
    p.add_argument("--from-bar", type=int, default=1)
    p.set_defaults(run=run_play)


COMMANDS = {"play": register_play, "new": register_new, "import": register_import, "chords": register_chords,
            "credits": register_credits, "history": register_history, "verify": register_verify,
            "export": register_export, "info": register_info}
