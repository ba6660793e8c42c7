"""Input at the edges (year 1, year 9999, deep JSON, huge numbers) gets a Dutch answer, never a 500, and saves nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
import sqlalchemy as sa

from planner.enums import OrganisationKind
from planner.models import Moment, Organisation, SchoolHoliday
from tests.factories import build_plan
from tests.helpers import count_rows, csrf_token, submit, text_of

WINDOW = "van 1 januari 1900 tot en met 31 december 2200"
TEN_YEARS_OF_DAYS = 3660  # the most dates a recurring activity may skip
HOLIDAYS = {"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie", "regions": [
    {"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "2031-01-05"}]}]}]}


@pytest.fixture
def plan(session):
    plan = build_plan(session)
    session.commit()
    return plan


@pytest.mark.parametrize("query", ["view=week&week=0001-01-01", "view=month&month=9999-12",
                                   "view=week&week=9999-12-31", "view=agenda&week=0001-01-01&month=9999-12"])
def test_calendar_far_outside_the_window_answers_400_in_dutch(client, plan, query):
    response = client.get(f"/plans/{plan.slug}/calendar?{query}")
    assert response.status_code == 400
    assert "januari 1900" in text_of(response)


def test_ics_all_day_event_on_year_one_imports_nothing_and_says_why(session, client, plan):
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\n"
           b"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Campagne\r\nDTSTART;VALUE=DATE:20270301\r\n"
           b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Oud\r\n"
           b"DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:00010102\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    before = count_rows(session, Moment, Moment.plan_id == plan.id)
    token = csrf_token(client, f"/plans/{plan.slug}/calendar")
    response = client.post(f"/plans/{plan.slug}/moments/import", data={
        "csrf_token": token, "file": (io.BytesIO(ics), "campagne.ics")}, follow_redirects=True)
    assert response.status_code == 200
    assert (f"Het bestand bevat de datum 0001-01-01 (VEVENT 2 (Oud) DTSTART). De planner neemt alleen datums "
            f"aan {WINDOW}. Er is niets geïmporteerd.") in text_of(response)
    assert count_rows(session, Moment, Moment.plan_id == plan.id) == before


@pytest.mark.parametrize("raw", [
    b"[" * 100_000 + b"]" * 100_000,
    json.dumps({"content": [{"schoolyear": 1e999}]}).encode(),  # json writes Infinity, as 1e999 reads
    b'{"content": [{"schoolyear": 1e999, "vacations": []}]}',
    b'{"content": [{"schoolyear": "2030-2031", "vacations": [{"type": ["x"], "regions": []}]}]}',
    b'{"content": [{"schoolyear": "2030-2031", "vacations": {"type": "zomer"}}]}',
    b'{"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "zomer", "regions": [7]}]}]}',
    json.dumps({"deep": json.loads("[" * 500 + "]" * 500), **HOLIDAYS}).encode(),
])
def test_school_holiday_json_that_does_not_fit_imports_nothing_and_says_why(session, client, raw):
    token = csrf_token(client, "/observances/")
    response = client.post("/observances/school-holidays", data={
        "csrf_token": token, "file": (io.BytesIO(raw), "vakanties.json")}, follow_redirects=True)
    assert response.status_code == 200
    assert "Er is niets geïmporteerd." in text_of(response)
    assert count_rows(session, SchoolHoliday) == 0


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b'{"content": [{"schoolyear": 1e999}]}'])
def test_school_holiday_command_refuses_json_that_does_not_fit(cli, session, tmp_path, raw):
    path = tmp_path / "vakanties.json"
    path.write_bytes(raw)
    result = cli("school-holidays", "import", str(path))
    assert result.exit_code == 1 and "nothing was imported" in result.output
    assert count_rows(session, SchoolHoliday) == 0


ACTIVITY = {"title": "Dagelijkse post", "starts_on": "2027-01-04", "ends_on": "", "start_time": "", "end_time": "",
            "anchor_moment_id": "", "anchor_offset": "0", "anchor_unit": "days", "anchor_edge": "start",
            "frequency": "DAILY", "interval": "1", "repeat_until": "2036-12-31", "repeat_count": "",
            "channel_id": "", "sender_id": "", "message_id": "", "reach": "external", "level": "local",
            "status": "planned", "owner_name": "", "description": "", "notes": ""}


def test_skipping_more_dates_than_ten_years_hold_is_refused_in_dutch(session, client, plan):
    from planner.models import Activity

    days = [dt.date(2027, 1, 4) + dt.timedelta(days=n) for n in range(80_000 // 12)]
    response = submit(client, f"/plans/{plan.slug}/activities/new",
                      {**ACTIVITY, "exdates": ", ".join(d.isoformat() for d in days)})
    assert response.status_code == 200
    assert f"Noem hoogstens {TEN_YEARS_OF_DAYS} datums om over te slaan." in text_of(response)
    assert count_rows(session, Activity, Activity.title == "Dagelijkse post") == 0

    weekends = [d for d in days[:TEN_YEARS_OF_DAYS] if d.weekday() >= 5]  # a working-day series of ten years
    response = submit(client, f"/plans/{plan.slug}/activities/new",
                      {**ACTIVITY, "exdates": ", ".join(d.isoformat() for d in weekends)})
    assert response.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    saved = session.scalar(sa.select(Activity).where(Activity.title == "Dagelijkse post"))
    assert len(saved.exdates) == len(weekends)


def test_a_stored_logo_that_is_no_image_answers_404_not_500(session, client):
    organisation = Organisation(name="Oude import", kind=OrganisationKind.PARTNER, logo=b"geen plaatje")
    session.add(organisation)
    session.commit()
    assert client.get(f"/organisations/{organisation.uuid}/logo").status_code == 404
