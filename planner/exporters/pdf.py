"""PDF through LibreOffice headless, when it is installed; never a broken file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

TIMEOUT_SECONDS = 180
# Tagged PDF/UA with a bookmark per heading: published government documents must meet WCAG.
EXPORT_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True, "ExportBookmarks": True,
                  "ExportBookmarksToPDFDestination": False, "DisplayPDFDocumentTitle": True, "OpenBookmarkLevels": 1}
# LibreOffice before 7.5 exports glyphs of colour fonts (Noto Color Emoji) as blanks: hide those fonts from
# the conversion, so that emoji come from an outline font (Symbola, Debian's fonts-symbola).
NO_COLOUR_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">{system}</include>
  <selectfont><rejectfont><pattern><patelt name="color"><bool>true</bool></patelt></pattern></rejectfont></selectfont>
</fontconfig>
"""
INSTALL_HINT = "install LibreOffice Writer (Debian/Ubuntu: apt-get install libreoffice-writer-nogui)"


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed, or it could not convert the document."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _filter_options() -> str:
    """The export options in LibreOffice's JSON form (LibreOffice 7.4 and later)."""
    def typed(value):
        if isinstance(value, bool):
            return {"type": "boolean", "value": str(value).lower()}
        return {"type": "long", "value": str(value)}

    return json.dumps({name: typed(value) for name, value in EXPORT_OPTIONS.items()}, separators=(",", ":"))


def fontconfig_env(folder: str) -> dict[str, str]:
    """The environment that gives LibreOffice the system's fonts without the colour fonts."""
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    if not Path(system).is_file():
        return {}
    path = Path(folder) / "fonts.conf"
    path.write_text(NO_COLOUR_FONTS.format(system=escape(system)), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(path)}


def convert_to_pdf(data: bytes, suffix: str) -> bytes:
    """Convert a .docx or .odt document to PDF with a one-shot LibreOffice in a private profile.

    Starting LibreOffice is most of the time; the web app converts with a long-lived worker instead
    (planner.exporters.pdf_worker)."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(f"PDF needs LibreOffice: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="planner-pdf-") as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        command = [binary, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--norestore",
                   "--convert-to", f"pdf:writer_pdf_Export:{_filter_options()}", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True,
                           env={**os.environ, **fontconfig_env(folder)})
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
            raise PdfUnavailable(f"LibreOffice could not convert the document ({exc.__class__.__name__})") from None
        return check_pdf(source.with_suffix(".pdf"))


def check_pdf(target: Path) -> bytes:
    """The bytes of the PDF LibreOffice wrote, or PdfUnavailable when it wrote none."""
    data = target.read_bytes() if target.is_file() else b""
    if not data.startswith(b"%PDF"):
        raise PdfUnavailable("LibreOffice produced no PDF")
    return data
