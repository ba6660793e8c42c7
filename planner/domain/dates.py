"""The window of dates the planner accepts, whichever way a date comes in (forms, imports, addresses)."""

from __future__ import annotations

import datetime as dt

# Wide enough for any campaign and its history; narrow enough that shifting a plan by a year, padding a
# calendar to whole weeks or converting between time zones never leaves what Python's dates can hold.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


def in_window(day: dt.date) -> bool:
    """Tell whether `day` (a date or the date of a datetime) lies between FIRST_DATE and LAST_DATE inclusive."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return FIRST_DATE <= day <= LAST_DATE


def year_in_window(year: int) -> bool:
    return FIRST_DATE.year <= year <= LAST_DATE.year
