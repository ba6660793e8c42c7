"""Personal data of contact persons (AVG/GDPR): export everything held about a person, or erase it.

A contact person's data does not stay in their row: the audit log, the snapshots of approved
plans, feed tombstones, owner names and free text all keep copies. Export and erase therefore
read every text and JSON column of every table (found through the metadata, so a new table is
covered without a change here), except the account tables: user accounts are disabled or
changed by an administrator, not erased as a contact person.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner import clock
from planner.db import Base
from planner.enums import DeliveryStatus, FeedScope, ReminderKind
from planner.models import AuditEntry, ContactPerson, Plan, PlanSnapshot, Reminder, Subscription

# The reminders composed from plan data (a password-reset mail holds no plan data).
DIGEST_KINDS = [kind for kind in ReminderKind if kind != ReminderKind.PASSWORD_RESET]

ERASED = "Verwijderd (AVG)"
PERSONAL_FIELDS = ("name", "function", "email", "phone")
ACCOUNT_TABLES = {"users", "user_sessions", "login_attempts", "password_resets"}


@dataclass
class Person:
    """Every contact record of one person: live rows, and the UUIDs of records kept only in copies."""

    contacts: list[ContactPerson]
    uuids: set[uuid.UUID]
    values: dict[str, set[str]]  # field -> every value the records held: name, function, email, phone
    plan: Plan | None = None  # only this plan's data, or None for the whole database
    uuid_texts: set[str] = field(init=False)

    def __post_init__(self):
        self.uuid_texts = {str(u) for u in self.uuids}

    @property
    def found(self) -> bool:
        return bool(self.uuids)

    def pattern(self) -> re.Pattern | None:
        """The name, e-mail address and phone number of the person as they may appear in any text."""
        parts = []
        for text in self.values["name"] | self.values["email"]:
            parts.append(r"\s+".join(re.escape(word) for word in text.split()))
        for phone in self.values["phone"]:
            digits = re.sub(r"\D", "", phone)
            if len(digits) >= 6:  # "06 1234 5678" is also found as 0612345678 or 06-12345678
                parts.append(r"(?<!\d)\+?" + r"[\s.()/-]*".join(digits) + r"(?!\d)")
            else:
                parts.append(re.escape(phone.strip()))
        parts = sorted(filter(None, parts), key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None


def _fold(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _contact_copies(value):
    """The contact entries of a plan document (and of the snapshots it holds in turn)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "contacts" and isinstance(item, list):
                yield from (c for c in item if isinstance(c, dict))
            else:
                yield from _contact_copies(item)
    elif isinstance(value, list):
        for item in value:
            yield from _contact_copies(item)


def _snapshots(session: Session, plan: Plan | None):
    query = sa.select(PlanSnapshot).order_by(PlanSnapshot.id)
    return session.scalars(query.where(PlanSnapshot.plan_id == plan.id) if plan is not None else query)


def _collect(session: Session, matches, plan: Plan | None) -> Person:
    """Gather the records for which `matches(values, uuid)` holds, and the copies of those records."""
    live = session.scalars(sa.select(ContactPerson).order_by(ContactPerson.id))
    contacts = [c for c in live if (plan is None or c.partner.plan_id == plan.id)
                and matches({"name": c.name, "email": c.email}, c.uuid)]
    uuids = {c.uuid for c in contacts}
    logged = sa.select(AuditEntry).where(AuditEntry.entity == "ContactPerson").order_by(AuditEntry.id)
    if plan is not None:
        logged = logged.where(AuditEntry.plan_uuid == plan.uuid)
    entries = list(session.scalars(logged))
    for entry in entries:  # contacts deleted since: the log still has what they held
        changes = entry.changes or {}
        for side in (0, 1):
            values = {k: changes[k][side] for k in ("name", "email") if isinstance(changes.get(k), list)}
            if entry.entity_uuid is not None and values and matches(values, entry.entity_uuid):
                uuids.add(entry.entity_uuid)
    records = [{k: getattr(c, k) for k in PERSONAL_FIELDS} for c in contacts]
    for snapshot in _snapshots(session, plan):
        for copy in _contact_copies(snapshot.document):
            try:
                copy_uuid = uuid.UUID(str(copy.get("uuid")))
            except ValueError:
                continue
            if copy_uuid in uuids or matches(copy, copy_uuid):
                uuids.add(copy_uuid)
                records.append(copy)
    for entry in entries:
        if entry.entity_uuid in uuids:
            changes = entry.changes or {}
            records.extend({k: changes[k][side] for k in PERSONAL_FIELDS if isinstance(changes.get(k), list)}
                           for side in (0, 1))
    values = {k: {str(r[k]).strip() for r in records if r.get(k) and str(r[k]).strip() != ERASED}
              for k in PERSONAL_FIELDS}
    return Person(contacts, uuids, values, plan)


