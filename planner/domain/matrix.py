"""The audience x core message x channel matrix: which audience has no message or no channel yet."""

from __future__ import annotations

from dataclasses import dataclass

from planner.enums import ActivityStatus
from planner.models import Audience, Channel, KeyMessage, Plan


@dataclass(frozen=True)
class MatrixRow:
    audience: Audience
    messages: list[KeyMessage]
    channels: list[Channel]
    activities: int

    @property
    def complete(self) -> bool:
        return bool(self.messages and self.channels)


def audience_matrix(plan: Plan) -> list[MatrixRow]:
    messages: dict[int, list[KeyMessage]] = {}
    for message in plan.messages:
        messages.setdefault(id(message.audience), []).append(message)
    channels: dict[int, dict[int, Channel]] = {}
    counts: dict[int, int] = {}
    for activity in plan.activities:
        if activity.status == ActivityStatus.CANCELLED:
            continue
        for audience in activity.audiences:
            counts[id(audience)] = counts.get(id(audience), 0) + 1
            if activity.channel is not None:
                channels.setdefault(id(audience), {})[id(activity.channel)] = activity.channel
    return [
        MatrixRow(audience, sorted(messages.get(id(audience), []), key=lambda m: m.title.lower()),
                  sorted(channels.get(id(audience), {}).values(), key=lambda c: c.name.lower()),
                  counts.get(id(audience), 0))
        for audience in sorted(plan.audiences, key=lambda a: a.name.lower())
    ]
