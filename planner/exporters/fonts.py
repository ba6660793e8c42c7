"""Fonts for the PDF, which is laid out on the server: the house font when installed, else a chosen open font.

LibreOffice ignores fallback lists in a document's font names when the first font is missing (fontconfig
then picks any sans), so the planner chooses: a metric-compatible open font where one exists (Carlito for
Calibri, Liberation Sans for Arial), else Liberation Sans, else DejaVu Sans. The README lists the Debian
packages. The .docx and .odt keep the house font: they are laid out on the reader's machine.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

from planner.exporters.blocks import Document

METRIC_COMPATIBLE = {
    "calibri": "Carlito", "cambria": "Caladea", "arial": "Liberation Sans", "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow", "times new roman": "Liberation Serif", "times": "Liberation Serif",
    "courier new": "Liberation Mono", "courier": "Liberation Mono",
}
FALLBACKS = ("Liberation Sans", "DejaVu Sans")


_families: frozenset[str] = frozenset()


def installed_families() -> frozenset[str]:
    """Every font family fontconfig knows on this server, in lower case (empty without fc-list).

    Kept once found; an empty answer (no fc-list on the PATH, or it failed) is asked again next time."""
    global _families
    if _families:
        return _families
    binary = shutil.which("fc-list")
    if binary is None:
        return frozenset()
    try:
        listing = subprocess.run([binary, ":", "family"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    _families = frozenset(name.strip().lower() for line in listing.stdout.splitlines() for name in line.split(","))
    return _families


def pdf_font(font: str) -> str:
    """The font the PDF is set in: `font` when installed, else the first installed of its fallbacks."""
    families = installed_families()
    if not families or font.lower() in families:
        return font
    candidates = [METRIC_COMPATIBLE[font.lower()]] if font.lower() in METRIC_COMPATIBLE else []
    return next((name for name in [*candidates, *FALLBACKS] if name.lower() in families), font)


def with_installed_font(document: Document) -> Document:
    """The same document in a font this server has."""
    font = pdf_font(document.style.font)
    return document if font == document.style.font else replace(document, style=replace(document.style, font=font))