def find_person(session: Session, query: str) -> Person:
    """Every record, in the whole database, of the contact person with this e-mail address or name."""
    wanted = _fold(query)
    return _collect(session, lambda values, _: bool(wanted) and wanted in (_fold(values.get("name")),
                                                                           _fold(values.get("email"))), None)


def person_of(session: Session, contact: ContactPerson) -> Person:
    """This contact person of a plan, with the copies of their data in that plan."""
    return _collect(session, lambda _, uid: uid == contact.uuid, contact.partner.plan)


@dataclass
class _Hit:
    table: sa.Table
    row: dict
    new: dict  # column name -> scrubbed value
    mentions: list[str]  # the texts (or, in JSON, the strings) where the person was found


def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.columns if not (c.primary_key or c.foreign_keys or c.unique)
            and (isinstance(c.type, sa.JSON) or (isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum)))]


def _scrub(value, person: Person, pattern, mentions: list[str]):
    """`value` without the person: contact copies blanked, their name, e-mail and phone replaced in every text."""
    if isinstance(value, str):
        if pattern is not None and pattern.search(value):
            mentions.append(value)
            return pattern.sub(ERASED, value)
        return value
    if isinstance(value, list):
        return [_scrub(item, person, pattern, mentions) for item in value]
    if isinstance(value, dict):
        if str(value.get("uuid")) in person.uuid_texts and PERSONAL_FIELDS[0] in value:
            return {k: (ERASED if k == "name" else "") if k in PERSONAL_FIELDS else _scrub(v, person, pattern, [])
                    for k, v in value.items()}
        return {k: _scrub(v, person, pattern, mentions) for k, v in value.items()}
    return value


def _mappers() -> dict[sa.Table, type]:
    return {m.local_table: m.class_ for m in Base.registry.mappers}


def _row_plan(session: Session, table: sa.Table, row: dict):
    """(plan id, plan uuid) of a row as far as it belongs to a plan."""
    if table.name == "plans":
        return row["id"], None
    if "plan_id" in row:
        return row["plan_id"], None
    if "plan_uuid" in row:
        return None, row["plan_uuid"]
    cls = _mappers().get(table)
    if cls is None:
        return None, None
    obj = session.get(cls, tuple(row[c.name] for c in table.primary_key.columns))
    for parent in ("partner", "message", "phase"):
        owner = getattr(obj, parent, None)
        if owner is not None:
            return owner.plan_id, None
    return None, None


def _scan(session: Session, person: Person) -> list[_Hit]:
    """Every row that holds the person outside their own contact row, with its scrubbed values."""
    pattern = person.pattern()
    hits = []
    for table in Base.metadata.sorted_tables:
        columns = _text_columns(table)
        if table.name in ACCOUNT_TABLES or not columns:
            continue
        rows = session.execute(sa.select(table).execution_options(yield_per=200)).mappings()
        for row in rows:
            new, mentions = {}, []
            for column in columns:
                value = row[column.name]
                scrubbed = _scrub(value, person, pattern, mentions)
                if scrubbed != value:
                    length = getattr(column.type, "length", None)
                    new[column.name] = scrubbed[:length] if isinstance(scrubbed, str) and length else scrubbed
            if new:
                hits.append(_Hit(table, dict(row), new, mentions))
    if person.plan is not None:
        hits = [h for h in hits if _row_plan(session, h.table, h.row) in ((person.plan.id, None),
                                                                          (None, person.plan.uuid))]
    return hits


