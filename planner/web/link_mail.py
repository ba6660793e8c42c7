"""The e-mails with a set-password link (a reset, asked for or sent by an administrator) and the invitation."""

from __future__ import annotations

from contextlib import nullcontext

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from planner import clock
from planner.enums import ReminderKind
from planner.mail import build_message
from planner.models import PasswordReset, User
from planner.outbox import WELCOME_ITEM, queue_message


def _texts(kind: str, user: User, link: str, login: str) -> tuple[str, str]:
    """(subject, text) of the message of `kind`: forgot, admin_reset, invitation or invitation_sso."""
    if kind == "forgot":
        return _("Choose a new password"), _(
            "A new password was requested for the communication planner. Choose it within an hour with this link "
            "(it works once):\n\n%(link)s\n\nDid you not ask for this? Then ignore this message; your password "
            "stays the same.", link=link)
    if kind == "admin_reset":
        return _("Choose a new password"), _(
            "An administrator of the communication planner sent you a link to choose a new password. Choose it "
            "within an hour with this link (it works once):\n\n%(link)s\n\nUntil then your current password keeps "
            "working.", link=link)
    welcome = _("Welcome to the communication planner. An account was made for you: %(email)s, %(role)s at "
                "%(organisation)s.", email=user.email, role=_(user.role.label), organisation=user.organisation.name)
    if kind == "invitation":
        return _("Your account for the communication planner"), welcome + "\n\n" + _(
            "Choose your password within 7 days with this link (it works once):\n\n%(link)s\n\nThen log in at "
            "%(login)s with your e-mail address and this password.", link=link, login=login)
    return _("Your account for the communication planner"), welcome + "\n\n" + _(
        "Log in at %(login)s with the account of your organisation.", login=login)


def queue_link_mail(db: Session, user: User, kind: str, found: tuple[PasswordReset, str] | None) -> None:
    """Put the message of `kind` for `user` in the outbox, with the link of `found` (row and token) if any.

    The outbox sends it: the request answers as fast whether or not a mail server is reachable."""
    settings = current_app.config["PLANNER_SETTINGS"]
    base = current_app.config["BASE_URL"]
    link = f"{base}/password/reset/{found[1]}" if found is not None else ""
    # the person who asked reads their own language; an administrator's mail goes out in the product's language
    language = nullcontext() if kind == "forgot" else force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    with language:
        subject, text = _texts(kind, user, link, f"{base}/login")
    message = build_message(settings, user.email, subject, text)
    message["Auto-Submitted"] = "auto-generated"
    item = str(found[0].id) if found is not None else f"{WELCOME_ITEM}{user.id}"
    queue_message(db, user, ReminderKind.PASSWORD_RESET, item, message, clock.now())
