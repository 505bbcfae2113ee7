"""Find assistants through the `cowrite.assistants` entry-point group, built-ins included.

A plugin that fails to import, to construct, or to show a valid card is listed
as broken with its error; it never takes Cowrite down.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from cowrite.assistants.assistant import Assistant
from cowrite.assistants.card import check_card

GROUP = "cowrite.assistants"


class AssistantError(Exception):
    """An assistant cannot be found or did not produce a usable suggestion."""


@dataclass(frozen=True)
class Entry:
    name: str  # the entry point's name
    target: str  # module:attribute it points at
    assistant: Assistant | None
    error: str = ""

    @property
    def broken(self) -> bool:
        return self.assistant is None


def _load(entry_point) -> Entry:
    try:
        factory = entry_point.load()
        assistant = factory()
        if not isinstance(assistant, Assistant):
            raise TypeError(f"{type(assistant).__name__} is not a cowrite Assistant")
        check_card(assistant.card)
    except Exception as e:  # any plugin failure is listed, never raised
        message = str(e).splitlines()[0] if str(e) else ""
        return Entry(entry_point.name, entry_point.value, None, f"{type(e).__name__}: {message}".rstrip(": "))
    return Entry(entry_point.name, entry_point.value, assistant)


@lru_cache(maxsize=1)
def discover() -> tuple[Entry, ...]:
    """Every registered assistant, sorted by name; cached for the life of the process."""
    return tuple(sorted((_load(ep) for ep in entry_points(group=GROUP)), key=lambda e: e.name))


def find(name: str) -> Assistant:
    """The assistant registered (or carded) as `name`; AssistantError naming the choices otherwise."""
    entries = discover()
    for entry in entries:
        if name in (entry.name, entry.assistant and entry.assistant.card.id):
            if entry.broken:
                raise AssistantError(f"assistant {name!r} is broken: {entry.error}")
            return entry.assistant
    available = ", ".join(e.name for e in entries if not e.broken) or "none"
    raise AssistantError(f"unknown assistant {name!r}; available: {available}")
