"""Every date that comes in through an import lies between 1900-01-01 and 2200-12-31; else nothing is saved."""

import copy
import datetime as dt

import pytest
import sqlalchemy as sa

from planner.domain.codecs import DateOutOfRange
from planner.domain.dates import FIRST_DATE, LAST_DATE, in_window
from planner.domain.ics_import import parse_events
from planner.domain.observances import ObservanceDef, dates_for
from planner.domain.school_holidays import import_school_holidays, parse_open_data
from planner.domain.transfer import export_plan, import_plan
from planner.models import Activity, Moment, Plan, SchoolHoliday
from tests.factories import build_plan

D = dt.date


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def document(session):
    """A plan as exported JSON; the plan itself is rolled back, so the database is empty again."""
    exported = export_plan(build_plan(session))
    session.rollback()
    return exported


def test_window_bounds_are_inclusive():
    assert (FIRST_DATE, LAST_DATE) == (D(1900, 1, 1), D(2200, 12, 31))
    assert in_window(D(1900, 1, 1)) and in_window(D(2200, 12, 31))
    assert not in_window(D(1899, 12, 31)) and not in_window(D(2201, 1, 1))


@pytest.mark.parametrize("section, field, value", [
    ("activities", "starts_on", "9999-12-31"),
    ("plan", "ends_on", "9999-12-31"),
    ("moments", "starts_on", "1800-01-01"),
    ("decisions", "decided_on", "0001-01-01"),
    ("observations", "observed_on", "1899-12-31"),
    ("embargoes", "not_after", "2201-01-01"),
    ("activities", "exdates", ["2027-03-16", "9999-12-31"]),
    ("activities", "recurrence", "FREQ=WEEKLY;UNTIL=99991231"),
    ("plan", "created_at", "9999-12-31T23:30:00+00:00"),
])
def test_import_plan_date_outside_window_is_refused_and_imports_nothing(session, document, section, field, value):
    broken = copy.deepcopy(document)
    (broken[section] if section == "plan" else broken[section][0])[field] = value
    with pytest.raises(DateOutOfRange, match=f"{section}.*{field}.*outside the dates the planner accepts"):
        import_plan(session, broken)
    session.rollback()
    assert (_count(session, Plan), _count(session, Activity), _count(session, Moment)) == (0, 0, 0)


def test_import_plan_checklist_due_date_outside_window_is_refused(session, document):
    broken = copy.deepcopy(document)
    broken["phases"][0]["items"][0]["due_on"] = "2201-01-01"
    with pytest.raises(DateOutOfRange, match=r"phases\[0\]\.items\[0\]\.due_on"):
        import_plan(session, broken)
    session.rollback()
    assert _count(session, Plan) == 0


def test_import_plan_boundary_dates_are_accepted(session, document):
    edge = copy.deepcopy(document)
    edge["plan"].update(starts_on="1900-01-01", ends_on="2200-12-31")
    edge["activities"][0].update(starts_on="1900-01-01", ends_on="2200-12-31", recurrence="", exdates=[])
    edge["moments"][0].update(starts_on="2200-12-31", ends_on=None)
    import_plan(session, edge)
    session.commit()
    activity = session.scalar(sa.select(Activity))
    assert (activity.starts_on, activity.ends_on) == (D(1900, 1, 1), D(2200, 12, 31))
    assert session.scalar(sa.select(Moment.starts_on)) == D(2200, 12, 31)


def _ics(*events: bytes) -> bytes:
    body = b"".join(b"BEGIN:VEVENT\r\nUID:%d\r\nDTSTAMP:20260101T000000Z\r\n%sEND:VEVENT\r\n" % (i, e)
                    for i, e in enumerate(events))
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\n" + body + b"END:VCALENDAR\r\n"


GOOD_EVENT = b"SUMMARY:Campagne\r\nDTSTART;VALUE=DATE:20270301\r\n"


