"""Build RFC 5545 / RFC 7986 calendars with the icalendar library.

The output is deterministic: DTSTAMP is the item's last change, there is no UID on the
VCALENDAR, and items come in a stable order, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur, vText

from planner.clock import AMSTERDAM, TIMEZONE_NAME as TZID
from planner.domain.localtime import clock_change, meant_instant
from planner.domain.recurrence import rule_with_until

PRODID = "-//planner//Communicatieplanner//NL"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class FeedItem:
    uid: str
    summary: str
    starts_on: dt.date
    last_modified: dt.datetime
    sequence: int = 0
    ends_on: dt.date | None = None            # inclusive last day
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    description: str = ""
    categories: tuple[str, ...] = ()
    cancelled: bool = False
    tentative: bool = False
    url: str = ""
    recurrence: str = ""
    exdates: tuple[dt.date, ...] = field(default=())


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def clean(text: str) -> str:
    """Remove control characters (CR included) that no calendar text may carry."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@lru_cache(maxsize=1)
def amsterdam_timezone() -> Timezone:
    """One VTIMEZONE with yearly rules, as Outlook reads it (built once)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _event(item: FeedItem) -> Event:
    event = Event()
    stamp = item.last_modified.astimezone(dt.timezone.utc).replace(microsecond=0)
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", item.sequence)
    event.add("summary", _one_line(item.summary))
    last_day = item.ends_on or item.starts_on
    if item.start_time is None:
        event.add("dtstart", item.starts_on)
        event.add("dtend", last_day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start, end = _local_times(item, last_day)
        if not item.recurrence and _around_clock_change(item, last_day):
            # Clients disagree on a local time that is skipped or lived twice: send the instant meant.
            start = meant_instant(item.starts_on, item.start_time)
            end = max(meant_instant(last_day, item.end_time) if item.end_time else start + dt.timedelta(hours=1),
                      start + dt.timedelta(minutes=15))
        event.add("dtstart", start)
        event.add("dtend", end)
    if item.recurrence:
        event.add("rrule", rule_with_until(vRecur.from_ical(item.recurrence), timed=item.start_time is not None))
        if item.exdates:
            if item.start_time is None:
                event.add("exdate", list(item.exdates))
            else:
                event.add("exdate", [dt.datetime.combine(d, item.start_time, tzinfo=AMSTERDAM) for d in item.exdates])
    if item.description:
        event.add("description", clean(item.description))
    if item.categories:
        event.add("categories", [_one_line(c.replace(",", " ")) for c in item.categories])
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "TENTATIVE" if item.tentative else "CONFIRMED")
    return event


def _escape(text: str) -> str:
    """TEXT escaping exactly as icalendar does it (RFC 5545 3.3.11)."""
    return (text.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line exactly as icalendar does (at most 74 octets a piece, never splitting a TEXT escape)."""
    if not line.isascii():
        return _fold_by_octets(line)
    if len(line) <= 74:
        return line
    pieces, start = [], 0
    while len(line) - start > 74:
        end = start + 74
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def _fold_by_octets(line: str) -> str:
    """`_fold` for lines with characters of more than one octet in UTF-8 (icalendar's algorithm: pieces of at
    most 74 octets, never cut inside a character, an escape's backslash or caret carried to the next piece)."""
    data = line.encode("utf-8", "surrogatepass")
    pieces, start = [], 0
    while len(data) - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # a continuation octet: the character began before
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end].decode("utf-8", "surrogatepass"))
        start = end
    pieces.append(data[start:].decode("utf-8", "surrogatepass"))
    return "\r\n ".join(pieces)


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime's %Y does not pad years before 1000


def _local(moment: dt.datetime) -> str:
    return f"{_date(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


def _utc(moment: dt.datetime) -> str:
    return _local(moment.astimezone(dt.timezone.utc)) + "Z"


