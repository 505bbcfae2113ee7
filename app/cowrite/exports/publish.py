"""Record exported files in the song's ledger and write a provenance manifest beside each."""

from __future__ import annotations

import orjson

from cowrite.attribution import vocabulary as V
from cowrite.attribution.provenance import manifest, manifest_path, sha256_file
from cowrite.exports.prepare import Prepared
from cowrite.io.atomic import write_atomically


def publish(project, prepared: Prepared) -> None:
    """One `c2pa.published` event a file, then its manifest (naming the ledger head that includes that event).

    Raises FileProblem or LedgerError; the caller saves the project when it wants the events kept.
    """
    for out, kind in prepared.written:
        project.document.record({
            "op": "export", "action": V.PUBLISHED, "prov": V.USED,
            "subject": {"file": out.name, "format": kind, "sha256": sha256_file(out)},
            "before": None, "after": None})
        data = manifest(out, kind, project.path, project.ledger.record, prepared.report, prepared.cards,
                        prepared.signatures.get(out), prepared.note)
        write_atomically(manifest_path(out), orjson.dumps(data, option=orjson.OPT_INDENT_2))
