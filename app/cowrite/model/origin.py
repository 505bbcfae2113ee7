"""Where a note came from: who created it, from which suggestion, and who changed it since.

Actors are named by id strings: ``person:NAME`` for people and
``assistant:ID@VERSION`` for assistants. The model stores only those ids; the
attribution layer knows what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The note attributes whose later changes are tracked.
EDITABLE = ("pitch", "timing", "length", "velocity")


def is_person(actor_id: str) -> bool:
    return actor_id.startswith("person:")


@dataclass(frozen=True, slots=True)
class Origin:
    """Immutable, so the many notes created by one action can share one instance."""

    created_by: str
    suggestion: str | None = None
    #: attributes a person changed after creation (subset of EDITABLE)
    edited: frozenset[str] = frozenset()
    #: people who changed the note after creation, in order of first edit
    edited_by: tuple[str, ...] = ()
    #: assistants that transformed the note after creation
    transformed_by: tuple[str, ...] = ()

    def after_change(self, actor_id: str, attributes: frozenset[str]) -> Origin:
        """The origin of this note once `actor_id` has changed `attributes`."""
        if not attributes:
            return self
        if is_person(actor_id):
            editors = self.edited_by if actor_id in self.edited_by else (*self.edited_by, actor_id)
            return Origin(self.created_by, self.suggestion, self.edited | attributes,
                          editors, self.transformed_by)
        if actor_id in self.transformed_by or actor_id == self.created_by:
            return self
        return Origin(self.created_by, self.suggestion, self.edited, self.edited_by,
                      (*self.transformed_by, actor_id))

    def to_json(self) -> dict:
        data: dict = {"created_by": self.created_by}
        if self.suggestion:
            data["suggestion"] = self.suggestion
        if self.edited:
            data["edited"] = sorted(self.edited)
        if self.edited_by:
            data["edited_by"] = list(self.edited_by)
        if self.transformed_by:
            data["transformed_by"] = list(self.transformed_by)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Origin:
        return cls(
            created_by=data["created_by"],
            suggestion=data.get("suggestion"),
            edited=frozenset(data.get("edited", ())),
            edited_by=tuple(data.get("edited_by", ())),
            transformed_by=tuple(data.get("transformed_by", ())),
        )
