"""Download the plan document and partner overviews; edit an organisation's house style."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from planner import clock
from planner.domain.documents import (
    FORMATS, Output, document_version, partner_filename, partner_output, plan_filename, plan_output,
)
from planner.exporters.pdf import PdfUnavailable, soffice
from planner.models import Organisation, Plan
from planner.web.auth import admin_required
from planner.web.conversions import Busy
from planner.web.database import get_session
from planner.web.forms.organisations import HouseStyleForm
from planner.web.views.plans import load_plan

bp = Blueprint("documents", __name__)


RETRY_AFTER_SECONDS = 30


def _send(output: Output) -> Response:
    return Response(output.data, mimetype=output.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{output.filename}"', "Cache-Control": "private, no-store"})


def _send_pdf(plan: Plan, kind: str, filename: str, make) -> Response:
    """The PDF from the cache of made PDFs when the plan has not changed; else made in a conversion slot."""
    cache = current_app.extensions["planner.pdf_cache"]
    name = f"plan-{plan.id}-{kind}"
    version = document_version(get_session(), plan, kind, clock.today())
    data = cache.load(name, version)
    if data is None:
        try:
            with current_app.extensions["planner.pdf"].converter() as convert:
                data = cache.load(name, version)  # made by another request while this one waited
                if data is None:
                    # Make it from rows at least as new as the version (those loaded earlier may be older), and
                    # keep it only if nothing changed meanwhile.
                    get_session().expire_all()
                    data = make(convert).data
                    if document_version(get_session(), plan, kind, clock.today()) == version:
                        cache.store(name, version, data)
        except PdfUnavailable:
            return Response(render_template("documents/no_pdf.html"), status=503)
        except Busy:
            return Response(render_template("documents/busy.html", retry_after=RETRY_AFTER_SECONDS), status=503,
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return _send(Output(data, filename, FORMATS["pdf"]))


@bp.get("/plans/<slug>/document.<fmt>")
def plan_document(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    plan = load_plan(slug)
    if fmt == "pdf":
        return _send_pdf(plan, "document", plan_filename(plan, fmt),
                         lambda convert: plan_output(get_session(), plan, fmt, clock.today(), convert))
    return _send(plan_output(get_session(), plan, fmt, clock.today()))


@bp.get("/plans/<slug>/partners/<int:partner_id>/overview.<fmt>")
def partner_overview(slug: str, partner_id: int, fmt: str):
    plan = load_plan(slug)
    partner = next((p for p in plan.partners if p.id == partner_id), None)
    if partner is None or fmt not in FORMATS:
        abort(404)
    if fmt == "pdf":
        return _send_pdf(plan, f"partner-{partner.id}", partner_filename(plan, partner, fmt),
                         lambda convert: partner_output(plan, partner, fmt, clock.today(), convert))
    return _send(partner_output(plan, partner, fmt, clock.today()))


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
