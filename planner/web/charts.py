"""The charts of the region's dashboard and of a plan's overview, from the series the overview keeps per plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.region_charts import BurnUp, Grid, PlanSeries, burn_up, grid, merged, week_span


@dataclass(frozen=True)
class Charts:
    """A timeline of publications per week, the load per audience per week, and the checklist burn-up."""
    timeline: Grid
    load: Grid
    progress: BurnUp

    @property
    def empty(self) -> bool:
        return not self.timeline.weeks


def _charts(timeline_rows: dict, series: list[PlanSeries], first: dt.date, last: dt.date, today: dt.date) -> Charts:
    weeks = week_span(first, last, today)
    marks = [mark for s in series for mark in s.marks]
    return Charts(grid(timeline_rows, weeks, marks).limited(),
                  grid(merged([s.audiences for s in series]), weeks, marks).limited(), burn_up(series, weeks, today))


def region_charts(summaries, today: dt.date, without_plan=()) -> Charts | None:
    """The region's charts: a timeline row per organisation (empty for those without a plan: the gaps), the
    audiences of every plan joined by name."""
    if not summaries:
        return None
    rows = merged([{s.plan.owner.name: s.series.weeks} for s in summaries])
    for organisation in without_plan:
        rows.setdefault(organisation.name, {})
    return _charts(rows, [s.series for s in summaries], min(s.plan.starts_on for s in summaries),
                   max(s.plan.ends_on for s in summaries), today)


def plan_charts(plan, series: PlanSeries, today: dt.date) -> Charts:
    """One plan's charts: a timeline row per channel."""
    return _charts(series.channels, [series], plan.starts_on, plan.ends_on, today)
