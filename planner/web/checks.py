"""Run the calendar checks for a page: today in the Netherlands, school holidays from the database."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from planner import clock
from planner.domain.checks import summary
from planner.domain.school_holidays import all_holidays
from planner.web.database import get_session
from planner.web.formatting import short_date


def findings_for(plan):
    """The plan's findings as (finding, Dutch text) pairs, and their counts."""
    session = get_session()
    findings = current_app.extensions["planner.findings_cache"].findings(
        session, plan, clock.today(), lambda: all_holidays(session))
    rendered = [(f, f.text(gettext, short_date)) for f in findings]
    return rendered, summary(findings)
