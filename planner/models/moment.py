from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, IdMixin, TimestampMixin, UuidMixin, VersionMixin, enum_column
from planner.enums import MomentKind

if TYPE_CHECKING:
    from planner.models import Activity, Audience, Plan


class Moment(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A natural moment, theme week or milestone that activities can hook onto."""

    __tablename__ = "moments"
    __table_args__ = (sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MomentKind] = mapped_column(enum_column(MomentKind))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The catalogue observance this moment follows, so that next year's plan can re-anchor it.
    observance_key: Mapped[str] = mapped_column(sa.String(80), default="")
    # RFC 5545 SEQUENCE: raised whenever something a calendar client shows changes.
    sequence: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="moments")
    anchored_activities: Mapped[list[Activity]] = relationship(back_populates="anchor_moment")

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on


class Embargo(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A rule that an audience must not be reached before and/or after a date."""

    __tablename__ = "embargoes"
    __table_args__ = (
        sa.CheckConstraint(
            "not_before IS NOT NULL OR not_after IS NOT NULL OR not_before_moment_id IS NOT NULL "
            "OR not_after_moment_id IS NOT NULL", name="has_bound"
        ),
        sa.CheckConstraint("not_after IS NULL OR not_before IS NULL OR not_after >= not_before", name="period"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    audience_id: Mapped[int] = mapped_column(sa.ForeignKey("audiences.id", ondelete="CASCADE"), index=True)
    not_before: Mapped[dt.date | None]
    not_after: Mapped[dt.date | None]
    # Instead of a date, a bound can follow a moment: not before its start, not after its end.
    not_before_moment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("moments.id", ondelete="SET NULL"))
    not_after_moment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("moments.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="embargoes")
    audience: Mapped[Audience] = relationship(back_populates="embargoes")
    not_before_moment: Mapped[Moment | None] = relationship(foreign_keys=[not_before_moment_id])
    not_after_moment: Mapped[Moment | None] = relationship(foreign_keys=[not_after_moment_id])

    @property
    def first_allowed(self) -> dt.date | None:
        if self.not_before_moment is not None:
            return self.not_before_moment.starts_on
        return self.not_before

    @property
    def last_allowed(self) -> dt.date | None:
        if self.not_after_moment is not None:
            return self.not_after_moment.last_day
        return self.not_after
