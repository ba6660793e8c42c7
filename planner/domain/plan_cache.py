"""Values computed from a whole plan (its checks, its changes since approval), kept per content version.

The checks are one linear pass, but loading a plan of thousands of activities to run them costs far more than
the pass itself. Such values are kept per plan with a stamp of everything they depend on (the plan's rows,
its embargoes, its owner's school region, the school holidays) and, where asked, the day, so that an edit or
a new day computes them again. The stamp costs one SQL statement; a hit needs none of the plan's activities.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain.feeds import content_stamp
from planner.models import (
    Activity, Audience, Channel, ChecklistItem, Embargo, FeedTombstone, KeyMessage, Moment, Organisation, Partner,
    Phase, Plan, SchoolHoliday,
)

T = TypeVar("T")
MISSING = object()


def plan_stamp(session: Session, plan_id: int, extra_sources=()) -> tuple:
    """The feeds' content stamp with what the checks also depend on, and `extra_sources` (one statement)."""
    owner = sa.select(Plan.owner_id).where(Plan.id == plan_id).scalar_subquery()
    return content_stamp(session, plan_id, extra_sources=(
        (Embargo.updated_at, Embargo.plan_id == plan_id, None),
        (Organisation.updated_at, Organisation.id == owner, None),
        (SchoolHoliday.updated_at, sa.true(), None),
        *extra_sources,
    ))


def plan_stamps(session: Session, plan_ids: list[int]) -> dict[int, tuple]:
    """`plan_stamp` of each plan of `plan_ids`, equal to it value for value, in one statement for them all."""
    if not plan_ids:
        return {}
    owner = sa.orm.aliased(Organisation)
    sources = [  # (column, the plan it belongs to, joins): in the order of plan_stamp
        (Plan.updated_at, Plan.id, ()),
        (Activity.updated_at, Activity.plan_id, ()),
        (Moment.updated_at, Moment.plan_id, ()),
        (Audience.updated_at, Audience.plan_id, ()),
        (Partner.updated_at, Partner.plan_id, ()),
        (KeyMessage.updated_at, KeyMessage.plan_id, ()),
        (Channel.updated_at, Channel.plan_id, ()),
        (ChecklistItem.updated_at, Phase.plan_id, ((Phase, ChecklistItem.phase_id == Phase.id),)),
        (FeedTombstone.deleted_at, FeedTombstone.plan_id, ()),
        (Embargo.updated_at, Embargo.plan_id, ()),
        (owner.updated_at, Plan.id, ((Plan, Plan.owner_id == owner.id),)),
    ]
    selects = []
    for index, (column, plan_id, joins) in enumerate(sources):
        query = sa.select(sa.literal(index).label("source"), plan_id.label("plan_id"),
                          sa.func.max(column).label("newest"), sa.func.count().label("rows"))
        query = query.select_from(column.class_ if not joins else column.table)
        for target, condition in joins:
            query = query.join(target, condition)
        selects.append(query.where(plan_id.in_(plan_ids)).group_by(plan_id))
    selects.append(sa.select(sa.literal(len(sources)), sa.null(), sa.func.max(SchoolHoliday.updated_at),
                             sa.func.count()).select_from(SchoolHoliday))
    values = {plan_id: [None, 0] * len(sources) for plan_id in plan_ids}
    holidays = (None, 0)
    for source, plan_id, newest, rows in session.execute(sa.union_all(*selects)):
        if plan_id is None:
            holidays = (newest, rows)
        else:
            values[plan_id][2 * source:2 * source + 2] = [newest, rows]
    return {plan_id: tuple(found) + holidays for plan_id, found in values.items()}


class PlanCache:
    """The latest value of each (plan, name) for the stamp it was computed at, for the most recent entries."""

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, str], tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, plan: Plan, name: str, compute: Callable[[], T],
            today: dt.date | None = None, stamp_of: Callable[[Session, int], tuple] = plan_stamp) -> T:
        """`compute()`, or its result from an earlier call while `stamp_of` the plan (and `today`) is the same."""
        stamp = stamp_of(session, plan.id) + (today,)
        hit = self.peek(plan.id, name, stamp)
        if hit is not MISSING:
            return hit
        # Compute on data at least as new as the stamp (rows loaded earlier in the request may be older), and
        # keep the result only when nothing changed meanwhile.
        session.expire_all()
        value = compute()
        if stamp_of(session, plan.id) + (today,) == stamp:
            self.keep(plan.id, name, stamp, value)
        return value

    def peek(self, plan_id: int, name: str, stamp: tuple):
        """The value kept for (plan, name) at `stamp`, or MISSING."""
        with self._lock:
            hit = self._entries.get((plan_id, name))
            if hit is None or hit[0] != stamp:
                return MISSING
            self._entries.move_to_end((plan_id, name))
            return hit[1]

    def keep(self, plan_id: int, name: str, stamp: tuple, value) -> None:
        """Keep `value`, computed on data at least as new as `stamp`, for (plan, name)."""
        with self._lock:
            self._entries[(plan_id, name)] = (stamp, value)
            self._entries.move_to_end((plan_id, name))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
