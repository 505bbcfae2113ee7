"""Who acts on a song: a person, or an assistant at a given version (W3C PROV agents)."""

from __future__ import annotations

from dataclasses import dataclass

PERSON, ASSISTANT = "person", "assistant"
PROV_TYPES = {PERSON: "prov:Person", ASSISTANT: "prov:SoftwareAgent"}


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str  # PERSON or ASSISTANT
    name: str  # a person's name, or an assistant's id ("drums")
    version: str = ""  # assistants only

    @classmethod
    def person(cls, name: str) -> Actor:
        name = " ".join(name.split())
        if not name:
            raise ValueError("an author needs a name")
        return cls(PERSON, name)

    @classmethod
    def assistant(cls, assistant_id: str, version: str) -> Actor:
        if not assistant_id or not version:
            raise ValueError("an assistant needs an id and a version")
        return cls(ASSISTANT, assistant_id, version)

    @classmethod
    def parse(cls, actor_id: str) -> Actor:
        """The inverse of `id`: 'person:Ana' or 'assistant:drums@1.0.0'."""
        kind, _, rest = actor_id.partition(":")
        if kind == PERSON and rest:
            return cls(PERSON, rest)
        if kind == ASSISTANT and "@" in rest:
            name, _, version = rest.rpartition("@")
            return cls(ASSISTANT, name, version)
        raise ValueError(f"not an actor id: {actor_id!r}")

    @property
    def id(self) -> str:
        return f"{PERSON}:{self.name}" if self.kind == PERSON else f"{ASSISTANT}:{self.name}@{self.version}"

    @property
    def is_person(self) -> bool:
        return self.kind == PERSON

    @property
    def label(self) -> str:
        """How credits name the actor: 'Ana', or 'drums@1.0.0'."""
        return self.name if self.is_person else f"{self.name}@{self.version}"

    def to_json(self) -> dict:
        return {"id": self.id, "type": PROV_TYPES[self.kind]}
