"""The calendar checks: one pass over a plan that warns before mistakes.

Every check is linear in the number of activity dates: embargoes and holidays are looked
up per audience and per date, week load is counted in one dictionary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from planner.domain.recurrence import RecurrenceError, activity_dates
from planner.domain.workdays import add_working_days, public_holidays
from planner.enums import N_, ActivityStatus, Intensity, Severity
from planner.models import Plan

# How often per ISO week an audience may be reached, by the intensity of its approach.
WEEKLY_LIMIT = {Intensity.INFORM: 2, Intensity.CONSULT: 3, Intensity.INVOLVE: 4, Intensity.COLLABORATE: 6}
FINISHED = {ActivityStatus.DONE, ActivityStatus.CANCELLED}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    template: str
    params: dict = field(default_factory=dict)
    day: dt.date | None = None
    activity_uuid: str | None = None

    def text(self, translate: Callable[[str], str] = lambda s: s,
             format_date: Callable[[dt.date], str] = dt.date.isoformat) -> str:
        def show(value):
            if isinstance(value, dt.date):
                return format_date(value)
            return translate(value.label) if hasattr(value, "label") else value

        values = {k: show(v) for k, v in self.params.items()}
        return translate(self.template) % values

    def as_dict(self) -> dict:
        return {"severity": self.severity.value, "code": self.code, "message": self.text(),
                "date": self.day.isoformat() if self.day else None, "activity": self.activity_uuid}


def check_plan(plan: Plan, today: dt.date, school_holidays=()) -> list[Finding]:
    """Return every error and warning for `plan`, sorted by date, errors first within a day."""
    findings: list[Finding] = []
    add = findings.append
    region = plan.owner.school_region if plan.owner is not None else None
    holidays_by_region = defaultdict(list)
    for h in school_holidays:
        holidays_by_region[h.region].append(h)
    embargoes = defaultdict(list)
    for embargo in plan.embargoes:
        embargoes[embargo.audience_id or id(embargo.audience)].append(embargo)
    week_load: Counter = Counter()
    carried_messages = set()

    for activity in plan.activities:
        if activity.status == ActivityStatus.CANCELLED:
            continue
        title, ref = activity.title, str(activity.uuid) if activity.uuid else None
        if activity.message is not None:
            carried_messages.add(id(activity.message))
        try:
            dates = activity_dates(activity, max(plan.ends_on, activity.starts_on))
        except RecurrenceError:
            dates = [activity.starts_on]
        audiences = activity.audiences
        lead = activity.channel.lead_time_days if activity.channel is not None else 0
        for day in dates:
            last_day = day + (activity.last_day - activity.starts_on)
            for audience in audiences:
                key = audience.id or id(audience)
                week_load[(key, day.isocalendar()[:2])] += 1
                for embargo in embargoes.get(key, ()):
                    first, last = embargo.first_allowed, embargo.last_allowed
                    if first is not None and day < first:
                        add(Finding(Severity.ERROR, "embargo", N_(
                            "“%(activity)s” reaches %(audience)s on %(date)s, before the embargo allows "
                            "(not before %(limit)s)."), {"activity": title, "audience": audience.name,
                                                         "date": day, "limit": first}, day, ref))
                    if last is not None and last_day > last:
                        add(Finding(Severity.ERROR, "embargo", N_(
                            "“%(activity)s” reaches %(audience)s on %(date)s, after the embargo allows "
                            "(not after %(limit)s)."), {"activity": title, "audience": audience.name,
                                                        "date": day, "limit": last}, day, ref))
            if activity.status not in FINISHED:
                if last_day < today:
                    add(Finding(Severity.ERROR, "overdue", N_(
                        "“%(activity)s” was planned for %(date)s but is not marked as done."),
                        {"activity": title, "date": day}, day, ref))
                elif lead and activity.status == ActivityStatus.PLANNED:
                    production = add_working_days(day, -lead)
                    if production < today:
                        add(Finding(Severity.WARNING, "production_late", N_(
                            "Production of “%(activity)s” should have started on %(start)s "
                            "(%(days)d working days before %(date)s)."),
                            {"activity": title, "start": production, "days": lead, "date": day}, day, ref))
                    elif production < plan.starts_on:
                        add(Finding(Severity.WARNING, "production_before_plan", N_(
                            "Production of “%(activity)s” starts on %(start)s, before the plan starts."),
                            {"activity": title, "start": production}, day, ref))
            holiday = public_holidays(day.year).get(day)
            if holiday:
                add(Finding(Severity.WARNING, "public_holiday", N_(
                    "“%(activity)s” falls on %(holiday)s (%(date)s)."),
                    {"activity": title, "holiday": holiday, "date": day}, day, ref))
            school = [a for a in audiences if a.in_education]
            if school:
                hit = _school_holiday(day, region, holidays_by_region)
                if hit is not None:
                    add(Finding(Severity.WARNING, "school_holiday", N_(
                        "“%(activity)s” reaches %(audience)s during the %(holiday)s (%(date)s)."),
                        {"activity": title, "audience": ", ".join(a.name for a in school),
                         "holiday": hit.name.lower(), "date": day}, day, ref))
            if day > plan.ends_on:
                add(Finding(Severity.WARNING, "after_plan", N_(
                    "“%(activity)s” takes place on %(date)s, after the plan ends (%(end)s)."),
                    {"activity": title, "date": day, "end": plan.ends_on}, day, ref))

    audiences_by_key = {a.id or id(a): a for a in plan.audiences}
    for (key, (year, week)), count in sorted(week_load.items(), key=lambda item: item[0][1]):
        audience = audiences_by_key.get(key)
        if audience is None:
            continue
        limit = WEEKLY_LIMIT[audience.intensity]
        if count > limit:
            monday = dt.date.fromisocalendar(year, week, 1)
            add(Finding(Severity.WARNING, "week_load", N_(
                "%(audience)s is reached %(count)d times in the week of %(date)s; "
                "the intensity “%(intensity)s” allows %(limit)d."),
                {"audience": audience.name, "count": count, "date": monday, "intensity": audience.intensity,
                 "limit": limit}, monday))

    with_message = {id(m.audience) for m in plan.messages}
    for audience in plan.audiences:
        if id(audience) not in with_message:
            add(Finding(Severity.WARNING, "no_message", N_("%(audience)s has no core message yet."),
                        {"audience": audience.name}))
    for message in plan.messages:
        if id(message) not in carried_messages:
            add(Finding(Severity.WARNING, "unused_message", N_(
                "No activity carries the core message “%(message)s”."), {"message": message.title}))

    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return sorted(findings, key=lambda f: (f.day or dt.date.max, order[f.severity], f.code))


def _school_holiday(day, region, holidays_by_region):
    """The school holiday on `day` in the plan's region; without a region, one that every region has."""
    regions = [region] if region is not None else list(holidays_by_region)
    hits = []
    for r in regions:
        hit = next((h for h in holidays_by_region.get(r, ()) if h.starts_on <= day <= h.ends_on), None)
        if hit is None and region is None:
            return None
        if hit is not None:
            hits.append(hit)
    return hits[0] if hits else None


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {"errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING]}
