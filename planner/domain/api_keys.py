"""API keys: made for one organisation in one role and scope, shown once, stored as a hash, revocable.

A key acts as a member of its organisation with its role, so the same rules decide what it may read and
change as for a person with that role (`access.can_read`, `access.can_edit`). Its scope caps that: a
read key changes nothing, whatever its role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from planner import clock
from planner.domain.security_log import record
from planner.enums import N_, ApiScope, Role, SecurityEventKind
from planner.models import ApiKey, Organisation, User

KEY_PREFIX = "pln_"  # also what the log redaction looks for
PREFIX_SHOWN = 12
MAX_VALID_DAYS = 730
USED_EVERY = dt.timedelta(minutes=1)  # how often last_used_at is written
RATE_WINDOW = dt.timedelta(minutes=1)
# The roles a key can act in, per role of the person who makes it (administrators and advisors only).
GRANTABLE = {
    Role.ADMINISTRATOR: (Role.READER, Role.COORDINATOR, Role.ADVISOR),
    Role.ADVISOR: (Role.READER, Role.ADVISOR),
}


class KeyRefused(Exception):
    """The key is unknown, revoked or expired."""


@dataclass(frozen=True)
class Principal:
    """Who an API request acts as: what `access.can_read` and `can_edit` ask of a user, and the key."""

    key: ApiKey
    role: Role
    organisation: Organisation
    organisation_id: int

    @property
    def email(self) -> str:
        return f"api-key:{self.key.prefix}"

    @property
    def may_write(self) -> bool:
        return self.key.scope == ApiScope.READ_WRITE


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_manage(user: User) -> bool:
    return user.role in GRANTABLE


def create_key(session: Session, creator: User, name: str, role: Role, scope: ApiScope,
               valid_days: int) -> tuple[ApiKey, str]:
    """A new key for the creator's own organisation; returns the row and the key, which is never stored."""
    if role not in GRANTABLE.get(creator.role, ()):
        raise ValueError(f"a {creator.role.value} cannot make a key acting as {role.value}")
    if scope == ApiScope.READ_WRITE and role != Role.ADVISOR:
        raise ValueError("only a key acting as advisor can write")
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValueError("a key is valid for 1 to 730 days")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, organisation_id=creator.organisation_id, role=role, scope=scope, key_hash=key_hash(key),
                 prefix=key[:PREFIX_SHOWN], created_by=creator, created_at=clock.now(),
                 expires_at=clock.now() + dt.timedelta(days=valid_days))
    session.add(row)
    session.flush()
    record(session, SecurityEventKind.API_KEY_CREATED, creator,
           N_("key “%(name)s” (%(prefix)s…), role %(role_label)s, scope %(scope_label)s, valid until %(until)s"),
           name=name, prefix=row.prefix, role_label=role.label, scope_label=scope.label,
           until=row.expires_at.date().isoformat())
    return row, key


def organisation_keys(session: Session, organisation_id: int) -> list[ApiKey]:
    return list(session.scalars(sa.select(ApiKey).where(ApiKey.organisation_id == organisation_id)
                                .options(joinedload(ApiKey.created_by))
                                .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())))


def revoke(session: Session, user: User, row: ApiKey) -> None:
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        record(session, SecurityEventKind.API_KEY_REVOKED, user, N_("key “%(name)s” (%(prefix)s…)"),
               name=row.name, prefix=row.prefix)


def is_active(row: ApiKey, now: dt.datetime) -> bool:
    return row.revoked_at is None and row.expires_at > now


def authenticate(session: Session, key: str) -> Principal:
    """The principal of a valid key (one statement); a revoked or expired key is recorded in the security log."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        raise KeyRefused()
    row = session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == key_hash(key))
                         .options(joinedload(ApiKey.organisation).joinedload(Organisation.region)))
    if row is None:
        raise KeyRefused()
    now = clock.now()
    if not is_active(row, now):
        record(session, SecurityEventKind.API_KEY_REFUSED, None, N_("key “%(name)s” (%(prefix)s…)"),
               name=row.name, prefix=row.prefix)
        session.commit()
        raise KeyRefused()
    return Principal(key=row, role=row.role, organisation=row.organisation, organisation_id=row.organisation_id)


def count_request(session: Session, row: ApiKey, limit: int) -> int:
    """Count a request in the key's current one-minute window; returns the seconds to wait when over `limit`
    (0 when the request may go on). The count is kept in the database, so every worker shares it."""
    now = clock.now()
    if row.window_started_at is None or now - row.window_started_at >= RATE_WINDOW:
        row.window_started_at, row.window_count = now, 1
    else:
        row.window_count += 1
    if row.last_used_at is None or now - row.last_used_at >= USED_EVERY:
        row.last_used_at = now
    if row.window_count > limit:
        if row.window_count == limit + 1:  # once per window, not for every refused request
            record(session, SecurityEventKind.API_KEY_RATE_LIMITED, None, N_("key “%(name)s” (%(prefix)s…)"),
                   name=row.name, prefix=row.prefix)
        wait = RATE_WINDOW - (now - row.window_started_at)
        return max(1, int(wait.total_seconds() + 0.999))
    return 0
