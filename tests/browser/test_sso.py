"""Single sign-on in Chromium against a real OpenID Connect provider (oidc-provider under Node.js, on loopback)."""

from __future__ import annotations

import re
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.serving import make_server

from planner.domain.accounts import create_user
from planner.domain.feeds import create_subscription
from planner.domain.plans import find_or_create_organisation
from planner.enums import FeedScope, OrganisationKind, Role, SecurityEventKind
from planner.models import SecurityEvent, Subscription, User, UserSession
from tests.browser.conftest import axe_violations
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import count_rows
from tests.oidc import ADMINISTRATOR, ADVISOR, OUTSIDER, PASSWORD, sso_settings

BUTTON = "Inloggen met Gemeente Ede"
CALLBACK = "/login/sso/callback"


class Later:
    """A WSGI app set after the server has its port (the provider must know the planner's address first)."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@dataclass
class Site:
    url: str
    app: object
    client_id: str


@pytest.fixture
def ede(session):
    find_or_create_organisation(session, "Gemeente Ede", OrganisationKind.MUNICIPALITY)
    session.commit()


@pytest.fixture
def sso_site(db_url, tmp_path, oidc_provider, ede):
    """Start the planner with single sign-on at the test provider: `sso_site(**more_settings)`."""
    from planner.web import create_app

    started = []

    def start(**settings) -> Site:
        holder = Later()
        server = make_server("127.0.0.1", 0, holder, threaded=True)
        url = f"http://127.0.0.1:{server.server_port}"
        client_id, secret = oidc_provider.register_client(url)
        holder.app = create_app({"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
                                 "PLANNER_SECRET_KEY": "sso-test", "PLANNER_BASE_URL": url,
                                 "PLANNER_OIDC_CREATE_USERS": "on",
                                 **sso_settings(oidc_provider, client_id, secret, **settings)})
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread, holder.app))
        return Site(url, holder.app, client_id)

    yield start
    for server, thread, app in started:
        server.shutdown()
        thread.join(5)
        app.extensions["planner.engine"].dispose()


def new_page(chromium):
    """A page in a Dutch browser of its own that reaches nothing but loopback (the provider and the planner)."""
    context = chromium.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                   bypass_csp=True)  # lets axe-core be injected into the page
    context.route(lambda url: urlsplit(url).hostname not in {"127.0.0.1", "localhost"}, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def browser_page(chromium):
    page = new_page(chromium)
    yield page
    page.context.close()


def sso_login(page, site: Site, email: str, password: str = PASSWORD) -> None:
    """Click the button on the planner's login page and log in on the provider's own login page."""
    page.goto(site.url + "/login")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(re.compile(r".*/interaction/.*"))
    expect(page.get_by_role("heading", name="Inloggen bij de testprovider")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: url.startswith(site.url))
    page.wait_for_load_state()


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()


def user(session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == email))


def events(session, kind: SecurityEventKind) -> list[SecurityEvent]:
    session.expire_all()
    return list(session.scalars(sa.select(SecurityEvent).where(SecurityEvent.kind == kind).order_by(SecurityEvent.id)))


def test_sso_login_through_the_provider_gives_the_mapped_role_and_organisation(sso_site, browser_page, session,
                                                                             oidc_provider):
    site = sso_site()
    sso_login(browser_page, site, ADVISOR)
    assert urlsplit(browser_page.url).path == "/"
    expect(browser_page.get_by_role("link", name="Nieuw plan").first).to_be_visible()  # an advisor makes plans
    assert browser_page.get_by_role("link", name="Beveiligingslog").count() == 0  # not an administrator

    fatima = user(session, ADVISOR)
    assert (fatima.role, fatima.organisation.name, fatima.name) == (Role.ADVISOR, "Gemeente Ede", "Fatima el Amrani")
    assert (fatima.oidc_issuer, fatima.oidc_subject) == (oidc_provider.issuer, oidc_provider.subject(ADVISOR))
    assert fatima.password_hash == ""  # no password of our own
    login = events(session, SecurityEventKind.LOGIN)[-1]
    assert (login.email, login.detail) == (ADVISOR, "single sign-on")
    [sso_session] = session.scalars(sa.select(UserSession).where(UserSession.user_id == fatima.id))
    assert sso_session.via_sso and sso_session.oidc_sid  # the provider's session, for a back-channel logout


def test_sso_an_invited_user_is_linked_at_the_first_login(sso_site, browser_page, session, oidc_provider):
    invited = create_user(session, ADVISOR, find_or_create_organisation(session, "Gemeente Ede"), Role.READER, None)
    session.commit()
    site = sso_site(PLANNER_OIDC_CREATE_USERS="off")
    sso_login(browser_page, site, ADVISOR)
    expect(browser_page.get_by_role("link", name="Nieuw plan").first).to_be_visible()
    linked = user(session, ADVISOR)
    assert linked.id == invited.id and linked.oidc_subject == oidc_provider.subject(ADVISOR)
    assert linked.role == Role.ADVISOR  # the claims decide, not the invitation

    # without an invitation, and without just-in-time accounts, nobody else gets in
    log_out(browser_page)
    browser_page.get_by_role("button", name="Ja, afmelden").click()
    sso_login(browser_page, site, ADMINISTRATOR)
    expect(browser_page.get_by_role("heading", name="U kunt niet inloggen")).to_be_visible()
    assert "er is nog geen account voor u in de planner" in browser_page.content()
    assert user(session, ADMINISTRATOR) is None


def test_sso_a_changed_group_changes_the_role_at_the_next_login_after_logout_at_both_ends(
        sso_site, browser_page, session, oidc_provider):
    site = sso_site()
    page = browser_page
    sso_login(page, site, ADVISOR)
    assert user(session, ADVISOR).role == Role.ADVISOR

    # logging out here ends the session at the provider too (RP-initiated logout) and comes back
    log_out(page)
    page.wait_for_url(re.compile(r".*/session/end.*"))
    page.get_by_role("button", name="Ja, afmelden").click()
    page.wait_for_url(site.url + "/login")
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    assert count_rows(session, UserSession) == 0
    assert events(session, SecurityEventKind.LOGOUT)[-1].email == ADVISOR
    page.goto(site.url + "/")
    assert urlsplit(page.url).path == "/login"

    # the provider's administrator moves her to the administrators' group; the next login shows it
    oidc_provider.set_groups(ADVISOR, ["planner-beheerders", "org-gemeente-ede"])
    sso_login(page, site, ADVISOR)  # the provider asks for the password again: its session ended too
    expect(page.get_by_role("link", name="Beveiligingslog")).to_be_visible()
    assert user(session, ADVISOR).role == Role.ADMINISTRATOR
    change = events(session, SecurityEventKind.ROLE_CHANGED)[-1]
    assert change.email == ADVISOR and "from the identity provider" in change.detail

    page.get_by_role("link", name="Beveiligingslog").click()
    expect(page.get_by_text("Adviseur → Beheerder (van de identiteitsprovider)")).to_be_visible()
    expect(page.get_by_text("eenmalige aanmelding").first).to_be_visible()


def test_sso_an_unknown_group_is_refused_in_dutch_without_an_account(sso_site, browser_page, session):
    site = sso_site()
    sso_login(browser_page, site, OUTSIDER)
    expect(browser_page.get_by_role("heading", name="U kunt niet inloggen")).to_be_visible()
    assert "geen van uw groepen geeft toegang tot de planner" in browser_page.content()
    assert axe_violations(browser_page) == []
    assert user(session, OUTSIDER) is None
    refusal = events(session, SecurityEventKind.LOGIN_FAILED)[-1]
    assert OUTSIDER in refusal.detail and "none of your groups" in refusal.detail
    browser_page.goto(site.url + "/")
    assert urlsplit(browser_page.url).path == "/login"


def test_sso_a_user_taken_out_of_the_groups_is_disabled_and_loses_feed_links(sso_site, browser_page, session,
                                                                           oidc_provider):
    from planner.domain.demo import load_demo

    site = sso_site()
    sso_login(browser_page, site, ADVISOR)
    log_out(browser_page)
    browser_page.get_by_role("button", name="Ja, afmelden").click()
    plans = load_demo(session)
    fatima = user(session, ADVISOR)
    create_subscription(session, plans[0], "Voor mijn agenda", FeedScope.PLAN, created_by=fatima)
    session.commit()

    oidc_provider.set_groups(ADVISOR, ["org-gemeente-ede"])
    sso_login(browser_page, site, ADVISOR)
    expect(browser_page.get_by_role("heading", name="U kunt niet inloggen")).to_be_visible()
    assert not user(session, ADVISOR).active
    assert session.scalar(sa.select(Subscription).where(Subscription.created_by_id == fatima.id)).revoked_at
    assert events(session, SecurityEventKind.USER_DISABLED)[-1].email == ADVISOR


def test_sso_backchannel_logout_at_the_provider_ends_the_session_here(sso_site, browser_page, session,
                                                                     oidc_provider):
    site = sso_site()
    page = browser_page
    sso_login(page, site, ADVISOR)
    assert count_rows(session, UserSession) == 1

    # she signs out at the provider itself (its own page, not through the planner)
    page.goto(oidc_provider.issuer + "/session/end")
    page.get_by_role("button", name="Ja, afmelden").click()
    page.wait_for_load_state()
    assert count_rows(session, UserSession) == 0
    assert events(session, SecurityEventKind.LOGOUT)[-1].detail == "by the identity provider (back-channel logout)"
    page.goto(site.url + "/")
    assert urlsplit(page.url).path == "/login"
    expect(page.get_by_text("Uw sessie is afgelopen. Log opnieuw in.")).to_be_visible()


def test_sso_a_user_disabled_at_the_provider_loses_the_session_at_once(sso_site, browser_page, session,
                                                                      oidc_provider):
    site = sso_site()
    page = browser_page
    sso_login(page, site, ADVISOR)
    oidc_provider.disable(ADVISOR, site.client_id)  # with a back-channel logout to every client
    page.goto(site.url + "/")
    assert urlsplit(page.url).path == "/login"
    assert count_rows(session, UserSession) == 0

    page.get_by_role("link", name=BUTTON).click()  # and the provider lets her in no more
    page.get_by_label("Gebruikersnaam").fill(ADVISOR)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Onbekende gebruiker of verkeerd wachtwoord.")).to_be_visible()


@pytest.mark.parametrize("mode, problem", [("tampered", "BadSignatureError"), ("expired", "ExpiredTokenError"),
                                           ("nonce", "nonce"), ("audience", "aud")])
def test_sso_a_spoiled_id_token_is_refused(mode, problem, sso_site, browser_page, session, oidc_provider):
    site = sso_site()
    oidc_provider.spoil_id_tokens(mode)
    sso_login(browser_page, site, ADVISOR)
    expect(browser_page.get_by_role("heading", name="U kunt niet inloggen")).to_be_visible()
    assert "het antwoord van de identiteitsprovider kon niet worden gecontroleerd" in browser_page.content()
    assert user(session, ADVISOR) is None and count_rows(session, UserSession) == 0
    refusal = events(session, SecurityEventKind.LOGIN_FAILED)[-1]
    assert problem in refusal.detail
    browser_page.goto(site.url + "/")
    assert urlsplit(browser_page.url).path == "/login"


def test_sso_a_provider_clock_a_little_ahead_is_tolerated(sso_site, browser_page, session, oidc_provider):
    site = sso_site()
    oidc_provider.spoil_id_tokens("skewed")  # issued 30 seconds "in the future"
    sso_login(browser_page, site, ADVISOR)
    expect(browser_page.get_by_role("link", name="Nieuw plan").first).to_be_visible()


def test_sso_a_login_answer_with_a_state_this_browser_never_sent_is_refused(sso_site, browser_page, chromium,
                                                                            session):
    """Login CSRF: an attacker's answer from the provider, opened in someone else's browser, logs nobody in."""
    site = sso_site()
    answers = []
    attacker = new_page(chromium)
    attacker.on("request", lambda request: answers.append(request.url) if CALLBACK in request.url else None)
    sso_login(attacker, site, ADMINISTRATOR)
    attacker.context.close()

    browser_page.goto(site.url + "/login")
    browser_page.get_by_role("link", name=BUTTON).click()  # her own login, with her own state, is under way
    browser_page.goto(answers[0])
    expect(browser_page.get_by_role("heading", name="U kunt niet inloggen")).to_be_visible()
    assert "MismatchingStateError" in events(session, SecurityEventKind.LOGIN_FAILED)[-1].detail
    browser_page.goto(site.url + "/")
    assert urlsplit(browser_page.url).path == "/login"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sso_provider_down_gives_a_dutch_page_and_break_glass_login_works(sso_site, browser_page, session):
    beheer = find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER)
    create_user(session, "nood@ede.example", beheer, Role.ADMINISTRATOR, ADMIN_PASSWORD, break_glass=True)
    create_user(session, "lokaal@ede.example", beheer, Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    site = sso_site(PLANNER_OIDC_ISSUER=f"http://127.0.0.1:{_closed_port()}", PLANNER_LOCAL_LOGIN="off")
    page = browser_page

    page.goto(site.url + "/login")
    assert page.get_by_label("Wachtwoord").count() == 0  # local passwords are off
    assert axe_violations(page) == []
    page.get_by_role("link", name=BUTTON).click()
    expect(page.get_by_role("heading", name="Inloggen is nu niet mogelijk")).to_be_visible()
    expect(page.get_by_text("De inlogdienst van Gemeente Ede is niet bereikbaar.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Noodtoegang voor beheerders").click()
    for email, welcome in (("lokaal@ede.example", False), ("nood@ede.example", True)):
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Beveiligingslog").is_visible() == welcome
    failed = events(session, SecurityEventKind.LOGIN_FAILED)[-1]
    assert (failed.email, failed.detail) == ("lokaal@ede.example", "local passwords are switched off")
