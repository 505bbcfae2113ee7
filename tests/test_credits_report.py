"""The credits to keep: the one-page HTML report (label, shares, pictures, kept suggestions) and the saved files."""

from __future__ import annotations

import re
from collections import Counter

import orjson
import pytest

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.authorship import note_class
from cowrite.attribution.credits import credits, credits_text
from cowrite.attribution.credits_report import CLASS_COLOURS, credits_document, credits_html
from cowrite.attribution.ledger import read_events
from cowrite.edit import (AcceptSuggestion, AddNotes, AddTrack, Macro, ProposeSuggestion, RejectSuggestion,
                          SetTitle, SetVelocity)
from cowrite.model import ProposedNote, Suggestion, TrackKind

DRUMS_AI = Actor.assistant("drums", "1.0.0")
BASS_AI = Actor.assistant("bass", "2.1.0")
GROOVE = "Four on the floor: a kick on every beat <so the bass can lock to it> & no fills."
LINE = "Root notes on beat one, fifths on beat three."
TURNED_DOWN = "A busier line nobody wanted."


def offer(project, assistant: Actor, track: str, notes: list[ProposedNote], explanation: str) -> str:
    project.document.apply(ProposeSuggestion(Suggestion(
        "", assistant.id, track, {}, 1, notes, explanation=explanation, source_type=V.TRAINED_ALGORITHMIC)), assistant)
    return f"s{project.song.next_suggestion_id - 1}"


@pytest.fixture
def mixed(project, ana, ben):
    """Ana's keys; four kicks accepted whole; three of a bass line's four notes kept, one edited by Ben;
    a second bass line turned down."""
    doc = project.document
    doc.apply(Macro("Tracks", [AddTrack("Keys"), AddNotes("Keys", [(57, 0, 960, 90), (60, 960, 960, 90)]),
                               AddTrack("Drums", kind=TrackKind.DRUMS), AddTrack("Bass")]))
    kicks = offer(project, DRUMS_AI, "Drums", [ProposedNote(36, i * 960, 120, 110) for i in range(4)], GROOVE)
    doc.apply(AcceptSuggestion(kicks))
    line = offer(project, BASS_AI, "Bass", [ProposedNote(45, i * 1920, 960, 100) for i in range(4)], LINE)
    doc.apply(AcceptSuggestion(line, [0, 1, 2]))
    doc.apply(SetVelocity([project.song.find_track("Bass").sorted_notes()[0].id], velocity=60), ben)
    doc.apply(RejectSuggestion(offer(project, BASS_AI, "Bass", [ProposedNote(40, 0, 240, 90)], TURNED_DOWN)))
    return project


def report_of(project) -> tuple[dict, str]:
    events = read_events(project.ledger.path)
    report = credits(project.song, [e["actor"]["id"] for e in events])
    return report, credits_html(project.song, report, events)


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, re.S)


def test_the_label_is_in_plain_words_with_the_iptc_code_beside_it(mixed):
    _, page = report_of(mixed)
    assert "Made by people with help from AI assistants" in page
    assert "IPTC: compositeWithTrainedAlgorithmicMedia" in page
    assert "came from AI assistants (drums@1.0.0 and bass@2.1.0)" in page  # the sentence a listener reads


def test_per_track_shares_are_the_credits(mixed):
    report, page = report_of(mixed)
    rows = dict(re.findall(r"<tr><td><b>(.*?)</b></td><td class=\"num\">\d+</td><td>(.*?)</td>", page))
    assert rows == {"Keys": "Ana 100%", "Drums": "drums@1.0.0 100%",
                    "Bass": "bass@2.1.0 100%; 1 of the AI&#x27;s notes edited by hand"}
    for track in report["tracks"]:  # the same numbers credits() gives, not a recount
        shares = ", ".join(f"{Actor.parse(a).label} {v['share'] * 100:.0f}%" for a, v in track["by"].items())
        assert rows[track["track"]].startswith(shares)
    assert "<td>Ana</td><td class=\"num\">2</td><td class=\"num\">22%</td>" in page


def test_one_picture_per_track_a_rect_per_note_in_its_class_colour(mixed):
    _, page = report_of(mixed)
    pictures = svgs(page)
    assert len(pictures) == len(mixed.song.tracks) == 3
    for track, svg in zip(mixed.song.tracks, pictures):
        fills = Counter(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg))
        assert fills == Counter(CLASS_COLOURS[note_class(n.origin)] for n in track.notes.values())
    bass = Counter(re.findall(r'fill="(#[0-9a-f]{6})"', pictures[2]))
    assert bass == {CLASS_COLOURS[V.AI]: 2, CLASS_COLOURS[V.AI_EDITED]: 1}


