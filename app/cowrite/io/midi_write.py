"""Write a song as a Standard MIDI File (format 1, 960 PPQ).

mido rather than symusic: speed matters less here than exact control over the
meta events (title, tempo and meter maps, key, the credits text).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import mido

from cowrite.io.atomic import write_atomically
from cowrite.model import DRUM_CHANNEL, PPQ, Key, Song, Track

_MAJORS = "Cb Gb Db Ab Eb Bb F C G D A E B F# C#".split()  # index = sharps + 7
_MINORS = "Ab Eb Bb F C G D A E B F# C# G# D# A#".split()


def write_midi(song: Song, path: Path, texts: list[str]) -> bytes:
    """Write `song` to `path` atomically and return the bytes written.

    Track 0 is the conductor: title, tempo and meter changes, key, and one text
    event per string in `texts`. Then one track per song track, muted ones too
    (mute is a mixer setting, not part of the music).
    """
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ)
    midi.tracks.append(_conductor(song, texts))
    midi.tracks += [_track(track) for track in song.tracks]
    buffer = BytesIO()
    midi.save(file=buffer)  # mido ends every track with end_of_track
    data = buffer.getvalue()
    write_atomically(path, data)
    return data


def _utf8(text: str) -> str:
    """mido encodes meta text as Latin-1; this makes it write UTF-8 bytes (what symusic and DAWs read)."""
    return text.encode("utf-8").decode("latin-1")


def _conductor(song: Song, texts: list[str]) -> mido.MidiTrack:
    events = [(0, 0, mido.MetaMessage("track_name", name=_utf8(song.title))),
              (0, 1, mido.MetaMessage("key_signature", key=_mido_key(song.key)))]
    events += [(c.tick, 2, mido.MetaMessage("time_signature", numerator=c.numerator,
                                            denominator=c.denominator)) for c in song.meter.changes]
    # min(): MIDI's 3-byte tempo cannot go below 3.58 BPM, the model's floor is 1 BPM
    events += [(c.tick, 3, mido.MetaMessage("set_tempo", tempo=min(mido.bpm2tempo(c.bpm), 0xFFFFFF)))
               for c in song.tempo.changes]
    events += [(0, 4, mido.MetaMessage("text", text=_utf8(text))) for text in texts]
    events.sort(key=lambda e: e[:2])
    return _delta([(tick, message) for tick, _, message in events])


def _track(track: Track) -> mido.MidiTrack:
    channel = DRUM_CHANNEL if track.is_drums else track.channel
    head = [(0, mido.MetaMessage("track_name", name=_utf8(track.name)))]
    if not track.is_drums:
        head.append((0, mido.Message("program_change", channel=channel, program=track.program)))
    # (tick, 0 = off / 1 = on, pitch, velocity): at equal ticks a note ends before the next begins
    events = [(n.start, 1, n.pitch, n.velocity) for n in track.notes.values()]
    events += [(n.end, 0, n.pitch, 64) for n in track.notes.values()]  # 64: the usual release velocity
    events.sort()
    return _delta(head + [(tick, mido.Message("note_on" if on else "note_off", channel=channel,
                                              note=pitch, velocity=velocity))
                          for tick, on, pitch, velocity in events])


def _delta(events: list[tuple[int, mido.Message | mido.MetaMessage]]) -> mido.MidiTrack:
    """Absolute ticks (already sorted) to the delta times a MIDI track stores."""
    track, last = mido.MidiTrack(), 0
    for tick, message in events:
        message.time, last = tick - last, tick
        track.append(message)
    return track


def _mido_key(key: Key) -> str:
    """mido's name for the key ('Bb', 'F#m'), respelled if the signature would need over 7 accidentals."""
    tonic, minor = key.tonic, key.mode == "minor"
    sharps = "FCGDAEB".index(tonic[0].upper()) - 1 + 7 * (tonic.count("#") - tonic.count("b")) - 3 * minor
    sharps += 12 * ((sharps < -7) - (sharps > 7))
    return _MINORS[sharps + 7] + "m" if minor else _MAJORS[sharps + 7]
