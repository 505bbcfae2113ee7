"""The demo song: what a newcomer sees and hears first (`make run`).

Built through the one door like any song, so its ledger tells its story: Ana
writes a melody and the chords, Ben adds a bassline, Ana nudges one of his notes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cowrite.attribution.actors import Actor
from cowrite.edit import AddNotes, AddTrack, Macro, MoveNotes, SetChords
from cowrite.io.project import Project
from cowrite.model import PPQ, Key, MeterChange, MeterMap, Song, TempoChange, TempoMap
from cowrite.theory.chords import chart_to_chords

BEAT = PPQ
MELODY = [  # (pitch, beat, beats) over 8 bars of A minor
    (69, 0, 1.5), (72, 1.5, 0.5), (71, 2, 1), (69, 3, 1), (67, 4, 2), (64, 6, 2),
    (65, 8, 1), (67, 9, 1), (69, 10, 1), (72, 11, 1), (71, 12, 3), (67, 15, 1),
    (69, 16, 1.5), (72, 17.5, 0.5), (76, 18, 2), (74, 20, 1), (72, 21, 1), (71, 22, 2),
    (72, 24, 1), (71, 25, 1), (67, 26, 2), (69, 28, 4),
]
CHART = "Am | F | C | G | Am | F | G | Am"
BASS_ROOTS = [45, 41, 48, 43, 45, 41, 43, 45]


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
    bass = [(root, bar * 4 * BEAT + beat * BEAT, BEAT - 60, 100 if beat in (0, 2) else 84)
            for bar, root in enumerate(BASS_ROOTS) for beat in range(4)]
    doc.apply(Macro("Write the bassline", [AddTrack("Bass", preset="bass", program=33),
                                           AddNotes("Bass", bass)]), ben)
    first_bass = min(project.song.find_track("Bass").notes)
    doc.apply(MoveNotes([first_bass + 3], semitones=7), ana)  # a fifth on beat 4 leads into F
    project.save()
    project.close()
    return path


def main(argv: list[str] | None = None) -> int:
    from cowrite.cli.main import main as cowrite

    folder = Path((argv or sys.argv[1:] or ["out/demo"])[0])
    path = build(folder)
    print(f"Demo song written to {path}\n")
    for command in (["info"], ["credits"], ["history"], ["verify"]):
        cowrite([*command, str(path)])
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
