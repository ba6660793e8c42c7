"""The demo plans, built from `demo/plans.yaml` around the day on which they are loaded.

The plans are data; this module only turns their relative dates into dates. It places the
regional plan's go-live a month or two ahead and the municipal plan on the next edition of
Week tegen Kindermishandeling, so the demo is current on any day: what lies behind is done,
the only error is the deliberate embargo conflict, and the warnings are the ones the data
says it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
import yaml
from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from planner import clock
from planner.domain import observances
from planner.domain.anchoring import apply_anchor
from planner.domain.plans import add_partner, create_plan, find_or_create_organisation, get_plan
from planner.domain.recurrence import activity_dates
from planner.domain.workdays import add_working_days, is_working_day, public_holidays
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, DecisionKind, DecisionStatus, Intensity, Level,
    MomentEdge, MomentKind, ObservationKind, OffsetUnit, OrganisationKind, PhaseKey, PlanStatus, Reach, Role,
    SchoolRegion,
)
from planner.models import (
    Activity, Audience, Channel, Decision, Embargo, KeyMessage, MessageTranslation, Moment, Observation, Plan, User,
)
from planner.resources import data_dir

DEMO_PASSWORD = "demo-wachtwoord-2026"
REGIONAL_SLUG = "introductie-veilig-thuis-regio-arnhem-achterhoek"
MUNICIPAL_SLUG = "week-tegen-kindermishandeling-arnhem"
GO_LIVE_LEAD_DAYS = 28  # the regional go-live is the first of a month at least four weeks ahead
OFFSET = re.compile(r"([+-]\d+)(wd|d|w|m)")
UNITS = {"d": OffsetUnit.DAYS, "wd": OffsetUnit.WORKING_DAYS}
ACTIVITY_KEYS = {"date", "until", "anchor", "title", "channel", "to", "by", "message", "reach", "level", "start_time",
                 "end_time", "recurrence", "notes", "owner", "status"}


@lru_cache(maxsize=1)
def demo_data() -> dict:
    return yaml.safe_load((data_dir("demo") / "plans.yaml").read_text(encoding="utf-8"))


def demo_users() -> list[tuple[str, str, str, str]]:
    """(e-mail, role, organisation, name) of the demo users."""
    return [tuple(row) for row in demo_data()["users"]]


def advisor_name() -> str:
    return next(name for _, role, _, name in demo_users() if role == Role.ADVISOR.value)


def load_demo(session: Session, today: dt.date | None = None) -> list[Plan]:
    """Create the demo plans that do not exist yet, dated around `today`; return the plans created."""
    today = today or clock.today()
    region = find_or_create_organisation(session, "Regio Arnhem-Achterhoek", OrganisationKind.REGION)
    arnhem = find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    arnhem.region = arnhem.region or region
    arnhem.school_region = arnhem.school_region or SchoolRegion.MIDDLE
    owners = {region.name: region, arnhem.name: arnhem}
    catalogue = {d.key: d for d in observances.catalogue(session)}
    created = []
    for spec in demo_data()["plans"]:
        if get_plan(session, spec["slug"]) is None:
            base = _base(catalogue, spec["base"], today)
            created.append(_build_plan(session, spec, owners[spec["owner"]], base, today, catalogue))
    session.flush()
    return created


def load_demo_users(session: Session) -> list[User]:
    """One demo user per role (created once; existing ones are left alone). Returns all demo users."""
    from planner.domain.accounts import create_user

    result = []
    for email, role, organisation_name, name in demo_users():
        user = session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            organisation = find_or_create_organisation(session, organisation_name)
            user = create_user(session, email, organisation, Role(role), DEMO_PASSWORD, name=name)
        result.append(user)
    return result


def reminder_example_day(plan: Plan, today: dt.date) -> dt.date | None:
    """A working day on which the demo advisor's reminder e-mail has something in it (for `planner demo`)."""
    owned = sorted(a.starts_on for a in plan.activities if a.owner_name == advisor_name() and a.starts_on >= today)
    if not owned:
        return None
    return max(add_working_days(owned[0], -3), today if is_working_day(today) else add_working_days(today, 1))


def _base(catalogue: dict, rule: str, today: dt.date) -> dt.date:
    """The day a demo plan is built around: its go-live, or the Monday of the next edition of an observance."""
    if rule == "go-live":
        return (today + dt.timedelta(days=GO_LIVE_LEAD_DAYS - 1) + relativedelta(months=1)).replace(day=1)
    definition = catalogue[rule]
    for year in (today.year, today.year + 1):
        start, end = observances.dates_for(definition, year)
        if end >= today:
            return start
    raise ValueError(f"observance {rule!r} has no edition after {today}")


