"""The security log for administrators: logins, failures, delays, password and account changes, AVG requests."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import gettext

from planner.clock import AMSTERDAM
from planner.domain.security_log import EventFilter, describe, find_events
from planner.enums import SecurityEventKind
from planner.models import User
from planner.web.auth import admin_required
from planner.web.database import get_session
from planner.web.dates import date_arg

bp = Blueprint("security", __name__)
PAGE_SIZE = 500


@bp.app_template_filter("event_detail")
def event_detail(detail: str) -> str:
    """An event's detail in the reader's language."""
    return describe(detail, gettext)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=AMSTERDAM).astimezone(dt.timezone.utc)


@bp.get("/security-log")
@admin_required
def events():
    session = get_session()
    users = list(session.scalars(sa.select(User).order_by(User.email)))
    kind = request.args.get("kind", "")
    kind = SecurityEventKind(kind) if kind in {k.value for k in SecurityEventKind} else None
    user = next((u for u in users if str(u.uuid) == request.args.get("user")), None)
    since, until = date_arg("from"), date_arg("to")
    wanted = EventFilter(kind=kind, user_id=user.id if user is not None else None,
                         since=_start_of(since) if since else None,
                         until=_start_of(until + dt.timedelta(days=1)) if until else None)
    found = find_events(session, wanted, PAGE_SIZE + 1)
    return render_template("security/events.html", events=found[:PAGE_SIZE], more=len(found) > PAGE_SIZE,
                           kinds=list(SecurityEventKind), users=users, kind=kind, user=user, since=since,
                           until=until, page_size=PAGE_SIZE)
