from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, RegionalLinkMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import ChannelKind

if TYPE_CHECKING:
    from planner.models import Plan


class Channel(IdMixin, UuidMixin, TimestampMixin, VersionMixin, RegionalLinkMixin, Base):
    """A communicatiemiddel with its production lead time (working days) and cost."""

    __tablename__ = "channels"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "name"),
        sa.CheckConstraint("lead_time_days >= 0", name="lead_time_positive"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind))
    lead_time_days: Mapped[int] = mapped_column(default=0)
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="channels")
