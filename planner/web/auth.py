"""Login, logout, passwords and the checks every request passes: who is this, may they be here, safe headers."""

from __future__ import annotations

import datetime as dt
from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from planner.domain import accounts
from planner.domain.security_log import record
from planner.enums import Role, SecurityEventKind
from planner.web.database import get_session
from planner.web.forms.fields import strip
from planner.web.link_mail import queue_link_mail

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "auth.break_glass", "auth.forgot", "auth.reset", "static", "feeds.serve",
                    "account.unsubscribe", "account.unsubscribe_confirm", "site.stylesheet", "site.accessibility",
                    "site.language", "sso.login", "sso.callback", "sso.backchannel_logout"}
SESSION_KEY = "sid"


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address.")),
                                                          Length(max=254)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=200)])


class ForgotForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address.")),
                                                          Length(max=254)], filters=[strip])


WEAK_PASSWORD = {
    "short": _l("Use at least 12 characters."),
    "long": _l("Use at most 200 characters."),
    "guessable": _l("This password is too common or too easy to guess: it is on lists of passwords that attackers "
                    "try first, or it is a word, name, date or pattern. Choose a longer one, for example a few "
                    "words that do not belong together."),
}


class NewPasswordForm(FlaskForm):
    """A new password, twice; refused when short, common or easy to guess (see accounts.check_password_strength)."""

    password = PasswordField(_l("New password"), validators=[InputRequired(_l("Enter a new password."))],
                             description=_l("At least 12 characters; a few words that do not belong together are "
                                            "strong and easy to remember."))
    repeat = PasswordField(_l("Repeat the new password"), validators=[InputRequired(_l("Enter a new password."))])

    def __init__(self, *args, personal: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.personal = personal

    def validate_password(self, field):
        try:
            accounts.check_password_strength(field.data, *self.personal)
        except accounts.WeakPassword as exc:
            raise ValidationError(WEAK_PASSWORD[exc.reason]) from None

    def validate_repeat(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


class ResetForm(NewPasswordForm):
    pass


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(_l("Enter your current password.")),
                                                                Length(max=200)])


