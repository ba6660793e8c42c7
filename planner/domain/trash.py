"""The trash (Prullenbak) and undo.

Deleting moves what goes with the deleted rows into an `UndoEntry`: every row the database removes with them
(by ON DELETE CASCADE: a partner's contact persons, an audience's messages and embargoes, the links between
activities and audiences, a plan with everything in it) and every reference it clears (by ON DELETE SET NULL:
the channel of the activities that used a deleted channel). Restoring puts all of it back, under the same
identifiers where they are still free, so links, feed UIDs and subscription links keep working. The walk follows
the foreign keys of the schema, so a new table is covered without code here.

A change to many rows at once keeps the rows' earlier values; undoing it puts them back unless a row was changed
again in the meantime. Entries are purged after `KEPT_DAYS`.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner import clock
from planner.db import Base
from planner.domain import search
from planner.enums import N_
from planner.models import AuditEntry, FeedTombstone, Organisation, Plan, UndoEntry
from planner.models.trash import KEPT_DAYS

CHUNK = 500
# Derived from other rows and written again after a restore, not kept in the trash.
DERIVED_TABLES = {"search_documents"}
# Calendar items: a restored one must carry a higher SEQUENCE than the tombstone the feeds showed.
FEED_TABLES = {"activities": ("-productie",), "moments": (), "checklist_items": ()}


class UndoError(Exception):
    """Why an entry cannot be undone; the message is an English msgid for the interface."""

    def __init__(self, message: str, **values):
        super().__init__(message)
        self.message, self.values = message, values


# --- values as JSON ---------------------------------------------------------------------------------------------

def encode_value(value):
    """A column value as JSON; dates, times, decimals, bytes and enums keep their kind (UUIDs are text, which the
    column's type turns back into a UUID)."""
    if isinstance(value, enum.Enum):
        return {"$": "enum", "v": value.value}
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, uuid.UUID):  # plain, so that the privacy scrub recognises a contact person's copy
        return str(value)
    if isinstance(value, bytes):
        return {"$": "bytes", "v": base64.b64encode(value).decode()}
    if isinstance(value, dict):  # a JSON column's own content
        return {"$": "json", "v": value}
    return value


def decode_value(column: sa.Column, value):
    if isinstance(value, str) and isinstance(column.type, sa.Uuid):
        return uuid.UUID(value)
    if not isinstance(value, dict):
        return value
    kind, raw = value["$"], value["v"]
    if kind == "enum":
        enum_class = getattr(column.type, "enum_class", None)
        return enum_class(raw) if enum_class is not None else raw
    return {"datetime": dt.datetime.fromisoformat, "date": dt.date.fromisoformat, "time": dt.time.fromisoformat,
            "decimal": decimal.Decimal, "bytes": base64.b64decode,
            "json": lambda v: v}[kind](raw)


def _encode_row(row) -> dict:
    return {name: encode_value(value) for name, value in row._mapping.items()}


def _decode_row(table: sa.Table, data: dict) -> dict:
    return {name: decode_value(table.c[name], value) for name, value in data.items() if name in table.c}


def _pk(table: sa.Table, row: dict) -> tuple:
    return tuple(row[c.name] for c in table.primary_key.columns)


# --- what a delete takes with it ---------------------------------------------------------------------------------

@dataclass
class Removal:
    """The rows a delete removes (per table, in the order they may be inserted again) and the references it clears."""

    rows: dict[str, list[dict]]
    cleared: list[tuple[str, int, str, object]]  # (table, id, column, value)

    def to_payload(self) -> dict:
        return {"rows": {name: [{k: encode_value(v) for k, v in row.items()} for row in rows]
                         for name, rows in self.rows.items()}}


def _referencing(table: sa.Table) -> list[tuple[sa.Table, sa.ForeignKey]]:
    return [(other, fk) for other in Base.metadata.sorted_tables for fk in other.foreign_keys
            if fk.column.table is table and other.name not in DERIVED_TABLES]


