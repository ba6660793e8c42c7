"""The user's own settings (reminder e-mails, name) and unsubscribing from a reminder without logging in."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TimeField
from wtforms.validators import InputRequired, Length

from planner.domain import reminders
from planner.enums import DigestMode, ReminderKind
from planner.models import Reminder
from planner.web.database import get_session
from planner.web.extensions import csrf
from planner.web.forms.fields import strip

bp = Blueprint("account", __name__)


class PreferencesForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=200)], filters=[strip], description=_l(
        "Reminders list the activities and checklist items whose owner is this name or your e-mail address."))
    digest_mode = RadioField(_l("Reminder e-mails"), coerce=DigestMode,
                             choices=[SelectChoice(m.value, _l(m.label)) for m in DigestMode],
                             validators=[InputRequired(_l("Choose how often you want reminders."))])
    digest_time = TimeField(_l("Time of the e-mail"), validators=[InputRequired(_l("Enter a time such as 07:30."))],
                            description=_l("Dutch time; the e-mail arrives at this time whether it is summer or "
                                           "winter time."))


@bp.route("/account", methods=["GET", "POST"])
def preferences():
    user = g.user
    form = PreferencesForm(obj=user)
    if form.validate_on_submit():
        user.name = form.name.data
        user.digest_mode = form.digest_mode.data
        user.digest_time = form.digest_time.data.replace(second=0, microsecond=0)
        get_session().commit()
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("account.preferences"))
    recent = get_session().scalars(sa.select(Reminder).where(Reminder.user_id == user.id,
                                                             Reminder.kind != ReminderKind.PASSWORD_RESET)
                                   .order_by(Reminder.created_at.desc(), Reminder.id.desc()).limit(10)).all()
    return render_template("account/preferences.html", form=form, recent=recent)


@bp.get("/afmelden/<token>")
def unsubscribe(token: str):
    user = reminders.user_for_unsubscribe(get_session(), current_app.config["SECRET_KEY"], token)
    if user is None:
        return render_template("account/unsubscribe_invalid.html"), 404
    return render_template("account/unsubscribe.html", token=token, user=user)


@bp.post("/afmelden/<token>")
@csrf.exempt  # the signed token is the proof; mail clients post here with one click (RFC 8058)
def unsubscribe_confirm(token: str):
    session = get_session()
    user = reminders.user_for_unsubscribe(session, current_app.config["SECRET_KEY"], token)
    if user is None:
        return render_template("account/unsubscribe_invalid.html"), 404
    user.digest_mode = DigestMode.OFF
    session.info["actor"] = user.email
    session.commit()
    return render_template("account/unsubscribed.html", user=user)
