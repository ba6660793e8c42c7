"""The plan document read back by python-docx, docx2python, odfpy and (where installed) LibreOffice + pypdf."""

import datetime as dt
import io
import os
import zipfile

import docx
import pytest
from docx2python import docx2python
from odf import teletype
from odf.opendocument import load as load_odt
from odf.table import TableHeaderRows
from odf.text import H
from PIL import Image as PilImage

from planner import clock
from planner.domain.calendar import entries
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.partner_sheet import partner_document
from planner.domain.plan_document import plan_document
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.domain.region_charts import grid, plan_series, week_span
from planner.enums import AudienceCategory
from planner.exporters.docx import render_docx
from planner.exporters.load_map import load_map_png
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf, soffice
from planner.models import Activity, Audience, KeyMessage, MessageTranslation
from tests.helpers import long_date

CHAPTERS = ["1 Managementsamenvatting", "2 Aanleiding", "3 Doel", "4 Strategie", "5 Samenwerkingspartners en hun rol",
            "6 Doelgroepen en stakeholders", "7 Kernboodschappen", "8 Middelenmix", "9 Momenten en productieplanning",
            "10 Communicatiekalender", "11 Besluitvorming en verantwoordelijkheden", "12 Budget",
            "13 Monitoring en evaluatie", "14 Stand van de checklist", "Bijlage: controles van de kalender"]
needs_libreoffice = pytest.mark.skipif(
    soffice() is None and os.environ.get("CI", "").lower() != "true",
    reason="LibreOffice (soffice) is not installed; .ci/run installs it so these run in CI")


def docx_of(plan):
    return render_docx(plan_document(plan, clock.today()))


def odt_of(plan):
    return render_odt(plan_document(plan, clock.today()))


