"""Plugin objects as plain data, and back: the only form that crosses the sandbox boundary.

The worker (plugin side) turns what a plugin made (its card, parameters and
drafts) into JSON-able lists, dicts, strings and numbers; Cowrite rebuilds its
own objects from them, checking every type. Nothing a plugin defines (a class,
a `__reduce__`, a numpy scalar) ever reaches Cowrite's process: unpickling a
plugin's objects there would run the plugin's code there.
"""

from __future__ import annotations

import operator
from itertools import islice

from cowrite.assistants.card import Card, ModelInfo, TrainingSource
from cowrite.assistants.parameters import Boolean, Choice, FloatRange, IntRange, Parameter

TEXT_LIMIT = 20_000  # characters of an explanation or card field kept; the rest is cut
SHOWN_LIMIT = 40  # characters of an unexpected value kept to name it in a message


# -- plugin side: whatever the plugin made, as plain values --------------------------------------

def plain_scalar(value):
    """A number, text or flag as JSON can carry it: numpy integers become int; anything else is named."""
    if value is None or isinstance(value, (bool, str)):
        return value[:TEXT_LIMIT] if isinstance(value, str) else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if hasattr(type(value), "__index__"):  # numpy and other integer types
        return operator.index(value)
    return f"<{type(value).__name__}>"


def plain_row(row, width: int) -> list:
    """The first `width` + 1 fields of a note or chord row (one too many shows a wrong shape)."""
    return [plain_scalar(v) for v in islice(row, width + 1)]


def plain_draft(draft, note_limit: int) -> dict:
    """A draft's notes, chords, alternatives and explanation; at most `note_limit` + 1 of each taken."""
    alternatives = []
    for a in islice(draft.alternatives, note_limit + 1):
        options = [plain_row(o, 2) for o in islice(a.options, note_limit + 1)]
        alternatives.append({"start": plain_scalar(a.start), "chosen": plain_scalar(a.chosen), "options": options})
    return {"notes": [plain_row(n, 4) for n in islice(draft.notes, note_limit + 1)],
            "chords": [plain_row(c, 6) for c in islice(draft.chords, note_limit + 1)],
            "explanation": plain_scalar(draft.explanation), "alternatives": alternatives}


def plain_parameter(parameter) -> dict:
    fields = ("name", "choices", "low", "high", "default", "help")
    data = {f: getattr(parameter, f) for f in fields if hasattr(parameter, f)}
    if "choices" in data:
        data["choices"] = [plain_scalar(c) for c in data["choices"]]
    return {"kind": plain_scalar(getattr(parameter, "kind", None)),
            **{k: v if k == "choices" else plain_scalar(v) for k, v in data.items()}}


def plain_assistant(assistant) -> dict:
    """What Cowrite shows and checks about an assistant before asking it anything."""
    card, model = assistant.card, assistant.card.model
    sources = [{f: plain_scalar(getattr(s, f)) for f in ("name", "url", "licence", "share", "user_data")}
               for s in model.training_data]
    return {"card": {**{f: plain_scalar(getattr(card, f)) for f in ("id", "name", "version", "kind", "description")},
                     "model": {**{f: plain_scalar(getattr(model, f)) for f in ("type", "summary", "source_type")},
                               "training_data": sources}},
            "parameters": [plain_parameter(p) for p in assistant.parameters],
            "target_kind": plain_scalar(assistant.target_kind), "needs_source": plain_scalar(assistant.needs_source)}


# -- Cowrite side: its own objects, every type checked -------------------------------------------

def _typed(data: dict, name: str, kind: type | tuple[type, ...]):
    value = data.get(name)
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise ValueError(f"{name} {str(value)[:SHOWN_LIMIT]!r} is not {getattr(kind, '__name__', 'a number')}")
    return value


def _text(data: dict, name: str) -> str:
    return _typed(data, name, str)


def card_from_plain(data: dict) -> Card:
    model = data["model"]
    sources = tuple(TrainingSource(_text(s, "name"), _text(s, "url"), _text(s, "licence"),
                                   float(_typed(s, "share", (int, float))), _typed(s, "user_data", bool))
                    for s in model["training_data"])
    return Card(_text(data, "id"), _text(data, "name"), _text(data, "version"), _text(data, "kind"),
                _text(data, "description"),
                ModelInfo(_text(model, "type"), _text(model, "summary"), _text(model, "source_type"), sources))


def parameter_from_plain(data: dict) -> Parameter:
    """The parameter rebuilt, its default checked by its own rule."""
    kind, name, help_text = data.get("kind"), _text(data, "name"), _text(data, "help")
    if kind == "choice":
        choices = data.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise ValueError(f"parameter {name!r}: its choices are not all text")
        parameter = Choice(name, tuple(choices), data.get("default"), help_text)
    elif kind in ("int", "float"):
        number = int if kind == "int" else (int, float)
        cls = IntRange if kind == "int" else FloatRange
        parameter = cls(name, _typed(data, "low", number), _typed(data, "high", number), data.get("default"), help_text)
    elif kind == "bool":
        parameter = Boolean(name, data.get("default"), help_text)
    else:
        raise ValueError(f"parameter {name!r} is of an unknown kind {kind!r}")
    parameter.check(parameter.default)
    return parameter


def described_from_plain(data: dict) -> tuple[Card, tuple[Parameter, ...], str, bool]:
    """(card, parameters, target_kind, needs_source) from `plain_assistant`'s data; ValueError naming the flaw."""
    try:
        return (card_from_plain(data["card"]), tuple(parameter_from_plain(p) for p in data["parameters"]),
                _text(data, "target_kind"), _typed(data, "needs_source", bool))
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"its card or parameters are malformed ({type(e).__name__} {e})") from None
