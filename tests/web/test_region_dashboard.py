"""The coordinator's dashboard: a row per municipality (also without a plan), filters, sorting, links and charts."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import find_or_create_organisation, get_plan
from planner.enums import ChecklistStatus, OrganisationKind, Role
from tests.conftest import log_in
from tests.helpers import text_of, text_of_html

PASSWORD = "een-lang-test-wachtwoord"


@pytest.fixture
def region(demo_session):
    """The demo region, with a municipality that has no plan yet and one overdue checklist item in Arnhem."""
    region = get_plan(demo_session, REGIONAL_SLUG).owner
    zevenaar = find_or_create_organisation(demo_session, "Gemeente Zevenaar", OrganisationKind.MUNICIPALITY)
    zevenaar.region = region
    get_plan(demo_session, MUNICIPAL_SLUG).owner.region = region
    item = get_plan(demo_session, MUNICIPAL_SLUG).phases[1].items[3]
    item.due_on, item.status = clock.today() - dt.timedelta(days=3), ChecklistStatus.OPEN
    create_user(demo_session, "coordinator@test.example", region, Role.COORDINATOR, PASSWORD)
    demo_session.commit()
    return region


def _rows(html: str) -> list[str]:
    table = BeautifulSoup(html, "html.parser").find("table", class_="dashboard")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in table.tbody.find_all("tr")]


@pytest.mark.today("2026-10-20")
def test_dashboard_lists_every_municipality_of_the_region_and_those_without_a_plan_first(region, app):
    client = app.test_client()
    log_in(client, "coordinator@test.example", PASSWORD)
    html = client.get("/overview").get_data(as_text=True)  # a coordinator starts in their own region
    assert "Overzicht van de plannen: Regio Arnhem-Achterhoek" in text_of_html(html)
    rows = _rows(html)
    assert [row.split(" ")[1] for row in rows] == ["Arnhem", "Zevenaar", "Arnhem-Achterhoek"]  # by name
    assert rows[1] == "Gemeente Zevenaar Nog geen plan"
    assert f'href="/regions/{region.uuid}/calendar"' in html  # the region's merged calendar
    assert "1 gemeente van de regio heeft nog geen plan dat bij deze filters past." in text_of_html(html)

    by_overdue = client.get("/overview?sort=overdue&dir=desc").get_data(as_text=True)
    assert [row.split(" ")[1] for row in _rows(by_overdue)] == ["Zevenaar", "Arnhem", "Arnhem-Achterhoek"]
    header = BeautifulSoup(by_overdue, "html.parser").find("th", attrs={"aria-sort": True})
    assert header["aria-sort"] == "descending" and "Verlopen checklist-items" in header.get_text()
    assert "sort=overdue&amp;dir=asc" in str(header)  # the next click turns the order round

    csv = client.get("/overview.csv").data.decode("utf-8-sig").splitlines()
    assert csv[0].endswith(";theme;next_key_date;next_key_moment")
    assert ";Gemeente Zevenaar;" in csv[-1] and len(csv) == 4


@pytest.mark.today("2026-10-20")
def test_dashboard_filters_by_theme_year_and_phase(region, app, client, demo_session):
    page = f"/overview?region={region.uuid}"
    themed = _rows(client.get(f"{page}&theme=kindermishandeling").get_data(as_text=True))
    assert any("Week tegen Kindermishandeling 2026 Arnhem" in row for row in themed)
    assert not any("Introductie Veilig Thuis" in row for row in themed)
    assert "Gemeente Zevenaar Nog geen plan (bij deze filters)" in themed
    executing = _rows(client.get(f"{page}&phase=execution").get_data(as_text=True))
    assert "Gemeente Arnhem Nog geen plan (bij deze filters)" in executing
    assert any("Introductie Veilig Thuis" in row for row in executing)
    html = client.get(page).get_data(as_text=True)
    offered = {int(o.get_text()) for o in BeautifulSoup(html, "html.parser").find("select", attrs={"name": "year"})
               .find_all("option") if o.get_text().isdigit()}
    plans = [get_plan(demo_session, slug) for slug in (MUNICIPAL_SLUG, REGIONAL_SLUG)]
    assert offered == {y for p in plans for y in range(p.starts_on.year, p.ends_on.year + 1)}  # every year a plan runs
    later = _rows(client.get(f"{page}&year=2031").get_data(as_text=True))
    assert later == ["Gemeente Arnhem Nog geen plan (bij deze filters)",
                     "Gemeente Zevenaar Nog geen plan (bij deze filters)"]


@pytest.mark.today("2026-10-20")
def test_dashboard_numbers_link_to_the_list_behind_them(region, app, client, demo_session):
    html = client.get(f"/overview?region={region.uuid}").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    overdue = soup.find("a", href=f"/plans/{MUNICIPAL_SLUG}/checklist?show=overdue")
    assert overdue is not None and overdue.get_text(" ", strip=True).startswith("1 ")
    checklist = text_of(client.get(overdue["href"]))
    item = get_plan(demo_session, MUNICIPAL_SLUG).phases[1].items[3]
    assert "Alleen het 1 verlopen checklist-item wordt getoond." in checklist and item.title in checklist
    others = [i.title for p in get_plan(demo_session, MUNICIPAL_SLUG).phases for i in p.items if i.id != item.id]
    assert not any(title in checklist for title in others)
    findings = soup.find("a", href=re.compile(rf"/plans/{REGIONAL_SLUG}#findings-title$"))
    assert findings is not None and "fout" in findings.get_text()


@pytest.mark.today("2026-10-20")
def test_dashboard_and_plan_overview_draw_their_charts_with_the_figures_beside_them(region, client, demo_session):
    html = client.get(f"/overview?region={region.uuid}").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    charts = soup.find_all("svg", attrs={"role": "img"})
    assert [c.title.get_text() for c in charts] == ["Publicaties per week per gemeente", "Belasting per doelgroep per week",
                                                    "Voortgang van de checklist in de tijd"]
    assert all(c.desc.get_text().strip() for c in charts)
    timeline = soup.find(id="region-timeline").table
    names = [th.get_text(strip=True) for th in timeline.tbody.find_all("th")]
    assert names == ["Gemeente Arnhem", "Gemeente Zevenaar", "Regio Arnhem-Achterhoek"]  # Zevenaar: the gap
    audiences = {a.name for p in (get_plan(demo_session, MUNICIPAL_SLUG), get_plan(demo_session, REGIONAL_SLUG))
                 for a in p.audiences}
    load = soup.find(id="region-load").table
    assert {th.get_text(strip=True) for th in load.tbody.find_all("th")} == audiences

    plan_html = client.get(f"/plans/{MUNICIPAL_SLUG}").get_data(as_text=True)
    plan_soup = BeautifulSoup(plan_html, "html.parser")
    channels = [th.get_text(strip=True) for th in plan_soup.find(id="plan-timeline").table.tbody.find_all("th")]
    assert channels == sorted({a.channel.name for a in get_plan(demo_session, MUNICIPAL_SLUG).activities},
                              key=str.casefold)
    assert "Week tegen Kindermishandeling" in plan_soup.find(id="plan-timeline").svg.get_text()


@pytest.mark.today("2026-10-20")
def test_dashboard_of_an_advisor_claims_no_missing_plan_where_it_may_not_see_every_plan(region, app, demo_session):
    create_user(demo_session, "adviseur@test.example", get_plan(demo_session, MUNICIPAL_SLUG).owner, Role.ADVISOR,
                PASSWORD)
    demo_session.commit()
    client = app.test_client()
    log_in(client, "adviseur@test.example", PASSWORD)
    rows = _rows(client.get("/overview").get_data(as_text=True))  # the region of Arnhem, as far as they may read
    assert rows and not any("Nog geen plan" in row for row in rows)
    assert not any("Zevenaar" in row for row in rows)
