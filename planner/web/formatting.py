"""Jinja filters and globals: Dutch dates, amounts and translated enum labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime

from planner.web.translation import gettext, ngettext


def long_date(value: dt.date | None) -> str:
    """'maandag 16 november 2026'."""
    return "" if value is None else format_date(value, "EEEE d MMMM y")


def short_date(value: dt.date | None) -> str:
    """'ma 16 nov. 2026'."""
    return "" if value is None else format_date(value, "EEE d MMM y")


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return short_date(start)
    return gettext("%(start)s to %(end)s", start=short_date(start), end=short_date(end))


def month_name(value: dt.date) -> str:
    """'januari 2027'."""
    return format_date(value, "LLLL y")


def month_abbr(value: dt.date) -> str:
    """'nov.'."""
    return format_date(value, "MMM")


def week_titles(weeks: list[dt.date]) -> list[str]:
    """'week van ma 16 nov. 2026' for each Monday: made once per chart, not once per cell."""
    return [gettext("week of %(date)s", date=short_date(week)) for week in weeks]


def weekday(value: dt.date) -> str:
    """'ma'."""
    return format_date(value, "EEE")


def offset_text(count: int, unit) -> str:
    """'1 werkdag', '5 dagen': a count of days or working days, singular or plural."""
    if unit.value == "working_days":
        return ngettext("%(num)d working day", "%(num)d working days", count)
    return ngettext("%(num)d day", "%(num)d days", count)


def anchor_text(activity) -> str:
    """'5 werkdagen vóór de start van Week tegen Kindermishandeling'."""
    moment = activity.anchor_moment
    if moment is None:
        return ""
    offset, unit = activity.anchor_offset, activity.anchor_unit
    edge = gettext("the start of") if activity.anchor_edge.value == "start" else gettext("the end of")
    if offset == 0:
        return gettext("on %(edge)s %(moment)s", edge=edge, moment=moment.name)
    count = offset_text(abs(offset), unit)
    if offset < 0:
        return gettext("%(count)s before %(edge)s %(moment)s", count=count, edge=edge, moment=moment.name)
    return gettext("%(count)s after %(edge)s %(moment)s", count=count, edge=edge, moment=moment.name)


def euro(value: Decimal | None) -> str:
    return "" if value is None else format_currency(value, "EUR")


def label(member) -> str:
    """Translate the label of an enum member."""
    return "" if member is None else gettext(member.label)


def datetime_nl(value) -> str:
    """'23 nov 2026 14:05' in Dutch time."""
    return "" if value is None else format_datetime(value, "d MMM y HH:mm")


def clock(value: dt.time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def sentence(text: str) -> str:
    """'activiteit wijzigen' -> 'Activiteit wijzigen' (the rest is left as it is)."""
    return text[:1].upper() + text[1:]


def register_formatting(app: Flask) -> None:
    for name, fn in {"long_date": long_date, "short_date": short_date, "euro": euro, "label": label,
                     "clock": clock, "month_name": month_name, "month_abbr": month_abbr, "weekday": weekday, "datetime_nl": datetime_nl,
                     "sentence": sentence}.items():
        app.add_template_filter(fn, name)
    app.add_template_global(period, "period")
    app.add_template_global(week_titles, "week_titles")
    app.add_template_global(anchor_text, "anchor_text")
    app.add_template_global(offset_text, "offset_text")
