"""`planner import json` checks what the web checks (slugs, logos, skipped dates), and exports stay in their folder."""

from __future__ import annotations

import base64
import io
import json

import pytest
import sqlalchemy as sa
from PIL import Image

from planner.db import make_engine, make_session_factory
from planner.domain.demo import MUNICIPAL_SLUG
from planner.models import Organisation, Plan

TEN_YEARS_OF_DAYS = 3660  # the most dates a recurring activity may skip


def _png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#154273").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def document(cli):
    """The municipal demo plan as JSON, and an empty database to import it into."""
    cli("demo")
    return json.loads(cli("export", "json", MUNICIPAL_SLUG).output)


@pytest.fixture
def empty_url(backend, cli):
    url = backend.empty_url()
    cli("db", "upgrade", url=url)
    return url


def _import(cli, tmp_path, document, url):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return cli("import", "json", str(path), url=url)


def _plans(url) -> list[str]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(sa.select(Plan.slug)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("slug", ["../../../x", "<script>alert(1)</script>", "Hoofdletters", "a/b", "a--b", " x",
                                  "x" * 121, "ëxtra"])
def test_import_refuses_a_slug_the_planner_would_not_make(cli, tmp_path, document, empty_url, slug):
    document["plan"]["slug"] = slug
    result = _import(cli, tmp_path, document, empty_url)
    assert result.exit_code == 1 and "plan.slug:" in result.output and "nothing was imported" in result.output
    assert _plans(empty_url) == []


def test_import_accepts_a_slug_with_digits_as_the_web_makes_them(cli, tmp_path, document, empty_url):
    document["plan"]["slug"] = "week-tegen-kindermishandeling-2027-2"
    assert _import(cli, tmp_path, document, empty_url).exit_code == 0
    assert _plans(empty_url) == ["week-tegen-kindermishandeling-2027-2"]


@pytest.mark.parametrize("logo, reason", [
    (b"not an image at all", "not a PNG or JPEG image"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a PNG or JPEG image"),
    (_png()[:40], "not a PNG or JPEG image"),
    (_png(4001, 1), "more than 4000 pixels"),
])
def test_import_checks_logos_as_the_upload_does(cli, tmp_path, document, empty_url, logo, reason):
    document["organisations"][0]["logo"] = base64.b64encode(logo).decode()
    result = _import(cli, tmp_path, document, empty_url)
    assert result.exit_code == 1 and "organisations[0].logo:" in result.output and reason in result.output
    assert _plans(empty_url) == []


def test_import_keeps_a_proper_logo(cli, tmp_path, document, empty_url):
    document["organisations"][0]["logo"] = base64.b64encode(_png()).decode()
    assert _import(cli, tmp_path, document, empty_url).exit_code == 0
    engine = make_engine(empty_url)
    with make_session_factory(engine)() as session:
        assert _png() in {o.logo for o in session.scalars(sa.select(Organisation))}
    engine.dispose()


def test_import_caps_the_dates_to_skip(cli, tmp_path, document, empty_url):
    activity = document["activities"][0]
    activity["recurrence"] = "FREQ=DAILY;COUNT=400"
    activity["exdates"] = ["2027-01-01"] * (TEN_YEARS_OF_DAYS + 1)
    result = _import(cli, tmp_path, document, empty_url)
    assert result.exit_code == 1 and f"at most {TEN_YEARS_OF_DAYS}" in result.output
    assert _plans(empty_url) == []


def test_document_export_never_writes_outside_the_export_folder(cli, db_url, tmp_path, monkeypatch):
    """A plan stored with a bad slug before imports were checked is still written inside the folder or not at all."""
    folder = tmp_path / "exports" / "inner"
    monkeypatch.setenv("PLANNER_EXPORT_DIR", str(folder))
    cli("demo")
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.update(Plan.__table__).where(Plan.slug == MUNICIPAL_SLUG).values(slug="../../../uit"))
    engine.dispose()
    result = cli("export", "docx", "../../../uit")
    assert result.exit_code == 1 and "--output" in result.output
    assert not list(tmp_path.rglob("uit.docx")) and not (tmp_path.parent.parent / "uit.docx").exists()
