"""The sample library: indexing, analysis, incremental rescans, search, preview, the CLI."""

import os
import shutil
import threading
from functools import partial

import numpy as np
import orjson
import pytest
import soundfile

from tests.conftest import run_cowrite
from cowrite.io.errors import FileProblem
from cowrite.library import (add_folder, add_tags, analyse, assignment, ensure_builtin, find_assigned, mark_used,
                             open_library, preview, remove_tags, sample_at, scan, search, set_favourite, words)
from cowrite.library.index import MIGRATIONS

SR = 48000
rng = np.random.default_rng(7)


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own library.sqlite."""
    monkeypatch.setenv("COWRITE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def db():
    connection = open_library()
    yield connection
    connection.close()


def write(path, audio, rate=SR, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), audio, rate, **options)
    return path


def tone(freq=220.0, seconds=1.0, rate=SR):
    t = np.arange(int(seconds * rate)) / rate
    wave = sum(a * np.sin(2 * np.pi * freq * h * t) for h, a in ((1, 1.0), (2, 0.5), (3, 0.3)))
    return (0.5 * wave / 1.8 * np.exp(-2 * t)).astype(np.float32)


def noise(seconds=0.5, decay=8.0):
    t = np.arange(int(seconds * SR)) / SR
    return (0.3 * rng.standard_normal(len(t)) * np.exp(-decay * t)).astype(np.float32)


def click_loop(bpm, beats):
    """`beats` noise clicks, louder on each bar's downbeat, cut to exactly `beats` beats."""
    audio = np.zeros(round(beats * 60 / bpm * SR), np.float32)
    for beat in range(beats):
        start = round(beat * 60 / bpm * SR)
        audio[start:start + 480] += (0.9 if beat % 4 == 0 else 0.5) * noise(0.01, decay=200)
    return audio


class Counting:
    """analysis.analyse that remembers which files it was asked to decode."""

    def __init__(self, **limits):
        self.paths = []
        self.analyse = partial(analyse, **limits)

    def __call__(self, path, tags):
        self.paths.append(path)
        return self.analyse(path, tags)


def index(db, *folders, **options):
    for folder in folders:
        add_folder(db, folder)
    return scan(db, **options)


# -- the database ----------------------------------------------------------------------------------------------------

def test_schema_version_wal_and_a_newer_library_refused(db):
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(FileProblem, match="newer Cowrite"):
        open_library()


def test_not_a_database(tmp_path):
    bad = tmp_path / "library.sqlite"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(FileProblem, match="cannot open it as the sample library"):
        open_library(bad)


def test_index_fields_for_each_format(db, tmp_path):
    stereo = np.stack([tone(rate=44100), 0.5 * tone(rate=44100)], axis=1)
    write(tmp_path / "s" / "wav24.wav", tone(), subtype="PCM_24")
    write(tmp_path / "s" / "stereo.flac", stereo, 44100)
    write(tmp_path / "s" / "vorbis.ogg", tone(), format="OGG", subtype="VORBIS")
    write(tmp_path / "s" / "apple.aiff", tone(seconds=0.5, rate=22050), 22050, format="AIFF", subtype="PCM_16")
    report = index(db, tmp_path / "s")
    assert (report.added, report.problems) == (4, [])
    rows = {r.name: r for r in search(db)}
    wav, flac, ogg, aiff = rows["wav24"], rows["stereo"], rows["vorbis"], rows["apple"]
    assert (wav.format, wav.sample_rate, wav.channels, wav.frames, wav.duration) == ("WAV", SR, 1, SR, 1.0)
    assert (flac.format, flac.sample_rate, flac.channels, flac.frames) == ("FLAC", 44100, 2, 44100)
    assert (ogg.format, ogg.channels) == ("OGG", 1) and ogg.duration == pytest.approx(1.0, abs=0.01)
    assert (aiff.format, aiff.sample_rate, aiff.duration) == ("AIFF", 22050, 0.5)
    peak = 20 * np.log10(np.abs(tone()).max())
    assert wav.peak_db == pytest.approx(peak, abs=0.01) and flac.peak_db == pytest.approx(peak, abs=0.01)
    assert -30 < wav.loudness_db < wav.peak_db
    assert len(wav.hash) == 40 and wav.size == (tmp_path / "s" / "wav24.wav").stat().st_size
    assert all(r.kind == "one-shot" and r.bpm is None and not r.missing for r in rows.values())


