"""Single sign-on below the browser: settings, who a provider's user is here, local passwords off, logout tokens.

The whole login runs in Chromium (tests/browser/test_sso.py); here the rules that a request or a function
shows as well, with the real test provider where the planner must talk to one.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from joserfc import jwk, jwt

from planner import clock
from planner.config import Settings
from planner.domain import sso
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role, SecurityEventKind
from planner.models import SecurityEvent, User, UserSession
from planner.web.logs import redact
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import count_rows, csrf_token
from tests.oidc import ADVISOR, ROLE_MAP, sso_settings

ISSUER = "https://login.example.nl/tenant/v2.0"
BASE = {"PLANNER_OIDC_ISSUER": ISSUER, "PLANNER_OIDC_CLIENT_ID": "planner", "PLANNER_OIDC_CLIENT_SECRET": "s3cret",
        "PLANNER_OIDC_ROLE_MAP": ROLE_MAP, "PLANNER_OIDC_ORGANISATION_CLAIM": "groups",
        "PLANNER_OIDC_ORGANISATION_MAP": "org-gemeente-ede=Gemeente Ede"}


def oidc(**changes):
    return Settings.load(overrides={"PLANNER_SECRET_KEY": "x", **BASE, **changes}).oidc


# Settings

def test_settings_without_an_issuer_leave_single_sign_on_off_and_local_login_on():
    settings = Settings.load(overrides={"PLANNER_SECRET_KEY": "x"})
    assert settings.oidc is None and settings.local_login


def test_settings_read_the_mapping_in_dutch_or_english_and_in_order():
    settings = oidc(PLANNER_OIDC_ROLE_MAP="a=Beheerder, b=lezer ,c=coördinator,d=advisor")
    assert settings.role_map == (("a", "administrator"), ("b", "reader"), ("c", "coordinator"), ("d", "advisor"))
    assert settings.display_name == "login.example.nl" and settings.scopes == "openid email profile"
    assert oidc(PLANNER_OIDC_NAME="Gemeente Ede").display_name == "Gemeente Ede"


@pytest.mark.parametrize("changes, complaint", [
    ({"PLANNER_OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"),
    ({"PLANNER_OIDC_ROLE_MAP": ""}, "OIDC_ROLE_MAP is needed"),
    ({"PLANNER_OIDC_ROLE_MAP": "planner=baas"}, "'baas' is not one of"),
    ({"PLANNER_OIDC_ORGANISATION": "Gemeente Ede"}, "set one of"),
    ({"PLANNER_OIDC_ORGANISATION_CLAIM": ""}, "set one of"),
    ({"PLANNER_LOCAL_LOGIN": "misschien"}, "must be on or off"),
])
def test_settings_that_cannot_work_are_refused_at_start(changes, complaint):
    with pytest.raises(ValueError, match=complaint):
        oidc(**changes)


# Who the provider's user is here

@pytest.fixture
def ede(session):
    organisation = find_or_create_organisation(session, "Gemeente Ede", OrganisationKind.MUNICIPALITY)
    session.commit()
    return organisation


def claims(sub="subject-1", email=ADVISOR, groups=("planner-adviseurs", "org-gemeente-ede"), **more) -> dict:
    return {"iss": ISSUER, "sub": sub, "email": email, "name": "Fatima el Amrani", "groups": list(groups), **more}


def test_the_first_mapped_group_decides_the_role():
    settings = oidc()
    assert sso.role_from_claims(settings, claims(groups=["planner-adviseurs", "planner-beheerders"])) \
        == Role.ADMINISTRATOR  # the mapping lists the administrators first
    assert sso.role_from_claims(settings, {"groups": "planner-coordinatoren"}) == Role.COORDINATOR  # one string
    assert sso.role_from_claims(settings, claims(groups=["Planner-Adviseurs"])) is None  # exact values only
    assert sso.role_from_claims(settings, {"sub": "x"}) is None


def test_the_organisation_comes_from_a_mapped_claim_or_a_fixed_setting(session, ede):
    assert sso.organisation_from_claims(session, oidc(), claims()) == ede
    assert sso.organisation_from_claims(session, oidc(), claims(groups=["planner-adviseurs"])) is None
    assert sso.organisation_from_claims(session, oidc(PLANNER_OIDC_ORGANISATION_MAP=""),
                                        claims(groups=["gemeente ede"])) == ede  # the name itself, any case
    fixed = oidc(PLANNER_OIDC_ORGANISATION="Gemeente Ede", PLANNER_OIDC_ORGANISATION_CLAIM="")
    assert sso.organisation_from_claims(session, fixed, {"sub": "x"}) == ede


def test_an_unverified_e_mail_address_is_not_used():
    assert sso.email_from_claims(claims(email="Fatima@Ede.example")) == ADVISOR
    assert sso.email_from_claims(claims(email=ADVISOR, email_verified=False)) == ""
    assert sso.email_from_claims({"preferred_username": ADVISOR}) == ADVISOR  # Entra ID without an email claim
    assert sso.email_from_claims({"preferred_username": "fatima"}) == ""


def test_the_subject_is_the_identity_not_the_e_mail_address(session, ede):
    settings = oidc(PLANNER_OIDC_CREATE_USERS="on")
    first = sso.sign_in(session, settings, claims(sub="subject-1"), "127.0.0.1").user
    assert (first.oidc_issuer, first.oidc_subject, first.role) == (ISSUER, "subject-1", Role.ADVISOR)
    # the address was given to someone else at the provider: the new person does not get the old account
    other = sso.sign_in(session, settings, claims(sub="subject-2"), "127.0.0.1")
    assert other.user is None and other.refusal == sso.TAKEN
    # and the first person keeps it under a new address
    again = sso.sign_in(session, settings, claims(sub="subject-1", email="f.elamrani@ede.example"), "127.0.0.1")
    assert again.user == first
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_a_disabled_account_and_a_missing_organisation_are_refused(session, ede):
    settings = oidc(PLANNER_OIDC_CREATE_USERS="on")
    user = sso.sign_in(session, settings, claims(), "127.0.0.1").user
    user.active = False
    assert sso.sign_in(session, settings, claims(), "127.0.0.1").refusal == sso.DISABLED
    assert sso.sign_in(session, settings, claims(sub="s9", email="nieuw@ede.example", groups=["planner-adviseurs"]),
                       "127.0.0.1").refusal == sso.NO_ORGANISATION
    assert sso.sign_in(session, settings, claims(sub="s8", email=None), "127.0.0.1").refusal == sso.NO_EMAIL
    refusals = session.scalars(sa.select(SecurityEvent).where(
        SecurityEvent.kind == SecurityEventKind.LOGIN_FAILED)).all()
    assert len(refusals) == 3 and all(not e.detail.count("s3cret") for e in refusals)


def test_an_organisation_change_from_the_claims_is_recorded(session, ede):
    settings = oidc(PLANNER_OIDC_CREATE_USERS="on",
                    PLANNER_OIDC_ORGANISATION_MAP="org-gemeente-ede=Gemeente Ede,org-renkum=Gemeente Renkum")
    find_or_create_organisation(session, "Gemeente Renkum", OrganisationKind.MUNICIPALITY)
    sso.sign_in(session, settings, claims(), "127.0.0.1")
    user = sso.sign_in(session, settings, claims(groups=["planner-adviseurs", "org-renkum"]), "127.0.0.1").user
    assert user.organisation.name == "Gemeente Renkum"
    [moved] = session.scalars(sa.select(SecurityEvent).where(
        SecurityEvent.kind == SecurityEventKind.ORGANISATION_CHANGED)).all()
    assert "Gemeente Ede" in moved.detail and "Gemeente Renkum" in moved.detail


def test_a_leaver_is_disabled_and_an_administrator_can_let_them_in_again(cli, session, ede):
    settings = oidc(PLANNER_OIDC_CREATE_USERS="on")
    user = sso.sign_in(session, settings, claims(), "127.0.0.1").user
    left = sso.sign_in(session, settings, claims(groups=["org-gemeente-ede"]), "127.0.0.1")
    assert left.refusal == sso.NO_ROLE and not user.active
    session.commit()
    assert sso.sign_in(session, settings, claims(), "127.0.0.1").refusal == sso.DISABLED  # back in the group
    session.commit()
    assert cli("users", "enable", ADVISOR).exit_code == 0
    session.expire_all()
    assert sso.sign_in(session, settings, claims(), "127.0.0.1").user == user
    kinds = session.scalars(sa.select(SecurityEvent.kind).where(SecurityEvent.user_id == user.id)
                            .order_by(SecurityEvent.id)).all()
    assert kinds == [SecurityEventKind.USER_CREATED, SecurityEventKind.LOGIN, SecurityEventKind.USER_DISABLED,
                     SecurityEventKind.LOGIN_FAILED, SecurityEventKind.LOGIN_FAILED, SecurityEventKind.USER_ENABLED,
                     SecurityEventKind.LOGIN]


# Local passwords off: only break-glass administrators

@pytest.fixture
def local_off(db_url, tmp_path, session):
    from planner.web import create_app

    beheer = find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER)
    create_user(session, "nood@ede.example", beheer, Role.ADMINISTRATOR, ADMIN_PASSWORD, break_glass=True)
    create_user(session, "lokaal@ede.example", beheer, Role.ADVISOR, ADMIN_PASSWORD)
    session.commit()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "t",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"), "PLANNER_LOCAL_LOGIN": "off", **BASE})
    yield app
    app.extensions["planner.engine"].dispose()


def password_login(client, email: str, path: str = "/login"):
    token = csrf_token(client, "/login/break-glass")
    return client.post(path, data={"csrf_token": token, "email": email, "password": ADMIN_PASSWORD})


def test_with_local_passwords_off_only_the_break_glass_administrator_logs_in_with_one(local_off, session):
    client = local_off.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen met login.example.nl" in page and 'type="password"' not in page
    assert "Noodtoegang voor beheerders" in page and "Wachtwoord vergeten" not in page

    refused = password_login(client, "lokaal@ede.example")
    assert refused.status_code == 200 and "klopt niet" in refused.get_data(as_text=True)
    assert count_rows(session, UserSession) == 0
    assert password_login(client, "nood@ede.example", "/login/break-glass").status_code == 302
    assert client.get("/account/password").status_code == 200  # the break-glass password can be changed


def test_with_local_passwords_off_no_reset_link_can_be_asked_for(local_off):
    client = local_off.test_client()
    assert client.get("/password/forgot").status_code == 404
    assert client.get("/password/reset/some-token-of-before").status_code == 404


def test_break_glass_and_invited_accounts_on_the_command_line(cli, session, ede):
    assert cli("users", "create", "nood@ede.example", "--org", "Gemeente Ede", "--role", "administrator",
               "--break-glass", input=f"{ADMIN_PASSWORD}\n").exit_code == 0
    wrong = cli("users", "create", "x@ede.example", "--org", "Gemeente Ede", "--role", "reader", "--break-glass",
                input=f"{ADMIN_PASSWORD}\n")
    assert wrong.exit_code == 2 and "break-glass account is an administrator" in wrong.output
    assert "invited" in cli("users", "invite", ADVISOR, "--org", "Gemeente Ede", "--role", "advisor").output
    rows = {row["email"]: row for row in json.loads(cli("users", "list", "--json").output)}
    assert rows["nood@ede.example"]["break_glass"] and not rows[ADVISOR]["break_glass"]
    session.expire_all()
    assert session.scalar(sa.select(User.password_hash).where(User.email == ADVISOR)) == ""


# Headers, logs and the back-channel logout endpoint

def test_the_logout_form_may_lead_to_the_provider_and_nowhere_else(local_off):
    csp = local_off.test_client().get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.nl;" in csp


def test_codes_and_states_of_the_provider_never_reach_a_log_line():
    line = '127.0.0.1 - - "GET /login/sso/callback?code=Sx81-abcDEF_xyz&state=Q9w&iss=https%3A%2F%2Fidp HTTP/1.1" 302'
    assert "Sx81" not in redact(line) and "Q9w" not in redact(line)
    assert "code=[redacted]&state=[redacted]" in redact(line)


@pytest.fixture
def provider_site(db_url, tmp_path, oidc_provider):
    from planner.web import create_app

    url = "http://127.0.0.1:9"  # the planner is not served here: the provider never calls it in these tests
    client_id, secret = oidc_provider.register_client(url)
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "t",
                      "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"), "PLANNER_BASE_URL": url,
                      **sso_settings(oidc_provider, client_id, secret)})
    app.config["TEST_CLIENT_ID"] = client_id
    yield app
    app.extensions["planner.engine"].dispose()


def logout_token(issuer: str, audience: str, **claims) -> str:
    """A logout token as a provider makes one, but signed with a key the provider never had."""
    key = jwk.RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    now = int(clock.now().timestamp())
    payload = {"iss": issuer, "aud": audience, "iat": now, "exp": now + 120, "jti": "j1", "sub": "someone",
               "events": {"http://schemas.openid.net/event/backchannel-logout": {}}, **claims}
    return jwt.encode({"alg": "RS256", "kid": "test-key"}, payload, key)


def test_a_logout_token_the_provider_did_not_sign_ends_no_session(provider_site, oidc_provider, session):
    client = provider_site.test_client()
    forged = logout_token(oidc_provider.issuer, provider_site.config["TEST_CLIENT_ID"])
    for body in ({"logout_token": forged}, {"logout_token": "not.a.token"}, {}):
        answer = client.post("/login/sso/backchannel-logout", data=body)
        assert answer.status_code == 400 and answer.json == {"error": "invalid_request"}
        assert answer.headers["Cache-Control"] == "no-store"
    assert count_rows(session, SecurityEvent) == 0


def test_a_login_answer_without_a_login_under_way_is_refused_before_the_code_is_used(provider_site, session):
    client = provider_site.test_client()
    start = client.get("/login/sso")
    assert start.status_code == 302 and start.location.startswith(provider_site.config["PLANNER_SETTINGS"].oidc.issuer)
    answer = client.get("/login/sso/callback?code=some-code&state=not-the-state-of-this-login")
    assert answer.status_code == 400 and "U kunt niet inloggen" in answer.get_data(as_text=True)
    [refusal] = session.scalars(sa.select(SecurityEvent)).all()
    assert "MismatchingStateError" in refusal.detail and "some-code" not in refusal.detail
