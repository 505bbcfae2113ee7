"""MIDI import (symusic) and export (mido): round trip, splitting, rescaling and bad files."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import mido
import pytest

from cowrite.io import midi_read
from cowrite.io.errors import FileProblem
from cowrite.io.midi_read import read_midi
from cowrite.io.midi_write import write_midi
from cowrite.model import (Key, MeterChange, MeterMap, Note, Origin, Song, TempoChange, TempoMap,
                           Track, TrackKind)
from tests.midi_factory import (chunk, event, header, key_signature, name, note, smf, tempo,
                                time_signature, track)

ANA = Origin("person:Ana")


def make_song() -> Song:
    piano = [(60, 0, 480, 90), (64, 0, 480, 80), (67, 480, 960, 100), (60, 480, 240, 1),
             (60, 720, 240, 127), (72, 3840, 1, 64)]  # 60 ends at 720 exactly where it restarts
    bass = [(36, 0, 1920, 70), (43, 1920, 1920, 70), (38, 1000, 100, 50)]
    drums = [(36, 0, 120, 110), (42, 0, 120, 60), (38, 960, 120, 100), (42, 480, 120, 60)]

    def notes(rows, first):
        return {first + i: Note(first + i, *row, ANA) for i, row in enumerate(rows)}

    return Song(
        title="Round Trip",
        tempo=TempoMap([TempoChange(0, 96.0), TempoChange(3840, 140.5), TempoChange(7680, 72.333)]),
        meter=MeterMap([MeterChange(0, 4, 4), MeterChange(3840, 3, 4), MeterChange(6720, 6, 8)]),
        key=Key("Bb", "minor"),
        tracks=[Track("t1", "Piano", program=0, channel=0, notes=notes(piano, 1)),
                Track("t2", "Bass ♭", program=33, channel=3, mute=True, notes=notes(bass, 100)),
                Track("t3", "Drums", TrackKind.DRUMS, channel=9, notes=notes(drums, 200))])


def rows(track: Track) -> list[tuple]:
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in track.notes.values())


def write_file(tmp_path, data: bytes, file_name: str = "song.mid"):
    path = tmp_path / file_name
    path.write_bytes(data)
    return path


# --- round trip --------------------------------------------------------------------------


def test_round_trip_keeps_notes_tracks_tempo_meter_and_key(tmp_path):
    song, path = make_song(), tmp_path / "out.mid"
    data = write_midi(song, path, ["credits"])
    assert path.read_bytes() == data
    back = read_midi(path)
    assert back.title == "Round Trip"
    assert back.key == Key("Bb", "minor")
    assert TempoMap(back.tempo) == song.tempo
    assert MeterMap(back.meter) == song.meter
    assert back.warnings == []
    assert [(t.name, t.kind, t.channel, t.program) for t in back.tracks] == [
        ("Piano", TrackKind.INSTRUMENT, 0, 0), ("Bass ♭", TrackKind.INSTRUMENT, 3, 33),
        ("Drums", TrackKind.DRUMS, 9, 0)]
    for imported, original in zip(back.tracks, song.tracks):
        assert sorted(imported.notes) == rows(original)
    assert back.source == str(path)
    assert back.sha256 == hashlib.sha256(data).hexdigest()


def test_written_file_has_conductor_texts_and_real_note_offs(tmp_path):
    path = tmp_path / "out.mid"
    write_midi(make_song(), path, ["Credits: Ana (music)", "ledger head 3f2a…"])
    midi = mido.MidiFile(path)
    assert midi.type == 1 and midi.ticks_per_beat == 960 and len(midi.tracks) == 4
    conductor = midi.tracks[0]
    texts = [m.text.encode("latin-1").decode("utf-8") for m in conductor if m.type == "text"]
    assert texts == ["Credits: Ana (music)", "ledger head 3f2a…"]
    assert conductor[0].type == "track_name" and conductor[0].name == "Round Trip"
    assert [m.type for m in conductor].count("set_tempo") == 3
    assert [m.type for m in conductor].count("time_signature") == 3
    assert [m.key for m in conductor if m.type == "key_signature"] == ["Bbm"]
    assert all(m.time == 0 for m in conductor if m.type == "text")
    piano = midi.tracks[1]
    assert not any(m.type == "note_on" and m.velocity == 0 for m in piano)
    tick, at_720 = 0, []
    for message in piano:
        tick += message.time
        if tick == 720 and message.type.startswith("note"):
            at_720.append(message.type)
    assert at_720 == ["note_off", "note_on"]  # the ending note is released before it restarts
    assert not any(m.type == "program_change" for m in midi.tracks[3])  # drums
    assert {m.channel for m in midi.tracks[3] if m.type.startswith("note")} == {9}


def test_key_spellings_survive_export(tmp_path):
    for key, expected in [(Key("F#", "major"), Key("F#", "major")),
                          (Key("D#", "major"), Key("Eb", "major")),  # 9 sharps: written as 3 flats
                          (Key("C#", "minor"), Key("C#", "minor")),
                          (Key("Gb", "minor"), Key("F#", "minor"))]:
        song = make_song()
        song.key = key
        write_midi(song, tmp_path / "k.mid", [])
        assert read_midi(tmp_path / "k.mid").key == expected


def test_tempo_below_what_midi_can_store_is_written_as_the_slowest_midi_tempo(tmp_path):
    write_midi(Song(tempo=TempoMap([TempoChange(0, 1.0)])), tmp_path / "slow.mid", [])
    assert read_midi(tmp_path / "slow.mid").tempo == [TempoChange(0, 3.576)]


def test_empty_song_writes_only_the_conductor(tmp_path):
    write_midi(Song(title="Nothing yet"), tmp_path / "empty.mid", [])
    back = read_midi(tmp_path / "empty.mid")
    assert (back.title, back.tracks, back.warnings) == ("Nothing yet", [], ["the file holds no notes"])
    assert back.key == Key("C", "major") and back.meter == [MeterChange(0, 4, 4)]


# --- reading -----------------------------------------------------------------------------


def test_type0_file_is_split_by_channel_and_channel_10_is_drums(tmp_path):
    body = track(name("Band"), event(0, 0xC0, 5), event(0, 0xC3, 40),
                 note(0, 60, 480), note(3, 72, 240), note(9, 36, 120), note(0, 62, 480, delta=10))
    back = read_midi(write_file(tmp_path, smf(body, fmt=0)))
    assert [(t.kind, t.channel, t.program) for t in back.tracks] == [
        (TrackKind.INSTRUMENT, 0, 5), (TrackKind.INSTRUMENT, 1, 40), (TrackKind.DRUMS, 9, 0)]
    assert [t.name for t in back.tracks] == ["Band"] * 3
    assert back.tracks[0].notes == [(60, 0, 960, 100), (62, 1700, 960, 100)]
    assert back.title is None  # a type-0 file has no conductor track


def test_channels_of_single_channel_tracks_are_kept(tmp_path):
    lead = track(name("Lead"), event(0, 0xB4, 7, 100), event(0, 0xC4, 81), note(4, 70, 480))
    pad = track(name("Pad"), note(2, 50, 480))
    back = read_midi(write_file(tmp_path, smf(track(name("Song")), lead, pad)))
    assert back.title == "Song"
    assert [(t.name, t.channel, t.program) for t in back.tracks] == [("Lead", 4, 81), ("Pad", 2, 0)]


def test_first_track_with_notes_is_not_a_title(tmp_path):
    back = read_midi(write_file(tmp_path, smf(track(name("Piano"), note(0, 60, 480)))))
    assert back.title is None and back.tracks[0].name == "Piano"


def test_480_ppq_is_rescaled_to_960(tmp_path):
    conductor = track(tempo(0, 500000), time_signature(0, 3, 4),
                      tempo(1440, 400000), time_signature(0, 4, 4))
    body = track(note(0, 60, 240, velocity=90), note(0, 61, 1, delta=1200), note(0, 62, 100, delta=0))
    back = read_midi(write_file(tmp_path, smf(conductor, body, division=480)))
    assert back.tracks[0].notes == [(60, 0, 480, 90), (61, 2880, 2, 100), (62, 2882, 200, 100)]
    assert back.tempo == [TempoChange(0, 120.0), TempoChange(2880, 150.0)]
    assert back.meter == [MeterChange(0, 3, 4), MeterChange(2880, 4, 4)]


def test_fine_ppq_rounds_to_the_nearest_tick_and_keeps_notes_at_least_one_tick(tmp_path):
    body = track(note(0, 60, 1), note(0, 61, 15, delta=4), note(0, 62, 9600))
    back = read_midi(write_file(tmp_path, smf(body, division=9600)))
    # ticks 0..1, 5..20, 20..9620 at 9600 PPQ; starts and ends are rescaled, so lengths follow them
    assert back.tracks[0].notes == [(60, 0, 1, 100), (61, 1, 1, 100), (62, 2, 960, 100)]


def test_defaults_before_the_first_tempo_and_meter(tmp_path):
    conductor = track(tempo(960, 600000), time_signature(0, 6, 8))
    back = read_midi(write_file(tmp_path, smf(conductor, track(note(0, 60, 480)), division=960)))
    assert back.tempo == [TempoChange(0, 120.0), TempoChange(960, 100.0)]
    # 6/8 at beat 2 of the standard's 4/4 is moved to the next bar line
    assert back.meter == [MeterChange(0, 4, 4), MeterChange(3840, 6, 8)]
    assert back.warnings == [
        "time signature 6/8 at tick 960 is not on a bar line; moved to the start of bar 2"]


def test_meter_change_inside_a_bar_moves_to_the_next_bar_line(tmp_path):
    conductor = track(time_signature(0, 3, 4), time_signature(3000, 2, 4), time_signature(2760, 5, 4))
    back = read_midi(write_file(tmp_path, smf(conductor, track(note(0, 60, 480)), division=960)))
    assert back.meter == [MeterChange(0, 3, 4), MeterChange(5760, 5, 4)]  # 2/4 and 5/4 both land on bar 3
    assert len(back.warnings) == 1 and "2/4 at tick 3000" in back.warnings[0]


@pytest.mark.parametrize("sharps, minor, expected", [
    (0, 0, Key("C", "major")), (-2, 0, Key("Bb", "major")), (0, 1, Key("A", "minor")),
    (3, 1, Key("F#", "minor")), (-7, 0, Key("Cb", "major")), (7, 1, Key("A#", "minor")),
    (-5, 1, Key("Bb", "minor")), (6, 0, Key("F#", "major"))])
def test_key_signature_spelling(tmp_path, sharps, minor, expected):
    data = smf(track(key_signature(0, sharps, minor), key_signature(960, 1, 0)), track(note(0, 60, 480)))
    assert read_midi(write_file(tmp_path, data)).key == expected


def test_no_key_signature_gives_no_key(tmp_path):
    assert read_midi(write_file(tmp_path, smf(track(note(0, 60, 480))))).key is None


def test_velocity_zero_note_on_ends_a_note(tmp_path):
    body = track(event(0, 0x90, 60, 1), event(480, 0x90, 60, 0))
    assert read_midi(write_file(tmp_path, smf(body, division=960))).tracks[0].notes == [(60, 0, 480, 1)]


def test_overlapping_same_pitch_notes_pair_first_in_first_out(tmp_path):
    body = track(event(0, 0x90, 60, 90), event(240, 0x90, 60, 80), event(240, 0x80, 60, 0),
                 event(480, 0x80, 60, 0))
    notes = read_midi(write_file(tmp_path, smf(body, division=960))).tracks[0].notes
    assert notes == [(60, 0, 480, 90), (60, 240, 720, 80)]


def test_file_without_notes_is_an_empty_import_with_a_warning(tmp_path):
    back = read_midi(write_file(tmp_path, smf(track(name("Only a title"), tempo(0, 500000)))))
    assert back.tracks == [] and back.warnings == ["the file holds no notes"]
    assert back.title == "Only a title"
    header_only = read_midi(write_file(tmp_path, header(ntracks=0), "h.mid"))
    assert header_only.tracks == [] and header_only.warnings == ["the file holds no notes"]


def test_empty_tracks_are_dropped_and_unknown_chunks_skipped(tmp_path):
    data = (header(ntracks=3) + chunk(track(name("Conductor"))) + chunk(b"junk", kind=b"XFIH")
            + chunk(track(name("Empty"))) + chunk(track(name("Keys"), note(1, 60, 480))))
    back = read_midi(write_file(tmp_path, data))
    assert [(t.name, t.channel) for t in back.tracks] == [("Keys", 1)]


# --- bad files ---------------------------------------------------------------------------

GOOD = track(note(0, 60, 480))


@pytest.mark.parametrize("data, problem", [
    (b"", "the file is empty"),
    (bytes(range(256)) * 4, "not a MIDI file (it does not start with MThd)"),
    (b"MThd\x00\x00", "truncated: the file ends inside its header, after 6 bytes"),
    (header(ntracks=1), "truncated: the header announces 1 tracks but the file holds 0"),
    (smf(GOOD, GOOD)[:-10], "truncated: track 2 says it holds 13 bytes but only 3 remain"),
    (header() + chunk(GOOD, length=5000),
     f"truncated: track 1 says it holds 5000 bytes but only {len(GOOD)} remain"),
    (header(ntracks=2) + chunk(GOOD, length=4) + chunk(GOOD),
     "no chunk starts at byte offset 0x1A (the chunk before it has a wrong length)"),
    (header(length=8) + b"\x00\x00" + chunk(GOOD),
     "the header chunk says it holds 8 bytes; a MIDI header holds 6"),
    (smf(track(event(0, 0x3C, 0x40))),
     "track 1 uses running status before any status byte (byte offset 0x17)"),
    (smf(track(name("x"), event(0, 0x3C, 0x40))),
     "track 1 uses running status right after a meta or sysex event (byte offset 0x1C)"),
    (smf(track(tempo(480, 0)), GOOD), "tempo 0 at tick 480 (a tempo must be above zero)"),
    (smf(GOOD, fmt=2), "MIDI format 2 (independent patterns) is not supported; only formats 0 and 1"),
    (smf(GOOD, fmt=7), "unknown MIDI format 7; only formats 0 and 1 are supported"),
    (smf(GOOD, division=0), "the header gives 0 ticks per quarter note, which is not supported"),
    (smf(GOOD, division=0xE728),
     "SMPTE timing (frames per second) is not supported; only ticks per quarter note"),
    (header(ntracks=2) + chunk(GOOD) + chunk(event(0, 0x90, 60)),
     "track 2 ends in the middle of an event (byte offset 0x2D)"),
    (smf(track(event(0, 0x90, 0xC8, 0x40))),
     "track 1 has the status byte 0xC8 where a data byte belongs (byte offset 0x18)"),
    (smf(track(event(0, 0xF4))), "track 1 has an unsupported status byte 0xF4 (byte offset 0x17)"),
    (header() + chunk(b"\x00\xff\x01\x50abc"), "track 1 ends in the middle of an event (byte offset 0x1A)"),
    (smf(track(b"\xff\xff\xff\xff\x7f\x90\x3c\x40")),
     "track 1 has a number longer than 4 bytes (byte offset 0x16)"),
])
def test_bad_files_raise_one_line_file_problems(tmp_path, data, problem):
    path = write_file(tmp_path, data)
    with pytest.raises(FileProblem) as caught:
        read_midi(path)
    assert caught.value.problem == problem
    assert caught.value.path == path and "\n" not in str(caught.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileProblem, match="no such file"):
        read_midi(tmp_path / "nope.mid")
    with pytest.raises(FileProblem, match="is a folder, not a MIDI file"):
        read_midi(tmp_path)


def test_problem_symusic_finds_but_python_does_not_is_still_a_file_problem(tmp_path, monkeypatch):
    def broken(data):
        raise RuntimeError("MiniMidi: something odd\nsecond line")

    monkeypatch.setattr(midi_read, "symusic", SimpleNamespace(Score=SimpleNamespace(from_midi=broken)))
    with pytest.raises(FileProblem) as caught:
        read_midi(write_file(tmp_path, smf(GOOD)))
    assert caught.value.problem == "track 1 cannot be read (MiniMidi: something odd)"
