"""Made PDFs on disk, one file per plan and document, shared by every web worker.

A file starts with a line naming the version it was made from (see planner.domain.documents.document_version)
and keeps only the latest one: a download of an unchanged plan is read from disk without converting again,
a download after an edit (or on a new day) makes a new PDF that replaces the file. Files are written to a
temporary name and renamed, so a reader never sees half a PDF.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

HEADER = b"planner-pdf "


class PdfCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.pdf"

    def load(self, name: str, version: str) -> bytes | None:
        try:
            stored = self.path(name).read_bytes()
        except FileNotFoundError:
            return None
        header, _, data = stored.partition(b"\n")
        return data if header == HEADER + version.encode("ascii") else None

    def store(self, name: str, version: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as output:
                output.write(HEADER + version.encode("ascii") + b"\n")
                output.write(data)
            os.replace(temporary, self.path(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def discard_all(self) -> int:
        """Remove every stored PDF (after an AVG erase: no file may keep an old copy of a person's data)."""
        removed = 0
        if self.directory.is_dir():
            for path in self.directory.iterdir():
                path.unlink(missing_ok=True)
                removed += 1
        return removed