class _Dates:
    """Turn the data's relative dates ("monday -3w +1d", "campaign.end -2wd") into dates."""

    def __init__(self, base: dt.date, today: dt.date):
        self.refs = {"base": base, "monday": base - dt.timedelta(days=base.weekday()), "today": today}
        self.moments: dict[str, Moment] = {}

    def add_moment(self, key: str, moment: Moment) -> None:
        self.moments[key] = moment
        self.refs[key], self.refs[f"{key}.end"] = moment.starts_on, moment.last_day

    def __call__(self, expression: str, working_day: bool = False) -> dt.date:
        reference, *offsets = str(expression).split()
        day = self.refs[reference]
        for amount, unit in (self._offset(o) for o in offsets):
            if unit == "m":
                day += relativedelta(months=amount)
            elif unit == "wd":
                day = add_working_days(day, amount)
            else:
                day += dt.timedelta(days=amount * (7 if unit == "w" else 1))
        while working_day and not is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def anchor(self, expression: str) -> tuple[Moment, MomentEdge, int, OffsetUnit]:
        """The moment, edge and offset of an anchored date ("week -8wd", "campaign.end -2wd")."""
        reference, offset = str(expression).split()
        key, _, end = reference.partition(".")
        amount, unit = self._offset(offset)
        return self.moments[key], MomentEdge.END if end else MomentEdge.START, amount, UNITS[unit]

    @staticmethod
    def _offset(text: str) -> tuple[int, str]:
        match = OFFSET.fullmatch(text)
        if match is None:
            raise ValueError(f"demo date offset {text!r} is not like +3w, -2d, +5wd or +1m")
        return int(match.group(1)), match.group(2)


def _build_plan(session: Session, spec: dict, owner, base: dt.date, today: dt.date, catalogue: dict) -> Plan:
    when = _Dates(base, today)
    week = observances.dates_for(catalogue["week-tegen-kindermishandeling"], base.year)
    plan = create_plan(
        session, title=spec["title"].format(year=base.year), owner=owner, starts_on=when(spec["starts"]), ends_on=when(spec["ends"]),
        theme=spec["theme"], budget=Decimal(spec["budget"]), goal=spec["goal"], strategy=spec["strategy"],
        **dict(zip(("contact_name", "contact_phone", "contact_email"), spec.get("contact", ()))),
        introduction=spec["introduction"].format(week=" tot en met ".join(
            format_date(day, "d MMMM y", locale="nl") for day in week)),
    )
    plan.slug = spec["slug"]
    partner = {key: add_partner(session, plan, name, role) for key, (name, role) in spec["partners"].items()}
    audience = {key: Audience(
        name=a["name"], category=AudienceCategory(a["category"]), intensity=Intensity(a["intensity"]),
        interest=a["interest"], influence=a["influence"], languages=a["languages"], description=a["description"],
        in_education=a.get("in_education", False), intermediaries=[partner[p] for p in a.get("intermediaries", [])],
    ) for key, a in spec["audiences"].items()}
    message = {key: KeyMessage(
        audience=audience[key], title=m["title"], body=m["body"],
        translations=[MessageTranslation(language=lang, body=text) for lang, text in m.get("translations", {}).items()],
    ) for key, m in spec["messages"].items()}
    channel = {key: Channel(name=name, kind=ChannelKind(kind), lead_time_days=lead,
                            cost=Decimal(cost) if cost is not None else None)
               for key, (name, kind, lead, cost) in spec["channels"].items()}
    plan.audiences.extend(audience.values())
    plan.messages.extend(message.values())
    plan.channels.extend(channel.values())
    for key, m in spec["moments"].items():
        plan.moments.append(_moment(m, when, catalogue, base.year))
        when.add_moment(key, plan.moments[-1])
    stage = _stage(spec["progress"], when, today)
    plan.status, plan.phase = PlanStatus(stage["status"]), PhaseKey(stage["phase"])
    owner_names = {"advisor": advisor_name()}
    for a in spec["activities"]:
        if set(a) - ACTIVITY_KEYS:  # a typo, or an unquoted comma in the YAML, must not pass unnoticed
            raise ValueError(f"demo activity {a.get('title')!r} has unknown keys {sorted(set(a) - ACTIVITY_KEYS)}")
        activity = Activity(
            title=a["title"], channel=channel[a["channel"]], audiences=[audience[k] for k in a["to"]],
            sender=partner.get(a.get("by")), message=message[a["message"]], reach=Reach(a.get("reach", "external")),
            level=Level(a.get("level", "local")), recurrence=a.get("recurrence", ""), notes=a.get("notes", ""),
            owner_name=owner_names.get(a.get("owner"), ""),
            start_time=dt.time.fromisoformat(a["start_time"]) if "start_time" in a else None,
            end_time=dt.time.fromisoformat(a["end_time"]) if "end_time" in a else None,
        )
        _place(activity, a, when)
        activity.status = ActivityStatus(a["status"]) if "status" in a else _status(activity, plan.ends_on, today)
        plan.activities.append(activity)
    for e in spec.get("embargoes", []):
        plan.embargoes.append(Embargo(audience=audience[e["audience"]], not_before=when(e["not_before"]),
                                      reason=e["reason"]))
    for d in spec["decisions"]:
        day = when(d["date"], working_day=True)
        plan.decisions.append(Decision(
            title=d["title"], kind=DecisionKind(d["kind"]), decided_on=day, participants=d["participants"],
            status=DecisionStatus.DONE if day < today else DecisionStatus.PLANNED,
            outcome=d.get("outcome", "") if day < today else ""))
    by_title = {a.title: a for a in plan.activities}
    for o in spec.get("observations", []):
        day = when(o["date"])
        if day <= today:
            plan.observations.append(Observation(observed_on=day, kind=ObservationKind(o["kind"]), text=o["text"],
                                                 count=o.get("count"), activity=by_title.get(o.get("activity"))))
    _mark_checklist(plan, spec["progress"], stage, owner_names.get(spec["checklist_owner"], spec["checklist_owner"]),
                    when, today)
    session.flush()
    return plan