def test_loudness_of_a_full_scale_sine_is_minus_3_dbfs(tmp_path):
    path = write(tmp_path / "sine.wav", np.sin(2 * np.pi * 1000 * np.arange(SR) / SR).astype(np.float32),
                 subtype="FLOAT")
    result = analyse(path)
    assert result.peak_db == pytest.approx(0.0, abs=0.01) and result.loudness_db == pytest.approx(-3.01, abs=0.01)


# -- tags and search -------------------------------------------------------------------------------------------------

def test_words_split_names():
    assert words("BigKick_808-01") == ["big", "kick", "808"]
    assert words("TR808 HTTPServer one-shot Glöckchen") == ["tr", "808", "http", "server", "one", "shot", "glöckchen"]


def test_tags_come_from_folder_and_file_names(db, tmp_path):
    write(tmp_path / "Pack" / "Drums" / "Kicks" / "BigKick_808-01.wav", noise())
    index(db, tmp_path / "Pack")
    (row,) = search(db)
    assert row.tags == ("pack", "drums", "kicks", "big", "kick", "808")
    assert row.name == "BigKick_808-01" and row.folder == str(tmp_path / "Pack")


@pytest.fixture
def pack(db, tmp_path):
    """A small indexed pack: three kicks, a snare, two loops."""
    root = tmp_path / "Pack"
    write(root / "Kicks" / "808 Kick.wav", tone(55, 0.8))
    write(root / "Kicks" / "Acoustic Kick.wav", noise(0.3))
    write(root / "Kicks" / "Sub Kick Long.wav", tone(45, 1.2))
    write(root / "Snares" / "Snare 808.wav", noise(0.4))
    write(root / "Grooves" / "Funk 90.wav", click_loop(90, 8))
    write(root / "Grooves" / "House 120.wav", click_loop(120, 8))
    index(db, root)
    return root


def names(rows):
    return [r.name for r in rows]


def test_search_prefixes_every_word(db, pack):
    assert sorted(names(search(db, "kick"))) == ["808 Kick", "Acoustic Kick", "Sub Kick Long"]
    assert sorted(names(search(db, "KIC"))) == ["808 Kick", "Acoustic Kick", "Sub Kick Long"]
    assert sorted(names(search(db, "kicks"))) == ["808 Kick", "Acoustic Kick", "Sub Kick Long"]  # the folder
    assert names(search(db, "808 kick")) == ["808 Kick"]
    assert sorted(names(search(db, "808"))) == ["808 Kick", "Snare 808"]
    assert search(db, "nothing") == [] and search(db, 'kick" OR ( NEAR') == []


def test_search_filters(db, pack):
    assert sorted(names(search(db, kind="loop"))) == ["Funk 90", "House 120"]
    assert names(search(db, "groove", bpm=119)) == ["House 120"]
    assert names(search(db, bpm=92, bpm_tolerance=3)) == ["Funk 90"]
    assert names(search(db, "kick", min_duration=1.0)) == ["Sub Kick Long"]
    assert sorted(names(search(db, "kick", max_duration=0.5))) == ["Acoustic Kick"]
    assert len(search(db, limit=2)) == 2
    with pytest.raises(Exception, match="unknown sample kind"):
        search(db, kind="drone")


def test_favourites_user_tags_and_recent_use(db, pack):
    kick = pack / "Kicks" / "Acoustic Kick.wav"
    assert set_favourite(db, kick).favourite
    assert names(search(db, favourites=True)) == ["Acoustic Kick"]
    assert add_tags(db, kick, ["Punchy", "dark pad"])[-3:] == ("punchy", "dark", "pad")
    assert names(search(db, "punch")) == ["Acoustic Kick"]
    assert "punchy" not in remove_tags(db, kick, ["punchy"]) and search(db, "punch") == []
    mark_used(db, pack / "Snares" / "Snare 808.wav")
    # equal ranks: favourites first, then the most recently used
    assert names(search(db, kind="one-shot"))[:2] == ["Acoustic Kick", "Snare 808"]
    with pytest.raises(FileProblem, match="not in the sample library"):
        add_tags(db, pack / "elsewhere.wav", ["x"])


