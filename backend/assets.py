"""Where the bundled data files (question bank, skills, themes) live."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    """The assets folder: inside a PyInstaller bundle, or beside the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"
