"""What the region's and a plan's charts show: publications per week, load per audience per week, checklist burn-up.

A plan is reduced once to a `PlanSeries` (kept with the overview's counts per content version and day); the region's
charts add the series of its plans, so a chart costs no statements of its own."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from planner.domain.recurrence import RecurrenceError, activity_dates
from planner.enums import ActivityStatus, ChecklistStatus, MomentKind
from planner.models import Plan

MAX_WEEKS = 53
MAX_ROWS = 30  # a chart with more rows is no longer read; the busiest are shown, the rest counted
# The moments every plan of a campaign shares: the national weeks and days the charts mark.
MARKED_KINDS = {MomentKind.OBSERVANCE, MomentKind.CAMPAIGN}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class PlanSeries:
    """One plan as its charts read it: publications per week (Monday), per audience and per channel."""
    weeks: dict[dt.date, int]
    audiences: dict[str, dict[dt.date, int]]
    channels: dict[str, dict[dt.date, int]]
    completions: tuple[dt.date, ...]  # the days the done checklist items were marked done
    items: int  # checklist items that apply (not "n.v.t.")
    marks: tuple[tuple[str, dt.date, dt.date], ...]  # observances and campaigns: name, first and last day


def plan_series(plan: Plan) -> PlanSeries:
    """Count every publication date of the plan's activities in its week, as the week-load check does."""
    weeks: Counter = Counter()
    audiences: dict[str, Counter] = defaultdict(Counter)
    channels: dict[str, Counter] = defaultdict(Counter)
    for activity in plan.activities:
        if activity.status == ActivityStatus.CANCELLED:
            continue
        try:
            dates = activity_dates(activity, max(plan.ends_on, activity.starts_on))
        except RecurrenceError:
            dates = [activity.starts_on]
        for day in dates:
            week = monday(day)
            weeks[week] += 1
            for audience in activity.audiences:
                audiences[audience.name][week] += 1
            if activity.channel is not None:
                channels[activity.channel.name][week] += 1
    relevant = [item for phase in plan.phases for item in phase.items if item.status != ChecklistStatus.NOT_APPLICABLE]
    completions = tuple(sorted(item.completed_on for item in relevant
                               if item.status == ChecklistStatus.DONE and item.completed_on is not None))
    marks = tuple((m.name, m.starts_on, m.ends_on or m.starts_on) for m in plan.moments if m.kind in MARKED_KINDS)
    return PlanSeries(dict(weeks), {k: dict(v) for k, v in audiences.items()},
                      {k: dict(v) for k, v in channels.items()}, completions, len(relevant), marks)


def week_span(first: dt.date, last: dt.date, today: dt.date) -> list[dt.date]:
    """The Mondays from `first` to `last`; at most MAX_WEEKS of them, around today when the span is longer."""
    start, end = monday(first), monday(last)
    if (end - start).days // 7 + 1 > MAX_WEEKS:
        start = max(start, min(monday(today) - dt.timedelta(weeks=MAX_WEEKS // 2),
                               end - dt.timedelta(weeks=MAX_WEEKS - 1)))
        end = start + dt.timedelta(weeks=MAX_WEEKS - 1)
    return [start + dt.timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]


@dataclass(frozen=True)
class Grid:
    """Rows of counts per week, with the weeks the marked moments cover."""
    weeks: list[dt.date]
    rows: list[tuple[str, list[int]]]
    marks: list[tuple[str, int, int]]  # name, first and last column
    omitted: int = 0  # rows left out as the quietest (see `limited`)

    @property
    def peak(self) -> int:
        return max((value for _name, values in self.rows for value in values), default=0)

    @property
    def totals(self) -> list[int]:
        return [sum(values[i] for _name, values in self.rows) for i in range(len(self.weeks))]

    def limited(self, limit: int = MAX_ROWS) -> Grid:
        """The `limit` rows with the most publications, in their order; the others counted in `omitted`."""
        if len(self.rows) <= limit:
            return self
        kept = {id(row) for row in sorted(self.rows, key=lambda row: -sum(row[1]))[:limit]}
        return Grid(self.weeks, [row for row in self.rows if id(row) in kept], self.marks,
                    self.omitted + len(self.rows) - limit)

    def column_of(self, day: dt.date) -> int | None:
        """The column of the week that holds `day`, if it is shown."""
        week = monday(day)
        return self.weeks.index(week) if week in self.weeks else None

    def busiest(self) -> tuple[dt.date, int] | None:
        """The week with the most publications over all rows (the first of equals)."""
        totals = self.totals
        if not totals or max(totals) == 0:
            return None
        best = totals.index(max(totals))
        return self.weeks[best], totals[best]


def grid(rows: dict[str, dict[dt.date, int]], weeks: list[dt.date], marks=()) -> Grid:
    """Rows (sorted by name, case-insensitively) of counts for `weeks`; marked moments as column ranges."""
    index = {week: i for i, week in enumerate(weeks)}
    counted = []
    for name in sorted(rows, key=lambda n: (n.casefold(), n)):
        values = [0] * len(weeks)
        for week, count in rows[name].items():
            if week in index:
                values[index[week]] += count
        counted.append((name, values))
    columns, seen = [], set()
    for name, first, last in sorted(marks, key=lambda m: (m[1], m[0])):
        if (name, first) in seen or not weeks or monday(last) < weeks[0] or monday(first) > weeks[-1]:
            continue
        seen.add((name, first))
        columns.append((name, index.get(monday(first), 0), index.get(monday(last), len(weeks) - 1)))
    return Grid(weeks, counted, columns)


def merged(parts: list[dict[str, dict[dt.date, int]]]) -> dict[str, dict[dt.date, int]]:
    """Add rows of several plans by name; audiences and channels are per plan, so their names join them."""
    names: dict[str, str] = {}
    total: dict[str, Counter] = defaultdict(Counter)
    for part in parts:
        for name, weeks in part.items():
            shown = names.setdefault(name.strip().casefold(), name.strip())
            total[shown].update(weeks)
    return {name: dict(counts) for name, counts in total.items()}


@dataclass(frozen=True)
class BurnUp:
    """Checklist items done by the end of each week, against the items that apply."""
    weeks: list[dt.date]
    done: list[int]  # up to the week of today
    total: int
    completed: int  # done by today, whether in the shown weeks or before them


def burn_up(series: list[PlanSeries], weeks: list[dt.date], today: dt.date) -> BurnUp:
    """Cumulative completions per week; weeks after today stay empty."""
    completions = sorted(day for s in series for day in s.completions)
    done, position = [], 0
    for week in weeks:
        if week > today:
            break
        end = min(week + dt.timedelta(days=6), today)
        while position < len(completions) and completions[position] <= end:
            position += 1
        done.append(position)
    return BurnUp(weeks, done, sum(s.items for s in series), sum(1 for day in completions if day <= today))
