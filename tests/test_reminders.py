"""Reminder e-mails: content, timing across clock changes, exactly once, faults; against a real SMTP server."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.localtime import end_of_day_utc
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.clock import AMSTERDAM
from planner.domain.reminders import compose_digest, latest_occurrence
from planner.enums import (ActivityStatus, ChannelKind, ChecklistStatus, DeliveryStatus, DigestMode, OrganisationKind,
                           ReminderKind, Role)
from planner.models import Activity, Channel, Reminder, User
from planner.outbox import Outbox
from tests.mailserver import BlackHole, MailServer

D = dt.date
PASSWORD = "een-lang-test-wachtwoord"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in the Netherlands as an aware instant."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def smtp():
    server = MailServer().start()
    yield server
    server.stop()


def make_app(db_url, tmp_path, **settings):
    from planner.web import create_app

    return create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                       "PLANNER_SECRET_KEY": "reminder-test", "PLANNER_BASE_URL": "https://planner.gemeente.example",
                       **settings})


@pytest.fixture
def app(db_url, tmp_path, smtp):
    app = make_app(db_url, tmp_path, **smtp.settings())
    yield app
    app.extensions["planner.engine"].dispose()


@pytest.fixture
def world(session):
    """A municipality with an advisor who owns things in a plan running through the autumn of 2026."""
    arnhem = find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    anna = create_user(session, "anna@arnhem.example", arnhem, Role.ADVISOR, PASSWORD, name="Anna de Boer")
    bert = create_user(session, "bert@arnhem.example", arnhem, Role.ADVISOR, PASSWORD, name="Bert Smit")
    plan = create_plan(session, title="Week tegen Kindermishandeling 2026", owner=arnhem,
                       starts_on=D(2026, 9, 1), ends_on=D(2027, 6, 30))
    poster = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=10)
    web = Channel(name="Website", kind=ChannelKind.EMAIL_WEBSITE, lead_time_days=0)
    plan.channels.extend([poster, web])

    def activity(title, day, owner, channel=web, status=ActivityStatus.PLANNED, **extra):
        plan.activities.append(Activity(title=title, starts_on=day, owner_name=owner, channel=channel,
                                        status=status, **extra))

    activity("Nieuwsbericht op de website", D(2026, 11, 26), " anna de boer ")
    activity("Bericht met e-mailadres als eigenaar", D(2026, 11, 30), "ANNA@arnhem.example")
    activity("Van iemand anders", D(2026, 11, 26), "Bert Smit")
    activity("Al gedaan", D(2026, 11, 26), "Anna de Boer", status=ActivityStatus.DONE)
    activity("Te ver weg", D(2026, 12, 14), "Anna de Boer")
    activity("Poster in de bibliotheek", D(2026, 12, 9), "Anna de Boer", channel=poster)   # production 25 Nov
    activity("Poster bij de sportclubs", D(2026, 12, 4), "Anna de Boer", channel=poster)   # production 20 Nov: late
    session.flush()
    items = plan.phases[-1].items
    items[0].owner_name, items[0].due_on = "Anna de Boer", D(2026, 11, 20)
    items[1].owner_name, items[1].due_on = "Anna de Boer", D(2026, 11, 25)
    items[2].owner_name, items[2].due_on, items[2].status = "Anna de Boer", D(2026, 11, 2), ChecklistStatus.DONE
    session.commit()
    return {"anna": anna, "bert": bert, "plan": plan, "session": session}


def outbox(app) -> Outbox:
    return Outbox(app)


def reminders_of(session, user=None):
    session.expire_all()
    query = sa.select(Reminder).order_by(Reminder.id)
    if user is not None:
        query = query.where(Reminder.user_id == user.id)
    return session.scalars(query).all()


# What is in a digest

def test_digest_lists_what_the_user_owns(world):
    digest = compose_digest(world["session"], world["anna"], D(2026, 11, 25))
    assert [(line.day, line.title) for line in digest.publications] == [
        (D(2026, 11, 26), "Nieuwsbericht op de website"), (D(2026, 11, 30), "Bericht met e-mailadres als eigenaar")]
    assert [(line.title, line.day, line.late, line.publication) for line in digest.productions] == [
        ("Poster bij de sportclubs", D(2026, 11, 20), True, D(2026, 12, 4)),
        ("Poster in de bibliotheek", D(2026, 11, 25), False, D(2026, 12, 9))]
    assert [(line.day, line.late) for line in digest.checklist] == [(D(2026, 11, 20), True), (D(2026, 11, 25), False)]
    assert not compose_digest(world["session"], world["bert"], D(2026, 11, 25)).productions


def test_a_plan_the_user_may_not_read_sends_nothing(world, session):
    elsewhere = find_or_create_organisation(session, "Gemeente Elders", OrganisationKind.MUNICIPALITY)
    stranger = create_user(session, "anna@elders.example", elsewhere, Role.ADVISOR, PASSWORD, name="Anna de Boer")
    session.commit()
    assert compose_digest(session, stranger, D(2026, 11, 25)).empty


# When a digest is due, in Dutch wall-clock time

def test_daily_digest_skips_weekends_and_public_holidays_and_waits_for_the_chosen_time(world):
    anna = world["anna"]
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 11, 25), 7, 29)) == D(2026, 11, 24)
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 11, 25), 7, 30)) == D(2026, 11, 25)
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 11, 29), 12)) == D(2026, 11, 27)  # Sunday
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 12, 26), 12)) == D(2026, 12, 24)  # Christmas
    anna.digest_mode = DigestMode.WEEKLY
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 11, 27), 12)) == D(2026, 11, 23)
    anna.digest_mode = DigestMode.OFF
    assert latest_occurrence(anna, ReminderKind.DIGEST, at(D(2026, 11, 27), 12)) is None
    assert latest_occurrence(world["bert"], ReminderKind.COORDINATOR_SUMMARY, at(D(2026, 11, 23), 12)) is None


@pytest.mark.parametrize("sunday", [D(2026, 3, 29), D(2026, 10, 25)], ids=["spring", "autumn"])
def test_the_digest_keeps_its_dutch_time_when_the_clocks_change(world, app, smtp, sunday):
    """Tick every five minutes from Friday to Monday around the change: one digest on each working day, at 07:30."""
    session, anna = world["session"], world["anna"]
    for activity in world["plan"].activities:
        activity.starts_on = sunday + dt.timedelta(days=2)   # something to report on both days
    session.commit()
    box = outbox(app)
    box.run(at(sunday - dt.timedelta(days=3), 12))                      # Thursday's is out of the way
    now = at(sunday - dt.timedelta(days=2), 0).astimezone(dt.timezone.utc)
    end = at(sunday + dt.timedelta(days=1), 12).astimezone(dt.timezone.utc)
    while now <= end:
        box.run(now)
        now += dt.timedelta(minutes=5)
    sent = [r for r in reminders_of(session, anna) if r.status == DeliveryStatus.SENT][1:]
    assert [r.on_date for r in sent] == [sunday - dt.timedelta(days=2), sunday + dt.timedelta(days=1)]
    for reminder in sent:
        assert reminder.sent_at.astimezone(AMSTERDAM).time() == dt.time(7, 30)
    assert len(smtp.to(anna.email)) == 3


# The e-mail itself

def test_digest_arrives_once_in_dutch_with_links_and_an_unsubscribe_header(world, app, smtp):
    box = outbox(app)
    report = box.run(at(D(2026, 11, 25), 7, 31))
    assert (report.created, report.sent) == (2, 2)   # Anna and Bert
    box.run(at(D(2026, 11, 25), 7, 32))
    box.run(at(D(2026, 11, 25), 16, 0))
    [message] = smtp.to("anna@arnhem.example")
    assert message["Subject"] == "Planner: 6 punten voor woensdag 25 november 2026"
    assert message["From"] == "Gemeente Arnhem <planner@gemeente.example>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://planner.gemeente.example/afmelden/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hallo Anna de Boer," in text
    assert "Productie starten" in text and "had moeten beginnen op vrijdag 20 november 2026" in text
    assert "donderdag 26 november 2026: Nieuwsbericht op de website" in text
    activity = next(a for a in world["plan"].activities if a.title == "Nieuwsbericht op de website")
    link = f"https://planner.gemeente.example/plans/{world['plan'].slug}/activities/{activity.id}/edit"
    assert link in text and f'href="{link}"' in html
    assert "Van iemand anders" not in text and "Al gedaan" not in text and "Te ver weg" not in text
    assert '<html lang="nl">' in html


def test_the_unsubscribe_header_arrives_as_plain_ascii_urls(world, app, smtp):
    """Mail clients offer one-click unsubscribe only for <https://...> as it is, not RFC 2047-encoded."""
    outbox(app).run(at(D(2026, 11, 25), 7, 31))
    raw = next(r for r, m in zip(smtp.raw, smtp.messages) if m["To"] == "anna@arnhem.example")
    headers = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").split(b"\r\n")
    [line] = [h for h in headers if h.lower().startswith(b"list-unsubscribe:")]
    assert re.fullmatch(rb"List-Unsubscribe: <https://planner\.gemeente\.example/afmelden/[A-Za-z0-9_.\-]+>", line), line
    assert b"=?utf-8?" not in line
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers


