"""The history of a plan, and the personal data of contact persons (export and erase)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.accounts import can_edit
from planner.domain.privacy import erase_person, export_person, person_of
from planner.domain.security_log import record
from planner.enums import N_, SecurityEventKind
from planner.models import AuditEntry, ContactPerson
from planner.web.database import get_session
from planner.web.views.plans import load_plan

bp = Blueprint("history", __name__, url_prefix="/plans/<slug>")
PAGE_SIZE = 500


@bp.get("/history")
def show(slug: str):
    plan = load_plan(slug)
    entries = get_session().scalars(sa.select(AuditEntry).where(AuditEntry.plan_uuid == plan.uuid)
                                    .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(PAGE_SIZE))
    return render_template("plans/history.html", plan=plan, groups=grouped(entries),
                           editable=g.user is not None and can_edit(g.user, plan))


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
