from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import PhaseKey, PlanStatus

if TYPE_CHECKING:
    from planner.models import (
        Activity, Audience, Channel, Decision, Embargo, KeyMessage, Moment, Observation,
        Organisation, Partner, Phase, PlanSnapshot,
    )

CHILD = {"cascade": "all, delete-orphan", "passive_deletes": True}


class Plan(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A communication plan (communicatieplan) for one campaign or track."""

    __tablename__ = "plans"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="period"),)

    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    theme: Mapped[str] = mapped_column(sa.String(200), default="")
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    phase: Mapped[PhaseKey] = mapped_column(enum_column(PhaseKey), default=PhaseKey.INITIATIVE)
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    strategy: Mapped[str] = mapped_column(sa.Text, default="")
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", ondelete="SET NULL"), index=True)
    checklist_template: Mapped[str] = mapped_column(sa.String(80), default="")
    evaluation: Mapped[str] = mapped_column(sa.Text, default="")
    # The management summary as the advisor wrote it; empty means the document generates one.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Who partners call about this plan (printed at the foot of every partner sheet).
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    predecessor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", ondelete="SET NULL"))

    owner: Mapped[Organisation] = relationship()
    parent: Mapped[Plan | None] = relationship(remote_side="Plan.id", back_populates="children",
                                               foreign_keys=[parent_id])
    children: Mapped[list[Plan]] = relationship(back_populates="parent", order_by="Plan.title",
                                                foreign_keys="Plan.parent_id")
    predecessor: Mapped[Plan | None] = relationship(remote_side="Plan.id", foreign_keys=[predecessor_id])
    snapshots: Mapped[list[PlanSnapshot]] = relationship(back_populates="plan", order_by="PlanSnapshot.created_at",
                                                         **CHILD)

    partners: Mapped[list[Partner]] = relationship(back_populates="plan", order_by="Partner.id", **CHILD)
    audiences: Mapped[list[Audience]] = relationship(back_populates="plan", order_by="Audience.name", **CHILD)
    messages: Mapped[list[KeyMessage]] = relationship(back_populates="plan", order_by="KeyMessage.id", **CHILD)
    channels: Mapped[list[Channel]] = relationship(back_populates="plan", order_by="Channel.name", **CHILD)
    activities: Mapped[list[Activity]] = relationship(
        back_populates="plan", order_by="(Activity.starts_on, Activity.start_time.nulls_first(), Activity.id)", **CHILD
    )
    moments: Mapped[list[Moment]] = relationship(back_populates="plan", order_by="Moment.starts_on", **CHILD)
    embargoes: Mapped[list[Embargo]] = relationship(back_populates="plan", order_by="Embargo.id", **CHILD)
    decisions: Mapped[list[Decision]] = relationship(back_populates="plan", order_by="Decision.decided_on", **CHILD)
    observations: Mapped[list[Observation]] = relationship(
        back_populates="plan", order_by="Observation.observed_on", **CHILD
    )
    phases: Mapped[list[Phase]] = relationship(back_populates="plan", order_by="Phase.position", **CHILD)

    def __repr__(self) -> str:
        return f"<Plan {self.slug!r}>"
