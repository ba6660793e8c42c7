"""Calendar feeds: secret subscription links and the items each feed shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from planner import clock
from planner.domain.calendar import Filters
from planner.domain.plans import plan_activities
from planner.enums import N_, ActivityStatus, ChecklistStatus, FeedScope
from planner.exporters.ical import FeedItem
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.models import (
    Activity, Audience, Channel, ChecklistItem, FeedTombstone, KeyMessage, Moment, Organisation, Partner, Phase, Plan,
    Subscription,
)
from planner.models.feed import feed_uid, production_day

WINDOW_PAST = dt.timedelta(days=90)
TOMBSTONE_DAYS = 30
TOKEN_BYTES = 32  # 256 bits
MAX_LABEL = 120


class FeedError(ValueError):
    """A subscription that cannot be made as asked."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def create_subscription(session: Session, plan: Plan, label: str, scope: FeedScope, *, partner: Partner | None = None,
                        audience: Audience | None = None, person: str = "", filters: Filters | None = None,
                        created_by=None) -> tuple[Subscription, str]:
    """Create a subscription; return it with its token, which is not stored and never shown again."""
    label = " ".join((label or "").split())
    if not label or len(label) > MAX_LABEL:
        raise FeedError(f"a label of 1 to {MAX_LABEL} characters is required")
    if scope == FeedScope.PARTNER and (partner is None or partner.plan_id != plan.id):
        raise FeedError("a partner feed needs a partner of this plan")
    if scope == FeedScope.AUDIENCE and (audience is None or audience.plan_id != plan.id):
        raise FeedError("an audience feed needs an audience of this plan")
    if scope == FeedScope.PERSON and not person.strip():
        raise FeedError("a person feed needs the name of the owner")
    token = new_token()
    subscription = Subscription(
        plan=plan, label=label, scope=scope, partner=partner if scope == FeedScope.PARTNER else None,
        audience=audience if scope == FeedScope.AUDIENCE else None,
        person=person.strip() if scope == FeedScope.PERSON else "",
        filters=_filters_to_dict(filters) if scope == FeedScope.FILTER else {}, token_hash=hash_token(token),
        created_by_id=created_by.id if created_by is not None else None,
    )
    session.add(subscription)
    session.flush()
    return subscription, token


def rotate(subscription: Subscription) -> str:
    """Give the subscription a new token; the old link stops working."""
    token = new_token()
    subscription.token_hash = hash_token(token)
    return token


def revoke(subscription: Subscription) -> None:
    if subscription.revoked_at is None:
        subscription.revoked_at = clock.now()


def revoke_all(session: Session, plan: Plan) -> int:
    active = [s for s in subscriptions_of(session, plan) if s.revoked_at is None]
    for subscription in active:
        revoke(subscription)
    return len(active)


def subscriptions_of(session: Session, plan: Plan) -> list[Subscription]:
    return list(session.scalars(sa.select(Subscription).where(Subscription.plan_id == plan.id)
                                .order_by(Subscription.created_at)))


def find_active(session: Session, token: str) -> Subscription | None:
    """The live subscription behind `token`, or None (unknown, revoked, or its target removed)."""
    if not token or len(token) > 100:
        return None
    subscription = session.scalar(sa.select(Subscription).where(Subscription.token_hash == hash_token(token)))
    return subscription if subscription is not None and is_live(subscription) else None


def is_live(subscription: Subscription) -> bool:
    """Not revoked, and the partner or audience it follows still exists."""
    if subscription.revoked_at is not None:
        return False
    if subscription.scope == FeedScope.PARTNER and subscription.partner_id is None:
        return False
    return not (subscription.scope == FeedScope.AUDIENCE and subscription.audience_id is None)


def audit_detail(subscription: Subscription) -> dict:
    """How the security log names a feed link: its plan or region, its label and its public id."""
    if subscription.plan is None:
        return {"detail": N_("region %(region)s: %(label)s (%(link)s)"), "region": subscription.region.name,
                "label": subscription.label, "link": str(subscription.uuid)}
    return {"detail": N_("plan %(plan)s: %(label)s (%(link)s)"), "plan": subscription.plan.slug,
            "label": subscription.label, "link": str(subscription.uuid)}


def _filters_to_dict(filters: Filters | None) -> dict:
    if filters is None:
        return {}
    return {k: v for k, v in {"audience_id": filters.audience_id, "partner_id": filters.partner_id,
                              "channel_id": filters.channel_id, "status": filters.status}.items() if v is not None}


