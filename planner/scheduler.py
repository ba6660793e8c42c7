"""`planner scheduler`: the process that sends reminders and keeps feeds and tombstones tidy.

It runs APScheduler's BlockingScheduler in its own process (never in a web worker, never at
import). Only one scheduler works at a time: on PostgreSQL it holds a session-level advisory
lock, on SQLite an exclusive file lock beside the database file. A second scheduler waits for
the lock and takes over when the first one stops or dies, because the database (or the kernel)
releases the lock with the dead process's connection (or file). Exactly-once delivery does not
depend on the lock: see planner.outbox.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import signal
import threading
from pathlib import Path

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from planner import clock
from planner.clock import AMSTERDAM
from planner.domain import trash
from planner.domain.accounts import purge_sessions
from planner.domain.feeds import purge_tombstones
from planner.domain.security_log import purge_events
from planner.feed_store import refresh_all
from planner.outbox import Outbox

log = logging.getLogger("planner.scheduler")
POLL_SECONDS = 2.0


class LeaderLock:
    """One scheduler per database: an advisory lock on PostgreSQL, a file lock for SQLite."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.connection: sa.Connection | None = None
        self.handle = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            if self.connection is None:
                self.connection = self.engine.connect()
            schema = self.connection.execute(sa.text("select current_schema()")).scalar_one()
            # one lock per schema: several installations may share a PostgreSQL database
            digest = hashlib.sha256(f"planner.scheduler:{schema}".encode()).digest()
            key = int.from_bytes(digest[:8], "big", signed=True)
            held = self.connection.execute(sa.text("select pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
            self.connection.commit()
            return bool(held)
        path = Path(self.engine.url.database or "planner").with_suffix(".scheduler.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.handle = handle
        return True

    def acquire(self, stop: threading.Event) -> bool:
        """Wait until the lock is ours (True) or `stop` is set (False)."""
        waiting = False
        while not stop.is_set():
            if self.try_acquire():
                return True
            if not waiting:
                log.info("another scheduler is running; waiting to take over")
                waiting = True
            stop.wait(POLL_SECONDS)
        return False

    def alive(self) -> bool:
        """Whether the lock is still held (the PostgreSQL connection that holds it still answers)."""
        if self.connection is None:
            return self.handle is not None
        try:
            self.connection.execute(sa.text("select 1"))
            self.connection.commit()
            return True
        except sa.exc.DBAPIError:
            return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(sa.text("select pg_advisory_unlock_all()"))
                self.connection.commit()
                self.connection.close()
            except sa.exc.DBAPIError:
                self.connection.invalidate()  # a dead connection: the server ended the session and its lock
            self.connection = None
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class Scheduler:
    def __init__(self, app: Flask):
        self.app = app
        self.outbox = Outbox(app)
        self.settings = app.config["PLANNER_SETTINGS"]
        self.lock = LeaderLock(app.extensions["planner.engine"])
        self.stop = threading.Event()
        self.lost_lock = False
        self.scheduler = BlockingScheduler(timezone=AMSTERDAM, job_defaults={
            # runs missed while busy or asleep are run once, not once per missed run
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})

    def send_reminders(self) -> None:
        if not self.lock.alive():
            log.error("the scheduler lock was lost (database connection gone); stopping so that another "
                      "scheduler can take over")
            self.lost_lock = True
            self.shutdown()
            return
        report = self.outbox.run(clock.now())
        if report.created or report.sent or report.retried or report.failed:
            log.info("reminders: %d created, %d sent, %d to retry, %d failed", report.created, report.sent,
                     report.retried, report.failed)

    def deliver_mail(self) -> None:
        """Send what waits between the minutely runs: a password-reset link should not wait a minute."""
        report = self.outbox.deliver_due(clock.now())
        if report.sent or report.retried or report.failed:
            log.info("mail: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed)

    def purge_sessions(self) -> None:
        idle = dt.timedelta(hours=self.settings.session_idle_hours)
        lifetime = dt.timedelta(hours=self.settings.session_max_hours)
        now = clock.now()
        with self.app.extensions["planner.sessionmaker"]() as session:
            removed = purge_sessions(session, now, idle, lifetime)
            events = purge_events(session, now)
            session.commit()
        if removed or events:
            log.info("removed %d ended sessions and %d security events older than a year", removed, events)

    def purge_tombstones(self) -> None:
        """Forget what was deleted 30 days ago: the feeds' tombstones and the trash."""
        with self.app.extensions["planner.sessionmaker"]() as session:
            removed = purge_tombstones(session)
            trashed = trash.purge(session)
            session.commit()
        if removed or trashed:
            log.info("removed %d feed tombstones and %d trash entries older than 30 days", removed, trashed)

    def refresh_feeds(self) -> None:
        day = clock.today()
        with self.app.extensions["planner.sessionmaker"]() as session:
            prepared, removed = refresh_all(session, day, self.settings.base_url,
                                            self.app.extensions["planner.feed_store"])
        log.info("feeds prepared for %s: %d (stale files removed: %d)", day, prepared, removed)

    def add_jobs(self) -> None:
        now = clock.local_now()
        # every trigger names the zone: APScheduler 3 would otherwise take the server's, not Dutch time
        self.scheduler.add_job(self.send_reminders, IntervalTrigger(minutes=1, timezone=AMSTERDAM),
                               id="reminders", name="plan and send reminders", next_run_time=now)
        self.scheduler.add_job(self.deliver_mail, IntervalTrigger(seconds=10, timezone=AMSTERDAM),
                               id="deliver-mail", name="send waiting e-mail")
        self.scheduler.add_job(self.purge_sessions, IntervalTrigger(hours=1, timezone=AMSTERDAM),
                               id="purge-sessions", name="purge ended sessions", next_run_time=now)
        self.scheduler.add_job(self.purge_tombstones, CronTrigger(hour=3, minute=17, timezone=AMSTERDAM),
                               id="purge-tombstones", name="purge feed tombstones", next_run_time=now)
        # the content version of every feed includes the day: prepare the new files just after midnight
        self.scheduler.add_job(self.refresh_feeds, CronTrigger(hour=0, minute=2, timezone=AMSTERDAM),
                               id="refresh-feeds", name="prepare feed files", next_run_time=now)

    def shutdown(self) -> None:
        self.stop.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def run(self) -> int:
        """Wait for the lock, then run the jobs until stopped; return the exit status."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.shutdown())
        if not self.lock.acquire(self.stop):
            return 0
        try:
            if not self.settings.smtp_host:
                log.warning("no SMTP server configured (PLANNER_SMTP_HOST): reminders are not sent; "
                            "feeds and tombstones are still looked after")
            log.info("scheduler running (reminders every minute, other e-mail every 10 s, ended sessions every "
                     "hour, feeds at 00:02, tombstones at 03:17)")
            self.add_jobs()
            self.scheduler.start()
        finally:
            self.lock.release()
        return 1 if self.lost_lock else 0
