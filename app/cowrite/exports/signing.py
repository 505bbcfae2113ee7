"""C2PA signing of exported WAVs, when the person gives a key: which files, and honest reasons when not."""

from __future__ import annotations

import os
from pathlib import Path

from cowrite.attribution.credits import credits_summary
from cowrite.edit import EditError
from cowrite.io.errors import FileProblem

#: export kinds C2PA has no way to embed a manifest in, by the name a person knows them by
CANNOT_EMBED = {"midi": "MIDI", "musicxml": "MusicXML"}


def signing_files(key: str | None = None, cert: str | None = None) -> tuple[Path, Path] | None:
    """The key and certificate chain to sign WAVs with: those given, else $COWRITE_SIGN_KEY and $COWRITE_SIGN_CERT."""
    key = key or os.environ.get("COWRITE_SIGN_KEY")
    cert = cert or os.environ.get("COWRITE_SIGN_CERT")
    if bool(key) != bool(cert):
        raise EditError("signing needs both --sign-key KEY.pem and --sign-cert CHAIN.pem "
                        "(or $COWRITE_SIGN_KEY and $COWRITE_SIGN_CERT)")
    return (Path(key), Path(cert)) if key else None


def sign(written: list[tuple[Path, str]], signing: tuple[Path, Path] | None, report: dict, head: str,
         warnings: list[str]) -> tuple[dict[Path, dict], str]:
    """Sign each WAV written, if a key was given: the signatures by file, and why the other files are unsigned.

    Stops at the first failure, with one warning: the same key and library
    would fail the same way on the next file.
    """
    from cowrite.attribution.provenance import NO_KEY, c2pa_actions

    if signing is None or not written:
        return {}, NO_KEY
    kind = written[0][1]
    if kind in CANNOT_EMBED:
        reason = f"C2PA cannot embed a manifest in a {CANNOT_EMBED[kind]} file"
        warnings.append(f"not signed: {reason}")
        return {}, f"unsigned: {reason}"
    from cowrite.attribution.c2pa_signing import sign_wav

    signatures = {}
    for out, _ in written:
        try:
            signatures[out] = sign_wav(out, *signing, c2pa_actions(report), report["song"],
                                       credits_summary(report), head)
        except FileProblem as e:
            warnings.append(f"not signed: {e}")
            # the file name only: the manifest travels with the WAV, the folders of the signer's key need not
            return signatures, f"unsigned: signing failed ({e.path.name}: {e.problem})"
    return signatures, NO_KEY
