"""The checks at their edges: the day a rule starts or stops holding, counted the way the rule says."""

import datetime as dt

import pytest

from planner.domain.checks import check_plan
from planner.domain.school_holidays import all_holidays
from planner.enums import ActivityStatus, Intensity, SchoolRegion, Severity
from planner.models import Embargo
from tests.domain.test_checks import TODAY, add, plan  # noqa: F401 (plan is a fixture)

D = dt.date


def findings(plan, today=TODAY):
    return [(f.code, f.params.get("activity"), f.day) for f in check_plan(plan, today, all_holidays(None))]


def test_multi_day_activity_running_past_a_not_after_embargo_is_an_error(plan):
    plan.embargoes.append(Embargo(audience=plan.public, not_after=D(2027, 4, 1)))
    add(plan, "Tentoonstelling tot de grens", D(2027, 3, 22), [plan.public], ends_on=D(2027, 4, 1))
    assert findings(plan) == []
    add(plan, "Tentoonstelling erover", D(2027, 3, 23), [plan.public], ends_on=D(2027, 4, 2))
    found = check_plan(plan, TODAY, ())
    assert [(f.severity, f.code, f.params["activity"], f.params["limit"]) for f in found] == [
        (Severity.ERROR, "embargo", "Tentoonstelling erover", D(2027, 4, 1))]


def test_production_lead_is_counted_in_working_days(plan):
    plan.poster.lead_time_days = 3
    # Tuesday 5 January 2027: 3 working days back skip Monday's predecessor weekend and New Year's Day
    add(plan, "Posters na Nieuwjaar", D(2027, 1, 5), channel=plan.poster)
    assert findings(plan, today=D(2026, 12, 30)) == [], "production starts today: not late yet"
    found = check_plan(plan, D(2026, 12, 31), ())
    assert [(f.code, f.params["start"], f.params["days"]) for f in found] == [
        ("production_late", D(2026, 12, 30), 3)]
    # in calendar days the start would be 2 January; a day before that it must already be late
    assert [f.code for f in check_plan(plan, D(2027, 1, 1), ())] == ["production_late"]


def test_last_day_of_a_school_holiday_warns_and_the_day_after_does_not(plan):
    plan.owner.school_region = SchoolRegion.SOUTH  # voorjaarsvakantie zuid: 13 to 21 February 2027
    plan.starts_on = D(2027, 2, 1)
    add(plan, "Eerste vakantiedag", D(2027, 2, 13), [plan.pupils])
    add(plan, "Laatste vakantiedag", D(2027, 2, 21), [plan.pupils])
    add(plan, "Weer naar school", D(2027, 2, 22), [plan.pupils])
    add(plan, "Dag ervoor", D(2027, 2, 12), [plan.pupils])
    assert findings(plan) == [("school_holiday", "Eerste vakantiedag", D(2027, 2, 13)),
                              ("school_holiday", "Laatste vakantiedag", D(2027, 2, 21))]


def test_cancelled_activities_raise_no_findings(plan):
    plan.embargoes.append(Embargo(audience=plan.public, not_before=D(2027, 1, 11), not_after=D(2027, 5, 1)))
    plan.public.intensity = Intensity.INFORM
    cancelled = dict(status=ActivityStatus.CANCELLED)
    add(plan, "Te vroeg", D(2026, 12, 1), [plan.public], channel=plan.poster, **cancelled)  # embargo, late production
    add(plan, "Verleden", D(2026, 11, 2), [plan.public], **cancelled)  # overdue
    add(plan, "Koningsdag", D(2027, 4, 27), [plan.public], **cancelled)  # public holiday
    add(plan, "Kerst", D(2026, 12, 22), [plan.pupils], **cancelled)  # school holiday
    add(plan, "Na afloop", D(2027, 7, 15), [plan.public], **cancelled)  # after the plan and the embargo
    for n in range(3):  # would make five in one week with the two planned ones below
        add(plan, f"Druk {n}", D(2027, 2, 1) + dt.timedelta(days=n), [plan.public], **cancelled)
    add(plan, "Gepland 1", D(2027, 2, 4), [plan.public])
    add(plan, "Gepland 2", D(2027, 2, 5), [plan.public])
    assert findings(plan) == []


def test_plan_without_a_school_region_is_warned_only_about_holidays_every_region_shares(plan):
    plan.owner.school_region = None
    plan.starts_on = D(2027, 2, 1)
    add(plan, "Alleen zuid vrij", D(2027, 2, 13), [plan.pupils])
    add(plan, "Noord en midden vrij", D(2027, 2, 27), [plan.pupils])
    add(plan, "Iedereen vrij", D(2027, 2, 20), [plan.pupils])  # zuid's last week, noord and midden's first
    add(plan, "Kerstvakantie", D(2026, 12, 21), [plan.pupils])
    assert findings(plan) == [("school_holiday", "Kerstvakantie", D(2026, 12, 21)),
                              ("school_holiday", "Iedereen vrij", D(2027, 2, 20))]


