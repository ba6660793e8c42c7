"""The scheduler process: one at a time, take-over when it dies, feeds prepared, tombstones purged; and the CLI."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner import clock
from planner.clock import AMSTERDAM
from planner.db import make_engine
from planner.domain.accounts import create_user
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.workdays import is_working_day
from planner.enums import ActivityStatus, DeliveryStatus, DigestMode, FeedScope, OrganisationKind, ReminderKind, Role
from planner.feed_store import FeedStore, feed_version, refresh_all
from planner.models import Activity, FeedTombstone, Reminder, Subscription, User
from planner.outbox import Outbox
from planner.scheduler import LeaderLock, Scheduler
from tests.helpers import child_env
from tests.mailserver import MailServer
from tests.test_reminders import at, make_app

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
PLANNER = str(Path(sys.executable).with_name("planner"))


@pytest.fixture
def smtp():
    server = MailServer().start()
    yield server
    server.stop()


def people(session, count: int):
    """Users who each own one activity; their digests are off, so only what a test queues is sent."""
    arnhem = find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title="Plan", owner=arnhem, starts_on=D(2026, 9, 1), ends_on=D(2027, 6, 30))
    users = []
    for n in range(count):
        name = f"Persoon {n}"
        users.append(create_user(session, f"persoon{n}@arnhem.example", arnhem, Role.ADVISOR, "een-lang-wachtwoord",
                                 name=name))
        users[-1].digest_mode = DigestMode.OFF
        plan.activities.append(Activity(title=f"Bericht {n}", starts_on=D(2026, 11, 26), owner_name=name,
                                        status=ActivityStatus.PLANNED))
    session.commit()
    return users, plan


def queue(app, session, day: dt.date) -> int:
    """Record the digests of `day` for everyone, due at once; the scheduler under test delivers them."""
    box, now = Outbox(app), clock.now() - dt.timedelta(minutes=1)
    return sum(box.record(session, user, ReminderKind.DIGEST, day, now)
               for user in session.scalars(sa.select(User)).all())


def start_scheduler(db_url, tmp_path, smtp, name):
    env = child_env(PLANNER_DATABASE_URL=db_url, PLANNER_INSTANCE_PATH=str(tmp_path / "instance"),
                    PLANNER_SECRET_KEY="reminder-test", **smtp.settings())
    with open(tmp_path / f"{name}.log", "w") as log:   # the child keeps its own copy of the file
        process = subprocess.Popen([PLANNER, "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    return process, tmp_path / f"{name}.log"


def wait_for_line(path: Path, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not in {path.name}:\n{path.read_text()}")
        time.sleep(0.1)


def statuses(session) -> set:
    session.expire_all()
    found = {r.status for r in session.scalars(sa.select(Reminder))}
    session.rollback()
    return found


def wait_until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def test_two_schedulers_send_each_reminder_once_and_the_second_takes_over(session, db_url, tmp_path, smtp):
    users, _ = people(session, 6)
    app = make_app(db_url, tmp_path, **smtp.settings())
    first, first_log = start_scheduler(db_url, tmp_path, smtp, "first")
    wait_for_line(first_log, "scheduler running")
    second, second_log = start_scheduler(db_url, tmp_path, smtp, "second")
    try:
        wait_for_line(second_log, "another scheduler is running; waiting to take over")
        assert queue(app, session, D(2026, 11, 24)) == 6
        first.send_signal(signal.SIGKILL)         # dies without a word; its lock goes with its connection
        first.wait(10)
        wait_for_line(second_log, "scheduler running")
        smtp.wait_for(6)                          # the second one's first tick sends whatever the first left
        # Every reminder is marked sent only after the server took it, and only unsent ones are sent: once all
        # are marked, nothing more can arrive, so the count below is final (no sleeping window to hope in).
        wait_until(lambda: statuses(session) == {DeliveryStatus.SENT}, "every reminder marked as sent")
        ids = [m["Message-ID"] for m in smtp.messages]
        assert len(ids) == len(set(ids)) == 6
        assert sorted(m["To"] for m in smtp.messages) == sorted(u.email for u in users)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        app.extensions["planner.engine"].dispose()
    assert second.returncode == 0   # SIGTERM is a clean stop


def test_two_processes_recording_the_same_reminders_at_once_record_each_once(session, db_url, tmp_path, smtp):
    people(session, 8)
    session.execute(sa.update(User).values(digest_mode=DigestMode.DAILY))
    session.commit()
    apps = [make_app(db_url, tmp_path, **smtp.settings()) for _ in range(2)]
    barrier = threading.Barrier(2)
    reports = []

    def work(app):
        barrier.wait()
        reports.append(Outbox(app).run(at(D(2026, 11, 25), 7, 30)))

    threads = [threading.Thread(target=work, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.created for r in reports) == 8 and sum(r.sent for r in reports) == 8
    assert len(smtp.messages) == 8
    for app in apps:
        app.extensions["planner.engine"].dispose()


def test_leader_lock_admits_one_scheduler_per_database(db_url):
    engines = [make_engine(db_url), make_engine(db_url)]
    first, second = LeaderLock(engines[0]), LeaderLock(engines[1])
    try:
        assert first.try_acquire() and first.alive()
        assert not second.try_acquire()
        first.release()
        assert second.try_acquire()
    finally:
        first.release()
        second.release()
        for engine in engines:
            engine.dispose()


def test_scheduler_jobs_prepare_feeds_and_purge_old_tombstones(session, db_url, tmp_path, smtp):
    from planner.domain import feeds

    _, plan = people(session, 1)
    subscription, token = feeds.create_subscription(session, plan, "Iedereen", FeedScope.PLAN)
    for uid, age in (("old@planner", 31), ("new@planner", 2)):
        session.add(FeedTombstone(plan_id=plan.id, kind="activity", uid=uid, summary=uid, starts_on=D(2026, 11, 26),
                                  sequence=1, deleted_at=clock.now() - dt.timedelta(days=age)))
    from planner.domain import trash
    from planner.enums import MomentKind
    from planner.models import Moment, UndoEntry

    for title, age in (("oud", 31), ("nieuw", 2)):
        moment = Moment(plan=plan, name=title, kind=MomentKind.MILESTONE, starts_on=D(2026, 11, 26))
        session.add(moment)
        session.flush()
        trash.discard(session, [moment], "moments", title, plan=plan).at = clock.now() - dt.timedelta(days=age)
    session.commit()
    app = make_app(db_url, tmp_path, **smtp.settings())
    scheduler = Scheduler(app)
    scheduler.purge_tombstones()
    session.expire_all()
    assert {t.uid for t in session.scalars(sa.select(FeedTombstone))} >= {"new@planner"}
    assert "old@planner" not in {t.uid for t in session.scalars(sa.select(FeedTombstone))}
    assert [e.label for e in session.scalars(sa.select(UndoEntry))] == ["nieuw"]

    store: FeedStore = app.extensions["planner.feed_store"]
    store.directory.mkdir(parents=True)
    (store.directory / "99-stale.ics").write_bytes(b"old")
    scheduler.refresh_feeds()
    day = clock.today()
    version = feed_version(session, session.get(Subscription, subscription.id), day)
    prepared = store.load(subscription.id, version)
    assert prepared is not None and b"BEGIN:VCALENDAR" in prepared
    assert not (store.directory / "99-stale.ics").exists()
    # the web workers serve what the scheduler prepared, without rendering it again
    store.save(subscription.id, version, prepared.replace(b"X-WR-CALNAME:", b"X-WR-CALNAME:Klaargezet "))
    body = app.test_client().get(f"/feeds/{token}.ics").get_data()
    assert b"X-WR-CALNAME:Klaargezet " in body
    assert refresh_all(session, day, "https://x.example", store) == (1, 0)
    store.save(subscription.id, version + ("changed",), b"newer")     # a newer version replaces the file
    assert [p.name for p in store.directory.glob("*.ics")] == [store.path(subscription.id, version + ("changed",)).name]
    app.extensions["planner.engine"].dispose()



def test_scheduler_jobs_run_on_dutch_time_on_a_server_in_utc(db_url, tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        app = make_app(db_url, tmp_path, **smtp.settings())
        scheduler = Scheduler(app)
        scheduler.add_jobs()
        jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
        assert {str(job.trigger.timezone) for job in jobs.values()} == {"Europe/Amsterdam"}
        winter, summer = (dt.datetime(2027, 1, 15, 12, tzinfo=AMSTERDAM), dt.datetime(2027, 7, 15, 12, tzinfo=AMSTERDAM))
        for now in (winter, summer):
            feeds_at = jobs["refresh-feeds"].trigger.get_next_fire_time(None, now).astimezone(AMSTERDAM)
            purge_at = jobs["purge-tombstones"].trigger.get_next_fire_time(None, now).astimezone(AMSTERDAM)
            assert (feeds_at.date(), feeds_at.time()) == (now.date() + dt.timedelta(days=1), dt.time(0, 2))
            assert purge_at.time() == dt.time(3, 17)
        app.extensions["planner.engine"].dispose()
    finally:
        monkeypatch.undo()
        time.tzset()


def test_feed_job_goes_on_after_a_feed_that_cannot_be_built(session, db_url, tmp_path, smtp, caplog):
    from planner.domain import feeds

    _, plan = people(session, 1)
    broken = create_plan(session, title="Kapot plan", owner=plan.owner, starts_on=D(2026, 9, 1), ends_on=D(2027, 6, 30))
    # a row from before dates were checked on the way in, or written by hand: the feed of this plan fails
    broken.activities.append(Activity(title="Ver weg", starts_on=dt.date(9999, 12, 31), recurrence="FREQ=DAILY"))
    good, _ = feeds.create_subscription(session, plan, "Goed", FeedScope.PLAN)
    bad, _ = feeds.create_subscription(session, broken, "Kapot", FeedScope.PLAN)
    session.commit()
    app = make_app(db_url, tmp_path, **smtp.settings())
    store: FeedStore = app.extensions["planner.feed_store"]
    with caplog.at_level("ERROR", logger="planner.feeds"):
        prepared, _ = refresh_all(session, clock.today(), "https://x.example", store)
    assert prepared == 1
    assert [p.name.split("-")[0] for p in store.directory.glob("*.ics")] == [str(good.id)]
    assert f"feed {bad.id} (plan {broken.id}) could not be prepared" in caplog.text
    app.extensions["planner.engine"].dispose()

# The command line

def test_preview_prints_the_dutch_digest_and_records_nothing(session, cli):
    demo = cli("demo")
    assert demo.exit_code == 0
    example = re.search(r"planner (reminders preview --user (\S+) --date (\S+))", demo.output)
    assert example, demo.output
    day = dt.date.fromisoformat(example.group(3))
    assert is_working_day(day) and day >= clock.today()
    result = cli(*example.group(1).split())  # the command the demo suggests, as printed
    assert result.exit_code == 0, result.output
    assert "Hallo Sanne de Vries," in result.output
    owned = [line for line in result.output.splitlines() if "Social media: aansluiten bij Orange the World" in line
             or "Gemeentepagina: terugblik op de week" in line or "Nieuwsbrief: reacties en vervolg" in line]
    assert owned, result.output
    saturday = day + dt.timedelta(days=5 - day.weekday())
    weekend = cli("reminders", "preview", "--user", example.group(2), "--date", saturday.isoformat())
    assert "no reminder is scheduled" in weekend.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 0
    bad = cli("reminders", "preview", "--user", "adviseur@arnhem.example", "--date", "28-11-2026")
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_send_now_sends_what_is_due_once(cli, db_url, tmp_path, smtp):
    from click.testing import CliRunner

    from planner.cli import main

    demo = cli("demo").output
    day = dt.date.fromisoformat(re.search(r"--date (\S+)", demo).group(1))  # the advisor has something to do
    monday = day - dt.timedelta(days=day.weekday())  # the coordinators' weekly summary
    env = {"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"), **smtp.settings()}
    runner = CliRunner()
    for on in (monday, day):
        first = runner.invoke(main, ["reminders", "send-now", "--date", on.isoformat()], env=env,
                              catch_exceptions=False)
        assert first.exit_code == 0, first.output
        assert "sent" in first.output
    count = len(smtp.messages)
    assert {m["To"] for m in smtp.messages} >= {"adviseur@arnhem.example", "coordinator@regio.example"}
    again = runner.invoke(main, ["reminders", "send-now", "--date", day.isoformat()], env=env, catch_exceptions=False)
    assert again.exit_code == 0 and len(smtp.messages) == count
    no_smtp = runner.invoke(main, ["reminders", "send-now"], env={**env, "PLANNER_SMTP_HOST": ""})
    assert no_smtp.exit_code == 1 and "no SMTP server configured" in no_smtp.output


def test_users_reminders_shows_and_changes_the_setting(cli):
    assert cli("demo").exit_code == 0
    result = cli("users", "reminders", "adviseur@arnhem.example", "--mode", "weekly", "--time", "08:00")
    assert result.output.strip() == "adviseur@arnhem.example: weekly at 08:00"
    assert cli("users", "reminders", "adviseur@arnhem.example", "--time", "8 uur").exit_code == 2
