"""What a reminder e-mail says and when it is due; sending lives in planner.outbox.

A user's digest lists what they own (the owner field of activities and checklist items holds
their name or e-mail address): publications in the next seven days, production starts that are
due, and checklist items whose date has come. Coordinators get a weekly summary of every plan
they follow. Times are wall-clock times in Europe/Amsterdam, so a digest at 07:30 stays at 07:30
when the clocks change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session, joinedload

from planner.clock import AMSTERDAM
from planner.domain.access import visible_plans_filter
from planner.domain.overview import PlanSummary, overview
from planner.domain.recurrence import RecurrenceError, activity_dates
from planner.domain.school_holidays import all_holidays
from planner.domain.workdays import add_working_days, is_working_day
from planner.enums import ActivityStatus, ChecklistStatus, DigestMode, PlanStatus, ReminderKind, Role
from planner.models import Activity, ChecklistItem, Phase, Plan, User

HORIZON_DAYS = 7
LOOKBACK_DAYS = 14  # how far back the latest scheduled occurrence is looked for
UNSUBSCRIBE_SALT = "planner.reminders.unsubscribe"
OPEN_ITEMS = (ChecklistStatus.OPEN, ChecklistStatus.IN_PROGRESS)


# When a reminder is due

def latest_occurrence(user: User, kind: ReminderKind, now: dt.datetime) -> dt.date | None:
    """The date of the latest run of `kind` for `user` at or before `now`, or None.

    Runs missed while the scheduler was down collapse into this one date: it is sent once, late,
    and the runs before it are not sent at all (their content is in it).
    """
    if user.digest_mode == DigestMode.OFF or not user.active or kind == ReminderKind.PASSWORD_RESET:
        return None  # a reset link is queued by its request, never by the schedule
    if kind == ReminderKind.COORDINATOR_SUMMARY and user.role != Role.COORDINATOR:
        return None
    weekly = kind == ReminderKind.COORDINATOR_SUMMARY or user.digest_mode == DigestMode.WEEKLY
    local_today = now.astimezone(AMSTERDAM).date()
    for back in range(LOOKBACK_DAYS + 1):
        day = local_today - dt.timedelta(days=back)
        if (day.weekday() != 0) if weekly else not is_working_day(day):
            continue
        if scheduled_at(user, day) <= now:
            return day
    return None


def scheduled_at(user: User, day: dt.date) -> dt.datetime:
    """The instant of the user's chosen time on `day` in the Netherlands (a time skipped by the spring change
    counts as the hour after it)."""
    return dt.datetime.combine(day, user.digest_time, tzinfo=AMSTERDAM).astimezone(dt.timezone.utc)


def due_keys(user: User, now: dt.datetime) -> list[tuple[ReminderKind, dt.date]]:
    keys = []
    for kind in ReminderKind:
        day = latest_occurrence(user, kind, now)
        if day is not None:
            keys.append((kind, day))
    return keys


# What a reminder says

@dataclass(frozen=True)
class Line:
    ref: str          # stable identity of the line, kept with the sent reminder
    plan: Plan
    title: str
    day: dt.date      # the date the line is about (publication, production start, due date)
    late: bool = False
    detail: str = ""
    activity_id: int | None = None
    checklist_item_id: int | None = None
    publication: dt.date | None = None


@dataclass
class Digest:
    user: User
    on_date: dt.date
    publications: list[Line] = field(default_factory=list)
    productions: list[Line] = field(default_factory=list)
    checklist: list[Line] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.publications or self.productions or self.checklist)

    @property
    def refs(self) -> list[str]:
        return [line.ref for line in self.publications + self.productions + self.checklist]

    @property
    def horizon(self) -> dt.date:
        return self.on_date + dt.timedelta(days=HORIZON_DAYS - 1)


@dataclass
class CoordinatorSummary:
    user: User
    on_date: dt.date
    plans: list[PlanSummary]

    @property
    def empty(self) -> bool:
        return not self.plans

    @property
    def refs(self) -> list[str]:
        return [f"plan:{s.plan.uuid}" for s in self.plans]


def owner_condition(column, user: User):
    """The owner field names the user: their name or e-mail address, ignoring case and spaces around."""
    names = sorted({value.strip().lower() for value in (user.name, user.email) if value and value.strip()})
    return sa.func.lower(sa.func.trim(column)).in_(names)


def _active_plans(user: User):
    return sa.and_(visible_plans_filter(user), Plan.status != PlanStatus.COMPLETED)


def compose_digest(session: Session, user: User, on_date: dt.date) -> Digest:
    digest = Digest(user, on_date)
    horizon = digest.horizon
    activities = session.scalars(
        sa.select(Activity).join(Activity.plan)
        .where(_active_plans(user), owner_condition(Activity.owner_name, user),
               Activity.status.not_in([ActivityStatus.DONE, ActivityStatus.CANCELLED]))
        .options(joinedload(Activity.plan), joinedload(Activity.channel))  # audiences: with the activities
    ).unique().all()
    for activity in activities:
        lead = activity.channel.lead_time_days if activity.channel is not None else 0
        # production can be due for a publication up to `lead` working days ahead: 2 calendar days each is ample
        window_end = max(horizon, on_date + dt.timedelta(days=2 * lead + 7))
        try:
            dates = activity_dates(activity, window_end)
        except RecurrenceError:
            dates = [activity.starts_on]
        audiences = ", ".join(a.name for a in activity.audiences)
        channel = activity.channel.name if activity.channel is not None else ""
        detail = " · ".join(part for part in (channel, audiences) if part)
        for day in dates:
            if on_date <= day <= horizon:
                digest.publications.append(Line(f"publication:{activity.uuid}:{day}", activity.plan, activity.title,
                                                day, detail=detail, activity_id=activity.id))
            if lead and activity.status == ActivityStatus.PLANNED and day >= on_date:
                start = add_working_days(day, -lead)
                if start <= on_date:
                    digest.productions.append(Line(f"production:{activity.uuid}:{day}", activity.plan, activity.title,
                                                   start, late=start < on_date, detail=channel,
                                                   activity_id=activity.id, publication=day))
    items = session.scalars(
        sa.select(ChecklistItem).join(ChecklistItem.phase).join(Phase.plan)
        .where(_active_plans(user), owner_condition(ChecklistItem.owner_name, user),
               ChecklistItem.status.in_(OPEN_ITEMS), ChecklistItem.due_on <= on_date)
        .options(joinedload(ChecklistItem.phase).joinedload(Phase.plan))
    ).unique().all()
    for item in items:
        digest.checklist.append(Line(f"checklist:{item.uuid}", item.phase.plan, item.title, item.due_on,
                                     late=item.due_on < on_date, detail=item.phase.name, checklist_item_id=item.id))
    order = lambda line: (line.day, line.plan.title.lower(), line.title.lower(), line.ref)  # noqa: E731
    for lines in (digest.publications, digest.productions, digest.checklist):
        lines.sort(key=order)
    return digest


def compose_summary(session: Session, user: User, on_date: dt.date) -> CoordinatorSummary:
    plans = [s for s in overview(session, on_date, school_holidays=all_holidays(session),
                                 visible=visible_plans_filter(user))
             if s.plan.status != PlanStatus.COMPLETED]
    return CoordinatorSummary(user, on_date, plans)


def compose(session: Session, user: User, kind: ReminderKind, on_date: dt.date) -> Digest | CoordinatorSummary:
    if kind == ReminderKind.COORDINATOR_SUMMARY:
        return compose_summary(session, user, on_date)
    return compose_digest(session, user, on_date)


# Unsubscribing without logging in

def unsubscribe_token(secret_key: str, user: User) -> str:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).dumps(str(user.uuid))


def user_for_unsubscribe(session: Session, secret_key: str, token: str) -> User | None:
    try:
        value = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    try:
        user_uuid = uuid.UUID(str(value))
    except ValueError:
        return None
    return session.scalar(sa.select(User).where(User.uuid == user_uuid))
