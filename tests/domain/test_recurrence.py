import datetime as dt

import pytest

from planner.domain.recurrence import RecurrenceError, build_rule, occurrence_dates, parse_rule

D = dt.date


def test_weekly_rule_with_count_and_excluded_date():
    dates = occurrence_dates(D(2027, 1, 14), "FREQ=WEEKLY;COUNT=4", ["2027-01-21"], D(2027, 12, 31))
    assert dates == [D(2027, 1, 14), D(2027, 1, 28), D(2027, 2, 4)]


def test_open_rule_stops_at_the_end_of_the_window():
    dates = occurrence_dates(D(2027, 1, 1), build_rule("monthly"), [], D(2027, 4, 15))
    assert dates == [D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1), D(2027, 4, 1)]


def test_build_rule_writes_rfc5545():
    assert build_rule("weekly", 2, until=D(2027, 3, 1)) == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270301"
    assert build_rule("daily", count=5) == "FREQ=DAILY;COUNT=5"


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "NONSENSE", "FREQ=WEEKLY\r\nX-INJECT:1", "", "x" * 300])
def test_unsupported_rules_are_refused(rule):
    with pytest.raises(RecurrenceError):
        parse_rule(rule, D(2027, 1, 1))


def test_parse_rule_with_utc_until_reads_the_dutch_date():
    """A rule with UTC UNTIL (as feeds and other tools write it) gives the same dates as the DATE form."""
    utc = occurrence_dates(dt.date(2027, 2, 16), "FREQ=WEEKLY;UNTIL=20270302T225959Z", [], dt.date(2027, 12, 31))
    local = occurrence_dates(dt.date(2027, 2, 16), "FREQ=WEEKLY;UNTIL=20270302", [], dt.date(2027, 12, 31))
    assert utc == local == [dt.date(2027, 2, 16), dt.date(2027, 2, 23), dt.date(2027, 3, 2)]
