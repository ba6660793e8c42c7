"""The feed of a region's calendar: the activities and moments of all its plans, under the plan feeds' UIDs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from planner.domain import feeds
from planner.domain.regional_calendar import RegionFilters, plan_ids, region_plans
from planner.enums import FeedScope
from planner.exporters.ical import FeedItem
from planner.i18n import gettext as _
from planner.models import Activity, Audience, FeedTombstone, Moment, Organisation, Partner, Subscription

# Checklist items belong to a plan's own team: the region's feed leaves them (and their tombstones) out.
STONE_KINDS = ("activity", "production", "moment")


def create_subscription(session: Session, region: Organisation, label: str, filters: RegionFilters,
                        created_by=None) -> tuple[Subscription, str]:
    """Create a feed link of the region's calendar; return it with its token, which is never shown again."""
    label = " ".join((label or "").split())
    if not label or len(label) > feeds.MAX_LABEL:
        raise feeds.FeedError(f"a label of 1 to {feeds.MAX_LABEL} characters is required")
    token = feeds.new_token()
    subscription = Subscription(region=region, label=label, scope=FeedScope.REGION, filters=filters.as_dict(),
                                token_hash=feeds.hash_token(token),
                                created_by_id=created_by.id if created_by is not None else None)
    session.add(subscription)
    session.flush()
    return subscription, token


def subscriptions_of(session: Session, region: Organisation) -> list[Subscription]:
    return list(session.scalars(sa.select(Subscription).where(Subscription.organisation_id == region.id)
                                .order_by(Subscription.created_at)))


def region_version(session: Session, subscription: Subscription, day: dt.date) -> tuple:
    """What the region's feed shows, in one statement: its plans' content, which organisations are members, and
    the organisations named in it."""
    region_id = subscription.organisation_id
    membership = (Organisation.updated_at, sa.or_(Organisation.id == region_id, Organisation.region_id == region_id),
                  None)
    return feeds.content_stamp(session, plan_ids(region_id), (
        membership, feeds.named_organisations(plan_ids(region_id)))) + (subscription.updated_at, day)


def feed_name(session: Session, subscription: Subscription) -> str:
    """The region and its filters in words: 'Regio Zuid – Gemeente A, Ouders'."""
    filters = RegionFilters.of(subscription.filters or {})
    owner = session.get(Organisation, filters.municipality_id) if filters.municipality_id else None
    words = [w for w in (owner.name if owner else "", filters.audience, filters.channel) if w]
    target = ", ".join(words) if words else _("regional calendar")
    return f"{subscription.region.name} – {target}"


@dataclass
class RegionFeed:
    """What a region's feed is made of: the activities and moments of the region's plans (narrowed by its filters),
    each built as in its plan's feed, and the tombstones of what was deleted from them. Activities are loaded by the
    build (all, or those changed since its previous build: see planner.domain.feed_builds)."""

    filters: RegionFilters
    contexts: dict[int, feeds.FeedContext]  # by plan id
    window_start: dt.date
    cutoff: dt.datetime

    @classmethod
    def of(cls, session: Session, subscription: Subscription, today: dt.date, base_url: str) -> RegionFeed:
        filters = RegionFilters.of(subscription.filters or {})
        cutoff = feeds.tombstone_cutoff()
        return cls(filters, {p.id: feeds.FeedContext.of(p, feeds.Scope(FeedScope.PLAN), today, base_url, cutoff)
                             for p in region_plans(session, subscription.region, filters)},
                   today - feeds.WINDOW_PAST, cutoff)

    def condition(self) -> sa.ColumnElement[bool]:
        """The activities that can be in the feed: those of its plans that reach into the window."""
        return sa.and_(Activity.plan_id.in_(list(self.contexts)), sa.or_(
            sa.func.coalesce(Activity.ends_on, Activity.starts_on) >= self.window_start, Activity.recurrence != ""))

    def activities(self, session: Session, ids: list[int] | None = None) -> list[Activity]:
        """The activities of `condition` (those of `ids` among them, when given), in a constant number of statements."""
        query = sa.select(Activity).where(self.condition())
        if ids is not None:
            query = query.where(Activity.id.in_(ids))
        return list(session.scalars(query.order_by(Activity.id).options(
            lazyload(Activity.observations), selectinload(Activity.audiences), joinedload(Activity.channel),
            joinedload(Activity.message), joinedload(Activity.sender).joinedload(Partner.organisation))))

    def items(self, activity: Activity) -> list[FeedItem]:
        if not self.filters.accepts(activity):
            return []
        return feeds.activity_items(activity, self.contexts[activity.plan_id])

    def other_items(self, session: Session) -> list[FeedItem]:
        """The moments and tombstones of the feed (few, next to the activities)."""
        ids = list(self.contexts)
        items = []
        if not self.filters.narrows_activities:
            moments = session.scalars(sa.select(Moment).where(
                Moment.plan_id.in_(ids), sa.func.coalesce(Moment.ends_on, Moment.starts_on) >= self.window_start))
            items += [feeds.moment_item(moment, self.contexts[moment.plan_id].link) for moment in moments]
        if not self.filters.channel:  # a tombstone does not say its channel: a channel's feed shows none
            items += [feeds.tombstone_item(stone) for stone in _tombstones(session, ids, self.filters, self.cutoff)]
        return items


def _tombstones(session: Session, ids: list[int], filters: RegionFilters, cutoff: dt.datetime) -> list[FeedTombstone]:
    stones = list(session.scalars(sa.select(FeedTombstone).where(
        FeedTombstone.plan_id.in_(ids), FeedTombstone.kind.in_(STONE_KINDS), FeedTombstone.deleted_at >= cutoff)))
    if not filters.audience:
        return stones
    wanted = {audience_id for audience_id, name in session.execute(
        sa.select(Audience.id, Audience.name).where(Audience.plan_id.in_(ids)))
        if name.casefold() == filters.audience.casefold()}
    return [s for s in stones if s.kind != "moment" and wanted & set(s.audience_ids)]
