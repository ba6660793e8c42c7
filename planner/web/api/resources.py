"""Rows as the API shows them: plain dicts with snake_case keys, which the schemas dump as camelCase."""

from __future__ import annotations

import datetime as dt

from flask import url_for

from planner.clock import AMSTERDAM
from planner.domain.recurrence import RecurrenceError, activity_dates, parse_rule
from planner.domain.workdays import add_working_days

FREQUENCY_NAMES = {0: "YEARLY", 1: "MONTHLY", 2: "WEEKLY", 3: "DAILY"}


def organisation_ref(organisation) -> dict:
    return {"id": organisation.uuid, "name": organisation.name}


def plan(row, links: bool = True) -> dict:
    base = {"plan_id": row.uuid, "_external": True}
    return {
        "id": row.uuid, "slug": row.slug, "title": row.title, "theme": row.theme,
        "owner": organisation_ref(row.owner), "start_date": row.starts_on, "end_date": row.ends_on,
        "status": row.status.value, "phase": row.phase.value, "introduction": row.introduction, "goal": row.goal,
        "strategy": row.strategy, "budget": row.budget, "parent_id": row.parent.uuid if row.parent_id else None,
        "web_url": url_for("plans.overview", slug=row.slug, _external=True),
        "created_at": row.created_at, "updated_at": row.updated_at,
        "links": {
            "self": {"href": url_for("api.plan", **base)},
            **{name: {"href": url_for(f"api.{endpoint}", **base)} for name, endpoint in (
                ("partners", "partners"), ("audiences", "audiences"), ("messages", "messages"),
                ("channels", "channels"), ("moments", "moments"), ("embargoes", "embargoes"),
                ("activities", "activities"), ("checklistItems", "checklist_items"), ("decisions", "decisions"),
                ("findings", "findings"))},
        } if links else {},
    }


def partner(row) -> dict:
    return {"id": row.uuid, "organisation": organisation_ref(row.organisation), "role": row.role,
            "contacts": [{"id": c.uuid, "name": c.name, "function": c.function, "email": c.email, "phone": c.phone}
                         for c in row.contacts]}


def audience(row) -> dict:
    return {"id": row.uuid, "name": row.name, "category": row.category.value, "description": row.description,
            "interest": row.interest, "influence": row.influence, "intensity": row.intensity.value,
            "languages": list(row.languages or []), "in_education": row.in_education,
            "intermediary_ids": [p.uuid for p in row.intermediaries], "updated_at": row.updated_at}


def message(row, audience_uuids: dict[int, object]) -> dict:
    return {"id": row.uuid, "audience_id": audience_uuids[row.audience_id], "title": row.title, "body": row.body,
            "revision": row.version,
            "translations": [{"language": t.language, "body": t.body} for t in row.translations]}


def channel(row) -> dict:
    return {"id": row.uuid, "name": row.name, "kind": row.kind.value, "lead_time_days": row.lead_time_days,
            "cost": row.cost, "notes": row.notes}


def moment(row) -> dict:
    return {"id": row.uuid, "name": row.name, "kind": row.kind.value, "start_date": row.starts_on,
            "end_date": row.ends_on, "description": row.description, "observance_key": row.observance_key,
            "updated_at": row.updated_at}


def embargo(row, uuids: dict) -> dict:
    return {"id": row.uuid, "audience_id": uuids["audiences"][row.audience_id], "not_before": row.not_before,
            "not_after": row.not_after,
            "not_before_moment_id": uuids["moments"].get(row.not_before_moment_id),
            "not_after_moment_id": uuids["moments"].get(row.not_after_moment_id),
            "first_allowed_date": row.first_allowed, "last_allowed_date": row.last_allowed, "reason": row.reason}


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _instant(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=AMSTERDAM)


def recurrence(row) -> dict | None:
    if not row.recurrence:
        return None
    try:
        rule = parse_rule(row.recurrence, row.starts_on)
    except RecurrenceError:
        return {"frequency": "DAILY", "interval": 1, "until": None, "count": None, "rule": row.recurrence}
    return {"frequency": FREQUENCY_NAMES.get(rule._freq, "DAILY"), "interval": rule._interval,
            "until": rule._until.date() if rule._until else None, "count": rule._count, "rule": row.recurrence}


def activity(row, plan_row, uuids: dict) -> dict:
    """An activity with its computed dates: its repetitions up to the plan's end and its production start."""
    try:
        dates = activity_dates(row, max(plan_row.ends_on, row.starts_on))
    except RecurrenceError:
        dates = [row.starts_on]
    channel_row = uuids["channel_rows"].get(row.channel_id)
    lead = channel_row.lead_time_days if channel_row is not None else 0
    end_day = row.ends_on or row.starts_on
    return {
        "id": row.uuid, "title": row.title, "description": row.description, "notes": row.notes,
        "start_date": row.starts_on, "end_date": row.ends_on,
        "start_time": _time(row.start_time), "end_time": _time(row.end_time),
        "starts_at": _instant(row.starts_on, row.start_time), "ends_at": _instant(end_day, row.end_time),
        "channel_id": uuids["channels"].get(row.channel_id), "sender_id": uuids["partners"].get(row.sender_id),
        "message_id": uuids["messages"].get(row.message_id), "audience_ids": [a.uuid for a in row.audiences],
        "reach": row.reach.value, "level": row.level.value, "status": row.status.value,
        "owner_name": row.owner_name,
        "anchor": {"moment_id": uuids["moments"].get(row.anchor_moment_id), "offset": row.anchor_offset,
                   "unit": row.anchor_unit.value, "edge": row.anchor_edge.value}
        if row.anchor_moment_id is not None else None,
        "recurrence": recurrence(row), "except_dates": [dt.date.fromisoformat(d) for d in row.exdates or []],
        "dates": dates, "production_start_date": add_working_days(row.starts_on, -lead) if lead else None,
        "updated_at": row.updated_at,
    }


def checklist_item(row, phase_row) -> dict:
    return {"id": row.uuid, "phase": phase_row.key.value, "position": row.position, "title": row.title,
            "status": row.status.value, "owner_name": row.owner_name, "due_date": row.due_on, "note": row.note,
            "updated_at": row.updated_at}


def decision(row) -> dict:
    return {"id": row.uuid, "title": row.title, "kind": row.kind.value, "date": row.decided_on,
            "participants": row.participants, "status": row.status.value, "outcome": row.outcome}


def finding(row, text: str) -> dict:
    return {"severity": row.severity.value, "code": row.code, "message": text, "date": row.day,
            "activity_id": row.activity_uuid}


def uuid_maps(plan_row) -> dict:
    """Row ids to public ids for what activities and embargoes refer to (the plan's contents are loaded)."""
    return {
        "audiences": {a.id: a.uuid for a in plan_row.audiences},
        "channels": {c.id: c.uuid for c in plan_row.channels},
        "channel_rows": {c.id: c for c in plan_row.channels},
        "partners": {p.id: p.uuid for p in plan_row.partners},
        "messages": {m.id: m.uuid for m in plan_row.messages},
        "moments": {m.id: m.uuid for m in plan_row.moments},
    }
