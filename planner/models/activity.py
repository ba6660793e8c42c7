from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import (
    Base, IdMixin, RegionalLinkMixin, TimestampMixin, UuidMixin, VersionMixin, changes_its_owner, enum_column,
)
from planner.enums import ActivityStatus, Level, MomentEdge, OffsetUnit, Reach

if TYPE_CHECKING:
    from planner.models import Audience, Channel, KeyMessage, Moment, Observation, Partner, Plan

activity_audiences = sa.Table(
    "activity_audiences",
    Base.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("audience_id", sa.ForeignKey("audiences.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Activity(IdMixin, UuidMixin, TimestampMixin, VersionMixin, RegionalLinkMixin, Base):
    """One entry of the communication calendar (communicatiemoment).

    Dates are calendar dates; times are wall-clock times in Europe/Amsterdam, like
    an appointment, so a change of the UTC offset never moves a planned activity.
    """

    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        sa.Index("ix_activities_plan_id_starts_on", "plan_id", "starts_on"),
    )

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("channels.id", ondelete="SET NULL"), index=True)
    sender_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("key_messages.id", ondelete="SET NULL"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    reach: Mapped[Reach] = mapped_column(enum_column(Reach), default=Reach.EXTERNAL)
    level: Mapped[Level] = mapped_column(enum_column(Level), default=Level.LOCAL)
    status: Mapped[ActivityStatus] = mapped_column(enum_column(ActivityStatus), default=ActivityStatus.PLANNED)
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # Anchoring: starts_on follows the moment ("5 working days before the start of ...").
    anchor_moment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moments.id", ondelete="SET NULL"), index=True
    )
    anchor_offset: Mapped[int] = mapped_column(default=0)
    anchor_unit: Mapped[OffsetUnit] = mapped_column(enum_column(OffsetUnit), default=OffsetUnit.DAYS)
    anchor_edge: Mapped[MomentEdge] = mapped_column(enum_column(MomentEdge), default=MomentEdge.START)
    # Recurrence as an RFC 5545 RRULE value (without "RRULE:") and the dates it skips.
    recurrence: Mapped[str] = mapped_column(sa.String(200), default="")
    exdates: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # RFC 5545 SEQUENCE: raised whenever something a calendar client shows changes.
    sequence: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="activities")
    channel: Mapped[Channel | None] = relationship()
    sender: Mapped[Partner | None] = relationship()
    message: Mapped[KeyMessage | None] = relationship()
    # Loaded with the activities in one extra statement however many there are (not one per activity).
    audiences: Mapped[list[Audience]] = relationship(secondary=activity_audiences, order_by="Audience.name",
                                                     lazy="subquery")
    observations: Mapped[list[Observation]] = relationship(back_populates="activity", viewonly=True,
                                                           lazy="subquery")
    anchor_moment: Mapped[Moment | None] = relationship(back_populates="anchored_activities")

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on


changes_its_owner(Activity.audiences)
