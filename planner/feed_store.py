"""Serialized feeds on disk, shared by every web worker and prepared ahead by the scheduler.

A file is named after the subscription and a hash of its content version (which includes the
day), so a file never goes stale: when anything in the feed changes, or the day turns, the
version and thus the file name change. The scheduler renders the files of the new day shortly
after midnight, so the first calendar client of the day is not the one that waits.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain import feeds
from planner.domain.feed_builds import FeedBuild, build_feed, feed_version
from planner.models import Subscription

log = logging.getLogger("planner.feeds")


class FeedStore:
    """Feed files on disk, and each feed's latest build (`<id>.build`, so that a rebuild after an edit loads and
    serializes only the activities that changed, in whichever worker it happens; see planner.domain.feed_builds).
    Events are also kept in memory across feeds, since the plan's feed and its partner and audience feeds share
    most of them, and the latest builds of the feeds this process built last."""

    def __init__(self, directory: Path, events_in_memory: int = 20_000, builds_in_memory: int = 8):
        self.directory = Path(directory)
        self.events_in_memory, self.builds_in_memory = events_in_memory, builds_in_memory
        self._events: OrderedDict[bytes, bytes] = OrderedDict()
        self._builds: OrderedDict[int, tuple[tuple[int, int], FeedBuild]] = OrderedDict()
        self._lock = threading.Lock()

    def path(self, subscription_id: int, version: tuple) -> Path:
        digest = hashlib.sha256(repr(version).encode("utf-8")).hexdigest()[:32]
        return self.directory / f"{subscription_id}-{digest}.ics"

    def load(self, subscription_id: int, version: tuple) -> bytes | None:
        try:
            return self.path(subscription_id, version).read_bytes()
        except OSError:
            return None

    def save(self, subscription_id: int, version: tuple, body: bytes) -> None:
        """Write atomically (a reader sees the whole old file, no file, or the whole new one) and drop the
        subscription's older versions, so the folder holds one file per feed even without the scheduler."""
        target = self.path(subscription_id, version)
        self._write(target, body)
        for older in self.directory.glob(f"{subscription_id}-*.ics"):  # one file per feed: its newest version
            if older != target:
                older.unlink(missing_ok=True)

    def _build_path(self, subscription_id: int) -> Path:
        return self.directory / f"{subscription_id}.build"

    def previous_build(self, subscription_id: int) -> FeedBuild | None:
        """The feed's latest build (events and what they were made from), whichever worker made it."""
        path = self._build_path(subscription_id)
        try:
            stat = path.stat()
        except OSError:
            return None
        mark = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            remembered = self._builds.get(subscription_id)
            if remembered is not None and remembered[0] == mark:
                self._builds.move_to_end(subscription_id)
                return remembered[1]
        body = self.latest(subscription_id)
        try:
            build = FeedBuild.from_bytes(path.read_bytes(), body) if body is not None else None
        except OSError:
            return None
        if build is not None:
            self._remember(subscription_id, mark, build)
        return build

    def known_events(self) -> Mapping[bytes, bytes]:
        """The events this process made recently, for whichever feed (a plan's feeds share most events); a view,
        for lookups only."""
        return MappingProxyType(self._events)

    def keep_build(self, subscription_id: int, build: FeedBuild) -> None:
        with self._lock:
            for key in build.made:
                self._events[key] = build.events[key]
            while len(self._events) > self.events_in_memory:
                self._events.popitem(last=False)
        path = self._build_path(subscription_id)
        try:
            self._write(path, build.to_bytes())
            stat = path.stat()
        except OSError:
            return  # a full or read-only disk costs speed, never the feed itself
        self._remember(subscription_id, (stat.st_mtime_ns, stat.st_size), build)

    def _remember(self, subscription_id: int, mark: tuple[int, int], build: FeedBuild) -> None:
        with self._lock:
            self._builds[subscription_id] = (mark, build)
            self._builds.move_to_end(subscription_id)
            while len(self._builds) > self.builds_in_memory:
                self._builds.popitem(last=False)

    def _write(self, target: Path, body: bytes) -> None:
        """Write atomically: a reader sees the whole old file, no file, or the whole new one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def latest(self, subscription_id: int) -> bytes | None:
        """The feed's stored file whatever its version (the previous one while a new one is being built)."""
        for path in self.directory.glob(f"{subscription_id}-*.ics"):
            try:
                return path.read_bytes()
            except OSError:
                continue
        return None

    @contextmanager
    def build_lock(self, subscription_id: int, wait: bool = True) -> Iterator[bool]:
        """Hold the feed's build lock, shared by every worker on this server: yields True when held, False
        when `wait` is off and another worker is building the feed right now."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = open(self.directory / f"{subscription_id}.lock", "a")
        except OSError:  # a read-only disk: build without coordinating, as without the store
            yield True
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def discard_all(self) -> int:
        """Remove every stored feed and event (after an AVG erase: no copy of a person's data may stay)."""
        with self._lock:
            self._events.clear()
            self._builds.clear()
        return self.prune(set()) if self.directory.is_dir() else 0

    def prune(self, keep: set[Path]) -> int:
        """Remove every stored feed not in `keep`, and the events of feeds with none left; return how many
        feeds were removed."""
        removed = 0
        for path in self.directory.glob("*.ics"):
            if path not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        kept = {path.name.split("-", 1)[0] for path in keep}
        for path in [*self.directory.glob("*.build"), *self.directory.glob("*.events")]:  # .events: before 2026-12
            if path.stem not in kept:
                path.unlink(missing_ok=True)
        return removed


def prepared_feed(session: Session, subscription: Subscription, day: dt.date, base_url: str,
                  store: FeedStore, version: tuple | None = None,
                  previous_while_building: bool = False) -> tuple[tuple | None, bytes]:
    """The version and bytes of a feed: from the store when prepared, else rendered once and stored.

    A feed is built by one worker at a time. With `previous_while_building`, a worker that finds another one
    building the feed returns the feed's previous file (with version None) instead of waiting for it."""
    version = version or feed_version(session, subscription, day)
    body = store.load(subscription.id, version)
    if body is not None:
        return version, body
    with store.build_lock(subscription.id, wait=not previous_while_building) as mine:
        if mine:
            return version, store.load(subscription.id, version) or _render_and_save(
                session, subscription, day, base_url, store, version)
    previous = store.latest(subscription.id)
    if previous is not None:
        return None, previous
    with store.build_lock(subscription.id):  # nothing to show meanwhile: wait for the other worker's build
        return version, store.load(subscription.id, version) or _render_and_save(
            session, subscription, day, base_url, store, version)


def _render_and_save(session, subscription, day, base_url, store, version) -> bytes:
    build = build_feed(session, subscription, day, base_url, version, store.previous_build(subscription.id),
                       store.known_events())
    try:
        store.save(subscription.id, version, build.body)
    except OSError:
        pass  # a full or read-only disk costs speed, never the feed itself
    store.keep_build(subscription.id, build)
    return build.body


def refresh_all(session: Session, day: dt.date, base_url: str, store: FeedStore) -> tuple[int, int]:
    """Prepare the current feed of every active subscription; drop every other stored file.

    One feed that cannot be built is logged and skipped (its older files stay); the others go on.
    Returns (feeds prepared, stale files removed)."""
    keep, prepared = set(), 0
    subscriptions = [s for s in session.scalars(sa.select(Subscription).where(Subscription.revoked_at.is_(None)))
                     if feeds.is_live(s)]
    for subscription in subscriptions:
        try:
            version, _ = prepared_feed(session, subscription, day, base_url, store)
        except Exception:  # any fault in one plan's data must not stop the feeds of all other plans
            log.exception("feed %d (plan %d) could not be prepared; going on with the others",
                          subscription.id, subscription.plan_id)
            session.rollback()
            keep.update(store.directory.glob(f"{subscription.id}-*.ics"))
            continue
        keep.add(store.path(subscription.id, version))
        prepared += 1
    return prepared, store.prune(keep) if store.directory.is_dir() else 0
