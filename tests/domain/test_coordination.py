import datetime as dt

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain import gates, regional
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.observances import catalogue
from planner.domain.overview import Filters, as_csv, overview
from planner.domain.plan_cache import PlanCache, plan_stamp, plan_stamps
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.domain.year_copy import copy_to_year
from planner.enums import (
    ActivityStatus, ChecklistStatus, Level, OffsetUnit, OrganisationKind, PhaseKey, PlanStatus,
)
from planner.models import Activity, Observation, Plan

D = dt.date


@pytest.mark.today("2026-11-18")  # the demo plans the 2026 week
def test_next_year_copy_reanchors_shifts_and_resets(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    week = next(m for m in plan.moments if m.observance_key == "week-tegen-kindermishandeling")
    item = plan.phases[2].items[0]
    item.due_moment, item.due_offset, item.due_unit = week, -3, OffsetUnit.WORKING_DAYS
    plan.phases[0].items[0].due_on = D(2026, 9, 10)
    demo_session.commit()
    copy = copy_to_year(demo_session, plan, 2027, {d.key: d for d in catalogue(demo_session, plan.owner)})
    demo_session.commit()
    assert copy.predecessor is plan and copy.slug == "week-tegen-kindermishandeling-2027-arnhem"
    assert copy.title == "Week tegen Kindermishandeling 2027 Arnhem" and copy.status == PlanStatus.DRAFT
    new_week = next(m for m in copy.moments if m.observance_key == "week-tegen-kindermishandeling")
    assert (new_week.starts_on, new_week.ends_on) == (D(2027, 11, 15), D(2027, 11, 21))
    by_title = {a.title: a for a in copy.activities}
    assert by_title["Persbericht: Arnhem doet mee"].starts_on == D(2027, 11, 15)
    assert by_title["Startoverleg met scholen, GGD en Veilig Thuis"].starts_on == D(2027, 9, 14)  # Tuesday again
    old = {a.title: a for a in plan.activities}
    for title, activity in by_title.items():
        if activity.anchor_moment is None:
            assert activity.starts_on.weekday() == old[title].starts_on.weekday()
    assert {a.status for a in copy.activities} == {ActivityStatus.PLANNED}
    assert copy.observations == [] and plan.observations
    items = [i for p in copy.phases for i in p.items]
    assert {i.status for i in items} == {ChecklistStatus.OPEN}
    assert copy.phases[2].items[0].due_on == D(2027, 11, 10)  # 3 working days before 15 November
    assert copy.phases[0].items[0].due_on == D(2027, 9, 9)  # a Thursday, like 10 September 2026


def test_gate_records_decision_and_snapshot_and_lists_changes(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    with pytest.raises(ValueError):
        gates.move_plan(demo_session, plan, plan.status, plan.phase, "x", "", D(2026, 11, 23))
    decision = gates.move_plan(demo_session, plan, PlanStatus.APPROVED, PhaseKey.EXECUTION, "College van B en W",
                               "Vastgesteld in de collegevergadering", D(2026, 11, 23))
    demo_session.commit()
    assert decision.kind.value == "approval" and decision.participants == "College van B en W"
    assert "status In uitvoering → Vastgesteld" in decision.title
    snapshot = gates.approved_snapshot(plan)
    assert snapshot.document["plan"]["status"] == "approved"
    assert gates.changes_since(plan, snapshot) == []
    plan.activities[0].title = "Andere titel"
    plan.activities.append(Activity(title="Nieuw", starts_on=D(2027, 2, 1)))
    demo_session.delete(plan.channels[0])
    demo_session.commit()
    demo_session.expire_all()
    changes = {(c.collection, c.kind, c.name) for c in gates.changes_since(get_plan(demo_session, REGIONAL_SLUG),
                                                                            snapshot)}
    assert ("activities", "changed", "Andere titel") in changes and ("activities", "added", "Nieuw") in changes
    assert any(kind == "removed" and collection == "channels" for collection, kind, _ in changes)


def test_snapshots_do_not_carry_the_snapshots_before_them(demo_session):
    """Each gate keeps the plan as it is, not every earlier snapshot again: snapshots must not grow per gate."""
    import json

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    steps = [(PlanStatus.AWAITING_APPROVAL, PhaseKey.PREPARATION), (PlanStatus.APPROVED, PhaseKey.PREPARATION),
             (PlanStatus.IN_PROGRESS, PhaseKey.EXECUTION), (PlanStatus.COMPLETED, PhaseKey.EXECUTION)]
    for status, phase in steps:
        if (status, phase) != (plan.status, plan.phase):
            gates.move_plan(demo_session, plan, status, phase, "Team", "", D(2026, 11, 23))
    demo_session.commit()
    sizes = [len(json.dumps(s.document)) for s in plan.snapshots]
    assert len(sizes) >= 3 and all("snapshots" not in s.document for s in plan.snapshots)
    assert max(sizes) < min(sizes) * 1.2  # one more decision per gate, nothing more


def test_local_plan_follows_the_region(demo_session):
    region = get_plan(demo_session, REGIONAL_SLUG)
    municipality = find_or_create_organisation(demo_session, "Gemeente Zevenaar", OrganisationKind.MUNICIPALITY)
    local = regional.create_local_plan(demo_session, region, municipality, "Veilig Thuis in Zevenaar")
    demo_session.commit()
    regional_activities = [a for a in region.activities if a.level == Level.REGIONAL]
    assert len(local.activities) == len(regional_activities) and local.parent is region
    assert {a.source_uuid for a in local.activities} == {a.uuid for a in regional_activities}
    assert regional.regional_changes(local) == []
    local.activities.append(Activity(title="Lokale bijeenkomst", starts_on=D(2027, 2, 3), level=Level.LOCAL))
    message = region.messages[0]
    message.body = "Aangepaste regionale tekst"
    region.audiences[0].description = "Nieuw"
    region.activities.append(Activity(title="Nieuw regionaal", starts_on=D(2027, 3, 1), level=Level.REGIONAL))
    demo_session.commit()
    changes = {(c.kind, c.name) for c in regional.regional_changes(local)}
    assert ("changed", message.title) in changes and ("new", "Nieuw regionaal") in changes
    assert all(name != "Lokale bijeenkomst" for _, name in changes), "local activities stay local"
    change = next(c for c in regional.regional_changes(local) if c.name == message.title)
    regional.accept(change.local, change.source)
    audience_change = next(c for c in regional.regional_changes(local) if c.kind == "changed")
    regional.keep_local(audience_change.local)
    new = next(c for c in regional.regional_changes(local) if c.kind == "new")
    regional.take_over(demo_session, local, new.source)
    demo_session.commit()
    assert regional.regional_changes(local) == []
    assert change.local.body == "Aangepaste regionale tekst"


def _add_plans(session, first, count, activities=30):
    region = find_or_create_organisation(session, "Regio Test", OrganisationKind.REGION)
    for n in range(first, first + count):
        owner = find_or_create_organisation(session, f"Gemeente {n}", OrganisationKind.MUNICIPALITY)
        owner.region = region
        plan = create_plan(session, title=f"Plan {n}", owner=owner, starts_on=D(2026, 11, 1), ends_on=D(2027, 6, 1))
        for a in range(activities):
            plan.activities.append(Activity(title=f"A{a}", starts_on=D(2026, 11, 24) + dt.timedelta(days=a)))
    session.commit()
    return region


def _count_statements(session, engine, region):
    session.expunge_all()
    region = session.merge(region)
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        summaries = overview(session, D(2026, 11, 23), Filters(region=region))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return summaries, len(statements)


def test_overview_statements_do_not_grow_with_the_number_of_plans(session, engine):
    region = _add_plans(session, 0, 5)
    five, statements_for_5 = _count_statements(session, engine, region)
    region = _add_plans(session, 5, 20)
    twenty_five, statements_for_25 = _count_statements(session, engine, region)
    assert (len(five), len(twenty_five)) == (5, 25)
    assert statements_for_5 == statements_for_25 <= 11
    assert all(s.upcoming_activities == 14 for s in twenty_five)  # 24 Nov to 7 Dec of the 30 daily ones


def test_overview_counts_and_csv(demo_session):
    region = get_plan(demo_session, REGIONAL_SLUG).owner
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.phases[2].items[4].due_on = clock.today() - dt.timedelta(days=22)
    plan.title = "=HYPERLINK(\"x\")"
    demo_session.commit()
    summaries = {s.plan.slug: s for s in overview(demo_session, clock.today(), Filters(region=region))}
    assert summaries[REGIONAL_SLUG].errors == 1 and summaries[MUNICIPAL_SLUG].overdue_items == 1
    assert summaries[REGIONAL_SLUG].progress[PhaseKey.INITIATIVE] == (6, 6)
    text = as_csv(list(summaries.values()))
    assert text.splitlines()[0].startswith("slug;title;organisation;status;phase;progress_initiative")
    assert "'=HYPERLINK" in text, "formulas are neutralised"
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Observation)) > 0


