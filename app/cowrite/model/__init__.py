"""The song model: plain data, no Qt, changed only through `cowrite.edit`."""

from cowrite.model.harmony import QUALITIES, Chord, Key
from cowrite.model.note import Note, changed_attributes, check_note_values
from cowrite.model.origin import EDITABLE, Origin, is_person
from cowrite.model.sample_ref import SampleRef
from cowrite.model.song import Song
from cowrite.model.suggestion import ProposedNote, Suggestion
from cowrite.model.timing import PPQ, MeterChange, MeterMap, TempoChange, TempoMap
from cowrite.model.track import DRUM_CHANNEL, TRACK_PROPERTIES, Track, TrackKind

__all__ = [
    "DRUM_CHANNEL", "EDITABLE", "PPQ", "QUALITIES", "TRACK_PROPERTIES", "Chord", "Key",
    "MeterChange", "MeterMap", "Note", "Origin", "ProposedNote", "SampleRef", "Song", "Suggestion",
    "TempoChange", "TempoMap", "Track", "TrackKind", "changed_attributes",
    "check_note_values", "is_person",
]
