"""Working-day arithmetic: weekends and Dutch public holidays (from the holidays library) are skipped."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from planner.enums import OffsetUnit

MAX_WORKING_DAY_STEPS = 5 * 366


# The library's answers for every year the planner accepts, written by scripts/public_holidays.py (a test
# holds the file to the installed library).
PUBLIC_HOLIDAYS_FILE = Path(__file__).resolve().parent.parent / "data" / "public_holidays_nl.json"


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Dutch public holidays of `year` with their Dutch names."""
    known = _shipped_public_holidays().get(str(year))
    if known is None:
        return library_public_holidays(year)
    return {dt.date.fromisoformat(day): name for day, name in known.items()}


@lru_cache(maxsize=1)
def _shipped_public_holidays() -> dict[str, dict[str, str]]:
    try:
        return json.loads(PUBLIC_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def library_public_holidays(year: int) -> dict[dt.date, str]:
    """Dutch public holidays of `year` as the holidays library has them."""
    import holidays  # loads every country's calendar (about 0.1 s): only what needs it pays for it

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
