"""The disclosure label: an IPTC digital source type and a sentence a listener understands."""

from __future__ import annotations

from cowrite.attribution import vocabulary as V

TRAINED = {V.TRAINED_ALGORITHMIC, V.COMPOSITE_TRAINED}

#: every IPTC digital source type Cowrite uses, in words a listener knows; the code is shown beside them, small,
#: for the reader (or the program) that wants the standard's term
PLAIN_LABELS = {
    V.DIGITAL_CREATION: "Made by people, without AI",
    V.HUMAN_EDITS: "Made by people, edited by hand",
    V.TRAINED_ALGORITHMIC: "Made by AI assistants (trained models)",
    V.ALGORITHMIC: "Made by music programs following rules",
    V.COMPOSITE_TRAINED: "Made by people with help from AI assistants",
    V.COMPOSITE_SYNTHETIC: "Made by people with help from rule-based music programs",
}


def plain_label(term: str) -> str:
    """The label of an IPTC digital source type in plain words (an unknown term as it is: never a guess)."""
    return PLAIN_LABELS.get(term, term)


def source_type(class_counts: dict[str, int], ai_source_types: set[str]) -> str:
    """The IPTC term for the song's notes.

    `class_counts` counts final notes per note class; `ai_source_types` holds
    the source types of the assistants whose notes are in the song.
    """
    ai_notes = class_counts.get(V.AI, 0) + class_counts.get(V.AI_EDITED, 0) + class_counts.get(
        V.HUMAN_TRANSFORMED, 0)
    if not ai_notes:
        return V.DIGITAL_CREATION
    trained = bool(ai_source_types & TRAINED)
    if class_counts.get(V.AI, 0) == sum(class_counts.values()):
        return V.TRAINED_ALGORITHMIC if trained else V.ALGORITHMIC
    return V.COMPOSITE_TRAINED if trained else V.COMPOSITE_SYNTHETIC


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%" if share >= 0.01 or share == 0 else "under 1%"


def sentence(people: list[str], total: int, ai_notes: int, ai_tracks: list[str], assistants: list[str],
             edited_ai: int, transformed: int) -> str:
    """One plain sentence (or two) naming who made the music and what AI did."""
    if total == 0:
        return "This song has no notes yet."
    writers = _names(people) if people else "No person"
    if not ai_notes:
        return f"Written by {writers}; no AI generated any of its notes."
    parts = [f"{_percent(ai_notes / total)} of the notes"]
    if ai_tracks:
        parts.append(f"({_names(ai_tracks)})")
    text = (f"Written by {writers} with AI assistance: {' '.join(parts)} came from AI assistants "
            f"({_names(assistants)}) and were chosen by a person")
    if edited_ai:
        text += f"; {edited_ai} of them were then edited by hand"
    if transformed:
        text += f"; {transformed} notes a person wrote were changed by an assistant"
    return text + "."
