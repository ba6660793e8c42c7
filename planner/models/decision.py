from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import DecisionKind, DecisionStatus, ObservationKind

if TYPE_CHECKING:
    from planner.models import Activity, Plan


class Decision(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """An alignment or approval moment (afstemmingsmoment, besluitvorming)."""

    __tablename__ = "decisions"

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind), default=DecisionKind.ALIGNMENT)
    decided_on: Mapped[dt.date]
    participants: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[DecisionStatus] = mapped_column(enum_column(DecisionStatus), default=DecisionStatus.PLANNED)
    outcome: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="decisions")


class Observation(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """What came back from an activity or the plan (monitoring) and what was adjusted."""

    __tablename__ = "observations"

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id", ondelete="SET NULL"), index=True)
    observed_on: Mapped[dt.date]
    kind: Mapped[ObservationKind] = mapped_column(enum_column(ObservationKind))
    text: Mapped[str] = mapped_column(sa.Text)
    count: Mapped[int | None]

    plan: Mapped[Plan] = relationship(back_populates="observations")
    activity: Mapped[Activity | None] = relationship(back_populates="observations")
