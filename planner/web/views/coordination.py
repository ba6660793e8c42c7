"""Coordination: the overview across plans, phase gates, next year's plan, local plans and regional changes."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner import clock
from planner.domain import access, gates, regional, regional_calendar
from planner.domain.observances import catalogue
from planner.domain.dates import year_in_window
from planner.domain.overview import Filters, as_csv, dashboard_rows, overview
from planner.domain.plans import find_or_create_organisation
from planner.domain.school_holidays import all_holidays
from planner.domain.year_copy import copy_to_year
from planner.enums import ChecklistStatus, OrganisationKind, PhaseKey, PlanStatus, Role, Severity
from planner.models import ChecklistItem, Organisation, Plan
from planner.web.charts import region_charts
from planner.web.checks import findings_for
from planner.web.database import get_session
from planner.web.forms.coordination import CopyForm, GateForm, LocalPlanForm
from planner.web.row_status import set_status
from planner.web.views.plans import load_plan, overview_page

bp = Blueprint("coordination", __name__)


@dataclass(frozen=True)
class Unfinished:
    """What is open when a plan is approved or goes into execution: checklist items, and errors as (finding, text)."""
    items: list
    errors: list


def _flash_errors(form) -> None:
    flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")


def _filters() -> tuple[list[Organisation], Filters]:
    """The dashboard's filters from the query; a coordinator starts in their own region."""
    session = get_session()
    regions = list(session.scalars(sa.select(Organisation).where(Organisation.kind == OrganisationKind.REGION)
                                   .order_by(Organisation.name)))
    if "region" in request.args:
        region = next((r for r in regions if str(r.uuid) == request.args["region"]), None)
    else:
        own = g.user.organisation
        region = own if own.kind == OrganisationKind.REGION else own.region
    status, phase = request.args.get("status"), request.args.get("phase")
    year = request.args.get("year", "")
    return regions, Filters(
        region=region, status=PlanStatus(status) if status in {s.value for s in PlanStatus} else None,
        text=(request.args.get("q") or "").strip()[:100], theme=(request.args.get("theme") or "").strip()[:200],
        year=int(year) if year.isdigit() and year_in_window(int(year)) else None,
        phase=PhaseKey(phase) if phase in {p.value for p in PhaseKey} else None)


def _summaries(filters: Filters):
    session = get_session()
    return overview(session, clock.today(), filters, all_holidays(session), access.visible_plans_filter(g.user),
                    current_app.extensions["planner.plan_cache"])


def _organisations(filters: Filters) -> list[Organisation]:
    """The region's organisations, to list those without a plan: only for who may read every plan of it (for anyone
    else "no plan" could hide a plan they may not see)."""
    region = filters.region
    if region is None or not regional_calendar.reads_whole_region(g.user, region):
        return []
    return regional_calendar.members(get_session(), region)


@bp.get("/overview")
def show():
    regions, filters = _filters()
    session = get_session()
    summaries = _summaries(filters)
    sort = request.args.get("sort", "organisation")
    descending = request.args.get("dir") == "desc"
    visible = access.visible_plans_filter(g.user)
    themes = sorted(t for t in session.scalars(sa.select(Plan.theme).where(visible).distinct()) if t)
    spans = session.execute(sa.select(sa.extract("year", Plan.starts_on), sa.extract("year", Plan.ends_on))
                            .where(visible).distinct())
    years = sorted({year for first, last in spans for year in range(int(first), int(last) + 1)})  # every year a plan runs
    rows = dashboard_rows(summaries, _organisations(filters), sort, descending)
    without = [row.organisation for row in rows if row.summary is None]
    calendar_of = filters.region if filters.region is not None and any(
        r.id == filters.region.id for r in regional_calendar.regions_for(session, g.user)) else None
    return render_template(
        "coordination/overview.html", rows=rows, summaries=summaries, calendar_of=calendar_of,
        charts=region_charts(summaries, clock.today(), without), regions=regions, filters=filters, sort=sort,
        descending=descending, today=clock.today(), statuses=list(PlanStatus), phases=list(PhaseKey), themes=themes,
        years=years)


