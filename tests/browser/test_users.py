"""In Chromium: the administrator invites a user, the invitation arrives by SMTP, the user chooses a password."""

from __future__ import annotations

import re

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.mailserver import MailServer

CHOSEN = "drie losse woorden voor anna"


@pytest.fixture
def inbox(monkeypatch):
    """A real SMTP server on loopback, and the planner's settings pointing at it (read when the app is made)."""
    server = MailServer().start()
    for name, value in server.settings().items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


@pytest.fixture
def live_server(inbox, live_server):
    """The project's live server, made after the mail settings are in place."""
    return live_server


@pytest.fixture
def admin(session):
    create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    session.commit()


def deliver(db_url, tmp_path):
    """What the scheduler does every few seconds: send what waits in the outbox (with the same settings)."""
    from planner.outbox import Outbox
    from planner.web import create_app

    app = create_app({"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "scheduler")})
    try:
        Outbox(app).deliver_due(clock.now())
    finally:
        app.extensions["planner.engine"].dispose()


def test_an_invited_user_chooses_a_password_and_the_administrator_sees_the_login(
        admin, inbox, page, chromium, live_server, db_url, tmp_path):
    log_in(page, ADMIN_EMAIL)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Gebruikers").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Gebruiker toevoegen").click()
    page.get_by_role("button", name="Toevoegen en uitnodiging versturen").click()  # empty: errors beside the fields
    assert page.locator("#email-error").inner_text() == "Vul een e-mailadres in."
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres").fill("anna@gemeente.example")
    page.get_by_label("Naam", exact=True).fill("Anna Nieuw")
    page.get_by_label("Organisatie").select_option(label="Gemeente Arnhem")
    page.get_by_label("Rol", exact=True).select_option(label="Adviseur")
    page.get_by_role("button", name="Toevoegen en uitnodiging versturen").click()
    page.get_by_text("anna@gemeente.example is toegevoegd; de uitnodiging is per e-mail onderweg.").wait_for()
    expect(page.get_by_text("nog geen wachtwoord gekozen")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "user")

    deliver(db_url, tmp_path)
    inbox.wait_for(1)
    [message] = inbox.to("anna@gemeente.example")
    link = re.search(re.escape(live_server) + r"/password/reset/[\w-]+", message.get_payload(decode=True).decode())[0]

    newcomer = chromium.new_context(base_url=live_server, locale="nl-NL", timezone_id="Europe/Amsterdam",
                                    bypass_csp=True).new_page()
    try:
        newcomer.goto(link)
        expect(newcomer.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
        assert axe_violations(newcomer) == []
        newcomer.get_by_label("Nieuw wachtwoord").fill(CHOSEN)
        newcomer.get_by_label("Herhaal het nieuwe wachtwoord").fill(CHOSEN)
        newcomer.get_by_role("button", name="Wachtwoord opslaan").click()
        newcomer.get_by_text("Uw nieuwe wachtwoord is ingesteld").wait_for()
        log_in(newcomer, "anna@gemeente.example", CHOSEN)
        assert newcomer.get_by_role("link", name="Gebruikers").count() == 1, "advisors see their colleagues"
    finally:
        newcomer.context.close()

    page.goto("/users")
    row = page.get_by_role("row").filter(has_text="anna@gemeente.example")
    today = format_date(clock.now().astimezone(clock.AMSTERDAM), "d MMM y", locale="nl")
    assert today in row.inner_text() and "nooit" not in row.inner_text()
