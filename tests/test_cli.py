"""The `cowrite` command: every subcommand, and one clear line with exit 2 for every mistake."""

import subprocess
import sys

import mido
import orjson
import pytest

from cowrite import __version__
from cowrite.attribution.actors import Actor
from cowrite.edit import AddNotes, AddTrack, Macro
from cowrite.io.project import Project
from tests.conftest import run_cowrite
from tests import midi_factory as midi


run = run_cowrite


@pytest.fixture
def song(tmp_path, capsys):
    path = tmp_path / "song.cowrite"
    assert run(capsys, "--author", "Ana", "new", path, "--tempo", 92, "--meter", "3/4", "--key", "A minor",
               "--bars", 6)[0] == 0
    return path


def test_new_then_info(song, capsys):
    code, out, _ = run(capsys, "info", song)
    assert code == 0 and "song: A minor, 92 BPM, 3/4, 6 bars, 1 ledger events" in out


def test_chords_fill_the_song(song, capsys):
    code, out, _ = run(capsys, "chords", song, "Am | F | C G")
    assert code == 0 and out.startswith("8 chords from bar 1 to bar 6: Am | F | C | G | Am | F | C | G")
    code, out, _ = run(capsys, "history", song)
    assert "set the chord track: Am F C G Am F C G" in out


def test_credits_json(song, capsys):
    code, out, _ = run(capsys, "credits", song, "--json")
    report = orjson.loads(out)
    assert code == 0 and report["notes"] == 0
    assert report["contributors"][0]["id"] == "person:Ana"
    assert report["disclosure"]["digital_source_type"] == "digitalCreation"


def test_verify_exit_codes(song, capsys):
    assert run(capsys, "verify", song)[0] == 0
    ledger = song.with_name(song.name + ".attribution.jsonl")
    ledger.write_bytes(ledger.read_bytes().replace(b"A minor", b"E minor"))
    code, out, _ = run(capsys, "verify", song)
    assert code == 1 and "TAMPERED: line 1: its content does not match its hash" in out
    ledger.unlink()
    code, _, err = run(capsys, "verify", song)
    assert code == 2 and "ledger is missing" in err
    song.write_text("{")
    assert run(capsys, "verify", song)[0] == 2


def test_history_of_a_note_that_does_not_exist(song, capsys):
    code, _, err = run(capsys, "history", song, "--note", 5)
    assert code == 2 and err.strip() == f"cowrite: error: no note 5 in the history of {song}"


def test_author_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COWRITE_AUTHOR", "Zoe")
    path = tmp_path / "z.cowrite"
    run(capsys, "new", path)
    assert "Zoe" in run(capsys, "history", path)[1]


@pytest.mark.parametrize("args, words", [
    (["new", "{dir}/song.cowrite"], "already exists"),
    (["new", "{dir}/b.cowrite", "--meter", "4/5"], "power of two"),
    (["new", "{dir}/b.cowrite", "--key", "Q major"], "not a key"),
    (["new", "{dir}/b.cowrite", "--tempo", "0"], "outside 1..999"),
    (["new", "{dir}/b.cowrite", "--bars", "0"], "outside 1..9999"),
    (["new", "{dir}/missing/b.cowrite"], "cannot create"),
    (["chords", "{song}", "Am | Xyz"], "not a chord symbol"),
    (["chords", "{song}", "Am", "--from-bar", "9"], "outside the song's bars 1..6"),
    (["chords", "{dir}/none.cowrite", "Am"], "no such file"),
    (["credits", "{dir}/none.cowrite"], "no such file"),
    (["history", "{dir}"], "is a folder"),
    (["info", "{dir}/none.cowrite"], "no such file"),
])
def test_mistakes_get_one_line_and_exit_2_and_change_nothing(song, capsys, args, words):
    before = song.read_bytes()
    args = [a.format(dir=song.parent, song=song) for a in args]
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("cowrite: error: ") and words in err
    assert song.read_bytes() == before


