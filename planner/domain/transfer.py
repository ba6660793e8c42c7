"""Export one plan as a versioned, lossless JSON document and import it again."""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain.codecs import (
    Boolean, Choice, Colour, Date, DocumentError, Instant, Integer, Json, Logo, Money, Text, TextList, Time, Uuid,
    check_window,
)
from planner.domain.plans import is_valid_slug
from planner.domain.recurrence import MAX_EXDATES, RecurrenceError, parse_rule
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, DecisionKind, DecisionStatus,
    Intensity, Level, MomentEdge, MomentKind, ObservationKind, OffsetUnit, OrganisationKind, PhaseKey, PlanStatus,
    Reach, SchoolRegion,
)
from planner.models import (
    Activity, Audience, Channel, ChecklistItem, ContactPerson, Decision, Embargo, KeyMessage,
    MessageTranslation, MessageVersion, Moment, Observation, Organisation, Partner, Phase, Plan, PlanSnapshot,
)

FORMAT = "planner.plan"
FORMAT_VERSION = 1
MAX_ROWS = 20_000
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

STAMPS = {"created_at": Instant(), "updated_at": Instant()}
IDENTITY = {"uuid": Uuid(), **STAMPS}
LINK = {"source_uuid": Uuid().optional(), "source_accepted_at": Instant().optional(), "overridden": Boolean()}

# Plain columns per model, in document order; references are handled explicitly below.
FIELDS: dict[type, dict[str, Any]] = {
    Organisation: {**IDENTITY, "name": Text(200, True), "kind": Choice(OrganisationKind),
                   "school_region": Choice(SchoolRegion).optional(), "primary_colour": Colour(),
                   "font": Text(60, True), "logo": Logo().optional()},
    Plan: {**IDENTITY, "slug": Text(120, True), "title": Text(200, True), "theme": Text(200),
           "starts_on": Date(), "ends_on": Date(), "status": Choice(PlanStatus), "phase": Choice(PhaseKey),
           "introduction": Text(), "goal": Text(), "strategy": Text(), "budget": Money().optional(),
           "checklist_template": Text(80), "evaluation": Text(), "summary": Text(),
           "contact_name": Text(200), "contact_phone": Text(40), "contact_email": Text(254)},
    Partner: {**IDENTITY, "role": Text()},
    ContactPerson: {**IDENTITY, "name": Text(200, True), "function": Text(200), "email": Text(254),
                    "phone": Text(40)},
    Audience: {**IDENTITY, "name": Text(200, True), "category": Choice(AudienceCategory), "description": Text(),
               "interest": Integer(1, 5).optional(), "influence": Integer(1, 5).optional(),
               "intensity": Choice(Intensity), "languages": TextList(), "in_education": Boolean(), **LINK},
    KeyMessage: {**IDENTITY, "title": Text(200, True), "body": Text(required=True), "version": Integer(1), **LINK},
    MessageVersion: {"version": Integer(1), "title": Text(200, True), "body": Text(required=True),
                     "replaced_at": Instant()},
    MessageTranslation: {**STAMPS, "language": Text(16, True), "body": Text(required=True)},
    Channel: {**IDENTITY, "name": Text(200, True), "kind": Choice(ChannelKind), "lead_time_days": Integer(0, 365),
              "cost": Money().optional(), "notes": Text(), **LINK},
    Moment: {**IDENTITY, "name": Text(200, True), "kind": Choice(MomentKind), "starts_on": Date(),
             "ends_on": Date().optional(), "description": Text(), "observance_key": Text(80)},
    Embargo: {**IDENTITY, "not_before": Date().optional(), "not_after": Date().optional(), "reason": Text()},
    Activity: {**IDENTITY, "title": Text(200, True), "description": Text(), "notes": Text(),
               "starts_on": Date(), "ends_on": Date().optional(), "start_time": Time().optional(),
               "end_time": Time().optional(), "reach": Choice(Reach), "level": Choice(Level),
               "status": Choice(ActivityStatus), "owner_name": Text(200),
               "anchor_offset": Integer(-3650, 3650), "anchor_unit": Choice(OffsetUnit),
               "anchor_edge": Choice(MomentEdge), "recurrence": Text(200), "exdates": TextList(MAX_EXDATES, 10),
               **LINK},
    Decision: {**IDENTITY, "title": Text(200, True), "kind": Choice(DecisionKind), "decided_on": Date(),
               "participants": Text(500), "status": Choice(DecisionStatus), "outcome": Text()},
    Observation: {**IDENTITY, "observed_on": Date(), "kind": Choice(ObservationKind), "text": Text(required=True),
                  "count": Integer(0).optional()},
    Phase: {**STAMPS, "key": Choice(PhaseKey), "name": Text(200, True), "goal": Text(), "result": Text()},
    ChecklistItem: {**IDENTITY, "title": Text(500, True), "status": Choice(ChecklistStatus),
                    "owner_name": Text(200), "due_on": Date().optional(), "completed_on": Date().optional(),
                    "note": Text(),
                    "due_offset": Integer(-3650, 3650), "due_unit": Choice(OffsetUnit)},
    PlanSnapshot: {"created_at": Instant(), "status": Choice(PlanStatus), "phase": Choice(PhaseKey),
                   "by": Text(200), "note": Text(), "document": Json()},
}

