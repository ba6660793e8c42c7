"""The API's resources as marshmallow schemas: they validate what comes in, shape what goes out, and are
what the OpenAPI document is generated from, so the document cannot drift from the code.

Properties are camelCase (the schemas are written in snake_case and bound to camelCase keys); dates are
RFC 3339 full-dates and instants RFC 3339 date-times with their offset.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from planner.domain.recurrence import MAX_EXDATES
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, DecisionKind, DecisionStatus, Intensity, Level,
    MomentEdge, MomentKind, OffsetUnit, PhaseKey, PlanStatus, Reach, Severity,
)

MAX_PAGE_SIZE = 100
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Amounts of money as exact decimal text ("12000.00"), never a binary floating-point number.
EURO = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "Euro, as exact decimal text."}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class ApiSchema(ma.Schema):
    """Snake_case attributes, camelCase properties; unknown properties are refused."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def drop_read_only(self, data, **kwargs):
        """A client may send back what it read: read-only properties (id, computed dates) are ignored."""
        if isinstance(data, dict):
            read_only = {f.data_key or n for n, f in self.fields.items() if f.dump_only}
            return {k: v for k, v in data.items() if k not in read_only}
        return data

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        field_obj.data_key = camel(field_obj.data_key or field_name)


def choice(enum_cls, **kwargs) -> fields.String:
    values = [member.value for member in enum_cls]
    return fields.String(validate=validate.OneOf(values), **kwargs)


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def required_text(max_length: int, **kwargs) -> fields.String:
    return fields.String(required=True, validate=[validate.Length(min=1, max=max_length),
                                                  validate.Regexp(r"\S", error="Invalid value.")], **kwargs)


def uuid_ref(**kwargs) -> fields.UUID:
    return fields.UUID(allow_none=True, load_default=None, **kwargs)


def instant(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", **kwargs)


class LinkSchema(ApiSchema):
    href = fields.String(required=True, metadata={"format": "uri"})


def links_schema(name: str, *relations: str) -> type[ma.Schema]:
    """A HAL `_links` object with the given relations (each a link, or absent)."""
    attrs = {relation: fields.Nested(LinkSchema) for relation in relations}
    return type(name, (ma.Schema,), attrs)


# ---- query parameters

class PageArgs(ApiSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000),
                          metadata={"description": "Page number, from 1."})
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                               metadata={"description": f"Items per page, at most {MAX_PAGE_SIZE}."})


class ActivityArgs(PageArgs):
    from_ = fields.Date(data_key="from", load_default=None, allow_none=False,
                        metadata={"description": "Only activities that can take place on or after this date."})
    to = fields.Date(load_default=None, allow_none=False,
                     metadata={"description": "Only activities that can take place on or before this date."})
    audience = fields.UUID(load_default=None, allow_none=False, metadata={"description": "Only activities for this audience (id)."})
    status = choice(ActivityStatus, load_default=None, allow_none=False, metadata={"description": "Only activities in this status."})

    @ma.validates_schema
    def period(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ma.ValidationError("The end date lies before the start date.", "to")


class PlanArgs(PageArgs):
    status = choice(PlanStatus, load_default=None, allow_none=False, metadata={"description": "Only plans in this status."})


class SummaryArgs(PageArgs):
    region = fields.UUID(load_default=None, allow_none=False, metadata={"description": "Only plans of this region (organisation id)."})
    status = choice(PlanStatus, load_default=None, allow_none=False)


EXPANDABLE = ("partners", "audiences", "messages", "channels", "moments", "embargoes", "activities",
              "checklistItems", "decisions", "findings")


class ExpandArgs(ApiSchema):
    expand = fields.String(load_default="", validate=validate.Regexp(
        r"^(|true|(" + "|".join(EXPANDABLE) + r")(,(" + "|".join(EXPANDABLE) + r"))*)$"), metadata={
        "description": "Embed what the plan holds: `true` for everything, or a comma-separated list of "
                       + ", ".join(EXPANDABLE) + "."})


# ---- resources (read)

class OrganisationRef(ApiSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class ContactSchema(ApiSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    function = fields.String(required=True)
    email = fields.String(required=True)
    phone = fields.String(required=True)


class PartnerSchema(ApiSchema):
    id = fields.UUID(required=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    role = fields.String(required=True)
    contacts = fields.List(fields.Nested(ContactSchema), required=True)


class AudienceSchema(ApiSchema):
    id = fields.UUID(dump_only=True)
    name = required_text(200)
    category = choice(AudienceCategory, required=True)
    description = text(10_000, load_default="")
    interest = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 5))
    influence = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 5))
    intensity = choice(Intensity, load_default=Intensity.INFORM.value)
    languages = fields.List(fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)), load_default=list,
                            validate=validate.Length(max=50))
    in_education = fields.Boolean(load_default=False)
    intermediary_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=500),
                                   metadata={"description": "Partners (ids) that pass the message on."})
    updated_at = instant(dump_only=True)


