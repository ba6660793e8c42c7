"""Place activities relative to moments, and move moments (and what hangs on them) in time."""

from __future__ import annotations

import datetime as dt

from planner.domain.observances import ObservanceDef, dates_for
from planner.domain.workdays import shift
from planner.enums import MomentEdge
from planner.models import Activity, ChecklistItem, Moment


def anchor_date(moment: Moment, offset: int, unit, edge: MomentEdge) -> dt.date:
    """The date `offset` days or working days from the start (or end) of `moment`."""
    base = moment.starts_on if edge == MomentEdge.START else moment.last_day
    return shift(base, offset, unit)


def apply_anchor(activity: Activity) -> None:
    """Recompute an anchored activity's dates from its moment, keeping its length."""
    moment = activity.anchor_moment
    if moment is None:
        return
    length = (activity.ends_on - activity.starts_on) if activity.ends_on else None
    activity.starts_on = anchor_date(moment, activity.anchor_offset, activity.anchor_unit, activity.anchor_edge)
    activity.ends_on = activity.starts_on + length if length is not None else None


def apply_due_anchor(item: ChecklistItem) -> None:
    """Recompute a checklist item's due date from its moment."""
    if item.due_moment is not None:
        item.due_on = shift(item.due_moment.starts_on, item.due_offset, item.due_unit)


def move_moment(moment: Moment, starts_on: dt.date, ends_on: dt.date | None, checklist_items=()) -> None:
    """Give `moment` new dates; every activity (and checklist item) anchored to it follows."""
    moment.starts_on, moment.ends_on = starts_on, ends_on
    for activity in moment.anchored_activities:
        apply_anchor(activity)
    for item in checklist_items:
        if item.due_moment is moment:
            apply_due_anchor(item)


def observance_dates(moment: Moment, years_on: int, definitions: dict[str, ObservanceDef], holidays=()):
    """(start, end or None) of the observance `moment` follows, `years_on` years later; None without one."""
    definition = definitions.get(moment.observance_key) if moment.observance_key else None
    dates = dates_for(definition, moment.starts_on.year + years_on, holidays) if definition else None
    if dates is None:
        return None
    return dates[0], (dates[1] if dates[1] != dates[0] else None)
