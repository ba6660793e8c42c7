"""Every page of the demo plans on several days after the demo was loaded: each shows its content, not only a 200.

The demo is loaded on 29 November 2026 and then ages: findings pile up as its dates pass. From 20 December 2026 on
the regional plan has more findings than the overview shows (a plan like that once answered 500).
"""

import datetime as dt
import io
import re

import pytest
from docx import Document

from planner import clock
from planner.domain.checks import check_plan, summary
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.school_holidays import all_holidays
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in, travel_to
from tests.helpers import calendar_pages, text_of, text_of_html

LOADED = "2026-11-29"
DAYS = ["2026-11-29", "2026-12-20", "2027-01-20", "2027-06-01"]
PAGES = {  # suffix -> a text the page must show
    "": "Aanleiding",
    "/start": "Stappenplan",
    "/partners": "Contactpersonen",
    "/audiences": "Stakeholderkaart",
    "/messages": "Kernboodschappen",
    "/channels": "Middelenmix",
    "/calendar": "Communicatiekalender",
    "/calendar?view=month": "Communicatiekalender",
    "/calendar?view=week": "Communicatiekalender",
    "/calendar?view=timeline": "Communicatiekalender",
    "/decisions": "Afstemmings- en besluitvormingsmomenten",
    "/checklist": "Voorbereiding",
    "/history": "Geschiedenis",
    "/feeds": "Agenda-abonnementen",
    "/edit": "Plan wijzigen",
}


def counted(errors: int, warnings: int) -> str:
    return (f"Controles: {errors} {'fout' if errors == 1 else 'fouten'}, "
            f"{warnings} {'waarschuwing' if warnings == 1 else 'waarschuwingen'}")


@pytest.fixture
def on_day(request):
    """Move the clock (ticking) to the test's day after the demo was loaded."""
    def travel(day: str):
        traveller = travel_to(dt.date.fromisoformat(day))
        traveller.start()
        request.addfinalizer(traveller.stop)
        assert clock.today().isoformat() == day
    return travel


def logged_in(app):
    """An administrator's browser, logged in on the current (travelled to) day."""
    from planner.domain.accounts import create_user
    from planner.domain.plans import find_or_create_organisation
    from planner.enums import OrganisationKind, Role
    from planner.web.database import get_session

    with app.app_context():
        session = get_session()
        create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                    Role.ADMINISTRATOR, ADMIN_PASSWORD)
        session.commit()
    client = app.test_client()
    log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    return client


@pytest.mark.today(LOADED)
@pytest.mark.parametrize("slug", [REGIONAL_SLUG, MUNICIPAL_SLUG])
@pytest.mark.parametrize("day", DAYS)
def test_every_page_of_the_demo_plans_shows_its_content_on_this_day(demo_session, app, on_day, slug, day):
    on_day(day)
    client = logged_in(app)
    plan = get_plan(demo_session, slug)
    for suffix, heading in PAGES.items():
        response = client.get(f"/plans/{slug}{suffix}")
        assert response.status_code == 200, (suffix, response.status_code)
        page = text_of(response)
        assert heading in page and plan.title in page, suffix
    findings = check_plan(plan, clock.today(), all_holidays(demo_session))
    counts = summary(findings)
    overview = client.get(f"/plans/{slug}")
    html, page = overview.get_data(as_text=True), text_of(overview)
    if findings:
        assert counted(counts["errors"], counts["warnings"]) in page
        shown = re.findall(r'<li class="finding finding-', html)
        assert len(shown) == min(len(findings), 8)
        assert (f"Alle {len(findings)} controles, per periode in de kalender" in page) == (len(findings) > 8)
    else:
        assert "De controles vonden geen problemen in dit plan." in page
    agenda = " ".join(text_of_html(p) for p in calendar_pages(client, plan))
    assert all(activity.title in agenda for activity in plan.activities)
    document = Document(io.BytesIO(client.get(f"/plans/{slug}/document.docx").data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Communicatiekalender" in h for h in headings) and any("Doel" in h for h in headings), headings
    partner = plan.partners[0]
    sheet = Document(io.BytesIO(client.get(f"/plans/{slug}/partners/{partner.id}/overview.docx").data))
    assert partner.name in " ".join(p.text for p in sheet.paragraphs)
    dashboard = text_of(client.get("/"))
    assert plan.title in dashboard
    coordination = text_of(client.get("/overview"))
    assert plan.title in coordination


@pytest.mark.today(LOADED)
def test_the_aging_regional_demo_has_more_findings_than_the_overview_shows(demo_session, app, on_day):
    on_day("2026-12-20")
    client = logged_in(app)
    plan = get_plan(demo_session, REGIONAL_SLUG)
    findings = check_plan(plan, clock.today(), all_holidays(demo_session))
    assert len(findings) > 8, "this day is in the list because the demo crosses the display limit on it"
    page = text_of(client.get(f"/plans/{REGIONAL_SLUG}"))
    assert f"Alle {len(findings)} controles, per periode in de kalender" in page
