"""Special files and names: a FIFO, a device, a folder or a looping link is refused in one line, never read."""

import os
import subprocess
import sys

import pytest
from cowrite.attribution.ledger import ledger_path
from cowrite.cli.main import main
from cowrite.io.errors import FileProblem
from cowrite.io.files import MiB, read_regular
from cowrite.io.midi_read import read_midi
from cowrite.library import open_library, scan
from cowrite.library.scan import add_folder

from tests.midi_factory import note, smf, track
from tests.test_library import tone, write


def run(capsys, *args):
    code = main([os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def special(tmp_path, kind: str, name: str):
    """A file of `kind` at tmp_path/name: a FIFO with no writer, a link to /dev/zero, a folder, a link loop."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path)
    return path


REASONS = {"fifo": "is a named pipe (FIFO), not a {}", "device": "is a device, not a {}",
           "folder": "is a folder, not a {}", "loop": "is a symbolic link that loops (it leads back to itself)"}
KINDS = list(REASONS)


@pytest.fixture
def song(tmp_path):
    path = tmp_path / "song.cowrite"
    assert main(["new", str(path), "--bars", "2"]) == 0
    return path


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["info", "history", "verify", "chords"])
def test_a_special_file_as_the_song(tmp_path, capsys, kind, command):
    path = special(tmp_path, kind, "odd.cowrite")
    code, out, err = run(capsys, command, path, *(["Am"] if command == "chords" else []))
    assert (code, out) == (2, "")
    assert err == f"cowrite: error: {path}: {REASONS[kind].format('Cowrite song')}\n"


@pytest.mark.parametrize("kind", ["fifo", "device", "loop"])
@pytest.mark.parametrize("command", ["history", "verify", "credits", "chords", "export"])
def test_a_special_file_as_the_ledger(song, capsys, kind, command):
    lpath = ledger_path(song)
    lpath.unlink()
    special(song.parent, kind, lpath.name)
    before = song.read_bytes()
    extra = {"chords": ["Am"], "export": ["--midi", song.parent / "out.mid"]}.get(command, [])
    code, out, err = run(capsys, command, song, *extra)
    assert (code, out) == (2, "")
    assert err == f"cowrite: error: {lpath}: {REASONS[kind].format('Cowrite ledger')}\n"
    assert song.read_bytes() == before and not (song.parent / "out.mid").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_file_as_midi_is_not_imported(tmp_path, capsys, kind):
    path = special(tmp_path, kind, "groove.mid")
    out = tmp_path / "groove.cowrite"
    code, printed, err = run(capsys, "import", path, "-o", out)
    assert (code, printed) == (2, "")
    assert err == f"cowrite: error: {path}: {REASONS[kind].format('MIDI file')}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groove.mid"]


def test_a_file_over_the_cap_is_refused_naming_the_cap(tmp_path):
    path = tmp_path / "big.mid"
    with open(path, "wb") as f:
        f.truncate(64 * MiB + 1)  # sparse: no disk used
    with pytest.raises(FileProblem) as caught:
        read_midi(path)
    assert str(caught.value) == f"{path}: is larger than 64 MiB, the most Cowrite reads for a MIDI file"


def test_read_regular_reads_a_regular_file_through_a_link(tmp_path):
    (tmp_path / "real").write_bytes(b"abc")
    (tmp_path / "link").symlink_to("real")
    assert read_regular(tmp_path / "link", 3) == b"abc"
    with pytest.raises(FileProblem, match="is larger than 2 bytes"):
        read_regular(tmp_path / "link", 2)


def cowrite(*args) -> subprocess.CompletedProcess:
    """The command in a process of its own: its stdout is a real one, which prints a file name's bytes as they are."""
    return subprocess.run([sys.executable, "-m", "cowrite", *args], capture_output=True, timeout=120, check=False)


def test_a_song_whose_name_is_not_utf8_is_read_and_edited(song):
    odd = bytes(song.parent) + b"/caf\xe9.cowrite"  # Latin-1 bytes: not UTF-8
    os.rename(song, odd)
    os.rename(ledger_path(song), odd + b".attribution.jsonl")
    assert cowrite("info", odd).returncode == 0
    assert cowrite("chords", odd, "Am | F").returncode == 0
    result = cowrite("verify", odd)
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.startswith(odd + b".attribution.jsonl: intact: 2 events")


def test_a_new_song_whose_name_is_not_utf8_gets_one_line(tmp_path):
    odd = bytes(tmp_path) + b"/caf\xe9.cowrite"
    result = cowrite("new", odd)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == (b"cowrite: error: " + odd + b": the name is not valid UTF-8, and Cowrite writes it "
                             b"into the song and its ledger; choose a UTF-8 name (nothing was changed)\n")
    assert list(tmp_path.iterdir()) == []


def test_midi_whose_name_is_not_utf8_is_imported(tmp_path):
    odd = bytes(tmp_path) + b"/caf\xe9.mid"
    with open(odd, "wb") as f:
        f.write(smf(track(note(0, 60, 480))))
    result = cowrite("import", odd, "-o", bytes(tmp_path / "cafe.cowrite"))
    assert result.returncode == 0 and result.stderr == b"" and b"1 tracks, 1 notes" in result.stdout


@pytest.fixture
def db(tmp_path):
    connection = open_library(tmp_path / "library.sqlite")
    yield connection
    connection.close()


def test_a_scan_lists_special_files_and_loops_as_problems_and_indexes_the_rest(db, tmp_path):
    root = tmp_path / "samples"
    write(root / "kick.wav", tone())
    for kind in ("fifo", "device", "loop"):
        special(root, kind, f"{kind}.wav")
    (root / "gone.wav").symlink_to("nowhere.wav")
    odd = os.fsdecode(bytes(root) + b"/caf\xe9.wav")
    os.link(root / "kick.wav", odd)
    add_folder(db, root)
    report = scan(db)
    assert report.added == 1
    assert dict(report.problems) == {
        str(root / "fifo.wav"): "is a named pipe (FIFO), not a sample",
        str(root / "device.wav"): "is a device, not a sample",
        str(root / "loop.wav"): "is a symbolic link that loops (it leads back to itself)",
        str(root / "gone.wav"): "is a symbolic link to a file that is not there",
        odd: "its name is not valid UTF-8, which the library cannot index; rename it",
    }


def test_library_info_on_a_looping_link_gets_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path / "data"))
    loop = special(tmp_path, "loop", "loop.wav")
    for command in (["info", loop], ["tag", loop, "x"], ["fav", loop], ["add", loop]):
        code, out, err = run(capsys, "library", *command)
        assert (code, out) == (2, "")
        assert err == f"cowrite: error: {loop}: is a symbolic link that loops (it leads back to itself)\n"
