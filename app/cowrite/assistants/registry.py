"""Find assistants through the `cowrite.assistants` entry-point group, built-ins included.

Plugins are imported only in their sandbox workers, all at once and each under
the import time limit, never in Cowrite's process: a plugin that fails to
import (any exception, SystemExit and KeyboardInterrupt too), crashes, blocks
while importing, or shows an invalid card is listed as broken with the reason,
and never takes Cowrite (or `cowrite assistants`) down or makes it wait.

The built-in ids (drums, bass, harmony) and the `cowrite` namespace belong to
Cowrite's own distribution: another distribution that claims one, by its entry
point's name or its card's id, is listed as broken and the built-in stays.

Importing every plugin costs a worker start each (about 0.2-0.6 s, in
parallel), which the window would pay before it shows. So a working plugin's
card and parameters are kept in the user's cache folder (`card_cache`), keyed
by its distribution's version and its files' sizes and times: a later start
lists it at once and starts its worker on the first suggestion. Broken
plugins are never cached: they are tried, and reported, every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points

from cowrite.assistants import card_cache, sandbox
from cowrite.assistants.assistant import Assistant
from cowrite.assistants.card import Card, check_card
from cowrite.assistants.errors import AssistantError
from cowrite.assistants.parameters import Parameter
from cowrite.assistants.plain import described_from_plain
from cowrite.assistants.request import Draft, Request

__all__ = ["GROUP", "AssistantError", "Entry", "SandboxedAssistant", "discover", "find", "is_reserved"]

GROUP = "cowrite.assistants"
BUILT_IN_DISTRIBUTION = "cowrite"
BUILT_IN_IDS = frozenset({"drums", "bass", "harmony"})


def is_reserved(name: str) -> bool:
    """True for a name only Cowrite's own assistants may use: a built-in id or the `cowrite` namespace."""
    lowered = name.lower()
    return lowered in BUILT_IN_IDS or lowered == "cowrite" or lowered.startswith(("cowrite-", "cowrite_", "cowrite."))


class SandboxedAssistant(Assistant):
    """An assistant as Cowrite's process knows it: its checked card and parameters; it thinks in its worker."""

    def __init__(self, target: str, card: Card, parameters: tuple[Parameter, ...], target_kind: str,
                 needs_source: bool):
        self.target, self.card, self.parameters = target, card, parameters
        self.target_kind, self.needs_source = target_kind, needs_source

    def suggest(self, request: Request) -> Draft:
        """The draft from the plugin's worker, checked, under the default time limit."""
        return sandbox.ask(self.target, request, sandbox.DEFAULT_TIME_LIMIT, self.card.id, self.card.version)


@dataclass(frozen=True)
class Entry:
    name: str  # the entry point's name
    target: str  # module:attribute it points at
    assistant: Assistant | None
    error: str = ""

    @property
    def broken(self) -> bool:
        return self.assistant is None


def _distribution(entry_point) -> str:
    dist = getattr(entry_point, "dist", None)
    return dist.name if dist is not None else "an unknown distribution"


def _is_built_in(entry_point) -> bool:
    return _distribution(entry_point).lower().replace("_", "-") == BUILT_IN_DISTRIBUTION


def _claim(entry_point, name: str) -> str:
    return (f"{_distribution(entry_point)} claims {name!r}, reserved for Cowrite's own assistants "
            "(the built-in stays)")


def _load(entry_point, worker: sandbox.Worker, deadline: float) -> Entry:
    """The entry for a plugin its worker has imported, or a broken one with the reason (the worker stopped)."""
    try:
        plain = worker.describe(deadline, sandbox.IMPORT_TIME_LIMIT, entry_point.name)
    except sandbox.WorkerFailure as e:
        worker.stop()
        return Entry(entry_point.name, entry_point.value, None, e.reason.removeprefix("failed: "))
    entry = _entry(entry_point, plain)
    if entry.broken:
        worker.stop()
    return entry


def _entry(entry_point, plain: dict) -> Entry:
    """The entry for a plugin described by `plain` (its worker's first reply, or the cache), checked."""
    try:
        card, parameters, target_kind, needs_source = described_from_plain(plain)
        check_card(card)
        if is_reserved(card.id) and not _is_built_in(entry_point):
            raise ValueError(_claim(entry_point, card.id))
    except ValueError as e:
        return Entry(entry_point.name, entry_point.value, None, str(e))
    assistant = SandboxedAssistant(entry_point.value, card, parameters, target_kind, needs_source)
    return Entry(entry_point.name, entry_point.value, assistant)


def _without_clashes(entries: list[Entry]) -> list[Entry]:
    """The first entry (by name) keeps a card id; a later one claiming it too is listed as broken."""
    owners: dict[str, str] = {}
    kept = []
    for entry in entries:
        card_id = entry.assistant.card.id if entry.assistant else None
        if card_id in owners:
            sandbox.forget(entry.target)
            entry = Entry(entry.name, entry.target, None, f"its id {card_id!r} is already {owners[card_id]}'s")
        elif card_id is not None:
            owners[card_id] = entry.name
        kept.append(entry)
    return kept


@lru_cache(maxsize=1)
def discover() -> tuple[Entry, ...]:
    """Every registered assistant, sorted by name (built-ins first on a tie); cached for the life of the process.

    All workers start at once, so listing takes one plugin's import time, not their sum.
    """
    points = sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, not _is_built_in(ep)))
    deadline = time.monotonic() + sandbox.IMPORT_TIME_LIMIT
    cached = card_cache.load()
    entries: list[Entry | None] = []
    started = {}
    for i, ep in enumerate(points):
        known = cached.get(ep.value)
        if is_reserved(ep.name) and not _is_built_in(ep):
            entries.append(Entry(ep.name, ep.value, None, _claim(ep, ep.name)))
        elif known is not None and known["key"] == card_cache.key(ep):
            entries.append(_entry(ep, known["plain"]))
        else:
            started[i] = sandbox.worker(ep.value)
            entries.append(None)
    for i, worker in started.items():
        entries[i] = _load(points[i], worker, deadline)
    if started:
        card_cache.save({points[i].value: {"key": card_cache.key(points[i]), "plain": worker.described}
                         for i, worker in started.items() if not entries[i].broken})
    return tuple(_without_clashes(entries))


def find(name: str) -> Assistant:
    """The working assistant registered (or carded) as `name`; AssistantError naming the choices otherwise."""
    entries = discover()
    matching = [e for e in entries if name in (e.name, e.assistant and e.assistant.card.id)]
    working = [e for e in matching if not e.broken]
    if working:  # a broken claimant of a built-in's name never hides the built-in
        return working[0].assistant
    if matching:
        raise AssistantError(f"assistant {name!r} is broken: {matching[0].error}")
    available = ", ".join(e.name for e in entries if not e.broken) or "none"
    raise AssistantError(f"unknown assistant {name!r}; available: {available}")
