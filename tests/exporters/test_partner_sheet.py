"""The partner sheet as a partner reads it: one A4 page, what it sends and passes on, and whom to call."""

import io
import re
import subprocess

import pytest
from docx2python import docx2python

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.document_text import plain_date
from planner.domain.partner_sheet import partner_document, partner_items
from planner.domain.plans import get_plan
from planner.exporters.docx import render_docx
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from tests.exporters.test_document_layout import needs_pdftotext
from tests.exporters.test_documents import needs_libreoffice


@needs_libreoffice
@needs_pdftotext
@pytest.mark.parametrize("slug", [REGIONAL_SLUG, MUNICIPAL_SLUG])
def test_every_demo_partner_sheet_is_one_page_in_both_formats(demo_session, tmp_path, slug):
    plan = get_plan(demo_session, slug)
    for partner in plan.partners:
        document = partner_document(plan, partner, clock.today())
        for suffix, render in ((".odt", render_odt), (".docx", render_docx)):
            path = tmp_path / f"sheet{suffix}.pdf"
            path.write_bytes(convert_to_pdf(render(document), suffix))
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            assert re.search(r"^Pages:\s+1$", info, re.M), (partner.name, suffix)
            text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert plan.contact_name in text and plan.contact_email in text, (partner.name, suffix)


def test_partner_sheet_separates_sending_from_passing_on_and_passes_on_only_what_it_can(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    schools = next(p for p in plan.partners if p.name == "Basisscholen Arnhem")
    sends, passes_on = partner_items(plan, schools)
    assert all(item.entry.activity.sender_id == schools.id for item in sends)
    assert passes_on and all(item.entry.activity.channel.kind.value not in ("press_release", "advertisement",
                                                                            "local_media") for item in passes_on)
    assert all(any(p.id == schools.id for p in a.intermediaries) for item in passes_on for a in item.audiences)
    text = docx2python(io.BytesIO(render_docx(partner_document(plan, schools, clock.today())))).text
    # what the schools send themselves may all be done by the day of the run (the demo follows the calendar)
    assert ("Wat u zelf verstuurt" in text) == bool(sends)
    assert ("U verstuurt in dit plan zelf niets." in text) == (not sends)
    assert "Wat u doorgeeft aan uw achterban" in text
    assert "Persbericht" not in text and "Raadsinformatiebrief" not in text
    assert f"Vragen? Bel of mail {plan.contact_name}, Gemeente Arnhem, {plan.contact_phone}" in text
    assert "dit overzicht is gemaakt op" in text and ("concept van" in text or "vastgesteld op" in text)


def test_partner_sheet_gives_production_start_embargo_in_words_and_missing_translations(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    embargo = plan.embargoes[0]
    ggd = next(p for p in plan.partners if p.name == "GGD Gelderland-Midden")
    sends, passes_on = partner_items(plan, ggd)
    text = docx2python(io.BytesIO(render_docx(partner_document(plan, ggd, clock.today())))).text.replace("\u00a0", " ")
    assert f"niet vóór {plain_date(embargo.first_allowed)}" in text
    assert "Productie" in text and "nog niet vertaald in het" in text
    first = (sends + passes_on)[0].entry
    assert first.production_starts_on is not None and f"{first.production_starts_on.day} " in text