def test_nothing_to_report_sends_nothing_and_is_not_composed_again(world, app, smtp):
    world["session"].execute(sa.update(Activity).values(owner_name=""))
    world["session"].execute(sa.update(User).where(User.email == "anna@arnhem.example").values(
        digest_mode=DigestMode.OFF))
    world["session"].commit()
    box = outbox(app)
    assert box.run(at(D(2026, 12, 15), 8)).created == 1  # Bert: a row that says "nothing to report"
    assert box.run(at(D(2026, 12, 15), 9)).created == 0
    assert smtp.messages == []
    assert [r.status for r in reminders_of(world["session"])] == [DeliveryStatus.EMPTY]


# Exactly once

def test_a_restart_neither_repeats_nor_skips_a_reminder(world, db_url, tmp_path, smtp):
    session = world["session"]
    first = make_app(db_url, tmp_path, **smtp.settings())
    outbox(first).plan_due(at(D(2026, 11, 25), 7, 30))            # recorded, then the process "dies"
    first.extensions["planner.engine"].dispose()
    assert smtp.messages == []
    second = make_app(db_url, tmp_path, **smtp.settings())
    outbox(second).run(at(D(2026, 11, 25), 7, 35))                  # a new process sends what waited
    outbox(second).run(at(D(2026, 11, 25), 7, 36))
    assert len(smtp.to("anna@arnhem.example")) == 1
    third = make_app(db_url, tmp_path, **smtp.settings())
    outbox(third).run(at(D(2026, 11, 25), 12, 0))                   # a restart later that day
    assert len(smtp.to("anna@arnhem.example")) == 1
    outbox(third).run(at(D(2026, 11, 26), 7, 30))                   # the next day has its own digest
    assert len(smtp.to("anna@arnhem.example")) == 2
    for app in (second, third):
        app.extensions["planner.engine"].dispose()
    assert {r.status for r in reminders_of(session)} == {DeliveryStatus.SENT}