@pytest.mark.parametrize("intensity, limit", [(Intensity.INFORM, 2), (Intensity.CONSULT, 3), (Intensity.INVOLVE, 4),
                                              (Intensity.COLLABORATE, 6)])
def test_week_load_allows_exactly_the_limit_of_each_intensity(plan, intensity, limit):
    plan.public.intensity = intensity
    for n in range(limit):  # Monday 1 February 2027 onwards, one a day or two on the same day
        add(plan, f"Bericht {n}", D(2027, 2, 1) + dt.timedelta(days=n % 5), [plan.public])
    assert findings(plan) == []
    add(plan, "Eén te veel", D(2027, 2, 5), [plan.public])
    found = check_plan(plan, TODAY, ())
    assert [(f.code, f.params["count"], f.params["limit"], f.day) for f in found] == [
        ("week_load", limit + 1, limit, D(2027, 2, 1))]


def test_production_starting_on_the_plans_first_day_is_no_warning(plan):
    plan.poster.lead_time_days = 1
    add(plan, "Posters", D(2026, 11, 3), channel=plan.poster)  # production on Monday 2 November
    plan.starts_on = D(2026, 11, 2)
    assert findings(plan, today=D(2026, 10, 1)) == []
    plan.starts_on = D(2026, 11, 3)
    assert [f.code for f in check_plan(plan, D(2026, 10, 1), ())] == ["production_before_plan"]


def test_an_unreadable_repetition_is_checked_on_its_first_day(plan):
    add(plan, "Kapotte regel", D(2027, 4, 27), [plan.public], recurrence="FREQ=NOOIT")
    assert findings(plan) == [("public_holiday", "Kapotte regel", D(2027, 4, 27))]


def test_errors_come_before_warnings_on_the_same_day_and_name_their_activity(plan):
    plan.embargoes.append(Embargo(audience=plan.public, not_before=D(2027, 5, 1)))
    import uuid

    activity = add(plan, "Koningsdag te vroeg", D(2027, 4, 27), [plan.public])
    activity.uuid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    found = check_plan(plan, TODAY, ())
    assert [(f.severity, f.code) for f in found] == [(Severity.ERROR, "embargo"), (Severity.WARNING, "public_holiday")]
    assert {f.activity_uuid for f in found} == {"12345678-1234-5678-1234-567812345678"}


def test_an_error_comes_first_even_where_its_code_sorts_after_the_warning_s(plan):
    """Severity, not the code's alphabet, orders one day's findings: `embargo` after `after_plan`."""
    plan.embargoes.append(Embargo(audience=plan.public, not_before=D(2027, 7, 15)))
    add(plan, "Na het plan en te vroeg", D(2027, 7, 7), [plan.public])
    found = check_plan(plan, TODAY, ())
    assert [(f.severity, f.code) for f in found] == [(Severity.ERROR, "embargo"), (Severity.WARNING, "after_plan")]


def test_an_activity_today_is_not_overdue_and_one_on_the_last_day_is_inside_the_plan(plan):
    add(plan, "Vandaag", TODAY, [plan.public])
    add(plan, "Laatste dag", plan.ends_on, [plan.public])
    assert findings(plan) == []
    assert findings(plan, today=TODAY + dt.timedelta(days=1)) == [("overdue", "Vandaag", TODAY)]


def test_a_cancelled_activity_does_not_stop_the_checks_of_the_next(plan):
    add(plan, "Geschrapt", D(2027, 4, 26), [plan.public], status=ActivityStatus.CANCELLED)
    add(plan, "Koningsdag", D(2027, 4, 27), [plan.public])
    assert findings(plan) == [("public_holiday", "Koningsdag", D(2027, 4, 27))]


def test_a_finding_as_a_dictionary(plan):
    add(plan, "Koningsdag", D(2027, 4, 27), [plan.public])
    found = check_plan(plan, TODAY, ())[0].as_dict()
    assert found == {"severity": "warning", "code": "public_holiday", "date": "2027-04-27", "activity": None,
                     "message": "“Koningsdag” falls on Koningsdag (2027-04-27)."}


def test_only_planned_activities_warn_about_production(plan):
    for status in (ActivityStatus.IN_PRODUCTION, ActivityStatus.READY):
        add(plan, f"Posters {status.value}", D(2026, 12, 1), channel=plan.poster, status=status)
    assert findings(plan) == []