def _moment(m: dict, when: _Dates, catalogue: dict, year: int) -> Moment:
    if "observance" in m:
        starts_on, ends_on = observances.dates_for(catalogue[m["observance"]], year)
    else:
        starts_on = when(m["starts"], working_day=m.get("working_day", False))
        ends_on = when(m["ends"]) if "ends" in m else None
    return Moment(name=m["name"], kind=MomentKind(m["kind"]), starts_on=starts_on,
                  ends_on=ends_on if ends_on != starts_on else None, observance_key=m.get("observance", ""))


def _place(activity: Activity, a: dict, when: _Dates) -> None:
    """Give the activity its dates: hung on a moment, or on a working day; repetitions skip public holidays."""
    if a.get("anchor"):
        moment, edge, offset, unit = when.anchor(a["date"])
        activity.anchor_moment, activity.anchor_edge, activity.anchor_offset, activity.anchor_unit = \
            moment, edge, offset, unit
        activity.starts_on = when(a["date"])
        activity.ends_on = when(a["until"]) if "until" in a else None
        apply_anchor(activity)
    else:
        activity.starts_on = when(a["date"], working_day=True)
        activity.ends_on = activity.starts_on + (when(a["until"]) - when(a["date"])) if "until" in a else None
    if activity.recurrence:
        dates = activity_dates(activity, activity.starts_on + dt.timedelta(days=366))
        activity.exdates = [d.isoformat() for d in dates if d in public_holidays(d.year)]


def _status(activity: Activity, plan_end: dt.date, today: dt.date) -> ActivityStatus:
    """What an advisor would have marked by `today`: done behind us, in production once making started."""
    dates = activity_dates(activity, plan_end)
    if dates[-1] + (activity.last_day - activity.starts_on) < today:
        return ActivityStatus.DONE
    if add_working_days(dates[0], -activity.channel.lead_time_days) <= today:
        return ActivityStatus.IN_PRODUCTION
    return ActivityStatus.PLANNED


def _stage(stages: list[dict], when: _Dates, today: dt.date) -> dict:
    """The last stage of the plan's progress whose day has come (the first one before any has)."""
    reached = [s for s in stages if when(s["from"]) <= today]
    return reached[-1] if reached else stages[0]


def _mark_checklist(plan: Plan, stages: list[dict], stage: dict, owner: str, when: _Dates, today: dt.date) -> None:
    """Mark the first items of each phase done, the next one in progress; everyone's items have an owner.

    A done item is dated by the first stage that counts it done, so the burn-up charts show the plan's progress
    as it went."""
    done = {PhaseKey(k): n for k, n in stage["done"].items()}
    for phase in plan.phases:
        for index, item in enumerate(phase.items):
            item.owner_name = owner
            if index < done.get(phase.key, 0):
                item.completed_on = min(today, next(when(s["from"]) for s in stages
                                                    if s["done"].get(phase.key.value, 0) > index))
                item.status = ChecklistStatus.DONE
            elif index == done.get(phase.key, 0) and phase.key in done:
                item.status = ChecklistStatus.IN_PROGRESS
                if "due" in stage and phase.key == PhaseKey(stage["phase"]):
                    item.due_on = when(stage["due"])
