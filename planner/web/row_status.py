"""One control that changes a row's status from a list (the agenda, the checklist), without JavaScript."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField

from planner.web.auth import safe_next
from planner.web.conflicts import changed_meanwhile, save_unless_stale
from planner.web.database import get_session


class StatusForm(FlaskForm):
    """One control's change of status, from a list (agenda, checklist): the row's version and where to go back."""
    status = HiddenField()
    version = HiddenField()
    back = HiddenField()


def set_status(row, statuses, label: str):
    """Give `row` the posted status (one of `statuses`) unless it changed meanwhile; flash the outcome and go back.

    Works without JavaScript: a small form per row, checked for its CSRF token and the row's version."""
    form = StatusForm()
    if not form.validate_on_submit() or form.status.data not in {s.value for s in statuses}:
        abort(400)
    status = statuses(form.status.data)

    def save():
        row.status = status

    if changed_meanwhile(row) or not save_unless_stale(get_session(), save):
        flash(_("Someone else changed “%(title)s” in the meantime; look at it again.", title=label), "error")
    else:
        flash(_("“%(title)s”: %(status)s.", title=label, status=_(status.label)), "success")
    return redirect(safe_next(form.back.data))
