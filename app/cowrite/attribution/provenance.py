"""Provenance manifests written beside every export (OUT.provenance.json).

A manifest states which song and ledger state the file came from, who made the
music (people and assistants with their versions and model cards), the IPTC
digital source type, and the file's own SHA-256 (of the final file, after any
signing). A WAV can also carry a signed C2PA manifest (see `c2pa_signing`); the
sidecar says "signed" only when that signature is really embedded, and
otherwise says why it is unsigned.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cowrite import __version__
from cowrite.attribution import vocabulary as V
from cowrite.attribution.credits import credits_summary
from cowrite.attribution.ledger import LedgerRecord, utc_now


def manifest_path(export: Path) -> Path:
    return export.with_name(export.name + ".provenance.json")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: why a manifest is unsigned when nobody asked for a signature
NO_KEY = "unsigned: no C2PA signing key is configured, so no C2PA manifest was embedded"
#: what a manifest says when sign_wav embedded a signed C2PA manifest in the file
SIGNED = "signed with C2PA (embedded in the WAV)"


def c2pa_actions(report: dict) -> list[dict]:
    """The C2PA actions the song's credits support: created (with the IPTC source type), then edited
    when a person changed notes an assistant wrote."""
    actions = [{"action": V.CREATED, "digitalSourceType": report["disclosure"]["uri"]}]
    edited = report["classes"].get(V.AI_EDITED, {}).get("notes", 0)
    if edited:
        actions.append({"action": V.EDITED,
                        "description": f"a person edited {edited} notes that an AI assistant wrote"})
    return actions


def manifest(export: Path, kind: str, song_file: Path, record: LedgerRecord, report: dict,
             cards: dict[str, dict], signature: dict | None = None, note: str = NO_KEY) -> dict:
    """The manifest for one exported file; `cards` maps assistant actor ids to their card summaries.

    `signature` is what sign_wav returned (the file is then signed); without it
    `note` says why the file is unsigned.
    """
    label = report["disclosure"]
    return {
        "manifest": "cowrite-provenance", "version": 1, "created": utc_now(), "generator": f"cowrite {__version__}",
        "file": {"name": export.name, "kind": kind, "sha256": sha256_file(export)},
        "song": {"title": report["song"], "file": song_file.name},
        "ledger": {"file": song_file.name + ".attribution.jsonl", "events": record.events, "head": record.head},
        "credits": credits_summary(report),
        "contributors": [{**c, **({"card": cards[c["id"]]} if c["id"] in cards else {})}
                         for c in report["contributors"]],
        "digital_source_type": {"term": label["digital_source_type"], "uri": label["uri"]},
        "disclosure": label["sentence"],
        "c2pa_actions": c2pa_actions(report),
        "signature": signature,
        "signature_note": SIGNED if signature else note,
    }
