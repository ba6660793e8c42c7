"""Calendar entries of a plan in a date range: activity dates, production periods, moments, holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain.dates import in_window
from planner.domain.recurrence import RecurrenceError, activity_dates
from planner.domain.workdays import add_working_days, public_holidays
from planner.enums import ActivityStatus
from planner.models import Activity, Plan

# The agenda and the timeline show this many months at a time, with links to earlier and later ones; a page
# ends sooner (at the end of a day) when more than PAGE_ENTRIES entries would begin in it. What runs on from
# an earlier page is listed as well, on top: a page of many long campaigns is longer, never a day at a time.
PAGE_MONTHS = 3
PAGE_ENTRIES = 150
# A day of the month grid shows this many activities, and a link to its week for the rest.
DAY_LIMIT = 6


@dataclass(frozen=True)
class Filters:
    audience_id: int | None = None
    partner_id: int | None = None
    channel_id: int | None = None
    status: str | None = None

    def accepts(self, activity: Activity) -> bool:
        if self.audience_id is not None and all(a.id != self.audience_id for a in activity.audiences):
            return False
        if self.partner_id is not None and activity.sender_id != self.partner_id:
            return False
        if self.channel_id is not None and activity.channel_id != self.channel_id:
            return False
        return self.status is None or activity.status.value == self.status

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.audience_id, self.partner_id, self.channel_id, self.status))

    def condition(self) -> sa.ColumnElement[bool]:
        """`accepts` in SQL (for counting what a page of the agenda will show)."""
        if self.status is not None and self.status not in {s.value for s in ActivityStatus}:
            return sa.false()  # as `accepts`: a status no activity has lets nothing through
        return sa.and_(
            sa.true(),
            *([Activity.audiences.any(id=self.audience_id)] if self.audience_id is not None else []),
            *([Activity.sender_id == self.partner_id] if self.partner_id is not None else []),
            *([Activity.channel_id == self.channel_id] if self.channel_id is not None else []),
            *([Activity.status == ActivityStatus(self.status)] if self.status is not None else []))


@dataclass(frozen=True)
class Entry:
    """One activity on one date (a recurring activity gives one entry per date)."""

    activity: Activity
    starts_on: dt.date
    ends_on: dt.date
    production_starts_on: dt.date | None


@dataclass
class Day:
    date: dt.date
    entries: list = field(default_factory=list)
    moments: list = field(default_factory=list)
    holiday: str | None = None
    in_range: bool = True


def window_activities(session: Session, plan: Plan, first: dt.date, last: dt.date) -> list[Activity]:
    """The plan's activities that can have a date from `first` to `last`: those dated in that period, and those
    that repeat from before it. A page loads these, not the whole plan."""
    last_day = sa.func.coalesce(Activity.ends_on, Activity.starts_on)
    return list(session.scalars(sa.select(Activity).where(
        Activity.plan_id == plan.id,
        sa.or_(sa.and_(Activity.starts_on <= last, last_day >= first),
               sa.and_(Activity.recurrence != "", Activity.starts_on <= last)),
    ).order_by(Activity.id)))


def date_range(session: Session, plans: Sequence[Plan]) -> tuple[dt.date, dt.date] | None:
    """The first and last day the calendar of `plans` can show anything on (their periods, or wider); None
    without plans."""
    if not plans:
        return None
    first, last = session.execute(sa.select(
        sa.func.min(Activity.starts_on), sa.func.max(sa.func.coalesce(Activity.ends_on, Activity.starts_on)),
    ).where(Activity.plan_id.in_([p.id for p in plans]))).one()
    return (min(filter(None, (first, *(p.starts_on for p in plans)))),
            max(filter(None, (last, *(p.ends_on for p in plans)))))


def page_of_months(start: dt.date, months: int = PAGE_MONTHS) -> tuple[dt.date, dt.date]:
    """The first and last day of `months` months from the month of `start`."""
    first = start.replace(day=1)
    index = first.year * 12 + first.month - 1 + months
    return first, dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def entries(plan: Plan, filters: Filters = Filters(), activities: list[Activity] | None = None,
            first: dt.date | None = None, last: dt.date | None = None) -> list[Entry]:
    """Every activity date of the plan (of `activities`, when given) that passes the filters, in date order;
    with `first` and `last`, only the dates that fall in that period."""
    result = []
    for activity in plan.activities if activities is None else activities:
        if not filters.accepts(activity):
            continue
        try:
            dates = activity_dates(activity, max(plan.ends_on, activity.starts_on))
        except RecurrenceError:
            dates = [activity.starts_on]
        length = activity.last_day - activity.starts_on
        lead = activity.channel.lead_time_days if activity.channel is not None else 0
        for day in dates:
            if (last is not None and day > last) or (first is not None and day + length < first):
                continue
            production = add_working_days(day, -lead) if lead else None
            result.append(Entry(activity, day, day + length, production))
    return sorted(result, key=lambda e: (e.starts_on, e.activity.start_time or dt.time.min, e.activity.title))


@dataclass(frozen=True)
class Page:
    first: dt.date
    last: dt.date
    entries: list
    previous_end: dt.date | None  # where the page before this one ends
    following_start: dt.date | None  # where the page after this one starts


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _nth_start(session: Session, plans: Sequence[Plan], counted: sa.ColumnElement[bool], day: dt.date, n: int,
               backwards: bool) -> dt.date | None:
    """The start date of the n-th activity of `plans` that is `counted` from `day` on (or, backwards, before
    `day`); None when fewer."""
    order = Activity.starts_on.desc() if backwards else Activity.starts_on
    side = Activity.starts_on < day if backwards else Activity.starts_on >= day
    return session.scalar(sa.select(Activity.starts_on).where(
        Activity.plan_id.in_([p.id for p in plans]), counted, side).order_by(order).limit(1).offset(n - 1))


def agenda_page(session: Session, plans: Sequence[Plan], entries_between: Callable[[dt.date, dt.date], list],
                bounds: tuple[dt.date, dt.date] | None, first: dt.date | None = None,
                last: dt.date | None = None, counted: sa.ColumnElement[bool] = sa.true()) -> Page:
    """The page of the agenda of `plans` (one plan's, or a region's) that starts on `first` (or, going back, ends
    on `last`): PAGE_MONTHS months, or fewer days when more than PAGE_ENTRIES entries would begin in them (a day
    is never split). Entries that began before the page and still run in it are shown too. Each page links to
    the day before its first and the day after its last (within the dates the planner accepts), so paging either
    way skips nothing. `bounds` is the first and last calendar day of the plans (see `date_range`); `counted`
    the activities the page's filters let through (in SQL; where it lets through fewer or more than
    `entries_between`, pages are only longer or shorter). Only the page's own activities are loaded."""
    if last is not None:
        first = _months_later(last + dt.timedelta(days=1), -PAGE_MONTHS)
        crowded = _nth_start(session, plans, counted, last + dt.timedelta(days=1), PAGE_ENTRIES, backwards=True)
        first = max(first, crowded) if crowded is not None else first
        listed = entries_between(first, last)
        beginning = [e for e in listed if e.starts_on >= first]
        if len(beginning) > PAGE_ENTRIES:  # repeating activities add dates of their own
            first = beginning[-PAGE_ENTRIES].starts_on
            listed = [e for e in listed if e.ends_on >= first]
    else:
        last = _months_later(first, PAGE_MONTHS) - dt.timedelta(days=1)
        crowded = _nth_start(session, plans, counted, first, PAGE_ENTRIES, backwards=False)
        last = min(last, crowded) if crowded is not None else last
        listed = entries_between(first, last)
        beginning = [e for e in listed if e.starts_on >= first]
        if len(beginning) > PAGE_ENTRIES:
            last = beginning[PAGE_ENTRIES - 1].starts_on
            listed = [e for e in listed if e.starts_on <= last]
    before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    return Page(first, last, listed, before if bounds and first > bounds[0] and in_window(before) else None,
                after if bounds and last < bounds[1] and in_window(after) else None)


