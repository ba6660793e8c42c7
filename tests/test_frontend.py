"""The bundled NL Design System CSS is exactly what the locked npm packages build."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "planner" / "web" / "static" / "vendor" / "nl-design-system.css"


def test_committed_css_bundle_matches_the_npm_packages(tmp_path):
    problem = None
    if shutil.which("node") is None:
        problem = "Node.js not installed"
    elif not (ROOT / "node_modules" / "@utrecht" / "component-library-css").is_dir():
        problem = "node_modules missing (npm ci)"
    if problem:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    output = tmp_path / "bundle.css"
    subprocess.run(["node", "scripts/build-css.mjs", str(output)], cwd=ROOT, check=True, capture_output=True)
    assert output.read_bytes() == BUNDLE.read_bytes(), "run `make css` and commit the bundle"


def test_bundle_is_served_with_the_house_style_after_it():
    html = (ROOT / "templates" / "base.html").read_text()
    order = [html.index(name) for name in ("vendor/nl-design-system.css", "planner.css", "style.theme_url")]
    assert order == sorted(order)
    assert "(EUPL-1.2)" in BUNDLE.read_text()[:2000]
