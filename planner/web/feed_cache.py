"""Serialized feeds kept per worker: bytes (plain and gzip) per subscription and content version."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedFeed:
    version: tuple
    etag: str
    last_modified: float
    body: bytes
    gzip_body: bytes
    subscription_id: int
    checked_at: float

    @classmethod
    def build(cls, version: tuple, body: bytes, last_modified: float, subscription_id: int) -> "CachedFeed":
        digest = hashlib.sha256(body).hexdigest()[:32]
        return cls(version, f'"{digest}"', last_modified, body, gzip.compress(body, 6, mtime=0),
                   subscription_id, time.monotonic())


class FeedCache:
    """A small LRU keyed by token hash; `fresh` says whether an entry may be served without asking the database."""

    def __init__(self, max_entries: int = 256, recheck_seconds: float = 2.0):
        self.max_entries, self.recheck_seconds = max_entries, recheck_seconds
        self._entries: OrderedDict[str, CachedFeed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedFeed | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def fresh(self, entry: CachedFeed) -> bool:
        return time.monotonic() - entry.checked_at < self.recheck_seconds

    def put(self, key: str, entry: CachedFeed) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)


class FetchCounter:
    """Count fetches in memory and write them to the database at most every `interval` seconds."""

    def __init__(self, interval: float = 30.0):
        self.interval = interval
        self._pending: dict[int, tuple[int, float]] = {}
        self._flushed = float("-inf")  # the first fetch is written at once: the advisor sees it arrived
        self._lock = threading.Lock()

    def record(self, subscription_id: int, at: float) -> None:
        with self._lock:
            count, _ = self._pending.get(subscription_id, (0, at))
            self._pending[subscription_id] = (count + 1, at)

    def due(self) -> bool:
        return bool(self._pending) and time.monotonic() - self._flushed >= self.interval

    def take(self) -> dict[int, tuple[int, float]]:
        with self._lock:
            pending, self._pending = self._pending, {}
            self._flushed = time.monotonic()
            return pending
