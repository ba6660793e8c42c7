"""The audit log: who changed what and when, written for every flush that touches a plan."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime

# Never written to the log: secrets, binary data and the bookkeeping columns.
NOT_LOGGED = {"password_hash", "token_hash", "key_hash", "logo", "updated_at", "created_at", "sequence",
              "document", "failed_logins", "locked_until", "last_login_at", "last_fetched_at", "fetch_count"}
TRACKED = {"Plan", "Partner", "ContactPerson", "Audience", "KeyMessage", "MessageTranslation", "Channel", "Activity",
           "Moment", "Embargo", "Decision", "Observation", "ChecklistItem", "Subscription", "Organisation", "User"}


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_plan_uuid_at", "plan_uuid", "at"),)

    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor: Mapped[str] = mapped_column(sa.String(254))
    plan_uuid: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    action: Mapped[str] = mapped_column(sa.String(10))  # create, update, delete, restore, or batch
    # The entries of one action on many rows (a change to many rows, a delete and its undo) share `batch`; the
    # entry with action "batch" names the action as a whole.
    batch: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    entity: Mapped[str] = mapped_column(sa.String(40))
    entity_uuid: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, index=True)
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)


def _plain(value):
    """A JSON value for the log: enums by value, dates as text, rows by their name."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.time, dt.datetime, uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "__table__"):
        return _summary(value)
    return str(value)[:200]


def _plan_of(obj):
    kind = type(obj).__name__
    if kind == "Plan":
        return obj
    if kind == "ContactPerson":
        return obj.partner.plan if obj.partner is not None else None
    if kind == "MessageTranslation":
        return obj.message.plan if obj.message is not None else None
    if kind == "ChecklistItem":
        return obj.phase.plan if obj.phase is not None else None
    return getattr(obj, "plan", None)


def _summary(obj) -> str:
    for name in ("title", "name", "label", "email", "language"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value[:300]
    return ""


def _changes(obj, creating: bool) -> dict:
    state = sa.inspect(obj)
    result = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in NOT_LOGGED or name == "id" or name.endswith("_id"):
            continue
        history = state.attrs[name].history
        if creating:
            value = state.attrs[name].value
            if value not in (None, "", [], {}):
                result[name] = [None, _plain(value)]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            result[name] = [_plain(old), _plain(new)]
    for rel in state.mapper.relationships:
        if rel.uselist and rel.secondary is not None and state.attrs[rel.key].history.has_changes():
            history = state.attrs[rel.key].history
            result[rel.key] = [_plain(list(history.unchanged) + list(history.deleted)),
                               _plain(list(history.unchanged) + list(history.added))]
    return result


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _write_audit_log(session, flush_context, instances):
    actor = session.info.get("actor", "system")
    batch = session.info.get("batch")
    entries = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in list(objects):
            if type(obj).__name__ not in TRACKED:
                continue
            if getattr(obj, "uuid", "no") is None:
                obj.uuid = uuid.uuid4()
            changes = {} if action == "delete" else _changes(obj, action == "create")
            if action == "update" and not changes:
                continue
            plan = _plan_of(obj)
            if plan is not None and plan.uuid is None:
                plan.uuid = uuid.uuid4()
            entries.append(AuditEntry(actor=actor[:254], plan_uuid=plan.uuid if plan is not None else None,
                                      action=action, entity=type(obj).__name__,
                                      entity_uuid=getattr(obj, "uuid", None), summary=_summary(obj),
                                      changes=changes, batch=batch))
    session.add_all(entries)
