"""The ledger is append-only and tamper-evident; `verify` names the first bad line."""

import hashlib

import orjson
import pytest

from cowrite.attribution.ledger import GENESIS, LedgerRecord, check_chain, read_events, verify_ledger
from cowrite.edit import AddNotes, AddTrack, MoveNotes
from cowrite.io.project import read_song


@pytest.fixture
def saved(project):
    doc = project.document
    doc.apply(AddTrack("Piano"))
    for i in range(5):
        doc.apply(AddNotes("Piano", [(60 + i, i * 960, 960, 90)]))
    doc.apply(MoveNotes([1], ticks=10))
    project.save()
    return project.path, project.ledger.path


def lines(path):
    return path.read_bytes().split(b"\n")[:-1]


def write_lines(path, rows):
    path.write_bytes(b"".join(r + b"\n" for r in rows))


def check(song_path, ledger):
    _, record = read_song(song_path)
    return verify_ledger(ledger, record)


def test_each_line_links_to_the_previous_line_and_hashes_itself(saved):
    _, ledger = saved
    rows = lines(ledger)
    prev = GENESIS
    for seq, row in enumerate(rows, 1):
        event = orjson.loads(row)
        assert event["seq"] == seq and event["prev"] == prev
        body = row[:row.rindex(b',"hash":"')]
        assert event["hash"] == hashlib.sha256(body).hexdigest()
        prev = hashlib.sha256(row).hexdigest()
    assert row.startswith(b'{"seq":') and row.endswith(b'"}')


def test_intact(saved):
    result = check(*saved)
    assert result.intact and result.events == 8


def test_a_line_edited_is_named(saved):
    song, ledger = saved
    rows = lines(ledger)
    rows[3] = rows[3].replace(b'"velocity"', b'"velocity"').replace(b",90]", b",91]")
    write_lines(ledger, rows)
    result = check(song, ledger)
    assert not result.intact and result.bad_line == 4 and "edited" in result.message


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(saved):
    song, ledger = saved
    rows = lines(ledger)
    body = rows[3][:rows[3].rindex(b',"hash":"')].replace(b",90]", b",91]")
    rows[3] = body + b',"hash":"%s"}' % hashlib.sha256(body).hexdigest().encode()
    write_lines(ledger, rows)
    result = check(song, ledger)
    assert result.bad_line == 5 and "link to the previous line" in result.message


@pytest.mark.parametrize("tamper, bad_line, words", [
    (lambda r: r[:-2], 7, "cut off the end"),
    (lambda r: r[:3] + r[4:], 4, "sequence number is 5, expected 4"),
    (lambda r: r[:3] + [r[2]] + r[3:], 4, "sequence number is 3, expected 4"),
    (lambda r: [r[0], r[2], r[1], *r[3:]], 2, "sequence number is 3, expected 2"),
    (lambda r: r + [b'{"seq":9,"junk"}'], 9, "no link"),
    (lambda r: r[:2] + [b""] + r[2:], 3, "empty"),
    (lambda r: r[:2] + [b"hello"] + r[2:], 3, "not a ledger event"),
])
def test_cut_removed_inserted_reordered_lines_are_detected(saved, tamper, bad_line, words):
    song, ledger = saved
    write_lines(ledger, tamper(lines(ledger)))
    result = check(song, ledger)
    assert not result.intact
    assert result.bad_line == bad_line
    assert words in result.message


def test_a_cut_in_the_middle_of_a_line(saved):
    song, ledger = saved
    ledger.write_bytes(ledger.read_bytes()[:-20])
    result = check(song, ledger)
    assert result.bad_line == 8 and "incomplete" in result.message


def test_a_rewritten_tail_is_caught_by_the_songs_record(saved):
    """Someone rewrites the last line and re-chains it: only the song's head hash can tell."""
    song, ledger = saved
    rows = lines(ledger)
    body = rows[-1][:rows[-1].rindex(b',"hash":"')].replace(b"Ana", b"Eve")
    rows[-1] = body + b',"hash":"%s"}' % hashlib.sha256(body).hexdigest().encode()
    write_lines(ledger, rows)
    assert check_chain(ledger.read_bytes()).intact
    result = check(song, ledger)
    assert not result.intact and result.bad_line == 8 and "rewritten" in result.message


def test_events_after_the_last_save_are_reported_not_condemned(project):
    project.document.apply(AddTrack("Piano"))
    project.save()
    project.document.apply(AddTrack("Bass"))  # written to the ledger, never saved
    result = check(project.path, project.ledger.path)
    assert result.intact and result.unsaved == 1 and "never saved" in result.message


def test_read_events_parses_every_line(saved):
    _, ledger = saved
    assert [e["seq"] for e in read_events(ledger)] == list(range(1, 9))


def test_record_round_trip():
    record = LedgerRecord(3, 120, "ab" * 32)
    assert LedgerRecord.from_json(record.to_json()) == record
