"""School holidays per region: shipped years plus years imported from the national open data."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.domain.codecs import DateOutOfRange, DocumentError, check_window
from planner.enums import SchoolRegion
from planner.models import SchoolHoliday

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "school_holidays"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ALL_REGIONS = "heel nederland"


@dataclass(frozen=True)
class Holiday:
    school_year: str
    name: str
    region: SchoolRegion
    starts_on: dt.date
    ends_on: dt.date
    source: str


def _local_date(value: str, path: str) -> dt.date:
    """Read an open-data timestamp as a date in the Netherlands ('...T22:00:00Z' is the next day)."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise DocumentError(f"{path}: expected an ISO date or timestamp") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(AMSTERDAM)
        except OverflowError:  # year 1 or 9999: far outside the window anyway
            raise DateOutOfRange(path, parsed.date()) from None
    return check_window(parsed.date(), path)


def _field(container, key: str, path: str) -> str:
    """The text `key` of the object `container`; DocumentError for anything else (a number, a list)."""
    if not isinstance(container, dict):
        raise DocumentError(f"{path}: expected an object")
    value = container.get(key, "")
    if not isinstance(value, str):
        raise DocumentError(f"{path}.{key}: expected text")
    return value


def _items(container: dict, key: str, path: str) -> list:
    value = container.get(key) or []
    if not isinstance(value, list):
        raise DocumentError(f"{path}.{key}: expected a list")
    return value


def parse_open_data(document, source: str = "") -> list[Holiday]:
    """Turn the Rijksoverheid schoolvakanties JSON into holidays; raise DocumentError when it does not fit."""
    if not isinstance(document, dict) or not isinstance(document.get("content"), list):
        raise DocumentError("document: expected an object with a 'content' list (Rijksoverheid schoolvakanties)")
    source = source or str(document.get("source") or "Rijksoverheid, schoolvakanties (open data)")
    result = []
    for i, year in enumerate(document["content"]):
        path = f"content[{i}]"
        school_year = _field(year, "schoolyear", path).strip()
        if len(school_year) != 9 or school_year[4] != "-":
            raise DocumentError(f"{path}.schoolyear: expected a school year such as 2026-2027")
        for j, vacation in enumerate(_items(year, "vacations", path)):
            vpath = f"{path}.vacations[{j}]"
            name = _field(vacation, "type", vpath).strip()
            if not name or len(name) > 100:
                raise DocumentError(f"{vpath}.type: expected the name of the holiday")
            for k, entry in enumerate(_items(vacation, "regions", vpath)):
                rpath = f"{vpath}.regions[{k}]"
                region_name = _field(entry, "region", rpath).strip().lower()
                starts_on = _local_date(_field(entry, "startdate", rpath), f"{rpath}.startdate")
                ends_on = _local_date(_field(entry, "enddate", rpath), f"{rpath}.enddate")
                if ends_on < starts_on:
                    raise DocumentError(f"{rpath}.enddate: lies before the start date")
                if region_name == ALL_REGIONS:
                    regions = list(SchoolRegion)
                else:
                    try:
                        regions = [SchoolRegion(region_name)]
                    except ValueError:
                        raise DocumentError(f"{rpath}.region: {region_name!r} is not noord, midden, zuid "
                                            f"or heel Nederland") from None
                result.extend(Holiday(school_year, name.capitalize(), r, starts_on, ends_on, source) for r in regions)
    if not result:
        raise DocumentError("document: contains no holidays")
    return result


@lru_cache(maxsize=1)
def shipped_holidays() -> tuple[Holiday, ...]:
    holidays = []
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        holidays.extend(parse_open_data(json.loads(path.read_text(encoding="utf-8"))))
    return tuple(holidays)


def all_holidays(session: Session | None) -> list[Holiday]:
    """Shipped years, replaced per school year by imported ones."""
    imported = []
    if session is not None:
        imported = [
            Holiday(h.school_year, h.name, h.region, h.starts_on, h.ends_on, h.source)
            for h in session.scalars(sa.select(SchoolHoliday))
        ]
    imported_years = {h.school_year for h in imported}
    return [h for h in shipped_holidays() if h.school_year not in imported_years] + imported


def import_school_holidays(session: Session, document, source: str = "") -> list[str]:
    """Store every school year in `document`, replacing those years; return the years imported."""
    holidays = parse_open_data(document, source)
    years = sorted({h.school_year for h in holidays})
    session.execute(sa.delete(SchoolHoliday).where(SchoolHoliday.school_year.in_(years)))
    seen = set()
    for h in holidays:
        key = (h.school_year, h.name, h.region)
        if key in seen:
            raise DocumentError(f"{h.school_year}: {h.name} for region {h.region.value} appears twice")
        seen.add(key)
        session.add(SchoolHoliday(school_year=h.school_year, name=h.name, region=h.region,
                                  starts_on=h.starts_on, ends_on=h.ends_on, source=h.source[:500]))
    session.flush()
    return years


def known_school_years(session: Session | None) -> list[str]:
    return sorted({h.school_year for h in all_holidays(session)})
