"""Changes to many activities or checklist items at once, as one action that can be undone."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from sqlalchemy.orm import Session

from planner.domain import trash
from planner.domain.anchoring import apply_anchor, apply_due_anchor
from planner.domain.copies import duplicate_activity
from planner.domain.recurrence import shifted
from planner.domain.workdays import shift
from planner.enums import MomentEdge, OffsetUnit
from planner.models import Activity, ChecklistItem, Plan, UndoEntry


class BulkAction(str, Enum):
    STATUS = "status"
    OWNER = "owner"
    CHANNEL = "channel"
    SENDER = "sender"
    SHIFT = "shift"
    COPY = "copy"
    DELETE = "delete"


# The columns each action changes: what undo puts back.
ACTIVITY_COLUMNS = {
    BulkAction.STATUS: ("status",), BulkAction.OWNER: ("owner_name",), BulkAction.CHANNEL: ("channel_id",),
    BulkAction.SENDER: ("sender_id",),
    BulkAction.SHIFT: ("starts_on", "ends_on", "anchor_offset", "anchor_unit", "recurrence", "exdates"),
}
ITEM_COLUMNS = {
    BulkAction.STATUS: ("status",), BulkAction.OWNER: ("owner_name",),
    BulkAction.SHIFT: ("due_on", "due_offset", "due_unit"),
}


def shift_activity(activity: Activity, by: int, unit: OffsetUnit) -> None:
    """Move an activity `by` days or working days, its period, repeat end and skipped dates with it.

    An anchored activity stays anchored: its offset from the moment changes (in days, when the units differ)."""
    old = activity.starts_on
    new = shift(old, by, unit)
    delta = new - old
    moment = activity.anchor_moment
    if moment is not None:
        if activity.anchor_unit == unit:
            activity.anchor_offset += by
        else:
            base = moment.starts_on if activity.anchor_edge == MomentEdge.START else moment.last_day
            activity.anchor_unit, activity.anchor_offset = OffsetUnit.DAYS, (new - base).days
        apply_anchor(activity)
    else:
        activity.starts_on = new
        activity.ends_on = activity.ends_on + delta if activity.ends_on is not None else None
    if activity.recurrence or activity.exdates:
        activity.recurrence, activity.exdates = shifted(activity.recurrence, activity.exdates, delta)


def shift_item(item: ChecklistItem, by: int, unit: OffsetUnit) -> None:
    """Move a checklist item's due date; one due relative to a moment keeps following it."""
    if item.due_on is None:
        return
    new = shift(item.due_on, by, unit)
    if item.due_moment is not None:
        if item.due_unit == unit:
            item.due_offset += by
        else:
            item.due_unit, item.due_offset = OffsetUnit.DAYS, (new - item.due_moment.starts_on).days
        apply_due_anchor(item)
    else:
        item.due_on = new


def copy_activities(activities: list[Activity], to: dt.date) -> list[Activity]:
    """Planned copies of `activities` (same titles) with the earliest on `to` and the others as far from it as
    they were. A copy hangs on no moment: it has dates of its own."""
    delta = to - min(a.starts_on for a in activities)
    copies = []
    for activity in sorted(activities, key=lambda a: (a.starts_on, a.id)):
        copy = duplicate_activity(activity, title=activity.title)
        copy.anchor_moment, copy.anchor_offset = None, 0
        copy.starts_on = activity.starts_on + delta
        copy.ends_on = activity.ends_on + delta if activity.ends_on is not None else None
        if activity.recurrence or activity.exdates:
            copy.recurrence, copy.exdates = shifted(activity.recurrence, activity.exdates, delta)
        copies.append(copy)
    return copies


def apply(session: Session, plan: Plan, rows: list, action: BulkAction, label: str, *, value=None,
          by: int = 0, unit: OffsetUnit = OffsetUnit.WORKING_DAYS) -> UndoEntry:
    """Change every row of `rows` (activities or checklist items of `plan`) the same way, in the session's
    transaction, recorded as one action under `label`. `value`: the new status, owner name, channel or sender;
    for a copy, the day the first copy falls on."""
    is_activity = isinstance(rows[0], Activity)
    kind = "activities" if is_activity else "checklist_items"
    if action == BulkAction.DELETE:
        return trash.discard(session, rows, kind, label, plan=plan)
    if action == BulkAction.COPY:
        entry = trash.record_creation(session, plan, kind, label)
        copies = copy_activities(rows, value)
        trash.finish_creation(session, entry, copies)
        return entry
    columns = (ACTIVITY_COLUMNS if is_activity else ITEM_COLUMNS)[action]
    entry = trash.record_change(session, plan, rows, columns, kind, label)
    for row in rows:
        if action == BulkAction.SHIFT:
            (shift_activity if is_activity else shift_item)(row, by, unit)
        elif action == BulkAction.CHANNEL:
            row.channel = value
        elif action == BulkAction.SENDER:
            row.sender = value
        else:
            setattr(row, columns[0], value)
    trash.finish_change(session, entry, rows)
    return entry
