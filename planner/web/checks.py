"""Run the calendar checks for a page: today in the Netherlands, school holidays from the database."""

from __future__ import annotations

from typing import Callable, TypeVar

from flask import current_app
from flask_babel import gettext

from planner import clock
from planner.domain.checks import check_plan, summary
from planner.domain.school_holidays import all_holidays
from planner.web.database import get_session
from planner.web.formatting import short_date

T = TypeVar("T")


def cached(plan, name: str, compute: Callable[[], T], daily: bool = False) -> T:
    """`compute()` for this plan, reused until the plan changes (or, when `daily`, the day turns)."""
    return current_app.extensions["planner.plan_cache"].get(
        get_session(), plan, name, compute, clock.today() if daily else None)


def findings_for(plan):
    """The plan's findings as (finding, Dutch text) pairs, and their counts."""
    today = clock.today()
    findings = cached(plan, "findings", lambda: check_plan(plan, today, all_holidays(get_session())), daily=True)
    rendered = [(f, f.text(gettext, short_date)) for f in findings]
    return rendered, summary(findings)