def feed_name(subscription: Subscription) -> str:
    """The calendar's name as subscribers see it: the plan and what the feed follows, never the link label."""
    plan = subscription.plan
    target = {
        FeedScope.PARTNER: subscription.partner.name if subscription.partner else "",
        FeedScope.AUDIENCE: subscription.audience.name if subscription.audience else "",
        FeedScope.PERSON: subscription.person,
        FeedScope.FILTER: _filter_in_words(plan, subscription.filters or {}),
    }.get(subscription.scope, "")
    return f"{plan.title} – {target}" if target else plan.title


def _filter_in_words(plan: Plan, filters: dict) -> str:
    """A saved filter as the planner's words: 'Inwoners, gepland'."""
    def name_of(rows, key):
        return next((row.name for row in rows if row.id == filters.get(key)), None)

    words = [name_of(plan.audiences, "audience_id"), name_of(plan.partners, "partner_id"),
             name_of(plan.channels, "channel_id")]
    if filters.get("status"):
        try:
            words.append(_(ActivityStatus(filters["status"]).label).lower())
        except ValueError:
            pass
    return ", ".join(w for w in words if w) or _("all activities")


@dataclass(frozen=True)
class Scope:
    """What one feed shows; derived from a subscription."""

    kind: FeedScope
    partner_id: int | None = None
    audience_id: int | None = None
    person: str = ""
    filters: Filters = Filters()

    @classmethod
    def of(cls, subscription: Subscription) -> "Scope":
        f = subscription.filters or {}
        return cls(subscription.scope, subscription.partner_id, subscription.audience_id, subscription.person,
                   Filters(f.get("audience_id"), f.get("partner_id"), f.get("channel_id"), f.get("status")))

    def shows_activity(self, activity: Activity, intermediary_audiences: set[int]) -> bool:
        if self.kind == FeedScope.PLAN:
            return True
        if self.kind == FeedScope.PARTNER:
            return activity.sender_id == self.partner_id or any(a.id in intermediary_audiences
                                                                for a in activity.audiences)
        if self.kind == FeedScope.AUDIENCE:
            return any(a.id == self.audience_id for a in activity.audiences)
        if self.kind == FeedScope.PERSON:
            return activity.owner_name.strip().lower() == self.person.lower()
        return self.filters.accepts(activity)

    def shows_production(self, activity: Activity) -> bool:
        """Production deadlines go to whoever produces: the plan, the sending partner, the owner."""
        if self.kind == FeedScope.PARTNER:
            return activity.sender_id == self.partner_id
        return self.kind in (FeedScope.PLAN, FeedScope.PERSON, FeedScope.FILTER)

    def shows_tombstone(self, stone: FeedTombstone, intermediary_audiences: set[int]) -> bool:
        if self.kind == FeedScope.PLAN:
            return True
        if stone.kind == "moment":
            return self.kind == FeedScope.PARTNER
        if stone.kind == "checklist":
            return self.kind == FeedScope.PERSON and stone.owner_name.strip().lower() == self.person.lower()
        if self.kind == FeedScope.PARTNER:
            return stone.sender_id == self.partner_id or (
                stone.kind == "activity" and bool(set(stone.audience_ids) & intermediary_audiences))
        if self.kind == FeedScope.AUDIENCE:
            return stone.kind == "activity" and self.audience_id in stone.audience_ids
        if self.kind == FeedScope.PERSON:
            return stone.owner_name.strip().lower() == self.person.lower()
        return False


@dataclass(frozen=True)
class FeedContext:
    """What the items of one feed are built against: its plan and scope, the day, and the links."""

    plan: Plan
    scope: Scope
    window_start: dt.date
    cutoff: dt.datetime  # cancelled items and tombstones older than this are left out
    base_url: str
    link: str
    intermediaries: frozenset[int]

    @classmethod
    def of(cls, plan: Plan, scope: Scope, today: dt.date, base_url: str,
           cutoff: dt.datetime | None = None) -> "FeedContext":
        """`cutoff`: the feed's `tombstone_cutoff()`, when it was taken already (one feed, one instant)."""
        # The plan's calendar asks for a login: only colleagues (plan and person feeds) get the link.
        link = f"{base_url}/plans/{plan.slug}/calendar" if scope.kind in (FeedScope.PLAN, FeedScope.PERSON) else ""
        intermediaries = frozenset()
        if scope.kind == FeedScope.PARTNER:
            intermediaries = frozenset(a.id for a in plan.audiences
                                       if any(p.id == scope.partner_id for p in a.intermediaries))
        return cls(plan, scope, today - WINDOW_PAST, cutoff or tombstone_cutoff(), base_url, link, intermediaries)


def tombstone_cutoff() -> dt.datetime:
    """Cancelled items and tombstones older than this have left every feed."""
    return clock.now() - dt.timedelta(days=TOMBSTONE_DAYS)


