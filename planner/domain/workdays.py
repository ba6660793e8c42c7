"""Working-day arithmetic: weekends and Dutch public holidays (from the holidays library) are skipped."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from planner.enums import OffsetUnit

MAX_WORKING_DAY_STEPS = 5 * 366


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Dutch public holidays of `year` with their Dutch names."""
    import holidays  # loads every country's calendar (about 0.1 s): only what needs public holidays pays for it

    return dict(holidays.Netherlands(years=year, language="nl"))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """Move `count` working days from `day` (negative: back). Zero returns `day` itself."""
    if abs(count) > MAX_WORKING_DAY_STEPS:
        raise ValueError("offset too large")
    step = dt.timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def shift(day: dt.date, offset: int, unit: OffsetUnit) -> dt.date:
    """Move `day` by `offset` calendar days or working days."""
    if unit == OffsetUnit.WORKING_DAYS:
        return add_working_days(day, offset)
    return day + dt.timedelta(days=offset)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The offset n with add_working_days(start, n) == end, for a working day `end`."""
    if end >= start:
        return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))
    return -sum(1 for n in range((start - end).days) if is_working_day(end + dt.timedelta(days=n)))
