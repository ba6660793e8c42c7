"""Passwords: common and guessable ones are refused; a logged-in user changes theirs with the current one."""

import pytest
import sqlalchemy as sa

from planner.domain.accounts import AccountError, check_password_strength, create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role, SecurityEventKind
from planner.models import SecurityEvent, UserSession
from tests.conftest import log_in
from tests.helpers import csrf_token, text_of

PASSWORD = "een-lang-test-wachtwoord"
NEW = "paraplu-fietsbel-oktober-zeven"
PAGE = "/account/password"


@pytest.fixture
def user(session):
    user = create_user(session, "anna@gemeente.example", find_or_create_organisation(session, "Gemeente Test"),
                       Role.ADVISOR, PASSWORD, name="Anna de Boer")
    session.commit()
    return user


def change(client, current, new, repeat=None):
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, "current": current, "password": new,
                                   "repeat": new if repeat is None else repeat})


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "wachtwoord2026",
                                  "welkom123456", "1234567890ab", "anna@gemeente.example", "GemeenteTest1"])
def test_common_and_guessable_passwords_are_refused(weak):
    with pytest.raises(AccountError, match="too common or too easy to guess"):
        check_password_strength(weak, "anna@gemeente.example", "Anna de Boer", "Gemeente Test")


@pytest.mark.parametrize("strong", [PASSWORD, NEW, "demo-wachtwoord-2026", "Zx8!kq2#Lm0p"])
def test_long_unusual_passwords_are_accepted(strong):
    check_password_strength(strong, "anna@gemeente.example")


def test_the_command_line_refuses_a_common_password(cli, session):
    find_or_create_organisation(session, "Gemeente Test")
    session.commit()
    result = cli("users", "create", "piet@gemeente.example", "--org", "gemeente test", "--role", "reader",
                 input="aaaaaaaaaaaa\n")
    assert result.exit_code == 1 and "too common or too easy to guess" in result.output


def test_a_logged_in_user_changes_the_password_with_the_current_one(app, user, session):
    elsewhere = app.test_client()
    log_in(elsewhere, user.email, PASSWORD)
    client = app.test_client()
    log_in(client, user.email, PASSWORD)
    assert "Uw wachtwoord wijzigen" in text_of(client.get("/account"))
    wrong = change(client, "niet-het-wachtwoord", NEW)
    assert wrong.status_code == 200 and "Dit is niet uw huidige wachtwoord" in text_of(wrong)
    weak = change(client, PASSWORD, "aaaaaaaaaaaa")
    assert "te gewoon of te makkelijk te raden" in text_of(weak)
    assert "niet gelijk" in text_of(change(client, PASSWORD, NEW, repeat=NEW + "x"))
    done = change(client, PASSWORD, NEW)
    assert done.status_code == 302 and done.headers["Location"].endswith("/account")
    assert "Uw wachtwoord is gewijzigd" in text_of(client.get("/account"))
    assert client.get("/").status_code == 200, "this browser stays logged in"
    assert elsewhere.get("/").status_code == 302, "every other session ended"
    log_in(app.test_client(), user.email, NEW)
    session.expire_all()
    kinds = [e.kind for e in session.scalars(sa.select(SecurityEvent).where(SecurityEvent.user_id == user.id))]
    assert SecurityEventKind.PASSWORD_CHANGED in kinds and SecurityEventKind.LOGIN_FAILED in kinds
    assert session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 2  # this browser and the new login


def test_guessing_the_current_password_is_slowed_down_like_a_login(app, user):
    client = app.test_client()
    log_in(client, user.email, PASSWORD)
    for n in range(3):
        change(client, f"geraden-wachtwoord-{n}", NEW)
    refused = change(client, PASSWORD, NEW)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Wacht" in text_of(refused)