def test_version_and_help_through_python_m():
    result = subprocess.run([sys.executable, "-m", "cowrite", "--version"], capture_output=True, text=True)
    assert result.stdout.strip() == f"cowrite {__version__}"
    result = subprocess.run([sys.executable, "-m", "cowrite", "--help"], capture_output=True, text=True)
    for command in ("new", "import", "chords", "credits", "verify", "history", "export"):
        assert command in result.stdout


def test_export_midi_carries_credits_and_the_ledger_head(song, tmp_path, capsys):
    run(capsys, "chords", song, "Am")
    out = tmp_path / "song.mid"
    code, text, _ = run(capsys, "export", song, "--midi", out)
    assert code == 0 and out.exists()
    texts = [m.text for track in mido.MidiFile(out).tracks for m in track if m.type == "text"]
    assert any(t.startswith("Credits: Ana") for t in texts)
    assert any("ledger" in t and "head sha256" in t for t in texts)
    code, history, _ = run(capsys, "history", song)
    assert "exported song.mid" in history
    assert run(capsys, "verify", song)[0] == 0


def test_import_then_export_round_trip(tmp_path, capsys):
    mid = mido.MidiFile(type=1, ticks_per_beat=960)
    conductor = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000, time=0)])
    piano = mido.MidiTrack([mido.MetaMessage("track_name", name="Piano"),
                            mido.Message("note_on", note=60, velocity=90, time=0),
                            mido.Message("note_off", note=60, velocity=0, time=480)])
    drums = mido.MidiTrack([mido.MetaMessage("track_name", name="Beat"),
                            mido.Message("note_on", channel=9, note=36, velocity=100, time=0),
                            mido.Message("note_off", channel=9, note=36, velocity=0, time=240)])
    mid.tracks += [conductor, piano, drums]
    src = tmp_path / "in.mid"
    mid.save(src)
    song = tmp_path / "in.cowrite"
    code, out, err = run(capsys, "--author", "Ana", "import", src, "-o", song)
    assert code == 0, err
    assert "2 tracks, 2 notes" in out
    code, info, _ = run(capsys, "info", song)
    assert "Piano" in info and "Beat" in info and "drums" in info
    code, history, _ = run(capsys, "history", song, "--note", 1)
    assert "imported" in history and "in.mid" in history
    exported = tmp_path / "out.mid"
    assert run(capsys, "export", song, "--midi", exported)[0] == 0
    again = tmp_path / "again.cowrite"
    assert run(capsys, "import", exported, "-o", again)[0] == 0
    assert run(capsys, "info", again)[1].split("\n")[1:] == info.split("\n")[1:]


def test_import_of_a_broken_file_creates_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x03\xc0MTrk\x00\x00\x10\x00\x00\x90")
    out = tmp_path / "bad.cowrite"
    code, _, err = run(capsys, "import", bad, "-o", out)
    assert code == 2 and err.count("\n") == 1 and str(bad) in err
    assert not out.exists() and not out.with_name(out.name + ".attribution.jsonl").exists()


def test_export_musicxml(song, tmp_path, capsys):
    project = Project.open(song, Actor.person("Ana"))
    project.document.apply(Macro("Melody", [AddTrack("Melody"), AddNotes("Melody", [(69, 0, 960, 90)])]))
    project.save()
    project.close()
    out = tmp_path / "song.musicxml"
    code, _, err = run(capsys, "export", song, "--musicxml", out)
    assert code == 0, err
    data = out.read_bytes()
    assert b"<score-partwise" in data and b"<part-name>Melody</part-name>" in data


GOOD_TRACK = midi.track(midi.name("Piano"), midi.note(0, 60, 480))
BAD_MIDI = {
    "empty": b"",
    "random bytes": bytes(range(7, 250, 3)) * 4,
    "truncated": midi.smf(GOOD_TRACK)[:-9],
    "bad chunk length": midi.smf(GOOD_TRACK)[:18] + b"\x00\x00\x40\x00" + midi.smf(GOOD_TRACK)[22:],
    "running status without a status byte": midi.smf(midi.track(midi.event(0, 0x3C, 0x40))),
    "tempo 0": midi.smf(midi.track(midi.tempo(0, 0), midi.note(0, 60, 480))),
}


