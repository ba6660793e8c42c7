"""Locate the data folders that ship beside the package (templates, checklists, demo)."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


def data_dir(name: str) -> Path:
    """Return the folder `name` from a source checkout or from a wheel's share/planner."""
    candidates = [SOURCE_ROOT / name, Path(sys.prefix) / "share" / "planner" / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} not found in {', '.join(map(str, candidates))}")


def templates_dir() -> Path:
    return data_dir("templates")


def checklists_dir() -> Path:
    return data_dir("checklists")


def is_source_checkout() -> bool:
    """Tell whether the package runs from a source tree (setup.cfg beside it)."""
    return (SOURCE_ROOT / "setup.cfg").is_file()
