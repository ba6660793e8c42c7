"""Reminder settings and unsubscribing without logging in."""

import re

from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.domain.reminders import unsubscribe_token
from planner.enums import DigestMode, Role
from planner.models import User
from tests.conftest import log_in
from tests.helpers import submit, text_of

PASSWORD = "een-lang-test-wachtwoord"


def make_user(session):
    user = create_user(session, "anna@arnhem.example", find_or_create_organisation(session, "Gemeente Arnhem"),
                       Role.ADVISOR, PASSWORD, name="Anna")
    session.commit()
    return user


def test_preferences_are_saved_and_bad_input_changes_nothing(app, session):
    user = make_user(session)
    client = app.test_client()
    log_in(client, user.email, PASSWORD)
    page = text_of(client.get("/account"))
    assert "Elke werkdag" in page and "Nog geen herinneringen" in page
    response = submit(client, "/account", {"name": "Anna de Boer", "digest_mode": "weekly", "digest_time": "08:15"},
                      follow=True)
    assert "Uw instellingen zijn opgeslagen." in text_of(response)
    session.expire_all()
    stored = session.get(User, user.id)
    assert (stored.name, stored.digest_mode, stored.digest_time.isoformat()) == ("Anna de Boer", DigestMode.WEEKLY,
                                                                                 "08:15:00")
    response = submit(client, "/account", {"name": "Anna", "digest_mode": "hourly", "digest_time": "25:99"})
    assert response.status_code == 200
    assert "Ongeldige waarde voor tijd." in text_of(response)
    response = submit(client, "/account", {"name": "Anna", "digest_mode": "daily", "digest_time": ""})
    assert "Vul een tijd in, zoals 07:30." in text_of(response)
    session.expire_all()
    assert session.get(User, user.id).name == "Anna de Boer"


def test_unsubscribe_link_works_without_logging_in(app, session):
    user = make_user(session)
    token = unsubscribe_token(app.config["SECRET_KEY"], user)
    client = app.test_client()
    page = client.get(f"/afmelden/{token}")
    assert page.status_code == 200 and "anna@arnhem.example" in text_of(page)
    session.expire_all()
    assert session.get(User, user.id).digest_mode == DigestMode.DAILY   # a link scanner's GET changes nothing
    action = re.search(r'<form method="post" action="([^"]+)"', page.get_data(as_text=True)).group(1)
    done = client.post(action)
    assert done.status_code == 200 and "krijgt geen herinneringsmails meer" in text_of(done)
    session.expire_all()
    assert session.get(User, user.id).digest_mode == DigestMode.OFF


def test_one_click_unsubscribe_from_the_mail_client(app, session):
    user = make_user(session)
    token = unsubscribe_token(app.config["SECRET_KEY"], user)
    response = app.test_client().post(f"/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    session.expire_all()
    assert session.get(User, user.id).digest_mode == DigestMode.OFF


def test_a_forged_or_damaged_token_is_refused(app, session):
    user = make_user(session)
    token = unsubscribe_token("another-secret", user)
    client = app.test_client()
    assert client.get(f"/afmelden/{token}").status_code == 404
    response = client.post(f"/afmelden/{unsubscribe_token(app.config['SECRET_KEY'], user)[:-3]}")
    assert response.status_code == 404 and "Link werkt niet" in text_of(response)
    session.expire_all()
    assert session.get(User, user.id).digest_mode == DigestMode.DAILY