@pytest.mark.parametrize("case", BAD_MIDI)
def test_bad_midi_files_get_one_line_exit_2_and_create_nothing(tmp_path, capsys, case):
    src = tmp_path / "bad.mid"
    src.write_bytes(BAD_MIDI[case])
    out = tmp_path / "bad.cowrite"
    code, _, err = run(capsys, "import", src, "-o", out)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"cowrite: error: {src}: ") and "Traceback" not in err
    assert not out.exists() and not out.with_name(out.name + ".attribution.jsonl").exists()


@pytest.mark.parametrize("damage, words", [
    (lambda song, ledger: song.write_text('{"format": "cowrite-song", "format_version": 7}'), "newer Cowrite"),
    (lambda song, ledger: song.write_bytes(song.read_bytes()[:40]), "not valid JSON"),
    (lambda song, ledger: ledger.unlink(), "ledger is missing"),
    (lambda song, ledger: ledger.write_bytes(ledger.read_bytes()[:-30]), "shorter than the song recorded"),
])
def test_broken_songs_and_ledgers_are_refused_and_left_alone(song, capsys, damage, words):
    ledger = song.with_name(song.name + ".attribution.jsonl")
    damage(song, ledger)
    files = {p: p.read_bytes() for p in (song, ledger) if p.exists()}
    code, _, err = run(capsys, "chords", song, "Am")
    assert code == 2 and err.count("\n") == 1 and words in err
    assert {p: p.read_bytes() for p in files} == files


# -- credits saved to a file ------------------------------------------------------------------

def same_as_printed(data: bytes, report: dict) -> bool:
    from cowrite.attribution.credits import credits_text

    return data.decode() == credits_text(report) + "\n" and data.startswith(b"Credits for 'song' (1 notes)")


@pytest.mark.parametrize("suffix, check", [
    (".txt", same_as_printed),
    (".json", lambda data, report: orjson.loads(data) == report),
    (".html", lambda data, report: b"Made by people, without AI" in data and data.count(b"<svg") == 1),
])
def test_credits_saved_as_text_json_or_a_report(song, tmp_path, capsys, suffix, check):
    project = Project.open(song, Actor.person("Ana"))
    project.document.apply(Macro("Melody", [AddTrack("Melody"), AddNotes("Melody", [(69, 0, 960, 90)])]))
    project.save()
    project.close()
    out = tmp_path / "credits" / f"class{suffix}"
    out.parent.mkdir()
    code, printed, err = run(capsys, "credits", song, "--save", out)
    report = orjson.loads(run(capsys, "credits", song, "--json")[1])
    assert code == 0 and printed == f"Credits saved to {out}\n" and not err
    assert check(out.read_bytes(), report)
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temp file left beside it


def test_credits_save_refuses_an_unknown_format_and_an_unwritable_place(song, tmp_path, capsys):
    code, _, err = run(capsys, "credits", song, "--save", tmp_path / "credits.pdf")
    assert code == 2 and err == f"cowrite: error: {tmp_path / 'credits.pdf'}: name the file .txt (text), .json or " \
                                 ".html (a one-page report to print)\n"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, _, err = run(capsys, "credits", song, "--save", blocked / "credits.html")
    assert code == 2 and err.count("\n") == 1 and f"{blocked / 'credits.html'}: cannot write here" in err
    assert not (tmp_path / "credits.pdf").exists()


def test_credits_save_is_atomic_a_failed_write_keeps_the_old_file(song, tmp_path, capsys, monkeypatch):
    out = tmp_path / "credits.txt"
    out.write_text("last week's credits")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    code, _, err = run(capsys, "credits", song, "--save", out)
    assert code == 2 and "No space left on device" in err and "the old version is untouched" in err
    assert out.read_text() == "last week's credits"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["credits.txt", "song.cowrite",
                                                          "song.cowrite.attribution.jsonl"]  # the temp file is gone