def test_days_missed_while_down_are_caught_up_once(world, app, smtp):
    box = outbox(app)
    box.run(at(D(2026, 11, 20), 8))                                 # Friday
    box.run(at(D(2026, 11, 26), 6, 0))                              # back on Thursday before 07:30
    anna = [r.on_date for r in reminders_of(world["session"], world["anna"])]
    assert anna == [D(2026, 11, 20), D(2026, 11, 25)]               # Mon-Wed collapse into Wednesday's
    box.run(at(D(2026, 11, 26), 7, 30))
    assert len(smtp.to("anna@arnhem.example")) == 3


def test_a_crash_between_the_server_accepting_and_recording_sends_again_with_the_same_message_id(
        world, app, smtp, caplog):
    session, box = world["session"], outbox(app)
    box.plan_due(at(D(2026, 11, 25), 7, 30))
    row = reminders_of(session, world["anna"])[0]
    claimed = at(D(2026, 11, 25), 7, 30).astimezone(dt.timezone.utc)
    session.execute(sa.update(Reminder).where(Reminder.id == row.id).values(
        status=DeliveryStatus.SENDING, claimed_at=claimed, attempts=1))   # died while talking to the server
    session.commit()
    box.deliver_due(claimed + dt.timedelta(minutes=5))                   # it could still be sending: hands off
    assert smtp.to("anna@arnhem.example") == []
    with caplog.at_level(logging.WARNING, logger="planner.reminders"):
        box.deliver_due(claimed + dt.timedelta(minutes=11))
    [message] = smtp.to("anna@arnhem.example")
    assert message["Message-ID"] == row.message_id
    assert "may arrive twice" in caplog.text
    box.deliver_due(claimed + dt.timedelta(minutes=30))
    assert len(smtp.to("anna@arnhem.example")) == 1