@bp.get("/overview.csv")
def csv():
    _regions, filters = _filters()
    summaries = _summaries(filters)
    without = [row.organisation for row in dashboard_rows(summaries, _organisations(filters)) if row.summary is None]
    return Response("\ufeff" + as_csv(summaries, without), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="overzicht-plannen.csv"'})


@bp.post("/plans/<slug>/gate")
def gate(slug: str):
    plan = load_plan(slug)
    form = GateForm(plan)
    if not form.validate_on_submit():  # the errors beside their fields
        return overview_page(plan, gate_form=form)
    if gates.asks_confirmation(plan, form.status.data, form.phase.data) and not form.confirm.data:
        findings, _counts = findings_for(plan)
        unfinished = Unfinished(gates.open_before_execution(plan),
                                [(finding, text) for finding, text in findings if finding.severity == Severity.ERROR])
        if unfinished.items or unfinished.errors:  # say what is still open; the advisor decides
            return overview_page(plan, gate_form=form, unfinished=unfinished)
    gates.move_plan(get_session(), plan, form.status.data, form.phase.data, form.by.data, form.note.data, clock.today())
    get_session().commit()
    flash(_("The step is recorded as a decision moment."), "success")
    return redirect(url_for("plans.overview", slug=slug))


@bp.post("/plans/<slug>/copy")
def copy(slug: str):
    plan = load_plan(slug)
    form = CopyForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for("plans.overview", slug=slug))
    session = get_session()
    definitions = {d.key: d for d in catalogue(session, plan.owner)}
    new = copy_to_year(session, plan, form.year.data, definitions, all_holidays(session))
    session.commit()
    flash(_("Plan for %(year)d created from “%(title)s”.", year=form.year.data, title=plan.title), "success")
    return redirect(url_for("plans.overview", slug=new.slug))


@bp.post("/plans/<slug>/local")
def local(slug: str):
    plan = load_plan(slug)
    form = LocalPlanForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for("plans.overview", slug=slug))
    session = get_session()
    if g.user.role == Role.ADMINISTRATOR:
        municipality = find_or_create_organisation(session, form.municipality.data, OrganisationKind.MUNICIPALITY)
    else:
        municipality = g.user.organisation  # an advisor makes the local plan of their own municipality
    if municipality.kind == OrganisationKind.MUNICIPALITY and municipality.region is None \
            and plan.owner.kind == OrganisationKind.REGION:
        municipality.region = plan.owner
    new = regional.create_local_plan(session, plan, municipality, form.title.data)
    session.commit()
    flash(_("Local plan created with the regional audiences, messages, channels and activities."), "success")
    return redirect(url_for("plans.overview", slug=new.slug))


def _uuid(value: str):
    try:
        return uuid_module.UUID(value)
    except ValueError:
        abort(404)


@bp.post("/plans/<slug>/regional/<source>/<action>")
def regional_change(slug: str, source: str, action: str):
    plan = load_plan(slug)
    uid = _uuid(source)
    row, original = regional.find_row(plan, uid), regional.find_source(plan, uid)
    if action == "accept" and row is not None and original is not None:
        regional.accept(row, original)
    elif action == "keep" and row is not None:
        regional.keep_local(row)
    elif action == "take-over" and row is None and original is not None:
        regional.take_over(get_session(), plan, original)
    else:
        abort(404)
    get_session().commit()
    flash(_("Saved."), "success")
    return redirect(url_for("plans.overview", slug=slug) + "#regional-changes")


@bp.post("/plans/<slug>/checklist-items/<int:item_id>/status")
def item_status(slug: str, item_id: int):
    """Mark a checklist item done, not applicable or open again, from the checklist."""
    item = _checklist_item(load_plan(slug), item_id)
    return set_status(item, ChecklistStatus, item.title)


def _checklist_item(plan, item_id: int) -> ChecklistItem:
    item = get_session().get(ChecklistItem, item_id)
    if item is None or item.phase.plan_id != plan.id:
        abort(404)
    return item


@bp.post("/plans/<slug>/checklist-items/<int:item_id>/move")
def move_item(slug: str, item_id: int):
    item = _checklist_item(load_plan(slug), item_id)
    items = item.phase.items
    index = items.index(item)
    other = index - 1 if request.form.get("direction") == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        get_session().commit()
    return redirect(url_for("plans.checklist", slug=slug) + f"#item-{item.id}")
