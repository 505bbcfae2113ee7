"""A suggestion: notes (and chords) an assistant proposed, pending until a person acts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from cowrite.model.harmony import QUALITIES, Chord
from cowrite.model.note import check_note_values


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
        """The suggestion as saved; ValueError naming the first impossible note or chord (see check_suggestion)."""
        suggestion = cls(
            id=data["id"], assistant=data["assistant"], track_id=data["track"],
            parameters=data["parameters"], seed=data["seed"],
            notes=[ProposedNote(*n) for n in data["notes"]],
            chords=[Chord.from_json(c) for c in data.get("chords", [])],
            explanation=data.get("explanation", ""), source_type=data.get("source_type", "algorithmicMedia"),
            bars=tuple(data.get("bars", (0, 0))), status=data.get("status", PENDING),
            alternatives=data.get("alternatives", []),
        )
        check_suggestion(suggestion)
        return suggestion


def check_chord(chord: Chord) -> None:
    """Raise ValueError naming what a chord cannot be: ticks and pitch classes whole numbers in range."""
    start, duration, symbol, root, quality, bass = chord
    for name, value in (("start", start), ("duration", duration), ("root", root)):
        if type(value) is not int:
            raise ValueError(f"chord {name} {value!r} is not a whole number")
    if start < 0 or duration < 1:
        raise ValueError(f"chord at tick {start} lasting {duration} ticks is impossible")
    if not isinstance(symbol, str) or quality not in QUALITIES:
        raise ValueError(f"chord {symbol!r} has an unknown quality {quality!r}")
    if not 0 <= root <= 11 or not (bass is None or type(bass) is int and 0 <= bass <= 11):
        raise ValueError(f"chord {symbol!r}: root {root!r} or bass {bass!r} is not a pitch class 0..11")


def check_suggestion(s: Suggestion) -> None:
    """Raise ValueError naming the suggestion and its first impossible note or chord.

    Called when a song is read and again when a suggestion is accepted, so a
    damaged suggestion in a file can never put an impossible note in a track.
    """
    for i, note in enumerate(s.notes):
        try:
            check_note_values(*note)
        except (TypeError, ValueError) as e:
            raise ValueError(f"suggestion {s.id} note {i}: {e}") from None
    for chord in s.chords:
        try:
            check_chord(chord)
        except (TypeError, ValueError) as e:
            raise ValueError(f"suggestion {s.id}: {e}") from None