# Faults

def test_server_down_then_back_retries_with_backoff_and_sends_once(world, db_url, tmp_path, caplog):
    server = MailServer()                       # not started: nothing listens on its port
    app = make_app(db_url, tmp_path, **server.settings())
    box, start = outbox(app), at(D(2026, 11, 25), 7, 30)
    with caplog.at_level(logging.WARNING, logger="planner.reminders"):
        report = box.run(start)
    assert (report.created, report.sent, report.retried) == (2, 0, 2)
    assert "not sent" in caplog.text
    rows = reminders_of(world["session"])
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {
        (DeliveryStatus.PENDING, 1, start + dt.timedelta(minutes=1))}
    assert box.run(start + dt.timedelta(seconds=30)).retried == 0        # not before the backoff
    assert box.run(start + dt.timedelta(minutes=1)).retried == 2         # second attempt: wait 2 minutes
    retries = [r.getMessage() for r in caplog.records if " not sent (" in r.getMessage()]
    assert [re.sub(r".*\), ", "", line) for line in retries] == ["attempt 1; next try in 1 min"] * 2 + [
        "attempt 2; next try in 2 min"] * 2
    assert retries[0].startswith(f"reminder {rows[0].id} to {rows[0].recipient} not sent (")
    assert {r.next_attempt_at for r in reminders_of(world["session"])} == {start + dt.timedelta(minutes=3)}
    server.start()
    try:
        assert box.run(start + dt.timedelta(minutes=3)).sent == 2
        box.run(start + dt.timedelta(minutes=10))
        assert len(server.messages) == 2
    finally:
        server.stop()
        app.extensions["planner.engine"].dispose()


def test_the_wait_between_attempts_stops_growing_at_an_hour(world, db_url, tmp_path, caplog):
    app = make_app(db_url, tmp_path, **MailServer().settings())  # nothing listens
    box, start = outbox(app), at(D(2026, 11, 25), 7, 30)
    try:
        box.run(start)
        session = world["session"]
        session.execute(sa.update(Reminder).values(attempts=6, next_attempt_at=start + dt.timedelta(minutes=1)))
        session.commit()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="planner.reminders"):
            assert box.run(start + dt.timedelta(minutes=1)).retried == 2
        retries = [r.getMessage() for r in caplog.records if " not sent (" in r.getMessage()]
        assert [re.sub(r".*\), ", "", line) for line in retries] == ["attempt 7; next try in 60 min"] * 2
        session.expire_all()
        assert {r.next_attempt_at for r in reminders_of(session)} == {start + dt.timedelta(minutes=61)}
    finally:
        app.extensions["planner.engine"].dispose()


def test_a_server_that_does_not_answer_times_out_and_is_retried(world, db_url, tmp_path):
    hole = BlackHole()
    app = make_app(db_url, tmp_path, PLANNER_SMTP_HOST="127.0.0.1", PLANNER_SMTP_PORT=str(hole.port),
                   PLANNER_SMTP_TIMEOUT="0.5")
    try:
        report = outbox(app).run(at(D(2026, 11, 25), 7, 30))
        assert (report.sent, report.retried) == (0, 2)
        assert all("timed out" in r.last_error for r in reminders_of(world["session"]))
    finally:
        hole.close()
        app.extensions["planner.engine"].dispose()


def test_one_refused_address_does_not_hold_up_the_others(world, app, smtp, caplog):
    smtp.refused.add("anna@arnhem.example")
    with caplog.at_level(logging.ERROR, logger="planner.reminders"):
        report = outbox(app).run(at(D(2026, 11, 25), 7, 30))
    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"] for m in smtp.messages] == ["bert@arnhem.example"]
    assert "refused for good" in caplog.text
    outbox(app).run(at(D(2026, 11, 25), 9, 0))
    anna = reminders_of(world["session"], world["anna"])
    assert [(r.status, r.attempts) for r in anna] == [(DeliveryStatus.FAILED, 1)]
    assert "550" in anna[0].last_error


