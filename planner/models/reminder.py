from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime, enum_column
from planner.enums import DeliveryStatus, ReminderKind
from planner.models.account import User


class Reminder(IdMixin, Base):
    """One reminder e-mail: its unique key (user, kind, item, date) is what makes it go out exactly once.

    The message is rendered when the row is created, so every retry sends the same bytes with the
    same Message-ID. `status` moves pending -> sending -> sent (or back to pending with a later
    `next_attempt_at` after a temporary fault, or to failed when the server refuses for good).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "item", "on_date", name="uq_reminders_key"),
        sa.Index("ix_reminders_status_next_attempt_at", "status", "next_attempt_at"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind))
    item: Mapped[str] = mapped_column(sa.String(64), default="")
    on_date: Mapped[dt.date]
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus), default=DeliveryStatus.PENDING)
    recipient: Mapped[str] = mapped_column(sa.String(254), default="")
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    message_id: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[bytes] = mapped_column(sa.LargeBinary, default=b"")
    items: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")

    user: Mapped[User] = relationship()
