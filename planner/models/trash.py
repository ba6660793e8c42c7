"""What can be undone: deleted items kept for a while (the trash) and changes made to many rows at once."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime, UuidMixin


KEPT_DAYS = 30  # then the scheduler purges the entry, and what it kept is gone for good


class UndoEntry(IdMixin, UuidMixin, Base):
    """One user action that can be taken back.

    `action` is "delete" (`payload` holds every row the delete removed and every reference it cleared, so that
    restoring puts all of it back), "change" (`payload` holds the rows' values before a change to many rows) or
    "create" (`payload` names the rows an action added, such as copies, which undo deletes).
    An entry for a deleted plan has no `plan_id`; it belongs to the plan's owner."""

    __tablename__ = "undo_entries"
    __table_args__ = (sa.Index("ix_undo_entries_plan_id_at", "plan_id", "at"),
                      sa.Index("ix_undo_entries_organisation_id_at", "organisation_id", "at"))

    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(40))  # what was affected: "activities", "plan", ...
    label: Mapped[str] = mapped_column(sa.String(300))
    count: Mapped[int] = mapped_column(default=1)
    actor: Mapped[str] = mapped_column(sa.String(254))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    @property
    def kept_until(self) -> dt.datetime:
        return self.at + dt.timedelta(days=KEPT_DAYS)
