"""Provenance manifests written beside every export (OUT.provenance.json).

A manifest states which song and ledger state the file came from, who made the
music (people and assistants with their versions and model cards), the IPTC
digital source type, and the file's own SHA-256. It is unsigned: Cowrite never
claims a signature that is not there.
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


def manifest(export: Path, kind: str, song_file: Path, record: LedgerRecord, report: dict,
             cards: dict[str, dict]) -> dict:
    """The manifest for one exported file; `cards` maps assistant actor ids to their card summaries."""
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
        "c2pa_actions": [{"action": V.CREATED, "digitalSourceType": label["uri"]}],
        "signature": None,
        "signature_note": "unsigned: no C2PA signing key is configured, so no C2PA manifest was embedded",
    }
