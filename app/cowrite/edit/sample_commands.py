"""Putting a sample on a drum pad or across an instrument track's keyboard, or taking it off."""

from __future__ import annotations

from dataclasses import dataclass

from cowrite.attribution import vocabulary as V
from cowrite.edit.changes import TrackField
from cowrite.edit.command import Command, Planned, Planner
from cowrite.edit.errors import EditError
from cowrite.edit.track_commands import require_track
from cowrite.model import SampleRef
from cowrite.model.track import check_sample_place


@dataclass
class AssignSample(Command):
    """`pitch` is the drum key of a pad (None: the instrument track's keyboard); `ref` None removes the sample.

    A sample is an ingredient from outside the song, so the ledger records it as
    placed (C2PA), with its SHA-256 in the before/after values.
    """

    track_id: str
    pitch: int | None
    ref: SampleRef | None
    op = "assign_sample"

    def plan(self, planner: Planner) -> Planned:
        track = require_track(planner.song, self.track_id)
        try:
            check_sample_place(track, self.pitch)
        except ValueError as e:
            raise EditError(f"track {track.name!r}: {e}") from None
        if self.ref is not None and not isinstance(self.ref, SampleRef):
            raise EditError(f"track {track.name!r}: {self.ref!r} is not a sample")
        if self.pitch is None:
            before = track.sample
            change = TrackField(track.id, "sample", before, self.ref)
        else:
            before = track.pads.get(self.pitch)
            pads = {key: ref for key, ref in track.pads.items() if key != self.pitch}
            if self.ref is not None:
                pads[self.pitch] = self.ref
            change = TrackField(track.id, "pads", track.pads, dict(sorted(pads.items())))
        event = {"op": self.op, "action": V.REMOVED if self.ref is None else V.PLACED,
                 "prov": V.INVALIDATED if self.ref is None else V.DERIVED,
                 "subject": {"track": track.id, "pad": "keyboard" if self.pitch is None else self.pitch},
                 "before": before.to_json() if before else None,
                 "after": self.ref.to_json() if self.ref else None}
        return Planned([change] if before != self.ref else [], event)