def test_the_stamps_of_many_plans_are_each_plans_own_stamp(demo_session):
    plans = list(demo_session.scalars(sa.select(Plan)))
    empty = create_plan(demo_session, title="Leeg plan", owner=plans[0].owner, starts_on=D(2027, 1, 1),
                        ends_on=D(2027, 3, 1))
    demo_session.commit()
    ids = [plan.id for plan in plans] + [empty.id]
    assert plan_stamps(demo_session, ids) == {plan_id: plan_stamp(demo_session, plan_id) for plan_id in ids}
    assert plan_stamps(demo_session, []) == {}


def test_the_overview_loads_again_only_the_plans_that_changed(session, engine):
    region = _add_plans(session, 0, 4, activities=3)
    cache = PlanCache()
    loaded = []

    def count(target, *args):
        loaded.append(target.title)

    def summaries():
        session.expunge_all()
        sa.event.listen(Plan, "load", count)
        sa.event.listen(Plan, "refresh", count)
        try:
            return {s.plan.title: s for s in overview(session, D(2026, 11, 23), Filters(region=session.merge(region)), cache=cache)}
        finally:
            sa.event.remove(Plan, "load", count)
            sa.event.remove(Plan, "refresh", count)

    first = summaries()
    assert loaded.count("Plan 1") == 2  # listed, then loaded with its contents
    loaded.clear()
    again = summaries()
    assert sorted(loaded) == ["Plan 0", "Plan 1", "Plan 2", "Plan 3"]  # listed only
    assert {k: (v.upcoming_activities, v.errors) for k, v in again.items()} == \
        {k: (v.upcoming_activities, v.errors) for k, v in first.items()}
    plan = session.scalar(sa.select(Plan).where(Plan.title == "Plan 2"))
    plan.activities.append(Activity(title="Nog een", starts_on=D(2026, 11, 25)))
    session.commit()
    loaded.clear()
    after = summaries()
    assert sorted(loaded) == ["Plan 0", "Plan 1", "Plan 2", "Plan 2", "Plan 3"]  # only Plan 2 loaded again
    assert after["Plan 2"].upcoming_activities == first["Plan 2"].upcoming_activities + 1
    assert after["Plan 1"].upcoming_activities == first["Plan 1"].upcoming_activities
