"""The observance catalogue: rules that give each national moment's dates for any year."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from planner.domain.school_holidays import all_holidays
from planner.domain.workdays import public_holidays
from planner.enums import SchoolRegion
from planner.models import Observance, Organisation

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "observances.yaml"
RULE_KINDS = ("date", "week_containing", "school_year_start")


class RuleError(ValueError):
    """A rule that cannot give dates."""


@dataclass(frozen=True)
class ObservanceDef:
    key: str
    name: str
    rule: dict
    source: str
    overrides: dict = field(default_factory=dict)
    organisation_id: int | None = None
    shipped: bool = True


@dataclass(frozen=True)
class Occurrence:
    key: str
    name: str
    kind: str  # "observance", "public_holiday" or "school_holiday"
    starts_on: dt.date
    ends_on: dt.date
    source: str = ""
    region: str = ""


def _month_day(text, year: int) -> dt.date:
    """The date MM-DD in `year`; 02-29 means the last day of February, so 28 February in other years."""
    try:
        month, day = (int(part) for part in str(text).split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year):
            day = 28
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        raise RuleError(f"{text!r} is not a date as MM-DD") from None


def validate_rule(rule) -> dict:
    """Check a rule's shape; return it."""
    if not isinstance(rule, dict) or rule.get("kind") not in RULE_KINDS:
        raise RuleError(f"rule kind must be one of {', '.join(RULE_KINDS)}")
    if rule["kind"] in ("date", "week_containing"):
        _month_day(rule.get("date"), 2024)  # a leap year accepts 02-29
        if rule.get("until") is not None:
            _month_day(rule["until"], 2024)
    else:
        try:
            SchoolRegion(rule.get("region"))
        except ValueError:
            raise RuleError("school_year_start needs region noord, midden or zuid") from None
    return rule


def dates_for(definition: ObservanceDef, year: int, holidays=None) -> tuple[dt.date, dt.date] | None:
    """Return (start, end) of the observance in `year`, or None when the year has no data."""
    override = definition.overrides.get(str(year)) or definition.overrides.get(year)
    if override:
        start = dt.date.fromisoformat(str(override["start"]))
        return start, dt.date.fromisoformat(str(override.get("end") or start))
    rule = definition.rule
    kind = rule["kind"]
    if kind == "date":
        start = _month_day(rule["date"], year)
        end = _month_day(rule["until"], year) if rule.get("until") else start
        if end < start:
            end = _month_day(rule["until"], year + 1)
        return start, end
    if kind == "week_containing":
        day = _month_day(rule["date"], year)
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if kind == "school_year_start":
        summer = [h for h in (holidays or []) if h.region.value == rule["region"]
                  and h.name.lower().startswith("zomer") and h.ends_on.year == year]
        if not summer:
            return None
        start = summer[0].ends_on + dt.timedelta(days=1)
        start += dt.timedelta(days=(7 - start.weekday()) % 7)
        return start, start
    raise RuleError(f"unknown rule kind {kind!r}")


@lru_cache(maxsize=1)
def shipped_catalogue() -> tuple[ObservanceDef, ...]:
    entries = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return tuple(
        ObservanceDef(key=e["key"], name=e["name"], rule=validate_rule(e["rule"]), source=e.get("source", ""),
                      overrides={str(k): v for k, v in (e.get("overrides") or {}).items()})
        for e in entries
    )


def catalogue(session: Session | None, organisation: Organisation | None = None) -> list[ObservanceDef]:
    """Shipped entries, replaced by administrators' edits, plus the organisation's own observances."""
    by_key = {d.key: d for d in shipped_catalogue()}
    if session is not None:
        query = sa.select(Observance).where(Observance.organisation_id.is_(None))
        if organisation is not None and organisation.id is not None:
            query = sa.select(Observance).where(sa.or_(
                Observance.organisation_id.is_(None), Observance.organisation_id == organisation.id))
        rows = sorted(session.scalars(query), key=lambda o: o.organisation_id is not None)
        for row in rows:
            by_key[row.key] = ObservanceDef(row.key, row.name, row.rule, row.source, dict(row.overrides or {}),
                                            row.organisation_id, shipped=False)
    return sorted(by_key.values(), key=lambda d: d.name)


def find(session: Session | None, key: str, organisation: Organisation | None = None) -> ObservanceDef | None:
    return next((d for d in catalogue(session, organisation) if d.key == key), None)


def year_calendar(session: Session | None, year: int, organisation: Organisation | None = None,
                  region: SchoolRegion | None = None) -> list[Occurrence]:
    """Every observance, public holiday and school holiday touching `year`, sorted by date."""
    holidays = all_holidays(session)
    region = region or (organisation.school_region if organisation is not None else None)
    result = []
    for definition in catalogue(session, organisation):
        dates = dates_for(definition, year, holidays)
        if dates:
            result.append(Occurrence(definition.key, definition.name, "observance", *dates, definition.source))
    for day, name in public_holidays(year).items():
        result.append(Occurrence(f"feestdag-{day.isoformat()}", name, "public_holiday", day, day,
                                 "Nederlandse feestdagen (holidays-bibliotheek)"))
    for h in holidays:
        if (h.starts_on.year == year or h.ends_on.year == year) and (region is None or h.region == region):
            result.append(Occurrence(f"schoolvakantie-{h.school_year}-{h.name.lower()}-{h.region.value}",
                                     f"{h.name} ({h.region.value})", "school_holiday", h.starts_on, h.ends_on,
                                     h.source, h.region.value))
    return sorted(result, key=lambda o: (o.starts_on, o.name))
