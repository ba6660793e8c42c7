"""The security log: who logged in, failed, was slowed down, changed a password, exported or erased personal data.

Events go to a table of their own, never to a plan's history, and never hold a secret: no
password, token, reset link or session key, and for a failed login with an unknown account
not even what was typed (people type their password in the e-mail field by mistake).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner import clock
from planner.enums import SecurityEventKind
from planner.models import SecurityEvent, User

KEPT_FOR = dt.timedelta(days=365)


def record(session: Session, kind: SecurityEventKind, user: User | None = None, detail: str = "",
           actor: str | None = None, address: str | None = None, **params) -> SecurityEvent:
    """Add an event; the actor and address default to the session's (set per request or command).

    `detail` is an English text marked for translation (N_), with %(name)s placeholders for `params`; it is
    stored with them and shown in the reader's language (`describe`). Parameters ending in `_label` are
    themselves texts to translate (an enum's label)."""
    stored = json.dumps({"text": detail, **params}, ensure_ascii=False) if params else detail
    event = SecurityEvent(kind=kind, user_id=user.id if user is not None else None,
                          email=user.email if user is not None else "",
                          actor=(actor if actor is not None else session.info.get("actor", "system"))[:254],
                          address=(address if address is not None else session.info.get("address", ""))[:64],
                          detail=stored[:500], at=clock.now())
    session.add(event)
    return event


@dataclass(frozen=True)
class EventFilter:
    kind: SecurityEventKind | None = None
    user_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def find_events(session: Session, wanted: EventFilter, limit: int) -> list[SecurityEvent]:
    """The newest events that match `wanted`, at most `limit`."""
    query = sa.select(SecurityEvent)
    if wanted.kind is not None:
        query = query.where(SecurityEvent.kind == wanted.kind)
    if wanted.user_id is not None:
        query = query.where(SecurityEvent.user_id == wanted.user_id)
    if wanted.since is not None:
        query = query.where(SecurityEvent.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(SecurityEvent.at < wanted.until)
    return list(session.scalars(query.order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc()).limit(limit)))


def describe(detail: str, translate: Callable[[str], str]) -> str:
    """An event's detail in the reader's language (see `record`)."""
    if not detail.startswith("{"):
        return translate(detail) if detail else ""
    try:
        values = json.loads(detail)
        text = values.pop("text")
        return translate(text) % {k: translate(v) if k.endswith("_label") else v for k, v in values.items()}
    except (ValueError, KeyError, TypeError):  # cut off at 500 characters, or not ours: show it as it is
        return detail


def purge_events(session: Session, now: dt.datetime) -> int:
    """Delete events older than a year (they hold e-mail and IP addresses: personal data)."""
    return session.execute(sa.delete(SecurityEvent).where(SecurityEvent.at < now - KEPT_FOR)).rowcount
