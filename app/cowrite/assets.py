"""Where Cowrite's shipped assets (kits, learned tables, demo song) live."""

from __future__ import annotations

import os
from pathlib import Path


def assets_dir() -> Path:
    """$COWRITE_ASSETS if set, else the `assets/` folder of the source tree Cowrite runs from."""
    override = os.environ.get("COWRITE_ASSETS")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "assets"


def asset_path(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)
