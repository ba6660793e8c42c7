"""Download the plan document and partner overviews; edit an organisation's house style."""

from __future__ import annotations

from contextlib import nullcontext

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from planner import clock
from planner.domain.documents import FORMATS, partner_output, plan_output
from planner.exporters.pdf import PdfUnavailable, soffice
from planner.models import Organisation
from planner.web.auth import admin_required
from planner.web.conversions import Busy
from planner.web.database import get_session
from planner.web.forms.organisations import HouseStyleForm
from planner.web.views.plans import load_plan

bp = Blueprint("documents", __name__)


RETRY_AFTER_SECONDS = 30


def _download(make, fmt: str) -> Response:
    """The made document as a download; a PDF waits for a free conversion slot (see planner.web.conversions)."""
    slot = current_app.extensions["planner.pdf_slots"].slot() if fmt == "pdf" else nullcontext()
    try:
        with slot:
            output = make()
    except PdfUnavailable:
        return Response(render_template("documents/no_pdf.html"), status=503)
    except Busy:
        return Response(render_template("documents/busy.html", retry_after=RETRY_AFTER_SECONDS), status=503,
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return Response(output.data, mimetype=output.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{output.filename}"', "Cache-Control": "private, no-store"})


@bp.get("/plans/<slug>/document.<fmt>")
def plan_document(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    plan = load_plan(slug)
    return _download(lambda: plan_output(get_session(), plan, fmt, clock.today()), fmt)


@bp.get("/plans/<slug>/partners/<int:partner_id>/overview.<fmt>")
def partner_overview(slug: str, partner_id: int, fmt: str):
    plan = load_plan(slug)
    partner = next((p for p in plan.partners if p.id == partner_id), None)
    if partner is None or fmt not in FORMATS:
        abort(404)
    return _download(lambda: partner_output(plan, partner, fmt, clock.today()), fmt)


@bp.app_context_processor
def pdf_available():
    return {"pdf_available": soffice() is not None}


@bp.get("/organisations/")
@admin_required
def organisations():
    rows = get_session().scalars(sa.select(Organisation).order_by(Organisation.name))
    return render_template("documents/organisations.html", organisations=list(rows))


@bp.route("/organisations/<uuid:public_id>/house-style", methods=["GET", "POST"])
@admin_required
def house_style(public_id):
    session = get_session()
    organisation = session.scalar(sa.select(Organisation).where(Organisation.uuid == public_id))
    if organisation is None:
        abort(404)
    form = HouseStyleForm(obj=organisation)
    if form.validate_on_submit():
        organisation.primary_colour, organisation.font = form.primary_colour.data.lower(), form.font.data
        if form.remove_logo.data:
            organisation.logo = None
        elif form.logo_bytes:
            organisation.logo = form.logo_bytes
        session.commit()
        flash(_("House style saved. New documents use it."), "success")
        return redirect(url_for("documents.organisations"))
    return render_template("documents/house_style.html", form=form, organisation=organisation,
                           has_logo=organisation.logo is not None)