@pytest.mark.parametrize("event, where", [
    (b"SUMMARY:Ver weg\r\nDTSTART;VALUE=DATE:99991231\r\n", "VEVENT 2 (Ver weg) DTSTART"),
    (b"SUMMARY:Lang geleden\r\nDTSTART;VALUE=DATE:18000101\r\n", "VEVENT 2 (Lang geleden) DTSTART"),
    (b"SUMMARY:Laatste nacht\r\nDTSTART:99991231T233000Z\r\n", "VEVENT 2 (Laatste nacht) DTSTART"),
    (b"SUMMARY:Te lang\r\nDTSTART;VALUE=DATE:22001230\r\nDTEND;VALUE=DATE:22010102\r\n", "VEVENT 2 (Te lang) DTEND"),
])
def test_ics_event_outside_window_is_refused(event, where):
    with pytest.raises(DateOutOfRange) as refused:
        parse_events(_ics(GOOD_EVENT, event))
    assert refused.value.where == where


def test_ics_event_on_the_window_edges_is_accepted():
    events = parse_events(_ics(b"SUMMARY:Begin\r\nDTSTART;VALUE=DATE:19000101\r\n",
                               b"SUMMARY:Eind\r\nDTSTART;VALUE=DATE:22001231\r\nDTEND;VALUE=DATE:22010101\r\n"))
    assert [(name, start, end) for name, start, end, _ in events] == [
        ("Begin", D(1900, 1, 1), None), ("Eind", D(2200, 12, 31), None)]


def _holidays(*regions: dict) -> dict:
    return {"content": [
        {"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie", "regions": [
            {"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "2031-01-05"}]}]},
        {"schoolyear": "2031-2032", "vacations": [{"type": "zomervakantie", "regions": list(regions)}]},
    ]}


@pytest.mark.parametrize("startdate, enddate", [
    ("2032-07-10", "9999-12-31"),
    ("9999-12-31T23:00:00.000Z", "9999-12-31T23:00:00.000Z"),
    ("1899-12-31", "2032-08-22"),
])
def test_school_holiday_date_outside_window_is_refused_and_imports_nothing(session, startdate, enddate):
    document = _holidays({"region": "zuid", "startdate": startdate, "enddate": enddate})
    with pytest.raises(DateOutOfRange, match=r"content\[1\]\.vacations\[0\]\.regions\[0\]"):
        import_school_holidays(session, document)
    session.rollback()
    assert _count(session, SchoolHoliday) == 0


def test_school_holiday_dates_on_the_window_edges_are_accepted():
    holidays = parse_open_data(_holidays({"region": "zuid", "startdate": "1900-01-01", "enddate": "2200-12-31"}))
    summer = next(h for h in holidays if h.school_year == "2031-2032")
    assert (summer.starts_on, summer.ends_on) == (D(1900, 1, 1), D(2200, 12, 31))


@pytest.mark.parametrize("rule, year, expected", [
    ({"kind": "date", "date": "02-29"}, 2028, (D(2028, 2, 29), D(2028, 2, 29))),
    ({"kind": "date", "date": "02-29"}, 2027, (D(2027, 2, 28), D(2027, 2, 28))),
    ({"kind": "date", "date": "02-20", "until": "02-29"}, 2027, (D(2027, 2, 20), D(2027, 2, 28))),
    ({"kind": "date", "date": "12-20", "until": "02-29"}, 2027, (D(2027, 12, 20), D(2028, 2, 29))),
    ({"kind": "week_containing", "date": "02-29"}, 2027, (D(2027, 2, 22), D(2027, 2, 28))),
    ({"kind": "date", "date": "02-29"}, 1900, (D(1900, 2, 28), D(1900, 2, 28))),
])
def test_observance_on_29_february_falls_on_28_february_in_other_years(rule, year, expected):
    assert dates_for(ObservanceDef("schrikkeldag", "Schrikkeldag", rule, ""), year) == expected
