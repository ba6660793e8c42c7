"""User management in the browser: the list, invitations by e-mail, role and organisation, disable, reset links."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role, SecurityEventKind as Kind
from planner.models import SecurityEvent, User, UserSession
from planner.outbox import Outbox
from tests.conftest import log_in
from tests.helpers import csrf_token, submit, text_of, text_of_html
from tests.mailserver import MailServer

PASSWORD = "een-lang-test-wachtwoord"
CHOSEN = "drie losse woorden voor anna"


@pytest.fixture
def inbox():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(db_url, tmp_path, inbox):
    from planner.web import create_app

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_BASE_URL": "https://planner.gemeente.example",
                      **inbox.settings()})
    yield app
    app.extensions["planner.engine"].dispose()


@pytest.fixture
def people(session):
    """An administrator, an advisor and a reader of Arnhem, a coordinator of the region, an advisor elsewhere."""
    arnhem = find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    elders = find_or_create_organisation(session, "Gemeente Elders", OrganisationKind.MUNICIPALITY)
    beheer = find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER)
    made = {key: create_user(session, f"{key}@test.example", organisation, role, PASSWORD, name=name)
            for key, organisation, role, name in (
                ("beheer", beheer, Role.ADMINISTRATOR, "Bea Beheer"), ("advisor", arnhem, Role.ADVISOR, "Ada Advies"),
                ("reader", arnhem, Role.READER, "Rob Lezer"), ("coordinator", region, Role.COORDINATOR, "Coco Regie"),
                ("elders", elders, Role.ADVISOR, "Els Elders"))}
    made["advisor"].last_login_at = dt.datetime(2026, 11, 2, 8, 5, tzinfo=dt.timezone.utc)
    session.commit()
    return made


def client_of(app, who):
    client = app.test_client()
    log_in(client, f"{who}@test.example", PASSWORD)
    return client


def events(session, kind):
    session.expire_all()
    return session.scalars(sa.select(SecurityEvent).where(SecurityEvent.kind == kind).order_by(SecurityEvent.id)).all()


def user(session, email) -> User:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == email))


def page_of(session, email) -> str:
    return f"/users/{user(session, email).uuid}"


def deliver(app):
    return Outbox(app).deliver_due(clock.now())


def snapshot(session):
    """The users, their open links and the security events that are no login: what a refused change must not touch."""
    session.expire_all()
    users = session.execute(sa.select(User.email, User.role, User.organisation_id, User.active)
                            .order_by(User.email)).all()
    changes = session.scalars(sa.select(SecurityEvent.kind).where(
        SecurityEvent.kind.notin_([Kind.LOGIN, Kind.LOGOUT]))).all()
    return users, changes, session.execute(sa.text("select count(*) from password_resets")).scalar()


def test_users_page_lists_everyone_for_the_administrator_with_filters(mail_app, people, session):
    admin = client_of(mail_app, "beheer")
    home = text_of(admin.get("/"))
    assert "Gebruikers" in home
    page = text_of(admin.get("/users"))
    for name in ("Bea Beheer", "Ada Advies", "Rob Lezer", "Coco Regie", "Els Elders"):
        assert name in page
    # 08:05 UTC on 2 November is 09:05 in Amsterdam (winter time)
    assert "advisor@test.example Gemeente Arnhem Adviseur actief 2 nov 2026 09:05" in page
    assert "reader@test.example Gemeente Arnhem Lezer actief nooit" in page
    arnhem = user(session, "advisor@test.example").organisation.uuid
    filtered = text_of(admin.get(f"/users?organisation={arnhem}&role=reader&status=active"))
    assert "Rob Lezer" in filtered and "Ada Advies" not in filtered and "Bea Beheer" not in filtered
    submit(admin, f"{page_of(session, 'reader@test.example')}/disable", {}, page=page_of(session, "reader@test.example"))
    disabled = text_of(admin.get("/users?status=disabled"))
    assert "Rob Lezer" in disabled and "uitgeschakeld" in disabled and "Ada Advies" not in disabled


@pytest.mark.parametrize("who", ["advisor", "coordinator"])
def test_users_page_shows_others_their_own_organisation_read_only(mail_app, people, session, who):
    client = client_of(mail_app, who)
    assert "Gebruikers" in text_of(client.get("/"))
    html = client.get("/users").get_data(as_text=True)
    page = text_of(client.get("/users"))
    own = {"advisor": ["Ada Advies", "Rob Lezer"], "coordinator": ["Coco Regie"]}[who]
    assert all(name in page for name in own)
    assert not any(name in page for name in {"Ada Advies", "Rob Lezer", "Coco Regie", "Els Elders", "Bea Beheer"}
                   - set(own))
    assert "Gebruiker toevoegen" not in page and "Beheren" not in page and 'method="post" action="/users' not in html
    assert "/users/new" not in html and "organisation=" not in html
    for path in ("/users/new", page_of(session, "reader@test.example")):
        refused = client.get(path)
        assert refused.status_code == 403 and "Geen toegang" in text_of(refused)


def test_users_page_is_closed_to_readers(mail_app, people):
    reader = client_of(mail_app, "reader")
    assert "Gebruikers" not in text_of(reader.get("/"))
    response = reader.get("/users")
    assert response.status_code == 403 and "Geen toegang" in text_of(response)


def test_new_user_gets_an_invitation_to_choose_a_password(mail_app, people, session, inbox):
    admin = client_of(mail_app, "beheer")
    form = admin.get("/users/new").get_data(as_text=True)
    assert 'type="password"' not in form, "the administrator never types a password"
    arnhem = user(session, "advisor@test.example").organisation_id
    done = submit(admin, "/users/new", {"email": " Anna@Gemeente.example ", "name": "Anna Nieuw",
                                        "organisation_id": str(arnhem), "role": "advisor"}, follow=True)
    assert "anna@gemeente.example is toegevoegd; de uitnodiging is per e-mail onderweg." in text_of(done)
    assert "nog geen wachtwoord gekozen" in text_of(done)
    deliver(mail_app)
    [message] = inbox.to("anna@gemeente.example")
    assert message["Subject"] == "Uw account voor de communicatieplanner"
    body = message.get_payload(decode=True).decode()
    assert "Welkom bij de communicatieplanner" in body and "Adviseur bij Gemeente Arnhem" in body
    assert "binnen 7 dagen" in body
    link = re.search(r"https://planner\.gemeente\.example(/password/reset/[\w-]+)", body).group(1)
    [created] = [e for e in events(session, Kind.USER_CREATED) if e.email == "anna@gemeente.example"]
    [invited] = events(session, Kind.PASSWORD_RESET_REQUESTED)
    assert created.actor == invited.actor == "beheer@test.example" and invited.email == "anna@gemeente.example"
    assert "uitnodiging" in text_of(admin.get(f"/security-log?user={user(session, 'anna@gemeente.example').uuid}"))
    newcomer = mail_app.test_client()
    welcome = newcomer.get(link)
    assert "Kies uw wachtwoord" in text_of(welcome) and "Welkom bij de communicatieplanner" in text_of(welcome)
    token = csrf_token(newcomer, link)
    newcomer.post(link, data={"csrf_token": token, "password": CHOSEN, "repeat": CHOSEN})
    log_in(mail_app.test_client(), "anna@gemeente.example", CHOSEN)
    today = format_date(clock.now().astimezone(clock.AMSTERDAM), "d MMM y", locale="nl")
    assert f"Laatst ingelogd {today}" in text_of(admin.get(page_of(session, "anna@gemeente.example")))


def test_invitation_link_still_works_after_six_days(mail_app, people, session, inbox, time_machine):
    admin = client_of(mail_app, "beheer")
    submit(admin, "/users/new", {"email": "later@gemeente.example", "name": "", "role": "reader",
                                 "organisation_id": str(user(session, "reader@test.example").organisation_id)})
    deliver(mail_app)
    link = re.search(r"(/password/reset/[\w-]+)", inbox.to("later@gemeente.example")[0].get_payload(
        decode=True).decode()).group(1)
    sent = clock.now()
    time_machine.move_to(sent + dt.timedelta(days=6, hours=23))
    assert "Kies uw wachtwoord" in text_of(mail_app.test_client().get(link))
    time_machine.move_to(sent + dt.timedelta(days=7, minutes=1))
    expired = mail_app.test_client().get(link)
    assert expired.status_code == 404 and "verlopen" in text_of(expired)


def test_an_existing_address_is_refused_beside_the_field_and_nothing_changes(mail_app, people, session, inbox):
    admin = client_of(mail_app, "beheer")
    before = snapshot(session)
    response = submit(admin, "/users/new", {"email": "ADVISOR@test.example", "name": "Dubbel", "role": "reader",
                                            "organisation_id": str(user(session, "reader@test.example").organisation_id)})
    html = response.get_data(as_text=True)
    assert re.search(r'id="email-error">Er bestaat al een gebruiker met dit e-mailadres\.<', html)
    assert snapshot(session) == before
    deliver(mail_app)
    assert inbox.messages == []


def test_role_and_organisation_change_is_audited(mail_app, people, session):
    admin = client_of(mail_app, "beheer")
    elders = user(session, "elders@test.example").organisation_id
    page = page_of(session, "advisor@test.example")
    done = submit(admin, page, {"role": "coordinator", "organisation_id": str(elders)}, follow=True)
    assert "Wijzigingen opgeslagen." in text_of(done)
    changed = user(session, "advisor@test.example")
    assert (changed.role, changed.organisation.name) == (Role.COORDINATOR, "Gemeente Elders")
    [role] = events(session, Kind.ROLE_CHANGED)
    [moved] = events(session, Kind.ORGANISATION_CHANGED)
    assert role.actor == moved.actor == "beheer@test.example" and role.email == "advisor@test.example"
    log = text_of(admin.get("/security-log"))
    assert "Adviseur → Coördinator" in log and "Gemeente Arnhem → Gemeente Elders" in log


def test_a_change_made_meanwhile_is_not_overwritten(mail_app, people, session):
    admin = client_of(mail_app, "beheer")
    page = page_of(session, "advisor@test.example")
    token = csrf_token(admin, page)
    old_version = re.search(r'name="version" value="([^"]+)"', admin.get(page).get_data(as_text=True)).group(1)
    other = client_of(mail_app, "beheer")
    submit(other, page, {"role": "reader", "organisation_id": str(user(session, "advisor@test.example").organisation_id)})
    before = snapshot(session)
    response = admin.post(page, data={"csrf_token": token, "version": old_version, "role": "coordinator",
                                      "organisation_id": str(user(session, "advisor@test.example").organisation_id)})
    assert "Iemand anders heeft dit intussen gewijzigd." in text_of(response)
    assert "Rol: Lezer" in text_of(response)
    disabled = admin.post(f"{page}/disable", data={"csrf_token": token, "version": old_version}, follow_redirects=True)
    assert "Iemand anders heeft deze gebruiker intussen gewijzigd" in text_of(disabled)
    assert snapshot(session) == before


def test_disabling_ends_the_sessions_and_enabling_lets_the_user_in_again(mail_app, people, session):
    admin = client_of(mail_app, "beheer")
    advisor = client_of(mail_app, "advisor")
    page = page_of(session, "advisor@test.example")
    done = submit(admin, f"{page}/disable", {}, page=page, follow=True)
    assert "advisor@test.example is uitgeschakeld" in text_of(done) and "Inschakelen" in text_of(done)
    assert advisor.get("/").status_code == 302, "the advisor's session ended"
    assert session.scalar(sa.select(sa.func.count()).select_from(UserSession).join(User).where(
        User.email == "advisor@test.example")) == 0
    refused = mail_app.test_client()
    token = csrf_token(refused, "/login")
    response = refused.post("/login", data={"csrf_token": token, "email": "advisor@test.example", "password": PASSWORD})
    assert "klopt niet" in text_of(response)
    done = submit(admin, f"{page}/enable", {}, page=page, follow=True)
    assert "advisor@test.example kan weer inloggen." in text_of(done)
    client_of(mail_app, "advisor")
    assert [e.actor for e in events(session, Kind.USER_DISABLED)] == ["beheer@test.example"]
    assert [e.actor for e in events(session, Kind.USER_ENABLED)] == ["beheer@test.example"]


def test_reset_link_sent_by_the_administrator_arrives_and_is_audited(mail_app, people, session, inbox):
    admin = client_of(mail_app, "beheer")
    page = page_of(session, "reader@test.example")
    done = submit(admin, f"{page}/reset-link", {}, page=page, follow=True)
    assert "Een link om een nieuw wachtwoord te kiezen is onderweg naar reader@test.example." in text_of(done)
    deliver(mail_app)
    [message] = inbox.to("reader@test.example")
    body = message.get_payload(decode=True).decode()
    assert "Een beheerder van de communicatieplanner heeft u een link gestuurd" in body
    link = re.search(r"(/password/reset/[\w-]+)", body).group(1)
    assert "Kies een nieuw wachtwoord" in text_of(mail_app.test_client().get(link))
    [sent] = events(session, Kind.PASSWORD_RESET_REQUESTED)
    assert sent.actor == "beheer@test.example" and sent.email == "reader@test.example"
    for _ in range(2):
        submit(admin, f"{page}/reset-link", {}, page=page)
    before = snapshot(session)
    refused = submit(admin, f"{page}/reset-link", {}, page=page, follow=True)
    assert "Deze gebruiker heeft al 3 open links" in text_of(refused)
    assert snapshot(session) == before


def test_no_reset_link_is_offered_when_local_passwords_are_off(db_url, tmp_path, people, session, inbox):
    from planner.web import create_app

    create_user(session, "nood@test.example", find_or_create_organisation(session, "Beheer"), Role.ADMINISTRATOR,
                PASSWORD, break_glass=True)
    session.commit()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_LOCAL_LOGIN": "off", **inbox.settings()})
    try:
        admin = app.test_client()
        token = csrf_token(admin, "/login/break-glass")
        admin.post("/login/break-glass", data={"csrf_token": token, "email": "nood@test.example", "password": PASSWORD})
        page = text_of(admin.get(page_of(session, "reader@test.example")))
        assert "Lokale wachtwoorden staan uit" in page and "Link voor een nieuw wachtwoord sturen" not in page
        before = snapshot(session)
        token = csrf_token(admin, "/users")
        version = re.search(r'name="version" value="([^"]+)"',
                            admin.get(page_of(session, "reader@test.example")).get_data(as_text=True)).group(1)
        refused = admin.post(f"{page_of(session, 'reader@test.example')}/reset-link",
                             data={"csrf_token": token, "version": version})
        assert refused.status_code == 403 and "Geen toegang" in text_of(refused)
        assert snapshot(session) == before
        assert "Link voor een nieuw wachtwoord sturen" in text_of(admin.get(page_of(session, "nood@test.example")))
        submit(admin, f"{page_of(session, 'nood@test.example')}/reset-link", {}, page=page_of(session, "nood@test.example"))
        Outbox(app).deliver_due(clock.now())
        link = re.search(r"(/password/reset/[\w-]+)", inbox.to("nood@test.example")[0].get_payload(
            decode=True).decode()).group(1)
        assert "Kies een nieuw wachtwoord" in text_of(app.test_client().get(link)), "break-glass links work"
    finally:
        app.extensions["planner.engine"].dispose()


def test_administrator_cannot_disable_or_demote_themselves(mail_app, people, session):
    create_user(session, "tweede@test.example", find_or_create_organisation(session, "Beheer"), Role.ADMINISTRATOR,
                PASSWORD)
    session.commit()
    admin = client_of(mail_app, "beheer")
    page = page_of(session, "beheer@test.example")
    before = snapshot(session)
    demoted = submit(admin, page, {"role": "advisor", "organisation_id": str(user(session, "beheer@test.example")
                                                                             .organisation_id)})
    assert re.search(r'id="role-error">U kunt uw eigen account niet uitschakelen', demoted.get_data(as_text=True))
    disabled = submit(admin, f"{page}/disable", {}, page=page, follow=True)
    assert "U kunt uw eigen account niet uitschakelen" in text_of(disabled)
    assert snapshot(session) == before


def test_the_last_active_administrator_stays_one(mail_app, people, session):
    admin = client_of(mail_app, "beheer")
    page = page_of(session, "beheer@test.example")
    before = snapshot(session)
    demoted = submit(admin, page, {"role": "reader", "organisation_id": str(user(session, "beheer@test.example")
                                                                            .organisation_id)})
    assert "Dit is de laatste actieve beheerder" in text_of(demoted)
    disabled = submit(admin, f"{page}/disable", {}, page=page, follow=True)
    assert "Dit is de laatste actieve beheerder" in text_of(disabled)
    assert snapshot(session) == before


def test_with_single_sign_on_only_the_invitation_has_no_link_and_the_provider_sets_the_role(
        db_url, tmp_path, people, session, inbox):
    from planner.web import create_app

    linked = user(session, "reader@test.example")
    linked.oidc_issuer, linked.oidc_subject = "https://idp.gemeente.example", "sub-rob"
    session.commit()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_LOCAL_LOGIN": "off", "PLANNER_BASE_URL": "https://p.example",
                      "PLANNER_OIDC_ISSUER": "https://idp.gemeente.example", "PLANNER_OIDC_CLIENT_ID": "planner",
                      "PLANNER_OIDC_CLIENT_SECRET": "geheim", "PLANNER_OIDC_ROLE_MAP": "planner-lezers=lezer",
                      "PLANNER_OIDC_ORGANISATION": "Gemeente Arnhem",
                      **inbox.settings()})
    try:
        session.execute(sa.update(User).where(User.email == "beheer@test.example").values(break_glass=True))
        session.commit()
        admin = app.test_client()
        token = csrf_token(admin, "/login/break-glass")
        admin.post("/login/break-glass", data={"csrf_token": token, "email": "beheer@test.example",
                                               "password": PASSWORD})
        assert "Lokale wachtwoorden staan uit" in text_of(admin.get("/users/new"))
        submit(admin, "/users/new", {"email": "sso@gemeente.example", "name": "", "role": "reader",
                                     "organisation_id": str(linked.organisation_id)})
        Outbox(app).deliver_due(clock.now())
        body = inbox.to("sso@gemeente.example")[0].get_payload(decode=True).decode()
        assert "Log in op https://p.example/login met het account van uw organisatie." in body
        assert "/password/reset/" not in body and events(session, Kind.PASSWORD_RESET_REQUESTED) == []
        page = admin.get(page_of(session, "reader@test.example")).get_data(as_text=True)
        assert "de identiteitsprovider bepaalt bij elke login de rol en de organisatie" in text_of_html(page)
        assert 'name="role"' not in page
        before = snapshot(session)
        version = re.search(r'name="version" value="([^"]+)"', page).group(1)
        refused = admin.post(page_of(session, "reader@test.example"), data={
            "csrf_token": csrf_token(admin, "/users"), "version": version, "role": "advisor",
            "organisation_id": str(linked.organisation_id)})
        assert refused.status_code == 403 and "Geen toegang" in text_of(refused)
        assert snapshot(session) == before
    finally:
        app.extensions["planner.engine"].dispose()
