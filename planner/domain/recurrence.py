"""Recurring activities: RFC 5545 recurrence rules (via dateutil) with excluded dates."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_OCCURRENCES = 400


class RecurrenceError(ValueError):
    """A recurrence rule the planner does not accept."""


def parse_rule(text: str, starts_on: dt.date):
    """Parse an RRULE value ('FREQ=WEEKLY;COUNT=6') anchored at `starts_on`."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > 200 or any(ch in text for ch in "\r\n"):
        raise RecurrenceError("a recurrence rule is one RRULE line of at most 200 characters")
    try:
        rule = rrulestr(text, dtstart=dt.datetime.combine(starts_on, dt.time()))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"not a valid RRULE: {exc}") from None
    if rule._freq not in ALLOWED_FREQUENCIES:
        raise RecurrenceError("only daily, weekly, monthly and yearly repetition is supported")
    return rule


def build_rule(frequency: str, interval: int = 1, until: dt.date | None = None, count: int | None = None) -> str:
    """Compose an RRULE value from form fields."""
    parts = [f"FREQ={frequency.upper()}"]
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    if until is not None:
        parts.append(f"UNTIL={until.strftime('%Y%m%d')}")
    elif count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


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