# -- analysis --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bpm, beats", [(90, 8), (120, 8), (174, 16)])
def test_loop_tempo_within_one_bpm(tmp_path, bpm, beats):
    result = analyse(write(tmp_path / "groove.wav", click_loop(bpm, beats)))
    assert result.kind == "loop" and result.root is None
    assert result.bpm == pytest.approx(bpm, abs=1)


def test_loop_not_cut_to_whole_bars_keeps_the_estimate(tmp_path):
    result = analyse(write(tmp_path / "groove.wav", click_loop(120, 9)[:int(4.3 * SR)]))
    assert result.kind == "loop" and result.bpm == pytest.approx(120, abs=2)
    assert type(result.bpm) is float  # not a numpy scalar, which sqlite3 would store as bytes


def test_names_decide_kind_before_the_sound(tmp_path):
    assert analyse(write(tmp_path / "x.wav", click_loop(120, 8)), ["hit", "loops"]).kind == "one-shot"
    assert analyse(write(tmp_path / "x.wav", tone(seconds=0.5)), ["loop"]).kind == "loop"


def test_long_fading_or_sustained_sounds_are_one_shots(tmp_path):
    crash = noise(3.0, decay=1.5)
    pad = (0.5 * np.sin(2 * np.pi * 330 * np.arange(3 * SR) / SR)).astype(np.float32)
    assert analyse(write(tmp_path / "crash.wav", crash)).kind == "one-shot"
    assert analyse(write(tmp_path / "pad.wav", pad)).kind == "one-shot"


def test_root_pitch_of_a_tone_and_none_for_noise(tmp_path):
    assert analyse(write(tmp_path / "a3.wav", tone(220))).root == 57
    assert analyse(write(tmp_path / "c5.flac", tone(523.25, 0.4, rate=44100), 44100)).root == 72
    assert analyse(write(tmp_path / "noise.wav", noise(1.0, decay=3))).root is None
    assert analyse(write(tmp_path / "hat.wav", np.diff(noise(0.3), prepend=0).astype(np.float32))).root is None


def test_too_long_is_refused_without_decoding(db, tmp_path):
    write(tmp_path / "s" / "song.wav", tone(seconds=2.0))
    write(tmp_path / "s" / "hit.wav", tone(seconds=0.2))
    report = index(db, tmp_path / "s", analyse=Counting(max_seconds=1.0))
    assert report.added == 1
    assert report.problems == [(str(tmp_path / "s" / "song.wav"), "longer than the 1-second limit (2 s)")]


# -- scanning --------------------------------------------------------------------------------------------------------

def test_rescan_analyses_only_changed_files(db, tmp_path):
    root = tmp_path / "s"
    for i in range(4):
        write(root / f"hit{i}.wav", tone(200 + 50 * i, 0.3))
    counting = Counting()
    assert index(db, root, analyse=counting).added == 4 and len(counting.paths) == 4

    counting.paths.clear()
    report = scan(db, analyse=counting)
    assert (report.unchanged, report.added, report.updated, counting.paths) == (4, 0, 0, [])

    write(root / "hit1.wav", tone(600, 0.3))  # new content
    os.utime(root / "hit2.wav", ns=(1, 1))  # touched: same bytes, new time
    report = scan(db, analyse=counting)
    assert counting.paths == [str(root / "hit1.wav")]
    assert (report.updated, report.unchanged) == (1, 3)
    assert sample_at(db, root / "hit1.wav").root == 74  # 600 Hz: D5, measured again


def test_moved_file_keeps_tags_and_favourite(db, tmp_path):
    root = tmp_path / "s"
    old = write(root / "Unsorted" / "boom.wav", tone(55, 0.8))
    index(db, root)
    add_tags(db, old, ["mine"])
    set_favourite(db, old)
    stored = assignment(sample_at(db, old))
    new = root / "Kicks" / "boom-renamed.wav"
    new.parent.mkdir()
    old.rename(new)
    counting = Counting()
    report = scan(db, analyse=counting)
    assert (report.moved, report.added, report.missing) == (1, 0, 1)
    row = sample_at(db, new)
    assert row.favourite and "mine" in row.tags and "kicks" in row.tags and "unsorted" not in row.tags
    assert find_assigned(db, stored).path == str(new)
    with pytest.raises(FileProblem):
        sample_at(db, old)


