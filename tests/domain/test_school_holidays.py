import datetime as dt

import pytest

from planner.domain.codecs import DocumentError
from planner.domain.school_holidays import all_holidays, import_school_holidays, known_school_years, parse_open_data
from planner.enums import SchoolRegion

DOCUMENT = {"content": [{"schoolyear": "2026-2027 ", "vacations": [
    {"type": "herfstvakantie", "regions": [
        {"region": "noord", "startdate": "2026-10-16T22:00:00.000Z", "enddate": "2026-10-25T00:00:00.000Z"}]},
    {"type": "kerstvakantie", "regions": [
        {"region": "heel Nederland", "startdate": "2026-12-19", "enddate": "2027-01-03"}]},
]}]}


def test_open_data_timestamps_are_read_as_dutch_dates():
    holidays = parse_open_data(DOCUMENT)
    autumn = next(h for h in holidays if h.name == "Herfstvakantie")
    assert autumn.starts_on == dt.date(2026, 10, 17)  # 22:00 UTC is midnight in Amsterdam
    assert {h.region for h in holidays if h.name == "Kerstvakantie"} == set(SchoolRegion)


@pytest.mark.parametrize("broken, fragment", [
    ({"content": "x"}, "expected an object with a 'content' list"),
    ({"content": [{"schoolyear": "26-27", "vacations": []}]}, "schoolyear"),
    ({"content": [{"schoolyear": "2026-2027", "vacations": [{"type": "zomer", "regions": [
        {"region": "west", "startdate": "2027-07-10", "enddate": "2027-08-22"}]}]}]}, "'west' is not noord"),
    ({"content": [{"schoolyear": "2026-2027", "vacations": [{"type": "zomer", "regions": [
        {"region": "zuid", "startdate": "2027-08-22", "enddate": "2027-07-10"}]}]}]}, "lies before the start"),
    ({"content": [{"schoolyear": "2026-2027", "vacations": []}]}, "contains no holidays"),
])
def test_broken_open_data_is_refused(broken, fragment):
    with pytest.raises(DocumentError, match=fragment):
        parse_open_data(broken)


def test_shipped_years_hold_every_region_and_holiday():
    assert {"2025-2026", "2026-2027", "2027-2028"} <= set(known_school_years(None))
    for year in ("2025-2026", "2026-2027", "2027-2028"):
        holidays = [h for h in all_holidays(None) if h.school_year == year]
        assert {(h.name, h.region) for h in holidays} == {
            (name, region) for name in ("Herfstvakantie", "Kerstvakantie", "Voorjaarsvakantie", "Meivakantie",
                                        "Zomervakantie") for region in SchoolRegion}
        assert all(h.starts_on.weekday() == 5 and h.ends_on.weekday() == 6 for h in holidays), year
    summer_2027 = {h.region: h for h in all_holidays(None) if h.name == "Zomervakantie" and h.school_year == "2026-2027"}
    assert summer_2027[SchoolRegion.MIDDLE].starts_on == dt.date(2027, 7, 17)


def test_import_replaces_a_shipped_year(session):
    assert import_school_holidays(session, DOCUMENT) == ["2026-2027"]
    session.commit()
    assert "2026-2027" in known_school_years(session)
    changed = {"content": [{"schoolyear": "2026-2027", "vacations": [{"type": "kerstvakantie", "regions": [
        {"region": "heel Nederland", "startdate": "2026-12-20", "enddate": "2027-01-03"}]}]}]}
    import_school_holidays(session, changed)
    session.commit()
    imported = [h for h in all_holidays(session) if h.school_year == "2026-2027"]
    assert {h.name for h in imported} == {"Kerstvakantie"}
    assert {h.starts_on for h in imported} == {dt.date(2026, 12, 20)}
