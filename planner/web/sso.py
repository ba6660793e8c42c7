"""Single sign-on with OpenID Connect (Authlib): the login at the provider, its answer, logout at both ends.

The authorization code flow with PKCE, `state` and `nonce`; Authlib checks the ID token against the
provider's keys (signature, issuer, audience, expiry, nonce). The redirect URIs come from PLANNER_BASE_URL.
A provider that cannot be reached gives a Dutch page that points to the break-glass login. No token, code or
secret is logged or kept: the session keeps only its own key and the provider's session id (`sid`).
"""

from __future__ import annotations

import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, make_response, redirect, render_template, request, session
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from planner import clock
from planner.config import OidcSettings
from planner.domain import accounts, sso
from planner.domain.security_log import record
from planner.enums import N_, SecurityEventKind
from planner.web.database import get_session
from planner.web.extensions import csrf

bp = Blueprint("sso", __name__)
EXTENSION = "planner.oidc"
CALLBACK_PATH = "/login/sso/callback"
CLOCK_SKEW_SECONDS = 60  # a provider's clock may run this much ahead or behind
LOGOUT_TOKEN_MAX_AGE = 600  # seconds: an older back-channel logout token is refused
TIMEOUT_SECONDS = 10  # for every request to the provider; a worker waits no longer
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
NEXT_KEY = "sso_next"


class ProviderUnavailable(Exception):
    """The provider cannot be reached, or its discovery document does not name the configured issuer."""


def init_sso(app: Flask) -> None:
    """Register the OpenID Connect client and its routes when PLANNER_OIDC_ISSUER is set."""
    oidc: OidcSettings | None = app.config["PLANNER_SETTINGS"].oidc
    if oidc is None:
        return
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        "oidc", client_id=oidc.client_id, client_secret=oidc.client_secret,
        server_metadata_url=f"{oidc.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": oidc.scopes, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS})
    app.register_blueprint(bp)


def _settings() -> OidcSettings:
    return current_app.config["PLANNER_SETTINGS"].oidc


def _client():
    """The Authlib client with the provider's metadata loaded (once; again after a failure)."""
    client = current_app.extensions[EXTENSION]
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery failed: {error.__class__.__name__}") from None
    if str(metadata.get("issuer", "")).rstrip("/") != _settings().issuer:
        client.server_metadata.pop("_loaded_at", None)
        raise ProviderUnavailable(f"the discovery document names issuer {metadata.get('issuer')!r}")
    return client


def _address() -> str:
    return request.remote_addr or "-"


def _unavailable(error: Exception):
    current_app.logger.warning("identity provider %s unavailable: %s", _settings().issuer, error)
    return render_template("auth/sso_unavailable.html", name=_settings().display_name), 503


def _refused(reason: str, code: int = 403):
    return render_template("auth/sso_refused.html", reason=reason, name=_settings().display_name), code


@bp.get("/login/sso")
def login():
    from planner.web.auth import safe_next

    try:
        client = _client()
        response = client.authorize_redirect(current_app.config["BASE_URL"] + CALLBACK_PATH)
    except (ProviderUnavailable, requests.RequestException) as error:
        return _unavailable(error)
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    return response


@bp.get(CALLBACK_PATH)
def callback():
    """The provider's answer: check it, find the user, start a session; refuse with a reason otherwise."""
    from planner.web.auth import SESSION_KEY, safe_next

    db = get_session()
    try:
        client = _client()
        # Authlib checks the audience only when asked to, beside the issuer, signature, expiry and nonce
        expected = {"iss": {"essential": True, "value": client.server_metadata["issuer"]},
                    "aud": {"essential": True, "value": _settings().client_id}}
        token = client.authorize_access_token(leeway=CLOCK_SKEW_SECONDS, claims_options=expected)
        if "userinfo" not in token:  # no ID token, or no nonce in this browser's login: nothing proves who it is
            raise OAuthError(error="missing_id_token")
        claims = _claims(client, token)
    except (ProviderUnavailable, requests.RequestException) as error:
        return _unavailable(error)
    except (OAuthError, JoseError) as error:
        problem = f"{error.__class__.__name__}: {getattr(error, 'error', '')} {getattr(error, 'claim', '')}".strip()
        record(db, SecurityEventKind.LOGIN_FAILED, None, N_("single sign-on: the provider's answer was refused "
                                                            "(%(problem)s)"), address=_address(), problem=problem)
        db.commit()
        return _refused(N_("the answer of the identity provider could not be verified"), 400)
    result = sso.sign_in(db, _settings(), claims, _address())
    if result.user is None:
        db.commit()
        return _refused(result.refusal)
    key = accounts.start_session(db, result.user, via_sso=True, oidc_sid=_string(claims.get("sid")))
    db.commit()
    target = session.get(NEXT_KEY)
    session.clear()  # a fresh session: nothing from before the login survives
    session[SESSION_KEY] = key
    return redirect(safe_next(target))


