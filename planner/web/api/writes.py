"""Create, replace and delete activities, moments and audiences, and set a checklist item's status.

Optimistic concurrency with ETag and If-Match: every row carries `row_version`, its ETag is that version,
and a change or delete must send the ETag it read in If-Match (428 without it, 412 when the row changed
meanwhile). The UPDATE itself checks the version too, so of two changes that race exactly one wins.
"""

from __future__ import annotations

import datetime as dt

from flask import request, url_for
from flask_smorest import abort

from planner import clock
from planner.domain import trash
from planner.domain.anchoring import apply_anchor, move_moment
from planner.domain.localtime import clock_change
from planner.domain.observances import catalogue
from planner.domain.recurrence import RecurrenceError, build_rule, occurrence_dates, parse_rule
from planner.i18n import gettext
from planner.enums import (
    N_, ActivityStatus, AudienceCategory, ChecklistStatus, Intensity, Level, MomentEdge, MomentKind, OffsetUnit,
    Reach,
)
from planner.models import Activity, Audience, Moment
from planner.web.api import resources, schemas
from planner.web.api.reads import blp, etag, find_activity, find_checklist_item, find_in, load_plan, problems
from planner.web.database import get_session

IF_MATCH = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
            "description": "The ETag of the row as it was read."}
ETAG_HEADER = {"ETag": {"$ref": "#/components/headers/ETag"}}
CREATED_HEADERS = {**ETAG_HEADER, "Location": {"$ref": "#/components/headers/Location"}}
MESSAGES = (N_("There is no such row in this plan."), N_("This plan already has an audience with this name."),
            N_("This repetition is not possible."), N_("The end time lies before the start time."),
            N_("This time does not exist or happens twice on one of the days because of the change of summer "
               "time."), N_("There is no observance with this key."),
            N_("Explain why this activity does not apply."))


