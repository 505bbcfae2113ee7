"""Signed exports: a C2PA manifest embedded in the WAV, and a sidecar that never claims a signature it lacks.

The signing tests make a throwaway CA and an ES256 signing certificate with the
`openssl` command line, the way a person would for their own key.
"""

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import wave

import orjson
import pytest

from cowrite import __version__
from cowrite.attribution.ledger import read_events
from cowrite.edit import SetVelocity
from cowrite.io.project import Project
from tests.conftest import keys_and_accepted_kicks, new_song, run_cowrite

needs_c2pa = pytest.mark.skipif(importlib.util.find_spec("c2pa") is None,
                                reason="c2pa-python is not installed, so WAV signing cannot be tested")

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"

# What C2PA asks of a signing certificate: an end entity (not a CA) allowed to
# make digital signatures for documents; its chain leads to a CA certificate.
OPENSSL_CONFIG = """
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection, 1.3.6.1.5.5.7.3.36
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


@pytest.fixture(scope="module")
def credentials(tmp_path_factory):
    """(key, chain, ca): an ES256 (P-256) signing key, its certificate followed by the CA's, and the CA alone."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificates and is not installed")
    folder = tmp_path_factory.mktemp("pki")
    (folder / "x509.cnf").write_text(OPENSSL_CONFIG)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    for name in ("ca", "signer"):
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", f"{name}.key")
    openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Cowrite Test CA/O=Cowrite tests", "-days", "2",
            "-config", "x509.cnf", "-extensions", "v3_ca", "-out", "ca.pem")
    openssl("req", "-new", "-key", "signer.key", "-subj", "/CN=Cowrite Test Signer/O=Cowrite tests",
            "-out", "signer.csr")
    openssl("x509", "-req", "-in", "signer.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "x509.cnf", "-extensions", "v3_signer", "-out", "signer.pem")
    (folder / "chain.pem").write_bytes((folder / "signer.pem").read_bytes() + (folder / "ca.pem").read_bytes())
    return folder / "signer.key", folder / "chain.pem", folder / "ca.pem"


@pytest.fixture
def song(tmp_path, ana, drums_ai):
    """Ana's keys, the drums assistant's accepted kicks, and one kick Ana then made quieter (so: c2pa.edited)."""
    project = Project.create(tmp_path / "s.cowrite", new_song(length_bars=2), ana)
    keys_and_accepted_kicks(project, drums_ai)
    kick = min(project.song.find_track("Drums").notes)
    project.document.apply(SetVelocity([kick], velocity=70), ana)
    project.save()
    project.close()
    return project.path


cli = run_cowrite


def sidecar(path):
    return orjson.loads(path.with_name(path.name + ".provenance.json").read_bytes())


def frames(path):
    """(sample width, rate, audio bytes): what a WAV reader hears, whatever other chunks the file holds."""
    with wave.open(str(path)) as w:
        return w.getsampwidth(), w.getframerate(), w.readframes(w.getnframes())


def c2pa_store(path, trust_anchors=None):
    """The C2PA manifest store embedded in `path`, validated against `trust_anchors` (PEM) if given."""
    import c2pa

    context = c2pa.Context(c2pa.Settings.from_dict({"trust": {"trust_anchors": trust_anchors}})) if trust_anchors \
        else None
    with open(path, "rb") as f, c2pa.Reader("audio/wav", f, context=context) as reader:
        return json.loads(reader.json())


def assertion(manifest, prefix):
    return next(a["data"] for a in manifest["assertions"] if a["label"].startswith(prefix))


def has_no_c2pa(path):
    import c2pa

    try:
        c2pa_store(path)
    except c2pa.C2paError:
        return True
    return False


@needs_c2pa
def test_a_signed_wav_carries_a_c2pa_manifest_and_its_sidecar_says_so(song, credentials, tmp_path, capsys):
    key, chain, ca = credentials
    plain, signed = tmp_path / "plain.wav", tmp_path / "signed.wav"
    assert cli(capsys, "export", song, "--wav", plain)[0] == 0
    code, out, err = cli(capsys, "export", song, "--wav", signed, "--sign-key", key, "--sign-cert", chain)
    assert code == 0 and err == "", err
    assert f"signed {signed} with C2PA (ES256, O=Cowrite tests,CN=Cowrite Test Signer)" in out

    store = c2pa_store(signed)
    label = store["active_manifest"]
    active = store["manifests"][label]
    assert active["title"] == "Test"
    assert active["claim_generator_info"][0]["name"] == "cowrite"
    assert active["claim_generator_info"][0]["version"] == __version__
    actions = assertion(active, "c2pa.actions")["actions"]
    assert actions[0] == {"action": "c2pa.created", "digitalSourceType": IPTC}
    assert [a["action"] for a in actions] == ["c2pa.created", "c2pa.edited"]  # Ana edited a kick the AI wrote
    events = read_events(song.with_name(song.name + ".attribution.jsonl"))
    credits = assertion(active, "org.cowrite.credits")
    assert "drums@1.0.0" in credits["credits"]
    assert credits["ledger_head"] == events[-1]["prev"]  # the state the audio was rendered from
    # Everything verifies; the one failure is that no public trust list knows our test CA ...
    assert store["validation_state"] == "Valid"
    assert [s["code"] for s in store["validation_status"]] == ["signingCredential.untrusted"]
    assert [s["code"] for s in store["validation_results"]["activeManifest"]["failure"]] == \
        ["signingCredential.untrusted"]
    # ... and with the CA trusted, nothing fails at all.
    trusted = c2pa_store(signed, trust_anchors=ca.read_text())
    assert trusted["validation_state"] == "Trusted" and "validation_status" not in trusted
    assert trusted["validation_results"]["activeManifest"]["failure"] == []

    assert frames(signed) == frames(plain) and frames(signed)[:2] == (3, 48000)  # 24-bit, 48 kHz, same audio
    assert signed.read_bytes() != plain.read_bytes()

    manifest = sidecar(signed)
    digest = hashlib.sha256(signed.read_bytes()).hexdigest()
    assert manifest["signature"] == {"signed": True, "alg": "ES256", "c2pa_manifest_label": label,
                                     "cert_subject": "O=Cowrite tests,CN=Cowrite Test Signer"}
    assert manifest["signature_note"] == "signed with C2PA (embedded in the WAV)"
    assert manifest["c2pa_actions"] == actions
    assert manifest["file"]["sha256"] == digest == events[-1]["subject"]["sha256"]  # the final, signed file
    assert cli(capsys, "verify", song)[0] == 0


@needs_c2pa
def test_stems_and_mix_are_each_signed_with_the_key_from_the_environment(song, credentials, tmp_path, capsys,
                                                                          monkeypatch):
    key, chain, _ = credentials
    monkeypatch.setenv("COWRITE_SIGN_KEY", str(key))
    monkeypatch.setenv("COWRITE_SIGN_CERT", str(chain))
    folder = tmp_path / "stems"
    code, out, err = cli(capsys, "export", song, "--stems", folder)
    assert code == 0 and err == "", err
    labels = set()
    for name in ("Drums.wav", "Keys.wav", "mix.wav"):
        store, manifest = c2pa_store(folder / name), sidecar(folder / name)
        assert manifest["signature"]["c2pa_manifest_label"] == store["active_manifest"]
        assert manifest["file"]["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
        labels.add(store["active_manifest"])
        assert f"signed {folder / name}" in out
    assert len(labels) == 3


def bad_key(tmp_path):
    """A key file of each kind of mistake: garbage, someone else's key, no file at all."""
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key\n")
    other = tmp_path / "other.key"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-out", str(other)], check=True, capture_output=True)
    return {"garbage": (garbage, "not an unencrypted PEM private key"),
            "other": (other, "does not belong to the first certificate in chain.pem"),
            "missing": (tmp_path / "nowhere.key", "cannot be read")}


@needs_c2pa
@pytest.mark.parametrize("mistake", ["garbage", "other", "missing"])
def test_a_bad_key_warns_and_leaves_an_honest_unsigned_export(song, credentials, tmp_path, capsys, mistake):
    key, words = bad_key(tmp_path)[mistake]
    plain, out = tmp_path / "plain.wav", tmp_path / "out.wav"
    assert cli(capsys, "export", song, "--wav", plain)[0] == 0
    code, text, err = cli(capsys, "export", song, "--wav", out, "--sign-key", key, "--sign-cert", credentials[1])
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("cowrite: warning: not signed: ") and words in err
    assert "signed " not in text and "unsigned: out.wav" in text
    manifest = sidecar(out)
    assert manifest["signature"] is None
    assert manifest["signature_note"].startswith("unsigned: signing failed (") and words in manifest["signature_note"]
    assert manifest["file"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert frames(out) == frames(plain) and has_no_c2pa(out)


def test_without_c2pa_the_export_is_unsigned_and_says_why(song, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "c2pa", None)  # `import c2pa` now raises ImportError
    key, chain = tmp_path / "k.pem", tmp_path / "c.pem"
    key.write_text("unused\n")
    chain.write_text("unused\n")
    out = tmp_path / "out.wav"
    code, text, err = cli(capsys, "export", song, "--wav", out, "--sign-key", key, "--sign-cert", chain)
    assert code == 0
    assert err == f"cowrite: warning: not signed: {out}: cannot sign: c2pa-python is not installed " \
                  "(pip install c2pa-python)\n"
    manifest = sidecar(out)
    assert manifest["signature"] is None and "c2pa-python is not installed" in manifest["signature_note"]
    assert frames(out)[:2] == (3, 48000)
    assert manifest["file"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_midi_is_never_signed_and_says_so(song, tmp_path, capsys):
    out = tmp_path / "s.mid"
    code, text, err = cli(capsys, "export", song, "--midi", out, "--sign-key", "k.pem", "--sign-cert", "c.pem")
    assert code == 0
    assert err == "cowrite: warning: not signed: C2PA cannot embed a manifest in a MIDI file\n"
    manifest = sidecar(out)
    assert manifest["signature"] is None
    assert manifest["signature_note"] == "unsigned: C2PA cannot embed a manifest in a MIDI file"


def test_a_key_without_its_certificate_is_a_mistake(song, tmp_path, capsys):
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = cli(capsys, "export", song, "--wav", tmp_path / "x.wav", "--sign-key", "k.pem")
    assert code == 2 and "signing needs both --sign-key" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
