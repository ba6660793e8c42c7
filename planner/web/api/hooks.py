"""What every API request passes: HTTPS, the API key (never the session cookie), the rate limit; and what every
API response carries: API-Version, CORS for configured origins, no caching of what a key may see."""

from __future__ import annotations

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from planner.domain import api_keys
from planner.web.api.problems import API_VERSION
from planner.web.database import get_session

API_PREFIX = "/api/"
CORS_HEADERS = "Authorization, Content-Type, If-Match, Accept-Language"
EXPOSED_HEADERS = "API-Version, ETag, Location, Link, Retry-After, Content-Language"


class Refused(HTTPException):
    """An HTTP error with extra headers (WWW-Authenticate, Retry-After)."""

    def __init__(self, code: int, headers: dict[str, str], detail: str | None = None):
        super().__init__()
        self.code = code
        self.data = {"headers": headers, **({"message": detail} if detail else {})}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def authenticate() -> None:
    """Before every API route: find the key's principal and count the request, or refuse."""
    if request.method == "OPTIONS":  # a CORS preflight carries no credentials
        return
    settings = current_app.config["PLANNER_SETTINGS"]
    if settings.base_url.startswith("https://") and not request.is_secure:
        raise Refused(403, {}, "Use https: outside development the API answers only over https.")
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Refused(401, {"WWW-Authenticate": 'Bearer realm="planner"'})
    session = get_session()
    try:
        principal = api_keys.authenticate(session, key.strip())
    except api_keys.KeyRefused:
        raise Refused(401, {"WWW-Authenticate": 'Bearer realm="planner", error="invalid_token"'}) from None
    wait = api_keys.count_request(session, principal.key, settings.api_rate_limit)
    session.commit()
    if wait:
        raise Refused(429, {"Retry-After": str(wait)})
    g.api_principal = principal
    session.info["actor"] = f"API key “{principal.key.name}” ({principal.key.prefix}…)"


def principal():
    return g.api_principal


def decorate_response(response):
    """After every request under /api: the version header, CORS for configured origins, no shared caching."""
    if not is_api_request():
        return response
    response.headers["API-Version"] = API_VERSION
    response.headers.setdefault("Cache-Control", "no-store")
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin in current_app.config["PLANNER_SETTINGS"].api_cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
    response.vary.add("Origin")
    return response