def _drum_notes(path):
    song = Project.open(path, Actor.person("Ana"))
    try:
        return sorted((n.pitch, n.start, n.origin.suggestion) for n in song.song.find_track("Drums").notes.values())
    finally:
        song.close()


def test_accept_replaces_by_default_and_layer_merges_what_is_already_there(song, capsys):
    code, out, err = run(capsys, "suggest", "drums", song, "--seed", 7, "--accept")
    assert code == 0, err
    first = _drum_notes(song)
    assert {s for *_, s in first} == {"s1"} and "accepted: " in out
    run(capsys, "suggest", "drums", song, "--seed", 7, "--track", "Drums")
    code, out, _ = run(capsys, "accept", song, "s2", "--layer")
    assert code == 0 and f"s2 accepted: 0 of {len(first)} notes placed, {len(first)} duplicates merged" in out
    assert _drum_notes(song) == first  # the same hits again: nothing stacked, the first ones kept
    run(capsys, "suggest", "drums", song, "--seed", 8, "--track", "Drums", "--bars", "2-3")
    code, out, _ = run(capsys, "accept", song, "s3")
    bar = 3 * 960
    assert code == 0 and "of the track's notes replaced" in out
    after = _drum_notes(song)
    assert all(s == "s3" for _, start, s in after if bar <= start < 3 * bar)
    assert [n for n in after if not bar <= n[1] < 3 * bar] == [n for n in first if not bar <= n[1] < 3 * bar]
    assert run(capsys, "verify", song)[0] == 0


def test_layer_without_accept_is_a_mistake_that_changes_nothing(song, capsys):
    ledger = song.with_name(song.name + ".attribution.jsonl")
    before = song.read_bytes(), ledger.read_bytes()
    code, _, err = run(capsys, "suggest", "drums", song, "--seed", 7, "--layer")
    assert code == 2 and err.count("\n") == 1 and "--layer says how to accept: use it with --accept" in err
    assert (song.read_bytes(), ledger.read_bytes()) == before  # not even a suggestion on record


@pytest.mark.parametrize("args, words", [
    (["--buffer", "0"], "--buffer 0 is outside 16..8192 frames"),
    (["--buffer", "9000"], "--buffer 9000 is outside 16..8192 frames"),
    (["--device", "no such device"], "No output device matching 'no such device'"),
    (["--from-bar", "7"], "--from-bar 7 is outside the song's bars 1..6"),
])
def test_play_mistakes_get_one_line_and_exit_2(song, capsys, args, words):
    code, out, err = run(capsys, "play", song, *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and words in err


def _studio_prefs(**prefs):
    """Write the window's studio.json (in the tests' own config folder) as the Preferences dialog would."""
    from cowrite.settings import config_dir

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "studio.json").write_bytes(orjson.dumps(prefs))


def test_play_uses_the_window_device_unless_told_another(song, capsys):
    _studio_prefs(audio_device="the window's device", buffer_size=512)
    code, _, err = run(capsys, "play", song)
    assert code == 2 and "No output device matching \"the window's device\"" in err
    code, _, err = run(capsys, "play", song, "--device", "another")
    assert code == 2 and "No output device matching 'another'" in err


def test_window_audio_prefs_fall_back_to_defaults_for_what_is_wrong():
    from cowrite.studio_prefs import AudioPrefs, load_audio_prefs

    assert load_audio_prefs() == AudioPrefs("", 256)  # no file yet
    _studio_prefs(audio_device="USB Audio", buffer_size=1024, midi_port="Keys")
    assert load_audio_prefs() == AudioPrefs("USB Audio", 1024)
    _studio_prefs(audio_device=7, buffer_size=300)  # not a name; not a size the window offers
    assert load_audio_prefs() == AudioPrefs("", 256)
    _studio_prefs(buffer_size=True)  # JSON true is not 1 frame
    assert load_audio_prefs().buffer_size == 256