def _own_record(hit: _Hit, person: Person) -> bool:
    """A contact row or audit entry of the person themselves (exported as such, not as a mention)."""
    return ((hit.table.name == ContactPerson.__tablename__ and hit.row.get("uuid") in person.uuids)
            or (hit.table.name == AuditEntry.__tablename__ and hit.row.get("entity_uuid") in person.uuids))


def _history(session: Session, entity_uuid) -> list[dict]:
    return [{"at": e.at.isoformat(), "by": e.actor, "action": e.action, "changes": e.changes}
            for e in session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_uuid == entity_uuid)
                                     .order_by(AuditEntry.at, AuditEntry.id))]


def export_person(session: Session, person: Person) -> dict:
    """Everything the planner holds about the person: their records, their history, copies and mentions."""
    live = {c.uuid for c in person.contacts}
    snapshots = []
    for snapshot in _snapshots(session, person.plan):
        copies = [c for c in _contact_copies(snapshot.document) if str(c.get("uuid")) in person.uuid_texts]
        if copies:
            snapshots.append({"plan": snapshot.plan.slug, "taken_at": snapshot.created_at.isoformat(),
                              "status": snapshot.status.value, "contact_persons": copies})
    return {
        "contact_persons": [
            {"name": c.name, "function": c.function, "email": c.email, "phone": c.phone,
             "partner": c.partner.name, "plan": c.partner.plan.title, "created_at": c.created_at.isoformat(),
             "history": _history(session, c.uuid)}
            for c in person.contacts],
        "deleted_contact_persons": [{"uuid": str(u), "history": _history(session, u)}
                                    for u in sorted(person.uuids - live, key=str)],
        "plan_snapshots": snapshots,
        "mentions": [{"table": h.table.name, "row": h.row.get("id"), "texts": h.mentions}
                     for h in _scan(session, person) if h.mentions and not _own_record(h, person)],
    }


def erase_person(session: Session, person: Person) -> tuple[int, int]:
    """Erase the person's name, function, e-mail and phone wherever they are held; plans and partners stay.

    Return how many contact rows were erased and how many other rows held a copy.

    Rows of the model are changed through the ORM, so feeds see the change and the audit log
    records that it happened; a second pass then scrubs the old values from those log entries.
    """
    for contact in person.contacts:
        contact.name, contact.function, contact.email, contact.phone = ERASED, "", "", ""
    session.flush()
    mapped = _mappers()
    copies = set()
    for _ in range(2):
        for hit in _scan(session, person):
            if not _own_record(hit, person):
                copies.add((hit.table.name, tuple(hit.row[c.name] for c in hit.table.primary_key.columns)))
            cls = mapped.get(hit.table)
            if cls is None:
                keys = hit.table.primary_key.columns
                session.execute(hit.table.update().where(*(c == hit.row[c.name] for c in keys)).values(hit.new))
                continue
            obj = session.get(cls, tuple(hit.row[c.name] for c in hit.table.primary_key.columns))
            mapper = sa.inspect(cls)
            for name, value in hit.new.items():
                setattr(obj, mapper.get_property_by_column(hit.table.c[name]).key, value)
            if isinstance(obj, Subscription) and obj.scope == FeedScope.PERSON and "person" in hit.new:
                obj.revoked_at = obj.revoked_at or clock.now()  # the feed of an erased person ends
        session.flush()
    # keep only that the person's own records were created, changed and erased, not what they held
    if person.uuids:
        session.execute(sa.update(AuditEntry).where(AuditEntry.entity_uuid.in_(person.uuids))
                        .values(summary=ERASED, changes={}))
    # Reminders waiting to be sent were composed from the old data (their MIME bytes are not text to scrub):
    # drop them, and the next run composes them again from what is left. Sent ones keep no body.
    session.execute(sa.delete(Reminder).where(Reminder.status == DeliveryStatus.PENDING,
                                              Reminder.kind.in_(DIGEST_KINDS)))
    return len(person.contacts), len(copies)
