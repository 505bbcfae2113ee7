"""The `cowrite` subcommands for assistants: list them, ask for a suggestion, accept or reject it."""

from __future__ import annotations

import secrets
from pathlib import Path


from cowrite.assistants.parameters import describe, resolve
from cowrite.assistants import registry
from cowrite.assistants.registry import find
from cowrite.assistants.runner import propose
from cowrite.attribution.actors import Actor
from cowrite.cli.common import author as _author
from cowrite.cli.common import print_json as _print_json
from cowrite.edit import LAYER, REPLACE, AcceptSuggestion, AddTrack, EditError, RejectSuggestion
from cowrite.io.project import Project, read_song
from cowrite.model import Song, Track, TrackKind
from cowrite.theory.chord_detect import melody_track





# -- assistants -------------------------------------------------------------------------

def run_assistants(args) -> int:
    entries = registry.discover()
    if args.json:
        _print_json([{"name": e.name, "entry_point": e.target, "broken": e.broken, "error": e.error or None,
                      "card": e.assistant.card.to_json() if e.assistant else None,
                      "parameters": [describe(p) for p in e.assistant.parameters] if e.assistant else []}
                     for e in entries])
        return 0
    for entry in entries:
        if entry.broken:
            print(f"{entry.name}: BROKEN ({entry.target}): {entry.error}")
            continue
        card = entry.assistant.card
        print(f"{card.id}@{card.version}  {card.name} ({card.kind}; {card.model.type}, {card.model.source_type})")
        print(f"    {card.description}")
        for source in card.model.training_data:
            print(f"    learned from: {source.name} ({source.licence}; {source.url})")
        for p in entry.assistant.parameters:
            choices = "|".join(p.choices) if hasattr(p, "choices") else (
                f"{p.low}..{p.high}" if hasattr(p, "low") else "on|off")
            print(f"    --set {p.name}={choices}  (default {p.default}) {p.help}")
    return 0


