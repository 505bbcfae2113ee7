"""The assistants' cards and parameters as last described by their workers, kept until a plugin changes.

A plugin is known by its entry point's target; it has changed when its
distribution's version or any file of its top-level module or package (size
or modification time) has. Finding those files does not import the plugin.
A missing or unreadable cache is an empty one: the plugins are asked again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import orjson

from cowrite.io.errors import FileProblem
from cowrite.settings import cache_dir

CACHE_VERSION = 1


def path() -> Path:
    return cache_dir() / "assistants.json"


def load() -> dict[str, dict]:
    try:
        data = orjson.loads(path().read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("plugins"), dict):
        return {}
    return {target: known for target, known in data["plugins"].items()
            if isinstance(known, dict) and "key" in known and isinstance(known.get("plain"), dict)}


def save(plugins: dict[str, dict]) -> None:
    """Add `plugins` (target -> {key, plain}) to the cache; a cache that cannot be written is no loss."""
    from cowrite.io.atomic import write_atomically

    known = {**load(), **plugins}
    try:
        path().parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path(), orjson.dumps({"version": CACHE_VERSION, "plugins": known}))
    except (OSError, FileProblem):
        pass


def key(entry_point) -> str:
    """What identifies this version of the plugin: its distribution and its files' sizes and times."""
    dist = getattr(entry_point, "dist", None)
    parts = [entry_point.value, dist.name if dist else "", dist.version if dist else ""]
    parts += [f"{p}:{s.st_size}:{s.st_mtime_ns}" for p, s in _files(entry_point.value.split(":")[0])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _files(module: str) -> list[tuple[str, os.stat_result]]:
    """The files of `module`'s top-level package (or the module's own file), without importing it."""
    try:
        spec = importlib.util.find_spec(module.split(".")[0])
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    roots = list(spec.submodule_search_locations or []) or ([spec.origin] if spec.origin else [])
    found = []
    for root in roots:
        if os.path.isfile(root):
            found.append((root, os.stat(root)))
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            found += [(os.path.join(folder, n), os.stat(os.path.join(folder, n))) for n in sorted(names)]
    return found
