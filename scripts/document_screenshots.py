"""Render the README's pictures of the plan document: its title page and the first calendar page.

The demo plan is loaded into a fresh SQLite database and exported as PDF with the planner's own
command line (LibreOffice needed), then `pdftoppm -png -r 60` (poppler-utils) renders the two pages.
Run: make document-screenshots (writes docs/screenshots/document-*.png)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "screenshots"
SLUG = "introductie-veilig-thuis-regio-arnhem-achterhoek"  # the regional demo plan
RESOLUTION = "60"


def main() -> int:
    planner = Path(sys.executable).with_name("planner")
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install poppler-utils", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="planner-screenshots-") as folder:
        env = {**os.environ, "PLANNER_DATABASE_URL": f"sqlite:///{folder}/planner.sqlite",
               "PLANNER_INSTANCE_PATH": f"{folder}/instance"}
        pdf = Path(folder) / "plan.pdf"
        for command in (["db", "upgrade"], ["demo"], ["export", "pdf", SLUG, "-o", str(pdf)]):
            subprocess.run([str(planner), *command], env=env, check=True, stdout=subprocess.DEVNULL)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")
        # the calendar chapter's first page: its heading alone on a line, after the contents (page 2)
        calendar = next(number for number, page in enumerate(pages, start=1) if number > 2 and
                        re.search(r"^\s*\d+ Communicatiekalender\s*$", page, re.M))
        TARGET.mkdir(parents=True, exist_ok=True)
        for name, page in (("document-title", 1), ("document-calendar", calendar)):
            subprocess.run(["pdftoppm", "-png", "-r", RESOLUTION, "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(TARGET / name)], check=True)
            print(f"docs/screenshots/{name}.png: page {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