def feed_activities(session: Session, plan: Plan, ids: list[int] | None = None) -> list[Activity]:
    """The plan's activities (or those of `ids`) with what their feed items show, in a constant number of
    statements."""
    query = sa.select(Activity).where(Activity.plan_id == plan.id)
    if ids is not None:
        query = query.where(Activity.id.in_(ids))
    return plan_activities(session, plan, query.order_by(Activity.id).options(
        lazyload(Activity.observations), joinedload(Activity.channel), joinedload(Activity.message),
        joinedload(Activity.sender).joinedload(Partner.organisation)), ids)


def activity_items(activity: Activity, context: FeedContext) -> list[FeedItem]:
    """The feed items of one activity: the activity itself and its production start, where the feed shows them."""
    if not context.scope.shows_activity(activity, context.intermediaries):
        return []
    last_day = activity.last_day
    if activity.recurrence:
        last_day = max(last_day, context.plan.ends_on)
    if last_day < context.window_start:
        return []
    cancelled = activity.status == ActivityStatus.CANCELLED
    if cancelled and activity.updated_at < context.cutoff:
        return []
    items = [_activity_item(activity, context.plan, context.link, cancelled)]
    production = production_day(activity)
    if production is not None and production >= context.window_start and context.scope.shows_production(activity):
        items.append(FeedItem(
            uid=feed_uid(activity, "-productie"),
            summary=_summary(_("Start of production: %(title)s", title=activity.title), cancelled),
            starts_on=production, last_modified=activity.updated_at, sequence=activity.sequence,
            description=ngettext("Publication on %(date)s; production takes %(num)d working day.",
                                 "Publication on %(date)s; production takes %(num)d working days.",
                                 activity.channel.lead_time_days, date=activity.starts_on.isoformat()),
            categories=(_("Production"),), cancelled=cancelled, url=context.link))
    return items


def other_items(session: Session, context: FeedContext) -> list[FeedItem]:
    """The feed's moments, checklist items and tombstones (few, next to the activities)."""
    plan, scope, window_start, link = context.plan, context.scope, context.window_start, context.link
    items: list[FeedItem] = []
    if scope.kind in (FeedScope.PLAN, FeedScope.PARTNER):
        for moment in plan.moments:
            if moment.last_day >= window_start:
                items.append(moment_item(moment, link))
    if scope.kind in (FeedScope.PLAN, FeedScope.PERSON):
        phases = session.scalars(sa.select(Phase).where(Phase.plan_id == plan.id).options(selectinload(Phase.items)))
        for phase in phases:
            for item in phase.items:
                if item.due_on is None or item.due_on < window_start:
                    continue
                if scope.kind == FeedScope.PERSON and item.owner_name.strip().lower() != scope.person.lower():
                    continue
                not_applicable = item.status == ChecklistStatus.NOT_APPLICABLE
                items.append(FeedItem(
                    uid=feed_uid(item), summary=_summary(_("Checklist: %(title)s", title=item.title), not_applicable),
                    starts_on=item.due_on,
                    last_modified=item.updated_at, sequence=item.sequence, categories=(_("Checklist"), phase.name),
                    cancelled=not_applicable, tentative=item.status != ChecklistStatus.DONE,
                    url=f"{context.base_url}/plans/{plan.slug}/checklist"))
    stones = session.scalars(sa.select(FeedTombstone).where(
        FeedTombstone.plan_id == plan.id, FeedTombstone.deleted_at >= context.cutoff))
    for stone in stones:
        if scope.shows_tombstone(stone, context.intermediaries):
            items.append(tombstone_item(stone))
    return items


def moment_item(moment: Moment, link: str) -> FeedItem:
    return FeedItem(uid=feed_uid(moment), summary=moment.name, starts_on=moment.starts_on, ends_on=moment.ends_on,
                    last_modified=moment.updated_at, sequence=moment.sequence, description=moment.description,
                    categories=(_("Moment"),), url=link)


def _summary(summary: str, cancelled: bool) -> str:
    """Mark a cancelled item in its title too: some clients (Google, Etar) ignore STATUS."""
    return _("Cancelled: %(summary)s", summary=summary) if cancelled else summary


def tombstone_item(stone: FeedTombstone) -> FeedItem:
    """A deleted item as it was, announced as cancelled: same UID, start, times and rule."""
    summary = {"production": _("Start of production: %(title)s", title=stone.summary),
               "checklist": _("Checklist: %(title)s", title=stone.summary)}.get(stone.kind, stone.summary)
    return FeedItem(uid=stone.uid, summary=_summary(summary, True), starts_on=stone.starts_on, ends_on=stone.ends_on,
                    start_time=stone.start_time, end_time=stone.end_time, last_modified=stone.deleted_at,
                    sequence=stone.sequence, cancelled=True, recurrence=stone.recurrence or "",
                    exdates=tuple(dt.date.fromisoformat(d) for d in stone.exdates or ()))