class Invalid(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def require_if_match(row) -> None:
    header = request.headers.get("If-Match")
    if not header:
        abort(428)
    tags = [tag.strip() for tag in header.split(",")]
    if "*" not in tags and etag(row) not in tags:
        abort(412)


def _ref(rows, public_id, field: str):
    if public_id is None:
        return None
    found = next((row for row in rows if row.uuid == public_id), None)
    if found is None:
        raise Invalid(field, N_("There is no such row in this plan."))
    return found


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def _save(change) -> None:
    """Run `change`; a rule it breaks answers 422 with the field, nothing saved."""
    from flask_babel import gettext

    try:
        with get_session().no_autoflush:
            change()
    except Invalid as error:
        get_session().rollback()
        abort(422, messages={"json": {error.field: [gettext(error.message)]}})


def apply_activity(plan, row: Activity, data: dict) -> None:
    start, end = data["start_date"], data["end_date"]
    start_time, end_time = _time(data["start_time"]), _time(data["end_time"])
    if start_time and end_time and (not end or end == start) and end_time <= start_time:
        raise Invalid("endTime", N_("The end time lies before the start time."))
    rule = ""
    if data["recurrence"]:
        repeat = data["recurrence"]
        rule = build_rule(repeat["frequency"], repeat["interval"], repeat["until"], repeat["count"])
        try:
            parse_rule(rule, start or clock.today())
        except RecurrenceError:
            raise Invalid("recurrence", N_("This repetition is not possible.")) from None
    anchor = data["anchor"]
    moment = _ref(plan.moments, anchor["moment_id"], "anchor.momentId") if anchor else None
    row.title, row.description, row.notes = data["title"], data["description"], data["notes"]
    row.channel = _ref(plan.channels, data["channel_id"], "channelId")
    row.sender = _ref(plan.partners, data["sender_id"], "senderId")
    row.message = _ref(plan.messages, data["message_id"], "messageId")
    row.audiences = sorted({_ref(plan.audiences, a, "audienceIds") for a in data["audience_ids"]},
                           key=lambda a: a.name)
    row.reach, row.level = Reach(data["reach"]), Level(data["level"])
    row.status, row.owner_name = ActivityStatus(data["status"]), data["owner_name"]
    row.start_time, row.end_time = start_time, end_time
    row.recurrence, row.exdates = rule, [d.isoformat() for d in sorted(set(data["except_dates"]))]
    row.anchor_moment = moment
    if moment is not None:
        row.anchor_offset = anchor["offset"]
        row.anchor_unit, row.anchor_edge = OffsetUnit(anchor["unit"]), MomentEdge(anchor["edge"])
        length = (end - start) if start and end else None
        row.starts_on = start or moment.starts_on
        row.ends_on = row.starts_on + length if length is not None else None
        apply_anchor(row)
    else:
        row.anchor_offset, row.starts_on, row.ends_on = 0, start, end
    _check_clock_changes(row)


def _check_clock_changes(row: Activity) -> None:
    try:
        days = occurrence_dates(row.starts_on, row.recurrence, row.exdates, dt.date.max)
    except RecurrenceError:
        days = [row.starts_on]
    span = (row.ends_on - row.starts_on) if row.ends_on else dt.timedelta()
    for field, time, offset in (("startTime", row.start_time, dt.timedelta()), ("endTime", row.end_time, span)):
        if time is not None and any(clock_change(day + offset, time) for day in days):
            raise Invalid(field, N_("This time does not exist or happens twice on one of the days because of the "
                                    "change of summer time."))


def _activity_body(plan, row):
    return resources.activity(row, plan, resources.uuid_maps(plan))


@blp.route("/plans/<uuid:plan_id>/activities", endpoint="create_activity", methods=["POST"])
@blp.doc(operationId="createActivity", summary="Add an activity")
@blp.arguments(schemas.ActivitySchema)
@blp.response(201, schemas.ActivitySchema, headers=CREATED_HEADERS)
@problems(400, 403, 415)
def create_activity(data, plan_id):
    plan = load_plan(plan_id, "change")
    row = Activity(plan=plan)
    get_session().add(row)  # a back reference alone does not put a new row in the session
    _save(lambda: apply_activity(plan, row, data))
    get_session().commit()
    return _created(_activity_body(plan, row), row, url_for("api.activity", plan_id=plan.uuid, activity_id=row.uuid,
                                                            _external=True))


def _created(body, row, location):
    return body, 201, {"ETag": etag(row), "Location": location}


@blp.route("/plans/<uuid:plan_id>/activities/<uuid:activity_id>", endpoint="replace_activity", methods=["PUT"])
@blp.doc(operationId="replaceActivity", summary="Replace an activity", parameters=[IF_MATCH])
@blp.arguments(schemas.ActivitySchema)
@blp.response(200, schemas.ActivitySchema, headers=ETAG_HEADER)
@problems(400, 403, 412, 415, 428)
def replace_activity(data, plan_id, activity_id):
    plan = load_plan(plan_id, "change")
    row = find_activity(plan, activity_id)
    require_if_match(row)
    _save(lambda: apply_activity(plan, row, data))
    get_session().commit()
    return _activity_body(plan, row), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/activities/<uuid:activity_id>", endpoint="delete_activity", methods=["DELETE"])
@blp.doc(operationId="deleteActivity", summary="Delete an activity (feeds announce it as cancelled)",
         parameters=[IF_MATCH])
@blp.response(204)
@problems(403, 412, 428)
def delete_activity(plan_id, activity_id):
    plan = load_plan(plan_id, "change")
    _delete(plan, find_activity(plan, activity_id))


def _delete(plan, row) -> None:
    """Delete into the plan's trash, as the web interface does (and labelled as it does): restorable for 30 days."""
    require_if_match(row)
    kind = {"activities": N_("activity"), "moments": N_("moment"), "audiences": N_("audience")}[row.__tablename__]
    label = gettext("%(what)s “%(name)s”", what=gettext(kind), name=getattr(row, "title", None) or row.name)
    trash.discard(get_session(), [row], row.__tablename__, label, plan=plan)
    get_session().commit()


def apply_moment(plan, row: Moment, data: dict) -> None:
    if data["observance_key"] and data["observance_key"] not in {d.key for d in catalogue(get_session(), plan.owner)}:
        raise Invalid("observanceKey", N_("There is no observance with this key."))
    row.name, row.kind, row.description = data["name"], MomentKind(data["kind"]), data["description"]
    row.observance_key = data["observance_key"]
    if row.id is None:
        row.starts_on, row.ends_on = data["start_date"], data["end_date"]
    else:  # what hangs on the moment moves with it
        move_moment(row, data["start_date"], data["end_date"], [i for p in plan.phases for i in p.items])


@blp.route("/plans/<uuid:plan_id>/moments", endpoint="create_moment", methods=["POST"])
@blp.doc(operationId="createMoment", summary="Add a moment")
@blp.arguments(schemas.MomentSchema)
@blp.response(201, schemas.MomentSchema, headers=CREATED_HEADERS)
@problems(400, 403, 415)
def create_moment(data, plan_id):
    plan = load_plan(plan_id, "change")
    row = Moment(plan=plan)
    get_session().add(row)
    _save(lambda: apply_moment(plan, row, data))
    get_session().commit()
    return _created(resources.moment(row), row, url_for("api.moment", plan_id=plan.uuid, moment_id=row.uuid,
                                                        _external=True))


@blp.route("/plans/<uuid:plan_id>/moments/<uuid:moment_id>", endpoint="replace_moment", methods=["PUT"])
@blp.doc(operationId="replaceMoment", summary="Replace a moment; anchored activities and due dates follow it",
         parameters=[IF_MATCH])
@blp.arguments(schemas.MomentSchema)
@blp.response(200, schemas.MomentSchema, headers=ETAG_HEADER)
@problems(400, 403, 412, 415, 428)
def replace_moment(data, plan_id, moment_id):
    plan = load_plan(plan_id, "change")
    row = find_in(plan.moments, moment_id)
    require_if_match(row)
    _save(lambda: apply_moment(plan, row, data))
    get_session().commit()
    return resources.moment(row), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/moments/<uuid:moment_id>", endpoint="delete_moment", methods=["DELETE"])
@blp.doc(operationId="deleteMoment", summary="Delete a moment (anchored activities keep their dates)",
         parameters=[IF_MATCH])
@blp.response(204)
@problems(403, 412, 428)
def delete_moment(plan_id, moment_id):
    plan = load_plan(plan_id, "change")
    _delete(plan, find_in(plan.moments, moment_id))


def apply_audience(plan, row: Audience, data: dict) -> None:
    wanted = data["name"].strip().lower()
    if any(other is not row and other.name.lower() == wanted for other in plan.audiences):
        raise Invalid("name", N_("This plan already has an audience with this name."))
    row.name, row.category = data["name"].strip(), AudienceCategory(data["category"])
    row.description, row.interest, row.influence = data["description"], data["interest"], data["influence"]
    row.intensity, row.in_education = Intensity(data["intensity"]), data["in_education"]
    row.languages = list(dict.fromkeys(language.lower() for language in data["languages"]))
    row.intermediaries = sorted({_ref(plan.partners, p, "intermediaryIds") for p in data["intermediary_ids"]},
                                key=lambda p: p.id)


@blp.route("/plans/<uuid:plan_id>/audiences", endpoint="create_audience", methods=["POST"])
@blp.doc(operationId="createAudience", summary="Add an audience")
@blp.arguments(schemas.AudienceSchema)
@blp.response(201, schemas.AudienceSchema, headers=CREATED_HEADERS)
@problems(400, 403, 415)
def create_audience(data, plan_id):
    plan = load_plan(plan_id, "change")
    row = Audience(plan=plan)
    get_session().add(row)
    _save(lambda: apply_audience(plan, row, data))
    get_session().commit()
    return _created(resources.audience(row), row, url_for("api.audience", plan_id=plan.uuid, audience_id=row.uuid,
                                                          _external=True))


@blp.route("/plans/<uuid:plan_id>/audiences/<uuid:audience_id>", endpoint="replace_audience", methods=["PUT"])
@blp.doc(operationId="replaceAudience", summary="Replace an audience", parameters=[IF_MATCH])
@blp.arguments(schemas.AudienceSchema)
@blp.response(200, schemas.AudienceSchema, headers=ETAG_HEADER)
@problems(400, 403, 412, 415, 428)
def replace_audience(data, plan_id, audience_id):
    plan = load_plan(plan_id, "change")
    row = find_in(plan.audiences, audience_id)
    require_if_match(row)
    _save(lambda: apply_audience(plan, row, data))
    get_session().commit()
    return resources.audience(row), {"ETag": etag(row)}


@blp.route("/plans/<uuid:plan_id>/audiences/<uuid:audience_id>", endpoint="delete_audience", methods=["DELETE"])
@blp.doc(operationId="deleteAudience", summary="Delete an audience with its core messages and embargoes",
         parameters=[IF_MATCH])
@blp.response(204)
@problems(403, 412, 428)
def delete_audience(plan_id, audience_id):
    plan = load_plan(plan_id, "change")
    _delete(plan, find_in(plan.audiences, audience_id))


@blp.route("/plans/<uuid:plan_id>/checklist-items/<uuid:item_id>", endpoint="update_checklist_item",
           methods=["PATCH"])
@blp.doc(operationId="updateChecklistItemStatus", summary="Set a checklist item's status (and note)",
         parameters=[IF_MATCH])
@blp.arguments(schemas.ChecklistStatusSchema)
@blp.response(200, schemas.ChecklistItemSchema, headers=ETAG_HEADER)
@problems(400, 403, 412, 415, 428)
def update_checklist_item(data, plan_id, item_id):
    plan = load_plan(plan_id, "change")
    item, phase = find_checklist_item(plan, item_id)
    require_if_match(item)

    def change():
        note = data["note"] if data["note"] is not None else item.note
        if data["status"] == ChecklistStatus.NOT_APPLICABLE.value and not (note or "").strip():
            raise Invalid("note", N_("Explain why this activity does not apply."))
        item.status, item.note = ChecklistStatus(data["status"]), note

    _save(change)
    get_session().commit()
    return resources.checklist_item(item, phase), {"ETag": etag(item)}