# Fields added within format version 1: documents exported before them still import.
ADDED_FIELDS = {Plan: {"summary", "contact_name", "contact_phone", "contact_email"}, ChecklistItem: {"completed_on"}}


def _encode(obj, **refs) -> dict[str, Any]:
    data = {name: codec.encode(getattr(obj, name)) for name, codec in FIELDS[type(obj)].items()}
    data.update(refs)
    return data


def _uuid(obj) -> str | None:
    return None if obj is None else str(obj.uuid)


def _ordered(rows, *attributes):
    """Sort rows by content, then UUID, so the document never depends on session or database order."""
    def key(row):
        values = []
        for name in attributes:
            value = getattr(row, name)
            values.append((value is not None, value if value is not None else 0))
        return (*values, str(getattr(row, "uuid", "")))
    return sorted(rows, key=key)


def export_plan(plan: Plan, snapshots: bool = True) -> dict[str, Any]:
    """Return the whole plan as a JSON-ready document that refers to rows by UUID.

    A snapshot itself is made without the earlier snapshots (`snapshots=False`): otherwise every snapshot
    would carry all the ones before it, and they would grow with every gate."""
    organisations = {plan.owner.id: plan.owner}
    for partner in plan.partners:
        organisations[partner.organisation.id] = partner.organisation
    for organisation in list(organisations.values()):
        if organisation.region is not None:
            organisations.setdefault(organisation.region.id, organisation.region)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "organisations": [
            _encode(o, region=_uuid(o.region)) for o in sorted(organisations.values(), key=lambda o: o.name)
        ],
        "plan": _encode(plan, owner=_uuid(plan.owner), parent=_uuid(plan.parent), predecessor=_uuid(plan.predecessor)),
        "partners": [
            _encode(p, organisation=_uuid(p.organisation), contacts=[_encode(c) for c in _ordered(p.contacts, "name")])
            for p in _ordered(plan.partners, "created_at")
        ],
        "audiences": [
            _encode(a, intermediaries=[_uuid(p) for p in _ordered(a.intermediaries, "created_at")])
            for a in _ordered(plan.audiences, "name")
        ],
        "messages": [
            _encode(m, audience=_uuid(m.audience), history=[_encode(v) for v in _ordered(m.history, "version")],
                    translations=[_encode(t) for t in _ordered(m.translations, "language")])
            for m in _ordered(plan.messages, "created_at")
        ],
        "channels": [_encode(c) for c in _ordered(plan.channels, "name")],
        "moments": [_encode(m) for m in _ordered(plan.moments, "starts_on", "name")],
        "embargoes": [
            _encode(e, audience=_uuid(e.audience), not_before_moment=_uuid(e.not_before_moment),
                    not_after_moment=_uuid(e.not_after_moment))
            for e in _ordered(plan.embargoes, "created_at")
        ],
        "activities": [
            _encode(a, channel=_uuid(a.channel), sender=_uuid(a.sender), message=_uuid(a.message),
                    anchor_moment=_uuid(a.anchor_moment), audiences=[_uuid(x) for x in _ordered(a.audiences, "name")])
            for a in _ordered(plan.activities, "starts_on", "start_time", "title")
        ],
        "decisions": [_encode(d) for d in _ordered(plan.decisions, "decided_on", "title")],
        "observations": [_encode(o, activity=_uuid(o.activity)) for o in _ordered(plan.observations, "observed_on")],
        "phases": [_encode(p, items=[_encode(i, due_moment=_uuid(i.due_moment)) for i in p.items])
                   for p in plan.phases],
        **({"snapshots": [_encode(s) for s in _ordered(plan.snapshots, "created_at")]} if snapshots else {}),
    }


