import datetime as dt

import pytest
import sqlalchemy as sa

from planner import clock, migrate
from planner.db import make_engine, make_session_factory
from planner.domain.checks import check_plan
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG, load_demo
from planner.domain.plans import get_plan
from planner.domain.recurrence import activity_dates
from planner.domain.school_holidays import all_holidays
from planner.enums import ActivityStatus, AudienceCategory, DecisionStatus, PlanStatus
from planner.models import Plan

# What the demo shows on purpose, on every day: (plan, severity, check, activity or audience).
INTENDED = {
    (REGIONAL_SLUG, "error", "embargo", "Vooraankondiging in de lokale krant"),
    (REGIONAL_SLUG, "warning", "production_late", "Brochure voor professionals verspreiden"),
    (REGIONAL_SLUG, "warning", "week_load", "Inwoners (algemeen publiek)"),
    (MUNICIPAL_SLUG, "warning", "week_load", "Ouders en opvoeders"),
}
# Every 23rd day over five years (each weekday, month and place relative to the theme week), and the
# days on which the demo turns: the last and first day of a theme week, the turn of a month and a year.
SAMPLE_DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 5 * 365, 23)] + [
    dt.date(2026, 11, 22), dt.date(2026, 11, 23), dt.date(2027, 11, 15), dt.date(2027, 12, 31),
    dt.date(2028, 2, 29), dt.date(2028, 3, 3), dt.date(2029, 4, 2)]


def findings(session, plans, today):
    holidays = all_holidays(session)
    return sorted((plan.slug, f.severity.value, f.code, f.params.get("activity") or f.params.get("audience"))
                  for plan in plans for f in check_plan(plan, today, holidays))


def test_demo_is_idempotent(demo_session):
    assert load_demo(demo_session) == []
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 2


def test_demo_plans_are_complete(demo_session):
    for slug in (REGIONAL_SLUG, MUNICIPAL_SLUG):
        plan = get_plan(demo_session, slug)
        assert len(plan.activities) >= 20
        assert plan.partners and plan.audiences and plan.channels and plan.moments and plan.decisions
        assert {m.audience.id for m in plan.messages} == {a.id for a in plan.audiences}
        assert len(plan.phases) == 3


def test_demo_shows_exactly_the_intended_findings_today(demo_session):
    plans = [get_plan(demo_session, REGIONAL_SLUG), get_plan(demo_session, MUNICIPAL_SLUG)]
    assert findings(demo_session, plans, clock.today()) == sorted(INTENDED)


def test_demo_shows_exactly_the_intended_findings_on_any_day(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    migrate.upgrade(engine)
    wrong = {}
    for day in SAMPLE_DAYS:
        with make_session_factory(engine)() as session:
            got = findings(session, load_demo(session, day), day)
            if got != sorted(INTENDED):
                wrong[day] = set(got) ^ INTENDED
            session.rollback()
    engine.dispose()
    assert wrong == {}


@pytest.mark.parametrize("day", [dt.date(2026, 11, 29), dt.date(2027, 6, 1), dt.date(2030, 1, 15)])
def test_demo_is_current_on_the_day_it_is_loaded(session, day):
    load_demo(session, day)
    regional, municipal = get_plan(session, REGIONAL_SLUG), get_plan(session, MUNICIPAL_SLUG)
    assert regional.starts_on < day < regional.ends_on and regional.status == PlanStatus.IN_PROGRESS
    go_live = next(m for m in regional.moments if m.name.startswith("Start Veilig Thuis"))
    assert go_live.starts_on.day == 1 and 28 <= (go_live.starts_on - day).days <= 62
    week = next(m for m in municipal.moments if m.observance_key == "week-tegen-kindermishandeling")
    assert week.starts_on.weekday() == 0 and week.starts_on <= dt.date(week.starts_on.year, 11, 20) <= week.ends_on
    assert week.ends_on >= day > week.starts_on - dt.timedelta(days=365), "the next edition that has not ended"
    assert municipal.title == f"Week tegen Kindermishandeling {week.starts_on.year} Arnhem"
    for plan in (regional, municipal):
        for activity in plan.activities:
            behind = activity_dates(activity, plan.ends_on)[-1] + (activity.last_day - activity.starts_on) < day
            assert (activity.status == ActivityStatus.DONE) == behind, activity.title
        assert all((d.status == DecisionStatus.DONE) == (d.decided_on < day) for d in plan.decisions)
        assert all(o.observed_on <= day for o in plan.observations)


def test_regional_demo_keeps_citizens_out_until_the_national_campaign(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    public = next(a for a in plan.audiences if a.category == AudienceCategory.GENERAL_PUBLIC)
    embargo = next(e for e in plan.embargoes if e.audience is public)
    campaign = next(m for m in plan.moments if m.name.startswith("Landelijke campagne"))
    assert embargo.not_before == campaign.starts_on
    early = [a for a in plan.activities if public in a.audiences and a.starts_on < embargo.not_before]
    assert [a.title for a in early] == ["Vooraankondiging in de lokale krant"], "exactly one deliberate conflict"


@pytest.mark.today("2026-11-18")
def test_municipal_demo_takes_the_running_theme_week(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    week = next(m for m in plan.moments if m.name == "Week tegen Kindermishandeling")
    assert (week.starts_on, week.ends_on) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert "16 november 2026 tot en met 22 november 2026" in plan.introduction
    by_title = {a.title: a for a in plan.activities}
    assert by_title["Persbericht: Arnhem doet mee"].status == ActivityStatus.DONE
    assert by_title["Ouderavond in de bibliotheek"].status == ActivityStatus.IN_PRODUCTION
    assert by_title["Nieuwsbrief: reacties en vervolg"].status == ActivityStatus.PLANNED


@pytest.mark.today("2026-11-23")
def test_municipal_demo_moves_to_next_year_once_the_week_is_over(demo_session):
    week = next(m for m in get_plan(demo_session, MUNICIPAL_SLUG).moments if m.name == "Week tegen Kindermishandeling")
    assert (week.starts_on, week.ends_on) == (dt.date(2027, 11, 15), dt.date(2027, 11, 21))
