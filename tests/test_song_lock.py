"""One writer per song: a second writer is refused in one line, readers need no lock, and no accept is ever lost."""

import os
import socket
import subprocess
import sys

import orjson
import pytest
from cowrite.attribution.ledger import LedgerError, ledger_path, read_events
from cowrite.cli.main import main
from cowrite.edit import AddTrack
from cowrite.io.errors import FileProblem
from cowrite.io.lock import SongLocked, lock_path
from cowrite.io.project import Project, read_song

from tests.conftest import new_song

COWRITE = [sys.executable, "-m", "cowrite"]
ROUNDS = 6


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def cowrite(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*COWRITE, *map(str, args)], capture_output=True, text=True, timeout=120, check=False,
                          **kwargs)


def read_lock(song) -> dict:
    return orjson.loads(lock_path(song).read_bytes())


def files_of(folder):
    """Every file in `folder` with its bytes: what "nothing on disk changed" compares."""
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def song(tmp_path):
    path = tmp_path / "song.cowrite"
    assert main(["new", str(path), "--bars", "4"]) == 0
    return path


def test_a_second_writer_in_the_same_process_is_told_who_holds_the_song(song, ana, ben):
    first = Project.open(song, ana)
    try:
        before = files_of(song.parent)
        with pytest.raises(SongLocked) as caught:
            Project.open(song, ben)
        holder = caught.value.holder
        assert read_lock(song) == {"person": "Ana", "program": holder.program, "pid": os.getpid(),
                                   "host": socket.gethostname(), "since": holder.since}
        assert holder.program == "cowrite new"  # the last `cowrite` command this process ran (the fixture's)
        assert str(caught.value) == (f"{song}: is open for writing by Ana ({holder.program}, pid {os.getpid()}) "
                                     f"since {holder.since}; nothing was changed "
                                     "(close it there first, or open it read-only)")
        assert files_of(song.parent) == before
    finally:
        first.close()


def test_close_lets_the_next_writer_in_and_removes_the_lock_file(song, ana, ben):
    Project.open(song, ana).close()
    assert not lock_path(song).exists()
    second = Project.open(song, ben)
    assert lock_path(song).exists()
    second.close()
    assert not lock_path(song).exists()


def test_the_cli_refuses_a_locked_song_in_one_line_with_exit_2_and_changes_nothing(song, ana):
    holder = Project.open(song, ana)
    try:
        before = files_of(song.parent)
        result = cowrite("--author", "Ben", "suggest", "drums", song, "--accept", "--seed", 1)
        held = read_lock(song)  # its program: this test runner, or the last `cowrite` command it ran in-process
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (f"cowrite: error: {song}: is open for writing by Ana ({held['program']}, pid "
                                 f"{os.getpid()}) since {held['since']}; nothing was changed (close it there first, "
                                 "or open it read-only)\n")
        assert files_of(song.parent) == before
    finally:
        holder.close()


def test_reading_commands_need_no_lock(song, ana, capsys):
    holder = Project.open(song, ana)
    try:
        for command in (["info"], ["credits"], ["history"], ["verify"], ["suggestions"]):
            code, _, err = run(capsys, command[0], song)
            assert code == 0 and err == "", command
    finally:
        holder.close()


def test_read_only_open_takes_no_lock_and_refuses_every_change(song, ana, ben):
    writer = Project.open(song, ana)
    try:
        before = files_of(song.parent)
        reader = Project.open(song, ben, read_only=True)
        assert reader.read_only and reader.song.title == "song"
        with pytest.raises(LedgerError, match=f"^{song}: is open read-only; the change was not made$"):
            reader.document.apply(AddTrack("Keys"))
        assert reader.song.tracks == []
        with pytest.raises(FileProblem, match="is open read-only; nothing was saved"):
            reader.save()
        reader.close()
        assert files_of(song.parent) == before
    finally:
        writer.close()


def test_create_refuses_a_name_another_writer_is_creating(tmp_path, ana, ben):
    path = tmp_path / "new.cowrite"
    first = Project.create(path, new_song(), ana)
    try:
        with pytest.raises(SongLocked):
            Project.create(path, new_song(title="Other"), ben)
        assert read_song(path)[0].title == "Test"
    finally:
        first.close()


HOLD = """
import sys
from cowrite.attribution.actors import Actor
from cowrite.io.project import Project
project = Project.open(sys.argv[1], Actor.person("Zoe"))
print("holding", flush=True)
sys.stdin.read()
"""


def test_the_lock_dies_with_its_process(song, ana):
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(song)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "holding\n"
        with pytest.raises(SongLocked) as caught:
            Project.open(song, ana)
        assert caught.value.holder.person == "Zoe" and caught.value.holder.pid == child.pid
        child.kill()
        child.wait()
        Project.open(song, ana).close()  # the kernel let go of the dead process's lock; its file is taken over
    finally:
        child.kill()
        child.wait()
        child.stdin.close()
        child.stdout.close()


def test_two_processes_racing_to_accept_never_lose_an_accept_or_cut_the_ledger(song):
    accepted = 0
    for round_ in range(ROUNDS):
        racers = [subprocess.Popen([*COWRITE, "suggest", "drums", str(song), "--accept", "--seed", str(seed)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for seed in (2 * round_, 2 * round_ + 1)]
        for racer in racers:
            _, err = racer.communicate(timeout=120)
            if racer.returncode == 0:
                accepted += 1
            else:
                assert racer.returncode == 2 and err.count("\n") == 1 and "is open for writing by" in err, err
    song_now, record = read_song(song)
    assert accepted >= ROUNDS  # each round at least one of the two gets in
    assert sum(s.status == "accepted" for s in song_now.suggestions.values()) == accepted
    events = read_events(ledger_path(song))
    assert [e["op"] for e in events].count("accept") == accepted and "discard" not in [e["op"] for e in events]
    result = cowrite("verify", song)
    assert result.returncode == 0 and "intact" in result.stdout and "never saved" not in result.stdout
    assert record.events == len(events) and not lock_path(song).exists()
