"""API keys: made and revoked in the browser, shown once, stored as a hash, on record, limited, never logged."""

import datetime as dt
import logging
import re

import sqlalchemy as sa

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import ApiScope, Role, SecurityEventKind as Kind
from planner.models import ApiKey, SecurityEvent
from planner.web.logs import install_redaction, redact
from tests.conftest import log_in
from tests.helpers import submit, text_of
from tests.web.api.conftest import PASSWORD, make_key

KEY = re.compile(r"pln_[A-Za-z0-9_-]{40,}")


def person(session, app, role: Role, organisation: str = "Gemeente Arnhem"):
    email = f"{role.value}-{organisation.split()[-1].lower()}@test.example"
    create_user(session, email, find_or_create_organisation(session, organisation), role, PASSWORD)
    session.commit()
    client = app.test_client()
    log_in(client, email, PASSWORD)
    return client


def events(session, kind):
    session.expire_all()
    return session.scalars(sa.select(SecurityEvent).where(SecurityEvent.kind == kind)).all()


def test_an_advisor_makes_a_key_sees_it_once_and_revokes_it(app, demo_session):
    browser = person(demo_session, app, Role.ADVISOR)
    page = submit(browser, "/api-keys", {"name": "Website agenda", "role": "advisor", "scope": "read_write",
                                          "valid_days": "90"})
    assert page.status_code == 200 and "Kopieer hem nu" in text_of(page)
    key = KEY.search(page.get_data(as_text=True)).group(0)
    listing = browser.get("/api-keys").get_data(as_text=True)
    assert key not in listing and key[:12] in listing and "Website agenda" in listing
    [row] = demo_session.scalars(sa.select(ApiKey)).all()
    assert key not in repr([getattr(row, c.key) for c in sa.inspect(ApiKey).columns])
    assert row.expires_at.date() == (clock.now() + dt.timedelta(days=90)).date()

    api = app.test_client()
    assert api.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    demo_session.expire_all()
    assert demo_session.get(ApiKey, row.id).last_used_at is not None
    submit(browser, f"/api-keys/{row.uuid}/revoke", {}, page="/api-keys")
    assert api.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    [created] = events(demo_session, Kind.API_KEY_CREATED)
    [revoked] = events(demo_session, Kind.API_KEY_REVOKED)
    [refused] = events(demo_session, Kind.API_KEY_REFUSED)
    assert "Website agenda" in created.detail and created.email.startswith("advisor")
    assert "Website agenda" in revoked.detail and "Website agenda" in refused.detail
    everything = repr([(e.detail, e.actor) for e in demo_session.scalars(sa.select(SecurityEvent))])
    assert key not in everything and key[:12] in everything


def test_only_administrators_and_advisors_manage_keys_and_only_of_their_organisation(app, demo_session):
    assert person(demo_session, app, Role.READER).get("/api-keys").status_code == 403
    assert person(demo_session, app, Role.COORDINATOR, "Regio Arnhem-Achterhoek").get("/api-keys").status_code == 403
    theirs = make_key(demo_session, "Gemeente Elders", Role.READER, ApiScope.READ, name="Elders dashboard")
    demo_session.commit()
    advisor = person(demo_session, app, Role.ADVISOR)
    assert "Elders dashboard" not in advisor.get("/api-keys").get_data(as_text=True)
    other = demo_session.scalar(sa.select(ApiKey).where(ApiKey.name == "Elders dashboard"))
    assert submit(advisor, f"/api-keys/{other.uuid}/revoke", {}, page="/api-keys").status_code == 404
    assert app.test_client().get("/api/v1/plans", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200


def test_a_key_writes_only_as_advisor_and_an_advisor_cannot_make_a_coordinator_key(app, demo_session):
    advisor = person(demo_session, app, Role.ADVISOR)
    page = submit(advisor, "/api-keys", {"name": "x", "role": "reader", "scope": "read_write", "valid_days": "30"})
    assert "Alleen een sleutel die als adviseur optreedt kan schrijven." in text_of(page)
    page = submit(advisor, "/api-keys", {"name": "x", "role": "coordinator", "scope": "read", "valid_days": "30"})
    assert not KEY.search(page.get_data(as_text=True))
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(ApiKey)) == 0


def test_an_expired_key_is_refused_and_on_record(app, demo_session, time_machine):
    key = make_key(demo_session, "Gemeente Arnhem", Role.READER, ApiScope.READ)
    demo_session.commit()
    time_machine.move_to(clock.now() + dt.timedelta(days=31))
    response = app.test_client().get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401 and 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert len(events(demo_session, Kind.API_KEY_REFUSED)) == 1


def test_too_many_requests_get_429_with_retry_after(db_url, tmp_path, demo_session):
    from planner.web import create_app

    key = make_key(demo_session, "Gemeente Arnhem", Role.READER, ApiScope.READ)
    demo_session.commit()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_API_RATE_LIMIT": "3",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"), "PLANNER_SECRET_KEY": "x"})
    try:
        client = app.test_client()
        statuses = [client.get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}) for _ in range(5)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429, 429]
        assert 1 <= int(statuses[3].headers["Retry-After"]) <= 60
        assert statuses[3].mimetype == "application/problem+json" and statuses[3].headers["API-Version"]
        assert len(events(demo_session, Kind.API_KEY_RATE_LIMITED)) == 1
    finally:
        app.extensions["planner.engine"].dispose()


def test_keys_never_reach_a_log_line(caplog):
    key = "pln_" + "A1b2C3d4" * 6
    assert key not in redact(f'"GET /api/v1/plans?key={key} HTTP/1.1" 401 -')
    install_redaction()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /api/v1/plans?token=%s HTTP/1.1" 401 -', key)
        logging.getLogger("planner").warning("a program sent %s in its body", key.replace("pln_", "pln%5F"))
    assert key not in caplog.text and "pln_[redacted]" in caplog.text
