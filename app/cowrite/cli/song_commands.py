"""The `cowrite` subcommands that work on song files."""

from __future__ import annotations

import sys
from pathlib import Path


from cowrite.cli.common import author as _author
from cowrite.cli.common import print_json as _print_json
from cowrite.attribution.credits import credits, credits_text
from cowrite.attribution.history import history, history_text
from cowrite.attribution.ledger import ledger_path, read_events, verify_ledger
from cowrite.edit import EditError, ImportSong, SetChords
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
    try:
        project.document.apply(ImportSong(imported))
        project.save()
    except BaseException:  # (a full disk, a file-size limit, Ctrl-C) the new song was never whole: leave none
        project.close()
        for made in (out, ledger_path(out)):
            made.unlink(missing_ok=True)
        raise
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
    """Print the credits (text or JSON), or save them to --save FILE as the file's suffix says."""
    from cowrite.attribution.credits_report import SAVE_FORMATS, credits_document
    from cowrite.io.atomic import write_atomically

    path = Path(args.song)
    save = Path(args.save) if args.save else None
    if save is not None and save.suffix.lower() not in SAVE_FORMATS:  # refused before anything is read
        raise FileProblem(save, "name the file .txt (text), .json or .html (a one-page report to print)")
    song, _ = read_song(path)
    events = _ledger_events(path)
    report = credits(song, list(dict.fromkeys(e["actor"]["id"] for e in events)))
    if save is not None:
        write_atomically(save, credits_document(save.suffix, song, report, events))
        print(f"Credits saved to {save}")
    elif args.json:
        _print_json(report)
    else:
        print(credits_text(report))
    return 0


def register_credits(sub, name):
    p = sub.add_parser(name, help="who wrote what: shares per person and assistant, and the disclosure label")
    p.add_argument("song")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument("--save", metavar="FILE",
                        help="save the credits instead of printing them: FILE.txt (text), FILE.json, or FILE.html "
                             "(a one-page report with the label, shares and a picture of each track)")
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

def run_export(args) -> int:
    from cowrite.attribution.provenance import manifest_path
    from cowrite.exports import prepare, publish, signing_files

    outputs = {kind: Path(getattr(args, kind)) for kind in ("midi", "musicxml", "wav", "stems") if getattr(args, kind)}
    if not outputs:
        raise EditError("say what to export: --midi OUT, --musicxml OUT, --wav OUT or --stems DIR")
    if args.stems and (args.midi or args.musicxml):
        raise EditError("--stems goes with --wav (or alone), not with --midi or --musicxml")
    signing = signing_files(args.sign_key, args.sign_cert)
    path = Path(args.song)
    project = Project.open(path, _author(args))
    try:
        prepared = prepare(outputs, project.song, path, project.ledger.record, signing)
        _warn(prepared.warnings)
        publish(project, prepared)
        project.save()
    finally:
        project.close()
    signatures = prepared.signatures
    for out, kind in prepared.written:
        print(f"exported {out} ({kind}) with {manifest_path(out).name}")
        if out in signatures:
            sig = signatures[out]
            print(f"signed {out} with C2PA ({sig['alg']}, {sig['cert_subject']}): {sig['c2pa_manifest_label']}")
    unsigned = [out.name for out, _ in prepared.written if out not in signatures]
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

#: the block sizes `--buffer` accepts: below 16 frames no machine keeps up, above 8192 a key answers too late
BUFFER_RANGE = (16, 8192)


def _play_settings(args) -> tuple[str, int]:
    """(device, block): the command line's, else the window's preferences (cowrite.studio_prefs)."""
    from cowrite.studio_prefs import load_audio_prefs

    prefs = load_audio_prefs()
    device = prefs.device if args.device is None else args.device
    block = prefs.buffer_size if args.buffer is None else args.buffer
    if not BUFFER_RANGE[0] <= block <= BUFFER_RANGE[1]:
        raise EditError(f"--buffer {block} is outside {BUFFER_RANGE[0]}..{BUFFER_RANGE[1]} frames")
    return device, block


def _device_name(device: str) -> str:
    """The name PortAudio gives the output `device` ("" is the system's default) plays on."""
    import sounddevice

    return sounddevice.query_devices(device or None, kind="output")["name"]


def _wait_until_finished(player) -> None:
    """Until the player says the song, release tail included, has been heard (Ctrl-C ends it sooner)."""
    import time

    while not player.finished:
        time.sleep(0.05)


def run_play(args) -> int:
    """Play the song on the device the window would use, to the end of its last release, then say what dropped out.

    Two counts, as the window's status bar gives them: underflows the device
    reported (it ran dry) and underruns of Cowrite's own (the render could not
    keep ahead). Ctrl-C stops cleanly and still prints both.
    """
    from cowrite.audio.output import open_output
    from cowrite.audio.player import Player

    device, block = _play_settings(args)
    song, _ = read_song(Path(args.song))
    first = args.from_bar - 1
    if not 0 <= first < song.length_bars:
        raise EditError(f"--from-bar {args.from_bar} is outside the song's bars 1..{song.length_bars}")
    output = open_output(device=device or None)
    if not output.available:
        raise EditError(output.reason)
    player = Player(output, block)
    output = player.output  # a silent one, saying why, if the device would not start at this rate or block
    stopped = False
    try:
        if not output.available:
            raise EditError(output.reason)
        player.load(song)
        player.wait_until_loaded()  # its warnings are known once the worker has built it
        _warn(player.warnings)
        player.seek(song.meter.bar_start(first))
        print(f"playing {song.title} from bar {args.from_bar} on {_device_name(device)} at {player.sample_rate} Hz, "
              f"{player.block}-frame blocks (Ctrl-C stops)", flush=True)
        player.play()
        _wait_until_finished(player)
    except KeyboardInterrupt:
        stopped = True
    finally:
        player.close()
    print(f"{'stopped' if stopped else 'finished'}: {output.underflows} device underflows, "
          f"{player.underruns} Cowrite underruns")
    return 0


def register_play(sub, name):
    p = sub.add_parser(name, help="play the song through the sound card, release tail and all "
                                  "(says why not when there is none)")
    p.add_argument("song")
    p.add_argument("--device", metavar="NAME",
                   help="the output device, as PortAudio names it (default: the window's, else the system's)")
    p.add_argument("--buffer", type=int, metavar="FRAMES",
                   help="frames a block: fewer answer sooner, more survive a busy machine (default: the window's, 256)")
    p.add_argument("--from-bar", type=int, default=1, help="the bar to start at (default 1)")
    p.set_defaults(run=run_play)


COMMANDS = {"play": register_play, "new": register_new, "import": register_import, "chords": register_chords,
            "credits": register_credits, "history": register_history, "verify": register_verify,
            "export": register_export, "info": register_info}