def _string(value) -> str | None:
    return value[:255] if isinstance(value, str) and value else None


def _claims(client, token: dict) -> dict:
    """The validated ID token's claims, completed with the userinfo answer of the same subject."""
    claims = dict(token["userinfo"])
    if client.server_metadata.get("userinfo_endpoint"):
        extra = dict(client.userinfo(token=token))
        if extra.get("sub") != claims["sub"]:
            raise OAuthError(error="userinfo_subject_mismatch")
        claims = {**extra, **claims}
    return claims


def logout_url() -> str | None:
    """Where to send a browser whose single sign-on session just ended: the provider's logout, if it has one."""
    if EXTENSION not in current_app.extensions:
        return None
    try:
        endpoint = _client().server_metadata.get("end_session_endpoint")
    except ProviderUnavailable as error:
        current_app.logger.warning("no logout at the identity provider: %s", error)
        return None
    if not endpoint:
        return None
    return add_params_to_uri(endpoint, {"client_id": _settings().client_id,
                                        "post_logout_redirect_uri": current_app.config["BASE_URL"] + "/login"})


@bp.post("/login/sso/backchannel-logout")
@csrf.exempt  # the provider posts a signed logout token, not a form of ours
def backchannel_logout():
    """OpenID Connect Back-Channel Logout: the provider ends a user's sessions here, server to server."""
    db = get_session()
    try:
        claims = _logout_claims(request.form.get("logout_token", ""))
    except ProviderUnavailable as error:
        current_app.logger.warning("back-channel logout not checked: %s", error)
        return _no_store({"error": "temporarily_unavailable"}, 503)
    except (JoseError, ValueError) as error:
        current_app.logger.warning("back-channel logout refused: %s", error.__class__.__name__)
        return _no_store({"error": "invalid_request"}, 400)
    sso.provider_logout(db, claims["iss"], _string(claims.get("sub")), _string(claims.get("sid")))
    db.commit()
    return _no_store({}, 200)


def _no_store(body: dict, code: int):
    response = make_response(body, code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _logout_claims(value: str) -> dict:
    """Verify a logout token: signature, issuer, audience, age, the logout event, a subject or session; no nonce."""
    client = _client()
    metadata = client.server_metadata
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        keys = KeySet.import_key_set(client.fetch_jwk_set())
        try:
            token = jwt.decode(value, keys, algorithms=algorithms)
        except InvalidKeyIdError:  # the provider rolled its keys over
            token = jwt.decode(value, KeySet.import_key_set(client.fetch_jwk_set(force=True)), algorithms=algorithms)
    except requests.RequestException as error:
        raise ProviderUnavailable(f"keys not fetched: {error.__class__.__name__}") from None
    now = int(clock.now().timestamp())
    jwt.JWTClaimsRegistry(now=now, leeway=CLOCK_SKEW_SECONDS, iss={"essential": True, "value": metadata["issuer"]},
                          aud={"essential": True, "value": _settings().client_id},
                          iat={"essential": True}).validate(token.claims)
    claims = token.claims
    events = claims.get("events")
    if not isinstance(events, dict) or BACKCHANNEL_LOGOUT_EVENT not in events:
        raise ValueError("not a logout token: no back-channel logout event")
    if "nonce" in claims or not (claims.get("sub") or claims.get("sid")):
        raise ValueError("not a logout token: a nonce, or neither subject nor session")
    if claims["iat"] < now - LOGOUT_TOKEN_MAX_AGE - CLOCK_SKEW_SECONDS:
        raise ValueError("logout token too old")
    return claims
