"""The iCalendar bytes a feed is made of: folding, escaping, statuses, periods and repetitions at their edges."""

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import HealthCheck, given, settings, strategies as st

from planner.domain.observances import ObservanceDef, dates_for
from planner.domain.recurrence import build_rule
from planner.exporters.ical import FeedItem
from tests.helpers import calendar_bytes

D = dt.date
STAMP = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.timezone.utc)
NASTY = "Één, twee; drie \\ vier 🎉 – "  # 26 characters: 2-, 3- and 4-octet characters and every TEXT escape
TITLE = (NASTY * 8)[:199] + "!"  # 200 characters


def escaped(text: str) -> str:
    """RFC 5545 TEXT escaping (3.3.11), written out independently of the code under test."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def unfolded(raw: bytes) -> list[str]:
    return raw.decode("utf-8").replace("\r\n ", "").split("\r\n")


ITEMS = {
    "all-day": dict(),  # the planner's own writer
    "timed": dict(start_time=dt.time(14), end_time=dt.time(15)),
    "repeating": dict(recurrence="FREQ=WEEKLY;COUNT=3"),  # through icalendar
    "clock change": dict(start_time=dt.time(2, 30), starts_on=D(2027, 3, 28)),  # through icalendar, UTC
}


@pytest.mark.parametrize("kind", ITEMS)
def test_long_title_with_emoji_and_escapes_is_folded_at_75_octets_between_characters(kind):
    fields = {"starts_on": D(2027, 2, 1), **ITEMS[kind]}
    item = FeedItem(uid="x@planner", summary=TITLE, last_modified=STAMP, description=f"{TITLE}\nTweede regel",
                    categories=("Poster, groot", f"Inwoners; {NASTY}"), **fields)
    raw = calendar_bytes(f"Plan {NASTY}", [item], description="Communicatiekalender")
    physical = raw.split(b"\r\n")
    assert physical[-1] == b""
    for line in physical[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never falls inside a character
    lines = unfolded(raw)
    assert f"SUMMARY:{escaped(TITLE)}" in lines
    assert f"DESCRIPTION:{escaped(TITLE)}\\nTweede regel" in lines
    # a comma inside one category would split it in two: it becomes a space (and spaces are folded into one)
    assert "CATEGORIES:Poster groot,Inwoners\\; Één twee\\; drie \\\\ vier 🎉 –" in lines
    assert f"NAME:{escaped('Plan ' + NASTY)}" in lines and f"X-WR-CALNAME:{escaped('Plan ' + NASTY)}" in lines
    assert not any(line.startswith("LOCATION") for line in lines), "the planner sends no location"
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == TITLE and str(event["DESCRIPTION"]) == f"{TITLE}\nTweede regel"
    assert vobject.readOne(raw.decode("utf-8")).vevent.summary.value == TITLE


@pytest.mark.parametrize("tentative, cancelled, status", [
    (True, False, "TENTATIVE"), (False, False, "CONFIRMED"), (False, True, "CANCELLED"), (True, True, "CANCELLED")])
def test_status_line(tentative, cancelled, status):
    item = FeedItem(uid="s@planner", summary="S", starts_on=D(2027, 2, 1), last_modified=STAMP, tentative=tentative,
                    cancelled=cancelled)
    assert f"STATUS:{status}" in unfolded(calendar_bytes("P", [item]))


times = st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.dates(D(2026, 1, 1), D(2029, 12, 31)), length=st.one_of(st.none(), st.integers(0, 20)),
       start_time=times, end_time=times)
def test_dtend_always_lies_after_dtstart(start, length, start_time, end_time):
    if start_time is None:
        end_time = None
    item = FeedItem(uid="p@planner", summary="P", starts_on=start, last_modified=STAMP,
                    ends_on=None if length is None else start + dt.timedelta(days=length),
                    start_time=start_time, end_time=end_time)
    event = icalendar.Calendar.from_ical(calendar_bytes("P", [item])).walk("VEVENT")[0]
    begins, ends = event.decoded("DTSTART"), event.decoded("DTEND")
    assert ends > begins
    if start_time is None:
        assert ends == (item.ends_on or start) + dt.timedelta(days=1)


@pytest.mark.parametrize("start_time", [None, dt.time(19, 30), dt.time(23, 45)])
def test_a_repetition_until_the_plans_last_day_includes_that_day(start_time):
    plan_ends = D(2027, 6, 30)  # a Wednesday, in summer time
    rule = build_rule("weekly", until=plan_ends)
    item = FeedItem(uid="r@planner", summary="Wekelijks", starts_on=D(2027, 6, 2), last_modified=STAMP,
                    recurrence=rule, start_time=start_time)
    raw = calendar_bytes("P", [item])
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(raw)).between(D(2027, 5, 1), D(2027, 8, 1))
    days = sorted(e.decoded("DTSTART") if start_time is None else e.decoded("DTSTART").date() for e in events)
    assert days == [D(2027, 6, 2), D(2027, 6, 9), D(2027, 6, 16), D(2027, 6, 23), plan_ends]
    theirs = vobject.readOne(raw.decode("utf-8")).vevent.getrruleset()
    assert max(d if isinstance(d, dt.date) and not isinstance(d, dt.datetime) else d.date() for d in theirs) == plan_ends


@pytest.mark.parametrize("year, start, end", [
    (2026, D(2026, 12, 20), D(2027, 1, 5)), (2027, D(2027, 12, 20), D(2028, 1, 5)),
    (2028, D(2028, 12, 20), D(2029, 1, 5))])
def test_an_observance_crossing_new_year_ends_after_it_starts(year, start, end):
    definition = ObservanceDef(key="winteractie", name="Winteractie", rule={"kind": "date", "date": "12-20",
                                                                             "until": "01-05"}, source="test")
    assert dates_for(definition, year) == (start, end)
    same_year = ObservanceDef(key="zomer", name="Zomer", rule={"kind": "date", "date": "07-01", "until": "07-05"},
                              source="test")
    assert dates_for(same_year, year) == (D(year, 7, 1), D(year, 7, 5))
