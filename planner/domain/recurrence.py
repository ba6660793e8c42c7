"""Recurring activities: RFC 5545 recurrence rules (via dateutil) with excluded dates.

A stored rule belongs to the activity's date (a DATE), so its UNTIL is a DATE: the last day
of "herhalen tot en met". Where the rule is written beside a DTSTART with a time zone (the
feeds), UNTIL becomes a UTC instant (RFC 5545 §3.3.10): see `rule_with_until`.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

from planner.clock import AMSTERDAM
from planner.domain.localtime import end_of_day_utc

ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_OCCURRENCES = 400
# Dates to skip: enough for a daily series of ten years (every weekend, every holiday), and no more.
MAX_EXDATES = 3660
ANY_UNTIL = re.compile(r"UNTIL=(\d{8})")
UTC_UNTIL = re.compile(r"UNTIL=(\d{8})T(\d{6})Z", re.IGNORECASE)


class RecurrenceError(ValueError):
    """A recurrence rule the planner does not accept."""


def parse_rule(text: str, starts_on: dt.date):
    """Parse an RRULE value ('FREQ=WEEKLY;COUNT=6') anchored at `starts_on`."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > 200 or any(ch in text for ch in "\r\n"):
        raise RecurrenceError("a recurrence rule is one RRULE line of at most 200 characters")
    text = UTC_UNTIL.sub(_local_until, text)
    try:
        rule = rrulestr(text, dtstart=dt.datetime.combine(starts_on, dt.time()))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"not a valid RRULE: {exc}") from None
    if rule._freq not in ALLOWED_FREQUENCIES:
        raise RecurrenceError("only daily, weekly, monthly and yearly repetition is supported")
    return rule


def _local_until(match: re.Match) -> str:
    """A UTC UNTIL (as a feed or another tool writes it) read as the Dutch date it falls on."""
    try:
        instant = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return match[0]  # left for rrulestr to refuse
    return f"UNTIL={instant.astimezone(AMSTERDAM):%Y%m%d}"


def rule_with_until(rule: dict, timed: bool) -> dict:
    """An RRULE (icalendar's vRecur) whose UNTIL fits its DTSTART.

    Beside a timed DTSTART with TZID, UNTIL must be UTC: the end of the last Dutch day, so
    that the occurrence on that day is included by every client. Beside an all-day DTSTART
    it must be a DATE.
    """
    until = rule.get("UNTIL")
    if not until:
        return rule
    value = until[0]
    if timed and not isinstance(value, dt.datetime):
        rule["UNTIL"] = [end_of_day_utc(value)]
    elif not timed and isinstance(value, dt.datetime):
        rule["UNTIL"] = [value.astimezone(AMSTERDAM).date() if value.tzinfo else value.date()]
    return rule


def build_rule(frequency: str, interval: int = 1, until: dt.date | None = None, count: int | None = None) -> str:
    """Compose an RRULE value from form fields (UNTIL is a DATE: the rule belongs to a date)."""
    parts = [f"FREQ={frequency.upper()}"]
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    if until is not None:
        parts.append(f"UNTIL={until.strftime('%Y%m%d')}")
    elif count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def shifted(recurrence: str, exdates, delta: dt.timedelta) -> tuple[str, list[str]]:
    """The rule and skipped dates of a repeating activity moved by `delta` along with it: UNTIL and each skipped
    date move too."""
    rule = ANY_UNTIL.sub(lambda m: "UNTIL=" + f"{dt.datetime.strptime(m.group(1), '%Y%m%d').date() + delta:%Y%m%d}",
                           recurrence or "")
    return rule, [(dt.date.fromisoformat(d) + delta).isoformat() for d in exdates or []]


def occurrence_dates(starts_on: dt.date, recurrence: str, exdates, window_end: dt.date) -> list[dt.date]:
    """Every date the activity takes place, up to `window_end`, without its excluded dates."""
    if not recurrence:
        return [starts_on]
    excluded = {dt.date.fromisoformat(d) if isinstance(d, str) else d for d in exdates or []}
    dates = []
    for moment in parse_rule(recurrence, starts_on):
        day = moment.date()
        if day > window_end or len(dates) >= MAX_OCCURRENCES:
            break
        if day not in excluded:
            dates.append(day)
    return dates


def activity_dates(activity, window_end: dt.date) -> list[dt.date]:
    return occurrence_dates(activity.starts_on, activity.recurrence, activity.exdates, window_end)
