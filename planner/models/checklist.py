from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import ChecklistStatus, OffsetUnit, PhaseKey

if TYPE_CHECKING:
    from planner.models import Moment, Plan


class Phase(IdMixin, TimestampMixin, VersionMixin, Base):
    """One step of the stappenplan in one plan, copied from its checklist template."""

    __tablename__ = "phases"
    __table_args__ = (sa.UniqueConstraint("plan_id", "key"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[PhaseKey] = mapped_column(enum_column(PhaseKey))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    result: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="phases")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="phase", order_by="ChecklistItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class ChecklistItem(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """One activity of a phase in one plan, with status, owner and due date."""

    __tablename__ = "checklist_items"

    phase_id: Mapped[int] = mapped_column(sa.ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[ChecklistStatus] = mapped_column(enum_column(ChecklistStatus), default=ChecklistStatus.OPEN)
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[dt.date | None]
    # the day the item was last marked done (kept by a listener below); the region's burn-up charts read it
    completed_on: Mapped[dt.date | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # A due date can follow a moment, like an anchored activity.
    due_moment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("moments.id", ondelete="SET NULL"))
    due_offset: Mapped[int] = mapped_column(default=0)
    due_unit: Mapped[OffsetUnit] = mapped_column(enum_column(OffsetUnit), default=OffsetUnit.DAYS)
    # RFC 5545 SEQUENCE: raised whenever something a calendar client shows changes.
    sequence: Mapped[int] = mapped_column(default=0)

    phase: Mapped[Phase] = relationship(back_populates="items")
    due_moment: Mapped[Moment | None] = relationship()


@sa.event.listens_for(ChecklistItem.status, "set", active_history=True)
def _record_completion(item: ChecklistItem, value, old, _initiator) -> None:
    """Date the item when it becomes done, whichever form, bulk action, import or command sets the status."""
    if value != ChecklistStatus.DONE:
        item.completed_on = None
    elif old != ChecklistStatus.DONE and item.completed_on is None:
        item.completed_on = clock.today()
