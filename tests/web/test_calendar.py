import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from planner.domain.anchoring import move_moment
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.workdays import add_working_days
from planner.models import Activity, Moment, SchoolHoliday
from tests.helpers import calendar_pages, demo_theme_week, short_date, submit, text_of, text_of_html


def test_overview_shows_the_deliberate_embargo_error(demo_session, client):
    conflict = demo_session.scalar(sa.select(Activity).where(Activity.title == "Vooraankondiging in de lokale krant"))
    page = text_of(client.get(f"/plans/{REGIONAL_SLUG}"))
    assert "Controles: 1 fout" in page
    assert ("“Vooraankondiging in de lokale krant” bereikt Inwoners (algemeen publiek) op "
            f"{short_date(conflict.starts_on)}") in page


def test_agenda_lists_recurring_dates_anchors_and_production(demo_session, client):
    pages = calendar_pages(client, get_plan(demo_session, REGIONAL_SLUG))
    html = "".join(pages)
    assert html.count('<td data-label="Activiteit">Berichten op sociale media (wekelijks)<br>') == 4
    page = " ".join(text_of_html(p) for p in pages)
    assert "10 werkdagen vóór de start van Start Veilig Thuis en 0800-2000" in page
    assert "productie vanaf" in page


def test_month_view_shows_days_moments_and_holidays(demo_session, client):
    year = demo_theme_week(demo_session).starts_on.year
    page = text_of(client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={year}-12"))
    assert f"december {year}" in page
    assert "Eerste kerstdag" in page and "Orange the World" in page
    assert "Nieuwsbrief: reacties en vervolg" in page


def test_week_view_and_filters(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    trainers = next(a for a in plan.audiences if a.name.startswith("Trainers"))
    week = demo_theme_week(demo_session).starts_on
    page = text_of(client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view=week&week={week}&audience={trainers.id}"))
    assert "Trainersavond bij de sportclubs" in page
    assert "Leestafel over veilig opgroeien" not in page
    assert "Filters wissen" in page


def test_timeline_draws_a_bar_per_date_and_production(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    html = "".join(calendar_pages(client, plan, "timeline"))
    assert html.count('class="bar-publication') == len(plan.activities)
    assert html.count('class="bar-production"') == len([a for a in plan.activities if a.channel and
                                                          a.channel.lead_time_days])


def test_bad_calendar_filters_fall_back_to_defaults(demo_session, client):
    # Unknown views and filters fall back; a malformed week= or month= answers 400 (tests/web/test_dates.py).
    response = client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view=nope&audience=x&status=hacked")
    assert response.status_code == 200
    assert "Communicatiekalender" in text_of(response)
    # numbers that cannot be ids (the agenda counts by its filters in SQL, where they would not fit)
    for view in ("agenda", "timeline", "month"):
        response = client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view={view}&audience=99999999999999999999"
                              f"&partner=-1&channel=0")
        assert response.status_code == 200 and "Communicatiekalender" in text_of(response), view


def test_moving_a_moment_in_the_form_moves_anchored_activities(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    week = next(m for m in plan.moments if m.observance_key == "week-tegen-kindermishandeling")
    later = week.starts_on + dt.timedelta(days=7)
    response = submit(client, f"/plans/{plan.slug}/moments/{week.id}/edit", {
        "name": week.name, "kind": "observance", "observance_key": week.observance_key,
        "starts_on": later.isoformat(), "ends_on": (later + dt.timedelta(days=6)).isoformat(), "description": ""})
    assert response.status_code == 302
    demo_session.expire_all()
    persbericht = demo_session.scalar(sa.select(Activity).where(Activity.title == "Persbericht: Arnhem doet mee"))
    assert persbericht.starts_on == later


def test_new_moment_takes_its_dates_from_the_observance(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = submit(client, f"/plans/{plan.slug}/moments/new", {
        "name": "Orange the World", "kind": "observance", "observance_key": "orange-the-world",
        "starts_on": "", "ends_on": "", "description": ""})
    assert response.status_code == 302
    moment = demo_session.scalar(sa.select(Moment).where(Moment.name == "Orange the World",
                                                          Moment.plan_id == plan.id))
    # the first edition that has not ended when the plan starts
    year = plan.starts_on.year + (dt.date(plan.starts_on.year, 12, 10) < plan.starts_on)
    assert (moment.starts_on, moment.ends_on) == (dt.date(year, 11, 25), dt.date(year, 12, 10))


def test_a_moment_can_follow_an_observance_an_administrator_added(demo_session, client):
    """The moment form offers the catalogue as the organisation has it, not only the shipped one."""
    plan = get_plan(demo_session, REGIONAL_SLUG)
    response = submit(client, "/observances/new", {
        "key": "dag-van-de-mantelzorg", "name": "Dag van de Mantelzorg", "kind": "date", "date": "11-10",
        "until": "", "region": "", "source": "MantelzorgNL", "organisation_id": "", "overrides": ""})
    assert response.status_code == 302
    form = client.get(f"/plans/{plan.slug}/moments/new").get_data(as_text=True)
    assert '<option value="dag-van-de-mantelzorg">Dag van de Mantelzorg</option>' in form
    response = submit(client, f"/plans/{plan.slug}/moments/new", {
        "name": "Mantelzorgdag", "kind": "observance", "observance_key": "dag-van-de-mantelzorg",
        "starts_on": "", "ends_on": "", "description": ""})
    assert response.status_code == 302
    moment = demo_session.scalar(sa.select(Moment).where(Moment.name == "Mantelzorgdag", Moment.plan_id == plan.id))
    year = plan.starts_on.year + (dt.date(plan.starts_on.year, 11, 10) < plan.starts_on)
    assert (moment.starts_on, moment.ends_on) == (dt.date(year, 11, 10), None)


def test_activity_form_saves_anchor_and_repetition(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    campaign = next(m for m in plan.moments if m.name.startswith("Landelijke campagne"))
    public = next(a for a in plan.audiences if a.name.startswith("Inwoners"))
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        "title": "Radiospot herhaling", "starts_on": "", "anchor_moment_id": str(campaign.id), "anchor_offset": "-2",
        "anchor_unit": "working_days", "anchor_edge": "end", "frequency": "WEEKLY", "interval": "1",
        "repeat_count": "3", "exdates": "", "audience_ids": [str(public.id)], "reach": "external",
        "level": "regional", "status": "planned"})
    assert response.status_code == 302
    activity = demo_session.scalar(sa.select(Activity).where(Activity.title == "Radiospot herhaling"))
    assert activity.starts_on == add_working_days(campaign.last_day, -2)
    assert activity.starts_on.weekday() < 5 and (campaign.last_day - activity.starts_on).days in range(3, 10)
    assert activity.recurrence == "FREQ=WEEKLY;COUNT=3"
    html = client.get(f"/plans/{plan.slug}/activities/{activity.id}/edit").get_data(as_text=True)
    assert '<option selected value="WEEKLY">' in html


def test_an_anchored_period_typed_with_only_its_last_day_keeps_its_end(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    campaign = next(m for m in plan.moments if m.name.startswith("Landelijke campagne"))
    last = campaign.starts_on + dt.timedelta(days=4)
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        "title": "Gastlessen in de week", "starts_on": "", "ends_on": last.isoformat(),
        "anchor_moment_id": str(campaign.id), "anchor_offset": "0", "anchor_unit": "days", "anchor_edge": "start",
        "reach": "external", "level": "regional", "status": "planned"})
    assert response.status_code == 302
    activity = demo_session.scalar(sa.select(Activity).where(Activity.title == "Gastlessen in de week"))
    assert (activity.starts_on, activity.ends_on) == (campaign.starts_on, last)

    move_moment(campaign, campaign.starts_on + dt.timedelta(days=7), campaign.ends_on + dt.timedelta(days=7))
    assert (activity.starts_on, activity.ends_on) == (campaign.starts_on, campaign.starts_on + dt.timedelta(days=4))


def test_an_anchored_period_ending_before_the_anchored_day_is_explained(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    campaign = next(m for m in plan.moments if m.name.startswith("Landelijke campagne"))
    before = demo_session.scalar(sa.select(sa.func.count()).select_from(Activity))
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        "title": "Te vroeg afgelopen", "starts_on": "", "ends_on": (campaign.starts_on - dt.timedelta(days=1)).isoformat(),
        "anchor_moment_id": str(campaign.id), "anchor_offset": "0", "anchor_unit": "days", "anchor_edge": "start",
        "reach": "external", "level": "regional", "status": "planned"})
    assert response.status_code == 200
    expected = format_date(campaign.starts_on, "EEE d MMM y", locale="nl")
    assert f"Deze dag ligt vóór {expected}, de datum die uit het moment volgt." in text_of(response)
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Activity)) == before


