"""The one clock: every "now" and "today" of web, CLI, scheduler, documents and feeds comes from here.

Instants are aware UTC; "today" is the date in the Netherlands, whatever the server's zone,
so that the web, the command line and the scheduler agree around midnight. Tests move this
clock with time-machine rather than replacing these functions.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE_NAME = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TIMEZONE_NAME)


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def local_now() -> dt.datetime:
    """The current instant, aware, in Dutch time."""
    return now().astimezone(AMSTERDAM)


def today() -> dt.date:
    """Today's date in the Netherlands."""
    return local_now().date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the Netherlands, as an aware instant."""
    return dt.datetime.combine(day, dt.time(), tzinfo=AMSTERDAM)