class TranslationSchema(ApiSchema):
    language = fields.String(required=True)
    body = fields.String(required=True)


class MessageSchema(ApiSchema):
    id = fields.UUID(required=True)
    audience_id = fields.UUID(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    revision = fields.Integer(required=True, metadata={"description": "Counts the changes of the text."})
    translations = fields.List(fields.Nested(TranslationSchema), required=True)


class ChannelSchema(ApiSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    kind = choice(ChannelKind, required=True)
    lead_time_days = fields.Integer(required=True, metadata={"description": "Production lead time in working days."})
    cost = fields.Decimal(as_string=True, allow_none=True, required=True, metadata=EURO)
    notes = fields.String(required=True)


class MomentSchema(ApiSchema):
    id = fields.UUID(dump_only=True)
    name = required_text(200)
    kind = choice(MomentKind, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)
    description = text(10_000, load_default="")
    observance_key = text(80, load_default="", metadata={
        "description": "The catalogue observance this moment follows (next year's plan follows it too)."})
    updated_at = instant(dump_only=True)

    @ma.validates_schema
    def period(self, data, **kwargs):
        if data.get("end_date") and data["end_date"] < data["start_date"]:
            raise ma.ValidationError("The end date lies before the start date.", "endDate")


class EmbargoSchema(ApiSchema):
    id = fields.UUID(required=True)
    audience_id = fields.UUID(required=True)
    not_before = fields.Date(allow_none=True, required=True)
    not_after = fields.Date(allow_none=True, required=True)
    not_before_moment_id = fields.UUID(allow_none=True, required=True)
    not_after_moment_id = fields.UUID(allow_none=True, required=True)
    first_allowed_date = fields.Date(allow_none=True, required=True,
                                     metadata={"description": "The first day the audience may be reached."})
    last_allowed_date = fields.Date(allow_none=True, required=True,
                                    metadata={"description": "The last day the audience may be reached."})
    reason = fields.String(required=True)


class AnchorSchema(ApiSchema):
    moment_id = fields.UUID(required=True)
    offset = fields.Integer(load_default=0, validate=validate.Range(-365, 365))
    unit = choice(OffsetUnit, load_default=OffsetUnit.DAYS.value)
    edge = choice(MomentEdge, load_default=MomentEdge.START.value)


class RecurrenceSchema(ApiSchema):
    frequency = fields.String(required=True, validate=validate.OneOf(FREQUENCIES))
    interval = fields.Integer(load_default=1, validate=validate.Range(1, 52))
    until = fields.Date(allow_none=True, load_default=None)
    count = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 400))
    rule = fields.String(dump_only=True, metadata={"description": "The RFC 5545 RRULE value."})


class ActivitySchema(ApiSchema):
    id = fields.UUID(dump_only=True)
    title = required_text(200)
    description = text(10_000, load_default="")
    notes = text(10_000, load_default="", metadata={"description": "Internal notes (never in feeds)."})
    start_date = fields.Date(allow_none=True, load_default=None,
                             metadata={"description": "Required unless the activity is anchored to a moment."})
    end_date = fields.Date(allow_none=True, load_default=None)
    start_time = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(TIME_PATTERN),
                               metadata={"description": "Wall-clock time in Europe/Amsterdam (HH:MM)."})
    end_time = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(TIME_PATTERN),
                             metadata={"description": "Wall-clock time in Europe/Amsterdam (HH:MM)."})
    starts_at = instant(dump_only=True, allow_none=True,
                        metadata={"description": "Start as an RFC 3339 instant, when the activity has a time."})
    ends_at = instant(dump_only=True, allow_none=True)
    channel_id = uuid_ref()
    sender_id = uuid_ref(metadata={"description": "The partner (id) that sends it."})
    message_id = uuid_ref()
    audience_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=500))
    reach = choice(Reach, load_default=Reach.EXTERNAL.value)
    level = choice(Level, load_default=Level.LOCAL.value)
    status = choice(ActivityStatus, load_default=ActivityStatus.PLANNED.value)
    owner_name = text(200, load_default="")
    anchor = fields.Nested(AnchorSchema, allow_none=True, load_default=None, metadata={
        "description": "The date then follows the moment: when the moment moves, this activity moves with it."})
    recurrence = fields.Nested(RecurrenceSchema, allow_none=True, load_default=None)
    except_dates = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=MAX_EXDATES))
    dates = fields.List(fields.Date(), dump_only=True, metadata={
        "description": "Every date the activity takes place (its repetitions up to the plan's end)."})
    production_start_date = fields.Date(dump_only=True, allow_none=True, metadata={
        "description": "When production has to start: the date minus the channel's lead time in working days."})
    updated_at = instant(dump_only=True)

    @ma.validates_schema
    def period(self, data, **kwargs):
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            raise ma.ValidationError("The end date lies before the start date.", "endDate")
        if data.get("start_date") is None and data.get("anchor") is None:
            raise ma.ValidationError("Enter a date, or anchor the activity to a moment.", "startDate")
        if data.get("end_time") and not data.get("start_time"):
            raise ma.ValidationError("Enter a start time as well.", "endTime")


