"""Write the export files a person asked for, from a song and its ledger, without touching the project."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from cowrite.attribution.credits import credits, credits_summary
from cowrite.attribution.ledger import ledger_path
from cowrite.exports.signing import sign
from cowrite.io.errors import FileProblem
from cowrite.model import Song

#: what can be exported: "wav" is the mix, "stems" a folder of one WAV a track plus mix.wav
EXPORT_KINDS = ("midi", "musicxml", "wav", "stems")


@dataclass
class Prepared:
    """The files written and everything their manifests need; `warnings` are to be shown, not fatal."""

    written: list[tuple[Path, str]]  # (file, kind: midi, musicxml, wav, wav-stem)
    report: dict  # the credits the manifests carry
    cards: dict[str, dict]  # the installed assistants' card summaries, by actor id
    signatures: dict[Path, dict]
    note: str  # why files are unsigned
    warnings: list[str] = field(default_factory=list)


def snapshot(song: Song) -> Song:
    """A copy a worker can read while the person goes on editing.

    Notes, origins, chords and maps are immutable and shared; only the
    containers an edit changes in place (tracks, note dicts, suggestions) are new.
    """
    tracks = [dataclasses.replace(t, notes=dict(t.notes)) for t in song.tracks]
    return dataclasses.replace(song, tracks=tracks, chords=list(song.chords), suggestions=dict(song.suggestions))


def ledger_actors(song_path: Path, size: int) -> list[str]:
    """Everyone who acted on the song, from its ledger's first `size` bytes (whole lines, never a half-written one)."""
    path = ledger_path(song_path)
    try:
        with open(path, "rb") as f:
            data = f.read(size)
        return list(dict.fromkeys(orjson.loads(line)["actor"]["id"] for line in data.splitlines() if line))
    except FileNotFoundError:
        raise FileProblem(path, "the song's attribution ledger is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise FileProblem(path, f"cannot be read ({e}); run `cowrite verify`") from None


def assistant_cards() -> dict[str, dict]:
    """Card summaries of the installed assistants, by actor id, for provenance manifests."""
    from cowrite.assistants.registry import discover

    return {e.assistant.card.actor_id: {"name": e.assistant.card.name, "kind": e.assistant.card.kind,
                                        "model": e.assistant.card.to_json()["model"]}
            for e in discover() if not e.broken}


def write_files(outputs: dict[str, Path], song: Song, report: dict, record,
                warnings: list[str]) -> list[tuple[Path, str]]:
    """Write each export asked for in `outputs` (kind -> path); (path, kind) of each file written."""
    written = []
    if "midi" in outputs:
        from cowrite.io.midi_write import write_midi

        texts = [credits_summary(report),
                 f"Cowrite attribution ledger: {record.events} events, head sha256 {record.head}"]
        write_midi(song, outputs["midi"], texts)
        written.append((outputs["midi"], "midi"))
    if "musicxml" in outputs:
        from cowrite.io.musicxml import write_musicxml

        write_musicxml(song, outputs["musicxml"])
        written.append((outputs["musicxml"], "musicxml"))
    if "wav" in outputs or "stems" in outputs:
        from cowrite.audio.song_samples import sample_warnings
        from cowrite.audio.wav import export_stems, export_wav

        warnings.extend(sample_warnings(song))
        if "wav" in outputs:
            written.append((export_wav(song, outputs["wav"]), "wav"))
        if "stems" in outputs:
            written += [(p, "wav-stem" if p.name != "mix.wav" else "wav")
                        for p in export_stems(song, outputs["stems"])]
    return written


def prepare(outputs: dict[str, Path], song: Song, song_path: Path, record,
            signing: tuple[Path, Path] | None = None) -> Prepared:
    """Write the files (signed first where a key is given: the ledger and manifests hash the final files).

    Reads only `song` (a snapshot when the person may go on editing) and the
    ledger's first `record.bytes`, so it can run on a worker.
    """
    for out in outputs.values():
        try:
            out.name.encode("utf-8")
        except UnicodeEncodeError:  # the ledger and manifests name the file in UTF-8 JSON: say so before writing
            raise FileProblem(out, "the file name is not valid UTF-8; choose another name (nothing was written)") \
                from None
    warnings: list[str] = []
    report = credits(song, ledger_actors(song_path, record.bytes))
    written = write_files(outputs, song, report, record, warnings)
    signatures, note = sign(written, signing, report, record.head, warnings)
    return Prepared(written, report, assistant_cards(), signatures, note, warnings)
