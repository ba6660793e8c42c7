"""Undo, the trash (Prullenbak) and changes to many rows at once."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from planner.domain import bulk, trash
from planner.domain.bulk import BulkAction
from planner.enums import OffsetUnit, Role
from planner.models import Activity, ChecklistItem, Organisation, Phase, Plan, UndoEntry
from planner.web.auth import safe_next
from planner.web.checks import finding_keys, flash_saved
from planner.web.database import get_session
from planner.web.formatting import long_date, offset_text
from planner.web.labels import entity_label
from planner.web.forms.bulk import ActivityBulkForm, ChecklistBulkForm
from planner.web.views.plans import load_plan

bp = Blueprint("undo", __name__)


def entry_url(entry: UndoEntry) -> str:
    if entry.plan_id is None:
        return url_for("undo.restore_plan", entry_uuid=entry.uuid)
    plan_slug = get_session().scalar(sa.select(Plan.slug).where(Plan.id == entry.plan_id))
    return url_for("undo.undo", slug=plan_slug, entry_uuid=entry.uuid)


def _entry(entry_uuid: str, **where) -> UndoEntry:
    try:
        wanted = uuid.UUID(entry_uuid)
    except ValueError:
        abort(404)
    entry = get_session().scalar(sa.select(UndoEntry).filter_by(uuid=wanted, **where))
    if entry is None:
        abort(404)
    return entry


def _undo(entry: UndoEntry, success: str) -> bool:
    """Take `entry` back, all or nothing; flash the outcome."""
    session = get_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        notes = trash.undo(session, entry)
    except trash.UndoError as exc:
        session.rollback()
        flash(_(exc.message, **exc.values), "error")
        return False
    session.commit()
    flash(success, "success")
    for message, values in notes:
        flash(_(message, **{k: entity_label(v) if k == "what" else v for k, v in values.items()}), "warning")
    return True


@bp.post("/plans/<slug>/undo/<entry_uuid>")
def undo(slug: str, entry_uuid: str):
    """Take back a delete or a change to many rows of the plan."""
    plan = load_plan(slug)
    entry = _entry(entry_uuid, plan_id=plan.id)
    label = entry.label
    _undo(entry, _("Restored: %(what)s.", what=label) if entry.action == "delete"
          else _("Undone: %(what)s.", what=label))
    back = request.form.get("back")
    if back:
        return redirect(safe_next(back))
    return redirect(url_for("undo.plan_trash" if entry.action == "delete" else "history.show", slug=slug))


@bp.get("/plans/<slug>/trash")
def plan_trash(slug: str):
    plan = load_plan(slug)
    return render_template("plans/trash.html", plan=plan, entries=trash.plan_trash(get_session(), plan),
                           form=FlaskForm(), kept_days=trash.KEPT_DAYS)


def _restorable_owners() -> list[int]:
    """The organisations whose deleted plans the user may restore: those whose plans they may change."""
    user = g.user
    if user is None:
        abort(401)
    if user.role == Role.ADMINISTRATOR:
        return list(get_session().scalars(sa.select(Organisation.id)))
    if user.role == Role.ADVISOR:
        return [user.organisation_id]
    abort(403)


@bp.get("/trash")
def deleted_plans():
    entries = trash.deleted_plans(get_session(), _restorable_owners())
    return render_template("plans/deleted_plans.html", entries=entries, form=FlaskForm(), kept_days=trash.KEPT_DAYS)


@bp.post("/trash/<entry_uuid>/restore")
def restore_plan(entry_uuid: str):
    entry = _entry(entry_uuid, plan_id=None, kind="plan")
    if entry.organisation_id not in _restorable_owners():
        abort(404)
    slug = next((row["slug"] for row in entry.payload["rows"].get("plans", [])), None)
    if _undo(entry, _("Plan “%(title)s” restored.", title=entry.label)):
        return redirect(url_for("plans.overview", slug=slug))
    return redirect(url_for("undo.deleted_plans"))


# --- changes to many rows --------------------------------------------------------------------------------------

def _bulk(plan, form, rows: list, kind_label, back: str):
    """Apply the pressed action of `form` to `rows` (already checked to belong to `plan`)."""
    session = get_session()
    action = form.action
    changed = [row for row in rows if row.row_version != form.rows.data[row.id]]
    if changed or len(rows) != len(form.rows.data):
        flash(_("Some of the chosen rows were changed or deleted in the meantime; nothing was changed. "
                "Look at them again."), "error")
        return redirect(back)
    count = len(rows)
    what = kind_label(count)
    value, by, unit = None, 0, OffsetUnit.WORKING_DAYS
    if action == BulkAction.STATUS:
        value = form.status.data
        label = _("%(what)s set to “%(status)s”", what=what, status=_(value.label))
    elif action == BulkAction.OWNER:
        value = form.owner_name.data
        label = (_("%(what)s given to %(owner)s", what=what, owner=value) if value
                 else _("%(what)s without owner", what=what))
    elif action == BulkAction.CHANNEL:
        value = next((c for c in plan.channels if c.id == form.channel_id.data), None)
        label = _("%(what)s moved to channel %(channel)s", what=what, channel=value.name if value else _("(none)"))
    elif action == BulkAction.SENDER:
        value = next((p for p in plan.partners if p.id == form.sender_id.data), None)
        label = _("%(what)s sent by %(sender)s", what=what, sender=value.name if value else plan.owner.name)
    elif action == BulkAction.SHIFT:
        by, unit = form.shift_by.data, form.shift_unit.data
        label = _("%(what)s moved by %(offset)s", what=what, offset=offset_text(by, unit))
    elif action == BulkAction.COPY:
        value = form.copy_to.data
        label = _("%(what)s copied, the first to %(date)s", what=what, date=long_date(value))
    else:
        label = what  # the confirmation and the trash say "Verwijderd: …"
    before = finding_keys(plan)
    try:
        entry = bulk.apply(session, plan, rows, action, label, value=value, by=by, unit=unit)
    except ValueError:  # a move too far for the working-day calendar
        session.rollback()
        flash(_("Move by at most 365 days, forwards or back (with a minus sign)."), "error")
        return redirect(back)
    session.commit()
    done = _("Deleted: %(what)s.", what=label) if action == BulkAction.DELETE else label + "."
    flash_saved(plan.slug, before, done, undo=entry_url(entry))
    return redirect(back)


def _form_problems(form) -> None:
    for message in form.form_errors:
        flash(message, "error")
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}" if field.label.text else message, "error")


def _bulk_request(slug: str, form_class, model, in_plan, kind_label, default_back: str):
    """Check the posted bar of `form_class`; apply it to the chosen rows of `model` (those `in_plan` selects)."""
    plan = load_plan(slug)
    form = form_class(plan, prefix="bulk")
    back = safe_next(form.back.data or default_back)
    if not form.validate_on_submit():
        _form_problems(form)
        return redirect(back)
    rows = list(get_session().scalars(in_plan(sa.select(model), plan).where(model.id.in_(list(form.rows.data)))))
    return _bulk(plan, form, rows, kind_label, back)


@bp.post("/plans/<slug>/activities/bulk")
def activities(slug: str):
    return _bulk_request(slug, ActivityBulkForm, Activity, lambda query, plan: query.where(Activity.plan_id == plan.id),
                         lambda n: ngettext("%(num)d activity", "%(num)d activities", n),
                         url_for("calendar.show", slug=slug))


@bp.post("/plans/<slug>/checklist-items/bulk")
def checklist_items(slug: str):
    return _bulk_request(slug, ChecklistBulkForm, ChecklistItem,
                         lambda query, plan: query.join(Phase).where(Phase.plan_id == plan.id),
                         lambda n: ngettext("%(num)d checklist item", "%(num)d checklist items", n),
                         url_for("plans.checklist", slug=slug))
