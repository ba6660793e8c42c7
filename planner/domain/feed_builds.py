"""A feed built on its previous build: after an edit only the changed activities are loaded and serialized.

A build remembers, per activity, the row version it was made from and the events it gave (keys into the
build's events). The next build of the same feed, when nothing else its events depend on has changed (the
plan, moments, audiences, partners, messages and channels, the subscription, the day and the base URL: the
build's *basis*), asks the database only for every activity's row version, loads the activities whose
version differs, and takes the other activities' events as they were. Moments, checklist items and
tombstones (few) are built every time. Without a usable previous build, every activity is loaded: the same
code, so both ways give the same bytes (a test compares them with icalendar's own serialization).

A region's feed is built the same way: its activities are those of the region's plans (see
region_feeds.RegionFeed), its basis includes which plans and organisations belong to the region.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain import feeds, region_feeds
from planner.exporters.ical import END, FeedItem, assemble, event_bytes, item_key
from planner.enums import ActivityStatus
from planner.i18n import gettext as _
from planner.models import Activity, Subscription

# marshal is fast and its format is tied to the Python version: a build stored by another one is not read.
MAGIC = f"planner-feed-build-2 {sys.implementation.cache_tag}\n".encode()
EVENT_START = b"BEGIN:VEVENT\r\n"
# Reload every activity rather than list thousands of ids in one statement.
MOST_CHANGED = 500

Entry = tuple[str, str, bytes]  # an event's place in the feed (start date ISO, UID) and its key
# What one activity gave a feed: the row version its events were made from, its events in order, whether one
# has a time of day, and for a cancelled activity the ISO time of its last change (it leaves the feed 30 days
# later). A plain tuple, so that a build is stored and read again without converting each part.
Part = tuple[int, tuple[Entry, ...], bool, str]


@dataclass
class FeedBuild:
    """One feed's bytes and what the next build of it can reuse."""

    basis: str
    parts: dict[int, Part]  # by activity id
    others: tuple[Entry, ...]  # the entries of moments, checklist items and tombstones
    order: list[Entry]  # every entry, in the feed's order
    events: dict[bytes, bytes]  # every event of the feed, by item key
    body: bytes = b""
    made: tuple[bytes, ...] = ()  # the keys of the events this build did not take from its previous build

    def to_bytes(self) -> bytes:
        """What the next build needs besides the body: the events are read back from the body itself."""
        return MAGIC + marshal.dumps((self.basis, _checksum(self.body), self.parts, self.others))

    @classmethod
    def from_bytes(cls, data: bytes, body: bytes) -> FeedBuild | None:
        """The build `to_bytes` wrote for `body`, or None for anything else (another format or Python, a cut-off
        file, the body of another build)."""
        if not data.startswith(MAGIC):
            return None
        try:
            basis, digest, parts, others = marshal.loads(data[len(MAGIC):])
            order = sorted([entry for part in parts.values() for entry in part[1]] + list(others))
        except (EOFError, ValueError, TypeError, AttributeError, IndexError):
            return None
        if digest != _checksum(body):
            return None
        events = _events_of(body)
        if len(events) != len(order):
            return None
        return cls(basis, parts, tuple(others), order, {entry[2]: event for entry, event in zip(order, events)}, body)


def _checksum(body: bytes) -> tuple[int, int]:
    """Tells a feed file from another one (an accident, not an attack: the files are the planner's own)."""
    return len(body), zlib.crc32(body)


def _events_of(body: bytes) -> list[bytes]:
    """The serialized events of a feed, in order. A line can only start with BEGIN:VEVENT where an event does:
    a folded line goes on with a space."""
    chunks = body.removesuffix(END).split(b"\r\n" + EVENT_START)
    return [EVENT_START + chunk + b"\r\n" for chunk in chunks[1:-1]] + (
        [EVENT_START + chunks[-1]] if len(chunks) > 1 else [])


def feed_version(session: Session, subscription: Subscription, day: dt.date) -> tuple:
    """Everything the feed shows, in one cheap statement: it changes when the feed does (or the day turns)."""
    if subscription.organisation_id is not None:
        return region_feeds.region_version(session, subscription, day)
    return feeds.content_stamp(session, subscription.plan_id, (feeds.named_organisations(subscription.plan_id),)) + (
        subscription.updated_at, day)


def feed_basis(version: tuple, base_url: str) -> str:
    """What every activity's events depend on besides the activity: `version` without the sources that are
    built item by item."""
    shared = feeds.stamp_without(version, "activity", "checklist", "tombstone")
    return hashlib.sha256(repr((shared, base_url)).encode()).hexdigest()


