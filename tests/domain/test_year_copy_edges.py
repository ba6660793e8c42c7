"""Copying a plan to another year, at the edges: odd years, more than one year on, back a year, 29 February and
the longest title."""

import datetime as dt

import pytest

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.observances import catalogue
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.domain.year_copy import copy_to_year
from planner.enums import OrganisationKind

D = dt.date
WEEK = "week-tegen-kindermishandeling"


def copy(session, plan, year):
    new = copy_to_year(session, plan, year, {d.key: d for d in catalogue(session, plan.owner)})
    session.commit()
    return new


def week_of(plan):
    moment = next(m for m in plan.moments if m.observance_key == WEEK)
    return moment.starts_on, moment.ends_on


def simple_plan(session, title, starts_on):
    owner = find_or_create_organisation(session, "Gemeente Randgeval", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title=title, owner=owner, starts_on=starts_on,
                       ends_on=starts_on + dt.timedelta(days=30))
    session.commit()
    return plan


@pytest.mark.today("2026-11-18")
def test_a_plan_of_an_odd_year_moves_on_to_the_next_year(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    of_2027 = copy(demo_session, plan, 2027)
    of_2028 = copy(demo_session, of_2027, 2028)
    assert of_2028.starts_on == of_2027.starts_on + dt.timedelta(weeks=52)
    assert week_of(of_2028) == (D(2028, 11, 20), D(2028, 11, 26))  # the third full week of November


@pytest.mark.today("2026-11-18")
def test_a_copy_two_years_on_takes_that_year_s_moments(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    later = copy(demo_session, plan, 2028)
    assert later.starts_on == plan.starts_on + dt.timedelta(weeks=104)
    assert week_of(later) == (D(2028, 11, 20), D(2028, 11, 26))


@pytest.mark.today("2026-11-18")
def test_a_copy_to_an_earlier_year_moves_back(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    earlier = copy(demo_session, plan, 2025)
    assert earlier.starts_on == plan.starts_on - dt.timedelta(weeks=52)
    assert week_of(earlier) == (D(2025, 11, 17), D(2025, 11, 23))


@pytest.mark.today("2026-11-18")
def test_a_copy_four_years_on_starts_on_the_same_weekday_nearest_the_same_date(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    later = copy(demo_session, plan, 2030)
    same_date = plan.starts_on.replace(year=2030)
    assert later.starts_on.weekday() == plan.starts_on.weekday()
    assert abs((later.starts_on - same_date).days) <= 3, (later.starts_on, same_date)


def test_a_plan_that_starts_on_29_february_is_copied_to_years_without_it(session):
    plan = simple_plan(session, "Schrikkeldagactie 2028", D(2028, 2, 29))  # a Tuesday
    next_year = copy(session, plan, 2029)
    assert next_year.title == "Schrikkeldagactie 2029"
    assert next_year.starts_on == D(2029, 2, 27)  # 52 weeks on: the Tuesday nearest to 28 February
    nine_years_on = copy(session, plan, 2037)
    assert nine_years_on.starts_on == D(2037, 3, 3)  # the Tuesday nearest to 28 February 2037


def test_the_copy_s_title_fills_the_200_characters_a_title_holds(session):
    title = "Campagne " + "x" * 191  # 200 characters, no year in it: the year is added and cut off again
    plan = simple_plan(session, title, D(2026, 3, 2))
    copied = copy(session, plan, 2027)
    assert len(copied.title) == 200 and copied.title == title
