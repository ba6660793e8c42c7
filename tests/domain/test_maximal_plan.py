"""Next year's copy and the JSON round trip on a plan that uses every feature (tests/factories.build_maximal_plan)."""

import copy as copying
import datetime as dt
import json

import pytest
import sqlalchemy as sa

from planner.domain.codecs import DocumentError
from planner.domain.observances import catalogue
from planner.domain.plans import get_plan
from planner.domain.transfer import dumps, export_plan, import_plan
from planner.domain.year_copy import copy_to_year
from planner.enums import ActivityStatus, ChecklistStatus, DecisionStatus, PlanStatus
from planner.models import Activity, Embargo, Moment, Organisation, Plan
from tests.factories import build_maximal_plan

D = dt.date
YEAR = dt.timedelta(weeks=52)  # 7 September 2026 (Monday) -> 6 September 2027 (Monday)


@pytest.fixture
def maximal(session):
    return build_maximal_plan(session)


@pytest.fixture
def next_year(session, maximal):
    regional, local = maximal
    copy = copy_to_year(session, local, 2027, {d.key: d for d in catalogue(session, local.owner)})
    session.commit()
    session.expire_all()
    return get_plan(session, local.slug), get_plan(session, copy.slug)


def by_name(rows, attribute="name"):
    return {getattr(row, attribute): row for row in rows}


def test_next_year_keeps_every_embargo_by_date_and_by_moment(next_year):
    old, new = next_year
    assert (new.starts_on, new.ends_on) == (D(2027, 9, 6), old.ends_on + YEAR)
    week = by_name(new.moments)["Week tegen Kindermishandeling"]
    assert (week.starts_on, week.ends_on) == (D(2027, 11, 15), D(2027, 11, 21))
    embargoes = {e.audience.name: e for e in new.embargoes}
    assert set(embargoes) == {"Inwoners", "Leerlingen"}
    public, pupils = embargoes["Inwoners"], embargoes["Leerlingen"]
    assert public.not_before_moment is week and public.not_after == D(2028, 2, 28)
    assert (public.reason, public.first_allowed) == ("Inwoners pas met de landelijke campagne", D(2027, 11, 15))
    assert pupils.not_before == D(2027, 9, 30) and pupils.not_after_moment is week
    assert pupils.last_allowed == D(2027, 11, 21)
    assert all(e.plan is new and e.audience.plan is new for e in new.embargoes)


def test_next_year_shifts_until_and_skipped_dates_of_a_repetition(next_year):
    old, new = next_year
    weekly = by_name(new.activities, "title")["Wekelijkse les"]
    assert weekly.starts_on == D(2027, 10, 12) and weekly.starts_on.weekday() == 1
    assert weekly.recurrence == "FREQ=WEEKLY;UNTIL=20271123"
    assert weekly.exdates == ["2027-10-19", "2027-10-26"]
    assert (weekly.start_time, weekly.end_time) == (dt.time(9, 30), dt.time(10, 15))