def _activity_item(activity: Activity, plan: Plan, link: str, cancelled: bool) -> FeedItem:
    sender = activity.sender.name if activity.sender else plan.owner.name
    audiences = [a.name for a in activity.audiences]
    lines = []
    if activity.message is not None:
        lines += [_("Core message: %(title)s", title=activity.message.title), activity.message.body, ""]
    if activity.description:
        lines += [activity.description, ""]
    lines.append(_("Sender: %(name)s", name=sender))
    if audiences:
        lines.append(_("Audiences: %(names)s", names=", ".join(audiences)))
    if activity.channel is not None:
        lines.append(_("Channel: %(name)s", name=activity.channel.name))
    if link:
        lines.append(_("Plan: %(title)s – %(link)s", title=plan.title, link=link))
    else:
        lines.append(_("Plan: %(title)s", title=plan.title))
    categories = ([activity.channel.name] if activity.channel else []) + audiences
    return FeedItem(
        uid=feed_uid(activity), summary=_summary(activity.title, cancelled), starts_on=activity.starts_on,
        ends_on=activity.ends_on, start_time=activity.start_time, end_time=activity.end_time,
        last_modified=activity.updated_at,
        sequence=activity.sequence, description="\n".join(lines), categories=tuple(categories),
        cancelled=cancelled, url=link, recurrence=activity.recurrence,
        exdates=tuple(dt.date.fromisoformat(d) for d in activity.exdates or ()),
    )


# The sources of `content_stamp`, in its order: two values (newest change, row count) each.
STAMP_SOURCES = ("plan", "activity", "moment", "audience", "partner", "message", "channel", "checklist", "tombstone")


def content_stamp(session: Session, plan_id: int | sa.Select, extra_sources=()) -> tuple:
    """A cheap fingerprint of everything a feed of the plan (or of the plans `plan_id` selects) shows: it changes
    when any of it changes.

    One statement: the newest change and the number of rows of each source (so that a deletion counts too).
    `extra_sources` adds (column, condition, join) triples for what other users of the stamp depend on."""
    sources = [
        (Plan.updated_at, _of_plans(Plan.id, plan_id), None),
        (Activity.updated_at, _of_plans(Activity.plan_id, plan_id), None),
        (Moment.updated_at, _of_plans(Moment.plan_id, plan_id), None),
        (Audience.updated_at, _of_plans(Audience.plan_id, plan_id), None),
        (Partner.updated_at, _of_plans(Partner.plan_id, plan_id), None),
        (KeyMessage.updated_at, _of_plans(KeyMessage.plan_id, plan_id), None),
        (Channel.updated_at, _of_plans(Channel.plan_id, plan_id), None),
        (ChecklistItem.updated_at, _of_plans(Phase.plan_id, plan_id), Phase),
        (FeedTombstone.deleted_at, _of_plans(FeedTombstone.plan_id, plan_id), None),
        *extra_sources,
    ]
    columns = []
    for column, condition, join in sources:
        for aggregate in (sa.func.max(column), sa.func.count()):
            query = sa.select(aggregate).select_from(column.class_)
            if join is not None:
                query = query.join(join)
            columns.append(query.where(condition).scalar_subquery())
    return tuple(session.execute(sa.select(*columns)).one())


def named_organisations(plan_id: int | sa.Select) -> tuple:
    """A source for `content_stamp`'s `extra_sources`: the organisations whose names a feed of the plan (or of the
    plans `plan_id` selects) shows, as senders and as the calendar's owner."""
    return (Organisation.updated_at, sa.or_(
        Organisation.id.in_(sa.select(Partner.organisation_id).where(_of_plans(Partner.plan_id, plan_id))),
        Organisation.id.in_(sa.select(Plan.owner_id).where(_of_plans(Plan.id, plan_id)))), None)


def _of_plans(column, plan_id: int | sa.Select) -> sa.ColumnElement[bool]:
    """`column` is the plan's id, or one of the ids `plan_id` selects."""
    return column.in_(plan_id) if isinstance(plan_id, sa.Select) else column == plan_id


def stamp_without(stamp: tuple, *sources: str) -> tuple:
    """`stamp` (of `content_stamp`) without the values of the named sources."""
    dropped = {2 * STAMP_SOURCES.index(source) + k for source in sources for k in (0, 1)}
    return tuple(value for index, value in enumerate(stamp) if index not in dropped)


def purge_tombstones(session: Session, older_than_days: int = TOMBSTONE_DAYS) -> int:
    """Delete tombstones that no feed shows any more."""
    cutoff = clock.now() - dt.timedelta(days=older_than_days)
    result = session.execute(sa.delete(FeedTombstone).where(FeedTombstone.deleted_at < cutoff))
    return result.rowcount or 0
