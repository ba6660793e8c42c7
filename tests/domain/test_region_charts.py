import datetime as dt

import pytest
import time_machine

from planner.domain.region_charts import burn_up, grid, merged, plan_series, week_span
from planner.enums import ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, MomentKind
from planner.models import Activity, Audience, Channel, Moment
from tests.factories import build_plan

D = dt.date


@pytest.fixture
def plan(session):
    """Datumvenster 2027, with a weekly post to "Inwoners" (2, 16, 23, 30 March; the 9th skipped)."""
    plan = build_plan(session)
    with session.no_autoflush:
        parents = Audience(name="Ouders", category=AudienceCategory.GENERAL_PUBLIC)
        poster = Channel(name="Poster", kind=ChannelKind.LEAFLET)
        plan.audiences.append(parents)
        plan.channels.append(poster)
        plan.moments.append(Moment(name="Week tegen Kindermishandeling", kind=MomentKind.OBSERVANCE,
                                   starts_on=D(2027, 3, 15), ends_on=D(2027, 3, 21)))
        plan.activities.append(Activity(title="Poster", starts_on=D(2027, 3, 17), channel=poster,
                                        audiences=[parents, plan.audiences[0]]))
        plan.activities.append(Activity(title="Afgelast", starts_on=D(2027, 3, 17), channel=poster,
                                        audiences=[parents], status=ActivityStatus.CANCELLED))
    session.flush()
    return plan


def test_plan_series_counts_every_publication_in_its_week_per_audience_and_channel(plan):
    series = plan_series(plan)
    assert series.weeks == {D(2027, 3, 1): 1, D(2027, 3, 15): 2, D(2027, 3, 22): 1, D(2027, 3, 29): 1}
    assert series.audiences == {"Inwoners": {D(2027, 3, 1): 1, D(2027, 3, 15): 2, D(2027, 3, 22): 1,
                                             D(2027, 3, 29): 1},
                                "Ouders": {D(2027, 3, 15): 1}}  # the cancelled poster counts nowhere
    assert series.channels == {"Poster": {D(2027, 3, 15): 1}}
    assert sorted(series.marks) == [("Week tegen Kindermishandeling", D(2027, 3, 15), D(2027, 3, 21)),
                                    ("Week van de buurt", D(2027, 3, 1), D(2027, 3, 7))]


def test_grid_places_counts_and_marked_weeks_in_their_columns(plan):
    series = plan_series(plan)
    weeks = week_span(D(2027, 3, 3), D(2027, 3, 31), D(2027, 3, 1))
    assert weeks == [D(2027, 3, 1), D(2027, 3, 8), D(2027, 3, 15), D(2027, 3, 22), D(2027, 3, 29)]
    chart = grid(series.audiences, weeks, series.marks)
    assert chart.rows == [("Inwoners", [1, 0, 2, 1, 1]), ("Ouders", [0, 0, 1, 0, 0])]
    assert chart.marks == [("Week van de buurt", 0, 0), ("Week tegen Kindermishandeling", 2, 2)]
    assert chart.peak == 2 and chart.busiest() == (D(2027, 3, 15), 3)
    assert chart.column_of(D(2027, 3, 21)) == 2 and chart.column_of(D(2027, 4, 5)) is None


def test_merged_joins_rows_of_plans_by_name_whatever_the_case():
    joined = merged([{"Ouders": {D(2027, 3, 1): 2}}, {"ouders ": {D(2027, 3, 1): 1, D(2027, 3, 8): 4}},
                     {"Inwoners": {D(2027, 3, 8): 1}}])
    assert joined == {"Ouders": {D(2027, 3, 1): 3, D(2027, 3, 8): 4}, "Inwoners": {D(2027, 3, 8): 1}}


def test_week_span_of_more_than_a_year_keeps_53_weeks_around_today():
    weeks = week_span(D(2026, 1, 1), D(2028, 12, 31), D(2027, 6, 16))
    assert len(weeks) == 53 and weeks[0] <= D(2027, 6, 14) <= weeks[-1]
    assert week_span(D(2026, 1, 1), D(2028, 12, 31), D(2030, 1, 1))[-1] == D(2028, 12, 25)


def test_burn_up_counts_completions_up_to_each_week_and_stops_at_today(session, plan):
    items = [item for phase in plan.phases for item in phase.items]
    days = [D(2027, 1, 5), D(2027, 1, 12), D(2027, 1, 13), D(2027, 2, 1)]
    for item, day in zip(items, days):
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 12), tick=False):
            item.status = ChecklistStatus.DONE
    items[len(days)].status = ChecklistStatus.NOT_APPLICABLE
    session.flush()
    series = plan_series(plan)
    assert series.completions == tuple(days) and series.items == len(items) - 1
    weeks = week_span(D(2027, 1, 11), D(2027, 2, 28), D(2027, 1, 20))
    burn = burn_up([series], weeks, D(2027, 1, 20))
    assert burn.done == [1 + 2, 3]  # the week of 11 January, and that of today (18 January) up to today
    assert burn.completed == 3 and burn.total == len(items) - 1


def test_checklist_item_remembers_the_day_it_was_done_and_forgets_it_when_reopened(session, plan):
    item = plan.phases[0].items[0]
    with time_machine.travel(dt.datetime(2027, 2, 3, 12), tick=False):
        item.status = ChecklistStatus.DONE
        session.flush()
    assert item.completed_on == D(2027, 2, 3)
    with time_machine.travel(dt.datetime(2027, 2, 9, 12), tick=False):
        item.status = ChecklistStatus.DONE  # saved again unchanged: still done since the 3rd
        assert item.completed_on == D(2027, 2, 3)
        item.status = ChecklistStatus.OPEN
        assert item.completed_on is None
        item.status = ChecklistStatus.DONE
    assert item.completed_on == D(2027, 2, 9)


def test_grid_limited_keeps_the_busiest_rows_in_their_order_and_counts_the_rest():
    weeks = [D(2027, 3, 1), D(2027, 3, 8)]
    chart = grid({"A": {weeks[0]: 1}, "B": {weeks[0]: 5}, "C": {weeks[1]: 3}, "D": {}}, weeks).limited(2)
    assert chart.rows == [("B", [5, 0]), ("C", [0, 3])] and chart.omitted == 2
