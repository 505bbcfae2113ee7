"""The words the ledger and the exports use, taken from W3C PROV, C2PA and IPTC.

Keeping them in one place lets an exporter map a Cowrite event to a C2PA
actions assertion or a PROV statement without guessing.
"""

# C2PA actions (https://c2pa.org/specifications/, "Actions")
CREATED = "c2pa.created"  # new content made by the actor
EDITED = "c2pa.edited"  # existing content changed
PLACED = "c2pa.placed"  # content from elsewhere (a suggestion, a file) put into the song
REMOVED = "c2pa.removed"  # content taken out
OPENED = "c2pa.opened"  # an existing asset opened (here: a MIDI file imported)
PUBLISHED = "c2pa.published"  # an export written
# Cowrite actions that C2PA has no word for: they change no notes
SUGGESTED = "cowrite.suggested"  # an assistant proposed notes (pending)
REJECTED = "cowrite.rejected"  # a person turned a suggestion down
DISCARDED = "cowrite.discarded"  # events written but never saved (a crash), declared void

# W3C PROV relations (https://www.w3.org/TR/prov-o/)
GENERATED = "generated"  # prov:wasGeneratedBy
DERIVED = "derivedFrom"  # prov:wasDerivedFrom
INVALIDATED = "invalidated"  # prov:wasInvalidatedBy
USED = "used"  # prov:used (read but not changed)

# IPTC digital source types (https://cv.iptc.org/newscodes/digitalsourcetype/)
IPTC_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DIGITAL_CREATION = "digitalCreation"
HUMAN_EDITS = "humanEdits"
TRAINED_ALGORITHMIC = "trainedAlgorithmicMedia"
ALGORITHMIC = "algorithmicMedia"
COMPOSITE_TRAINED = "compositeWithTrainedAlgorithmicMedia"
COMPOSITE_SYNTHETIC = "compositeSynthetic"

# How a note came to be, as a teacher would ask
HUMAN = "human"
AI = "ai"
AI_EDITED = "ai-edited-by-human"
HUMAN_TRANSFORMED = "human-transformed-by-ai"
NOTE_CLASSES = (HUMAN, AI, AI_EDITED, HUMAN_TRANSFORMED)
