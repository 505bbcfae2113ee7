"""The sandbox worker: one assistant plugin in a process of its own (`python -m cowrite.assistants.worker TARGET`).

It imports the plugin named by TARGET ("module:attribute", as its entry point
says), constructs it and reports its card; then it answers suggestion requests
until its requests pipe closes. Requests come pickled from Cowrite (trusted
data); replies go back as JSON of plain values only (see `plain`), so nothing
the plugin makes can run code in Cowrite's process. Whatever the plugin does
(raises, exits, crashes, hangs, prints) stays here: Cowrite reads the failure,
kills this process if it must, and starts a fresh one.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import signal
import sys
from multiprocessing.connection import Connection
from types import MappingProxyType

import orjson

from cowrite.assistants.assistant import Assistant
from cowrite.assistants.plain import plain_assistant, plain_draft
from cowrite.assistants.request import Draft, Request


def load(target: str) -> Assistant:
    """Import `module:attribute.path` and call it, as an entry point's load() would."""
    module, _, attribute = target.partition(":")
    factory = importlib.import_module(module)
    for part in filter(None, attribute.split(".")):
        factory = getattr(factory, part)
    assistant = factory()
    if not isinstance(assistant, Assistant):
        raise TypeError(f"{type(assistant).__name__} is not a cowrite Assistant")
    return assistant


def suggest(assistant: Assistant, request: Request, note_limit: int) -> dict:
    """The plugin's draft for the request (its parameters read-only again), as plain data."""
    request = dataclasses.replace(request, parameters=MappingProxyType(request.parameters))
    draft = assistant.suggest(request)
    if not isinstance(draft, Draft):
        raise TypeError(f"returned {type(draft).__name__}, not a Draft")
    return plain_draft(draft, note_limit)


def failure(error: BaseException) -> dict:
    """One line naming the plugin's exception, even one whose str() itself fails."""
    try:
        message = str(error).splitlines()[0] if str(error) else ""
    except BaseException:  # noqa: BLE001 - a hostile __str__ still gets named
        message = ""
    return {"error": f"{type(error).__name__}: {message}".rstrip(": ")}


def answer(work) -> bytes:
    """`work()`'s result as a JSON reply, or the failure; any BaseException (SystemExit too) is the plugin's."""
    try:
        reply = {"ok": work()}
    except BaseException as e:  # noqa: BLE001 - KeyboardInterrupt, SystemExit: only this suggestion is lost
        reply = failure(e)
    try:
        return orjson.dumps(reply)
    except (TypeError, orjson.JSONEncodeError) as e:
        return orjson.dumps(failure(e))


def protocol_pipes() -> tuple[Connection, Connection]:
    """The requests and replies pipes (stdin and stdout); the plugin gets /dev/null and stderr instead."""
    requests, replies = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # a plugin's print() goes to stderr, never into the replies
    return requests, replies


def main(target: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for Cowrite, which stops its workers itself
    requests, replies = protocol_pipes()
    loaded: dict = {}

    def describe():
        loaded["assistant"] = load(target)
        return plain_assistant(loaded["assistant"])

    replies.send_bytes(answer(describe))
    if "assistant" not in loaded:
        return
    while True:
        try:
            request, note_limit = requests.recv()
        except EOFError:  # Cowrite closed the pipe (or is gone): done
            return
        replies.send_bytes(answer(lambda: suggest(loaded["assistant"], request, note_limit)))


if __name__ == "__main__":
    main(sys.argv[1])