def test_a_newer_digest_replaces_one_that_is_still_waiting(world, db_url, tmp_path):
    server = MailServer()
    app = make_app(db_url, tmp_path, **server.settings())
    box = outbox(app)
    box.run(at(D(2026, 11, 24), 7, 30))                              # server down all day
    server.start()
    try:
        box.run(at(D(2026, 11, 25), 7, 30))
        statuses = [(r.on_date, r.status) for r in reminders_of(world["session"], world["anna"])]
        assert statuses == [(D(2026, 11, 24), DeliveryStatus.SUPERSEDED), (D(2026, 11, 25), DeliveryStatus.SENT)]
        assert len(server.to("anna@arnhem.example")) == 1
    finally:
        server.stop()
        app.extensions["planner.engine"].dispose()


# Coordinators

def test_coordinators_get_a_weekly_summary_on_monday(world, app, smtp, session):
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    world["plan"].owner.region = region
    create_user(session, "coordinator@regio.example", region, Role.COORDINATOR, PASSWORD, name="Mehmet Yilmaz")
    session.commit()
    box = outbox(app)
    box.run(at(D(2026, 11, 27), 8))          # the scheduler starts on a Friday: this week's summary, late
    box.run(at(D(2026, 11, 27), 9))
    assert [m["Subject"] for m in smtp.to("coordinator@regio.example")] == [
        "Planner: weekoverzicht van 1 plan, week van maandag 23 november 2026"]
    box.run(at(D(2026, 11, 30), 7, 29))
    box.run(at(D(2026, 11, 30), 7, 30))
    box.run(at(D(2026, 12, 1), 7, 30))
    first, summary = smtp.to("coordinator@regio.example")
    assert summary["Subject"] == "Planner: weekoverzicht van 1 plan, week van maandag 30 november 2026"
    text = summary.get_body(("plain",)).get_content()
    assert "Week tegen Kindermishandeling 2026 (Gemeente Arnhem)" in text
    assert "Verlopen checklist-items: 2" in text


@pytest.mark.today("2027-03-01")
def test_a_digest_costs_as_many_statements_for_a_big_plan_as_for_a_small_one(session, engine):
    """The reminder run composes a digest per user from a fresh session: its statements must not grow with the
    number of activities the user owns."""
    from planner.db import make_session_factory
    from tests.factories import build_large_plan

    small, big = build_large_plan(session, 60, title="Klein plan"), build_large_plan(session, 300, title="Groot plan")
    big.owner = find_or_create_organisation(session, "Gemeente Grootstad", OrganisationKind.MUNICIPALITY)
    for plan in (small, big):  # a tenth of each plan's activities goes out in the coming days, owned by the user
        for n, activity in enumerate(plan.activities[::10]):
            activity.starts_on, activity.ends_on, activity.anchor_moment = D(2027, 3, 2) + dt.timedelta(n % 5), None, None
            activity.owner_name, activity.status, activity.recurrence = "Eigenaar 1", ActivityStatus.PLANNED, ""
    users = [create_user(session, f"eigenaar{n}@planner.example", plan.owner, Role.ADVISOR, PASSWORD,
                         name="Eigenaar 1") for n, plan in enumerate((small, big))]
    session.commit()
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    counts, sizes = [], []
    for user in users:
        with make_session_factory(engine)() as fresh:
            statements.clear()
            digest = compose_digest(fresh, fresh.get(User, user.id), D(2027, 3, 1))
            counts.append(len(statements))
            sizes.append(len(digest.publications) + len(digest.productions))
    assert sizes[0] < sizes[1] and counts[0] == counts[1], (sizes, counts)


def test_a_sent_digest_keeps_no_copy_of_what_it_said(world, app, smtp, session):
    """Once the mail server has a digest, its body is of no use here (and would hold owners' names)."""
    outbox(app).run(at(D(2026, 11, 25), 7, 31))
    sent = [r for r in reminders_of(session) if r.status == DeliveryStatus.SENT]
    assert sent and all(r.body == b"" for r in sent)
    assert smtp.to("anna@arnhem.example")  # and it did arrive


# What a newer reminder replaces, and what the outbox gives up on

