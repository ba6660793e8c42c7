"""The one clock: Dutch dates whatever the server's zone, and a test suite pinned to one day."""

import datetime as dt
import time

import pytest

from planner import clock


def test_the_whole_run_is_pinned_to_the_chosen_day(request, pinned_today):
    assert pinned_today == dt.date.fromisoformat(request.config.getoption("--today"))
    assert clock.today() == pinned_today
    assert clock.local_now().hour in (12, 13), "noon in the Netherlands, ticking on"


@pytest.mark.today("2030-02-28")
def test_a_test_can_choose_its_own_day(day_of_test):
    assert clock.today() == day_of_test == dt.date(2030, 2, 28)


@pytest.mark.parametrize("utc, dutch_day", [
    (dt.datetime(2026, 11, 29, 23, 30), dt.date(2026, 11, 30)),  # winter: UTC+1
    (dt.datetime(2027, 7, 1, 22, 15), dt.date(2027, 7, 2)),      # summer: UTC+2
    (dt.datetime(2027, 7, 1, 21, 45), dt.date(2027, 7, 1)),
])
def test_today_is_the_dutch_date_on_a_server_in_utc(time_machine, monkeypatch, utc, dutch_day):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        time_machine.move_to(utc.replace(tzinfo=dt.timezone.utc), tick=False)
        assert clock.today() == dutch_day
        assert clock.now() == utc.replace(tzinfo=dt.timezone.utc)
        assert clock.local_now().date() == dutch_day and clock.local_now().utcoffset() > dt.timedelta(0)
    finally:
        monkeypatch.undo()
        time.tzset()
