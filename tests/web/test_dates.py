"""The date window on the web: forms say it beside the field, uploads in the message, addresses answer 400."""

import datetime as dt
import html
import io
import json
import re

import pytest
import sqlalchemy as sa

from planner.domain import feeds
from planner.domain.plans import get_plan
from planner.enums import FeedScope
from planner.models import Activity, Decision, Embargo, Moment, Observance, Observation, SchoolHoliday
from tests.factories import build_plan
from tests.helpers import count_rows, csrf_token, submit, text_of

WINDOW = "van 1 januari 1900 tot en met 31 december 2200"
FIELD_MESSAGE = f"Vul een datum in {WINDOW}."
ACTIVITY = {"title": "Verre toekomst", "starts_on": "2027-03-15", "ends_on": "", "start_time": "", "end_time": "",
            "anchor_moment_id": "", "anchor_offset": "0", "anchor_unit": "days", "anchor_edge": "start",
            "frequency": "", "interval": "1", "repeat_until": "", "repeat_count": "", "exdates": "",
            "channel_id": "", "sender_id": "", "message_id": "", "reach": "external", "level": "local",
            "status": "planned", "owner_name": "", "description": "", "notes": ""}


@pytest.fixture
def plan(session):
    plan = build_plan(session)
    session.commit()
    return plan


def _error_beside(response, field: str) -> str:
    """The error text shown right under the field `field`, as a screen reader links it."""
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', response.get_data(as_text=True))
    assert match, f"no error beside {field}"
    return html.unescape(match.group(1))


def test_activity_on_9999_12_31_is_refused_beside_the_field_and_the_feed_still_answers(session, client, plan):
    _, token = feeds.create_subscription(session, plan, "Test", FeedScope.PLAN)
    session.commit()
    response = submit(client, f"/plans/{plan.slug}/activities/new", {**ACTIVITY, "starts_on": "9999-12-31"})
    assert response.status_code == 200
    assert _error_beside(response, "starts_on") == FIELD_MESSAGE
    assert count_rows(session, Activity, Activity.title == "Verre toekomst") == 0
    feed = client.get(f"/feeds/{token}.ics")
    assert feed.status_code == 200 and feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VCALENDAR" in feed.data and b"Verre toekomst" not in feed.data


@pytest.mark.parametrize("changes, field, message", [
    ({"ends_on": "9999-12-31"}, "ends_on", FIELD_MESSAGE),
    ({"starts_on": "1899-12-31"}, "starts_on", FIELD_MESSAGE),
    ({"frequency": "WEEKLY", "repeat_until": "2201-01-01"}, "repeat_until", FIELD_MESSAGE),
    ({"exdates": "2027-03-22, 31-12-9999"}, "exdates", f"'31-12-9999' is geen datum {WINDOW}."),
])
def test_activity_date_outside_window_is_refused_beside_its_field(session, client, plan, changes, field, message):
    response = submit(client, f"/plans/{plan.slug}/activities/new", {**ACTIVITY, **changes})
    assert _error_beside(response, field) == message
    assert count_rows(session, Activity, Activity.title == "Verre toekomst") == 0


def test_activity_on_the_window_edges_is_saved_and_every_view_still_answers(session, client, plan):
    _, token = feeds.create_subscription(session, plan, "Test", FeedScope.PLAN)
    session.commit()
    response = submit(client, f"/plans/{plan.slug}/activities/new", {
        **ACTIVITY, "starts_on": "1900-01-01", "ends_on": "2200-12-31", "exdates": "01-01-1900, 2200-12-31"})
    assert response.status_code == 302
    activity = session.scalar(sa.select(Activity).where(Activity.title == "Verre toekomst"))
    assert (activity.starts_on, activity.ends_on) == (dt.date(1900, 1, 1), dt.date(2200, 12, 31))
    assert activity.exdates == ["1900-01-01", "2200-12-31"]
    feed = client.get(f"/feeds/{token}.ics")
    assert feed.status_code == 200 and b"SUMMARY:Verre toekomst" in feed.data
    for view in ("agenda", "timeline", "month&month=2200-12", "week&week=1900-01-01"):
        page = client.get(f"/plans/{plan.slug}/calendar?view={view}")
        assert page.status_code == 200 and "Verre toekomst" in text_of(page), view