def anchored_counts(session: Session, plan: Plan) -> dict[int, int]:
    """How many activities follow each moment of the plan."""
    return dict(session.execute(sa.select(Activity.anchor_moment_id, sa.func.count()).where(
        Activity.plan_id == plan.id, Activity.anchor_moment_id.is_not(None)).group_by(Activity.anchor_moment_id)).all())


def days(plan: Plan, first: dt.date, last: dt.date, plan_entries: list[Entry], month: int | None = None) -> list[Day]:
    """The days from `first` to `last` with the entries and moments on each."""
    by_day: dict[dt.date, Day] = {}
    day = first
    while day <= last:
        by_day[day] = Day(day, holiday=public_holidays(day.year).get(day),
                          in_range=month is None or day.month == month)
        day += dt.timedelta(days=1)
    for entry in plan_entries:
        if entry.ends_on < first or entry.starts_on > last:
            continue
        current = max(entry.starts_on, first)
        while current <= min(entry.ends_on, last):
            by_day[current].entries.append(entry)
            current += dt.timedelta(days=1)
    for moment in plan.moments:
        current = max(moment.starts_on, first)
        while current <= min(moment.last_day, last):
            by_day[current].moments.append(moment)
            current += dt.timedelta(days=1)
    return list(by_day.values())


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The Monday before the month's first day and the Sunday after its last: the days of its grid."""
    first, last = page_of_months(dt.date(year, month, 1), 1)
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())


def month_grid(plan: Plan, year: int, month: int, plan_entries: list[Entry]) -> list[list[Day]]:
    """Weeks (Monday first) covering the month."""
    start, end = month_bounds(year, month)
    all_days = days(plan, start, end, plan_entries, month=month)
    return [all_days[i:i + 7] for i in range(0, len(all_days), 7)]


def week_days(plan: Plan, monday: dt.date, plan_entries: list[Entry]) -> list[Day]:
    return days(plan, monday, monday + dt.timedelta(days=6), plan_entries)