def test_next_year_keeps_every_relation_inside_the_new_plan(next_year):
    old, new = next_year
    activities = by_name(new.activities, "title")
    weekly, press = activities["Wekelijkse les"], activities["Persbericht bij de start van de week"]
    week = by_name(new.moments)["Week tegen Kindermishandeling"]
    assert [a.name for a in weekly.audiences] == ["Leerlingen"] and weekly.audiences[0].plan is new
    assert weekly.sender.plan is new and weekly.sender.name == "Basisschool De Linde"
    assert weekly.channel.plan is new and weekly.channel.name == "Website"
    assert weekly.message.plan is new and weekly.message.title == "Praat erover met iemand"
    assert weekly.message.audience is weekly.audiences[0]
    assert sorted((t.language, t.body) for t in weekly.message.translations) == sorted(
        (t.language, t.body) for t in by_name(old.messages, "title")["Praat erover met iemand"].translations)
    assert [p.name for p in weekly.audiences[0].intermediaries] == ["Basisschool De Linde"]
    assert sorted((a.name, a.languages) for a in new.audiences) == sorted((a.name, a.languages) for a in old.audiences)
    assert ["ar", "tr"] in [a.languages for a in new.audiences]
    assert weekly.audiences[0].intermediaries[0].plan is new
    assert [c.name for c in weekly.sender.contacts] == ["Juf Ans"]
    assert press.anchor_moment is week and press.starts_on == D(2027, 11, 11)  # 2 working days before the 15th
    assert press.sender.name == "GGD Maximaal" and press.channel.name == "Poster"
    item = new.phases[2].items[0]
    assert item.due_moment is week and item.due_on == D(2027, 11, 8)  # 5 working days before the 15th
    assert new.phases[0].items[2].due_on == D(2027, 10, 1) and new.phases[0].items[2].owner_name == "Mia Maximaal"
    assert {i.status for p in new.phases for i in p.items} == {ChecklistStatus.OPEN}
    assert {a.status for a in new.activities} == {ActivityStatus.PLANNED}
    assert [(d.title, d.decided_on, d.status) for d in new.decisions if d.title == "Akkoord wethouder"] == [
        ("Akkoord wethouder", D(2027, 9, 21), DecisionStatus.PLANNED)]
    assert new.observations == [] and new.snapshots == [] and new.status == PlanStatus.DRAFT
    assert new.parent is old.parent and new.predecessor is old


def test_next_year_keeps_the_links_to_the_regional_plan(next_year):
    old, new = next_year
    for collection in ("audiences", "messages", "channels"):
        before = {row.source_uuid: row.overridden for row in getattr(old, collection)}
        after = {row.source_uuid: row.overridden for row in getattr(new, collection)}
        assert after == before and None not in after, collection
    regional = [a for a in new.activities if a.title == "Regionale campagnestart"]
    assert [a.source_uuid for a in regional] == [a.uuid for a in old.parent.activities]
    assert by_name(new.audiences)["Leerlingen"].overridden


def test_export_import_export_of_the_maximal_plans_is_identical(session, maximal, empty_session):
    regional, local = maximal
    documents = [dumps(export_plan(get_plan(session, plan.slug))) for plan in (regional, local)]
    assert json.loads(documents[1])["snapshots"][0]["document"]["plan"]["slug"] == local.slug
    for document in documents:  # the region first, so that the local plan finds its parent
        import_plan(empty_session, json.loads(document))
        empty_session.commit()
    empty_session.expire_all()
    assert [dumps(export_plan(get_plan(empty_session, plan.slug))) for plan in (regional, local)] == documents
    imported = get_plan(empty_session, local.slug)
    assert imported.parent.slug == regional.slug and len(imported.snapshots) == 1


@pytest.mark.parametrize("collection, change, fragment", [
    ("activities", lambda row: row.update(ends_on="2026-01-01"), "ends_on: lies before starts_on"),
    ("moments", lambda row: row.update(ends_on="2026-01-01"), "ends_on: lies before starts_on"),
    ("embargoes", lambda row: row.update(not_before="2027-01-01", not_after="2026-01-01"),
     "not_after: lies before not_before"),
    ("embargoes", lambda row: row.update(not_before=None, not_after=None, not_before_moment=None,
                                         not_after_moment=None), "has no bound"),
])
def test_rows_that_end_before_they_start_give_a_clear_import_error(session, maximal, empty_session, collection,
                                                                   change, fragment):
    regional, local = maximal
    document = copying.deepcopy(export_plan(get_plan(session, regional.slug)))
    import_plan(empty_session, document)
    empty_session.commit()
    document = copying.deepcopy(export_plan(get_plan(session, local.slug)))
    change(document[collection][0])
    with pytest.raises(DocumentError) as info:
        import_plan(empty_session, document)
    empty_session.rollback()
    assert str(info.value).startswith(f"{collection}[0]") and fragment in str(info.value)
    assert empty_session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 1
    for model in (Activity, Moment, Embargo):
        assert empty_session.scalar(sa.select(sa.func.count()).select_from(model).join(Plan).where(
            Plan.slug == local.slug)) == 0
    assert empty_session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
