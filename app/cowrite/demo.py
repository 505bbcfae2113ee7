"""The demo song: what a newcomer sees and hears first (`make run`).

Built through the one door like any song, so its ledger tells its story: Ana
writes a melody and the chords; the drums assistant proposes a groove she
accepts; the bass assistant proposes a line that Ben accepts and then edits;
the harmony assistant's first idea is rejected and part of its second kept.
"""

from __future__ import annotations

from pathlib import Path

from cowrite.assistants.registry import find
from cowrite.assistants.parameters import resolve
from cowrite.assistants.runner import propose
from cowrite.attribution.actors import Actor
from cowrite.edit import AcceptSuggestion, AddNotes, AddTrack, Macro, RejectSuggestion, SetChords, SetVelocity, Transpose
from cowrite.io.project import Project
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Song, TempoChange, TempoMap, TrackKind
from cowrite.theory.chords import chart_to_chords

BEAT = PPQ
MELODY = [  # (pitch, beat, beats) over 8 bars of A minor
    (69, 0, 1.5), (72, 1.5, 0.5), (71, 2, 1), (69, 3, 1), (67, 4, 2), (64, 6, 2),
    (65, 8, 1), (67, 9, 1), (69, 10, 1), (72, 11, 1), (71, 12, 3), (67, 15, 1),
    (69, 16, 1.5), (72, 17.5, 0.5), (76, 18, 2), (74, 20, 1), (72, 21, 1), (71, 22, 2),
    (72, 24, 1), (71, 25, 1), (67, 26, 2), (69, 28, 4),
]
CHART = "Am | F | C | G | Am | F | G | Am"


def _ask(project: Project, name: str, track: str, settings: dict, seed: int, source: str | None = None):
    song, assistant = project.song, find(name)
    return propose(project.document, assistant, song.find_track(track),
                   song.find_track(source) if source else None, 0, song.length_bars - 1,
                   resolve(assistant.parameters, settings), seed)[0]


def build(folder: Path) -> Path:
    """Write demo.cowrite (and its ledger) into `folder`, replacing an earlier demo there."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.cowrite"
    for old in (path, path.with_name(path.name + ".attribution.jsonl")):
        old.unlink(missing_ok=True)
    ana, ben = Actor.person("Ana"), Actor.person("Ben")
    song = Song(title="First Light", tempo=TempoMap([TempoChange(0, 96.0)]),
                meter=MeterMap([MeterChange(0, 4, 4)]), key=Key("A", "minor"), length_bars=8)
    project = Project.create(path, song, ana)
    doc = project.document
    melody = [(p, round(b * BEAT), round(d * BEAT), 96) for p, b, d in MELODY]
    doc.apply(Macro("Write the melody", [AddTrack("Melody", preset="lead", program=81),
                                         AddNotes("Melody", melody)]), ana)
    doc.apply(SetChords(chart_to_chords(CHART, song.meter, 8)), ana)
    doc.apply(Macro("Add tracks", [AddTrack("Drums", kind=TrackKind.DRUMS), AddTrack("Bass", preset="bass", program=33),
                                   AddTrack("Keys", preset="pad", program=89)]), ana)
    drums = _ask(project, "drums", "Drums", {"style": "lofi", "density": 0.5}, seed=7)
    doc.apply(AcceptSuggestion(drums.id), ana)
    bass = _ask(project, "bass", "Bass", {"style": "root-fifth"}, seed=3)
    doc.apply(AcceptSuggestion(bass.id), ben)
    bass_notes = project.song.find_track("Bass").sorted_notes()
    doc.apply(Transpose([bass_notes[-1].id], -12), ben)  # end an octave down
    doc.apply(SetVelocity([n.id for n in bass_notes[:4]], velocity=110), ben)  # dig into the first bar
    first_try = _ask(project, "harmony", "Keys", {"voicing": "arpeggio"}, seed=1, source="Melody")
    doc.apply(RejectSuggestion(first_try.id), ana)
    pads = _ask(project, "harmony", "Keys", {"voicing": "pad", "rhythm": "bar"}, seed=2, source="Melody")
    first_half = project.song.meter.bar_start(4)
    doc.apply(AcceptSuggestion(pads.id, [i for i, n in enumerate(pads.notes) if n.start < first_half]), ana)
    project.save()
    project.close()
    return path