class ChecklistItemSchema(ApiSchema):
    id = fields.UUID(required=True)
    phase = choice(PhaseKey, required=True)
    position = fields.Integer(required=True)
    title = fields.String(required=True)
    status = choice(ChecklistStatus, required=True)
    owner_name = fields.String(required=True)
    due_date = fields.Date(allow_none=True, required=True)
    note = fields.String(required=True)
    updated_at = instant(required=True)


class ChecklistStatusSchema(ApiSchema):
    status = choice(ChecklistStatus, required=True)
    note = text(10_000, load_default=None, allow_none=True,
                metadata={"description": "Required (here or already stored) for status not_applicable."})


class DecisionSchema(ApiSchema):
    id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = choice(DecisionKind, required=True)
    date = fields.Date(required=True)
    participants = fields.String(required=True)
    status = choice(DecisionStatus, required=True)
    outcome = fields.String(required=True)


class FindingSchema(ApiSchema):
    severity = choice(Severity, required=True)
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In the language of Accept-Language."})
    date = fields.Date(allow_none=True, required=True)
    activity_id = fields.UUID(allow_none=True, required=True)


PlanLinks = links_schema("PlanLinks", "self", "partners", "audiences", "messages", "channels", "moments",
                         "embargoes", "activities", "checklistItems", "decisions", "findings")


class PlanEmbedded(ma.Schema):
    partners = fields.List(fields.Nested(PartnerSchema))
    audiences = fields.List(fields.Nested(AudienceSchema))
    messages = fields.List(fields.Nested(MessageSchema))
    channels = fields.List(fields.Nested(ChannelSchema))
    moments = fields.List(fields.Nested(MomentSchema))
    embargoes = fields.List(fields.Nested(EmbargoSchema))
    activities = fields.List(fields.Nested(ActivitySchema))
    checklistItems = fields.List(fields.Nested(ChecklistItemSchema))
    decisions = fields.List(fields.Nested(DecisionSchema))
    findings = fields.List(fields.Nested(FindingSchema))


class PlanSchema(ApiSchema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    theme = fields.String(required=True)
    owner = fields.Nested(OrganisationRef, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    status = choice(PlanStatus, required=True)
    phase = choice(PhaseKey, required=True)
    introduction = fields.String(required=True)
    goal = fields.String(required=True)
    strategy = fields.String(required=True)
    budget = fields.Decimal(as_string=True, allow_none=True, required=True, metadata=EURO)
    parent_id = fields.UUID(allow_none=True, required=True, metadata={"description": "The regional plan."})
    web_url = fields.String(required=True, metadata={"format": "uri"})
    created_at = instant(required=True)
    updated_at = instant(required=True)
    links = fields.Nested(PlanLinks, data_key="_links", required=True)
    embedded = fields.Nested(PlanEmbedded, data_key="_embedded")

    def on_bind_field(self, field_name, field_obj):
        if not (field_obj.data_key or "").startswith("_"):
            super().on_bind_field(field_name, field_obj)


class PhaseProgressSchema(ApiSchema):
    phase = choice(PhaseKey, required=True)
    done = fields.Integer(required=True)
    relevant = fields.Integer(required=True, metadata={"description": "Items that apply (not n.v.t.)."})


class PlanSummarySchema(ApiSchema):
    plan_id = fields.UUID(required=True)
    title = fields.String(required=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    status = choice(PlanStatus, required=True)
    phase = choice(PhaseKey, required=True)
    progress = fields.List(fields.Nested(PhaseProgressSchema), required=True)
    overdue_checklist_items = fields.Integer(required=True)
    activities_next_14_days = fields.Integer(required=True)
    errors = fields.Integer(required=True)
    warnings = fields.Integer(required=True)


PageLinks = links_schema("PageLinks", "self", "first", "prev", "next", "last")


class PageInfo(ApiSchema):
    number = fields.Integer(required=True)
    size = fields.Integer(required=True)
    total_elements = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)


def page_schema(name: str, key: str, item: type[ma.Schema]) -> type[ma.Schema]:
    """A page of a collection: HAL `_embedded.<key>` with the items, `_links` to the other pages, `page`."""
    embedded = type(f"{name}Embedded", (ma.Schema,), {key: fields.List(fields.Nested(item), required=True)})
    return type(name, (ma.Schema,), {
        "links": fields.Nested(PageLinks, data_key="_links", required=True),
        "embedded": fields.Nested(embedded, data_key="_embedded", required=True),
        "page": fields.Nested(PageInfo, required=True),
    })


class ProblemParam(ApiSchema):
    name = fields.String(required=True)
    code = fields.String(required=True)
    reason = fields.String(required=True)


class ProblemSchema(ApiSchema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    invalid_params = fields.List(fields.Nested(ProblemParam))
