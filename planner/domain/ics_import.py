"""Turn the events of an uploaded .ics file (a national campaign's dates) into moments of a plan."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from planner.domain.codecs import DateOutOfRange, DocumentError, check_window
from planner.enums import MomentKind
from planner.exporters.ical import clean
from planner.i18n import gettext as _
from planner.models import Moment, Plan

MAX_BYTES = 1024 * 1024
MAX_EVENTS = 500
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _as_date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(AMSTERDAM)
            except OverflowError:  # year 1 or 9999: far outside the window anyway
                raise DateOutOfRange(where, value.date()) from None
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise DocumentError(f"{where}: a date is missing or unreadable")


def parse_events(raw: bytes) -> list[tuple[str, dt.date, dt.date | None, str]]:
    """(name, start, inclusive end or None, description) for every VEVENT; DocumentError when unreadable."""
    if len(raw) > MAX_BYTES:
        raise DocumentError("the file is larger than 1 MB")
    try:
        calendar = Calendar.from_ical(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, IndexError, KeyError, TypeError) as exc:
        raise DocumentError(f"not a valid iCalendar file ({exc.__class__.__name__})") from None
    if calendar.name != "VCALENDAR":
        raise DocumentError("not a VCALENDAR")
    events = calendar.walk("VEVENT")
    if not events:
        raise DocumentError("the file contains no events")
    if len(events) > MAX_EVENTS:
        raise DocumentError(f"more than {MAX_EVENTS} events")
    result = []
    for number, event in enumerate(events, start=1):
        name = " ".join(clean(str(event.get("SUMMARY", ""))).split())[:200]
        if not name:
            raise DocumentError(f"VEVENT {number} has no SUMMARY")
        label = f"VEVENT {number} ({name})"
        try:
            start_value = event.decoded("DTSTART")
        except (KeyError, ValueError):
            raise DocumentError(f"{label} has no readable DTSTART") from None
        start = check_window(_as_date(start_value, f"{label} DTSTART"), f"{label} DTSTART")
        end = None
        if "DTEND" in event:
            try:
                end_value = event.decoded("DTEND")
            except ValueError:
                raise DocumentError(f"{label} has an unreadable DTEND") from None
            end = _as_date(end_value, f"{label} DTEND")
            exclusive = not isinstance(end_value, dt.datetime)  # DTEND of an all-day event is exclusive
            if end < start or (exclusive and end == start):
                raise DocumentError(f"{label} ends before it starts")
            end = check_window(end - dt.timedelta(days=1) if exclusive else end, f"{label} DTEND")
            end = end if end > start else None
        description = clean(str(event.get("DESCRIPTION", "")))[:5000]
        result.append((name, start, end, description))
    return result


def import_moments(plan: Plan, raw: bytes, source: str) -> list[Moment]:
    """Add a moment per event; validate everything first so that a bad file adds nothing."""
    events = parse_events(raw)
    moments = [Moment(name=name, kind=MomentKind.CAMPAIGN, starts_on=start, ends_on=end,
                      description=(description + "\n" if description else "") + _("Imported from %(source)s",
                                                                                        source=source))
               for name, start, end, description in events]
    plan.moments.extend(moments)
    return moments
