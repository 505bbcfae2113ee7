"""A suggestion: notes (and chords) an assistant proposed, pending until a person acts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from cowrite.model.harmony import Chord


class ProposedNote(NamedTuple):
    """A note of a suggestion; it gets an id and an origin only when accepted."""

    pitch: int
    start: int
    duration: int
    velocity: int


PENDING, ACCEPTED, PARTLY_ACCEPTED, REJECTED = "pending", "accepted", "partly-accepted", "rejected"


@dataclass(eq=False)
class Suggestion:
    id: str
    assistant: str  # actor id, "assistant:drums@1.0.0"
    track_id: str
    parameters: dict
    seed: int
    notes: list[ProposedNote]
    chords: list[Chord] = field(default_factory=list)
    explanation: str = ""
    #: the IPTC digital source type of the assistant's output, e.g. trainedAlgorithmicMedia
    source_type: str = "algorithmicMedia"
    bars: tuple[int, int] = (0, 0)
    status: str = PENDING
    #: choices the assistant weighed: [{"start", "chosen", "options": [[label, probability], ...]}]
    alternatives: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id, "assistant": self.assistant, "track": self.track_id,
            "parameters": self.parameters, "seed": self.seed,
            "notes": [list(n) for n in self.notes],
            "chords": [c.to_json() for c in self.chords],
            "explanation": self.explanation, "source_type": self.source_type,
            "bars": list(self.bars), "status": self.status, "alternatives": self.alternatives,
        }

    @classmethod
    def from_json(cls, data: dict) -> Suggestion:
        return cls(
            id=data["id"], assistant=data["assistant"], track_id=data["track"],
            parameters=data["parameters"], seed=data["seed"],
            notes=[ProposedNote(*n) for n in data["notes"]],
            chords=[Chord.from_json(c) for c in data.get("chords", [])],
            explanation=data.get("explanation", ""), source_type=data.get("source_type", "algorithmicMedia"),
            bars=tuple(data.get("bars", (0, 0))), status=data.get("status", PENDING),
            alternatives=data.get("alternatives", []),
        )