@pytest.fixture
def server_down(world, db_url, tmp_path):
    """The app of a mail server that is not running (nothing listens on its port), and that server."""
    server = MailServer()
    app = make_app(db_url, tmp_path, **server.settings())
    yield app, server
    server.stop()
    app.extensions["planner.engine"].dispose()


def statuses(session) -> dict[tuple[str, ReminderKind, dt.date], DeliveryStatus]:
    return {(r.recipient, r.kind, r.on_date): r.status for r in reminders_of(session)}


def test_a_newer_reminder_replaces_only_the_same_users_waiting_one_of_the_same_kind(world, server_down):
    """Tuesday's digest covers Monday's still waiting, and nothing else: not another user's, not a
    coordinator's weekly summary, not one that has already failed for good."""
    session, (app, server) = world["session"], server_down
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    world["plan"].owner.region = region
    create_user(session, "coordinator@regio.example", region, Role.COORDINATOR, PASSWORD, name="Mehmet Yilmaz")
    anna = world["anna"]
    session.add(Reminder(user_id=anna.id, kind=ReminderKind.DIGEST, item="", on_date=D(2026, 11, 20),
                         status=DeliveryStatus.FAILED, recipient=anna.email, last_error="550 mailbox unavailable"))
    session.commit()
    box = outbox(app)
    box.run(at(D(2026, 11, 23), 8))                                   # Monday: the server is down all day
    monday = statuses(session)
    assert monday[("coordinator@regio.example", ReminderKind.COORDINATOR_SUMMARY, D(2026, 11, 23))] == (
        DeliveryStatus.PENDING)
    assert monday[("bert@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 23))] == DeliveryStatus.PENDING
    session.execute(sa.update(User).where(User.id == world["bert"].id).values(digest_mode=DigestMode.OFF))
    session.commit()
    box.run(at(D(2026, 11, 24), 8))                                   # Tuesday, still down
    assert statuses(session) == {
        ("anna@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 20)): DeliveryStatus.FAILED,
        ("anna@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 23)): DeliveryStatus.SUPERSEDED,
        ("anna@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 24)): DeliveryStatus.PENDING,
        ("bert@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 23)): DeliveryStatus.PENDING,  # none newer
        ("coordinator@regio.example", ReminderKind.DIGEST, D(2026, 11, 23)): DeliveryStatus.EMPTY,
        ("coordinator@regio.example", ReminderKind.DIGEST, D(2026, 11, 24)): DeliveryStatus.EMPTY,
        ("coordinator@regio.example", ReminderKind.COORDINATOR_SUMMARY, D(2026, 11, 23)): DeliveryStatus.PENDING,
    }
    server.start()
    box.run(at(D(2026, 11, 24), 9))
    assert [m["Subject"].split(",")[0] for m in server.to("coordinator@regio.example")] == [
        "Planner: weekoverzicht van 1 plan"]
    assert len(server.to("anna@arnhem.example")) == len(server.to("bert@arnhem.example")) == 1


def test_a_digest_replaces_no_other_kind_of_mail_and_nothing_newer(world, server_down):
    """Recording a digest covers older waiting digests only: not a waiting set-password mail of the same user,
    and not a newer digest (as when `planner reminders send-now --date` records a past day late)."""
    from planner.domain.accounts import issue_link
    from planner.domain.user_admin import INVITATION_VALID_FOR
    from planner.mail import build_message
    from planner.outbox import queue_message

    session, (app, _) = world["session"], server_down
    anna = world["anna"]
    link, _ = issue_link(session, anna, INVITATION_VALID_FOR)
    message = build_message(app.config["PLANNER_SETTINGS"], anna.email, "Uw account", "Kies een wachtwoord")
    queue_message(session, anna, ReminderKind.PASSWORD_RESET, str(link.id), message, at(D(2026, 11, 23), 9))
    session.commit()
    box = outbox(app)
    box.run(at(D(2026, 11, 24), 8))                                    # the server is down: all of it waits
    box.plan_due(end_of_day_utc(D(2026, 11, 23)))                     # Monday's digest, recorded a day late
    assert {(r.kind, r.on_date): r.status for r in reminders_of(session, anna)} == {
        (ReminderKind.PASSWORD_RESET, D(2026, 11, 23)): DeliveryStatus.PENDING,
        (ReminderKind.DIGEST, D(2026, 11, 23)): DeliveryStatus.PENDING,
        (ReminderKind.DIGEST, D(2026, 11, 24)): DeliveryStatus.PENDING,
    }


def test_only_a_claim_older_than_ten_minutes_is_taken_back(world, app, smtp, caplog):
    """A row stuck in `sending` is sent again after STALE_CLAIM, not a second before, and no row in
    another state is touched, however old its claim."""
    session, box = world["session"], outbox(app)
    box.plan_due(at(D(2026, 11, 25), 7, 30))
    anna_row, bert_row = (reminders_of(session, world[name])[0] for name in ("anna", "bert"))
    claimed = at(D(2026, 11, 25), 7, 30).astimezone(dt.timezone.utc)
    session.execute(sa.update(Reminder).where(Reminder.id == anna_row.id).values(
        status=DeliveryStatus.SENDING, claimed_at=claimed, attempts=1))
    for status, day in ((DeliveryStatus.SENT, D(2026, 11, 23)), (DeliveryStatus.FAILED, D(2026, 11, 24)),
                        (DeliveryStatus.SUPERSEDED, D(2026, 11, 20))):
        session.add(Reminder(user_id=world["bert"].id, kind=ReminderKind.DIGEST, item="", on_date=day,
                             status=status, recipient="bert@arnhem.example", claimed_at=claimed, attempts=1,
                             created_at=claimed, next_attempt_at=claimed))
    session.execute(sa.update(Reminder).where(Reminder.id == bert_row.id).values(
        next_attempt_at=claimed + dt.timedelta(hours=2)))             # Bert's waits for later: out of the way
    session.commit()
    before = statuses(session)
    with caplog.at_level(logging.WARNING, logger="planner.reminders"):
        box.deliver_due(claimed + dt.timedelta(minutes=10))           # exactly ten minutes: still its sender's
        assert smtp.messages == [] and "may arrive twice" not in caplog.text
        assert statuses(session) == before
        box.deliver_due(claimed + dt.timedelta(minutes=10, seconds=1))
    [warning] = [r.getMessage() for r in caplog.records if "may arrive twice" in r.getMessage()]
    assert warning.startswith(f"reminder {anna_row.id} to anna@arnhem.example was being sent")
    assert [m["To"] for m in smtp.messages] == ["anna@arnhem.example"]
    after = statuses(session)
    assert after.pop(("anna@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 25))) == DeliveryStatus.SENT
    before.pop(("anna@arnhem.example", ReminderKind.DIGEST, D(2026, 11, 25)))
    assert after == before


def test_a_link_mail_waits_as_long_as_its_link_works_and_no_longer(world, server_down):
    """A set-password mail still waiting when its link stops working (expired or used) is not sent late, and its
    body (the link) goes. An invitation waits its 7 days, a welcome without a link until it is sent; digests
    waiting as long, and link mails already sent, are left as they are."""
    from planner.domain.accounts import RESET_VALID_FOR, issue_link
    from planner.domain.user_admin import INVITATION_VALID_FOR
    from planner.web.link_mail import queue_link_mail

    session, (app, server) = world["session"], server_down
    anna, bert = world["anna"], world["bert"]
    carla = create_user(session, "carla@arnhem.example", anna.organisation, Role.ADVISOR, None, name="Carla Smit")
    dirk = create_user(session, "dirk@arnhem.example", anna.organisation, Role.ADVISOR, None, name="Dirk Smit")
    with app.test_request_context():
        links = {"reset": issue_link(session, anna, RESET_VALID_FOR),
                 "invitation": issue_link(session, carla, INVITATION_VALID_FOR),
                 "used": issue_link(session, bert, RESET_VALID_FOR), "sent": issue_link(session, bert, RESET_VALID_FOR),
                 "refused": issue_link(session, dirk, RESET_VALID_FOR)}
        for user, kind, link in ((anna, "forgot", "reset"), (carla, "invitation", "invitation"),
                                 (bert, "admin_reset", "used"), (bert, "admin_reset", "sent"),
                                 (dirk, "admin_reset", "refused"),
                                 (dirk, "invitation_sso", None)):
            queue_link_mail(session, user, kind, links.get(link))
    session.flush()
    links["used"][0].used_at = links["sent"][0].used_at = clock.now()   # the sent one: received and used
    session.execute(sa.update(Reminder).where(Reminder.item == str(links["sent"][0].id)).values(
        status=DeliveryStatus.SENT))
    session.execute(sa.update(Reminder).where(Reminder.item == str(links["refused"][0].id)).values(
        status=DeliveryStatus.FAILED, body=b"", last_error="550 5.1.1 mailbox unavailable"))  # refused for good
    session.commit()
    mail_of = {str(row.id): name for name, (row, _) in links.items()} | {f"welcome-{dirk.id}": "welcome"}

    def mails():
        session.expire_all()
        return {mail_of.get(r.item, f"{r.kind.value} {r.recipient}"): (r.status, r.body != b"")
                for r in reminders_of(session)}

    issued = links["reset"][0].expires_at - RESET_VALID_FOR
    box = outbox(app)
    box.run(issued)                                                    # the digests are due too; all wait
    waiting = mails()
    assert waiting.pop("used") == (DeliveryStatus.FAILED, False)       # its link was used meanwhile
    assert waiting["sent"] == (DeliveryStatus.SENT, True)
    assert waiting["digest anna@arnhem.example"] == waiting["reset"] == (DeliveryStatus.PENDING, True)
    box.deliver_due(issued + RESET_VALID_FOR)                          # the last moment its link works
    assert mails() == waiting | {"used": (DeliveryStatus.FAILED, False)}
    box.deliver_due(issued + RESET_VALID_FOR + dt.timedelta(seconds=1))
    [reset] = [r for r in reminders_of(session) if r.item == str(links["reset"][0].id)]
    assert (reset.status, reset.body, reset.last_error) == (
        DeliveryStatus.FAILED, b"", "not sent in time; the link no longer works")
    assert mails() == waiting | {"used": (DeliveryStatus.FAILED, False), "reset": (DeliveryStatus.FAILED, False)}
    [refused] = [r for r in reminders_of(session) if r.item == str(links["refused"][0].id)]
    assert refused.last_error == "550 5.1.1 mailbox unavailable"      # the reason it failed stays on record
    box.deliver_due(issued + INVITATION_VALID_FOR - dt.timedelta(minutes=1))
    assert mails()["invitation"] == (DeliveryStatus.PENDING, True)    # six days and more: still of use
    box.deliver_due(issued + INVITATION_VALID_FOR + dt.timedelta(seconds=1))
    assert mails()["invitation"] == (DeliveryStatus.FAILED, False)
    server.start()
    box.deliver_due(issued + INVITATION_VALID_FOR + dt.timedelta(hours=1))
    assert sorted(m["To"] for m in server.messages) == ["anna@arnhem.example", "dirk@arnhem.example"]  # digest, welcome
    assert mails()["welcome"] == (DeliveryStatus.SENT, False)


def test_a_preview_shows_what_would_go_out_that_day_and_records_nothing(world, app, session):
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    world["plan"].owner.region = region
    coordinator = create_user(session, "coordinator@regio.example", region, Role.COORDINATOR, PASSWORD,
                              name="Mehmet Yilmaz")
    session.commit()
    box = outbox(app)
    [(kind, message)] = box.preview(world["anna"], D(2026, 11, 25))
    assert (kind, message["Subject"], message["To"]) == (
        ReminderKind.DIGEST, "Planner: 6 punten voor woensdag 25 november 2026", "anna@arnhem.example")
    assert box.preview(world["anna"], D(2026, 11, 28)) == []                  # a Saturday: nothing goes out
    monday = box.preview(coordinator, D(2026, 11, 23))
    assert [(kind, message is None) for kind, message in monday] == [
        (ReminderKind.DIGEST, True), (ReminderKind.COORDINATOR_SUMMARY, False)]  # owns nothing; the region's week
    assert monday[1][1]["Subject"] == "Planner: weekoverzicht van 1 plan, week van maandag 23 november 2026"
    assert [kind for kind, _ in box.preview(coordinator, D(2026, 11, 24))] == [ReminderKind.DIGEST]
    easter_monday = D(2027, 3, 29)                                             # a summary, but no digest
    assert [kind for kind, _ in box.preview(coordinator, easter_monday)] == [ReminderKind.COORDINATOR_SUMMARY]
    assert reminders_of(session) == []
