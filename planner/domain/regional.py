"""Regional and local plans: a municipality takes over the region's rows, which stay linked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from planner.domain.checklists import DEFAULT_TEMPLATE
from planner.domain.plans import add_partner, create_plan
from planner.enums import Level, PlanStatus
from planner.models import Activity, Audience, Channel, KeyMessage, Organisation, Plan

# What a local row copies from its regional source when the advisor accepts a change.
SYNCED = {
    Audience: ("name", "category", "description", "interest", "influence", "intensity", "languages", "in_education"),
    KeyMessage: ("title", "body"),
    Channel: ("name", "kind", "lead_time_days", "cost", "notes"),
    Activity: ("title", "description", "starts_on", "ends_on", "start_time", "end_time", "reach", "recurrence",
               "exdates"),
}
COLLECTIONS = {Audience: "audiences", KeyMessage: "messages", Channel: "channels", Activity: "activities"}


def _regional_rows(plan: Plan):
    yield from plan.audiences
    yield from plan.messages
    yield from plan.channels
    yield from (a for a in plan.activities if a.level == Level.REGIONAL)


def _link(local, source) -> None:
    local.source_uuid, local.source_accepted_at, local.overridden = source.uuid, source.updated_at, False


def _copy_fields(local, source) -> None:
    for name in SYNCED[type(source)]:
        value = getattr(source, name)
        setattr(local, name, list(value) if isinstance(value, list) else value)


def create_local_plan(session: Session, regional: Plan, municipality: Organisation, title: str) -> Plan:
    """A local plan under `regional` with its audiences, messages, channels and regional activities, linked."""
    local = create_plan(session, title=title, owner=municipality, starts_on=regional.starts_on,
                        ends_on=regional.ends_on, theme=regional.theme, parent=regional,
                        checklist_template=regional.checklist_template or DEFAULT_TEMPLATE,
                        goal=regional.goal, strategy=regional.strategy, status=PlanStatus.DRAFT)
    for row in _regional_rows(regional):
        take_over(session, local, row)
    session.flush()
    return local


def take_over(session: Session, local: Plan, source):
    """Copy one regional row into the local plan and link it (with the rows it needs)."""
    existing = _linked(local).get(source.uuid)
    if existing is not None:
        return existing
    row = type(source)()
    _copy_fields(row, source)
    _link(row, source)
    if isinstance(source, KeyMessage):
        row.audience = take_over(session, local, source.audience)
    if isinstance(source, Activity):
        row.level, row.status, row.owner_name = Level.REGIONAL, source.status, ""
        row.audiences = [take_over(session, local, a) for a in source.audiences]
        row.channel = take_over(session, local, source.channel) if source.channel else None
        row.message = take_over(session, local, source.message) if source.message else None
        if source.sender is not None:
            row.sender = next((p for p in local.partners if p.organisation_id == source.sender.organisation_id),
                              None) or add_partner(session, local, source.sender.name, source.sender.role)
    getattr(local, COLLECTIONS[type(source)]).append(row)
    return row


def _linked(local: Plan) -> dict:
    return {row.source_uuid: row for collection in COLLECTIONS.values() for row in getattr(local, collection)
            if row.source_uuid is not None}


@dataclass(frozen=True)
class RegionalChange:
    kind: str  # changed, new, removed
    local: object | None
    source: object | None
    fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        row = self.source or self.local
        return getattr(row, "title", None) or getattr(row, "name", "")


def regional_changes(local: Plan) -> list[RegionalChange]:
    """What changed in the regional plan since the local advisor last accepted it."""
    regional = local.parent
    if regional is None:
        return []
    sources = {row.uuid: row for row in _regional_rows(regional)}
    linked = _linked(local)
    changes = []
    for uid, row in linked.items():
        source = sources.get(uid)
        if row.overridden:
            continue
        if source is None:
            changes.append(RegionalChange("removed", row, None))
        elif row.source_accepted_at is None or source.updated_at > row.source_accepted_at:
            fields = tuple(n for n in SYNCED[type(source)] if getattr(source, n) != getattr(row, n))
            if fields:
                changes.append(RegionalChange("changed", row, source, fields))
    for uid, source in sources.items():
        if uid not in linked:
            changes.append(RegionalChange("new", None, source))
    return changes


def accept(local_row, source) -> None:
    """Take the region's version of a linked row."""
    _copy_fields(local_row, source)
    local_row.source_accepted_at = source.updated_at


def keep_local(local_row) -> None:
    """Keep the local version: the row stops following the region."""
    local_row.overridden = True


def find_row(local: Plan, uid) -> object | None:
    return _linked(local).get(uid)


def find_source(local: Plan, uid) -> object | None:
    return next((row for row in _regional_rows(local.parent) if row.uuid == uid), None) if local.parent else None


__all__ = ["RegionalChange", "accept", "create_local_plan", "find_row", "find_source", "keep_local",
           "regional_changes", "take_over"]
