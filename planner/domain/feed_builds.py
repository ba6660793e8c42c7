"""A feed built on its previous build: after an edit only the changed activities are loaded and serialized.

A build remembers, per activity, the row version it was made from and the events it gave (keys into the
build's events). The next build of the same feed, when nothing else its events depend on has changed (the
plan, moments, audiences, partners, messages and channels, the subscription, the day and the base URL: the
build's *basis*), asks the database only for every activity's row version, loads the activities whose
version differs, and takes the other activities' events as they were. Moments, checklist items and
tombstones (few) are built every time. Without a usable previous build, every activity is loaded: the same
code, so both ways give the same bytes (a test compares them with icalendar's own serialization).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import sys
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain import feeds
from planner.exporters.ical import FeedItem, assemble, event_bytes, item_key
from planner.enums import ActivityStatus
from planner.i18n import gettext as _
from planner.models import Activity, Subscription

# marshal is fast and its format is tied to the Python version: a build stored by another one is not read.
MAGIC = f"planner-feed-build-1 {sys.implementation.cache_tag}\n".encode()
# Reload every activity rather than list thousands of ids in one statement.
MOST_CHANGED = 500

Entry = tuple[str, str, bytes]  # an event's place in the feed (start date ISO, UID) and its key


@dataclass(frozen=True)
class Part:
    """What one activity gave a feed: its events in order, and the row version they were made from."""

    row_version: int
    entries: tuple[Entry, ...] = ()
    timed: bool = False
    cancelled_at: str = ""  # ISO time of a cancelled activity's last change: it leaves the feed 30 days later


@dataclass
class FeedBuild:
    """One feed's bytes and what the next build of it can reuse."""

    basis: str
    parts: dict[int, Part]
    events: dict[bytes, bytes]  # every event of the feed, by item key
    body: bytes = b""

    def to_bytes(self) -> bytes:
        """The build without its body, for the next build in any worker (see `from_bytes`)."""
        parts = {activity_id: (part.row_version, part.entries, part.timed, part.cancelled_at)
                 for activity_id, part in self.parts.items()}
        return MAGIC + marshal.dumps((self.basis, parts, self.events))

    @classmethod
    def from_bytes(cls, data: bytes) -> FeedBuild | None:
        """The build `to_bytes` wrote, or None for anything else (another format or Python, a cut-off file)."""
        if not data.startswith(MAGIC):
            return None
        try:
            basis, parts, events = marshal.loads(data[len(MAGIC):])
            parts = {activity_id: Part(*fields) for activity_id, fields in parts.items()}
        except (EOFError, ValueError, TypeError, AttributeError):
            return None
        if not isinstance(basis, str) or any(entry[2] not in events for part in parts.values()
                                             for entry in part.entries):
            return None
        return cls(basis, parts, events)


def feed_version(session: Session, subscription: Subscription, day: dt.date) -> tuple:
    """Everything the feed shows, in one cheap statement: it changes when the feed does (or the day turns)."""
    return feeds.content_stamp(session, subscription.plan_id) + (subscription.updated_at, day)


def feed_basis(version: tuple, base_url: str) -> str:
    """What every activity's events depend on besides the activity: `version` without the sources that are
    built item by item."""
    shared = feeds.stamp_without(version, "activity", "checklist", "tombstone")
    return hashlib.sha256(repr((shared, base_url)).encode()).hexdigest()


def build_feed(session: Session, subscription: Subscription, today: dt.date, base_url: str,
               version: tuple | None = None, previous: FeedBuild | None = None,
               known: Mapping[bytes, bytes] | None = None) -> FeedBuild:
    """The feed of `subscription` as of `today` (its `version`, see `feed_version`), reusing what `previous` (the
    feed's last build) still holds.

    `known` offers events made for other feeds (by item key), which need no serializing again either."""
    version = version if version is not None else feed_version(session, subscription, today)
    plan = subscription.plan
    context = feeds.FeedContext.of(plan, feeds.Scope.of(subscription), today, base_url)
    basis = feed_basis(version, base_url)
    reusable: Mapping[bytes, bytes] = known or {}
    parts: dict[int, Part] = {}
    stale: list[int] | None = None  # the activities to load; None: all of them
    if previous is not None and previous.basis == basis:
        reusable = ChainMap(previous.events, reusable)
        cutoff, stale = _instant(context.cutoff), []
        for activity_id, row_version in session.execute(
                sa.select(Activity.id, Activity.row_version).where(Activity.plan_id == plan.id)):
            part = previous.parts.get(activity_id)
            if part is not None and part.row_version == row_version and not (
                    part.cancelled_at and part.cancelled_at < cutoff):
                parts[activity_id] = part
            else:
                stale.append(activity_id)
        if len(stale) > MOST_CHANGED:
            parts, stale = {}, None
    events = {entry[2]: previous.events[entry[2]] for part in parts.values() for entry in part.entries}

    def placed(item: FeedItem) -> Entry:
        key = item_key(item)
        if key not in events:
            event = reusable.get(key)
            events[key] = event if event is not None else event_bytes(item)
        return item.starts_on.isoformat(), item.uid, key

    if stale is None or stale:
        for activity in feeds.feed_activities(session, plan, stale):
            items = feeds.activity_items(activity, context)
            cancelled = activity.status == ActivityStatus.CANCELLED and bool(items)
            parts[activity.id] = Part(activity.row_version, tuple(placed(item) for item in items),
                                      any(item.start_time is not None for item in items),
                                      _instant(activity.updated_at) if cancelled else "")
    others = feeds.other_items(session, context)
    entries = [entry for part in parts.values() for entry in part.entries] + [placed(item) for item in others]
    entries.sort()  # by day and UID, the order of ical.build_calendar (a feed's UIDs are unique)
    timed = any(part.timed for part in parts.values()) or any(item.start_time is not None for item in others)
    description = _("Communication calendar of %(organisation)s", organisation=plan.owner.name)
    body = assemble(feeds.feed_name(subscription), description, timed, (events[entry[2]] for entry in entries))
    return FeedBuild(basis, parts, events, body)


def _instant(value: dt.datetime) -> str:
    """An instant as text that sorts as the instants do."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
