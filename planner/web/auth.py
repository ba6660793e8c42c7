"""Login, logout and the checks every request passes: who is this, may they be here, safe headers."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from planner.domain import accounts
from planner.enums import Role
from planner.web.database import get_session
from planner.web.forms.fields import strip

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "auth.forgot", "auth.reset", "static", "feeds.serve", "account.unsubscribe",
                    "account.unsubscribe_confirm", "site.stylesheet", "site.accessibility", "site.language"}
SESSION_KEY = "sid"


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address.")),
                                                          Length(max=254)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=200)])


class ForgotForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address.")),
                                                          Length(max=254)], filters=[strip])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(_l("Enter a new password.")),
                                                             Length(min=12, max=200, message=_l(
                                                                 "Use 12 to 200 characters."))])
    repeat = PasswordField(_l("Repeat the new password"), validators=[InputRequired(_l("Enter a new password."))])

    def validate_repeat(self, field):
        from wtforms.validators import ValidationError

        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send people to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return url_for("plans.dashboard")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        user = accounts.authenticate(db, form.email.data, form.password.data, request.remote_addr or "-")
        if user is None:
            db.commit()  # keep the counted failure
            form.password.errors = [_("The e-mail address or password is not right, or the account is locked "
                                      "for a while after repeated attempts.")]
            return render_template("auth/login.html", form=form), 200
        key = accounts.start_session(db, user)
        db.commit()
        session.clear()  # a fresh session: nothing from before the login survives
        session[SESSION_KEY] = key
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    from flask import current_app

    from planner.mail import MailError, build_message, send

    form = ForgotForm()
    if form.validate_on_submit():
        db = get_session()
        found = accounts.request_reset(db, form.email.data, request.remote_addr or "-")
        db.commit()
        if found is not None:
            user, token = found
            link = f"{current_app.config['BASE_URL']}/password/reset/{token}"
            text = _("A new password was requested for the communication planner. Choose it within an hour "
                     "with this link (it works once):\n\n%(link)s\n\nDid you not ask for this? Then ignore "
                     "this message; your password stays the same.", link=link)
            settings = current_app.config["PLANNER_SETTINGS"]
            try:
                send(settings, build_message(settings, user.email, _("Choose a new password"), text))
            except MailError:
                current_app.logger.warning("password reset mail could not be sent")
        # the same answer whether the address is known or not
        flash(_("If this address belongs to an account, a message with a link is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    db = get_session()
    pending = accounts.valid_reset(db, token)
    if pending is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        accounts.complete_reset(db, pending, form.password.data)
        db.commit()
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.post("/logout")
def logout():
    db = get_session()
    accounts.end_session(db, session.get(SESSION_KEY))
    db.commit()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))


def load_user():
    g.user = accounts.session_user(get_session(), session.get(SESSION_KEY))
    get_session().info["actor"] = g.user.email if g.user is not None else "anonymous"
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None:
        if request.method == "GET":
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


def security_headers(response, https: bool):
    csp = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if https:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
