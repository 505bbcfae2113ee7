"""The credits to keep: as text, as JSON, and as a one-page HTML report a teacher can print and hand out.

The numbers are `credits()`'s report, never recomputed here, so the page, the
text and the export manifests agree. The HTML adds what a page can show and a
table cannot: the disclosure label in plain words (its IPTC code beside it),
a small picture of each track's notes coloured by who wrote them, and each
kept suggestion with the assistant's own explanation.

The page is self-contained: inline CSS and SVG, no scripts, no links to load,
so it opens the same anywhere and years later. Every piece of text from the
song (titles, names, explanations) is escaped.
"""

from __future__ import annotations

from collections import Counter
from html import escape

import orjson

from cowrite.attribution import vocabulary as V
from cowrite.attribution.actors import Actor
from cowrite.attribution.authorship import note_class
from cowrite.attribution.credits import credits_text
from cowrite.attribution.disclosure import plain_label
from cowrite.model import Song, Track
from cowrite.model.suggestion import ACCEPTED, PARTLY_ACCEPTED

#: note-class colours, the same as the studio's (ui.theme.ORIGIN_COLOURS), so the page matches the screen
CLASS_COLOURS = {V.HUMAN: "#5aa9e6", V.AI: "#f28f3b", V.AI_EDITED: "#c8553d", V.HUMAN_TRANSFORMED: "#7bc950"}
CLASS_WORDS = {V.HUMAN: "written by a person", V.AI: "written by an AI assistant",
               V.AI_EDITED: "an AI assistant's note, edited by a person",
               V.HUMAN_TRANSFORMED: "a person's note, changed by an assistant"}
#: the file kinds the credits are saved as, by file name suffix
SAVE_FORMATS = {".txt": "Text", ".json": "JSON", ".html": "One-page report (HTML)"}

STRIP_WIDTH, STRIP_HEIGHT = 1000, 40  # SVG units of a track's picture; CSS sets its size on the page
MAX_ROW_HEIGHT = 5  # a pitch row in a track's picture at most, so a drum part of two voices is not two slabs
#: the least size of a note's mark, so a hi-hat or a note in a wide range still prints as a visible dash
MIN_NOTE_WIDTH, MIN_NOTE_HEIGHT = 4.0, 3.5

