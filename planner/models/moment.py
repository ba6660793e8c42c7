from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, enum_column
from planner.enums import MomentKind

if TYPE_CHECKING:
    from planner.models import Audience, Plan


class Moment(IdMixin, UuidMixin, TimestampMixin, Base):
    """A natural moment, theme week or milestone that activities can hook onto."""

    __tablename__ = "moments"
    __table_args__ = (sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MomentKind] = mapped_column(enum_column(MomentKind))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="moments")


class Embargo(IdMixin, UuidMixin, TimestampMixin, Base):
    """A rule that an audience must not be reached before and/or after a date."""

    __tablename__ = "embargoes"
    __table_args__ = (
        sa.CheckConstraint("not_before IS NOT NULL OR not_after IS NOT NULL", name="has_bound"),
        sa.CheckConstraint("not_after IS NULL OR not_before IS NULL OR not_after >= not_before", name="period"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    audience_id: Mapped[int] = mapped_column(sa.ForeignKey("audiences.id", ondelete="CASCADE"), index=True)
    not_before: Mapped[dt.date | None]
    not_after: Mapped[dt.date | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="embargoes")
    audience: Mapped[Audience] = relationship(back_populates="embargoes")