def test_deleted_file_is_marked_missing_and_comes_back(db, tmp_path):
    root = tmp_path / "s"
    path = write(root / "snare.wav", noise())
    index(db, root)
    add_tags(db, path, ["keeper"])
    saved = path.read_bytes()
    path.unlink()
    report = scan(db)
    assert report.missing == 1 and search(db, "snare") == [] and sample_at(db, path).missing
    path.write_bytes(saved)
    report = scan(db)
    assert report.unchanged == 1 and names(search(db, "keeper")) == ["snare"]


def test_disappeared_folder_is_reported(db, tmp_path):
    root = tmp_path / "drive"
    write(root / "kick.wav", tone(55, 0.5))
    index(db, root)
    root.rename(tmp_path / "unplugged")
    report = scan(db)
    assert report.missing_folders == [str(root)] and report.missing == 1 and search(db) == []
    (tmp_path / "unplugged").rename(root)
    report = scan(db)
    assert report.missing_folders == [] and report.unchanged == 1 and names(search(db)) == ["kick"]


def test_unreadable_files_are_listed_and_the_rest_indexed(db, tmp_path):
    root = tmp_path / "s"
    write(root / "good.wav", tone())
    (root / "corrupt.wav").write_bytes(np.random.default_rng(0).bytes(5000))
    (root / "notes.mp3").write_text("not audio, just text\n" * 50)
    (root / "readme.txt").write_text("ignored: not an audio file name")
    write(root / "nan.wav", np.full(100, np.nan, np.float32), subtype="FLOAT")
    counting = Counting()
    report = index(db, root, analyse=counting)
    assert report.added == 1 and names(search(db)) == ["good"]
    reasons = dict(report.problems)
    assert reasons.pop(str(root / "nan.wav")) == "holds broken samples (not a number, or infinite)"
    assert reasons == {str(root / "corrupt.wav"): "cannot read it as audio (Format not recognised)",
                       str(root / "notes.mp3"): "cannot read it as audio (Format not recognised)"}  # read by fd
    counting.paths.clear()
    assert len(scan(db, analyse=counting).problems) == 3 and counting.paths == []  # not retried until changed
    (root / "corrupt.wav").unlink()
    (root / "nan.wav").unlink()
    assert [p for p, _ in scan(db).problems] == [str(root / "notes.mp3")]


def test_cancel_from_the_progress_callback_keeps_the_work_done(db, tmp_path):
    root = tmp_path / "s"
    for i in range(5):
        write(root / f"hit{i}.wav", tone(300 + 20 * i, 0.2))
    add_folder(db, root)
    cancel, seen = threading.Event(), []

    def progress(done, total, path):
        seen.append((done, total))
        if done == 2:
            cancel.set()

    report = scan(db, progress=progress, cancel=cancel)
    assert report.cancelled and report.added == 2 and seen == [(1, 5), (2, 5)]
    report = scan(db)
    assert not report.cancelled and (report.added, report.unchanged) == (3, 2)


def test_adding_folders_inside_and_around_roots(db, tmp_path):
    write(tmp_path / "a" / "b" / "hit.wav", tone())
    write(tmp_path / "a" / "top.wav", tone())
    inner = add_folder(db, tmp_path / "a" / "b")
    assert add_folder(db, tmp_path / "a" / "b") == inner
    scan(db)
    outer = add_folder(db, tmp_path / "a")
    assert add_folder(db, tmp_path / "a" / "b") == outer
    report = scan(db)
    assert (report.added, report.unchanged) == (1, 1)
    assert [r["path"] for r in db.execute("SELECT path FROM folders")] == [str(outer)]
    with pytest.raises(FileProblem, match="no such folder"):
        add_folder(db, tmp_path / "nope")


def test_builtin_kits(db):
    report = ensure_builtin(db)
    assert report.problems == [] and report.added >= 39
    kicks = search(db, "built-in kick")
    assert len(kicks) == 3 and all("built-in" in k.tags for k in kicks)
    assert {k.root for k in kicks if "boom" in k.tags} == {31}  # the 808-boom kick is tuned to G1
    assert ensure_builtin(db).added == 0