@dataclass
class PlanFeed:
    """What a plan's feed is made of (see planner.domain.feeds), in the shape of region_feeds.RegionFeed."""

    context: feeds.FeedContext

    @property
    def cutoff(self) -> dt.datetime:
        return self.context.cutoff

    def condition(self) -> sa.ColumnElement[bool]:
        return Activity.plan_id == self.context.plan.id

    def activities(self, session: Session, ids: list[int] | None = None) -> list[Activity]:
        return feeds.feed_activities(session, self.context.plan, ids)

    def items(self, activity: Activity) -> list[FeedItem]:
        return feeds.activity_items(activity, self.context)

    def other_items(self, session: Session) -> list[FeedItem]:
        return feeds.other_items(session, self.context)


def build_feed(session: Session, subscription: Subscription, today: dt.date, base_url: str,
               version: tuple | None = None, previous: FeedBuild | None = None,
               known: Mapping[bytes, bytes] | None = None) -> FeedBuild:
    """The feed of `subscription` (a plan's or a region's) as of `today` (its `version`, see `feed_version`),
    reusing what `previous` (the feed's last build) still holds.

    `known` offers events made for other feeds (by item key), which need no serializing again either."""
    version = version if version is not None else feed_version(session, subscription, today)
    if subscription.organisation_id is not None:
        source: PlanFeed | region_feeds.RegionFeed = region_feeds.RegionFeed.of(session, subscription, today, base_url)
        name, owner = region_feeds.feed_name(session, subscription), subscription.region.name
    else:
        plan = subscription.plan
        source = PlanFeed(feeds.FeedContext.of(plan, feeds.Scope.of(subscription), today, base_url))
        name, owner = feeds.feed_name(subscription), plan.owner.name
    basis = feed_basis(version, base_url)
    reusable: Mapping[bytes, bytes] = known or {}
    parts: dict[int, Part] = {}
    stale: list[int] | None = None  # the activities to load; None: all of them
    if previous is not None and previous.basis == basis:
        cutoff, stale = _instant(source.cutoff), []
        columns = Activity.__table__.c  # a Core statement: no ORM execution overhead for 5,000 rows after every edit
        for activity_id, row_version in session.connection().execute(
                sa.select(columns.id, columns.row_version).where(source.condition())):
            part = previous.parts.get(activity_id)
            if part is not None and part[0] == row_version and not (part[3] and part[3] < cutoff):
                parts[activity_id] = part
            else:
                stale.append(activity_id)
        if len(stale) > MOST_CHANGED:
            parts, stale = {}, None
    if stale is None:  # a whole build
        order, events = [], {}
    else:  # the previous build without what is built again (changed or deleted activities, the others)
        dropped = {entry[2] for activity_id, part in previous.parts.items() if activity_id not in parts
                   for entry in part[1]}
        dropped.update(entry[2] for entry in previous.others)
        order = [entry for entry in previous.order if entry[2] not in dropped]
        events = dict(previous.events)
        for key in dropped:
            del events[key]
    made = []

    def placed(item: FeedItem) -> Entry:
        key = item_key(item)
        if key not in events:
            event = previous.events.get(key) if previous is not None else None
            if event is None:
                made.append(key)
                event = reusable.get(key) or event_bytes(item)
            events[key] = event
        entry = (item.starts_on.isoformat(), item.uid, key)
        order.append(entry)
        return entry

    if stale is None or stale:
        for activity in source.activities(session, stale):
            items = source.items(activity)
            cancelled = activity.status == ActivityStatus.CANCELLED and bool(items)
            parts[activity.id] = (activity.row_version, tuple(placed(item) for item in items),
                                  any(item.start_time is not None for item in items),
                                  _instant(activity.updated_at) if cancelled else "")
    others = source.other_items(session)
    other_entries = tuple(placed(item) for item in others)
    # By day and UID, the order of ical.build_calendar (a feed's UIDs are unique); what was kept is in order
    # already, which the sort makes use of.
    order.sort()
    timed = any(part[2] for part in parts.values()) or any(item.start_time is not None for item in others)
    description = _("Communication calendar of %(organisation)s", organisation=owner)
    body = assemble(name, description, timed, [events[entry[2]] for entry in order])
    return FeedBuild(basis, parts, other_entries, order, events, body, tuple(made))


def _instant(value: dt.datetime) -> str:
    """An instant as text that sorts as the instants do."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
