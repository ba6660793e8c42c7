"""The web application: create_app reads as a list of register steps."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, render_template

from planner.config import Settings
from planner.domain.plan_cache import PlanCache
from planner.feed_store import FeedStore
from planner.resources import PACKAGE_DIR, templates_dir
from planner.web.conversions import ConversionSlots, PdfConversions
from planner.web.database import init_database
from planner.web.extensions import babel, csrf
from planner.web.feed_cache import FeedCache, FeedFastPath, FetchCounter
from planner.web.logs import install_redaction
from planner.web.pdf_cache import PdfCache
from planner.web.sso import init_sso
from planner.web.formatting import register_formatting

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from settings (environment, instance folder), then `test_config`."""
    overrides = {k: v for k, v in (test_config or {}).items() if k.startswith("PLANNER_")}
    settings = Settings.load(overrides=overrides)
    app = Flask(__name__, template_folder=str(templates_dir()), instance_path=str(settings.instance_path))
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        BASE_URL=settings.base_url,
        PLANNER_SETTINGS=settings,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
    )
    app.config.update({k: v for k, v in (test_config or {}).items() if not k.startswith("PLANNER_")})
    register_extensions(app)
    init_database(app)
    register_formatting(app)
    register_blueprints(app)
    register_api(app)
    register_error_pages(app)
    register_feed_fast_path(app)
    register_trusted_proxies(app)
    return app


def register_extensions(app: Flask) -> None:
    from planner.web.translation import install_template_translations
    from planner.web.views.site import select_locale

    babel.init_app(app, locale_selector=select_locale)
    install_template_translations(app)  # after Babel's own, which it replaces
    csrf.init_app(app)
    app.extensions["planner.feed_cache"] = FeedCache()
    app.extensions["planner.fetch_counter"] = FetchCounter()
    app.extensions["planner.plan_cache"] = PlanCache()
    settings = app.config["PLANNER_SETTINGS"]
    app.extensions["planner.feed_store"] = FeedStore(settings.instance_path / "feed-cache")
    slots = ConversionSlots(settings.instance_path / "locks", settings.pdf_conversions, settings.pdf_wait_seconds)
    app.extensions["planner.pdf_slots"] = slots
    app.extensions["planner.pdf"] = PdfConversions(slots, settings.instance_path / "libreoffice")
    app.extensions["planner.pdf_cache"] = PdfCache(settings.instance_path / "pdf-cache")
    install_redaction()


def register_blueprints(app: Flask) -> None:
    from planner.web import auth
    from flask_babel import get_locale

    from planner.web.checks import finding_url
    from planner.web.error_summary import failed_form_errors
    from planner.web.views import (account, api_keys, calendar, coordination, documents, entities, feeds, history,
                                   observances, plans, regional, search, security, several, site, undo, users)

    app.register_blueprint(auth.bp)
    init_sso(app)
    app.before_request(auth.load_user)
    https = app.config["BASE_URL"].startswith("https://")
    oidc = app.config["PLANNER_SETTINGS"].oidc
    provider = "{0.scheme}://{0.netloc}".format(urlsplit(oidc.issuer)) if oidc is not None else ""
    app.after_request(lambda response: auth.security_headers(response, https, provider))
    app.after_request(auth.no_store_for_users)
    app.register_blueprint(plans.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(several.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(observances.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(coordination.bp)
    app.register_blueprint(regional.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(site.bp)
    app.register_blueprint(security.bp)
    app.register_blueprint(api_keys.bp)
    app.register_blueprint(undo.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(users.bp)
    app.context_processor(lambda: {"theme_context": site.theme_context,
                                   "current_language": lambda: str(get_locale() or "nl")})
    app.jinja_env.globals["finding_url"] = finding_url
    app.jinja_env.globals["failed_form_errors"] = failed_form_errors


def register_api(app: Flask) -> None:
    from planner.web.api import register_api as register

    register(app)


def register_feed_fast_path(app: Flask) -> None:
    """Serve fresh cached feeds before Flask; everything else passes through."""
    from planner import clock
    from planner.web.views.feeds import FEED_HEADERS

    app.wsgi_app = FeedFastPath(app.wsgi_app, app.extensions["planner.feed_cache"],
                                app.extensions["planner.fetch_counter"], clock.today, FEED_HEADERS)


def register_trusted_proxies(app: Flask) -> None:
    """Outermost: every part of the app sees the client's address, not the proxy's."""
    from planner.web.proxies import TrustedProxies, parse_networks

    networks = parse_networks(app.config["PLANNER_SETTINGS"].trusted_proxies)
    if networks:
        app.wsgi_app = TrustedProxies(app.wsgi_app, networks)


def register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.orm.exc import StaleDataError
    from werkzeug.exceptions import HTTPException

    from planner.web.database import get_session
    from planner.web.dates import BadParameter

    from planner.web.api.hooks import is_api_request
    from planner.web.api.problems import http_problem, problem_response

    def render_error(code: int, message: str | None = None):
        if is_api_request():  # the API answers every error as problem+json
            return problem_response(code)
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(HTTPException)
    def http_error(error):
        """Every HTTP error as a Dutch page, keeping headers such as Allow and Retry-After."""
        if is_api_request():
            return http_problem(error)
        page, code = render_error(error.code)
        return page, code, [h for h in error.get_headers() if h[0].lower() != "content-type"]

    app.register_error_handler(CSRFError, lambda e: render_error(400))
    app.register_error_handler(BadParameter, lambda e: render_error(400, e.description))
    app.register_error_handler(500, lambda e: render_error(500))

    @app.errorhandler(StaleDataError)
    def lost_race(error):
        """Two saves of one row raced and this one lost (the forms show the difference themselves; the API
        answers as for an If-Match that no longer matches)."""
        get_session().rollback()
        return render_error(412 if is_api_request() else 409)