def safe_next(target: str | None) -> str:
    """Only local paths: a login link or the language switch must not send people to another site."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 or ord(c) == 127 for c in target) or urlsplit(target).netloc):
        return url_for("plans.dashboard")
    return target


def _address() -> str:
    return request.remote_addr or "-"


def _wait_text(seconds: int) -> str:
    return ngettext("Too many failed attempts. Wait %(num)d second and try again.",
                    "Too many failed attempts. Wait %(num)d seconds and try again.", seconds)


def _too_early(template: str, seconds: int, **context):
    """429 with Retry-After: the attempt came before the delay was over and was not checked."""
    response = make_response(render_template(template, **context), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _local_login() -> bool:
    return current_app.config["PLANNER_SETTINGS"].local_login


def _local_passwords_only():
    """Pages for local passwords answer 404 when they are switched off (PLANNER_LOCAL_LOGIN=off)."""
    if not _local_login():
        abort(404)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return _password_login(show_form=_local_login() or request.method == "POST")


@bp.route("/login/break-glass", methods=["GET", "POST"])
def break_glass():
    """The password form for break-glass administrators when local passwords are off (or the provider is down)."""
    return _password_login(show_form=True)


def _password_login(show_form: bool):
    form = LoginForm()
    page = {"form": form, "show_form": show_form, "oidc": current_app.config["PLANNER_SETTINGS"].oidc,
            "local_login": _local_login()}
    if form.validate_on_submit():
        db = get_session()
        result = accounts.authenticate(db, form.email.data, form.password.data, _address(),
                                       break_glass_only=not _local_login())
        db.commit()  # the counted failure or the login, and their security events
        if result.refused_early:
            form.password.errors = [_wait_text(result.wait)]
            return _too_early("auth/login.html", result.wait, **page)
        if result.user is None:
            form.password.errors = [_("The e-mail address or password is not right.")]
            if result.wait:
                form.password.errors.append(_wait_text(result.wait))
            return render_template("auth/login.html", **page), 200
        key = accounts.start_session(db, result.user)
        db.commit()
        session.clear()  # a fresh session: nothing from before the login survives
        session[SESSION_KEY] = key
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", **page)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    _local_passwords_only()
    form = ForgotForm()
    if form.validate_on_submit():
        db = get_session()
        settings = current_app.config["PLANNER_SETTINGS"]
        found = accounts.request_reset(db, form.email.data)
        if not settings.smtp_host:
            current_app.logger.warning("no SMTP server configured (PLANNER_SMTP_HOST): reset links cannot be sent")
        elif found is not None:
            # the outbox sends it: this answer takes as long for a known address as for an unknown one
            queue_link_mail(db, found[0].user, "forgot", found)
        db.commit()
        flash(_("If this address belongs to an account, a message with a link is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    db = get_session()
    pending = accounts.valid_reset(db, token)
    if pending is None or not pending.user.break_glass:  # a break-glass administrator's link works either way
        _local_passwords_only()
    if pending is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm(personal=accounts.personal_words(pending.user))
    if form.validate_on_submit():
        accounts.complete_reset(db, pending, form.password.data)
        db.commit()
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, first=not pending.user.password_hash)


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    user = g.user
    if not user.break_glass:
        _local_passwords_only()
    form = ChangePasswordForm(personal=accounts.personal_words(user))
    if form.validate_on_submit():
        db = get_session()
        result = accounts.verify_current_password(db, user, form.current.data, _address())
        if result.user is None:
            db.commit()  # the counted failure
            if result.refused_early:
                form.current.errors = [_wait_text(result.wait)]
                return _too_early("auth/change_password.html", result.wait, form=form)
            form.current.errors = [_("This is not your current password.")]
            if result.wait:
                form.current.errors.append(_wait_text(result.wait))
            return render_template("auth/change_password.html", form=form)
        key = accounts.change_password(db, user, form.password.data)
        db.commit()
        session[SESSION_KEY] = key
        flash(_("Your password has been changed. You have been logged out everywhere else."), "success")
        return redirect(url_for("account.preferences"))
    return render_template("auth/change_password.html", form=form)


@bp.post("/logout")
def logout():
    from planner.web import sso

    db = get_session()
    ended = accounts.end_session(db, session.get(SESSION_KEY))
    if ended is not None:
        record(db, SecurityEventKind.LOGOUT, ended.user)
    db.commit()
    session.clear()
    flash(_("You are logged out."), "success")
    # a single sign-on session ends at the provider too (RP-initiated logout), which sends the browser back
    provider_logout = sso.logout_url() if ended is not None and ended.via_sso else None
    return redirect(provider_logout or url_for("auth.login"))


def load_user():
    if request.path.startswith("/api/"):  # the API authenticates with keys only: a session cookie counts for nothing
        g.user = None
        get_session().info["address"] = _address()
        return None
    settings = current_app.config["PLANNER_SETTINGS"]
    db = get_session()
    key = session.get(SESSION_KEY)
    g.user = accounts.session_user(db, key, dt.timedelta(hours=settings.session_idle_hours),
                                   dt.timedelta(hours=settings.session_max_hours))
    if db.dirty:
        db.commit()  # last_seen_at, written at most once a minute
    db.info["actor"] = g.user.email if g.user is not None else "anonymous"
    db.info["address"] = _address()
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None:
        if request.method == "GET":
            if key:
                session.pop(SESSION_KEY, None)
                flash(_("Your session has ended. Log in again."), "success")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    return None


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.user is None or g.user.role != Role.ADMINISTRATOR:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def security_headers(response, https: bool, form_targets: str = ""):
    """`form_targets`: origins besides our own that a form may lead to (the identity provider, for logout)."""
    form_action = " ".join(("'self'", form_targets)).strip()
    csp = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
           f"base-uri 'none'; form-action {form_action}; frame-ancestors 'none'")
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if https:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


# Responses that set their own Cache-Control (feeds, the stylesheet, logos) or are static keep it.
OWN_CACHING = {"static", "feeds.serve"}


def no_store_for_users(response):
    """Nothing a logged-in user sees, and no page with a reset link, stays in a browser's or proxy's cache."""
    if request.endpoint in OWN_CACHING or "Cache-Control" in response.headers:
        return response
    if g.get("user") is not None or request.endpoint == "auth.reset":
        response.headers["Cache-Control"] = "no-store"
    return response
