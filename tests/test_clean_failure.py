"""A failed write changes nothing and leaves nothing: no half files, no temp files, modes kept, ledger honest."""

import errno
import os
import stat
import subprocess
import sys

import pytest
from cowrite.attribution import vocabulary as V
from cowrite.attribution.ledger import ledger_path, read_events, verify_ledger
from cowrite.cli.main import main
from cowrite.edit import AddNotes, AddTrack, Macro
from cowrite.io.atomic import writing_atomically
from cowrite.io.errors import FileProblem
from cowrite.io.lock import lock_path
from cowrite.io.project import Project, read_song

from tests.conftest import new_song

#: runs `cowrite ARGS` in a child whose files may not grow past LIMIT bytes (RLIMIT_FSIZE)
LIMITED = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from cowrite.cli.main import main
raise SystemExit(main(sys.argv[2:]))
"""


def files_of(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def song(tmp_path, ana):
    project = Project.create(tmp_path / "song.cowrite", new_song(length_bars=2), ana)
    project.document.apply(Macro("Keys", [AddTrack("Keys"), AddNotes("Keys", [(60 + i % 12, i * 240, 200, 90)
                                                                                for i in range(32)])]))
    project.save()
    project.close()
    return project.path


def limited(limit: int, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LIMITED, str(limit), *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("option, name", [("--midi", "out.mid"), ("--musicxml", "out.musicxml"),
                                          ("--wav", "out.wav")])
def test_an_export_past_the_file_size_limit_leaves_no_half_file(song, option, name):
    before = files_of(song.parent)
    result = limited(300, "export", song, option, song.parent / name)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"cowrite: error: {song.parent / name}: cannot write the file (File too large); "
                             "nothing was written\n")
    assert files_of(song.parent) == before  # no out file, no temp file, no lock, song and ledger unchanged


def test_a_new_song_past_the_file_size_limit_leaves_nothing(tmp_path):
    result = limited(200, "new", tmp_path / "new.cowrite")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "File too large" in result.stderr
    assert list(tmp_path.iterdir()) == []  # the ledger it made went again, and the lock file


def test_a_save_keeps_the_song_files_mode(song, ana):
    for mode in (0o644, 0o640, 0o664):
        os.chmod(song, mode)
        project = Project.open(song, ana)
        project.document.apply(AddNotes("Keys", [(70, 0, 100, 90)]))
        project.save()
        project.close()
        assert stat.S_IMODE(os.stat(song).st_mode) == mode


def test_a_new_file_gets_the_umasks_mode(tmp_path, ana):
    old = os.umask(0o027)
    try:
        Project.create(tmp_path / "new.cowrite", new_song(), ana).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.cowrite").st_mode) == 0o640


def test_a_failing_streaming_writer_leaves_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "out.wav"
    path.write_bytes(b"old")
    with pytest.raises(ValueError, match="the encoder broke"):
        with writing_atomically(path) as f:
            f.write(b"half")
            raise ValueError("the encoder broke")
    assert files_of(tmp_path) == {"out.wav": b"old"}


def disk_full(*args):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_save_that_fails_after_the_ledger_line_is_discarded_on_the_next_open(song, ana, monkeypatch):
    saved = song.read_bytes()
    project = Project.open(song, ana)
    project.document.apply(AddNotes("Keys", [(90, 0, 10, 10)]))  # the ledger line is written and fsynced
    unsaved = project.ledger.record.events
    with monkeypatch.context() as m:
        m.setattr("cowrite.io.atomic.os.replace", disk_full)
        with pytest.raises(FileProblem, match="No space left on device"):
            project.save()
    project.close()
    assert song.read_bytes() == saved and [p for p in song.parent.iterdir() if p.suffix == ".tmp"] == []
    assert verify_ledger(ledger_path(song), read_song(song)[1]).unsaved == 1
    reopened = Project.open(song, ana)
    reopened.close()
    last = read_events(ledger_path(song))[-1]
    assert last["action"] == V.DISCARDED and last["subject"]["events"] == [unsaved, unsaved]
    check = verify_ledger(ledger_path(song), read_song(song)[1])
    assert check.intact and check.unsaved == 0
    assert 90 not in {n.pitch for n in read_song(song)[0].find_track("Keys").notes.values()}


def test_an_open_whose_discard_cannot_be_saved_lets_go_and_a_later_open_repairs(song, ana, monkeypatch):
    project = Project.open(song, ana)
    project.document.apply(AddNotes("Keys", [(90, 0, 10, 10)]))
    project.close()  # never saved
    with monkeypatch.context() as m:
        m.setattr("cowrite.io.atomic.os.replace", disk_full)
        with pytest.raises(FileProblem, match="No space left on device"):
            Project.open(song, ana)
    assert not lock_path(song).exists()
    Project.open(song, ana).close()
    events = read_events(ledger_path(song))
    assert [e["op"] for e in events[-3:]] == ["add_notes", "discard", "discard"]
    assert events[-1]["subject"]["events"] == [events[-3]["seq"], events[-2]["seq"]]
    check = verify_ledger(ledger_path(song), read_song(song)[1])
    assert check.intact and check.unsaved == 0


def test_the_cli_save_failing_on_a_full_disk_exits_2_and_the_next_command_records_the_discard(song, capsys,
                                                                                           monkeypatch):
    saved = song.read_bytes()
    with monkeypatch.context() as m:
        m.setattr("cowrite.io.atomic.os.replace", disk_full)
        assert main(["chords", str(song), "Am | F"]) == 2
    err = capsys.readouterr().err
    assert err == (f"cowrite: error: {song}: cannot write the file (No space left on device); "
                   "the old version is untouched\n")
    assert song.read_bytes() == saved
    assert main(["chords", str(song), "C"]) == 0
    ops = [e["op"] for e in read_events(ledger_path(song))]
    assert ops[-3:] == ["set_chords", "discard", "set_chords"]


@pytest.mark.parametrize("target", ["/dev/full", "closed pipe"])
def test_output_nobody_can_take_ends_quietly_with_exit_1(song, target):
    if target == "/dev/full":
        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full here")
        with open("/dev/full", "w") as out:
            result = subprocess.run([sys.executable, "-m", "cowrite", "history", str(song)], stdout=out,
                                    stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    else:
        read, write = os.pipe()
        os.close(read)  # nobody will ever read: the first write fails with EPIPE
        try:
            result = subprocess.run([sys.executable, "-m", "cowrite", "history", str(song)], stdout=write,
                                    stderr=subprocess.PIPE, text=True, timeout=120, check=False)
        finally:
            os.close(write)
    assert (result.returncode, result.stderr) == (1, "")


def test_an_export_to_a_name_that_is_not_utf8_is_refused_before_anything_is_written(tmp_path, capsys, ana):
    from cowrite.attribution.actors import Actor
    from tests.conftest import keys_and_accepted_kicks, new_song, run_cowrite

    project = Project.create(tmp_path / "song.cowrite", new_song(), ana)
    keys_and_accepted_kicks(project, Actor.assistant("drums", "1.0.0"))
    project.save()
    project.close()
    ledger = ledger_path(tmp_path / "song.cowrite").read_bytes()
    out = os.fsdecode(bytes(tmp_path / "song") + b"\xff.mid")
    code, _, err = run_cowrite(capsys, "export", tmp_path / "song.cowrite", "--midi", out)
    assert code == 2 and "not valid UTF-8" in err and "Traceback" not in err
    assert not os.path.exists(out) and ledger_path(tmp_path / "song.cowrite").read_bytes() == ledger


def test_an_import_that_fails_part_way_leaves_no_half_made_song(tmp_path, capsys, monkeypatch):
    from tests import midi_factory as mf
    from tests.conftest import run_cowrite

    source = tmp_path / "tune.mid"
    source.write_bytes(mf.smf(mf.track(mf.note(0, 60, 480), mf.note(0, 62, 480))))

    def full_disk(self):
        raise FileProblem(self.path, "cannot write the file (No space left on device); the old version is untouched")

    monkeypatch.setattr(Project, "save", full_disk)
    code, _, err = run_cowrite(capsys, "import", source, "-o", tmp_path / "tune.cowrite")
    assert code == 2 and "No space left" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tune.mid"]  # no song, no ledger, no lock left