def collect_removal(session: Session, table: sa.Table, ids: Iterable[int]) -> Removal:
    """Everything that deleting the rows `ids` of `table` removes or clears, read before the delete."""
    connection = session.connection()
    found: dict[str, dict[tuple, dict]] = {}
    cleared: dict[tuple, tuple] = {}
    pending = [(table, sa.select(table).where(table.c.id.in_(list(ids))))]
    while pending:
        current, query = pending.pop()
        new_rows = []
        for row in connection.execute(query):
            data = dict(row._mapping)
            key = _pk(current, data)
            if key not in found.setdefault(current.name, {}):
                found[current.name][key] = data
                new_rows.append(data)
        if not new_rows:
            continue
        for other, fk in _referencing(current):
            values = sorted({row[fk.column.name] for row in new_rows if row[fk.column.name] is not None})
            for start in range(0, len(values), CHUNK):
                where = fk.parent.in_(values[start:start + CHUNK])
                if fk.ondelete == "CASCADE":
                    pending.append((other, sa.select(other).where(where)))
                elif fk.ondelete == "SET NULL":
                    for row in connection.execute(sa.select(other.c.id, fk.parent).where(where)):
                        cleared[(other.name, row[0], fk.parent.name)] = row[1]
    removed = {name: set(rows) for name, rows in found.items()}
    order = [t.name for t in Base.metadata.sorted_tables]
    return Removal(
        rows={name: list(found[name].values()) for name in sorted(found, key=order.index)},
        cleared=[(name, row_id, column, value) for (name, row_id, column), value in sorted(cleared.items())
                 if (row_id,) not in removed.get(name, set())])


# --- recording ---------------------------------------------------------------------------------------------------

def _start_batch(session: Session, entry: UndoEntry, what: str) -> None:
    """Group the audit log entries of one action under one batch, headed by an entry that names the action:
    `what` is "delete", "change", "create" or "undo". End it with `end_batch`, also when the action fails."""
    batch = uuid.uuid4()
    session.info["batch"] = batch
    plan = session.get(Plan, entry.plan_id) if entry.plan_id else None
    session.add(AuditEntry(actor=session.info.get("actor", "system")[:254], action="batch", entity=what,
                           entity_uuid=entry.uuid, plan_uuid=plan.uuid if plan is not None else None,
                           summary=entry.label, changes={}, batch=batch))


def end_batch(session: Session) -> None:
    session.info.pop("batch", None)


def _identities(session: Session, cleared: list[tuple[str, int, str, object]]) -> list[list]:
    """The cleared references with each row's UUID and version as they are after the delete: restoring sets a
    reference back only on that row, and only if nobody changed the row since."""
    tables = Base.metadata.tables
    found = {}
    for name in {name for name, *_ in cleared}:
        table = tables[name]
        ids = sorted({row_id for n, row_id, *_ in cleared if n == name})
        columns = [table.c.id, table.c.get("uuid"), table.c.get("row_version")]
        for start in range(0, len(ids), CHUNK):
            for row in session.execute(sa.select(*[c if c is not None else sa.null() for c in columns])
                                       .where(table.c.id.in_(ids[start:start + CHUNK]))):
                found[(name, row[0])] = (str(row[1]) if row[1] is not None else None, row[2])
    return [[name, row_id, *found.get((name, row_id), (None, None)), column, encode_value(value)]
            for name, row_id, column, value in cleared]