def register_assistants(sub, name):
    p = sub.add_parser(name, help="list the assistants, their cards and parameters (broken plugins too)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_assistants)


# -- suggest ----------------------------------------------------------------------------

def _bars(text: str | None, song: Song) -> tuple[int, int]:
    """'3-6' -> (2, 5): 1-based inclusive on the command line, 0-based inside."""
    if text is None:
        return 0, song.length_bars - 1
    try:
        first, _, last = text.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        raise EditError(f"--bars {text!r} is not a bar range like 1-8") from None
    if not 1 <= first <= last <= song.length_bars:
        raise EditError(f"--bars {text} is outside the song's bars 1-{song.length_bars}")
    return first - 1, last - 1


def _target(project: Project, assistant, name: str | None) -> Track:
    song, wanted = project.song, assistant.target_kind
    if name:
        track = song.find_track(name)
        if track is None:
            raise EditError(f"no track {name!r} (tracks: {', '.join(t.name for t in song.tracks) or 'none'})")
        if wanted and track.kind.value != wanted:
            raise EditError(f"{assistant.card.id} writes to a {wanted} track; {track.name!r} is {track.kind.value}")
        return track
    for track in song.tracks:
        if track.kind.value == (wanted or "instrument") and (wanted == "drums" or not track.notes):
            return track
    kind = TrackKind(wanted or "instrument")
    project.document.apply(AddTrack(assistant.card.kind.capitalize(), kind=kind))
    return song.tracks[-1]


def _source(song: Song, assistant, name: str | None, target: Track, start: int, end: int) -> Track | None:
    if name:
        track = song.find_track(name)
        if track is None:
            raise EditError(f"no source track {name!r}")
        return track
    if not assistant.needs_source:
        return None
    melody = melody_track(song.tracks, target.id, start, end)
    if melody is None:
        raise EditError(f"{assistant.card.id} needs a melody to read: no track but the bass has notes there "
                        "(use --source)")
    return melody


def _settings(pairs: list[str]) -> dict:
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise EditError(f"--set {pair!r} is not NAME=VALUE")
        given[name.strip()] = value
    return given


def run_suggest(args) -> int:
    if args.layer and not args.accept:
        raise EditError("--layer says how to accept: use it with --accept")
    assistant = find(args.assistant)
    project = Project.open(Path(args.song), _author(args))
    try:
        song = project.song
        parameters = resolve(assistant.parameters, _settings(args.set))
        first, last = _bars(args.bars, song)
        target = _target(project, assistant, args.track)
        start, end = song.meter.bar_start(first), song.meter.bar_start(last + 1)
        source = _source(song, assistant, args.source, target, start, end)
        seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
        suggestion, draft = propose(project.document, assistant, target, source, first, last, parameters, seed)
        accepted = None
        if args.accept:
            accepted = project.document.apply(AcceptSuggestion(suggestion.id, mode=_mode(args)))[-1]["after"]
        project.save()
    finally:
        project.close()
    _report(args, assistant.card, suggestion, draft, target)
    if accepted is not None and not args.json:
        print(accept_summary(suggestion.id, "accepted", accepted))
    return 0


def _report(args, card, suggestion, draft, target) -> None:
    if args.json:
        _print_json({
            "suggestion": suggestion.id, "assistant": f"{card.id}@{card.version}", "seed": suggestion.seed,
            "ppq": 960, "track": target.name, "status": "accepted" if args.accept else "pending",
            "notes": [{"pitch": n.pitch, "start": n.start, "duration": n.duration, "velocity": n.velocity}
                      for n in suggestion.notes],
            "chords": [c.to_json() for c in suggestion.chords],
            "explanation": suggestion.explanation, "alternatives": suggestion.alternatives,
        })
        return
    first, last = suggestion.bars
    state = "accepted" if args.accept else f"pending: `cowrite accept {args.song} {suggestion.id}` or reject"
    print(f"{suggestion.id} from {card.id}@{card.version} (seed {suggestion.seed}): {len(suggestion.notes)} notes"
          + (f", {len(suggestion.chords)} chords" if suggestion.chords else "")
          + f" for {target.name}, bars {first}-{last} ({state})")
    print(draft.explanation)


def register_suggest(sub, name):
    p = sub.add_parser(name, help="ask an assistant for a suggestion (pending until accepted or rejected)")
    p.add_argument("assistant", help="drums, bass, harmony, or a plugin's name (see `cowrite assistants`)")
    p.add_argument("song")
    p.add_argument("--track", help="the track to write to (default: the first fitting one, or a new one)")
    p.add_argument("--source", help="a track to read from (harmony: the melody)")
    p.add_argument("--bars", help="bar range, e.g. 1-8 (default: the whole song)")
    p.add_argument("--seed", type=int, help="the same seed gives the same suggestion (default: a new one)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a parameter, repeatable")
    p.add_argument("--json", action="store_true", help="print the suggestion as JSON")
    p.add_argument("--accept", action="store_true", help="accept it at once (replacing the track's notes there)")
    p.add_argument("--layer", action="store_true", help="with --accept: keep the track's notes there too")
    p.set_defaults(run=run_suggest)


# -- accept, reject, suggestions --------------------------------------------------------

def _indices(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise EditError(f"--notes {text!r} is not a list of note numbers like 0,2,5") from None


def _mode(args) -> str:
    return LAYER if args.layer else REPLACE


def run_accept(args) -> int:
    project = Project.open(Path(args.song), _author(args))
    try:
        event = project.document.apply(AcceptSuggestion(args.suggestion, _indices(args.notes), _mode(args)))[-1]
        project.save()
        s = project.song.suggestions[args.suggestion]
    finally:
        project.close()
    print(accept_summary(s.id, s.status, event["after"]))
    return 0


def accept_summary(suggestion_id: str, status: str, after: dict) -> str:
    """One line on what an accept did: placed, replaced and merged notes (from its ledger event)."""
    line = f"{suggestion_id} {status}: {len(after['notes'])} of {after['of']} notes placed"
    if after["removed"]:
        line += f", {len(after['removed'])} of the track's notes replaced"
    if after["merged"]:
        line += f", {len(after['merged'])} duplicates merged into the identical notes there"
    return line


def register_accept(sub, name):
    p = sub.add_parser(name, help="accept a pending suggestion, whole or some of its notes")
    p.add_argument("song")
    p.add_argument("suggestion", help="its id, e.g. s3")
    p.add_argument("--notes", help="only these notes (0-based, as `suggestions --notes` lists), e.g. 0,2,5")
    p.add_argument("--layer", action="store_true",
                   help="keep the track's notes in the suggestion's bars (default: the suggestion replaces them; "
                        "with --notes, only in the bars of the chosen notes)")
    p.set_defaults(run=run_accept)


def run_reject(args) -> int:
    project = Project.open(Path(args.song), _author(args))
    try:
        project.document.apply(RejectSuggestion(args.suggestion))
        project.save()
    finally:
        project.close()
    print(f"{args.suggestion} rejected")
    return 0


def register_reject(sub, name):
    p = sub.add_parser(name, help="reject a pending suggestion")
    p.add_argument("song")
    p.add_argument("suggestion")
    p.set_defaults(run=run_reject)


def run_suggestions(args) -> int:
    song, _ = read_song(Path(args.song))
    for s in song.suggestions.values():
        label = Actor.parse(s.assistant).label
        print(f"{s.id:<5} {s.status:<16} {label:<18} seed {s.seed:<11} bars {s.bars[0]}-{s.bars[1]}  "
              f"{len(s.notes)} notes" + (f", {len(s.chords)} chords" if s.chords else ""))
        if args.notes:
            for i, n in enumerate(s.notes):
                print(f"      {i:>4}: pitch {n.pitch} start {n.start} duration {n.duration} velocity {n.velocity}")
    return 0


def register_suggestions(sub, name):
    p = sub.add_parser(name, help="list the song's suggestions and their state")
    p.add_argument("song")
    p.add_argument("--notes", action="store_true", help="list each suggestion's notes with their numbers")
    p.set_defaults(run=run_suggestions)


COMMANDS = {"assistants": register_assistants, "suggest": register_suggest, "accept": register_accept,
            "reject": register_reject, "suggestions": register_suggestions}