def dumps(document: dict[str, Any]) -> str:
    """Serialize a document the same way every time."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def import_plan(session: Session, document: Any) -> Plan:
    """Create the plan described by `document`.

    On DocumentError the session holds a partial import: the caller rolls back.
    """
    _refuse_lone_surrogates(document, "document")
    with session.no_autoflush:
        plan = _Importer(session).run(document)
    session.flush()
    return plan


def _refuse_lone_surrogates(value: Any, path: str) -> None:
    """JSON's \\ud800 escapes decode to half characters that no database or document can store."""
    if isinstance(value, str):
        match = LONE_SURROGATE.search(value)
        if match:
            raise DocumentError(f"{path}: contains a lone surrogate (\\u{ord(match[0]):04x}), "
                                "half of a character that cannot be stored")
    elif isinstance(value, dict):
        for key, item in value.items():
            where = LONE_SURROGATE.sub("?", key) if path == "document" else f"{path}.{LONE_SURROGATE.sub('?', key)}"
            _refuse_lone_surrogates(key, f"{where} (the name)")
            _refuse_lone_surrogates(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_lone_surrogates(item, f"{path}[{index}]")


def _check_period(first, last, error: str) -> None:
    """Refuse a period that ends before it starts (the database would refuse it with a CHECK constraint)."""
    if first is not None and last is not None and last < first:
        raise DocumentError(error)


def _check_recurrence(activity: Activity, path: str) -> None:
    if activity.recurrence:
        try:
            rule = parse_rule(activity.recurrence, activity.starts_on)
        except RecurrenceError as exc:
            raise DocumentError(f"{path}.recurrence: {exc}") from None
        if rule._until is not None:
            check_window(rule._until, f"{path}.recurrence UNTIL")
    for i, value in enumerate(activity.exdates):
        Date().decode(value, f"{path}.exdates[{i}]")


class _Importer:
    def __init__(self, session: Session):
        self.session = session
        self.seen_uuids: set = set()

    def run(self, document: Any) -> Plan:
        doc = self.mapping(document, "document")
        if doc.get("format") != FORMAT:
            raise DocumentError(f"document: format must be {FORMAT!r}")
        if doc.get("format_version") != FORMAT_VERSION:
            raise DocumentError(f"document: format_version {doc.get('format_version')!r} is not supported "
                                f"(this planner reads version {FORMAT_VERSION})")
        organisations = self.organisations(self.rows(doc, "organisations"))
        plan_data = self.mapping(doc.get("plan"), "plan")
        plan = self.build(Plan, plan_data, "plan", owner=self.ref(organisations, plan_data, "owner", "plan"))
        if not is_valid_slug(plan.slug):
            raise DocumentError(f"plan.slug: {plan.slug!r} is not a slug such as week-tegen-kindermishandeling-2027 "
                                f"(lower-case letters and digits joined by hyphens)")
        if plan.ends_on < plan.starts_on:
            raise DocumentError("plan.ends_on: lies before starts_on")
        if self.session.scalar(sa.select(Plan.id).where(Plan.slug == plan.slug)):
            raise DocumentError(f"plan.slug: a plan {plan.slug!r} already exists")
        for relation in ("parent", "predecessor"):
            linked = Uuid().optional().decode(plan_data.get(relation), f"plan.{relation}")
            if linked:  # kept when that plan exists in this database
                setattr(plan, relation, self.session.scalar(sa.select(Plan).where(Plan.uuid == linked)))
        self.session.add(plan)

        partners = {}
        for path, data in self.rows(doc, "partners"):
            partner = self.build(Partner, data, path, plan=plan,
                                 organisation=self.ref(organisations, data, "organisation", path))
            partner.contacts = [self.build(ContactPerson, c, p) for p, c in self.rows(data, "contacts", path)]
            partners[partner.uuid] = partner
        audiences = {}
        for path, data in self.rows(doc, "audiences"):
            audience = self.build(Audience, data, path, plan=plan)
            audience.intermediaries = self.refs(partners, data, "intermediaries", path)
            audiences[audience.uuid] = audience
        messages = {}
        for path, data in self.rows(doc, "messages"):
            message = self.build(KeyMessage, data, path, plan=plan, audience=self.ref(audiences, data, "audience", path))
            message.history = [self.build(MessageVersion, v, p) for p, v in self.rows(data, "history", path)]
            message.translations = [self.build(MessageTranslation, t, p) for p, t in self.rows(data, "translations", path)]
            messages[message.uuid] = message
        channels = {c.uuid: c for c in (self.build(Channel, d, p, plan=plan) for p, d in self.rows(doc, "channels"))}
        moments = {}
        for path, data in self.rows(doc, "moments"):
            moment = self.build(Moment, data, path, plan=plan)
            _check_period(moment.starts_on, moment.ends_on, f"{path}.ends_on: lies before starts_on")
            moments[moment.uuid] = moment
        for path, data in self.rows(doc, "embargoes"):
            embargo = self.build(Embargo, data, path, plan=plan, audience=self.ref(audiences, data, "audience", path),
                                 not_before_moment=self.ref(moments, data, "not_before_moment", path, optional=True),
                                 not_after_moment=self.ref(moments, data, "not_after_moment", path, optional=True))
            if embargo.first_allowed is None and embargo.last_allowed is None:
                raise DocumentError(f"{path}: has no bound (not_before, not_after or one of their moments)")
            _check_period(embargo.not_before, embargo.not_after, f"{path}.not_after: lies before not_before")
        activities = {}
        for path, data in self.rows(doc, "activities"):
            activity = self.build(
                Activity, data, path, plan=plan,
                channel=self.ref(channels, data, "channel", path, optional=True),
                sender=self.ref(partners, data, "sender", path, optional=True),
                message=self.ref(messages, data, "message", path, optional=True),
                anchor_moment=self.ref(moments, data, "anchor_moment", path, optional=True),
            )
            _check_period(activity.starts_on, activity.ends_on, f"{path}.ends_on: lies before starts_on")
            _check_recurrence(activity, path)
            activity.audiences = self.refs(audiences, data, "audiences", path)
            activities[activity.uuid] = activity
        for path, data in self.rows(doc, "decisions"):
            self.build(Decision, data, path, plan=plan)
        for path, data in self.rows(doc, "observations"):
            self.build(Observation, data, path, plan=plan,
                       activity=self.ref(activities, data, "activity", path, optional=True))
        for position, (path, data) in enumerate(self.rows(doc, "phases")):
            phase = self.build(Phase, data, path, plan=plan, position=position)
            phase.items = [self.build(ChecklistItem, d, p, position=i,
                                      due_moment=self.ref(moments, d, "due_moment", p, optional=True))
                           for i, (p, d) in enumerate(self.rows(data, "items", path))]
        for path, data in self.rows(doc, "snapshots"):
            self.build(PlanSnapshot, data, path, plan=plan)
        return plan

    def organisations(self, rows) -> dict:
        found, regions = {}, []
        for path, data in rows:
            values = self.values(Organisation, data, path)
            existing = self.session.scalar(sa.select(Organisation).where(
                sa.or_(Organisation.uuid == values["uuid"], sa.func.lower(Organisation.name) == values["name"].lower())
            ))
            organisation = existing or Organisation(**values)
            if existing is None:
                self.session.add(organisation)
            found[values["uuid"]] = organisation
            regions.append((organisation, data, path))
        for organisation, data, path in regions:
            region = self.ref(found, data, "region", path, optional=True)
            if organisation.region is None and region is not None:
                organisation.region = region
        return found

    def values(self, model, data, path) -> dict:
        values = {}
        for name, codec in FIELDS[model].items():
            if name not in data:
                if name in ADDED_FIELDS.get(model, ()):
                    continue
                raise DocumentError(f"{path}.{name}: missing")
            values[name] = codec.decode(data[name], f"{path}.{name}")
        if "uuid" in values:
            if values["uuid"] in self.seen_uuids:
                raise DocumentError(f"{path}.uuid: used twice in the document")
            self.seen_uuids.add(values["uuid"])
            if model is not Organisation and self.session.scalar(sa.select(model.id).where(model.uuid == values["uuid"])):
                raise DocumentError(f"{path}.uuid: already exists in this database")
        return values

    def build(self, model, data, path, **refs):
        obj = model(**self.values(model, data, path), **refs)
        self.session.add(obj)
        return obj

    def mapping(self, value, path) -> dict:
        if not isinstance(value, dict):
            raise DocumentError(f"{path}: expected an object")
        return value

    def rows(self, container: dict, key: str, path: str | None = None):
        where = f"{path}.{key}" if path else key
        value = container.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_ROWS:
            raise DocumentError(f"{where}: expected a list of at most {MAX_ROWS} entries")
        return [(f"{where}[{i}]", self.mapping(item, f"{where}[{i}]")) for i, item in enumerate(value)]

    def ref(self, known: dict, data: dict, key: str, path: str, optional: bool = False):
        codec = Uuid().optional() if optional else Uuid()
        value = codec.decode(data.get(key), f"{path}.{key}")
        if value is None:
            return None
        if value not in known:
            raise DocumentError(f"{path}.{key}: refers to {value}, which the document does not define")
        return known[value]

    def refs(self, known: dict, data: dict, key: str, path: str) -> list:
        values = data.get(key, [])
        if not isinstance(values, list):
            raise DocumentError(f"{path}.{key}: expected a list")
        wrapped = {f"{key}[{i}]": v for i, v in enumerate(values)}
        result = [self.ref(known, wrapped, k, path) for k in wrapped]
        if len({id(x) for x in result}) != len(result):
            raise DocumentError(f"{path}.{key}: lists the same entry twice")
        return result