STYLE = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 9.5pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 186mm;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
h2 { font-size: 11pt; margin: 5mm 0 1.5mm; border-bottom: 1px solid #c9ced6; padding-bottom: 0.5mm; }
.dim { color: #5c6470; }
.label { border: 1px solid #c9ced6; border-left: 4px solid #f28f3b; border-radius: 3px; padding: 2mm 3mm;
         margin-top: 3mm; background: #f4f5f7; }
.label.people { border-left-color: #5aa9e6; }
.label .words { font-size: 12.5pt; font-weight: 600; }
.label .code { font: 8pt monospace; color: #5c6470; margin-left: 2mm; }
.label p { margin: 1mm 0 0; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; color: #5c6470; font-size: 8.5pt; }
th, td { padding: 1mm 2mm 1mm 0; vertical-align: middle; }
tr + tr td { border-top: 1px solid #e8eaee; }
.num { text-align: right; white-space: nowrap; }
td.strip { width: 46%; padding-right: 0; }
svg { display: block; width: 100%; height: 10mm; background: #f4f5f7; border-radius: 2px; }
.legend span { display: inline-block; margin-right: 4mm; white-space: nowrap; }
.swatch { display: inline-block; width: 3mm; height: 3mm; border-radius: 1px; margin-right: 1mm;
          vertical-align: -0.3mm; }
.suggestion { margin: 0 0 2mm; page-break-inside: avoid; }
.suggestion .head { font-weight: 600; }
.suggestion p { margin: 0.5mm 0 0; color: #353a43; }
footer { margin-top: 5mm; font-size: 8pt; }
"""


# -- the files -----------------------------------------------------------------------------------

def credits_document(suffix: str, song: Song, report: dict, events: list[dict] | None = None) -> bytes:
    """The credits as the bytes of a .txt, .json or .html file (`events`: the ledger, for the HTML's footer
    and who accepted each suggestion)."""
    suffix = suffix.lower()
    if suffix == ".txt":
        return (credits_text(report) + "\n").encode()
    if suffix == ".json":
        return orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    if suffix == ".html":
        return credits_html(song, report, events).encode()
    raise ValueError(f"credits are saved as {', '.join(SAVE_FORMATS)}, not {suffix or 'a file without a suffix'}")


def credits_html(song: Song, report: dict, events: list[dict] | None = None) -> str:
    """The one-page report: label, contributors, tracks with their pictures, kept suggestions, the ledger."""
    parts = [_header(report, events), _label(report["disclosure"]), _contributors(report), _tracks(song, report),
             _suggestions(song, report, events or []), _footer(events)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Credits: {escape(report['song'])}</title><style>{STYLE}</style></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


# -- the sections ----------------------------------------------------------------------------------

def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _who(contributor: dict) -> str:
    if contributor["type"] == "person":
        return escape(contributor["name"])
    return f'{escape(contributor["name"])}@{escape(contributor["version"])} <span class="dim">(AI assistant)</span>'


def _header(report: dict, events: list[dict] | None) -> str:
    """The title, the size of the song, and (from the ledger) the day of its last step."""
    tracks = len(report["tracks"])
    day = f" · as of {escape(events[-1]['time'][:10])}" if events else ""
    return (f"<header><h1>{escape(report['song'])}</h1>"
            f"<div class=\"dim\">Credits · {report['notes']} notes in {tracks} track{'s' if tracks != 1 else ''}"
            f" · AI share {_percent(report['disclosure']['ai_share'])} of the notes{day}</div></header>")


def _label(disclosure: dict) -> str:
    """The label in plain words, its IPTC code beside it small, and the sentence a listener reads."""
    term = disclosure["digital_source_type"]
    kind = " people" if term == V.DIGITAL_CREATION else ""
    return (f"<section class=\"label{kind}\"><span class=\"words\">{escape(plain_label(term))}</span>"
            f"<span class=\"code\" title=\"{escape(disclosure['uri'])}\">IPTC: {escape(term)}</span>"
            f"<p>{escape(disclosure['sentence'])}</p></section>")


def _contributors(report: dict) -> str:
    rows = "".join(
        f"<tr><td>{_who(c)}</td><td class=\"num\">{c['notes']}</td><td class=\"num\">{_percent(c['share'])}</td>"
        f"<td class=\"num\">{_percent(c['time_share'])}</td>"
        f"<td class=\"num\">{c.get('edited_ai_notes', '')}</td></tr>"
        for c in report["contributors"])
    return ("<section><h2>Who wrote the notes</h2><table><tr><th>Who</th><th class=\"num\">Notes</th>"
            "<th class=\"num\">Share of notes</th><th class=\"num\">Share of sounding time</th>"
            f"<th class=\"num\">AI notes they edited</th></tr>{rows}</table></section>")


def track_shares(track_report: dict) -> str:
    """Who wrote a track's notes, as credits_text says it: 'Ana 60%, drums@1.0.0 40%', and how many of the
    AI's notes a person then edited (the picture shows them in their own colour)."""
    shares = ", ".join(f"{Actor.parse(a).label} {_percent(v['share'])}" for a, v in track_report["by"].items())
    edited = track_report["classes"].get(V.AI_EDITED, {}).get("notes", 0)
    return shares + (f"; {edited} of the AI's notes edited by hand" if edited else "")


def _tracks(song: Song, report: dict) -> str:
    end = max(1, song.end_tick)
    bars = [song.meter.bar_start(bar) for bar in range(1, song.meter.bar_at(end - 1) + 1)]
    rows = "".join(
        f"<tr><td><b>{escape(t['track'])}</b></td><td class=\"num\">{t['notes']}</td>"
        f"<td>{escape(track_shares(t)) or '<span class=dim>no notes</span>'}</td>"
        f"<td class=\"strip\">{track_svg(song.track(t['id']), end, bars)}</td></tr>"
        for t in report["tracks"])
    legend = "".join(f"<span><i class=\"swatch\" style=\"background:{CLASS_COLOURS[cls]}\"></i>"
                     f"{escape(CLASS_WORDS[cls])}</span>" for cls in V.NOTE_CLASSES)
    return ("<section><h2>Track by track</h2><table><tr><th>Track</th><th class=\"num\">Notes</th>"
            f"<th>Who wrote them</th><th>The notes, by who wrote them</th></tr>{rows}</table>"
            f"<div class=\"legend dim\">{legend}</div></section>")


def track_svg(track: Track, end_tick: int, bar_ticks: list[int]) -> str:
    """A small piano roll of the track: one rect a note (time across, pitch up), filled with its class colour,
    faint lines at the bars."""
    x_scale = STRIP_WIDTH / end_tick
    lines = "".join(f'<line x1="{t * x_scale:.1f}" x2="{t * x_scale:.1f}" y1="0" y2="{STRIP_HEIGHT}"/>'
                    for t in bar_ticks)
    notes = list(track.notes.values())
    rects = []
    if notes:
        low, high = min(n.pitch for n in notes), max(n.pitch for n in notes)
        row = min(MAX_ROW_HEIGHT, (STRIP_HEIGHT - MIN_NOTE_HEIGHT) / max(1, high - low))  # pitch to pitch
        height = max(MIN_NOTE_HEIGHT, row - 0.4)
        top = (STRIP_HEIGHT - row * (high - low) - height) / 2  # the track's range in the middle
        classes: dict[int, str] = {}  # by id(): notes share origins
        for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
            if id(n.origin) not in classes:
                classes[id(n.origin)] = note_class(n.origin)
            rects.append(f'<rect x="{n.start * x_scale:.1f}" y="{top + (high - n.pitch) * row:.1f}" '
                         f'width="{max(MIN_NOTE_WIDTH, n.duration * x_scale - 0.6):.1f}" height="{height:.1f}" '
                         f'fill="{CLASS_COLOURS[classes[id(n.origin)]]}"/>')
    return (f'<svg viewBox="0 0 {STRIP_WIDTH} {STRIP_HEIGHT}" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(track.name)}: {len(notes)} notes">'
            f'<g stroke="#c9ced6" stroke-width="1" vector-effect="non-scaling-stroke">{lines}</g>'
            f'{"".join(rects)}</svg>')


def _suggestions(song: Song, report: dict, events: list[dict]) -> str:
    """Each suggestion a person kept (all or part of), with its explanation, assistant and notes kept."""
    kept = Counter(n.origin.suggestion for _, n in song.all_notes() if n.origin.suggestion)
    accepted_by = {e["subject"].get("suggestion"): Actor.parse(e["actor"]["id"]).label
                   for e in events if e.get("op") == "accept"}
    names = {t.id: t.name for t in song.tracks}
    items = []
    for s in song.suggestions.values():
        if s.status not in (ACCEPTED, PARTLY_ACCEPTED):
            continue
        how = "accepted" if s.status == ACCEPTED else "partly accepted"
        by = f" by {escape(accepted_by[s.id])}" if s.id in accepted_by else ""
        items.append(
            f"<div class=\"suggestion\"><div class=\"head\">{escape(names.get(s.track_id, s.track_id))} · "
            f"{escape(Actor.parse(s.assistant).label)} <span class=\"dim\">(AI assistant), {how}{by}: "
            f"{kept[s.id]} of its {len(s.notes)} notes kept</span></div>"
            f"<p>{escape(s.explanation) or '<span class=dim>No explanation given.</span>'}</p></div>")
    counts = report["suggestions"]
    summary = (f"<p class=\"dim\">{counts['offered']} suggestions offered: {counts['accepted']} accepted, "
               f"{counts['partly_accepted']} partly accepted, {counts['rejected']} turned down, "
               f"{counts['pending']} waiting.</p>")
    body = "".join(items) or "<p class=\"dim\">No suggestion from an assistant was kept.</p>"
    return f"<section><h2>What the assistants suggested, and what was kept</h2>{body}{summary}</section>"


def _footer(events: list[dict] | None) -> str:
    ledger = (f" Its attribution ledger records all {len(events)} steps, who took each and when; "
              "<code>cowrite verify</code> checks that none was altered." if events else "")
    return ("<footer class=\"dim\">Made with Cowrite from the song's notes, each of which remembers who wrote it."
            f"{ledger}</footer>")
