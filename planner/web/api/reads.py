"""Read a plan and what it holds; every plan passes the same guard as the web pages (`plan_refusal`)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, request
from flask_smorest import abort
from flask_babel import gettext
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload, lazyload

from planner import clock
from planner.domain import access
from planner.domain.overview import Filters, overview
from planner.domain.plans import load_activities, plan_activities, plan_contents
from planner.domain.school_holidays import all_holidays
from planner.enums import ActivityStatus, OrganisationKind, PlanStatus
from planner.models import Activity, ChecklistItem, Organisation, Phase, Plan, activity_audiences
from planner.web.api import resources, schemas
from planner.web.api.hooks import authenticate, principal
from planner.web.api.paging import Page, count, link_header, page_body, paged
from planner.web.database import get_session
from planner.web.views.plans import plan_refusal

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Plans and what they hold.")
blp.before_request(authenticate)

PROBLEMS = (401, 404, 429)


def problems(*codes: int):
    """Document the problem responses of a route (application/problem+json)."""
    def decorate(view):
        for code in sorted({*PROBLEMS, *codes}):
            view = blp.alt_response(code, schema=schemas.ProblemSchema, content_type="application/problem+json",
                                    description=_DESCRIPTIONS.get(code, "Problem."))(view)
        return view
    return decorate


_DESCRIPTIONS = {
    400: "The request cannot be read.", 401: "No valid API key.", 403: "The key may not do this.",
    404: "Not found, or not visible to this key.", 412: "The row changed since it was read (If-Match).",
    415: "The body is not JSON.", 422: "Invalid input; invalidParams lists the fields.",
    428: "If-Match is required.", 429: "Too many requests; see Retry-After.",
}


@blp.before_request
def guard_plan():
    """Decide access to the plan of the path before anything else, the body's validation included: a key that
    may not see the plan gets 404 and one that may not change it 403, whatever it sent."""
    if request.method != "OPTIONS" and "plan_id" in (request.view_args or {}):
        load_plan(request.view_args["plan_id"], "read" if request.method in ("GET", "HEAD") else "change")


def load_plan(plan_id, wants: str = "read") -> Plan:
    """The plan with its small collections, or 404/403 exactly as for a person with the key's role (loaded once
    per request)."""
    cached = g.get("api_plan")
    if cached is not None and cached.uuid == plan_id:
        return cached
    plan = get_session().scalar(sa.select(Plan).where(Plan.uuid == plan_id)
                                .options(*plan_contents(), joinedload(Plan.parent)))
    key = principal()
    refusal = plan_refusal(key, plan, wants)
    if refusal is not None:
        abort(refusal)
    if wants != "read" and not key.may_write:
        abort(403)
    g.api_plan = plan
    return plan


def etag(row) -> str:
    return f'"{row.row_version}"'


@blp.route("/plans")
@blp.doc(operationId="listPlans", summary="The plans this key may read")
@blp.arguments(schemas.PlanArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.page_schema("PlanPage", "plans", schemas.PlanSchema))
@problems()
def plans(page: int, page_size: int, status: str | None):
    session = get_session()
    query = sa.select(Plan).where(access.visible_plans_filter(principal()))
    if status:
        query = query.where(Plan.status == PlanStatus(status))
    current = Page(page, page_size, count(session, query))
    rows = session.scalars(query.options(joinedload(Plan.owner), joinedload(Plan.parent))
                           .order_by(Plan.starts_on.desc(), Plan.title, Plan.id)
                           .offset(current.offset).limit(page_size))
    body = page_body("plans", [resources.plan(row) for row in rows], current)
    return body, link_header(body)


@blp.route("/plans/<uuid:plan_id>")
@blp.doc(operationId="getPlan", summary="One plan; with expand, everything it holds")
@blp.arguments(schemas.ExpandArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.PlanSchema, headers={"ETag": {"$ref": "#/components/headers/ETag"}})
@problems()
def plan(plan_id, expand: str):
    row = load_plan(plan_id)
    body = resources.plan(row)
    wanted = set(schemas.EXPANDABLE) if expand == "true" else set(filter(None, expand.split(",")))
    if wanted:
        body["embedded"] = {name: EMBEDS[name](row) for name in schemas.EXPANDABLE if name in wanted}
    return body, {"ETag": etag(row)}


def _partners(plan):
    return [resources.partner(p) for p in plan.partners]


def _audiences(plan):
    return [resources.audience(a) for a in plan.audiences]


def _messages(plan):
    audiences = {a.id: a.uuid for a in plan.audiences}
    return [resources.message(m, audiences) for m in plan.messages]


def _channels(plan):
    return [resources.channel(c) for c in plan.channels]


def _moments(plan):
    return [resources.moment(m) for m in plan.moments]


def _embargoes(plan):
    uuids = resources.uuid_maps(plan)
    return [resources.embargo(e, uuids) for e in plan.embargoes]


def _activities(plan):
    load_activities(get_session(), plan)
    uuids = resources.uuid_maps(plan)
    return [resources.activity(a, plan, uuids) for a in plan.activities]


def _checklist_items(plan):
    rows = get_session().execute(sa.select(ChecklistItem, Phase).join(Phase, ChecklistItem.phase_id == Phase.id)
                                 .where(Phase.plan_id == plan.id).order_by(Phase.position, ChecklistItem.position))
    return [resources.checklist_item(item, phase) for item, phase in rows]


def _decisions(plan):
    return [resources.decision(d) for d in plan.decisions]


def _findings(plan):
    from planner.web.checks import findings_for

    findings, _counts = findings_for(plan)
    return [resources.finding(finding, text) for finding, text in findings]


EMBEDS = {"partners": _partners, "audiences": _audiences, "messages": _messages, "channels": _channels,
          "moments": _moments, "embargoes": _embargoes, "activities": _activities,
          "checklistItems": _checklist_items, "decisions": _decisions, "findings": _findings}


def _collection(path: str, endpoint: str, key: str, item_schema, build, summary: str):
    def view(plan_id, page: int, page_size: int):
        return paged(key, build(load_plan(plan_id)), page, page_size)

    view.__name__ = endpoint
    view = problems()(view)
    view = blp.response(200, schemas.page_schema(f"{item_schema.__name__.removesuffix('Schema')}Page", key,
                                                 item_schema))(view)
    view = blp.arguments(schemas.PageArgs, location="query", as_kwargs=True)(view)
    view = blp.doc(operationId=f"list{key[:1].upper()}{key[1:]}", summary=summary)(view)
    blp.route(path, endpoint=endpoint)(view)


_collection("/plans/<uuid:plan_id>/partners", "partners", "partners", schemas.PartnerSchema, _partners,
            "The plan's partners with their contact persons")
_collection("/plans/<uuid:plan_id>/messages", "messages", "messages", schemas.MessageSchema, _messages,
            "The plan's core messages with their translations")
_collection("/plans/<uuid:plan_id>/channels", "channels", "channels", schemas.ChannelSchema, _channels,
            "The plan's channels with lead time and cost")
_collection("/plans/<uuid:plan_id>/embargoes", "embargoes", "embargoes", schemas.EmbargoSchema, _embargoes,
            "The plan's embargoes per audience")
_collection("/plans/<uuid:plan_id>/checklist-items", "checklist_items", "checklistItems",
            schemas.ChecklistItemSchema, _checklist_items, "The plan's checklist items, phase by phase")
_collection("/plans/<uuid:plan_id>/decisions", "decisions", "decisions", schemas.DecisionSchema, _decisions,
            "The plan's decision moments")
_collection("/plans/<uuid:plan_id>/findings", "findings", "findings", schemas.FindingSchema, _findings,
            "What the checks find in the plan today (errors first within a day)")


@blp.route("/plans/<uuid:plan_id>/activities")
@blp.doc(operationId="listActivities", summary="The plan's activities, with their dates and production start")
@blp.arguments(schemas.ActivityArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.page_schema("ActivityPage", "activities", schemas.ActivitySchema))
@problems()
def activities(plan_id, page: int, page_size: int, from_=None, to=None, audience=None, status=None):
    plan_row = load_plan(plan_id)
    session = get_session()
    query = sa.select(Activity).where(Activity.plan_id == plan_row.id)
    if from_ is not None:  # dated in the period, or repeating from before it (as the calendar pages do)
        query = query.where(sa.or_(sa.func.coalesce(Activity.ends_on, Activity.starts_on) >= from_,
                                   Activity.recurrence != ""))
    if to is not None:
        query = query.where(Activity.starts_on <= to)
    if audience is not None:
        audience_id = next((a.id for a in plan_row.audiences if a.uuid == audience), -1)
        query = query.where(Activity.id.in_(sa.select(activity_audiences.c.activity_id)
                                            .where(activity_audiences.c.audience_id == audience_id)))
    if status is not None:
        query = query.where(Activity.status == ActivityStatus(status))
    current = Page(page, page_size, count(session, query))
    rows = plan_activities(session, plan_row, query.order_by(
        Activity.starts_on, Activity.start_time.nulls_first(), Activity.id).offset(current.offset).limit(page_size)
        .options(lazyload(Activity.observations)))  # the API does not show them
    uuids = resources.uuid_maps(plan_row)
    body = page_body("activities", [resources.activity(a, plan_row, uuids) for a in rows], current)
    return body, link_header(body)


@blp.route("/plans/<uuid:plan_id>/audiences")
@blp.doc(operationId="listAudiences", summary="The plan's audiences and stakeholders")
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.page_schema("AudiencePage", "audiences", schemas.AudienceSchema))
@problems()
def audiences(plan_id, page: int, page_size: int):
    return paged("audiences", _audiences(load_plan(plan_id)), page, page_size)


@blp.route("/plans/<uuid:plan_id>/moments")
@blp.doc(operationId="listMoments", summary="The plan's moments")
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.page_schema("MomentPage", "moments", schemas.MomentSchema))
@problems()
def moments(plan_id, page: int, page_size: int):
    return paged("moments", _moments(load_plan(plan_id)), page, page_size)


def find_activity(plan_row, activity_id) -> Activity:
    rows = plan_activities(get_session(), plan_row, sa.select(Activity).where(
        Activity.plan_id == plan_row.id, Activity.uuid == activity_id))
    if not rows:
        abort(404)
    return rows[0]


def find_in(collection, row_id):
    found = next((row for row in collection if row.uuid == row_id), None)
    if found is None:
        abort(404)
    return found


def find_checklist_item(plan_row, item_id) -> tuple[ChecklistItem, Phase]:
    found = get_session().execute(sa.select(ChecklistItem, Phase).join(Phase, ChecklistItem.phase_id == Phase.id)
                                  .where(Phase.plan_id == plan_row.id, ChecklistItem.uuid == item_id)).first()
    if found is None:
        abort(404)
    return found[0], found[1]


@blp.route("/plans/<uuid:plan_id>/activities/<uuid:activity_id>", endpoint="activity", methods=["GET"])
@blp.doc(operationId="getActivity", summary="One activity")
@blp.response(200, schemas.ActivitySchema, headers={"ETag": {"$ref": "#/components/headers/ETag"}})
@problems()
def get_activity(plan_id, activity_id):
    plan_row = load_plan(plan_id)
    row = find_activity(plan_row, activity_id)
    return resources.activity(row, plan_row, resources.uuid_maps(plan_row)), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/moments/<uuid:moment_id>", endpoint="moment", methods=["GET"])
@blp.doc(operationId="getMoment", summary="One moment")
@blp.response(200, schemas.MomentSchema, headers={"ETag": {"$ref": "#/components/headers/ETag"}})
@problems()
def get_moment(plan_id, moment_id):
    row = find_in(load_plan(plan_id).moments, moment_id)
    return resources.moment(row), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/audiences/<uuid:audience_id>", endpoint="audience", methods=["GET"])
@blp.doc(operationId="getAudience", summary="One audience")
@blp.response(200, schemas.AudienceSchema, headers={"ETag": {"$ref": "#/components/headers/ETag"}})
@problems()
def get_audience(plan_id, audience_id):
    row = find_in(load_plan(plan_id).audiences, audience_id)
    return resources.audience(row), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/checklist-items/<uuid:item_id>", endpoint="checklist_item", methods=["GET"])
@blp.doc(operationId="getChecklistItem", summary="One checklist item")
@blp.response(200, schemas.ChecklistItemSchema, headers={"ETag": {"$ref": "#/components/headers/ETag"}})
@problems()
def get_checklist_item(plan_id, item_id):
    item, phase = find_checklist_item(load_plan(plan_id), item_id)
    return resources.checklist_item(item, phase), {"ETag": etag(item)}


@blp.route("/plan-summaries")
@blp.doc(operationId="listPlanSummaries",
         summary="The coordinator's overview: progress, overdue items, coming activities and warnings per plan")
@blp.arguments(schemas.SummaryArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.page_schema("PlanSummaryPage", "planSummaries", schemas.PlanSummarySchema))
@problems()
def plan_summaries(page: int, page_size: int, region=None, status=None):
    session = get_session()
    region_row = None
    if region is not None:
        region_row = session.scalar(sa.select(Organisation).where(
            Organisation.uuid == region, Organisation.kind == OrganisationKind.REGION))
        if region_row is None:
            abort(422, messages={"query": {"region": [gettext("There is no region with this id.")]}})
    found = overview(session, clock.today(), Filters(region=region_row, status=PlanStatus(status) if status else None),
                     all_holidays(session), access.visible_plans_filter(principal()))
    items = [{"plan_id": s.plan.uuid, "title": s.plan.title, "organisation": resources.organisation_ref(s.plan.owner),
              "status": s.plan.status.value, "phase": s.plan.phase.value,
              "progress": [{"phase": key.value, "done": done, "relevant": relevant}
                           for key, (done, relevant) in s.progress.items()],
              "overdue_checklist_items": s.overdue_items, "activities_next_14_days": s.upcoming_activities,
              "errors": s.errors, "warnings": s.warnings} for s in found]
    return paged("planSummaries", items, page, page_size)


__all__ = ["blp", "load_plan", "etag", "find_activity", "find_in", "find_checklist_item", "problems"]
