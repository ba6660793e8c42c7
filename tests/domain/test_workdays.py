import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from planner.domain.workdays import (
    MAX_WORKING_DAY_STEPS, add_working_days, is_working_day, shift, working_days_between,
)
from planner.enums import OffsetUnit

D = dt.date


@pytest.mark.parametrize("start, count, expected", [
    (D(2027, 4, 26), 1, D(2027, 4, 28)),     # over Koningsdag (Tuesday 27 April)
    (D(2027, 4, 28), -1, D(2027, 4, 26)),
    (D(2027, 3, 25), 1, D(2027, 3, 30)),     # Good Friday, the weekend and Easter Monday
    (D(2027, 3, 30), -1, D(2027, 3, 25)),
    (D(2026, 12, 24), 1, D(2026, 12, 28)),   # Christmas on Friday and Saturday
    (D(2026, 12, 31), 1, D(2027, 1, 4)),     # New Year on Friday
    (D(2027, 1, 4), -1, D(2026, 12, 31)),
    (D(2026, 12, 28), -2, D(2026, 12, 23)),
    (D(2026, 11, 23), 0, D(2026, 11, 23)),
    (D(2026, 11, 16), -5, D(2026, 11, 9)),
])
def test_working_day_arithmetic_skips_weekends_and_public_holidays(start, count, expected):
    assert add_working_days(start, count) == expected


def test_public_holidays_are_not_working_days():
    assert not is_working_day(D(2027, 4, 27))
    assert not is_working_day(D(2026, 5, 14))  # Ascension Day
    assert is_working_day(D(2026, 5, 15))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), st.integers(-80, 80))
def test_working_days_between_inverts_adding(start, count):
    end = add_working_days(start, count)
    assert working_days_between(start, end) == count
    assert is_working_day(end) or count == 0


def test_the_shipped_public_holidays_are_the_librarys_for_every_year_the_planner_accepts():
    """The file only spares the library's start-up; after a library upgrade run scripts/public_holidays.py."""
    from planner.domain.dates import FIRST_DATE, LAST_DATE
    from planner.domain.workdays import PUBLIC_HOLIDAYS_FILE, library_public_holidays, public_holidays

    shipped = json.loads(PUBLIC_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert sorted(map(int, shipped)) == list(range(FIRST_DATE.year, LAST_DATE.year + 1))
    for year in range(FIRST_DATE.year, LAST_DATE.year + 1):
        assert public_holidays(year) == library_public_holidays(year), year
    assert public_holidays(2027)[D(2027, 4, 27)] == "Koningsdag"
    assert public_holidays(2201) == library_public_holidays(2201)  # outside the file: the library


@pytest.mark.parametrize("content", [None, "{niet af", b"\xff\xfe"], ids=["missing", "not-json", "not-utf-8"])
def test_without_a_readable_holidays_file_the_library_answers(tmp_path, monkeypatch, content):
    """A damaged installation still counts working days right, only slower."""
    from planner.domain import workdays

    path = tmp_path / "public_holidays_nl.json"
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    monkeypatch.setattr(workdays, "PUBLIC_HOLIDAYS_FILE", path)
    workdays._shipped_public_holidays.cache_clear()
    workdays.public_holidays.cache_clear()
    try:
        assert workdays._shipped_public_holidays() == {}
        assert workdays.public_holidays(2027)[D(2027, 4, 27)] == "Koningsdag"
        assert add_working_days(D(2027, 4, 26), 1) == D(2027, 4, 28)
    finally:
        workdays._shipped_public_holidays.cache_clear()
        workdays.public_holidays.cache_clear()


def test_working_days_do_not_start_the_holidays_library():
    """Starting the library costs a tenth of a second of every command that counts working days."""
    import subprocess
    import sys

    code = ("import sys; from planner.domain.workdays import add_working_days; import datetime as dt; "
            "add_working_days(dt.date(2027, 4, 26), 3); print('holidays' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_friday_works_and_the_weekend_does_not():
    assert [is_working_day(D(2027, 1, 8) + dt.timedelta(days=n)) for n in range(4)] == [True, False, False, True]


def test_offsets_are_limited_to_five_years_of_working_days():
    assert add_working_days(D(2027, 1, 4), MAX_WORKING_DAY_STEPS) > D(2033, 1, 1)
    assert add_working_days(D(2027, 1, 4), -MAX_WORKING_DAY_STEPS) < D(2021, 1, 1)
    for count in (MAX_WORKING_DAY_STEPS + 1, -MAX_WORKING_DAY_STEPS - 1):
        with pytest.raises(ValueError):
            add_working_days(D(2027, 1, 4), count)
    assert MAX_WORKING_DAY_STEPS == 5 * 366


@pytest.mark.parametrize("offset, unit, expected", [
    (3, OffsetUnit.DAYS, D(2027, 4, 29)), (-3, OffsetUnit.DAYS, D(2027, 4, 23)), (0, OffsetUnit.DAYS, D(2027, 4, 26)),
    (3, OffsetUnit.WORKING_DAYS, D(2027, 4, 30)),  # over Koningsdag
    (-3, OffsetUnit.WORKING_DAYS, D(2027, 4, 21)),
])
def test_shift_by_calendar_or_working_days(offset, unit, expected):
    assert shift(D(2027, 4, 26), offset, unit) == expected
