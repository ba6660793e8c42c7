import datetime as dt

import pytest

from planner.domain.observances import ObservanceDef, RuleError, catalogue, dates_for, find, validate_rule, year_calendar
from planner.domain.school_holidays import all_holidays
from planner.enums import OrganisationKind, SchoolRegion
from planner.models import Observance, Organisation

D = dt.date
WTK_EDITIONS = {
    2017: (D(2017, 11, 20), D(2017, 11, 26)),
    2018: (D(2018, 11, 19), D(2018, 11, 25)),
    2019: (D(2019, 11, 18), D(2019, 11, 24)),
    2021: (D(2021, 11, 15), D(2021, 11, 21)),
    2022: (D(2022, 11, 14), D(2022, 11, 20)),
    2023: (D(2023, 11, 20), D(2023, 11, 26)),
    2025: (D(2025, 11, 17), D(2025, 11, 23)),
    2026: (D(2026, 11, 16), D(2026, 11, 22)),
    2027: (D(2027, 11, 15), D(2027, 11, 21)),
}


@pytest.mark.parametrize("year, expected", WTK_EDITIONS.items())
def test_week_tegen_kindermishandeling_rule_reproduces_every_known_edition(year, expected):
    assert dates_for(find(None, "week-tegen-kindermishandeling"), year) == expected


@pytest.mark.parametrize("key, expected", [
    ("dag-rechten-van-het-kind", (D(2027, 11, 20), D(2027, 11, 20))),
    ("werelddag-preventie-kindermishandeling", (D(2027, 11, 19), D(2027, 11, 19))),
    ("dag-tegen-geweld-tegen-vrouwen", (D(2027, 11, 25), D(2027, 11, 25))),
    ("orange-the-world", (D(2027, 11, 25), D(2027, 12, 10))),
    ("mensenrechtendag", (D(2027, 12, 10), D(2027, 12, 10))),
    ("dag-tegen-ouderenmishandeling", (D(2027, 6, 15), D(2027, 6, 15))),
])
def test_fixed_observances(key, expected):
    assert dates_for(find(None, key), 2027) == expected


def test_school_year_start_follows_the_summer_holiday_of_the_region():
    holidays = all_holidays(None)
    starts = {r: dates_for(find(None, f"start-schooljaar-{r}"), 2026, holidays)[0] for r in ("noord", "midden", "zuid")}
    assert starts == {"noord": D(2026, 8, 17), "midden": D(2026, 8, 31), "zuid": D(2026, 8, 24)}
    assert all(day.weekday() == 0 for day in starts.values())
    assert dates_for(find(None, "start-schooljaar-noord"), 2031, holidays) is None


def test_override_replaces_the_rule_for_that_year_only():
    definition = ObservanceDef("x", "X", {"kind": "week_containing", "date": "11-20"}, "",
                               {"2024": {"start": "2024-11-11", "end": "2024-11-17"}})
    assert dates_for(definition, 2024) == (D(2024, 11, 11), D(2024, 11, 17))
    assert dates_for(definition, 2025) == (D(2025, 11, 17), D(2025, 11, 23))


@pytest.mark.parametrize("rule", [{"kind": "easter"}, {"kind": "date", "date": "13-01"}, {"kind": "date"},
                                  {"kind": "school_year_start", "region": "west"}, "11-20"])
def test_invalid_rules_are_refused(rule):
    with pytest.raises(RuleError):
        validate_rule(rule)


def test_administrator_edit_replaces_shipped_entry_and_organisation_adds_its_own(session):
    own = Organisation(name="Gemeente Testdorp", kind=OrganisationKind.MUNICIPALITY)
    other = Organisation(name="Gemeente Elders", kind=OrganisationKind.MUNICIPALITY)
    session.add_all([own, other])
    session.flush()
    session.add(Observance(key="mensenrechtendag", name="Mensenrechtendag (eigen)",
                           rule={"kind": "date", "date": "12-09"}, source="beheer", overrides={}))
    session.add(Observance(key="open-dag-testdorp", name="Open dag Testdorp", rule={"kind": "date", "date": "05-12"},
                           organisation_id=own.id, overrides={}))
    session.commit()
    assert dates_for(find(session, "mensenrechtendag"), 2027) == (D(2027, 12, 9), D(2027, 12, 9))
    assert find(session, "open-dag-testdorp", own) is not None
    assert find(session, "open-dag-testdorp", other) is None
    assert len(catalogue(session, own)) == len(catalogue(session, other)) + 1


def test_year_calendar_has_dutch_public_holidays_and_regional_school_holidays():
    rows = year_calendar(None, 2026, region=SchoolRegion.MIDDLE)
    names = {(o.kind, o.name) for o in rows}
    assert ("public_holiday", "Koningsdag") in names
    assert ("school_holiday", "Zomervakantie (midden)") in names
    assert not any(o.region == "noord" for o in rows)
    week = next(o for o in rows if o.key == "week-tegen-kindermishandeling")
    assert (week.starts_on, week.ends_on) == WTK_EDITIONS[2026]
