"""Password reset by e-mail, against a real SMTP server on loopback (aiosmtpd); the mail goes through the outbox."""

import datetime as dt
import logging
import re
import time

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import DeliveryStatus, ReminderKind, Role
from planner.models import PasswordReset, Reminder
from planner.outbox import Outbox
from tests.conftest import log_in
from tests.mailserver import BlackHole, MailServer
from tests.helpers import csrf_token, text_of

OLD, NEW = "het-oude-lange-wachtwoord", "het-nieuwe-lange-wachtwoord"


@pytest.fixture
def smtp():
    server = MailServer().start()
    yield server, server
    server.stop()


@pytest.fixture
def mail_app(db_url, tmp_path, smtp):
    from planner.web import create_app

    controller, _ = smtp
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_SMTP_HOST": "127.0.0.1",
                      "PLANNER_SMTP_PORT": str(controller.port), "PLANNER_MAIL_FROM": "planner@gemeente.example",
                      "PLANNER_BASE_URL": "https://planner.gemeente.example"})
    yield app
    app.extensions["planner.engine"].dispose()


@pytest.fixture
def user(session):
    user = create_user(session, "anna@gemeente.example", find_or_create_organisation(session, "Gemeente Test"),
                       Role.ADVISOR, OLD)
    session.commit()
    return user


def ask(client, address):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"csrf_token": token, "email": address}, follow_redirects=True)


def deliver(app):
    """What the scheduler does every few seconds: send what waits in the outbox."""
    return Outbox(app).deliver_due(clock.now())


def test_reset_link_by_mail_works_once(mail_app, smtp, user, session, caplog):
    _, inbox = smtp
    client = mail_app.test_client()
    with caplog.at_level(logging.DEBUG):
        page = text_of(ask(client, "Anna@gemeente.example"))
        assert inbox.messages == [], "the request only queues the message"
        deliver(mail_app)
    assert "Als dit adres bij een account hoort" in page
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "anna@gemeente.example" and "planner@gemeente.example" in message["From"]
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https://planner\.gemeente\.example(/password/reset/[\w-]+)", body).group(1)
    assert link.split("/")[-1] not in caplog.text, "the reset link never reaches the log"
    token = csrf_token(client, link)
    mismatch = client.post(link, data={"csrf_token": token, "password": NEW, "repeat": NEW + "x"})
    assert "niet gelijk" in text_of(mismatch)
    done = client.post(link, data={"csrf_token": token, "password": NEW, "repeat": NEW}, follow_redirects=True)
    assert "Uw nieuwe wachtwoord is ingesteld" in text_of(done)
    assert client.get(link).status_code == 404, "the link works once"
    log_in(mail_app.test_client(), "anna@gemeente.example", NEW)


def test_unknown_address_gets_the_same_answer_and_no_mail(mail_app, smtp, user):
    _, inbox = smtp
    page = text_of(ask(mail_app.test_client(), "niemand@gemeente.example"))
    deliver(mail_app)
    assert "Als dit adres bij een account hoort" in page and inbox.messages == []


def test_expired_link_is_refused(mail_app, smtp, user, session):
    _, inbox = smtp
    client = mail_app.test_client()
    ask(client, "anna@gemeente.example")
    deliver(mail_app)
    link = re.search(r"(/password/reset/[\w-]+)", inbox.messages[0].get_payload(decode=True).decode()).group(1)
    session.execute(sa.update(PasswordReset).values(
        expires_at=clock.now() - dt.timedelta(minutes=1)))
    session.commit()
    response = client.get(link)
    assert response.status_code == 404 and "verlopen" in text_of(response)


def test_the_reset_request_does_not_wait_for_a_slow_mail_server(db_url, tmp_path, user, session):
    """A relay that never answers: the known address gets its answer as fast as an unknown one."""
    from planner.web import create_app

    relay = BlackHole()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_SMTP_HOST": "127.0.0.1", "PLANNER_SMTP_PORT": str(relay.port),
                      "PLANNER_SMTP_TIMEOUT": "4"})
    try:
        client = app.test_client()
        timings = {}
        for address in ("anna@gemeente.example", "niemand@gemeente.example"):
            started = time.perf_counter()
            page = text_of(ask(client, address))
            timings[address] = time.perf_counter() - started
            assert "Als dit adres bij een account hoort" in page
        assert max(timings.values()) < 2, timings  # the relay's timeout is 4 seconds
        session.expire_all()
        [queued] = session.scalars(sa.select(Reminder)).all()
        assert (queued.kind, queued.status, queued.recipient) == (
            ReminderKind.PASSWORD_RESET, DeliveryStatus.PENDING, "anna@gemeente.example")
    finally:
        relay.close()
        app.extensions["planner.engine"].dispose()


def test_a_sent_reset_message_leaves_no_link_in_the_database(mail_app, smtp, user, session):
    _, inbox = smtp
    ask(mail_app.test_client(), "anna@gemeente.example")
    session.expire_all()
    assert b"/password/reset/" in session.scalar(sa.select(Reminder.body)), "queued with its link"
    deliver(mail_app)
    session.expire_all()
    row = session.scalar(sa.select(Reminder))
    assert row.status == DeliveryStatus.SENT and row.body == b"", "the body goes once the server has it"
    assert len(inbox.messages) == 1


def test_a_reset_message_not_sent_within_the_hour_is_dropped(mail_app, smtp, user, session, time_machine):
    _, inbox = smtp
    smtp[0].stop()
    ask(mail_app.test_client(), "anna@gemeente.example")
    deliver(mail_app)   # the server is down: it waits for another try
    time_machine.move_to(clock.now() + dt.timedelta(minutes=61))
    smtp[0].start()
    deliver(mail_app)
    session.expire_all()
    row = session.scalar(sa.select(Reminder))
    assert row.status == DeliveryStatus.FAILED and row.body == b"" and inbox.messages == []


def test_at_most_three_reset_messages_an_hour(mail_app, smtp, user, session):
    _, inbox = smtp
    client = mail_app.test_client()
    for _ in range(5):
        assert "Als dit adres bij een account hoort" in text_of(ask(client, "anna@gemeente.example"))
    deliver(mail_app)
    assert len(inbox.messages) == 3


def test_a_common_password_is_refused_on_the_reset_page(mail_app, smtp, user, session):
    _, inbox = smtp
    client = mail_app.test_client()
    ask(client, "anna@gemeente.example")
    deliver(mail_app)
    link = re.search(r"(/password/reset/[\w-]+)", inbox.messages[0].get_payload(decode=True).decode()).group(1)
    token = csrf_token(client, link)
    for weak in ("aaaaaaaaaaaa", "wachtwoord1234", "Anna@gemeente.example1"):
        page = text_of(client.post(link, data={"csrf_token": token, "password": weak, "repeat": weak}))
        assert "te gewoon of te makkelijk te raden" in page, weak
    log_in(mail_app.test_client(), "anna@gemeente.example", OLD)
