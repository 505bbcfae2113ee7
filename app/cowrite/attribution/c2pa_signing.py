"""Embed a signed C2PA manifest in an exported WAV, with a key and certificate the user provides.

c2pa-python (and the `cryptography` package it brings) is optional: it is
imported only when someone asks to sign, so Cowrite works without it. Every
failure raises FileProblem before the WAV is touched, and the signed file is
read back and checked before it replaces the original, so the caller can only
record a signature that is really in the file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from cowrite import __version__
from cowrite.io.atomic import write_atomically
from cowrite.io.errors import FileProblem

#: the custom assertion that carries Cowrite's credits line and ledger state into the signed file
CREDITS_ASSERTION = "org.cowrite.credits"


def sign_wav(path: Path, key_pem_path: Path, cert_chain_pem_path: Path, actions: list[dict], title: str,
             credits_summary: str, ledger_head: str | None = None) -> dict:
    """Sign the WAV at `path` in place with a C2PA manifest holding `actions` and the credits.

    `actions` are C2PA action dicts (c2pa.created with its digitalSourceType
    first). `ledger_head` names the ledger state the audio was rendered from;
    it cannot be the state after the export event, which records the signed
    file's own hash. Returns what the provenance manifest records about the
    signature; raises FileProblem (one line) if anything stops the signing.
    """
    path, key_pem_path, cert_chain_pem_path = Path(path), Path(key_pem_path), Path(cert_chain_pem_path)
    try:
        import c2pa
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise FileProblem(path, "cannot sign: c2pa-python is not installed (pip install c2pa-python)") from None
    key_pem, chain_pem = _read(key_pem_path), _read(cert_chain_pem_path)
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as e:  # TypeError: the key is encrypted
        raise FileProblem(key_pem_path, f"not an unencrypted PEM private key ({_first_line(e)})") from None
    try:
        leaf = x509.load_pem_x509_certificates(chain_pem)[0]
    except ValueError as e:
        raise FileProblem(cert_chain_pem_path, f"not a PEM certificate chain ({_first_line(e)})") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if (leaf.public_key().public_bytes(serialization.Encoding.DER, public)
            != key.public_key().public_bytes(serialization.Encoding.DER, public)):
        raise FileProblem(key_pem_path, f"does not belong to the first certificate in {cert_chain_pem_path.name}")
    alg = _algorithm(key, key_pem_path)
    assertions = [{"label": "c2pa.actions", "data": {"actions": actions}},
                  {"label": CREDITS_ASSERTION,
                   "data": {"credits": credits_summary, **({"ledger_head": ledger_head} if ledger_head else {})}}]
    definition = {"claim_generator_info": [{"name": "cowrite", "version": __version__}],
                  "title": title, "assertions": assertions}
    signed = io.BytesIO()
    try:
        info = c2pa.C2paSignerInfo(getattr(c2pa.C2paSigningAlg, alg), chain_pem, key_pem, None)
        with c2pa.Signer.from_info(info) as signer, c2pa.Builder(definition) as builder, open(path, "rb") as source:
            builder.sign(signer, "audio/wav", source, signed)
        signed.seek(0)
        with c2pa.Reader("audio/wav", signed) as reader:
            store = json.loads(reader.json())
    except OSError as e:
        raise FileProblem(path, f"cannot be read for signing ({e.strerror or e})") from None
    except c2pa.C2paError as e:
        raise FileProblem(path, f"C2PA signing failed: {_first_line(e)}") from None
    label, state = store.get("active_manifest"), store.get("validation_state")
    if not label or state not in ("Valid", "Trusted"):
        raise FileProblem(path, f"the signed copy does not verify (validation state {state}); the WAV is unchanged")
    write_atomically(path, signed.getvalue())
    return {"signed": True, "alg": alg, "c2pa_manifest_label": label, "cert_subject": leaf.subject.rfc4514_string()}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror or e})") from None


def _algorithm(key, key_path: Path) -> str:
    """The C2PA signing algorithm a key can make: ES256/384/512 by curve, PS256 for RSA, Ed25519."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
        raise FileProblem(key_path, f"C2PA cannot sign with the elliptic curve {key.curve.name} "
                                    "(use P-256, P-384 or P-521)")
    if isinstance(key, rsa.RSAPrivateKey):
        return "PS256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ED25519"
    raise FileProblem(key_path, "C2PA cannot sign with this kind of key (use EC P-256, RSA or Ed25519)")


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
