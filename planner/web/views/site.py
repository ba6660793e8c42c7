"""Pages and files every page shares: the theme stylesheet, the logo, the language and the accessibility statement."""

from __future__ import annotations

import io
import uuid

import sqlalchemy as sa
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from PIL import Image, UnidentifiedImageError

from planner.models import Organisation
from planner.web import theme
from planner.web.auth import safe_next
from planner.web.database import get_session

bp = Blueprint("site", __name__)
LANGUAGES = ("nl", "en")
LANGUAGE_COOKIE = "planner_lang"


def _organisation(value: str | None) -> Organisation | None:
    try:
        public_id = uuid.UUID(value or "")
    except ValueError:
        return None
    return get_session().scalar(sa.select(Organisation).where(Organisation.uuid == public_id))


@bp.get("/theme.css")
def stylesheet():
    organisation = _organisation(request.args.get("org"))
    colour, font = (organisation.primary_colour, organisation.font) if organisation else (None, None)
    response = Response(theme.stylesheet(colour, font), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"  # the URL carries a version of the style
    return response


@bp.get("/organisations/<uuid:public_id>/logo")
def logo(public_id):
    organisation = _organisation(str(public_id))
    if organisation is None or organisation.logo is None:
        abort(404)
    try:
        with Image.open(io.BytesIO(organisation.logo)) as image:
            mimetype = Image.MIME.get(image.format or "", "application/octet-stream")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        abort(404)  # stored before every way in checked logos: not an image to show
    response = Response(organisation.logo, mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template("site/accessibility.html")


@bp.post("/taal")
def language():
    chosen = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")))
    if chosen in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


def select_locale() -> str:
    if request and request.path.startswith("/api/"):  # programs ask with Accept-Language; Dutch by default
        return request.accept_languages.best_match(LANGUAGES, default="nl")
    chosen = request.cookies.get(LANGUAGE_COOKIE) if request else None
    return chosen if chosen in LANGUAGES else "nl"


def theme_context(plan=None, user=None) -> dict:
    """Which organisation's style a page wears: the plan's owner, else the user's organisation."""
    organisation = plan.owner if plan is not None and getattr(plan, "id", None) else (
        user.organisation if user is not None else None)
    if organisation is None:
        return {"theme_url": url_for("site.stylesheet", v=theme.version(None, None, False)), "theme_logo": None,
                "theme_name": None}
    has_logo = bool(get_session().scalar(sa.select(Organisation.logo.is_not(None)).where(
        Organisation.id == organisation.id)))  # the logo itself is not loaded
    version = theme.version(organisation.primary_colour, organisation.font, has_logo)
    return {"theme_url": url_for("site.stylesheet", org=str(organisation.uuid), v=version),
            "theme_logo": url_for("site.logo", public_id=organisation.uuid, v=version) if has_logo else None,
            "theme_name": organisation.name}
