"""Dutch wall-clock times around the clock changes: which exist, which happen twice, which instant is meant."""

from __future__ import annotations

import datetime as dt
import enum

from planner.clock import AMSTERDAM


class ClockChange(enum.Enum):
    MISSING = "missing"    # skipped when the clocks go forward (last Sunday of March)
    REPEATED = "repeated"  # lived twice when the clocks go back (last Sunday of October)


def clock_change(day: dt.date, time: dt.time) -> ClockChange | None:
    """Whether `time` on `day` does not exist or happens twice in Dutch time."""
    first = dt.datetime.combine(day, time, tzinfo=AMSTERDAM)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(dt.timezone.utc).astimezone(AMSTERDAM)
    return ClockChange.REPEATED if back.replace(tzinfo=None) == first.replace(tzinfo=None) else ClockChange.MISSING


def meant_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """The UTC instant a Dutch wall-clock time stands for (RFC 5545 §3.3.5).

    A repeated time means its first occurrence; a missing time is read with the offset
    before the gap (02:30 on the day summer time starts is 01:30 UTC). zoneinfo's fold=0
    gives exactly that.
    """
    return dt.datetime.combine(day, time, tzinfo=AMSTERDAM).astimezone(dt.timezone.utc)


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """The last second of a Dutch day, in UTC."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=AMSTERDAM).astimezone(dt.timezone.utc)
