"""Serialized feeds kept per worker: bytes (plain and gzip) per subscription and content version."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from email.utils import formatdate, parsedate_to_datetime

from werkzeug.http import parse_accept_header

from planner import clock


@dataclass
class CachedFeed:
    version: tuple
    etag: str
    last_modified: float
    body: bytes
    subscription_id: int
    checked_at: float

    @classmethod
    def build(cls, version: tuple, body: bytes, last_modified: float, subscription_id: int,
              checked_at: float) -> "CachedFeed":
        """`checked_at` is when the version was read from the database, not when the build ended: an entry is
        never considered fresher than what the database said, however long the build took."""
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        return cls(version, f'"{digest}"', last_modified, body, subscription_id, checked_at)

    @cached_property
    def gzip_body(self) -> bytes:
        """The body compressed, made when a client first asks for it (not every client does)."""
        return gzip.compress(self.body, 6, mtime=0)


class FeedCache:
    """A small LRU keyed by token hash; `fresh` says whether an entry may be served without asking the database."""

    def __init__(self, max_entries: int = 256, recheck_seconds: float = 2.0):
        self.max_entries, self.recheck_seconds = max_entries, recheck_seconds
        # Seconds that only ever go forward (not the wall clock: a clock set back must not keep revoked links
        # served); the tests put a clock of their own here to pass the recheck interval without waiting.
        self.timer = time.monotonic
        self._entries: OrderedDict[str, CachedFeed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedFeed | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def fresh(self, entry: CachedFeed) -> bool:
        return self.timer() - entry.checked_at < self.recheck_seconds

    def put(self, key: str, entry: CachedFeed) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class FetchCounter:
    """Count fetches in memory and write them to the database at most every `interval` seconds."""

    def __init__(self, interval: float = 30.0):
        self.interval = interval
        self._pending: dict[int, tuple[int, dt.datetime]] = {}
        self._flushed = float("-inf")  # the first fetch is written at once: the advisor sees it arrived
        self._lock = threading.Lock()

    def record(self, subscription_id: int, at: dt.datetime) -> None:
        with self._lock:
            count, _ = self._pending.get(subscription_id, (0, at))
            self._pending[subscription_id] = (count + 1, at)

    def due(self) -> bool:
        return bool(self._pending) and time.monotonic() - self._flushed >= self.interval

    def take(self) -> dict[int, tuple[int, dt.datetime]]:
        with self._lock:
            pending, self._pending = self._pending, {}
            self._flushed = time.monotonic()
            return pending


class FeedFastPath:
    """WSGI middleware that answers a feed request from the cache without entering Flask.

    Only a fresh cache entry of today is served here; anything else (first request, stale
    entry, unknown token, fetch counts due to be written) goes on to the Flask view.
    """

    def __init__(self, app, cache: FeedCache, counter: FetchCounter, today, headers: dict[str, str]):
        self.app, self.cache, self.counter, self.today = app, cache, counter, today
        self.headers = list(headers.items())

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/feeds/") or not path.endswith(".ics") or environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        key = hashlib.sha256(path[7:-4].encode("utf-8")).hexdigest()
        entry = self.cache.get(key)
        if entry is None or not self.cache.fresh(entry) or entry.version[-1] != self.today() or self.counter.due():
            return self.app(environ, start_response)
        self.counter.record(entry.subscription_id, clock.now())
        status, headers, body = respond(entry, environ.get("HTTP_ACCEPT_ENCODING", ""),
                                        environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE"))
        start_response(status, self.headers + headers)
        return [body]


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether the client accepts gzip (RFC 9110 §12.5.3): a named gzip decides, else `*`; q=0 refuses."""
    qualities = {value.lower(): quality for value, quality in parse_accept_header(accept_encoding or "")}
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


def respond(entry: CachedFeed, accept_encoding: str, if_none_match: str | None, if_modified_since: str | None):
    """Status, entry-specific headers and body for a feed request (shared by the view and the fast path)."""
    gzipped = accepts_gzip(accept_encoding)
    gzip_etag = entry.etag[:-1] + '-gz"'
    headers = [("ETag", gzip_etag if gzipped else entry.etag),
               ("Last-Modified", formatdate(entry.last_modified, usegmt=True))]
    if if_none_match is not None:
        candidates = {part.strip().removeprefix("W/") for part in if_none_match.split(",")}
        not_modified = "*" in candidates or bool(candidates & {entry.etag, gzip_etag})
    else:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp() if if_modified_since else None
        except (TypeError, ValueError):
            since = None
        not_modified = since is not None and since >= entry.last_modified
    if not_modified:
        return "304 Not Modified", headers, b""
    body = entry.gzip_body if gzipped else entry.body
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    headers += [("Content-Type", "text/calendar; charset=utf-8"), ("Content-Length", str(len(body)))]
    return "200 OK", headers, body
