"""Personal data of contact persons (AVG/GDPR): export everything about a person, or erase it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.models import AuditEntry, ContactPerson

ERASED = "Verwijderd (AVG)"


def find_contacts(session: Session, query: str) -> list[ContactPerson]:
    """Contact persons whose e-mail address or name is `query` (case-insensitive)."""
    wanted = (query or "").strip().lower()
    if not wanted:
        return []
    return list(session.scalars(sa.select(ContactPerson).where(sa.or_(
        sa.func.lower(ContactPerson.email) == wanted, sa.func.lower(ContactPerson.name) == wanted))))


def export_person(session: Session, contacts: list[ContactPerson]) -> dict:
    """Everything the planner holds about these contact persons, including the history of their data."""
    return {"contact_persons": [
        {"name": c.name, "function": c.function, "email": c.email, "phone": c.phone,
         "partner": c.partner.name, "plan": c.partner.plan.title, "created_at": c.created_at.isoformat(),
         "history": [{"at": e.at.isoformat(), "by": e.actor, "action": e.action, "changes": e.changes}
                     for e in session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_uuid == c.uuid)
                                              .order_by(AuditEntry.at))]}
        for c in contacts]}


def erase_person(session: Session, contacts: list[ContactPerson]) -> int:
    """Remove name, e-mail and phone, also from the audit log; the plan and the partner stay intact."""
    for contact in contacts:
        session.execute(sa.update(AuditEntry).where(AuditEntry.entity_uuid == contact.uuid)
                        .values(summary=ERASED, changes={}))
        contact.name, contact.function, contact.email, contact.phone = ERASED, "", "", ""
    session.flush()
    # the flush just logged the erasure itself; keep only that it happened, not the old values
    for contact in contacts:
        session.execute(sa.update(AuditEntry).where(AuditEntry.entity_uuid == contact.uuid)
                        .values(summary=ERASED, changes={}))
    return len(contacts)
