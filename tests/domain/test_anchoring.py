import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from planner.domain.anchoring import apply_anchor, move_moment
from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.observances import catalogue
from planner.domain.plans import get_plan
from planner.domain.workdays import shift
from planner.domain.year_copy import copy_to_year
from planner.enums import MomentEdge, MomentKind, OffsetUnit
from planner.models import Activity, Moment

D = dt.date


@pytest.mark.today("2026-11-18")  # the demo takes the 2026 edition of the week
def test_demo_theme_week_plan_moves_to_2027(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    definitions = {d.key: d for d in catalogue(demo_session, plan.owner)}
    copy = copy_to_year(demo_session, plan, 2027, definitions)
    anchored = [a for a in copy.activities if a.anchor_moment is not None]
    assert len(anchored) >= 10
    week = next(m for m in copy.moments if m.observance_key == "week-tegen-kindermishandeling")
    assert (week.starts_on, week.ends_on) == (D(2027, 11, 15), D(2027, 11, 21))
    for activity in anchored:
        moment = activity.anchor_moment
        base = moment.starts_on if activity.anchor_edge == MomentEdge.START else moment.last_day
        assert activity.starts_on == shift(base, activity.anchor_offset, activity.anchor_unit), activity.title
    by_title = {a.title: a for a in copy.activities}
    assert by_title["Persbericht: Arnhem doet mee"].starts_on == D(2027, 11, 15)
    assert by_title["Ouderavond in de bibliotheek"].starts_on == D(2027, 11, 17)
    assert by_title["Gastlessen in groep 5 tot en met 8"].ends_on == D(2027, 11, 19)
    assert by_title["Gemeentepagina: aankondiging week"].starts_on == D(2027, 11, 10)
    assert by_title["Social media: Dag van de Rechten van het Kind"].starts_on == D(2027, 11, 20)
    demo_session.commit()


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=150, deadline=None)
@given(start=dates, length=st.integers(0, 10), offset=st.integers(-60, 60), duration=st.integers(0, 14),
       unit=st.sampled_from(list(OffsetUnit)), edge=st.sampled_from(list(MomentEdge)),
       moved_to=dates)
def test_moving_a_moment_and_moving_it_back_restores_every_date(start, length, offset, duration, unit, edge, moved_to):
    end = start + dt.timedelta(days=length) if length else None
    moment = Moment(name="Moment", kind=MomentKind.OTHER, starts_on=start, ends_on=end)
    activity = Activity(title="A", starts_on=start, ends_on=start + dt.timedelta(days=duration) if duration else None,
                        anchor_moment=moment, anchor_offset=offset, anchor_unit=unit, anchor_edge=edge)
    apply_anchor(activity)
    before = (activity.starts_on, activity.ends_on)
    move_moment(moment, moved_to, moved_to + dt.timedelta(days=length) if length else None)
    assert activity.starts_on != before[0] or moved_to == start or unit == OffsetUnit.WORKING_DAYS
    move_moment(moment, start, end)
    assert (activity.starts_on, activity.ends_on) == before


@pytest.mark.today("2026-11-18")  # the regional demo runs from October 2026 to March 2027
def test_a_plan_across_new_year_keeps_its_january_moments_in_the_following_year(demo_session):
    from planner.domain.demo import REGIONAL_SLUG

    plan = get_plan(demo_session, REGIONAL_SLUG)  # October 2026 to March 2027
    january = Moment(name="Week zonder geweld (eigen)", kind=MomentKind.OBSERVANCE, starts_on=D(2027, 1, 20),
                     observance_key="mensenrechtendag")
    plan.moments.append(january)
    december = Moment(name="Mensenrechtendag", kind=MomentKind.OBSERVANCE, starts_on=D(2026, 12, 10),
                      observance_key="mensenrechtendag")
    plan.moments.append(december)
    copy = copy_to_year(demo_session, plan, 2027, {d.key: d for d in catalogue(demo_session, plan.owner)})
    moved = {m.name: m.starts_on for m in copy.moments}
    assert moved["Mensenrechtendag"] == D(2027, 12, 10)
    assert moved["Week zonder geweld (eigen)"] == D(2028, 12, 10), \
        "a moment in the plan's second year moves to that year's edition"
