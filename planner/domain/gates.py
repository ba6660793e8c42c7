"""Phase gates and approval: every move is recorded as a decision; approval keeps a snapshot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from planner.domain.transfer import export_plan
from planner.enums import ChecklistStatus, DecisionKind, DecisionStatus, PhaseKey, PlanStatus
from planner.i18n import gettext as _
from planner.models import ChecklistItem, Decision, Plan, PlanSnapshot

IGNORED = {"created_at", "updated_at", "sequence", "source_accepted_at"}
COLLECTIONS = {"partners": "organisation", "audiences": "name", "messages": "title", "channels": "name",
               "moments": "name", "activities": "title", "embargoes": "reason", "decisions": "title"}


def move_plan(session: Session, plan: Plan, status: PlanStatus, phase: PhaseKey, by: str, note: str,
              today: dt.date) -> Decision:
    """Move the plan to `status` and `phase`, recording who, when and why; keep the approved version."""
    steps = []
    if status != plan.status:
        steps.append(_("status %(old)s → %(new)s", old=_(plan.status.label), new=_(status.label)))
    if phase != plan.phase:
        steps.append(_("phase %(old)s → %(new)s", old=_(plan.phase.label), new=_(phase.label)))
    if not steps:
        raise ValueError("the plan already has this status and phase")
    plan.status, plan.phase = status, phase
    kind = DecisionKind.APPROVAL if status == PlanStatus.APPROVED else DecisionKind.ALIGNMENT
    decision = Decision(title=_("Gate: %(steps)s", steps=", ".join(steps))[:200], kind=kind, decided_on=today,
                        participants=by[:500], status=DecisionStatus.DONE, outcome=note)
    plan.decisions.append(decision)
    session.flush()
    plan.snapshots.append(PlanSnapshot(status=status, phase=phase, by=by[:200], note=note,
                                       document=export_plan(plan, snapshots=False)))
    session.flush()
    return decision


def asks_confirmation(plan: Plan, status: PlanStatus, phase: PhaseKey) -> bool:
    """Approving the plan or starting its execution: steps after which open work is easily forgotten."""
    return ((status == PlanStatus.APPROVED and plan.status != PlanStatus.APPROVED)
            or (phase == PhaseKey.EXECUTION and plan.phase != PhaseKey.EXECUTION))


def open_before_execution(plan: Plan) -> list[ChecklistItem]:
    """The checklist items of the phases before execution that are neither done nor not applicable."""
    return [item for phase in plan.phases if phase.key != PhaseKey.EXECUTION for item in phase.items
            if item.status in (ChecklistStatus.OPEN, ChecklistStatus.IN_PROGRESS)]


def approved_snapshot(plan: Plan) -> PlanSnapshot | None:
    approved = [s for s in plan.snapshots if s.status == PlanStatus.APPROVED]
    return approved[-1] if approved else None


@dataclass(frozen=True)
class Change:
    collection: str
    name: str
    kind: str  # added, removed, changed
    fields: tuple[str, ...] = ()


def changes_since(plan: Plan, snapshot: PlanSnapshot) -> list[Change]:
    """What differs between the plan now and `snapshot`, row by row (by UUID)."""
    before, now = snapshot.document, export_plan(plan)
    changes = []
    plan_fields = tuple(sorted(k for k in now["plan"] if k not in IGNORED | {"status", "phase"}
                               and before["plan"].get(k) != now["plan"][k]))
    if plan_fields:
        changes.append(Change("plan", now["plan"]["title"], "changed", plan_fields))
    for collection, label_field in COLLECTIONS.items():
        old = {row["uuid"]: row for row in before.get(collection, [])}
        new = {row["uuid"]: row for row in now.get(collection, [])}
        for uid, row in new.items():
            name = str(row.get(label_field) or "")[:120]
            if uid not in old:
                changes.append(Change(collection, name, "added"))
            else:
                fields = tuple(sorted(k for k in row if k not in IGNORED and old[uid].get(k) != row[k]))
                if fields:
                    changes.append(Change(collection, name, "changed", fields))
        for uid, row in old.items():
            if uid not in new:
                changes.append(Change(collection, str(row.get(label_field) or "")[:120], "removed"))
    return changes
