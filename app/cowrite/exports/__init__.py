"""Exports: a song written as MIDI, MusicXML or WAV, each file with its provenance.

The layer above io, audio and attribution that both the command line and the
window use, so a file exported from either is the same: `prepare` writes the
files and signs what can be signed (it only reads a song and files, so it can
run on a worker), `publish` records each file in the ledger and writes its
manifest (it touches the project, so it runs where the document lives).
"""

from cowrite.exports.prepare import EXPORT_KINDS, Prepared, ledger_actors, prepare, snapshot
from cowrite.exports.publish import publish
from cowrite.exports.signing import signing_files

__all__ = ["EXPORT_KINDS", "Prepared", "ledger_actors", "prepare", "publish", "signing_files", "snapshot"]
