"""The checks of a plan, kept per content version: pages, the overview and documents reuse them.

The checks are one linear pass, but loading a plan of thousands of activities to run them costs far more than
the pass itself. The findings are kept per plan with a stamp of everything they depend on (the plan's rows,
its embargoes, its owner's school region, the school holidays) and the day, so an edit or a new day makes
them run again. The stamp costs one SQL statement; a hit needs none of the plan's activities.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain.checks import Finding, check_plan
from planner.domain.feeds import content_stamp
from planner.models import Embargo, Organisation, Plan, SchoolHoliday


def checks_stamp(session: Session, plan_id: int) -> tuple:
    owner = sa.select(Plan.owner_id).where(Plan.id == plan_id).scalar_subquery()
    return content_stamp(session, plan_id, extra_sources=(
        (Embargo.updated_at, Embargo.plan_id == plan_id, None),
        (Organisation.updated_at, Organisation.id == owner, None),
        (SchoolHoliday.updated_at, sa.true(), None),
    ))


class FindingsCache:
    """Findings per plan for the latest stamp seen, for the most recently used `max_plans` plans."""

    def __init__(self, max_plans: int = 128):
        self.max_plans = max_plans
        self._entries: OrderedDict[int, tuple[tuple, list[Finding]]] = OrderedDict()
        self._lock = threading.Lock()

    def findings(self, session: Session, plan: Plan, today: dt.date,
                 school_holidays: Callable[[], list]) -> list[Finding]:
        stamp = checks_stamp(session, plan.id) + (today,)
        with self._lock:
            hit = self._entries.get(plan.id)
            if hit is not None and hit[0] == stamp:
                self._entries.move_to_end(plan.id)
                return hit[1]
        # Run on data at least as new as the stamp (rows loaded earlier in the request may be older), and keep
        # the result only when nothing changed meanwhile.
        session.expire_all()
        findings = check_plan(plan, today, school_holidays())
        if checks_stamp(session, plan.id) + (today,) == stamp:
            with self._lock:
                self._entries[plan.id] = (stamp, findings)
                self._entries.move_to_end(plan.id)
                while len(self._entries) > self.max_plans:
                    self._entries.popitem(last=False)
        return findings