def event_bytes(item: FeedItem) -> bytes:
    """The bytes icalendar makes of `_event(item)`, written directly (icalendar's component machinery is most
    of a feed's build time). Items with a repeat rule or a time near a clock change, which need icalendar's
    handling of rules and instants, are left to icalendar. A test compares both over whole feeds."""
    last_day = item.ends_on or item.starts_on
    if item.recurrence or (item.start_time is not None and _around_clock_change(item, last_day)):
        return _event(item).to_ical()
    stamp = _utc(item.last_modified.replace(microsecond=0))
    if item.start_time is None:
        start = f"DTSTART;VALUE=DATE:{_date(item.starts_on)}"
        end = f"DTEND;VALUE=DATE:{_date(last_day + dt.timedelta(days=1))}"
    else:
        begins, ends = _local_times(item, last_day)
        start = f"DTSTART;TZID={TZID}:{_local(begins)}"
        end = f"DTEND;TZID={TZID}:{_local(ends)}"
    lines = ["BEGIN:VEVENT", "SUMMARY:" + _escape(_one_line(item.summary)), start, end,
             "DTSTAMP:" + stamp, "UID:" + _escape(item.uid), f"SEQUENCE:{item.sequence}"]
    if item.categories:
        lines.append("CATEGORIES:" + ",".join(_escape(_one_line(c.replace(",", " "))) for c in item.categories))
    if item.description:
        lines.append("DESCRIPTION:" + _escape(clean(item.description)))
    lines.append("LAST-MODIFIED:" + stamp)
    lines.append("STATUS:" + ("CANCELLED" if item.cancelled else "TENTATIVE" if item.tentative else "CONFIRMED"))
    if item.start_time is None:
        lines.append("TRANSP:TRANSPARENT")
    if item.url:
        lines.append("URL:" + item.url)
    lines.append("END:VEVENT")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _local_times(item: FeedItem, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end in Dutch time: an hour when no end is given, at least a quarter of an hour."""
    start = dt.datetime.combine(item.starts_on, item.start_time, tzinfo=AMSTERDAM)
    end = dt.datetime.combine(last_day, item.end_time, tzinfo=AMSTERDAM) if item.end_time is not None \
        else start + dt.timedelta(hours=1)
    return start, max(end, start + dt.timedelta(minutes=15))


def _around_clock_change(item: FeedItem, last_day: dt.date) -> bool:
    return clock_change(item.starts_on, item.start_time) is not None or (
        item.end_time is not None and clock_change(last_day, item.end_time) is not None)


def _calendar(name: str, description: str, timed: bool) -> Calendar:
    """The calendar's own properties, and the time zone when any item has a time of day."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # TEXT values: vText escapes the commas, semicolons and backslashes of a name.
    calendar.add("name", vText(clean(name)))
    calendar.add("x-wr-calname", vText(clean(name)))
    if description:
        calendar.add("x-wr-caldesc", vText(clean(description)))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(dt.timedelta(hours=1)))
    if timed:
        calendar.add_component(amsterdam_timezone())
    return calendar


def _in_order(items: list[FeedItem]) -> list[FeedItem]:
    return sorted(items, key=lambda i: (i.starts_on, i.uid))


def build_calendar(name: str, items: list[FeedItem], description: str = "") -> Calendar:
    """A publishable calendar of `items`, refreshed hourly by clients that honour the hint: icalendar's model of
    a feed, the reference the tests hold the feed builds (planner.domain.feed_builds) to, byte for byte."""
    calendar = _calendar(name, description, any(item.start_time is not None for item in items))
    for item in _in_order(items):
        calendar.add_component(_event(item))
    return calendar


def serialize(calendar: Calendar) -> bytes:
    """The one place a calendar becomes bytes (CRLF line ends, 75-octet folding)."""
    return calendar.to_ical()


END = b"END:VCALENDAR\r\n"


def item_key(item: FeedItem) -> bytes:
    """A digest of everything an item's event is made of: equal items give equal event bytes."""
    return hashlib.sha256(repr(item).encode("utf-8")).digest()


def assemble(name: str, description: str, timed: bool, events: Iterable[bytes]) -> bytes:
    """A calendar of already serialized events (in order): a calendar's bytes are its own lines followed by
    each component's bytes, so this equals serializing the whole calendar at once."""
    head = serialize(_calendar(name, description, timed))
    return b"".join([head[:-len(END)], *events, END])
