import datetime as dt

import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG, load_demo
from planner.domain.plans import get_plan
from planner.enums import AudienceCategory
from planner.models import Plan


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


def test_regional_demo_keeps_citizens_out_until_the_national_campaign(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    public = next(a for a in plan.audiences if a.category == AudienceCategory.GENERAL_PUBLIC)
    embargo = next(e for e in plan.embargoes if e.audience is public)
    assert embargo.not_before == dt.date(2027, 1, 11)
    early = [a for a in plan.activities if public in a.audiences and a.starts_on < embargo.not_before]
    assert len(early) == 1, "the demo carries exactly one deliberate embargo conflict"


def test_municipal_demo_uses_the_2026_theme_week(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    week = next(m for m in plan.moments if m.name == "Week tegen Kindermishandeling")
    assert (week.starts_on, week.ends_on) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert week.starts_on.weekday() == 0
