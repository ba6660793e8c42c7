"""Run the calendar checks for a page: today in the Netherlands, school holidays from the database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable, TypeVar

from flask import current_app, flash, url_for
from flask_babel import gettext

from planner import clock
from planner.domain.checks import check_plan, summary
from planner.domain.plan_cache import plan_stamp
from planner.domain.plans import get_plan, plan_contents
from planner.domain.school_holidays import all_holidays
from planner.web.database import get_session
from planner.web.formatting import short_date

T = TypeVar("T")


def cached(plan, name: str, compute: Callable[[], T], daily: bool = False, stamp_of=plan_stamp) -> T:
    """`compute()` for this plan, reused until the plan changes as `stamp_of` sees it (or, when `daily`, the
    day turns)."""
    return current_app.extensions["planner.plan_cache"].get(
        get_session(), plan, name, compute, clock.today() if daily else None, stamp_of)


class RenderedFindings(Sequence):
    """Findings as (finding, Dutch text) pairs; a text is made only when its finding is shown."""

    def __init__(self, findings):
        self.findings = findings

    def __len__(self) -> int:
        return len(self.findings)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [(f, f.text(gettext, short_date)) for f in self.findings[index]]
        finding = self.findings[index]
        return finding, finding.text(gettext, short_date)

    def between(self, first, last) -> "RenderedFindings":
        """The findings on a day from `first` to `last`, and those about no day in particular."""
        return RenderedFindings([f for f in self.findings if f.day is None or first <= f.day <= last])


def findings_for(plan):
    """The plan's findings as (finding, Dutch text) pairs, and their counts."""
    today = clock.today()
    findings = cached(plan, "findings", lambda: check_plan(plan, today, all_holidays(get_session())), daily=True)
    return RenderedFindings(findings), summary(findings)


def finding_url(slug: str, finding) -> str | None:
    """Where the item that causes `finding` can be seen and changed, or None."""
    if finding.activity_uuid:
        return url_for("entities.activity_by_uuid", slug=slug, activity_uuid=finding.activity_uuid)
    if finding.code == "week_load" and finding.day is not None:
        return url_for("calendar.show", slug=slug, view="week", week=finding.day.isoformat())
    if finding.code in ("no_message", "unused_message"):
        return url_for("plans.messages", slug=slug)
    return None


def _finding_key(finding) -> tuple:
    return finding.code, finding.day, finding.activity_uuid, repr(sorted(finding.params.items()))


def finding_keys(plan) -> set[tuple]:
    """What the checks find in the plan now, to compare with after a save."""
    return {_finding_key(finding) for finding in findings_for(plan)[0].findings}


def flash_saved(slug: str, before: set[tuple], saved: str, undo: str | None = None) -> None:
    """Confirm a save; when it raised new findings (an embargo, a holiday, production too late), say which.

    `undo`: the address that takes the action back; the confirmation then carries an "Undo" button (base.html)."""
    plan = get_plan(get_session(), slug, plan_contents())  # the saved state, loaded in a few statements
    new = [text for finding, text in findings_for(plan)[0] if _finding_key(finding) not in before]
    category, text = "success", saved
    if new:
        shown = " ".join(new[:3])
        if len(new) > 3:
            shown += " " + gettext("(And %(count)d more in the checks.)", count=len(new) - 3)
        category, text = "warning", gettext("%(saved)s But: %(findings)s", saved=saved, findings=shown)
    flash({"text": text, "undo": undo} if undo else text, category)