def test_each_kept_suggestion_with_its_explanation_assistant_and_notes_kept(mixed):
    _, page = report_of(mixed)
    assert "Four on the floor: a kick on every beat &lt;so the bass can lock to it&gt; &amp; no fills." in page
    assert LINE in page and TURNED_DOWN not in page
    assert "drums@1.0.0 <span class=\"dim\">(AI assistant), accepted by Ana: 4 of its 4 notes kept" in page
    assert "bass@2.1.0 <span class=\"dim\">(AI assistant), partly accepted by Ana: 3 of its 4 notes kept" in page
    assert "3 suggestions offered: 1 accepted, 1 partly accepted, 1 turned down, 0 waiting." in page


def test_every_text_from_the_song_is_escaped(project):
    project.document.apply(Macro("Odd names", [SetTitle("<b>&"), AddTrack("<script>x</script>"),
                                               AddNotes("<script>x</script>", [(60, 0, 960, 90)])]))
    _, page = report_of(project)
    assert "<title>Credits: &lt;b&gt;&amp;</title>" in page and "<h1>&lt;b&gt;&amp;</h1>" in page
    assert "<b>&</" not in page and "<script" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_the_page_is_self_contained_and_prints_on_a_page(mixed):
    _, page = report_of(mixed)
    for loads_something in ("<script", "src=", "href=", "<link", "url(", "@import"):
        assert loads_something not in page
    assert "@page { size: A4" in page and page.startswith("<!DOCTYPE html>")


def test_without_a_ledger_the_report_still_stands(mixed):
    report = credits(mixed.song)
    page = credits_html(mixed.song, report)
    assert "accepted: 4 of its 4 notes kept" in page and "attribution ledger" not in page


def test_saved_as_text_json_or_html(mixed):
    report, page = report_of(mixed)
    events = read_events(mixed.ledger.path)
    assert credits_document(".txt", mixed.song, report) == (credits_text(report) + "\n").encode()
    assert orjson.loads(credits_document(".JSON", mixed.song, report)) == report
    assert credits_document(".html", mixed.song, report, events).decode() == page
    with pytest.raises(ValueError, match=r"\.txt, \.json, \.html, not \.pdf"):
        credits_document(".pdf", mixed.song, report)


def test_the_page_uses_the_studios_class_colours():
    theme = pytest.importorskip("cowrite.ui.theme")
    assert CLASS_COLOURS == {cls: colour.name() for cls, colour in theme.ORIGIN_COLOURS.items()}


# -- the credits dialog: the label in words, and "Save report…" ------------------------------------

@pytest.fixture
def dialog(qtbot, mixed):
    pytest.importorskip("PySide6.QtWidgets")
    from cowrite.ui.credits_dialog import CreditsDialog
    from cowrite.ui.session import Session

    widget = CreditsDialog(Session(mixed))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_dialogs_badge_reads_in_words_with_the_code_small_beside_it(dialog):
    text = dialog.label.text()
    assert text.startswith("Made by people with help from AI assistants&nbsp;")
    assert re.search(r'<span style="font-weight: 400; font-size: small; color: #[0-9a-f]{6}">'
                     r"IPTC: compositeWithTrainedAlgorithmicMedia</span>$", text)


def test_no_text_in_the_dialog_is_clipped(dialog):
    from PySide6.QtWidgets import QLabel

    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.text():
            if label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
            else:
                assert label.width() >= label.minimumSizeHint().width(), label.text()


@pytest.mark.parametrize("suffix", [".html", ".txt", ".json"])
def test_save_report_writes_what_the_command_line_writes(dialog, mixed, tmp_path, suffix):
    out = tmp_path / f"credits{suffix}"
    assert dialog.save_report(out)
    events = read_events(mixed.ledger.path)
    assert out.read_bytes() == credits_document(suffix, mixed.song, dialog.report, events)
    assert dialog.saved.text() == f"Saved as credits{suffix}" and dialog.saved.toolTip() == str(out)


def test_save_report_says_why_it_could_not(dialog, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert not dialog.save_report(blocked / "credits.html")
    assert dialog.saved.text().startswith("Not saved: cannot write here") and dialog.saved.objectName() == "error"


def test_the_save_button_asks_where_and_adds_the_chosen_kinds_suffix(qtbot, dialog, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    asked = []

    def answer(parent, caption, suggested, filters):
        asked.append((suggested, filters.split(";;")))
        return str(tmp_path / "for the class"), "Text (*.txt)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    suggested, filters = asked[0]
    assert suggested.endswith("song credits.html") and filters[0] == "One-page report (HTML) (*.html)"
    assert (tmp_path / "for the class.txt").read_text().startswith("Credits for 'Test'")
