"""The security log: events on record without secrets, in their own table, on an administrators-only page."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from planner import clock
from planner.db import make_engine, make_session_factory
from planner.domain.accounts import create_user
from planner.domain.security_log import describe
from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import find_or_create_organisation, get_plan
from planner.enums import Role, SecurityEventKind as Kind
from planner.models import AuditEntry, ContactPerson, SecurityEvent
from tests.conftest import ADMIN_EMAIL, log_in
from tests.helpers import csrf_token, submit, text_of

PASSWORD = "een-lang-test-wachtwoord"
NEW_PASSWORD = "drie-losse-woorden-lamp"


def events(session, kind=None):
    session.expire_all()
    query = sa.select(SecurityEvent).order_by(SecurityEvent.id)
    if kind is not None:
        query = query.where(SecurityEvent.kind == kind)
    return session.scalars(query).all()


def everything_in(session) -> str:
    return repr([(e.kind, e.email, e.actor, e.address, e.detail) for e in events(session)])


def test_logins_failures_and_logouts_are_on_record(app, client, session):
    [login] = events(session, Kind.LOGIN)
    assert login.email == ADMIN_EMAIL and login.actor == ADMIN_EMAIL and login.address == "127.0.0.1"
    other = app.test_client()
    token = csrf_token(other, "/login")
    other.post("/login", data={"csrf_token": token, "email": ADMIN_EMAIL, "password": "verkeerd-wachtwoord"})
    [failed] = events(session, Kind.LOGIN_FAILED)
    assert (failed.email, failed.detail) == (ADMIN_EMAIL, "wrong password")
    submit(client, "/logout", {}, page="/")
    [logout] = events(session, Kind.LOGOUT)
    assert logout.email == ADMIN_EMAIL
    assert "verkeerd-wachtwoord" not in everything_in(session) and PASSWORD not in everything_in(session)


def test_feed_link_rotation_and_revocation_are_on_record_without_the_link(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    page = submit(client, f"/plans/{plan.slug}/feeds", {"label": "Veilig Thuis", "scope": "plan"}).get_data(True)
    first = re.search(r"/feeds/([A-Za-z0-9_-]+)\.ics", page).group(1)
    public_id = re.search(r"/feeds/([0-9a-f-]{36})/rotate", client.get(f"/plans/{plan.slug}/feeds").get_data(True))[1]
    page = submit(client, f"/plans/{plan.slug}/feeds/{public_id}/rotate", {}, page=f"/plans/{plan.slug}/feeds")
    second = re.search(r"/feeds/([A-Za-z0-9_-]+)\.ics", page.get_data(as_text=True)).group(1)
    submit(client, f"/plans/{plan.slug}/feeds/{public_id}/revoke", {}, page=f"/plans/{plan.slug}/feeds")
    [rotated] = events(demo_session, Kind.FEED_ROTATED)
    [revoked] = events(demo_session, Kind.FEED_REVOKED)
    assert public_id in rotated.detail and "Veilig Thuis" in rotated.detail and rotated.actor == ADMIN_EMAIL
    assert public_id in revoked.detail
    assert first not in everything_in(demo_session) and second not in everything_in(demo_session)


def test_avg_export_and_erase_are_on_record_without_the_personal_data(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.partners[0].contacts.append(ContactPerson(name="Sanne de Vries", email="sanne@example.nl", phone="0612"))
    demo_session.commit()
    contact = demo_session.scalar(sa.select(ContactPerson).where(ContactPerson.name == "Sanne de Vries"))
    client.get(f"/plans/{plan.slug}/contacts/{contact.id}/personal-data.json")
    submit(client, f"/plans/{plan.slug}/contacts/{contact.id}/erase", {})
    [exported] = events(demo_session, Kind.PRIVACY_EXPORT)
    [erased] = events(demo_session, Kind.PRIVACY_ERASE)
    assert str(contact.uuid) in exported.detail and str(contact.uuid) in erased.detail
    assert exported.actor == ADMIN_EMAIL
    assert "Sanne" not in everything_in(demo_session) and "sanne@example.nl" not in everything_in(demo_session)


def test_security_events_stay_out_of_the_plan_history(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    submit(client, f"/plans/{plan.slug}/feeds", {"label": "Partner", "scope": "plan"})
    assert events(demo_session, Kind.LOGIN)
    assert not demo_session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "SecurityEvent")).all()
    page = text_of(client.get(f"/plans/{plan.slug}/history"))
    assert "Ingelogd" not in page and "Beveiligingslog" in page  # only the administrator's navigation link


def test_the_command_line_records_users_passwords_roles_and_avg_requests(cli, db_url):
    cli("demo")
    assert cli("users", "create", "nieuw@arnhem.example", "--org", "gemeente arnhem", "--role", "reader",
               input="een-heel-lang-wachtwoord\n").exit_code == 0
    assert cli("users", "set-password", "nieuw@arnhem.example", input="nog-een-lang-wachtwoord\n").exit_code == 0
    assert cli("users", "set-role", "nieuw@arnhem.example", "advisor").exit_code == 0
    assert cli("users", "disable", "nieuw@arnhem.example").exit_code == 0
    engine = make_engine(db_url)
    session = make_session_factory(engine)()
    try:
        plan = get_plan(session, MUNICIPAL_SLUG)
        plan.partners[0].contacts.append(ContactPerson(name="Piet Jansen", email="piet@example.nl"))
        session.commit()
        assert cli("privacy", "export", "piet@example.nl").exit_code == 0
        assert cli("privacy", "erase", "piet@example.nl", "--yes").exit_code == 0
        mine = [e for e in events(session) if e.email == "nieuw@arnhem.example"]
        assert [e.kind for e in mine] == [Kind.USER_CREATED, Kind.PASSWORD_CHANGED, Kind.ROLE_CHANGED,
                                          Kind.USER_DISABLED]
        assert describe(mine[2].detail, lambda text: text) == "Reader → Advisor"
        assert {e.actor for e in mine} == {"command line"}
        assert [e.kind for e in events(session) if e.kind.value.startswith("privacy")] == [
            Kind.PRIVACY_EXPORT, Kind.PRIVACY_ERASE]
        text = everything_in(session)
        assert "wachtwoord" not in text and "Piet" not in text and "piet@example.nl" not in text
    finally:
        session.close()
        engine.dispose()


# The page

@pytest.fixture
def reader(session):
    user = create_user(session, "lezer@gemeente.example", find_or_create_organisation(session, "Gemeente Test"),
                       Role.READER, PASSWORD)
    session.commit()
    return user


def test_only_administrators_see_the_security_log(app, client, reader):
    assert "Beveiligingslog" in text_of(client.get("/"))
    other = app.test_client()
    log_in(other, reader.email, PASSWORD)
    assert "Beveiligingslog" not in text_of(other.get("/"))
    assert other.get("/security-log").status_code == 403


def test_the_security_log_filters_by_event_user_and_period(app, client, reader, session):
    other = app.test_client()
    token = csrf_token(other, "/login")
    other.post("/login", data={"csrf_token": token, "email": reader.email, "password": "fout-wachtwoord-1"})
    session.add(SecurityEvent(kind=Kind.LOGIN_FAILED, email=reader.email, user_id=reader.id, actor="anonymous",
                              address="192.0.2.9", detail="wrong password", at=clock.now() - dt.timedelta(days=40)))
    session.commit()
    def rows(query=""):
        page = text_of(client.get("/security-log" + query))
        return page.split("Details", 1)[1] if "Details" in page else page

    everything = rows()
    assert "Mislukte inlogpoging" in everything and "Gebruiker aangemaakt" in everything
    assert "verkeerd wachtwoord" in everything and "rol: Lezer" in everything  # details in Dutch too
    assert "wrong password" not in everything
    failed = rows("?kind=login_failed")
    assert reader.email in failed and "192.0.2.9" in failed and "Gebruiker aangemaakt" not in failed
    mine = rows(f"?user={reader.uuid}")
    assert reader.email in mine and ADMIN_EMAIL not in mine
    since = (clock.today() - dt.timedelta(days=7)).isoformat()
    recent = rows(f"?kind=login_failed&from={since}&to={clock.today().isoformat()}")
    assert "127.0.0.1" in recent and "192.0.2.9" not in recent
    assert client.get("/security-log?from=9999-99-99").status_code == 400
    assert "Geen gebeurtenissen" in rows("?kind=privacy_erase")
