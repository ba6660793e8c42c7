"""Password reset by e-mail, against a real SMTP server on loopback (aiosmtpd)."""

import datetime as dt
import logging
import re

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role
from planner.models import PasswordReset
from tests.conftest import log_in
from tests.mailserver import MailServer
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


def test_reset_link_by_mail_works_once(mail_app, smtp, user, session, caplog):
    _, inbox = smtp
    client = mail_app.test_client()
    with caplog.at_level(logging.DEBUG):
        page = text_of(ask(client, "Anna@gemeente.example"))
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
    assert "Als dit adres bij een account hoort" in page and inbox.messages == []


def test_expired_link_is_refused(mail_app, smtp, user, session):
    _, inbox = smtp
    client = mail_app.test_client()
    ask(client, "anna@gemeente.example")
    link = re.search(r"(/password/reset/[\w-]+)", inbox.messages[0].get_payload(decode=True).decode()).group(1)
    session.execute(sa.update(PasswordReset).values(
        expires_at=clock.now() - dt.timedelta(minutes=1)))
    session.commit()
    response = client.get(link)
    assert response.status_code == 404 and "verlopen" in text_of(response)
