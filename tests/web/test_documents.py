import io
import os

import docx
import pytest
import sqlalchemy as sa
from PIL import Image as PilImage

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.exporters.pdf import soffice
from planner.models import Organisation
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in
from tests.helpers import csrf_token, text_of


def test_plan_document_downloads(demo_session, client):
    response = client.get(f"/plans/{MUNICIPAL_SLUG}/document.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{MUNICIPAL_SLUG}.docx"'
    assert docx.Document(io.BytesIO(response.data)).core_properties.title.startswith("Week tegen")
    odt = client.get(f"/plans/{MUNICIPAL_SLUG}/document.odt")
    assert odt.headers["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert client.get(f"/plans/{MUNICIPAL_SLUG}/document.exe").status_code == 404
    page = text_of(client.get(f"/plans/{MUNICIPAL_SLUG}"))
    assert "Plan als Word-document" in page and "Plan als OpenDocument" in page


@pytest.mark.skipif(soffice() is None and os.environ.get("CI", "").lower() != "true", reason="LibreOffice not installed")
def test_pdf_download(demo_session, client):
    response = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.fixture
def short_pdf_wait(monkeypatch):
    monkeypatch.setenv("PLANNER_PDF_WAIT_SECONDS", "0.3")


@pytest.mark.skipif(soffice() is None and os.environ.get("CI", "").lower() != "true", reason="LibreOffice not installed")
def test_pdf_conversions_are_limited_and_the_rest_is_told_to_come_back(short_pdf_wait, demo_session, app, client):
    """While another worker holds the only conversion slot, a PDF request waits briefly and then gets a polite
    503 with Retry-After; Word downloads are not held up, and once the slot is free the PDF is made."""
    from pathlib import Path

    from planner.web.conversions import ConversionSlots

    other_worker = ConversionSlots(Path(app.instance_path) / "locks", 1, wait_seconds=0)
    with other_worker.slot():
        busy = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
        assert "Probeer het over 30 seconden opnieuw" in text_of(busy)
        assert client.get(f"/plans/{MUNICIPAL_SLUG}/document.docx").status_code == 200
    response = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_without_libreoffice_the_pdf_page_explains_how_to_get_it(demo_session, client, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # the machine without LibreOffice, not a mock of our code
    response = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
    assert response.status_code == 503
    assert "apt-get install libreoffice-writer-nogui" in text_of(response)
    assert "Plan als PDF" not in text_of(client.get(f"/plans/{MUNICIPAL_SLUG}"))


def test_partner_overview_download(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    partner = plan.partners[0]
    response = client.get(f"/plans/{plan.slug}/partners/{partner.id}/overview.docx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]


def png(width=200, height=80) -> bytes:
    buffer = io.BytesIO()
    PilImage.new("RGB", (width, height), "orange").save(buffer, "PNG")
    return buffer.getvalue()


# werkzeug's test client spools a body over 500 KB to a temporary file it never closes
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_house_style_is_validated_and_used(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    owner = plan.owner
    url = f"/organisations/{owner.uuid}/house-style"
    token = csrf_token(client, url)

    def post(**fields):
        return client.post(url, data={"csrf_token": token, "primary_colour": "#aa0033", "font": "Arial", **fields},
                           content_type="multipart/form-data")

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "PNG- of JPEG-afbeelding" in text_of(post(logo=(io.BytesIO(svg), "logo.svg")))
    assert "groter dan 1 MB" in text_of(post(logo=(io.BytesIO(b"\x89PNG" + b"0" * (1024 * 1024 + 5)), "big.png")))
    assert "#RRGGBB" in text_of(post(primary_colour="rood"))
    demo_session.expire_all()
    assert demo_session.get(Organisation, owner.id).primary_colour == "#154273", "a refused form changes nothing"
    assert post(logo=(io.BytesIO(png()), "logo.png")).status_code == 302
    demo_session.expire_all()
    saved = demo_session.scalar(sa.select(Organisation).where(Organisation.id == owner.id))
    assert saved.primary_colour == "#aa0033" and saved.font == "Arial" and saved.logo.startswith(b"\x89PNG")
    document = docx.Document(io.BytesIO(client.get(f"/plans/{plan.slug}/document.docx").data))
    assert str(document.styles["Heading 1"].font.color.rgb) == "AA0033"
    assert document.styles["Normal"].font.name == "Arial"
    assert len(document.inline_shapes) == 3  # the logo, the stakeholder map and the load per week
    import gc

    gc.collect()  # collect werkzeug's spooled upload here, where its warning is expected


needs_libreoffice = pytest.mark.skipif(soffice() is None and os.environ.get("CI", "").lower() != "true",
                                       reason="LibreOffice not installed")


def pdf_text(data: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@needs_libreoffice
def test_a_second_pdf_download_of_an_unchanged_plan_does_not_convert_again(demo_session, app, client):
    conversions = app.extensions["planner.pdf"]
    first = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF") and conversions.conversions == 1
    stored = app.extensions["planner.pdf_cache"].path(f"plan-{get_plan(demo_session, MUNICIPAL_SLUG).id}-document")
    made_at = stored.stat().st_mtime_ns
    second = client.get(f"/plans/{MUNICIPAL_SLUG}/document.pdf")
    assert second.data == first.data and conversions.conversions == 1 and stored.stat().st_mtime_ns == made_at
    assert second.headers["Content-Disposition"] == f'attachment; filename="{MUNICIPAL_SLUG}.pdf"'


@needs_libreoffice
def test_an_edit_a_new_house_style_or_a_new_day_makes_a_new_pdf(demo_session, app, client, time_machine):
    import datetime as dt

    from planner import clock

    conversions = app.extensions["planner.pdf"]
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    assert "Gewijzigde titel" not in pdf_text(client.get(f"/plans/{plan.slug}/document.pdf").data)
    plan.title = "Gewijzigde titel"
    demo_session.commit()
    assert "Gewijzigde titel" in pdf_text(client.get(f"/plans/{plan.slug}/document.pdf").data)
    assert conversions.conversions == 2
    plan.owner.primary_colour = "#aa0000"
    demo_session.commit()
    client.get(f"/plans/{plan.slug}/document.pdf")
    assert conversions.conversions == 3
    time_machine.move_to(clock.now() + dt.timedelta(days=1))
    log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)  # the session of yesterday has expired
    assert client.get(f"/plans/{plan.slug}/document.pdf").data.startswith(b"%PDF")
    assert conversions.conversions == 4
    assert len(list(app.extensions["planner.pdf_cache"].directory.glob("*.pdf"))) == 1  # only the latest


@needs_libreoffice
def test_partner_sheet_pdfs_are_kept_apart_from_the_plan_document(demo_session, app, client):
    conversions = app.extensions["planner.pdf"]
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    first, second = plan.partners[0], plan.partners[1]
    sheets = [client.get(f"/plans/{plan.slug}/partners/{p.id}/overview.pdf").data for p in (first, second)]
    assert first.name in pdf_text(sheets[0]) and second.name in pdf_text(sheets[1])
    assert client.get(f"/plans/{plan.slug}/partners/{first.id}/overview.pdf").data == sheets[0]
    assert conversions.conversions == 2
    first.role = "Een nieuwe rol voor deze partner."
    demo_session.commit()
    client.get(f"/plans/{plan.slug}/partners/{first.id}/overview.pdf")
    assert conversions.conversions == 3


@needs_libreoffice
def test_pdf_conversions_reuse_one_libreoffice(demo_session, app, client):
    conversions = app.extensions["planner.pdf"]
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    client.get(f"/plans/{plan.slug}/document.pdf")
    worker = conversions.workers[0]
    pid = worker.pid
    assert pid is not None
    client.get(f"/plans/{plan.slug}/partners/{plan.partners[0].id}/overview.pdf")
    assert worker.pid == pid and conversions.conversions == 2
    conversions.stop()
    assert worker.pid is None and not os.path.exists(f"/proc/{pid}")
