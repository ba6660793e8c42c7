"""The history of a plan, and the personal data of contact persons (export and erase)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner import clock
from planner.domain import trash
from planner.domain.access import can_edit
from planner.domain.privacy import erase_person, export_person, person_of
from planner.domain.security_log import record
from planner.enums import N_, SecurityEventKind
from planner.models import AuditEntry, ContactPerson, UndoEntry
from planner.web import labels
from planner.web.database import get_session
from planner.web.views.plans import load_plan

bp = Blueprint("history", __name__, url_prefix="/plans/<slug>")
for _function in (labels.entity_label, labels.shown_fields, labels.value_text, labels.actor_text):
    bp.add_app_template_global(_function)
bp.add_app_template_filter(labels.field_label)
PAGE_SIZE = 100


@bp.get("/history")
def show(slug: str):
    """The plan's history, newest first, a page at a time; filtered by kind of row, person and period."""
    plan = load_plan(slug)
    session = get_session()
    mine = AuditEntry.plan_uuid == plan.uuid
    kinds = sorted({k for k in session.scalars(sa.select(AuditEntry.entity).where(mine, AuditEntry.action != "batch")
                                               .distinct())}, key=labels.entity_label)
    actors = sorted(session.scalars(sa.select(AuditEntry.actor).where(mine).distinct()))
    chosen = {"kind": request.args.get("kind", ""), "who": request.args.get("who", ""),
              "from": _day(request.args.get("from")), "to": _day(request.args.get("to"))}
    query = sa.select(AuditEntry).where(mine)
    if chosen["kind"] in kinds:
        query = query.where(AuditEntry.entity == chosen["kind"])
    if chosen["who"] in actors:
        query = query.where(AuditEntry.actor == chosen["who"])
    if chosen["from"]:
        query = query.where(AuditEntry.at >= clock.start_of_day(chosen["from"]))
    if chosen["to"]:
        query = query.where(AuditEntry.at < clock.start_of_day(chosen["to"] + dt.timedelta(days=1)))
    page = max(1, request.args.get("page", 1, type=int) or 1)
    entries = list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    args = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in chosen.items() if v}
    editable = g.user is not None and can_edit(g.user, plan)
    heads = [e.entity_uuid for e in entries if e.action == "batch" and e.entity != "undo"]
    undoable = set(session.scalars(sa.select(UndoEntry.uuid).where(
        UndoEntry.uuid.in_(heads), UndoEntry.plan_id == plan.id, UndoEntry.undone_at.is_(None),
        UndoEntry.at >= trash.kept_since()))) if editable and heads else set()
    return render_template("plans/history.html", plan=plan, groups=grouped(entries[:PAGE_SIZE]), undoable=undoable,
                           undo_form=FlaskForm(),
                           editable=editable, kinds=kinds, actors=actors,
                           chosen=chosen, filtered=bool(args),
                           earlier=url_for("history.show", slug=slug, **args, page=page + 1)
                           if len(entries) > PAGE_SIZE else None,
                           later=url_for("history.show", slug=slug, **args, page=page - 1) if page > 1 else None)


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def grouped(entries) -> list[tuple[AuditEntry, list[AuditEntry]]]:
    """The history as actions: an entry on its own, or the head of a batch (a change to many rows, a delete, an
    undo) with the entries of the rows it touched."""
    groups, batches = [], {}
    for entry in entries:
        if entry.batch is None:
            groups.append([entry, []])
            continue
        group = batches.get(entry.batch)
        if group is None:
            group = batches[entry.batch] = [None, []]
            groups.append(group)
        if entry.action == "batch":
            group[0] = entry
        else:
            group[1].append(entry)
    # a batch whose head fell outside the page shows its rows one by one
    return [(head, rows) if head is not None else (row, []) for head, rows in groups
            for row in ([None] if head is not None else rows)]


def _contact(plan, contact_id: int) -> ContactPerson:
    contact = get_session().get(ContactPerson, contact_id)
    if contact is None or contact.partner.plan_id != plan.id:
        abort(404)
    return contact


def _contact_detail(plan, contact: ContactPerson) -> dict:
    """Which record, without the personal data itself (that is what an erasure removes)."""
    return {"detail": N_("plan %(plan)s: contact person %(contact)s of %(partner)s"), "plan": plan.slug,
            "contact": str(contact.uuid), "partner": contact.partner.name}


@bp.get("/contacts/<int:contact_id>/personal-data.json")
def personal_data(slug: str, contact_id: int):
    plan = load_plan(slug)
    contact = _contact(plan, contact_id)
    data = export_person(get_session(), person_of(get_session(), contact))
    record(get_session(), SecurityEventKind.PRIVACY_EXPORT, **_contact_detail(plan, contact))
    get_session().commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="persoonsgegevens.json"', "Cache-Control": "no-store"})


@bp.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"])
def erase(slug: str, contact_id: int):
    plan = load_plan(slug)
    contact = _contact(plan, contact_id)
    if request.method == "GET":
        return render_template("plans/erase_contact.html", plan=plan, contact=contact)
    detail = _contact_detail(plan, contact)
    erase_person(get_session(), person_of(get_session(), contact))
    record(get_session(), SecurityEventKind.PRIVACY_ERASE, **detail)
    get_session().commit()
    current_app.extensions["planner.feed_store"].discard_all()  # stored feeds may hold a copy: rebuilt on demand
    current_app.extensions["planner.feed_cache"].clear()
    current_app.extensions["planner.pdf_cache"].discard_all()  # partner sheets name contact persons
    flash(_("The personal data of this contact person have been erased; the plan is unchanged."), "success")
    return redirect(url_for("plans.partners", slug=slug))
