"""The coordinator's overview across the plans of a region, in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from planner.domain.checks import check_plan, summary
from planner.domain.plan_cache import MISSING, PlanCache, plan_stamps
from planner.domain.recurrence import RecurrenceError, activity_dates
from planner.enums import ActivityStatus, ChecklistStatus, PhaseKey, PlanStatus
from planner.models import Activity, Audience, Embargo, KeyMessage, Organisation, Phase, Plan

UPCOMING_DAYS = 14


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    progress: dict[PhaseKey, tuple[int, int]]  # done, relevant
    overdue_items: int
    upcoming_activities: int
    errors: int
    warnings: int


def region_plans_query(region: Organisation | None):
    query = sa.select(Plan).join(Plan.owner)
    if region is not None:
        member_ids = sa.select(Organisation.id).where(Organisation.region_id == region.id)
        query = query.where(sa.or_(Plan.owner_id == region.id, Plan.owner_id.in_(member_ids)))
    return query.order_by(Organisation.name, Plan.title).options(joinedload(Plan.owner))


# What the checks and the counts read of a plan: a subquery, not IN-lists of 500 ids, so that it is one statement
# per collection however many activities the region has.
PLAN_CONTENTS = (
    selectinload(Plan.activities).subqueryload(Activity.audiences),
    selectinload(Plan.activities).joinedload(Activity.channel),
    selectinload(Plan.audiences).selectinload(Audience.intermediaries),
    selectinload(Plan.messages).joinedload(KeyMessage.audience),
    selectinload(Plan.embargoes).joinedload(Embargo.not_before_moment),
    selectinload(Plan.embargoes).joinedload(Embargo.not_after_moment),
    selectinload(Plan.phases).selectinload(Phase.items),
)


def overview(session: Session, today: dt.date, region: Organisation | None = None, status: PlanStatus | None = None,
             text: str = "", school_holidays=(), visible=None, cache: PlanCache | None = None) -> list[PlanSummary]:
    """One summary per plan of the region (every plan when no region is given), limited to `visible` plans.

    With a `cache`, a plan's counts (and its findings, which its pages reuse) are kept per content version and
    day: only the plans that changed since are loaded again."""
    query = region_plans_query(region)
    if visible is not None:
        query = query.where(visible)
    if status is not None:
        query = query.where(Plan.status == status)
    if text:
        query = query.where(sa.or_(Plan.title.ilike(f"%{text}%"), Organisation.name.ilike(f"%{text}%")))
    plans = list(session.scalars(query).unique())
    stamps = plan_stamps(session, [plan.id for plan in plans]) if cache is not None else {}
    counts: dict[int, tuple] = {}  # PlanSummary's fields after the plan
    for plan in plans:
        if cache is not None:
            kept = cache.peek(plan.id, "overview", stamps[plan.id] + (today,))
            if kept is not MISSING:
                counts[plan.id] = kept
    missing = [plan.id for plan in plans if plan.id not in counts]
    if missing:
        # Read after the stamps: what is computed is at least as new as the stamp it is kept under.
        loaded = sa.select(Plan).where(Plan.id.in_(missing)).options(joinedload(Plan.owner), *PLAN_CONTENTS) \
            .execution_options(populate_existing=True)
        for plan in session.scalars(loaded).unique():
            findings = check_plan(plan, today, school_holidays)
            counts[plan.id] = _count(plan, today, findings)
            if cache is not None:
                cache.keep(plan.id, "overview", stamps[plan.id] + (today,), counts[plan.id])
                cache.keep(plan.id, "findings", stamps[plan.id] + (today,), findings)
    return [PlanSummary(plan, *counts[plan.id]) for plan in plans]


def _count(plan: Plan, today: dt.date, findings) -> tuple:
    progress, overdue = {}, 0
    for phase in plan.phases:
        relevant = [i for i in phase.items if i.status != ChecklistStatus.NOT_APPLICABLE]
        progress[phase.key] = (sum(1 for i in relevant if i.status == ChecklistStatus.DONE), len(relevant))
        overdue += sum(1 for i in relevant if i.due_on and i.due_on < today and i.status != ChecklistStatus.DONE)
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    upcoming = 0
    for activity in plan.activities:
        if activity.status == ActivityStatus.CANCELLED:
            continue
        try:
            dates = activity_dates(activity, horizon)
        except RecurrenceError:
            dates = [activity.starts_on]
        upcoming += sum(1 for day in dates if today <= day <= horizon)
    totals = summary(findings)
    return progress, overdue, upcoming, totals["errors"], totals["warnings"]


def as_rows(summaries: list[PlanSummary]) -> list[dict]:
    rows = []
    for s in summaries:
        row = {"slug": s.plan.slug, "title": s.plan.title, "organisation": s.plan.owner.name,
               "status": s.plan.status.value, "phase": s.plan.phase.value}
        for key in PhaseKey:
            done, total = s.progress.get(key, (0, 0))
            row[f"progress_{key.value}"] = f"{done}/{total}"
        row.update(overdue_items=s.overdue_items, activities_next_14_days=s.upcoming_activities,
                   errors=s.errors, warnings=s.warnings)
        rows.append(row)
    return rows


def as_csv(summaries: list[PlanSummary]) -> str:
    rows = as_rows(summaries)
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else ["slug", "title", "organisation", "status", "phase"]
    writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # a leading =, +, - or @ would be run as a formula by spreadsheet programs
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return buffer.getvalue()
