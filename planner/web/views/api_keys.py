"""API keys in the browser: administrators and advisors make and revoke them for their own organisation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner import clock
from planner.domain import api_keys
from planner.models import ApiKey
from planner.web.database import get_session
from planner.web.forms.api_keys import ApiKeyForm

bp = Blueprint("api_keys", __name__, url_prefix="/api-keys")


@bp.before_request
def managers_only():
    if g.user is None or not api_keys.may_manage(g.user):
        abort(403)


def _page(form: ApiKeyForm, status: int = 200):
    keys = api_keys.organisation_keys(get_session(), g.user.organisation_id)
    return render_template("api_keys/index.html", keys=keys, form=form, action_form=FlaskForm(), now=clock.now(),
                           is_active=api_keys.is_active), status


@bp.get("")
def index():
    return _page(ApiKeyForm(g.user.role))


@bp.post("")
def create():
    form = ApiKeyForm(g.user.role)
    if not form.validate_on_submit():
        return _page(form, 200)
    session = get_session()
    row, key = api_keys.create_key(session, g.user, form.name.data, form.role.data, form.scope.data,
                                   form.valid_days.data)
    session.commit()
    # shown once, on this page only: never in a redirect, a flash message or a log line
    return render_template("api_keys/created.html", row=row, key=key)


@bp.post("/<uuid:public_id>/revoke")
def revoke(public_id):
    session = get_session()
    row = session.scalar(sa.select(ApiKey).where(ApiKey.uuid == public_id,
                                                 ApiKey.organisation_id == g.user.organisation_id))
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    api_keys.revoke(session, g.user, row)
    session.commit()
    flash(_("The key “%(name)s” has been revoked; programs that use it are refused from now on.", name=row.name),
          "success")
    return redirect(url_for("api_keys.index"))
