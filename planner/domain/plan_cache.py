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
from planner.models import Embargo, Organisation, Plan, SchoolHoliday

T = TypeVar("T")


def plan_stamp(session: Session, plan_id: int, extra_sources=()) -> tuple:
    """The feeds' content stamp with what the checks also depend on, and `extra_sources` (one statement)."""
    owner = sa.select(Plan.owner_id).where(Plan.id == plan_id).scalar_subquery()
    return content_stamp(session, plan_id, extra_sources=(
        (Embargo.updated_at, Embargo.plan_id == plan_id, None),
        (Organisation.updated_at, Organisation.id == owner, None),
        (SchoolHoliday.updated_at, sa.true(), None),
        *extra_sources,
    ))


class PlanCache:
    """The latest value of each (plan, name) for the stamp it was computed at, for the most recent entries."""

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, str], tuple[tuple, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, plan: Plan, name: str, compute: Callable[[], T],
            today: dt.date | None = None, stamp_of: Callable[[Session, int], tuple] = plan_stamp) -> T:
        """`compute()`, or its result from an earlier call while `stamp_of` the plan (and `today`) is the same."""
        key = (plan.id, name)
        stamp = stamp_of(session, plan.id) + (today,)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == stamp:
                self._entries.move_to_end(key)
                return hit[1]
        # Compute on data at least as new as the stamp (rows loaded earlier in the request may be older), and
        # keep the result only when nothing changed meanwhile.
        session.expire_all()
        value = compute()
        if stamp_of(session, plan.id) + (today,) == stamp:
            with self._lock:
                self._entries[key] = (stamp, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value
