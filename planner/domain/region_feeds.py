"""The feed of a region's calendar: the activities and moments of all its plans, under the plan feeds' UIDs."""

from __future__ import annotations

import datetime as dt

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
    """What the region's feed shows, in one statement: its plans' content and which organisations are members."""
    region_id = subscription.organisation_id
    membership = (Organisation.updated_at, sa.or_(Organisation.id == region_id, Organisation.region_id == region_id),
                  None)
    return feeds.content_stamp(session, plan_ids(region_id), (membership,)) + (subscription.updated_at, day)


def feed_name(session: Session, subscription: Subscription) -> str:
    """The region and its filters in words: 'Regio Zuid – Gemeente A, Ouders'."""
    filters = RegionFilters.of(subscription.filters or {})
    owner = session.get(Organisation, filters.municipality_id) if filters.municipality_id else None
    words = [w for w in (owner.name if owner else "", filters.audience, filters.channel) if w]
    target = ", ".join(words) if words else _("regional calendar")
    return f"{subscription.region.name} – {target}"


def region_items(session: Session, subscription: Subscription, today: dt.date, base_url: str) -> list[FeedItem]:
    """Every item of the region's feed within the feeds' window, in a constant number of statements."""
    filters = RegionFilters.of(subscription.filters or {})
    plans = region_plans(session, subscription.region, filters)
    ids = [p.id for p in plans]
    contexts = {p.id: feeds.FeedContext.of(p, feeds.Scope(FeedScope.PLAN), today, base_url) for p in plans}
    window_start = today - feeds.WINDOW_PAST
    activities = session.scalars(sa.select(Activity).where(
        Activity.plan_id.in_(ids),
        sa.or_(sa.func.coalesce(Activity.ends_on, Activity.starts_on) >= window_start, Activity.recurrence != ""),
    ).order_by(Activity.id).options(
        lazyload(Activity.observations), selectinload(Activity.audiences), joinedload(Activity.channel),
        joinedload(Activity.message), joinedload(Activity.sender).joinedload(Partner.organisation)))
    items = [item for activity in activities if filters.accepts(activity)
             for item in feeds.activity_items(activity, contexts[activity.plan_id])]
    if not filters.narrows_activities:
        moments = session.scalars(sa.select(Moment).where(
            Moment.plan_id.in_(ids), sa.func.coalesce(Moment.ends_on, Moment.starts_on) >= window_start))
        items += [feeds.moment_item(moment, contexts[moment.plan_id].link) for moment in moments]
    if not filters.channel:  # a tombstone does not say its channel: a channel's feed shows none
        items += [feeds.tombstone_item(stone) for stone in _tombstones(session, ids, filters)]
    return items


def _tombstones(session: Session, ids: list[int], filters: RegionFilters) -> list[FeedTombstone]:
    stones = list(session.scalars(sa.select(FeedTombstone).where(
        FeedTombstone.plan_id.in_(ids), FeedTombstone.kind.in_(STONE_KINDS),
        FeedTombstone.deleted_at >= feeds.tombstone_cutoff())))
    if not filters.audience:
        return stones
    wanted = {audience_id for audience_id, name in session.execute(
        sa.select(Audience.id, Audience.name).where(Audience.plan_id.in_(ids)))
        if name.casefold() == filters.audience.casefold()}
    return [s for s in stones if s.kind != "moment" and wanted & set(s.audience_ids)]