# -- preview and assignment ------------------------------------------------------------------------------------------

def test_preview_is_stereo_float32(db, tmp_path):
    write(tmp_path / "s" / "mono.wav", tone(seconds=0.25), subtype="PCM_16")
    write(tmp_path / "s" / "quad.wav", np.tile(tone(seconds=0.25, rate=44100)[:, None], 4), 44100)
    index(db, tmp_path / "s")
    audio, rate = preview(sample_at(db, tmp_path / "s" / "mono.wav"))
    assert audio.dtype == np.float32 and audio.shape == (SR // 4, 2) and rate == SR
    assert np.array_equal(audio[:, 0], audio[:, 1])
    audio, rate = preview(sample_at(db, tmp_path / "s" / "quad.wav"))
    assert audio.shape == (11025, 2) and rate == 44100
    row = sample_at(db, tmp_path / "s" / "mono.wav")
    assert assignment(row) == {"path": row.path, "hash": row.hash, "name": "mono", "root": 57, "kind": "one-shot",
                               "bpm": None}
    os.remove(row.path)
    with pytest.raises(FileProblem, match="is missing"):
        preview(row)
    scan(db)
    assert find_assigned(db, assignment(row)) is None


# -- the command line ------------------------------------------------------------------------------------------------

def run(capsys, monkeypatch, *args):
    return run_cowrite(capsys, "library", *args)


def test_cli_add_search_json_tag_fav(tmp_path, capsys, monkeypatch):
    write(tmp_path / "Pack" / "Kicks" / "808 Kick.wav", tone(55, 0.8))
    write(tmp_path / "Pack" / "Grooves" / "Funk.wav", click_loop(90, 8))
    code, out, _ = run(capsys, monkeypatch, "add", tmp_path / "Pack")
    assert code == 0 and out.startswith("2 added, 0 updated, 0 moved, 0 unchanged, 0 missing, 0 problems")
    code, out, _ = run(capsys, monkeypatch, "search", "808", "kick", "--json")
    rows = orjson.loads(out)
    assert code == 0 and rows[0]["name"] == "808 Kick"
    assert all("built-in" in r["tags"] for r in rows[1:])  # the kits' 808 kicks: a library always has them
    assert set(rows[0]) == {"name", "path", "kind", "duration", "bpm", "root", "tags", "favourite"}
    code, out, _ = run(capsys, monkeypatch, "search", "--kind", "loop", "--bpm", "90")
    assert code == 0 and "Funk" in out and "90 BPM" in out and out.count("\n") == 1
    kick = tmp_path / "Pack" / "Kicks" / "808 Kick.wav"
    assert run(capsys, monkeypatch, "tag", kick, "boomy")[0] == 0
    assert run(capsys, monkeypatch, "fav", kick)[1].endswith("a favourite\n")
    code, out, _ = run(capsys, monkeypatch, "search", "boom", "--favourites", "--json")
    assert [r["name"] for r in orjson.loads(out)] == ["808 Kick"] and orjson.loads(out)[0]["favourite"]
    code, out, _ = run(capsys, monkeypatch, "scan")
    assert code == 0 and "0 added" in out and "0 problems" in out


def test_cli_mistakes_are_one_line_exit_2(tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "add", tmp_path / "nowhere")
    assert code == 2 and err == f"cowrite: error: {tmp_path / 'nowhere'}: no such folder\n"
    code, _, err = run(capsys, monkeypatch, "fav", tmp_path / "x.wav")
    assert code == 2 and "is not in the sample library" in err and err.count("\n") == 1


def test_cli_scan_reports_problems_and_missing_folders(tmp_path, capsys, monkeypatch):
    write(tmp_path / "s" / "ok.wav", tone())
    (tmp_path / "s" / "bad.wav").write_bytes(b"RIFF" + rng.bytes(100))
    assert run(capsys, monkeypatch, "add", tmp_path / "s")[0] == 0
    shutil.move(tmp_path / "s", tmp_path / "gone")
    code, out, _ = run(capsys, monkeypatch, "scan")
    assert code == 0 and f"folder missing: {tmp_path / 's'}" in out and "1 missing" in out
