"""The one door: typed commands applied to a document, recorded in the ledger, undoable."""

from cowrite.edit.chord_commands import (ClearChords, DetectChords, clear_chord_command, clear_chords_command,
                                         detect_chords_command, set_chord_command)
from cowrite.edit.command import Command, Planned, Planner
from cowrite.edit.document import ChangeSet, Document
from cowrite.edit.errors import EditError
from cowrite.edit.import_command import ImportedSong, ImportedTrack, ImportSong
from cowrite.edit.macro import Macro
from cowrite.edit.note_commands import (AddNotes, DeleteNotes, MoveNotes, Quantize, ResizeNotes, SetNoteValues,
                                        SetVelocity, SplitNote, Transpose)
from cowrite.edit.sample_commands import AssignSample
from cowrite.edit.song_commands import (SetChords, SetKey, SetLength, SetMeter, SetMeterMap, SetTempo,
                                        SetTempoMap, SetTitle)
from cowrite.edit.suggestion_commands import (ACCEPT_MODES, LAYER, REPLACE, AcceptOutcome, AcceptSuggestion,
                                              ProposeSuggestion, RejectSuggestion, accept_outcome)
from cowrite.edit.track_commands import AddTrack, MoveTrack, RemoveTrack, RenameTrack, SetTrackProperty

__all__ = [
    "ACCEPT_MODES", "LAYER", "REPLACE", "AcceptOutcome", "ClearChords", "DetectChords", "accept_outcome",
    "clear_chord_command", "clear_chords_command", "detect_chords_command", "set_chord_command",
    "AcceptSuggestion", "AddNotes", "AddTrack", "AssignSample", "ChangeSet", "Command", "DeleteNotes", "Document",
    "EditError", "ImportSong", "ImportedSong", "ImportedTrack", "Macro", "MoveNotes", "MoveTrack", "Planned", "Planner",
    "ProposeSuggestion", "Quantize", "RejectSuggestion", "RemoveTrack", "RenameTrack", "ResizeNotes",
    "SetChords", "SetKey", "SetLength", "SetMeter", "SetMeterMap", "SetNoteValues", "SetTempo", "SetTempoMap",
    "SetTitle", "SetTrackProperty", "SetVelocity", "SplitNote", "Transpose",
]