@pytest.mark.parametrize("kind, data, field, model", [
    ("moments", {"name": "Verre toekomst", "kind": "campaign", "observance_key": "", "starts_on": "9999-12-31",
                 "ends_on": "", "description": ""}, "starts_on", Moment),
    ("embargoes", {"not_before": "1899-12-31", "not_before_moment_id": "", "not_after": "",
                   "not_after_moment_id": "", "reason": ""}, "not_before", Embargo),
    ("decisions", {"title": "Verre toekomst", "kind": "approval", "decided_on": "9999-12-31", "participants": "",
                   "status": "planned", "outcome": ""}, "decided_on", Decision),
    ("observations", {"observed_on": "9999-12-31", "kind": "reach", "activity_id": "", "text": "Verre toekomst",
                      "count": ""}, "observed_on", Observation),
])
def test_plan_row_date_outside_window_is_refused_beside_the_field(session, client, plan, kind, data, field, model):
    if kind == "embargoes":
        data = {**data, "audience_id": str(plan.audiences[0].id)}
    before = count_rows(session, model)
    response = submit(client, f"/plans/{plan.slug}/{kind}/new", data)
    assert response.status_code == 200
    assert _error_beside(response, field) == FIELD_MESSAGE
    assert count_rows(session, model) == before


def test_checklist_due_date_outside_window_is_refused_beside_the_field(session, client, plan):
    item = plan.phases[0].items[0]
    response = submit(client, f"/plans/{plan.slug}/checklist-items/{item.id}/edit", {
        "phase_id": str(item.phase_id), "title": item.title, "status": "open", "owner_name": "",
        "due_on": "9999-12-31", "due_moment_id": "", "due_offset": "0", "due_unit": "days", "note": ""})
    assert _error_beside(response, "due_on") == FIELD_MESSAGE
    session.expire_all()
    assert session.get(type(item), item.id).due_on == dt.date(2027, 2, 15)


def test_plan_period_outside_window_is_refused_beside_the_field(session, client, plan):
    response = submit(client, f"/plans/{plan.slug}/edit", {
        "title": plan.title, "theme": "", "owner_id": str(plan.owner_id),
        "starts_on": "2027-01-04", "ends_on": "9999-12-31", "status": "draft", "phase": "initiative",
        "parent_id": "", "budget": "", "introduction": "", "goal": "", "strategy": "", "evaluation": ""})
    assert _error_beside(response, "ends_on") == FIELD_MESSAGE
    session.expire_all()
    assert get_plan(session, plan.slug).ends_on == dt.date(2027, 12, 17)


def test_dragging_an_activity_to_9999_is_refused(session, client, plan):
    activity = Activity(plan=plan, title="Sleepbaar", starts_on=dt.date(2027, 3, 15))
    session.add(activity)
    session.commit()
    response = submit(client, f"/plans/{plan.slug}/activities/{activity.id}/move", {"starts_on": "9999-12-31"},
                      page=f"/plans/{plan.slug}/calendar?view=month&month=2027-03")
    assert response.status_code == 400 and response.json["error"] == "Dat is geen dag in de kalender."
    session.expire_all()
    assert session.get(Activity, activity.id).starts_on == dt.date(2027, 3, 15)