def test_activity_form_refuses_bad_skip_dates(demo_session, client):
    response = submit(client, f"/plans/{REGIONAL_SLUG}/activities/new", {
        "title": "X", "starts_on": "2027-02-01", "frequency": "WEEKLY", "exdates": "volgende week",
        "reach": "external", "level": "local", "status": "planned"})
    assert "'volgende week' is geen datum" in text_of(response)


def test_observance_page_edit_changes_the_year(client, session):
    page = text_of(client.get("/observances/?year=2027&region=midden"))
    assert "Week tegen Kindermishandeling" in page and "Koningsdag" in page
    response = submit(client, "/observances/mensenrechtendag/edit", {
        "key": "mensenrechtendag", "name": "Mensenrechtendag", "kind": "date", "date": "12-10", "until": "",
        "region": "", "source": "VN", "organisation_id": "", "overrides": "2027-12-09 2027-12-11"})
    assert response.status_code == 302
    page = text_of(client.get("/observances/?year=2027"))
    assert "do 9 dec 2027 t/m za 11 dec 2027" in page
    bad = submit(client, "/observances/mensenrechtendag/edit", {
        "key": "mensenrechtendag", "name": "Mensenrechtendag", "kind": "date", "date": "13-45", "overrides": "x"})
    assert "Vul maand en dag in als MM-DD" in text_of(bad) and "Regel 1" in text_of(bad)


