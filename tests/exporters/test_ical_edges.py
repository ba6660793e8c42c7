"""iCalendar output at its edges: folding at every length and escape position, the time zone the feed declares,
the length of timed events, and the calendar's own lines."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.exporters.ical import FeedItem, _event, event_bytes
from tests.helpers import calendar_bytes

STAMP = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.timezone.utc)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def item(**fields):
    return FeedItem(**{"uid": "rand@planner", "summary": "Rand", "starts_on": dt.date(2027, 2, 1),
                       "last_modified": STAMP, **fields})


def unfolded(raw: bytes) -> list[str]:
    return raw.decode("utf-8").replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize("tail", ["", "\\", ",", ";", "\\,", "^", "é", "é\\", "🎉;"])
def test_lines_of_every_length_fold_as_icalendar_folds_them(tail):
    """Our writer and icalendar's agree wherever the fold falls: before, on and after octet 74, on an escape."""
    for length in range(55, 160):
        one = item(summary="x" * length + tail, description="y" * (length + 3) + tail)
        assert event_bytes(one) == _event(one).to_ical(), (length, tail)


def test_the_declared_time_zone_gives_amsterdam_s_offsets():
    raw = calendar_bytes("Plan", [item(start_time=dt.time(9))])
    declared = icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)  # its own rules
    moments = [dt.datetime(2027, month, 15, 12) for month in range(1, 13)]
    moments += [dt.datetime(2027, 3, 28, hour) + dt.timedelta(minutes=minute) for hour in (0, 1, 3, 4)
                for minute in (0, 59)]
    moments += [dt.datetime(2027, 10, 31, hour) + dt.timedelta(minutes=minute) for hour in (0, 1, 3, 4)
                for minute in (0, 59)]
    moments += [dt.datetime(year, 7, 1, 12) for year in (1996, 2000, 2040)]  # the EU rules since 1996
    for moment in moments:
        assert declared.utcoffset(moment) == AMSTERDAM.utcoffset(moment), moment
    # and the instants at which the clocks change, quarter by quarter of an hour around them
    for day in (dt.datetime(2027, 3, 28, tzinfo=dt.timezone.utc), dt.datetime(2027, 10, 31, tzinfo=dt.timezone.utc)):
        for quarter in range(16):
            instant = day + dt.timedelta(minutes=15 * quarter)
            assert instant.astimezone(declared).utcoffset() == instant.astimezone(AMSTERDAM).utcoffset(), instant
    # the offset each rule changes from: some clients (Outlook) read it to place the change, this parser does not
    zone = icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")[0]
    hours = dt.timedelta(hours=1)
    assert {rule.name: (rule["TZOFFSETFROM"].td, rule["TZOFFSETTO"].td) for rule in zone.subcomponents} == {
        "DAYLIGHT": (1 * hours, 2 * hours), "STANDARD": (2 * hours, 1 * hours)}


@pytest.mark.parametrize("recurrence", ["", "FREQ=WEEKLY;COUNT=2"])
@pytest.mark.parametrize("start, end, expected_end", [
    (dt.time(9), None, "T100000"),  # no end: an hour
    (dt.time(9), dt.time(9, 5), "T091500"),  # at least a quarter of an hour
    (dt.time(9), dt.time(9), "T091500"),
    (dt.time(9), dt.time(9, 20), "T092000"),
])
def test_a_timed_event_lasts_an_hour_without_an_end_and_at_least_a_quarter(start, end, expected_end, recurrence):
    raw = calendar_bytes("Plan", [item(start_time=start, end_time=end, recurrence=recurrence)])
    lines = unfolded(raw)
    assert "DTSTART;TZID=Europe/Amsterdam:20270201T090000" in lines
    assert f"DTEND;TZID=Europe/Amsterdam:20270201{expected_end}" in lines


@pytest.mark.parametrize("start, end, expected", [
    (dt.time(2, 30), None, ("20270328T013000Z", "20270328T023000Z")),  # the skipped hour, no end: an hour
    (dt.time(2, 30), dt.time(2, 35), ("20270328T013000Z", "20270328T014500Z")),
    (dt.time(1, 30), dt.time(2, 30), ("20270328T003000Z", "20270328T013000Z")),  # only the end is skipped
])
def test_a_timed_event_at_a_clock_change_is_sent_as_the_instants_meant(start, end, expected):
    raw = calendar_bytes("Plan", [item(starts_on=dt.date(2027, 3, 28), start_time=start, end_time=end)])
    lines = unfolded(raw)
    assert f"DTSTART:{expected[0]}" in lines and f"DTEND:{expected[1]}" in lines


def test_an_item_without_flags_is_a_first_confirmed_version():
    lines = unfolded(event_bytes(item()))
    assert "SEQUENCE:0" in lines and "STATUS:CONFIRMED" in lines


def test_the_time_zone_and_description_lines_appear_only_when_needed():
    all_day = calendar_bytes("Plan", [item()])
    timed = calendar_bytes("Plan", [item(start_time=dt.time(9))], description="Omschrijving")
    assert b"BEGIN:VTIMEZONE" not in all_day and b"X-WR-CALDESC" not in all_day
    assert b"BEGIN:VTIMEZONE" in timed and "X-WR-CALDESC:Omschrijving" in unfolded(timed)
