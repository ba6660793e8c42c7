from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, UTCDateTime, enum_column
from planner.enums import PhaseKey, PlanStatus

if TYPE_CHECKING:
    from planner.models import Plan


class PlanSnapshot(IdMixin, Base):
    """A plan as it was when it passed a gate (the approved version is kept this way)."""

    __tablename__ = "plan_snapshots"

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus))
    phase: Mapped[PhaseKey] = mapped_column(enum_column(PhaseKey))
    by: Mapped[str] = mapped_column(sa.String(200), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    document: Mapped[dict] = mapped_column(sa.JSON, deferred=True)  # large: loaded only when read

    plan: Mapped[Plan] = relationship(back_populates="snapshots")
