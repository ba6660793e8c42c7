"""Copies of a plan's rows: an activity or a channel duplicated within its plan."""

from __future__ import annotations

import sqlalchemy as sa

from planner.enums import ActivityStatus
from planner.i18n import gettext as _
from planner.models import Activity, Channel

# what a copy never takes over: its identity, its version, its place in calendars and its regional link
NOT_COPIED = {"id", "uuid", "created_at", "updated_at", "row_version", "sequence", "source_uuid",
              "source_accepted_at", "overridden"}
TITLE_MAX = 200


def _columns(row) -> dict:
    return {attribute.key: getattr(row, attribute.key) for attribute in sa.inspect(type(row)).column_attrs
            if attribute.key not in NOT_COPIED}


def copy_name(name: str, taken=()) -> str:
    """'Poster (kopie)', or 'Poster (kopie 2)' and on where that is taken; within the column's length."""
    word = _("copy")
    for number in range(1, 1000):
        suffix = f" ({word})" if number == 1 else f" ({word} {number})"
        candidate = name[:TITLE_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise ValueError("no free name for the copy")


def duplicate_activity(activity: Activity, title: str | None = None) -> Activity:
    """A planned copy of `activity` in its plan: same day, channel, audiences, message, anchor and repetition;
    titled `title`, or "… (kopie)"."""
    copy = Activity(**{**_columns(activity), "title": title or copy_name(activity.title),
                       "status": ActivityStatus.PLANNED, "exdates": list(activity.exdates or [])})
    copy.audiences = list(activity.audiences)
    activity.plan.activities.append(copy)
    return copy


def duplicate_channel(channel: Channel) -> Channel:
    """A copy of `channel` in its plan, under a name of its own (names are unique within a plan)."""
    copy = Channel(**{**_columns(channel), "name": copy_name(channel.name, {c.name for c in channel.plan.channels})})
    channel.plan.channels.append(copy)
    return copy
