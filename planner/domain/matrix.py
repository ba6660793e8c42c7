"""The audience x core message x channel matrix: which audience has no message or no channel yet."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from planner.enums import ActivityStatus
from planner.models import Activity, Audience, Channel, KeyMessage, Plan, activity_audiences


@dataclass(frozen=True)
class MatrixRow:
    audience: Audience
    messages: list[KeyMessage]
    channels: list[Channel]
    activities: int

    @property
    def complete(self) -> bool:
        return bool(self.messages and self.channels)


def _reach_in_memory(plan: Plan) -> tuple[dict, dict]:
    counts: dict[Audience, int] = {}
    channels: dict[Audience, set[Channel]] = {}
    for activity in plan.activities:
        if activity.status == ActivityStatus.CANCELLED:
            continue
        for audience in activity.audiences:
            counts[audience] = counts.get(audience, 0) + 1
            if activity.channel is not None:
                channels.setdefault(audience, set()).add(activity.channel)
    return counts, channels


def _reach_in_database(session: Session, plan: Plan) -> tuple[dict, dict]:
    """The same as `_reach_in_memory`, counted by the database: one statement, no activity loaded."""
    audiences, by_id = {a.id: a for a in plan.audiences}, {c.id: c for c in plan.channels}
    counts: dict[Audience, int] = {}
    channels: dict[Audience, set[Channel]] = {}
    rows = session.execute(
        sa.select(activity_audiences.c.audience_id, Activity.channel_id, sa.func.count())
        .join(Activity, Activity.id == activity_audiences.c.activity_id)
        .where(Activity.plan_id == plan.id, Activity.status != ActivityStatus.CANCELLED)
        .group_by(activity_audiences.c.audience_id, Activity.channel_id))
    for audience_id, channel_id, number in rows:
        audience = audiences.get(audience_id)
        if audience is None:
            continue
        counts[audience] = counts.get(audience, 0) + number
        if channel_id is not None and channel_id in by_id:
            channels.setdefault(audience, set()).add(by_id[channel_id])
    return counts, channels


def audience_matrix(plan: Plan) -> list[MatrixRow]:
    """One row per audience: its messages, the channels its activities use, and how many activities reach it
    (cancelled ones not counted). A stored plan is counted by the database, without loading its activities."""
    session = object_session(plan)
    counts, channels = (_reach_in_database(session, plan) if session is not None and plan.id is not None
                        else _reach_in_memory(plan))
    messages: dict[Audience, list[KeyMessage]] = {}
    for message in plan.messages:
        messages.setdefault(message.audience, []).append(message)
    return [
        MatrixRow(audience, sorted(messages.get(audience, []), key=lambda m: m.title.lower()),
                  sorted(channels.get(audience, ()), key=lambda c: c.name.lower()), counts.get(audience, 0))
        for audience in sorted(plan.audiences, key=lambda a: a.name.lower())
    ]
