"""One assistant that misbehaves in whichever way its `act` parameter says, or behaves ("ok").

The worker imports it as `tests.plugins.hostile:Hostile`, like any plugin.
"""

import ctypes
import itertools
import os

import numpy

from cowrite.assistants.api import ALGORITHMIC, Assistant, Card, Choice, Draft, ModelInfo, ProposedNote

ACTS = ("ok", "float-pitch", "float-start", "bool-pitch", "text-pitch", "numpy", "pitch-300", "velocity-0",
        "length-0", "past-the-bars", "negative-start", "mutate-request", "exit", "segfault", "keyboard-interrupt",
        "system-exit", "endless", "ten-million", "busy-c-loop", "not-a-draft", "bad-chord")


class Hostile(Assistant):
    card = Card("hostile", "Hostile", "1.0.0", "melody", "Misbehaves on request.",
                ModelInfo("rule-based", "Does what the test asks.", ALGORITHMIC))
    parameters = (Choice("act", ACTS, "ok"),)

    def suggest(self, request):
        act, tick = request.parameters["act"], request.start
        notes = {"float-pitch": [(60.5, tick, 480, 90)], "float-start": [(60, tick + 0.25, 480, 90)],
                 "bool-pitch": [(True, tick, 480, 90)], "text-pitch": [("C4", tick, 480, 90)],
                 "numpy": [(numpy.int64(62), numpy.int32(tick), numpy.uint16(480), numpy.int8(90))],
                 "pitch-300": [(300, tick, 480, 90)], "velocity-0": [(60, tick, 480, 0)],
                 "length-0": [(60, tick, 0, 90)], "past-the-bars": [(60, request.end, 480, 90)],
                 "negative-start": [(60, -480, 480, 90)]}.get(act)
        if notes is not None:
            return Draft([ProposedNote(*n) for n in notes], act)
        return getattr(self, act.replace("-", "_"))(request)

    def ok(self, request):
        return Draft([ProposedNote(60 + request.seed % 12, t, 480, 90) for t in request.bar_starts()[:-1]], "fine")

    def mutate_request(self, request):
        draft = self.ok(request)
        request.tempo.changes[0] = type(request.tempo.changes[0])(0, 40.0)  # the plugin's copy of the map
        request.meter.changes.clear()
        object.__setattr__(request, "tempo", None)  # past the frozen dataclass, too
        return draft

    def exit(self, request):
        os._exit(0)

    def segfault(self, request):
        ctypes.string_at(0)

    def keyboard_interrupt(self, request):
        raise KeyboardInterrupt

    def system_exit(self, request):
        raise SystemExit(3)

    def endless(self, request):
        return Draft(itertools.repeat(ProposedNote(60, request.start, 10, 90)), "forever")

    def ten_million(self, request):
        return Draft([ProposedNote(60, request.start, 10, 90)] * 10_000_000, "a lot")

    def busy_c_loop(self, request):
        return Draft([], str(sum(range(10 ** 13))))  # one C call: holds the GIL for hours

    def not_a_draft(self, request):
        return [ProposedNote(60, request.start, 10, 90)]

    def bad_chord(self, request):
        return Draft([], "odd", chords=[(request.start, 960, "Cx", 0, "weird")])
