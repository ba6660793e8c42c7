"""Moving moments and what hangs on them, in memory (surviving mutants of anchoring.py pointed here)."""

import datetime as dt

from planner.domain.anchoring import move_moment, observance_dates
from planner.domain.observances import ObservanceDef
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.year_copy import copy_to_year
from planner.enums import MomentKind, OffsetUnit, OrganisationKind
from planner.models import ChecklistItem, Moment

D = dt.date
WEEK = ObservanceDef(key="week", name="Week tegen Kindermishandeling",
                     rule={"kind": "week_containing", "date": "11-20"}, source="test")
DAY = ObservanceDef(key="dag", name="Mensenrechtendag", rule={"kind": "date", "date": "12-10"}, source="test")


def test_moving_a_moment_moves_only_the_checklist_items_due_relative_to_it():
    week = Moment(name="Week", kind=MomentKind.OBSERVANCE, starts_on=D(2026, 11, 16), ends_on=D(2026, 11, 22))
    other = Moment(name="Ander", kind=MomentKind.OTHER, starts_on=D(2026, 10, 1))
    follows = ChecklistItem(title="Volgt", position=0, due_moment=week, due_offset=-5,
                            due_unit=OffsetUnit.WORKING_DAYS, due_on=D(2026, 11, 9))
    elsewhere = ChecklistItem(title="Elders", position=1, due_moment=other, due_offset=0, due_unit=OffsetUnit.DAYS,
                              due_on=D(2026, 10, 1))
    fixed = ChecklistItem(title="Vast", position=2, due_on=D(2026, 12, 1))
    move_moment(week, D(2027, 11, 15), D(2027, 11, 21), [follows, elsewhere, fixed])
    assert (week.starts_on, week.ends_on) == (D(2027, 11, 15), D(2027, 11, 21))
    assert [i.due_on for i in (follows, elsewhere, fixed)] == [D(2027, 11, 8), D(2026, 10, 1), D(2026, 12, 1)]


def test_a_one_day_observance_has_no_end_and_a_week_has_one():
    day = Moment(name="Dag", kind=MomentKind.OBSERVANCE, observance_key="dag", starts_on=D(2026, 12, 10))
    week = Moment(name="Week", kind=MomentKind.OBSERVANCE, observance_key="week", starts_on=D(2026, 11, 16),
                  ends_on=D(2026, 11, 22))
    definitions = {"dag": DAY, "week": WEEK}
    assert observance_dates(day, 1, definitions) == (D(2027, 12, 10), None)
    assert observance_dates(week, 1, definitions) == (D(2027, 11, 15), D(2027, 11, 21))
    # an edition set by hand for one year, with its start only (its end is read as an equal, separate date)
    moved = ObservanceDef(key="dag", name="Mensenrechtendag", rule={"kind": "date", "date": "12-10"}, source="test",
                          overrides={"2027": {"start": "2027-12-13"}})
    assert observance_dates(day, 1, {"dag": moved}) == (D(2027, 12, 13), None)


def test_a_copy_two_years_on_moves_observances_to_that_year_s_edition(session):
    owner = find_or_create_organisation(session, "Gemeente Twee Jaar", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title="Plan", owner=owner, starts_on=D(2026, 9, 7), ends_on=D(2027, 3, 26))
    plan.moments = [Moment(name="Week", kind=MomentKind.OBSERVANCE, observance_key="week", starts_on=D(2026, 11, 16),
                           ends_on=D(2026, 11, 22)),
                    Moment(name="Eigen", kind=MomentKind.OTHER, starts_on=D(2026, 10, 8))]
    copy = copy_to_year(session, plan, 2028, {"week": WEEK})
    moved = {m.name: (m.starts_on, m.ends_on) for m in copy.moments}
    assert moved["Week"] == (D(2028, 11, 20), D(2028, 11, 26))
    assert moved["Eigen"] == (D(2028, 10, 5), None), "a moment of its own keeps its weekday, two years on"
