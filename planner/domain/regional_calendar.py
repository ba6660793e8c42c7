"""The calendar of a region: the activities and moments of all its plans, merged, for a page or a feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from planner.domain import access, calendar
from planner.enums import OrganisationKind, Role
from planner.models import Activity, Audience, Channel, Moment, Organisation, Plan, User


@dataclass(frozen=True)
class RegionFilters:
    """What the regional calendar is narrowed to: a plan owner, and an audience and a channel by name (each plan
    has audiences and channels of its own, so the same name stands for one of each plan)."""

    municipality_id: int | None = None
    audience: str = ""
    channel: str = ""

    @classmethod
    def of(cls, data: dict) -> RegionFilters:
        municipality = data.get("municipality_id")
        return cls(municipality if isinstance(municipality, int) else None,
                   " ".join(str(data.get("audience") or "").split())[:200],
                   " ".join(str(data.get("channel") or "").split())[:200])

    def as_dict(self) -> dict:
        return {k: v for k, v in {"municipality_id": self.municipality_id, "audience": self.audience,
                                  "channel": self.channel}.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_dict())

    @property
    def narrows_activities(self) -> bool:
        """Moments have no audience or channel: a filter on either leaves them out."""
        return bool(self.audience or self.channel)

    def condition(self) -> sa.ColumnElement[bool]:
        """About `accepts` in SQL, for counting what a page will show (SQLite lowers ASCII letters only)."""
        return sa.and_(
            sa.true(),
            *([Activity.channel.has(sa.func.lower(Channel.name) == self.channel.lower())] if self.channel else []),
            *([Activity.audiences.any(sa.func.lower(Audience.name) == self.audience.lower())] if self.audience
              else []))

    def accepts(self, activity: Activity) -> bool:
        if self.channel and (activity.channel is None or activity.channel.name.casefold() != self.channel.casefold()):
            return False
        return not self.audience or any(a.name.casefold() == self.audience.casefold() for a in activity.audiences)


@dataclass(frozen=True)
class RegionEntry:
    """One date of an activity, or one moment, of one of the region's plans."""

    plan: Plan
    starts_on: dt.date
    ends_on: dt.date
    activity: Activity | None = None
    moment: Moment | None = None

    @property
    def sort_key(self) -> tuple:
        time = self.activity.start_time if self.activity is not None else None
        title = self.activity.title if self.activity is not None else self.moment.name
        return self.starts_on, self.moment is None, time or dt.time.min, title, self.plan.title


def regions_for(session: Session, user: User) -> list[Organisation]:
    """The regions whose calendar `user` may open: every region for administrators, else their own."""
    if user.role == Role.ADMINISTRATOR:
        return list(session.scalars(sa.select(Organisation).where(Organisation.kind == OrganisationKind.REGION)
                                    .order_by(Organisation.name)))
    region = access.region_of(user.organisation)
    return [region] if region is not None else []


def reads_whole_region(user: User, region: Organisation) -> bool:
    """Whether `user` may read every plan of the region (its coordinators, administrators): only they get feed links
    of the whole region, and see which municipalities have no plan yet."""
    if user.role == Role.ADMINISTRATOR:
        return True
    own = access.region_of(user.organisation)
    return user.role == Role.COORDINATOR and own is not None and own.id == region.id


def members(session: Session, region: Organisation) -> list[Organisation]:
    """The region and its municipalities: the owners of its plans."""
    return list(session.scalars(sa.select(Organisation).where(
        sa.or_(Organisation.id == region.id, Organisation.region_id == region.id)).order_by(Organisation.name)))


def plan_ids(region_id: int) -> sa.Select:
    """A subquery of the region's plans: owned by the region or by one of its municipalities."""
    owners = sa.select(Organisation.id).where(Organisation.region_id == region_id)
    return sa.select(Plan.id).where(sa.or_(Plan.owner_id == region_id, Plan.owner_id.in_(owners)))


def region_plans(session: Session, region: Organisation, filters: RegionFilters = RegionFilters(),
                 user: User | None = None) -> list[Plan]:
    """The region's plans (those `user` may read, when given), with their owners."""
    query = sa.select(Plan).where(Plan.id.in_(plan_ids(region.id))).options(joinedload(Plan.owner))
    if user is not None:
        query = query.where(access.visible_plans_filter(user))
    if filters.municipality_id is not None:
        query = query.where(Plan.owner_id == filters.municipality_id)
    return list(session.scalars(query.order_by(Plan.title)))


def names(session: Session, plans: list[Plan]) -> tuple[list[str], list[str]]:
    """The audience names and channel names used in `plans`, each once, for the filters."""
    ids = [p.id for p in plans]
    found = []
    for model in (Audience, Channel):
        # one entry per name as the filter matches it: "Ouders" and "ouders" are one audience
        by_key = {n.casefold(): n for n in session.scalars(sa.select(model.name).where(model.plan_id.in_(ids)))}
        found.append(sorted(by_key.values(), key=str.casefold))
    return found[0], found[1]


def window_activities(session: Session, plans: list[Plan], first: dt.date, last: dt.date) -> list[Activity]:
    """The activities of `plans` that can have a date from `first` to `last` (see calendar.window_activities)."""
    last_day = sa.func.coalesce(Activity.ends_on, Activity.starts_on)
    return list(session.scalars(sa.select(Activity).where(
        Activity.plan_id.in_([p.id for p in plans]),
        sa.or_(sa.and_(Activity.starts_on <= last, last_day >= first),
               sa.and_(Activity.recurrence != "", Activity.starts_on <= last)),
    ).options(lazyload(Activity.observations), selectinload(Activity.audiences), joinedload(Activity.channel))
        .order_by(Activity.id)))


def window_moments(session: Session, plans: list[Plan], first: dt.date, last: dt.date) -> list[Moment]:
    return list(session.scalars(sa.select(Moment).where(
        Moment.plan_id.in_([p.id for p in plans]), Moment.starts_on <= last,
        sa.func.coalesce(Moment.ends_on, Moment.starts_on) >= first).order_by(Moment.id)))


def entries(session: Session, plans: list[Plan], filters: RegionFilters, first: dt.date,
            last: dt.date) -> list[RegionEntry]:
    """Every activity date and moment of `plans` from `first` to `last` that passes the filters, in date order."""
    by_id = {p.id: p for p in plans}
    by_plan: dict[int, list[Activity]] = {}
    for activity in window_activities(session, plans, first, last):
        if filters.accepts(activity):
            by_plan.setdefault(activity.plan_id, []).append(activity)
    result = [RegionEntry(by_id[plan_id], e.starts_on, e.ends_on, activity=e.activity)
              for plan_id, activities in by_plan.items()
              for e in calendar.entries(by_id[plan_id], calendar.Filters(), activities, first, last)]
    if not filters.narrows_activities:
        result += [RegionEntry(by_id[m.plan_id], m.starts_on, m.last_day, moment=m)
                   for m in window_moments(session, plans, first, last)]
    return sorted(result, key=lambda e: e.sort_key)
