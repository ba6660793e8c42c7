from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime, enum_column
from planner.enums import SecurityEventKind


class SecurityEvent(IdMixin, Base):
    """One security event (a login, a failed login, a password change, an AVG export...); never a secret.

    Kept apart from the audit log: it is about accounts and access, not about plans, and only
    administrators see it.
    """

    __tablename__ = "security_events"
    __table_args__ = (sa.Index("ix_security_events_at", "at"),
                      sa.Index("ix_security_events_kind_at", "kind", "at"),
                      sa.Index("ix_security_events_user_id_at", "user_id", "at"))

    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    kind: Mapped[SecurityEventKind] = mapped_column(enum_column(SecurityEventKind))
    # the account the event is about (None for an unknown account or a contact person)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    actor: Mapped[str] = mapped_column(sa.String(254), default="")
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