def discard(session: Session, rows: list, kind: str, label: str, plan: Plan | None = None) -> UndoEntry:
    """Delete `rows` (of one model) and keep what the delete takes with it in the trash; return the entry.

    `plan` is the plan the rows belong to; None when `rows` is a plan itself (its owner's trash holds it)."""
    session.flush()
    table = type(rows[0]).__table__
    removal = collect_removal(session, table, [row.id for row in rows])
    owner = plan.owner_id if plan is not None else rows[0].owner_id
    entry = UndoEntry(uuid=uuid.uuid4(), plan_id=plan.id if plan is not None else None, organisation_id=owner,
                      action="delete", kind=kind, label=label[:300], count=len(rows),
                      actor=session.info.get("actor", "system")[:254], at=clock.now(), payload={})
    _start_batch(session, entry, "delete")
    try:
        session.add(entry)
        for row in rows:
            session.delete(row)
        session.flush()
        payload = removal.to_payload()
        payload["cleared"] = _identities(session, removal.cleared)
        entry.payload = {"table": table.name, "ids": [row.id for row in rows],
                         "plan_id": plan.id if plan is not None else None, **payload}
        session.flush()
    finally:
        end_batch(session)
    # The database removed and cleared more than the session saw (ON DELETE CASCADE / SET NULL): rows and
    # collections it still holds would be stale.
    session.expire_all()
    return entry


def _identified(rows: list, values) -> list[dict]:
    return [{"id": row.id, "uuid": str(row.uuid), **values(row)} for row in rows]


def record_change(session: Session, plan: Plan, rows: list, columns: Iterable[str], kind: str,
                  label: str) -> UndoEntry:
    """Keep the values of `columns` of `rows` before a change to all of them; call before changing them.

    Finish with `finish_change` after the change is flushed: it notes the rows' versions, which undo checks.
    Until then the session groups the history under this action; on failure call `end_batch`."""
    columns = tuple(columns)
    entry = UndoEntry(uuid=uuid.uuid4(), plan_id=plan.id, organisation_id=plan.owner_id, action="change", kind=kind,
                      label=label[:300], count=len(rows), actor=session.info.get("actor", "system")[:254],
                      at=clock.now(), payload={
                          "table": type(rows[0]).__table__.name,
                          "rows": _identified(rows, lambda row: {"values": {c: encode_value(getattr(row, c))
                                                                            for c in columns}})})
    _start_batch(session, entry, "change")
    session.add(entry)
    return entry


def finish_change(session: Session, entry: UndoEntry, rows: list) -> None:
    try:
        session.flush()
        versions = {row.id: row.row_version for row in rows}
        entry.payload = {**entry.payload,
                         "rows": [{**r, "version": versions[r["id"]]} for r in entry.payload["rows"]]}
        session.flush()
    finally:
        end_batch(session)


def record_creation(session: Session, plan: Plan, kind: str, label: str) -> UndoEntry:
    """An action that adds rows (copies); undoing it deletes them again unless they were changed since. Add
    the rows after this call (so the history groups them), then call `finish_creation`."""
    entry = UndoEntry(uuid=uuid.uuid4(), plan_id=plan.id, organisation_id=plan.owner_id, action="create", kind=kind,
                      label=label[:300], count=0, actor=session.info.get("actor", "system")[:254], at=clock.now(),
                      payload={})
    _start_batch(session, entry, "create")
    session.add(entry)
    return entry


def finish_creation(session: Session, entry: UndoEntry, rows: list) -> None:
    try:
        session.flush()
        entry.count = len(rows)
        entry.payload = {"table": type(rows[0]).__table__.name,
                         "rows": _identified(rows, lambda row: {"version": row.row_version})}
        session.flush()
    finally:
        end_batch(session)


# --- undoing -----------------------------------------------------------------------------------------------------

def _model_of(table_name: str):
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_
    raise LookupError(table_name)


