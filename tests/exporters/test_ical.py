"""The iCalendar builder, read back by two independent parsers (icalendar and vobject)."""

import datetime as dt

import icalendar
import pytest
import vobject

from planner.exporters.ical import FeedItem, build_calendar, serialize

STAMP = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.timezone.utc)


def feed(*items, name="Plan"):
    return serialize(build_calendar(name, list(items)))


def parse_both(raw: bytes):
    return icalendar.Calendar.from_ical(raw), vobject.readOne(raw.decode("utf-8"))


def test_calendar_header_follows_rfc5545_and_7986():
    raw = feed(FeedItem("a@planner", "Bericht", dt.date(2027, 1, 11), STAMP, start_time=dt.time(10)))
    text = raw.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    for line in ("PRODID:-//planner//Communicatieplanner//NL", "METHOD:PUBLISH", "NAME:Plan", "X-WR-CALNAME:Plan",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"):
        assert f"\r\n{line}\r\n" in text
    calendar_lines = text.split("BEGIN:VTIMEZONE")[0]
    assert "\r\nUID:" not in calendar_lines, "no UID on the VCALENDAR"
    assert text.count("BEGIN:VTIMEZONE") == 1 and text.count("BEGIN:DAYLIGHT") == 1 and text.count("BEGIN:STANDARD") == 1
    assert "VALARM" not in text
    assert all(line.endswith("\r") for line in text.split("\n")[:-1]), "every line ends in CRLF"
    assert all(len(line.encode()) <= 76 for line in text.split("\n")), "lines are folded at 75 octets"


@pytest.mark.parametrize("day, hour, utc_hour", [
    (dt.date(2027, 3, 27), 10, 9),   # Saturday before the switch to summer time: UTC+1
    (dt.date(2027, 3, 28), 10, 8),   # last Sunday of March: UTC+2 from 02:00
    (dt.date(2027, 10, 30), 10, 8),  # Saturday before the switch back: UTC+2
    (dt.date(2027, 10, 31), 10, 9),  # last Sunday of October: UTC+1 from 03:00
])
def test_timed_events_keep_their_wall_time_around_the_clock_changes(day, hour, utc_hour):
    raw = feed(FeedItem("t@planner", "Overleg", day, STAMP, start_time=dt.time(hour), end_time=dt.time(hour + 1)))
    assert f"DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%d}T{hour:02d}0000" in raw.decode()
    ours, theirs = parse_both(raw)
    start = theirs.vevent.dtstart.value
    assert start.astimezone(dt.timezone.utc).hour == utc_hour
    assert ours.walk("VEVENT")[0].decoded("DTSTART").astimezone(dt.timezone.utc).hour == utc_hour


def test_all_day_items_use_dates_with_an_exclusive_end():
    raw = feed(FeedItem("d@planner", "Themaweek", dt.date(2027, 11, 15), STAMP, ends_on=dt.date(2027, 11, 21)))
    assert "DTSTART;VALUE=DATE:20271115" in raw.decode() and "DTEND;VALUE=DATE:20271122" in raw.decode()
    _, theirs = parse_both(raw)
    assert theirs.vevent.dtstart.value == dt.date(2027, 11, 15)
    assert theirs.vevent.dtend.value == dt.date(2027, 11, 22)


def test_same_items_give_byte_identical_output():
    items = [FeedItem("b@planner", "B", dt.date(2027, 2, 1), STAMP), FeedItem("a@planner", "A", dt.date(2027, 2, 1), STAMP)]
    assert feed(*items) == feed(*reversed(items))
    assert "DTSTAMP:20270105T093000Z" in feed(*items).decode()


@pytest.mark.parametrize("text", [
    "Line\r\nBEGIN:VEVENT", "a;b,c\\d", "tab\tand \x00nul \x07bell \x1bescape", "emoji 🎉 and العربية",
    "END:VCALENDAR", "x" * 5000,
])
def test_user_text_cannot_break_a_line_or_inject_a_property(text):
    raw = feed(FeedItem("i@planner", text, dt.date(2027, 2, 1), STAMP, description=text, categories=(text,)))
    ours, theirs = parse_both(raw)
    assert len(ours.walk("VEVENT")) == 1 and len(theirs.contents["vevent"]) == 1
    lines = raw.decode().split("\r\n")
    assert lines.count("END:VCALENDAR") == 1 and lines.count("BEGIN:VEVENT") == 1
    assert not any(ord(ch) < 32 and ch not in "\r\n\t" for ch in raw.decode()), "no control characters"
    assert theirs.vevent.uid.value == "i@planner"
    expected = "".join(ch for ch in text.replace("\r\n", "\n") if ch in "\n\t" or ord(ch) >= 32)
    assert theirs.vevent.description.value == expected


def test_recurrence_and_cancellation():
    raw = feed(
        FeedItem("r@planner", "Nieuwsbrief", dt.date(2027, 1, 14), STAMP, recurrence="FREQ=WEEKLY;COUNT=4",
                 exdates=(dt.date(2027, 1, 21),)),
        FeedItem("c@planner", "Geschrapt", dt.date(2027, 1, 15), STAMP, sequence=3, cancelled=True),
    )
    ours, theirs = parse_both(raw)
    recurring = next(e for e in theirs.contents["vevent"] if e.uid.value == "r@planner")
    dates = [d.date() if isinstance(d, dt.datetime) else d for d in recurring.getrruleset()]
    assert dates == [dt.date(2027, 1, 14), dt.date(2027, 1, 28), dt.date(2027, 2, 4)]
    cancelled = next(e for e in ours.walk("VEVENT") if str(e["UID"]) == "c@planner")
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 3
