"""Check a plugin's draft, as plain data, before it goes near the document.

Every value must be a whole number in range (a float pitch or start saved in a
song makes the file impossible to open again), every note inside the bars
asked for, and there must be no more than MAX_NOTES_PER_BAR notes a bar. The
first bad note or chord is named with the plugin, so its author can find it.
"""

from __future__ import annotations

from cowrite.assistants.errors import AssistantError
from cowrite.assistants.request import Alternative, Draft, Request
from cowrite.model import Chord, ProposedNote, check_note_values
from cowrite.model.suggestion import check_chord

#: A 32nd-note roll on four drums; the built-ins stay under 30. An endless or
#: ten-million-note draft is cut off here (the worker sends one note too many).
MAX_NOTES_PER_BAR = 128


def note_limit(request: Request) -> int:
    """How many notes (and chords, and alternatives) a draft for `request` may hold."""
    return MAX_NOTES_PER_BAR * (request.last_bar - request.first_bar + 1)


def _bars(request: Request) -> str:
    return f"bars {request.first_bar + 1}-{request.last_bar + 1}"


def checked_note(row: list, request: Request) -> ProposedNote:
    """The note, if it is a possible one inside the request's bars; ValueError saying what is wrong."""
    if len(row) != 4:
        raise ValueError("it is not (pitch, start, duration, velocity)")
    check_note_values(*row)
    note = ProposedNote(*row)
    if not request.start <= note.start < request.end:
        raise ValueError(f"it starts at tick {note.start}, outside {_bars(request)}")
    if note.start + note.duration > request.end:
        raise ValueError(f"it ends at tick {note.start + note.duration}, after {_bars(request)} end")
    return note


def checked_chord(row: list, request: Request) -> Chord:
    if len(row) not in (5, 6):
        raise ValueError("it is not (start, duration, symbol, root, quality[, bass])")
    chord = Chord(*row)
    check_chord(chord)
    if not request.start <= chord.start < request.end:
        raise ValueError(f"it starts at tick {chord.start}, outside {_bars(request)}")
    return chord


def checked_alternative(data: dict) -> Alternative:
    start, chosen, options = data["start"], data["chosen"], data["options"]
    if type(start) is not int or not isinstance(chosen, str):
        raise ValueError("its start is not a whole number or its choice is not text")
    for option in options:
        if len(option) != 2 or not isinstance(option[0], str) or type(option[1]) not in (int, float):
            raise ValueError(f"option {option!r} is not (label, probability)")
    return Alternative(start, chosen, [(label, float(p)) for label, p in options])


def _each(rows: list, check, what: str, label: str) -> list:
    """Every row checked by `check`; AssistantError naming the plugin and the first bad row."""
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(check(row))
        except (TypeError, ValueError, KeyError) as e:
            raise AssistantError(f"{label} proposed an impossible {what} (#{i + 1}: {row!r}): {e}") from None
    return out


def checked_draft(reply: dict, request: Request, label: str) -> Draft:
    """The plugin's plain reply as a Draft Cowrite can propose; AssistantError for the first flaw."""
    limit = note_limit(request)
    for what in ("notes", "chords", "alternatives"):
        if len(reply[what]) > limit:
            raise AssistantError(f"{label} proposed more than {limit} {what} for {_bars(request)} "
                                 f"(at most {MAX_NOTES_PER_BAR} a bar)")
    if not isinstance(reply["explanation"], str):
        raise AssistantError(f"{label} gave an explanation that is not text")
    return Draft(notes=_each(reply["notes"], lambda r: checked_note(r, request), "note", label),
                 explanation=reply["explanation"],
                 chords=_each(reply["chords"], lambda r: checked_chord(r, request), "chord", label),
                 alternatives=_each(reply["alternatives"], checked_alternative, "alternative", label))