def undo(session: Session, entry: UndoEntry) -> list[tuple[str, dict]]:
    """Take `entry` back: restore what was deleted, or put changed values back. All or nothing.

    Returns notes for the user (English msgids with their values): what could not come back with it.
    Raises UndoError when it is no longer possible; the caller rolls back."""
    if entry.at < clock.now() - dt.timedelta(days=KEPT_DAYS):
        raise UndoError(N_("This can no longer be undone."))
    # Claim the entry first: of two requests (a double click), the second waits here and then finds it taken.
    claimed = session.execute(sa.update(UndoEntry).where(UndoEntry.id == entry.id, UndoEntry.undone_at.is_(None))
                              .values(undone_at=clock.now()).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise UndoError(N_("This has already been undone."))
    _start_batch(session, entry, "undo")
    try:
        if entry.action == "delete":
            plan_id, notes = _restore(session, entry)
        else:
            _revert(session, entry)
            plan_id, notes = entry.plan_id, []
        # restored rows and reverted values were written without the flush listener that keeps the index current
        search.reindex_plan(session, plan_id)
        session.flush()
    finally:
        end_batch(session)
    session.expire_all()
    return notes


def _in_plan(model, plan_id: int):
    """A condition: rows of `model` in the plan `plan_id`."""
    if "plan_id" in model.__table__.c:
        return model.plan_id == plan_id
    from planner.models import Phase

    return model.phase_id.in_(sa.select(Phase.id).where(Phase.plan_id == plan_id))


def _revert(session: Session, entry: UndoEntry) -> None:
    """Put back the values a change replaced, or delete the rows an action added; none of them may have changed
    since, and what the old values point to must still be there."""
    model = _model_of(entry.payload["table"])
    table = model.__table__
    wanted = [uuid.UUID(r["uuid"]) for r in entry.payload["rows"]]
    rows = {str(row.uuid): row for row in session.scalars(
        sa.select(model).where(model.uuid.in_(wanted), _in_plan(model, entry.plan_id)))}
    for data in entry.payload["rows"]:
        row = rows.get(data["uuid"])
        if row is None or row.row_version != data["version"]:
            raise UndoError(N_("“%(title)s” was changed or deleted after this; undo it by hand."),
                            title=row.title if row is not None else entry.label)
    for data in entry.payload["rows"]:
        row = rows[data["uuid"]]
        if entry.action == "create":
            session.delete(row)
            continue
        for column, value in data["values"].items():
            value = decode_value(table.c[column], value)
            if value is not None and table.c[column].foreign_keys and not _exists_in_plan(
                    session, _target_table(table, column), value, entry.plan_id):
                raise UndoError(N_("What “%(title)s” pointed to before (a channel or a sender) was deleted since; "
                                   "undo it by hand."), title=row.title)
            setattr(row, column, value)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise UndoError(N_("Something these rows pointed to was deleted since; undo it by hand.")) from None


def _target_table(table: sa.Table, column: str) -> sa.Table:
    return next(iter(table.c[column].foreign_keys)).column.table


def _exists_in_plan(session: Session, target: sa.Table, row_id: int, plan_id: int | None) -> bool:
    query = sa.select(target.c.id).where(target.c.id == row_id)
    if plan_id is not None and "plan_id" in target.c:
        query = query.where(target.c.plan_id == plan_id)
    return session.scalar(query) is not None


def _restore(session: Session, entry: UndoEntry) -> tuple[int, list[tuple[str, dict]]]:
    connection = session.connection()
    session.flush()
    now = clock.now()
    tables = Base.metadata.tables
    order = [t.name for t in Base.metadata.sorted_tables]
    rows = {name: [_decode_row(tables[name], data) for data in entry.payload["rows"][name]]
            for name in sorted(entry.payload["rows"], key=order.index)}
    wanted = set(entry.payload["ids"])
    roots = [dict(data) for data in rows.get(entry.payload["table"], []) if data.get("id") in wanted]
    notes: list[tuple[str, dict]] = []
    new_ids: dict[str, dict[int, int]] = {}
    if entry.kind == "plan":
        if session.get(Organisation, entry.organisation_id) is None:
            raise UndoError(N_("This can no longer be undone."))
        for data in rows.get("plans", []):
            if session.scalar(sa.select(Plan.id).where(Plan.slug == data["slug"])) is not None:
                from planner.domain.plans import unique_slug

                data["slug"] = unique_slug(session, data["title"])
                notes.append((N_("Its web address was taken meanwhile; the plan is back at /plans/%(slug)s."),
                              {"slug": data["slug"]}))
    else:
        if entry.plan_id is None or session.get(Plan, entry.plan_id) is None:
            raise UndoError(N_("This can no longer be undone."))
        original = entry.payload.get("plan_id")
        if original is not None and original != entry.plan_id:  # the plan itself came back under another id
            new_ids["plans"] = {original: entry.plan_id}
    restored_ids = {name: {data["id"] for data in items if "id" in data} for name, items in rows.items()}
    restored_uids: list[str] = []
    for name, items in rows.items():
        table = tables[name]
        for data in items:
            _remap(table, data, new_ids)
        _drop_dangling(session, table, items, restored_ids, notes)
        _fresh_versions(session, table, items, now)
        single_id = list(table.primary_key.columns) == [table.c.get("id")]
        taken = set()
        if single_id:
            ids = [data["id"] for data in items]
            for start in range(0, len(ids), CHUNK):
                taken.update(connection.scalars(sa.select(table.c.id).where(table.c.id.in_(ids[start:start + CHUNK]))))
        free = [data for data in items if not single_id or data["id"] not in taken]
        try:
            if free:
                connection.execute(table.insert(), free)
            for data in items:
                if single_id and data["id"] in taken:
                    old = data.pop("id")
                    new_ids.setdefault(name, {})[old] = connection.execute(
                        table.insert().values(**data).returning(table.c.id)).scalar_one()
        except sa.exc.IntegrityError:
            raise UndoError(N_("Something with the same name exists again; rename or delete it first.")) from None
        if name in FEED_TABLES:
            for data in items:
                restored_uids += [f"{data['uuid']}{suffix}@planner" for suffix in ("", *FEED_TABLES[name])]
    for name, row_id, row_uuid, version, column, value in entry.payload["cleared"]:
        table = tables[name]
        value = decode_value(table.c[column], value)
        value = new_ids.get(_target_table(table, column).name, {}).get(value, value)
        changes = {column: value}
        for extra, bump in (("row_version", table.c.get("row_version")), ("sequence", table.c.get("sequence"))):
            if bump is not None:
                changes[extra] = bump + 1
        if "updated_at" in table.c:
            changes["updated_at"] = now
        # the same row (by UUID where it has one), untouched since the delete, and still without a value
        same = table.c.uuid == uuid.UUID(row_uuid) if row_uuid else table.c.id == row_id
        unchanged = table.c.row_version == version if version is not None else sa.true()
        connection.execute(table.update().where(same, unchanged, table.c[column].is_(None)).values(**changes))
    for start in range(0, len(restored_uids), CHUNK):
        connection.execute(sa.delete(FeedTombstone).where(FeedTombstone.uid.in_(restored_uids[start:start + CHUNK])))
    _log_restored(session, entry, roots)
    if entry.kind == "plan":
        first = rows["plans"][0]
        return (first["id"] if "id" in first else new_ids["plans"][entry.payload["ids"][0]]), notes
    return entry.plan_id, notes


def _drop_dangling(session: Session, table: sa.Table, items: list[dict], restored: dict[str, set],
                   notes: list) -> None:
    """References to rows that were deleted since (and do not come back with these): cleared where they may be
    empty, with a note; a required one makes the restore impossible."""
    for fk in table.foreign_keys:
        target, column = fk.column.table, fk.parent.name
        if target.name == table.name:
            continue
        values = sorted({data[column] for data in items if data.get(column) is not None}
                        - restored.get(target.name, set()))
        if not values:
            continue
        # where both rows belong to a plan, the target must be in the same plan (an id may have been reused)
        same_plan = "plan_id" in target.c and "plan_id" in table.c
        present = {}
        for start in range(0, len(values), CHUNK):
            present.update(session.execute(sa.select(target.c.id, target.c.plan_id if same_plan else sa.null())
                                           .where(target.c.id.in_(values[start:start + CHUNK]))).all())
        for data in items:
            value = data.get(column)
            if value is None or value in restored.get(target.name, ()):
                continue
            if value in present and (not same_plan or present[value] == data.get("plan_id")):
                continue
            if not fk.parent.nullable:
                raise UndoError(N_("This cannot come back: what it belonged to was deleted since."))
            data[column] = None
            note = (N_("Some links could not come back: what they pointed to was deleted since (%(what)s)."),
                    {"what": target.name})
            if note not in notes:
                notes.append(note)


def _remap(table: sa.Table, data: dict, new_ids: dict[str, dict[int, int]]) -> None:
    """Point the row's references at the new identifiers of rows restored under another one."""
    for fk in table.foreign_keys:
        mapping = new_ids.get(fk.column.table.name)
        if mapping and data.get(fk.parent.name) in mapping:
            data[fk.parent.name] = mapping[data[fk.parent.name]]


def _fresh_versions(session: Session, table: sa.Table, items: list[dict], now: dt.datetime) -> None:
    """Restored rows count as changed: new versions, and a SEQUENCE above the tombstone's for calendar items."""
    if table.name in FEED_TABLES:
        uids = [f"{data['uuid']}@planner" for data in items]
        tombstones = {}
        for start in range(0, len(uids), CHUNK):
            tombstones.update(session.execute(sa.select(FeedTombstone.uid, sa.func.max(FeedTombstone.sequence))
                                              .where(FeedTombstone.uid.in_(uids[start:start + CHUNK]))
                                              .group_by(FeedTombstone.uid)).all())
        for data in items:
            data["sequence"] = max(data["sequence"] or 0, tombstones.get(f"{data['uuid']}@planner", 0)) + 1
    for data in items:
        if "row_version" in data:
            data["row_version"] = (data["row_version"] or 0) + 1
        if "updated_at" in data:
            data["updated_at"] = now


def _log_restored(session: Session, entry: UndoEntry, roots: list[dict]) -> None:
    """One "restore" entry in the history per row that was deleted on purpose (not per cascaded row)."""
    model = _model_of(entry.payload["table"])
    plan = session.get(Plan, entry.plan_id) if entry.plan_id else None
    for data in roots:
        summary = next((data[n] for n in ("title", "name", "label") if isinstance(data.get(n), str) and data[n]), "")
        plan_uuid = plan.uuid if plan is not None else data.get("uuid")
        session.add(AuditEntry(actor=session.info.get("actor", "system")[:254], plan_uuid=plan_uuid, action="restore",
                               entity=model.__name__, entity_uuid=data.get("uuid"), summary=summary[:300],
                               changes={}, batch=session.info.get("batch")))


# --- listing and purging -----------------------------------------------------------------------------------------

def kept_since() -> dt.datetime:
    return clock.now() - dt.timedelta(days=KEPT_DAYS)


def plan_trash(session: Session, plan: Plan) -> list[UndoEntry]:
    """The plan's deleted items that can still be restored, newest first."""
    return list(session.scalars(sa.select(UndoEntry).where(
        UndoEntry.plan_id == plan.id, UndoEntry.action == "delete", UndoEntry.undone_at.is_(None),
        UndoEntry.at >= kept_since()).order_by(UndoEntry.at.desc(), UndoEntry.id.desc())))


def deleted_plans(session: Session, organisation_ids: Iterable[int]) -> list[UndoEntry]:
    """Deleted plans of these organisations that can still be restored, newest first."""
    return list(session.scalars(sa.select(UndoEntry).where(
        UndoEntry.plan_id.is_(None), UndoEntry.kind == "plan", UndoEntry.undone_at.is_(None),
        UndoEntry.organisation_id.in_(list(organisation_ids)), UndoEntry.at >= kept_since())
        .order_by(UndoEntry.at.desc(), UndoEntry.id.desc())))


def purge(session: Session) -> int:
    """Forget entries older than `KEPT_DAYS`: their items are gone for good."""
    return session.execute(sa.delete(UndoEntry).where(UndoEntry.at < kept_since())).rowcount or 0
