"""Login throttling: growing delays per address and per account from an address, never a lock an outsider sets."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain import login_throttle
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role, SecurityEventKind
from planner.models import SecurityEvent
from tests.helpers import csrf_token

PASSWORD = "een-lang-test-wachtwoord"
ATTACKER, OWNER, OFFICE = "198.51.100.7", "203.0.113.20", "192.0.2.1"


@pytest.fixture
def admin(session):
    user = create_user(session, "beheer@gemeente.example", find_or_create_organisation(session, "Gemeente Test"),
                       Role.ADMINISTRATOR, PASSWORD)
    session.commit()
    return user


def attempt(app, email, password, address, client=None):
    """One login from `address`, as a browser there would send it."""
    client = client or app.test_client()
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_reset_requests_do_not_count_toward_the_login_limit(app, admin):
    client = app.test_client()
    token = csrf_token(client, "/password/forgot")
    for n in range(40):
        client.post("/password/forgot", data={"csrf_token": token, "email": f"niemand{n}@elders.example"},
                    environ_base={"REMOTE_ADDR": OFFICE})
    assert attempt(app, admin.email, PASSWORD, OFFICE).status_code == 302


def test_hammering_an_account_slows_down_only_the_hammering_address(app, admin):
    for _ in range(25):
        attempt(app, admin.email, "geraden-wachtwoord", ATTACKER)
    refused = attempt(app, admin.email, PASSWORD, ATTACKER)
    assert refused.status_code == 429, "the attacker's address waits, even with the right password"
    assert int(refused.headers["Retry-After"]) > 0
    assert "Wacht" in refused.get_data(as_text=True) and "seconden" in refused.get_data(as_text=True)
    assert attempt(app, admin.email, PASSWORD, OWNER).status_code == 302, "the owner logs in from elsewhere"


def test_the_delay_grows_with_each_failure_and_early_attempts_do_not_count(app, admin, time_machine):
    waits = []
    for _ in range(6):
        response = attempt(app, admin.email, "fout-wachtwoord-123", ATTACKER)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "klopt niet" in page
        found = re.search(r"Wacht (\d+) seconde", page)
        waits.append(int(found.group(1)) if found else 0)
        if waits[-1]:
            for _ in range(3):  # hammering while waiting is refused unchecked and changes nothing
                early = attempt(app, admin.email, PASSWORD, ATTACKER)
                assert early.status_code == 429 and int(early.headers["Retry-After"]) <= waits[-1]
        time_machine.move_to(clock.now() + dt.timedelta(seconds=waits[-1] + 1))
    assert waits == [0, 0, 2, 4, 8, 16]
    assert attempt(app, admin.email, PASSWORD, ATTACKER).status_code == 302, "after the wait the password works"


def test_many_accounts_guessed_from_one_address_slow_that_address_down(app, admin):
    for n in range(login_throttle.ADDRESS_FREE):
        attempt(app, f"gok{n}@gemeente.example", "een-wachtwoord-gok", ATTACKER)
    assert attempt(app, admin.email, PASSWORD, ATTACKER).status_code == 429
    assert attempt(app, admin.email, PASSWORD, OWNER).status_code == 302


def test_the_counters_are_shared_by_every_worker(app, admin, db_url, tmp_path):
    from planner.web import create_app

    other = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "test-secret",
                        "PLANNER_INSTANCE_PATH": str(tmp_path / "other")})
    try:
        for _ in range(3):
            attempt(app, admin.email, "fout-wachtwoord-123", ATTACKER)
        assert attempt(other, admin.email, PASSWORD, ATTACKER).status_code == 429
    finally:
        other.extensions["planner.engine"].dispose()


def test_a_successful_login_clears_the_accounts_failures_from_that_address(app, admin, time_machine):
    for _ in range(3):
        attempt(app, admin.email, "fout-wachtwoord-123", OWNER)
    time_machine.move_to(clock.now() + dt.timedelta(seconds=3))
    assert attempt(app, admin.email, PASSWORD, OWNER).status_code == 302
    assert attempt(app, admin.email, "nog-een-typefout", OWNER).status_code == 200
    assert attempt(app, admin.email, PASSWORD, OWNER).status_code == 302, "one typo after a login waits for nothing"


def test_failures_and_delays_are_on_record_without_the_password(app, admin, session):
    for _ in range(3):
        attempt(app, admin.email, "geheim-geraden-1", ATTACKER)
    attempt(app, "onbekend@gemeente.example", "geheim-geraden-2", ATTACKER)
    session.expire_all()
    events = session.scalars(sa.select(SecurityEvent).order_by(SecurityEvent.id)).all()
    kinds = [e.kind for e in events if e.kind != SecurityEventKind.USER_CREATED]
    assert kinds.count(SecurityEventKind.LOGIN_FAILED) == 4 and SecurityEventKind.LOGIN_DELAYED in kinds
    assert {e.address for e in events if e.kind == SecurityEventKind.LOGIN_FAILED} == {ATTACKER}
    assert all(e.email == admin.email for e in events if e.kind == SecurityEventKind.LOGIN_DELAYED)
    text = repr([(e.email, e.actor, e.address, e.detail) for e in events])
    assert "geheim-geraden" not in text and "onbekend@" not in text, "what was typed for an unknown account stays out"


def test_an_ipv6_client_counts_as_its_64_network():
    assert login_throttle.client_key("2001:db8:1:2:aaaa::1") == login_throttle.client_key("2001:db8:1:2:bbbb::9")
    assert login_throttle.client_key("2001:db8:1:3::1") != login_throttle.client_key("2001:db8:1:2::1")
    assert login_throttle.client_key("::ffff:192.0.2.1") == "192.0.2.1"


# The client's address behind a reverse proxy

def echo_address(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["REMOTE_ADDR"].encode()]


def seen(networks, remote, forwarded=None) -> str:
    from werkzeug.test import Client

    from planner.web.proxies import TrustedProxies, parse_networks

    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    client = Client(TrustedProxies(echo_address, parse_networks(networks)))
    return client.get("/", headers=headers, environ_base={"REMOTE_ADDR": remote}).get_data(as_text=True)


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy():
    assert seen(["10.0.0.1"], "10.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert seen(["10.0.0.1"], "10.0.0.1", "1.1.1.1, 198.51.100.7") == "198.51.100.7", "a forged first entry is ignored"
    assert seen(["10.0.0.0/8"], "10.0.0.1", "198.51.100.7, 10.2.3.4") == "198.51.100.7", "a chain of trusted proxies"
    assert seen(["10.0.0.1"], "203.0.113.9", "198.51.100.7") == "203.0.113.9", "not from the proxy: not believed"
    assert seen([], "10.0.0.1", "198.51.100.7") == "10.0.0.1", "no trusted proxies: no header believed"
    assert seen(["10.0.0.1"], "10.0.0.1") == "10.0.0.1"


def test_a_bad_trusted_proxy_setting_stops_the_app(db_url, tmp_path):
    from planner.web import create_app

    with pytest.raises(ValueError, match="PLANNER_TRUSTED_PROXIES"):
        create_app({"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                    "PLANNER_SECRET_KEY": "x", "PLANNER_TRUSTED_PROXIES": "proxy.example"})


def test_behind_the_proxy_each_client_has_its_own_delays(db_url, tmp_path, admin, session):
    """Every request arrives from the proxy; without the setting they would all share one address."""
    from planner.web import create_app

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "x",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "i"), "PLANNER_TRUSTED_PROXIES": "127.0.0.1, ::1"})
    try:
        def via_proxy(client_address, password):
            client = app.test_client()
            token = csrf_token(client, "/login")
            return client.post("/login", data={"csrf_token": token, "email": admin.email, "password": password},
                               environ_base={"REMOTE_ADDR": "127.0.0.1"},
                               headers={"X-Forwarded-For": client_address})

        for _ in range(5):
            via_proxy(ATTACKER, "geraden-wachtwoord")
        assert via_proxy(ATTACKER, PASSWORD).status_code == 429
        assert via_proxy(OWNER, PASSWORD).status_code == 302
        session.expire_all()
        addresses = set(session.scalars(sa.select(SecurityEvent.address).where(
            SecurityEvent.kind.in_([SecurityEventKind.LOGIN, SecurityEventKind.LOGIN_FAILED]))))
        assert addresses == {ATTACKER, OWNER}
    finally:
        app.extensions["planner.engine"].dispose()