@pytest.mark.parametrize("query, shown", [
    ("view=week&week=9999-12-31", "week=9999-12-31"),
    ("view=week&week=1899-12-31", "week=1899-12-31"),
    ("view=week&week=volgende", "week=volgende"),
    ("view=month&month=0001-01", "month=0001-01"),
    ("view=month&month=2201-01", "month=2201-01"),
    ("view=month&month=13-2026", "month=13-2026"),
    ("view=agenda&month=2026-13", "month=2026-13"),
])
def test_calendar_address_with_a_bad_week_or_month_answers_400_in_dutch(client, plan, query, shown):
    response = client.get(f"/plans/{plan.slug}/calendar?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert "Deze pagina kan niet worden getoond" in page
    assert f"Het adres bevat {shown}. Dat is geen" in page


def test_calendar_on_the_window_edges_shows_without_links_beyond_them(client, plan):
    first = text_of(client.get(f"/plans/{plan.slug}/calendar?view=month&month=1900-01"))
    assert "januari 1900" in first and "Volgende maand" in first and "Vorige maand" not in first
    last = client.get(f"/plans/{plan.slug}/calendar?view=week&week=2200-12-31")
    assert last.status_code == 200
    assert "Vorige week" in text_of(last) and "Volgende week" not in text_of(last)
    assert "month=2201" not in client.get(f"/plans/{plan.slug}/calendar?view=month&month=2200-12").get_data(
        as_text=True)


@pytest.mark.parametrize("year", ["9999", "1899", "twintig", "-2027"])
def test_observances_page_with_a_year_outside_the_window_answers_400_in_dutch(client, year):
    response = client.get(f"/observances/?year={year}")
    assert response.status_code == 400
    assert f"Het adres bevat year={year}. Dat is geen jaar van 1900 tot en met 2200." in text_of(response)


@pytest.mark.parametrize("year", ["1900", "2200"])
def test_observances_page_on_the_edge_years_is_shown(client, year):
    response = client.get(f"/observances/?year={year}")
    assert response.status_code == 200 and f"Natuurlijke momenten en vakanties {year}" in text_of(response)


OBSERVANCE = {"key": "mensenrechtendag", "name": "Mensenrechtendag", "kind": "date", "date": "12-10", "until": "",
              "region": "", "source": "VN", "organisation_id": ""}


@pytest.mark.parametrize("overrides", ["9999-12-10 9999-12-11", "2027-12-09 2201-01-01", "1899-12-10"])
def test_observance_override_outside_window_is_refused(session, client, overrides):
    response = submit(client, "/observances/mensenrechtendag/edit", {**OBSERVANCE, "overrides": overrides})
    assert _error_beside(response, "overrides") == f"Regel 1: vul datums in {WINDOW}."
    assert count_rows(session, Observance) == 0


def test_observance_override_on_the_window_edges_is_saved(session, client):
    response = submit(client, "/observances/mensenrechtendag/edit", {
        **OBSERVANCE, "overrides": "1900-12-10\n2200-12-09 2200-12-31"})
    assert response.status_code == 302
    assert session.scalar(sa.select(Observance.overrides)) == {
        "1900": {"start": "1900-12-10", "end": "1900-12-10"}, "2200": {"start": "2200-12-09", "end": "2200-12-31"}}
    assert "di 9 dec 2200 t/m wo 31 dec 2200" in text_of(client.get("/observances/?year=2200"))


def test_observance_on_29_february_shows_on_28_february_in_a_non_leap_year(client):
    response = submit(client, "/observances/new", {
        "key": "schrikkeldag", "name": "Dag van de zeldzame ziekten", "kind": "date", "date": "02-29", "until": "",
        "region": "", "source": "", "organisation_id": "", "overrides": ""})
    assert response.status_code == 302
    page = client.get("/observances/?year=2027")
    assert page.status_code == 200
    row = re.search(r"<tr><td>([^<]*)</td><td>Dag van de zeldzame ziekten</td>", page.get_data(as_text=True))
    assert row and row.group(1) == "zo 28 feb 2027"
    assert "di 29 feb 2028" in text_of(client.get("/observances/?year=2028"))


def test_ics_upload_with_an_event_in_9999_imports_nothing_and_says_why(session, client, plan):
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\n"
           b"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Campagne\r\nDTSTART;VALUE=DATE:20270301\r\n"
           b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Ver weg\r\n"
           b"DTSTART;VALUE=DATE:99991231\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    token = csrf_token(client, f"/plans/{plan.slug}/calendar")
    response = client.post(f"/plans/{plan.slug}/moments/import", data={
        "csrf_token": token, "file": (io.BytesIO(ics), "campagne.ics")}, follow_redirects=True)
    assert (f"Het bestand bevat de datum 9999-12-31 (VEVENT 2 (Ver weg) DTSTART). De planner neemt alleen datums "
            f"aan {WINDOW}. Er is niets geïmporteerd.") in text_of(response)
    assert count_rows(session, Moment, Moment.plan_id == plan.id) == 1


def test_school_holiday_upload_with_a_date_in_9999_imports_nothing_and_says_why(session, client):
    document = {"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie", "regions": [
        {"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "2031-01-05"},
        {"region": "zuid", "startdate": "2030-12-21", "enddate": "9999-12-31"}]}]}]}
    token = csrf_token(client, "/observances/")
    response = client.post("/observances/school-holidays", data={
        "csrf_token": token, "file": (io.BytesIO(json.dumps(document).encode()), "vakanties.json")},
        follow_redirects=True)
    assert ("Het bestand bevat de datum 9999-12-31 (content[0].vacations[0].regions[1].enddate). De planner neemt "
            f"alleen datums aan {WINDOW}. Er is niets geïmporteerd.") in text_of(response)
    assert count_rows(session, SchoolHoliday) == 0


def test_plan_edit_saves_the_summary_and_the_contact_for_partner_sheets(session, client, plan):
    response = submit(client, f"/plans/{plan.slug}/edit", {
        "title": plan.title, "theme": "", "owner_id": str(plan.owner_id),
        "starts_on": "2027-01-04", "ends_on": "2027-12-17", "status": "draft", "phase": "initiative",
        "parent_id": "", "budget": "", "introduction": "", "goal": "", "strategy": "", "evaluation": "",
        "summary": "Eigen samenvatting.", "contact_name": "Sanne de Vries", "contact_phone": "026 377 4911",
        "contact_email": "adviseur@arnhem.example"})
    assert response.status_code == 302
    session.expire_all()
    saved = get_plan(session, plan.slug)
    assert (saved.summary, saved.contact_name, saved.contact_phone, saved.contact_email) == (
        "Eigen samenvatting.", "Sanne de Vries", "026 377 4911", "adviseur@arnhem.example")
