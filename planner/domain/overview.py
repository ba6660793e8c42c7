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
from planner.domain.region_charts import PlanSeries, plan_series
from planner.enums import ActivityStatus, ChecklistStatus, OrganisationKind, PhaseKey, PlanStatus
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
    next_moment: tuple[dt.date, str] | None  # the plan's next key date, from today on
    series: PlanSeries

    @property
    def progress_share(self) -> float:
        """The share of applicable checklist items done, over all phases."""
        total = sum(total for _done, total in self.progress.values())
        return sum(done for done, _total in self.progress.values()) / total if total else 0.0


@dataclass(frozen=True)
class Filters:
    """What the coordinator narrows the overview to; an empty field narrows nothing."""
    region: Organisation | None = None
    status: PlanStatus | None = None
    text: str = ""
    theme: str = ""
    year: int | None = None
    phase: PhaseKey | None = None

    @property
    def narrowed(self) -> bool:
        """Whether anything but the region narrows the plans (a municipality may then have a plan elsewhere)."""
        return bool(self.status or self.text or self.theme or self.year or self.phase)


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
    selectinload(Plan.moments),
)


def overview(session: Session, today: dt.date, filters: Filters = Filters(), school_holidays=(), visible=None,
             cache: PlanCache | None = None) -> list[PlanSummary]:
    """One summary per plan of the region (every plan when no region is given), limited to `visible` plans.

    With a `cache`, a plan's counts (and its findings, which its pages reuse) are kept per content version and
    day: only the plans that changed since are loaded again."""
    query = region_plans_query(filters.region)
    if visible is not None:
        query = query.where(visible)
    if filters.status is not None:
        query = query.where(Plan.status == filters.status)
    if filters.phase is not None:
        query = query.where(Plan.phase == filters.phase)
    if filters.theme:
        query = query.where(sa.func.lower(Plan.theme) == filters.theme.casefold())
    if filters.year is not None:
        query = query.where(Plan.starts_on <= dt.date(filters.year, 12, 31), Plan.ends_on >= dt.date(filters.year, 1, 1))
    if filters.text:
        text = filters.text
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
    coming = sorted((m.starts_on, m.name) for m in plan.moments if (m.ends_on or m.starts_on) >= today)
    return (progress, overdue, upcoming, totals["errors"], totals["warnings"], coming[0] if coming else None,
            plan_series(plan))


@dataclass(frozen=True)
class Row:
    """A line of the region's dashboard: a plan, or a municipality of the region that has none (`summary` None)."""
    organisation: Organisation
    summary: PlanSummary | None


SORT_KEYS = {
    "organisation": lambda s: 0,
    "plan": lambda s: s.plan.title.casefold(),
    "status": lambda s: (list(PlanStatus).index(s.plan.status), list(PhaseKey).index(s.plan.phase)),
    "progress": lambda s: s.progress_share,
    "overdue": lambda s: s.overdue_items,
    "checks": lambda s: (s.errors, s.warnings),
    "next": lambda s: s.next_moment[0] if s.next_moment else dt.date.max,
    "upcoming": lambda s: s.upcoming_activities,
}


def dashboard_rows(summaries: list[PlanSummary], organisations: list[Organisation], sort: str = "organisation",
                   descending: bool = False) -> list[Row]:
    """A row per plan, and one per organisation of the region without a plan among `summaries`.

    Municipalities without a plan are what a coordinator chases first: they lead whatever the sort, except when
    sorting by name, where they keep their place."""
    with_plan = {s.plan.owner_id for s in summaries}
    missing = [Row(o, None) for o in organisations if o.id not in with_plan and o.kind == OrganisationKind.MUNICIPALITY]
    rows = [Row(s.plan.owner, s) for s in summaries]
    key = SORT_KEYS.get(sort, SORT_KEYS["organisation"])
    rows.sort(key=lambda r: (key(r.summary), r.organisation.name.casefold(), r.summary.plan.title.casefold()),
              reverse=descending)
    by_name = sorted(rows + missing, key=lambda r: r.organisation.name.casefold())
    if sort in ("organisation", "") or sort not in SORT_KEYS:
        return by_name[::-1] if descending else by_name
    return missing + rows


def as_rows(summaries: list[PlanSummary], without_plan: list[Organisation] = ()) -> list[dict]:
    """The overview as flat rows (CSV, JSON); municipalities without a plan get a row with only their name."""
    rows = []
    for s in summaries:
        row = {"slug": s.plan.slug, "title": s.plan.title, "organisation": s.plan.owner.name,
               "status": s.plan.status.value, "phase": s.plan.phase.value}
        for key in PhaseKey:
            done, total = s.progress.get(key, (0, 0))
            row[f"progress_{key.value}"] = f"{done}/{total}"
        row.update(overdue_items=s.overdue_items, activities_next_14_days=s.upcoming_activities,
                   errors=s.errors, warnings=s.warnings, theme=s.plan.theme,
                   next_key_date=s.next_moment[0].isoformat() if s.next_moment else "",
                   next_key_moment=s.next_moment[1] if s.next_moment else "")
        rows.append(row)
    fields = list(rows[0]) if rows else []
    for organisation in without_plan:
        rows.append({**dict.fromkeys(fields, ""), "organisation": organisation.name})
    return rows


def as_csv(summaries: list[PlanSummary], without_plan: list[Organisation] = ()) -> str:
    rows = as_rows(summaries, without_plan)
    buffer = io.StringIO()
    fields = list(rows[0]) if summaries else ["slug", "title", "organisation", "status", "phase"]
    writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";", lineterminator="\r\n", restval="")
    writer.writeheader()
    for row in rows:
        # a leading =, +, - or @ would be run as a formula by spreadsheet programs
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return buffer.getvalue()
