"""An assistant's card: who it is, what it does, and what its model learned from."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MODEL_TYPES = ("rule-based", "statistical", "neural")
KINDS = ("drums", "bass", "harmony", "melody", "transform")


@dataclass(frozen=True)
class TrainingSource:
    """One body of data a model learned from."""

    name: str
    url: str
    licence: str
    share: float = 1.0  # fraction of the training data
    user_data: bool = False  # the user's own music, used only with their consent


@dataclass(frozen=True)
class ModelInfo:
    type: str  # one of MODEL_TYPES
    summary: str  # one or two sentences a teacher can read out
    #: IPTC digital source type of the output: trainedAlgorithmicMedia, algorithmicMedia
    source_type: str
    training_data: tuple[TrainingSource, ...] = ()

    @property
    def user_data_share(self) -> float:
        return sum(s.share for s in self.training_data if s.user_data)


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    version: str
    kind: str  # one of KINDS
    description: str
    model: ModelInfo

    @property
    def actor_id(self) -> str:
        return f"assistant:{self.id}@{self.version}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["model"]["user_data_share"] = self.model.user_data_share
        return data


def check_card(card: Card) -> None:
    """ValueError for a card Cowrite cannot show honestly."""
    if not card.id or not card.id.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"assistant id {card.id!r} must be letters, digits, - or _")
    if not card.version:
        raise ValueError(f"assistant {card.id!r} has no version")
    if card.model.type not in MODEL_TYPES:
        raise ValueError(f"assistant {card.id!r}: model type {card.model.type!r} is not one of {MODEL_TYPES}")
    if card.model.type != "rule-based" and not card.model.training_data:
        raise ValueError(f"assistant {card.id!r}: a {card.model.type} model must name its training data")
