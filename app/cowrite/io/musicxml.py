"""Export a song as MusicXML, so a teacher can open it in MuseScore, Finale or Sibelius.

music21 does the notation (measures, ties, voices, beams); it is imported only
when a song is exported because importing it takes a noticeable fraction of a second.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem
from cowrite.model import PPQ, Chord, Song, Track

SIXTEENTH, EIGHTH_TRIPLET = PPQ // 4, PPQ // 3

#: music21's chord kind where it differs from our quality word
_KINDS = {"half-diminished": "half-diminished-seventh"}


def write_musicxml(song: Song, path: Path) -> None:
    """Write `song` to `path`; on any failure raise FileProblem and leave `path` as it was."""
    if not song.tracks:
        raise FileProblem(path, "cannot write MusicXML: the song has no tracks")
    import music21  # noqa: PLC0415  (slow import, paid only by people who export)

    try:
        data = music21.musicxml.m21ToXml.GeneralObjectExporter(_score(song, music21)).parse()
    except Exception as e:  # music21 raises builtin errors as well as its own
        reason = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        raise FileProblem(path, f"cannot write MusicXML: {reason}") from e
    write_atomically(path, data)


def snap(ticks: int) -> int:
    """The nearest 1/16 or 1/8-triplet line (1/16 on a tie), so the notation stays readable."""
    sixteenth = round(ticks / SIXTEENTH) * SIXTEENTH
    triplet = round(ticks / EIGHTH_TRIPLET) * EIGHTH_TRIPLET
    return triplet if abs(triplet - ticks) < abs(sixteenth - ticks) else sixteenth


def _ql(ticks: int) -> Fraction:
    """Ticks as music21 quarter lengths; a Fraction keeps triplets exact."""
    return Fraction(ticks, PPQ)


def _ticks(quarter_length) -> int:
    """music21 offsets mix floats and Fractions; ticks compare exactly."""
    return round(quarter_length * PPQ)


def _score(song: Song, m21):
    """The song as a music21 score, notated here so every bar is complete and visible."""
    events = {track.id: _events(track) for track in song.tracks}
    last = max([song.end_tick, 1] + [start + dur for ev in events.values() for start, dur, _ in ev])
    end = song.meter.bar_start(song.meter.bars_to_cover(last))
    chord_track = next((t for t in song.tracks if not t.is_drums), None)
    score = m21.stream.Score()
    # an empty composer, or music21 credits "Music21" as the composer
    score.metadata = m21.metadata.Metadata(title=song.title, composer="")
    for index, track in enumerate(song.tracks):
        part = m21.stream.Part()
        part.partName = track.name
        part.insert(0, m21.clef.PercussionClef() if track.is_drums else m21.clef.TrebleClef())
        if not track.is_drums:
            part.insert(0, m21.key.Key(_m21_name(song.key.tonic), song.key.mode))
        for change in song.meter.changes:
            if change.tick < end:
                part.insert(_ql(change.tick), m21.meter.TimeSignature(str(change)))
        if index == 0:
            for change in song.tempo.changes:
                if snap(change.tick) < end:
                    part.insert(_ql(snap(change.tick)), m21.tempo.MetronomeMark(number=change.bpm))
        for start, duration, pitches in events[track.id]:
            element = m21.note.Note(pitches[0]) if len(pitches) == 1 else m21.chord.Chord(pitches)
            element.quarterLength = _ql(duration)
            part.insert(_ql(start), element)
        _notate(part, song, end, m21)
        if track is chord_track:
            _add_chord_symbols(part, song, end, m21)
        score.insert(0, part)
    return score


def _events(track: Track) -> list[tuple[int, int, list[int]]]:
    """Quantized (start, duration, pitches); notes starting together with one length
    form a chord, which reads better than a voice per note."""
    groups: dict[tuple[int, int], set[int]] = {}
    for note in track.notes.values():
        key = (snap(note.start), max(snap(note.duration), SIXTEENTH))
        groups.setdefault(key, set()).add(note.pitch)
    return [(start, dur, sorted(pitches)) for (start, dur), pitches in sorted(groups.items())]


def _notate(part, song: Song, end: int, m21) -> None:
    """Bars up to `end`, ties over bar lines, voices only in bars where notes overlap,
    and rests filling every bar, since notation programs reject incomplete bars."""
    part.makeMeasures(refStreamOrTimeRange=[0, _ql(end)], inPlace=True)
    part.makeTies(inPlace=True)
    for measure in part.getElementsByClass(m21.stream.Measure):
        measure.makeVoices(inPlace=True, fillGaps=False)
        bar = song.meter.at(_ticks(measure.offset)).bar_ticks
        for container in measure.voices or [measure]:
            _fill_rests(container, bar, m21)


def _fill_rests(container, bar: int, m21) -> None:
    """A rest in every gap. Done here, with `fullMeasure` set, because music21 looks up
    the time signature for each bar and rest otherwise: seconds in a long song."""
    gaps, position = [], 0
    for element in container.notes:
        start = _ticks(element.offset)
        if start > position:
            gaps.append((position, start))
        position = max(position, start + _ticks(element.quarterLength))
    if position < bar:
        gaps.append((position, bar))
    for start, stop in gaps:
        rest = m21.note.Rest(quarterLength=_ql(stop - start))
        rest.fullMeasure = stop - start == bar
        container.insert(_ql(start), rest)


def _add_chord_symbols(part, song: Song, end: int, m21) -> None:
    """Added after the voices are made, which would otherwise treat symbols as notes."""
    measures = list(part.getElementsByClass(m21.stream.Measure))
    for chord in song.chords:
        tick = snap(chord.start)
        symbol = _chord_symbol(chord, m21) if tick < end else None
        if symbol is not None:
            bar = song.meter.bar_at(tick)
            measures[bar].insert(_ql(tick - song.meter.bar_start(bar)), symbol)


def _m21_name(name: str) -> str:
    """'Bb' -> 'B-': music21 writes flats as '-'."""
    return name[0] + name[1:].replace("b", "-")


def _chord_symbol(chord: Chord, m21):
    """The symbol as written if music21 reads the same root from it, else one built from
    root and quality; None when neither works (the chord is then left out, not the export)."""
    text = re.sub(r"(^|/)([A-G])b", r"\1\2-", chord.symbol)
    try:
        symbol = m21.harmony.ChordSymbol(text)
        if symbol.root().pitchClass == chord.root:
            return symbol
    except Exception:  # music21 parses symbol text loosely and fails in many ways
        pass
    try:
        bass = None if chord.bass is None else m21.pitch.Pitch(chord.bass).name
        return m21.harmony.ChordSymbol(root=m21.pitch.Pitch(chord.root).name, bass=bass,
                                       kind=_KINDS.get(chord.quality, chord.quality))
    except Exception:
        return None