def test_school_holiday_upload_imports_or_explains(client, session):
    from tests.helpers import csrf_token

    token = csrf_token(client, "/observances/")
    good = {"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie", "regions": [
        {"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "2031-01-05"}]}]}]}
    response = client.post("/observances/school-holidays", data={
        "csrf_token": token, "file": (io.BytesIO(json.dumps(good).encode()), "vakanties.json")}, follow_redirects=True)
    assert "Schoolvakanties geïmporteerd voor 2030-2031" in text_of(response)
    response = client.post("/observances/school-holidays", data={
        "csrf_token": token, "file": (io.BytesIO(b"\x00\x01 no json"), "vakanties.json")}, follow_redirects=True)
    assert "Er is niets geïmporteerd" in text_of(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(SchoolHoliday)) == 3


def test_upload_without_a_file_asks_for_one(client, session):
    from tests.helpers import csrf_token

    token = csrf_token(client, "/observances/")
    response = client.post("/observances/school-holidays", data={"csrf_token": token}, follow_redirects=True)
    assert "Kies een bestand." in text_of(response)


@pytest.mark.today("2027-03-01")
def test_paging_back_and_forth_through_a_big_agenda_skips_nothing(session, client):
    """Pages end at 150 entries, so they do not follow months; 'Eerder' must lead exactly to the page before."""
    import re
    from html import unescape

    from tests.factories import build_large_plan

    plan = build_large_plan(session, 600)
    session.commit()

    def walk(url: str, link: str) -> list[str]:
        pages = []
        while url:
            html = client.get(unescape(url)).get_data(as_text=True)
            pages.append(html)
            found = re.search(link, html)
            url = found.group(1) if found else None
            assert len(pages) < 50
        return pages

    # from the last page back to the first, then forwards again from there
    last = calendar_pages(client, plan)[-1]
    backward = walk(re.search(r'<a href="([^"]+)">← Eerder', last).group(1), r'<a href="([^"]+)">← Eerder')
    first = re.search(r'<a href="([^"]+)">Later →', backward[-1]).group(1)
    forward = [backward[-1]] + walk(first, r'<a href="([^"]+)">Later →')
    backward = [last] + backward
    assert len(forward) >= 4

    def shown(pages):  # every activity has a date on some page, whichever way one pages
        return {m.group(1) for page in pages for m in re.finditer(r'/activities/(\d+)/edit"', page)}

    def boundary(page: str, link: str) -> dt.date:  # the day in the page's Later (from=) or Earlier (to=) link
        text = "Later →" if link == "from" else "← Eerder"
        href = unescape(re.search(r'<a href="([^"]+)">' + text, page).group(1))
        return dt.date.fromisoformat(re.search(link + r"=(\d{4}-\d\d-\d\d)", href).group(1))

    assert shown(backward) == shown(forward) == {str(a.id) for a in plan.activities}
    for pages in (forward, backward[::-1]):  # each page begins the day after the one before it ends
        for before, after in zip(pages, pages[1:]):
            assert boundary(before, "from") == boundary(after, "to") + dt.timedelta(days=1)


def test_headings_and_counts_read_as_dutch(demo_session, client):
    """Sentence case from the server (no CSS capitalising every word), and "1 werkdag", not "1 werkdagen"."""
    from planner.enums import OffsetUnit
    from planner.web.formatting import offset_text

    week = demo_theme_week(demo_session).starts_on
    page = client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view=week&week={week.isoformat()}").get_data(as_text=True)
    assert f"<h3>Week van {format_date(week, 'EEEE d MMMM y', locale='nl')}</h3>" in page
    from planner.resources import PACKAGE_DIR

    assert "capitalize" not in (PACKAGE_DIR / "web" / "static" / "planner.css").read_text()
    with client.application.test_request_context():
        assert [offset_text(n, u) for n, u in ((1, OffsetUnit.WORKING_DAYS), (2, OffsetUnit.WORKING_DAYS),
                                               (1, OffsetUnit.DAYS), (3, OffsetUnit.DAYS))] == [
            "1 werkdag", "2 werkdagen", "1 dag", "3 dagen"]
