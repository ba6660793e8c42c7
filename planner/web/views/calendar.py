"""The communication calendar of a plan: agenda, month, week and timeline, with filters and checks."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField
from wtforms.validators import InputRequired

from planner import clock
from planner.domain import access, calendar
from planner.domain.dates import in_window
from planner.enums import ActivityStatus
from planner.models import Activity
from planner.web import timeline
from planner.web.auth import safe_next
from planner.web.checks import finding_keys, findings_for, flash_saved
from planner.web.conflicts import changed_meanwhile, save_unless_stale
from planner.web.database import get_session
from planner.web.forms.bulk import ActivityBulkForm
from planner.web.dates import date_arg, date_in_window, month_arg
from planner.web.formatting import long_date
from planner.web.forms.entities import QuickAddForm
from planner.web.forms.feeds import IcsImportForm
from planner.web.row_status import set_status
from planner.web.views.plans import load_plan

bp = Blueprint("calendar", __name__, url_prefix="/plans/<slug>")
VIEWS = ("agenda", "month", "week", "timeline")


def _int_arg(name: str) -> int | None:
    """A row id from the query string; None when absent or not an id (the database's ids fit in 31 bits)."""
    try:
        value = int(request.args[name]) if request.args.get(name) else None
    except ValueError:
        return None
    return value if value is not None and 0 < value < 2 ** 31 else None


def _filters() -> calendar.Filters:
    status = request.args.get("status") or None
    if status not in {s.value for s in ActivityStatus}:
        status = None
    return calendar.Filters(_int_arg("audience"), _int_arg("partner"), _int_arg("channel"), status)


def shift_month(year: int, month: int, delta: int) -> str | None:
    """The month `delta` months away as YYYY-MM, or None (no link) outside the date window."""
    index = year * 12 + month - 1 + delta
    first_day = dt.date(index // 12, index % 12 + 1, 1)
    return f"{first_day.year:04d}-{first_day.month:02d}" if in_window(first_day) else None


def _shift_week(monday: dt.date, delta: int) -> dt.date | None:
    """The Monday `delta` weeks away, or None (no link) outside the date window."""
    other = monday + dt.timedelta(weeks=delta)
    return other if in_window(other) else None


@bp.get("/calendar")
def show(slug: str):
    """One view of the calendar. Each view loads only the activities of the period it shows: a month, a week,
    or (agenda and timeline) a few months at a time with links to earlier and later ones."""
    plan = load_plan(slug)
    session = get_session()
    view = request.args.get("view") if request.args.get("view") in VIEWS else "agenda"
    chosen_month, chosen_week = month_arg("month"), date_arg("week")  # checked in every view: 400 when wrong
    start = date_arg("from")
    filters = _filters()
    findings, counts = findings_for(plan)
    flagged = {f.activity_uuid for f in findings.findings if f.activity_uuid}
    now = clock.today()
    anchor = _default_day(plan)

    def entries_between(first: dt.date, last: dt.date) -> list[calendar.Entry]:
        return calendar.entries(plan, filters, calendar.window_activities(session, plan, first, last), first, last)

    editable = g.user is not None and access.can_edit(g.user, plan)
    context = dict(plan=plan, view=view, filters=filters, counts=counts,
                   flagged=flagged, today=now, args={k: v for k, v in request.args.items() if k not in ("view",)},
                   statuses=list(ActivityStatus), import_form=IcsImportForm(),
                   anchored=calendar.anchored_counts(session, plan), day_limit=calendar.DAY_LIMIT,
                   movable=view == "month" and editable, editable=editable, status_form=FlaskForm(),
                   quick_form=_agenda_quick_form(plan, anchor) if editable and view == "agenda" else None,
                   bulk_form=ActivityBulkForm(plan, prefix="bulk") if editable and view == "agenda" else None)
    if view == "month":
        year, month = chosen_month or (anchor.year, anchor.month)
        first, last = calendar.month_bounds(year, month)
        plan_entries = entries_between(first, last)
        context.update(weeks=calendar.month_grid(plan, year, month, plan_entries), year=year, month=month,
                       month_start=dt.date(year, month, 1),
                       previous=shift_month(year, month, -1), following=shift_month(year, month, 1))
    elif view == "week":
        monday = chosen_week or anchor
        first = monday = monday - dt.timedelta(days=monday.weekday())
        last = monday + dt.timedelta(days=6)
        plan_entries = entries_between(first, last)
        context.update(days=calendar.week_days(plan, monday, plan_entries), monday=monday,
                       previous=_shift_week(monday, -1), following=_shift_week(monday, 1))
    else:
        end = date_arg("to")
        first = None if end else start or (dt.date(*chosen_month, 1) if chosen_month else anchor.replace(day=1))
        page = calendar.agenda_page(session, [plan], entries_between, calendar.date_range(session, [plan]),
                                    first, end, filters.condition())
        first, last = page.first, page.last
        context.update(entries=page.entries, page_first=first, page_last=last,
                       previous=page.previous_end, following=page.following_start)
        if view == "timeline":
            begin = min([first] + [e.production_starts_on for e in page.entries if e.production_starts_on])
            context.update(timeline=timeline.layout(page.entries, begin, last, now))
    context.update(findings=findings.between(first, last), all_findings=len(findings))
    return render_template("plans/calendar.html", **context)


class MoveForm(FlaskForm):
    starts_on = DateField(validators=[InputRequired(), date_in_window])
    version = HiddenField()


@bp.post("/activities/<int:row_id>/move")
def move(slug: str, row_id: int):
    """Move an activity to another day (dragging in the month view); answers JSON for the script."""
    plan = load_plan(slug)
    activity = next((a for a in plan.activities if a.id == row_id), None)
    if activity is None:
        abort(404)
    form = MoveForm()
    if not form.validate_on_submit():
        return jsonify(error=_("That is not a day in the calendar.")), 400
    if activity.anchor_moment_id is not None or activity.recurrence:
        return jsonify(error=_("This activity follows a moment or repeats; change it in its form.")), 409
    shift = form.starts_on.data - activity.starts_on
    if activity.ends_on is not None and not in_window(activity.ends_on + shift):
        return jsonify(error=_("That is not a day in the calendar.")), 400

    def save():
        activity.starts_on = form.starts_on.data
        if activity.ends_on is not None:
            activity.ends_on += shift

    if changed_meanwhile(activity) or not save_unless_stale(get_session(), save):
        return jsonify(error=_("Someone else changed this activity in the meantime. Reload the page.")), 409
    flash(_("“%(activity)s” moved to %(date)s.", activity=activity.title, date=long_date(activity.starts_on)),
          "success")
    return jsonify(ok=True)


def _agenda_quick_form(plan, day: dt.date) -> QuickAddForm:
    form = QuickAddForm(plan, formdata=None)
    form.starts_on.data, form.back.data = day, request.full_path.rstrip("?")
    return form


def _default_day(plan) -> dt.date:
    """Today while the plan runs, else its first day."""
    now = clock.today()
    return now if plan.starts_on <= now <= plan.ends_on else plan.starts_on


@bp.route("/activities/quick", methods=["GET", "POST"])
def quick_add(slug: str):
    """Add an activity in one line (from the agenda, or a day of the month and week views); Enter saves it."""
    plan = load_plan(slug)
    form = QuickAddForm(plan)
    if not form.is_submitted():
        day = form.starts_on.data = date_arg("date") or _default_day(plan)
        view = request.args.get("view") if request.args.get("view") in VIEWS else "agenda"
        period = {"month": {"month": f"{day:%Y-%m}"}, "week": {"week": day.isoformat()}}.get(
            view, {"from": day.isoformat()})
        form.back.data = url_for("calendar.show", slug=slug, view=view, **period)
    if form.validate_on_submit():
        session = get_session()
        before = finding_keys(plan)
        activity = Activity()
        with session.no_autoflush:
            form.save(session, activity)
            plan.activities.append(activity)
        session.commit()
        flash_saved(slug, before, _("“%(title)s” added on %(date)s.", title=activity.title,
                                   date=long_date(activity.starts_on)))
        return redirect(safe_next(form.back.data))
    return render_template("plans/quick_add.html", plan=plan, form=form)


@bp.post("/activities/<int:row_id>/status")
def activity_status(slug: str, row_id: int):
    """Mark an activity done, cancelled or planned again, from the agenda."""
    plan = load_plan(slug)
    activity = get_session().get(Activity, row_id)
    if activity is None or activity.plan_id != plan.id:
        abort(404)
    return set_status(activity, ActivityStatus, activity.title)
