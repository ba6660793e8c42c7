"""A wheel install must carry the templates, checklists, demo plans, static files, translations and migrations."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_every_data_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("planner-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = next(n.split("/")[0] for n in names if n.endswith(".data/data/share/planner/checklists/vng-stappenplan.yaml"))
    for folder in ("templates", "checklists", "demo"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"{data}/data/share/planner/{path.relative_to(ROOT).as_posix()}" in names, path
    for path in (ROOT / "planner" / "data").rglob("*"):  # observances, school and public holidays
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in names, path
    for required in ("planner/web/static/planner.css", "planner/web/static/planner.js",
                     "planner/web/static/vendor/nl-design-system.css", "planner/translations/en/LC_MESSAGES/messages.mo",
                     "planner/translations/nl/LC_MESSAGES/messages.mo",
                     "planner/migrations/env.py", "planner/migrations/script.py.mako"):
        assert required in names
    assert any(n.startswith("planner/migrations/versions/") and n.endswith("_initial_schema.py") for n in names)
