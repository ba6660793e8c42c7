from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner import clock
from planner.db import Base, IdMixin, TimestampMixin, UTCDateTime, UuidMixin, VersionMixin, enum_column
from planner.domain.workdays import add_working_days
from planner.enums import ActivityStatus, FeedScope

if TYPE_CHECKING:
    from planner.models import Audience, Organisation, Partner, Plan


class Subscription(IdMixin, UuidMixin, TimestampMixin, VersionMixin, Base):
    """A secret, revocable calendar-feed link scoped to one feed of one plan, or to the merged calendar of a
    region (`organisation_id`, with `plan_id` empty).

    Only a SHA-256 hash of the token is stored; the token itself is shown once.
    """

    __tablename__ = "subscriptions"
    __table_args__ = (sa.CheckConstraint("(plan_id IS NULL) <> (organisation_id IS NULL)", name="plan_or_region"),)

    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                        index=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope))
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"))
    audience_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audiences.id", ondelete="CASCADE"))
    person: Mapped[str] = mapped_column(sa.String(200), default="")
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    fetch_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    plan: Mapped[Plan | None] = relationship()
    region: Mapped[Organisation | None] = relationship()
    partner: Mapped[Partner | None] = relationship()
    audience: Mapped[Audience | None] = relationship()


class FeedTombstone(IdMixin, Base):
    """A deleted calendar item, kept 30 days so that feeds can announce it as cancelled."""

    __tablename__ = "feed_tombstones"
    __table_args__ = (sa.Index("ix_feed_tombstones_plan_id_deleted_at", "plan_id", "deleted_at"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # activity, production, moment or checklist
    uid: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.String(300))
    starts_on: Mapped[dt.date]
    # When the item took place, as its feed event said: a tombstone repeats DTSTART, times and RRULE.
    ends_on: Mapped[dt.date | None]
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    recurrence: Mapped[str] = mapped_column(sa.String(200), default="")
    exdates: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sequence: Mapped[int]
    deleted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Who may still see the cancellation: the same scoping as the item had.
    sender_id: Mapped[int | None]
    audience_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")


# Calendar clients only refresh an event whose SEQUENCE rose; these are the fields they show.
VISIBLE_FIELDS = {
    "Activity": ("title", "description", "starts_on", "ends_on", "start_time", "end_time", "status", "channel_id",
                 "sender_id", "message_id", "recurrence", "exdates", "audiences", "owner_name"),
    "Moment": ("name", "starts_on", "ends_on", "description"),
    "ChecklistItem": ("title", "due_on", "status", "owner_name"),
}


# Rows whose change alters how activities appear (categories, description): field -> activity column.
SHOWN_THROUGH = {"Channel": (("name",), "channel_id"), "KeyMessage": (("title", "body"), "message_id")}


def feed_uid(obj, suffix: str = "") -> str:
    """The iCalendar UID of a row: its stored UUID, never a name or a position."""
    return f"{obj.uuid}{suffix}@planner"


def _plan_id(obj) -> int | None:
    if hasattr(obj, "plan_id"):
        return obj.plan_id
    phase = getattr(obj, "phase", None)
    return phase.plan_id if phase is not None else None


def production_day(activity) -> dt.date | None:
    """The production start that feeds show for `activity` (planned or cancelled, with a lead time), or None."""
    lead = activity.channel.lead_time_days if activity.channel is not None else 0
    if not lead or activity.status not in (ActivityStatus.PLANNED, ActivityStatus.CANCELLED):
        return None
    return add_working_days(activity.starts_on, -lead)


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _track_feed_changes(session, flush_context, instances):
    """Raise SEQUENCE on visible changes and leave a tombstone for deleted calendar items."""
    for obj in session.dirty:
        fields = VISIBLE_FIELDS.get(type(obj).__name__)
        if not fields:
            continue
        state = sa.inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in fields):
            obj.sequence = (obj.sequence or 0) + 1
            obj.updated_at = clock.now()
    for obj in list(session.dirty):
        shown = SHOWN_THROUGH.get(type(obj).__name__)
        if shown and obj.id is not None and any(sa.inspect(obj).attrs[n].history.has_changes() for n in shown[0]):
            from planner.models import Activity

            with session.no_autoflush:
                for activity in session.scalars(sa.select(Activity).where(getattr(Activity, shown[1]) == obj.id)):
                    activity.sequence = (activity.sequence or 0) + 1
                    activity.updated_at = clock.now()
    for obj in list(session.deleted):
        kind = type(obj).__name__
        if kind not in VISIBLE_FIELDS or _plan_id(obj) is None:
            continue
        common = dict(plan_id=_plan_id(obj), sequence=(obj.sequence or 0) + 1, deleted_at=clock.now())
        if kind == "Activity":
            scope = dict(sender_id=obj.sender_id, audience_ids=[a.id for a in obj.audiences],
                         owner_name=obj.owner_name)
            session.add(FeedTombstone(kind="activity", uid=feed_uid(obj), summary=obj.title[:300],
                                      starts_on=obj.starts_on, ends_on=obj.ends_on, start_time=obj.start_time,
                                      end_time=obj.end_time, recurrence=obj.recurrence or "",
                                      exdates=list(obj.exdates or []), **scope, **common))
            production = production_day(obj)
            if production is not None:
                session.add(FeedTombstone(kind="production", uid=feed_uid(obj, "-productie"),
                                          summary=obj.title[:300], starts_on=production, **scope, **common))
        elif kind == "Moment":
            session.add(FeedTombstone(kind="moment", uid=feed_uid(obj), summary=obj.name[:300],
                                      starts_on=obj.starts_on, ends_on=obj.ends_on, **common))
        elif obj.due_on is not None:
            session.add(FeedTombstone(kind="checklist", uid=feed_uid(obj), summary=obj.title[:300],
                                      starts_on=obj.due_on, owner_name=obj.owner_name, **common))
