"""The planner's date window on the web: a form validator, the messages, and dates in the address."""

from __future__ import annotations

import datetime as dt
import re

from flask import request
from flask_babel import format_date, gettext as _
from werkzeug.exceptions import BadRequest
from wtforms.validators import ValidationError

from planner.domain.codecs import DateOutOfRange
from planner.domain.dates import FIRST_DATE, LAST_DATE, in_window, year_in_window
from planner.web.formatting import month_name

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
YEAR = re.compile(r"[0-9]{4}")


class BadParameter(BadRequest):
    """A value in the address that the page cannot show; `description` is the translated message."""


def window_bounds() -> dict[str, str]:
    """The first and last accepted date, written out in the user's language ('1 januari 1900')."""
    return {"first": format_date(FIRST_DATE, "long"), "last": format_date(LAST_DATE, "long")}


def date_in_window(form, field) -> None:
    """WTForms validator: the date, when there is one, lies in the window."""
    if field.data is not None and not in_window(field.data):
        raise ValidationError(_("Enter a date from %(first)s to %(last)s.", **window_bounds()))


def refused_upload(exc: DateOutOfRange) -> str:
    """Say which date of an uploaded file lies outside the window, and that nothing was imported."""
    return _("The file contains the date %(date)s (%(where)s), outside the dates the planner accepts: "
             "%(first)s to %(last)s. Nothing was imported.", date=exc.day.isoformat(), where=exc.where,
             **window_bounds())


def _shown(name: str) -> str:
    return f"{name}={request.args[name][:40]}"


def date_arg(name: str) -> dt.date | None:
    """The date YYYY-MM-DD in the query parameter `name`; None when absent; BadParameter when it does not fit."""
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value) if DAY.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None or not in_window(day):
        raise BadParameter(_("The address gives %(given)s, which is not a date from %(first)s to %(last)s "
                             "written as YYYY-MM-DD.", given=_shown(name), **window_bounds()))
    return day


def month_arg(name: str) -> tuple[int, int] | None:
    """(year, month) from YYYY-MM in the query parameter `name`; None when absent; BadParameter otherwise."""
    value = request.args.get(name, "")
    if not value:
        return None
    match = MONTH.fullmatch(value)
    if match is None or not 1 <= int(match[2]) <= 12 or not year_in_window(int(match[1])):
        raise BadParameter(_("The address gives %(given)s, which is not a month from %(first)s to %(last)s "
                             "written as YYYY-MM.", given=_shown(name), first=month_name(FIRST_DATE),
                             last=month_name(LAST_DATE)))
    return int(match[1]), int(match[2])


def year_arg(name: str) -> int | None:
    """The year in the query parameter `name`; None when absent; BadParameter when it does not fit."""
    value = request.args.get(name, "")
    if not value:
        return None
    if not YEAR.fullmatch(value) or not year_in_window(int(value)):
        raise BadParameter(_("The address gives %(given)s, which is not a year from %(first)d to %(last)d.",
                             given=_shown(name), first=FIRST_DATE.year, last=LAST_DATE.year))
    return int(value)