def test_docx_has_the_chapters_in_order_with_real_styles(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    document = docx.Document(io.BytesIO(docx_of(plan)))
    level_one = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level_one == CHAPTERS
    assert document.core_properties.title == plan.title
    assert document.core_properties.author == plan.owner.name
    assert document.core_properties.language == "nl-NL"
    xml = document.element.xml
    assert "PAGEREF _Toc" in xml and "w:tblHeader" in xml
    assert any(shape._inline.docPr.get("descr", "").startswith("Stakeholderkaart") for shape in document.inline_shapes)
    title_page = " ".join(p.text for p in document.paragraphs[:8])
    assert long_date(clock.today()) in title_page and long_date(plan.starts_on) in title_page


def test_docx_calendar_has_one_row_per_activity_date_and_every_message(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    raw = docx_of(plan)
    document = docx.Document(io.BytesIO(raw))
    calendar_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Datum" and
                       t.rows[0].cells[2].text == "Middel"]
    assert sum(len(t.rows) - 1 for t in calendar_tables) == len(entries(plan))
    channels = {c.name for c in plan.channels} | {"–"}
    assert all(row.cells[2].text in channels for t in calendar_tables for row in t.rows[1:]), "Middel is the channel"
    text = docx2python(io.BytesIO(raw)).text
    for message in plan.messages:
        assert message.title in text and message.body[:60] in text
        for translation in message.translations:
            assert translation.body[:30] in text


def test_odt_is_native_opendocument_with_headings_tables_and_messages(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    raw = odt_of(plan)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    document = load_odt(io.BytesIO(raw))
    headings = [(int(h.getAttribute("outlinelevel")), teletype.extractText(h)) for h in document.getElementsByType(H)]
    assert [text for level, text in headings if level == 1] == CHAPTERS
    assert len(document.getElementsByType(TableHeaderRows)) >= 5
    text = teletype.extractText(document.text)
    for message in plan.messages:
        assert message.body[:60] in text
    for activity in plan.activities:
        assert activity.title in text


def test_right_to_left_translations_are_marked(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    assert any(t.language == "ar" for m in plan.messages for t in m.translations)
    assert "<w:bidi/>" in docx.Document(io.BytesIO(docx_of(plan))).element.xml
    assert b"rl-tb" in zipfile.ZipFile(io.BytesIO(odt_of(plan))).read("styles.xml")


@pytest.fixture
def awkward_plan(session):
    owner = find_or_create_organisation(session, "Gemeente \x07Test\x1b")
    plan = create_plan(session, title="Plan 🎉 met\x01 stuurtekens\x0b", owner=owner, starts_on=dt.date(2027, 1, 1),
                       ends_on=dt.date(2027, 12, 31), introduction="Regel één\r\nRegel twee\x1f")
    audience = Audience(name="Ouders 👪", category=AudienceCategory.GENERAL_PUBLIC)
    plan.audiences.append(audience)
    message = KeyMessage(audience=audience, title="Lang", body="woord " * 850 + "\x02einde")
    message.translations.append(MessageTranslation(language="ar", body="مرحبا بكم في Veilig Thuis 0800-2000"))
    plan.messages.append(message)
    session.commit()
    return plan


def test_awkward_text_still_gives_valid_documents(awkward_plan):
    raw_docx, raw_odt = docx_of(awkward_plan), odt_of(awkward_plan)
    text = docx2python(io.BytesIO(raw_docx)).text
    assert "Plan 🎉 met stuurtekens" in text and "einde" in text and "مرحبا" in text
    assert "\x01" not in text and "\x07" not in text
    odt_text = teletype.extractText(load_odt(io.BytesIO(raw_odt)).text)
    assert "Ouders 👪" in odt_text and "Nog geen activiteiten." in odt_text


def test_logo_is_used_and_a_broken_or_oversized_logo_is_left_out(awkward_plan, session):
    buffer = io.BytesIO()
    PilImage.new("RGB", (300, 100), "navy").save(buffer, "PNG")
    awkward_plan.owner.logo = buffer.getvalue()
    session.commit()
    assert len(docx.Document(io.BytesIO(docx_of(awkward_plan))).inline_shapes) == 1
    assert b"Pictures/logo1.png" in zipfile.ZipFile(io.BytesIO(odt_of(awkward_plan))).read("META-INF/manifest.xml")
    for logo in (b"not an image", b"\x89PNG" + b"0" * (1024 * 1024 + 10)):
        awkward_plan.owner.logo = logo
        session.commit()
        assert len(docx.Document(io.BytesIO(docx_of(awkward_plan))).inline_shapes) == 0
        load_odt(io.BytesIO(odt_of(awkward_plan)))


def test_two_thousand_activities(awkward_plan, session):
    for n in range(2_000):
        awkward_plan.activities.append(Activity(title=f"Activiteit {n}", starts_on=dt.date(2027, 1, 1) +
                                                dt.timedelta(days=n % 365), audiences=[awkward_plan.audiences[0]]))
    session.commit()
    document = docx.Document(io.BytesIO(docx_of(awkward_plan)))
    calendar_rows = sum(len(t.rows) - 1 for t in document.tables
                        if len(t.columns) > 2 and t.rows[0].cells[2].text == "Middel")
    assert calendar_rows == 2_000
    load_odt(io.BytesIO(odt_of(awkward_plan)))


def test_partner_overview_shows_only_that_partner(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    library = next(p for p in plan.partners if p.name == "Bibliotheek Arnhem")
    raw = render_docx(partner_document(plan, library, clock.today()))
    text = docx2python(io.BytesIO(raw)).text
    assert "Ouderavond in de bibliotheek" in text  # the channel; the sheet names channels, not titles
    assert "Trainersavond bij de sportclubs" not in text


@needs_libreoffice
def test_libreoffice_turns_both_formats_into_pdf_with_the_text(demo_session):
    import pypdf

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    for raw, suffix in ((docx_of(plan), ".docx"), (odt_of(plan), ".odt")):
        pdf = pypdf.PdfReader(io.BytesIO(convert_to_pdf(raw, suffix)))
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert len(pdf.pages) >= 5, suffix
        assert "Communicatiekalender" in text and "Ouderavond in de bibliotheek" in text
    library = next(p for p in plan.partners if p.name == "Bibliotheek Arnhem")
    overview = pypdf.PdfReader(io.BytesIO(convert_to_pdf(render_odt(partner_document(plan, library, clock.today())), ".odt")))
    assert len(overview.pages) == 1


def test_plan_document_draws_the_load_per_audience_per_week_with_its_figures(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    document = docx.Document(io.BytesIO(docx_of(plan)))
    assert any(p.text.endswith(" Belasting per doelgroep per week") for p in document.paragraphs
               if p.style.name == "Heading 2")
    shape = next(s for s in document.inline_shapes if s._inline.docPr.get("descr", "").startswith("Hoe vaak"))
    series = plan_series(plan)
    busiest = max(sum(counts.get(week, 0) for counts in series.audiences.values()) for week in series.weeks)
    assert f"met {busiest} publicaties" in shape._inline.docPr.get("descr")
    with zipfile.ZipFile(io.BytesIO(odt_of(plan))) as odt:
        content = odt.read("content.xml").decode()
    assert f"met {busiest} publicaties" in content and "<svg:desc>Hoe vaak elke doelgroep" in content


def test_load_map_is_left_out_of_a_plan_without_publications():
    chart = grid({}, week_span(dt.date(2027, 1, 4), dt.date(2027, 3, 1), dt.date(2027, 1, 4)))
    assert load_map_png(chart, "week") is None
