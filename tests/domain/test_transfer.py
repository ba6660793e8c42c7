import copy
import datetime as dt
import json
import uuid

import pytest
import sqlalchemy as sa

from planner.domain.codecs import DocumentError
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.domain.transfer import FORMAT_VERSION, dumps, export_plan, import_plan
from planner.enums import OrganisationKind
from planner.models import Activity, Organisation, Plan


@pytest.mark.parametrize("slug", [REGIONAL_SLUG, MUNICIPAL_SLUG])
def test_export_import_export_gives_the_same_document(demo_session, empty_session, slug):
    first = dumps(export_plan(get_plan(demo_session, slug)))
    import_plan(empty_session, json.loads(first))
    empty_session.commit()
    empty_session.expire_all()
    assert dumps(export_plan(get_plan(empty_session, slug))) == first


def test_document_is_versioned_and_refers_by_uuid(demo_session):
    document = export_plan(get_plan(demo_session, REGIONAL_SLUG))
    # the version documents of this format say they are: a change must be deliberate (and import the old ones)
    assert document["format"] == "planner.plan" and document["format_version"] == FORMAT_VERSION == 1
    audience_ids = {a["uuid"] for a in document["audiences"]}
    assert all(set(a["audiences"]) <= audience_ids for a in document["activities"])
    assert "id" not in document["plan"]
    assert len(document["activities"]) >= 20


def _count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _broken(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


@pytest.mark.parametrize("change, fragment", [
    (lambda d: d.update(format_version=99), "format_version 99 is not supported"),
    (lambda d: d["activities"][3].update(starts_on="2027-02-30"), "activities[3].starts_on: expected a date"),
    (lambda d: d["activities"][5]["audiences"].append("00000000-0000-0000-0000-000000000000"),
     "activities[5].audiences[1]: refers to"),
    (lambda d: d["audiences"][0].update(category="aliens"), "audiences[0].category: 'aliens' is not one of"),
    (lambda d: d["plan"].update(title="x" * 10_000), "plan.title: longer than 200"),
    (lambda d: d["plan"].update(title="a\x00b"), "plan.title: contains control characters"),
    (lambda d: d["channels"][0].update(cost="veel"), "channels[0].cost: expected an amount"),
    (lambda d: d["plan"].update(ends_on="2020-01-01"), "plan.ends_on: lies before starts_on"),
    (lambda d: d["activities"].append(copy.deepcopy(d["activities"][0])), "used twice"),
    (lambda d: d.update(activities="many"), "activities: expected a list"),
    (lambda d: d.update(activities=[{}] * 20_001), "activities: expected a list of at most 20000 entries"),
    (lambda d: d["plan"].update(title="  "), "plan.title: must not be empty"),
    (lambda d: d["audiences"][0].update(name=" "), "audiences[0].name: must not be empty"),
    (lambda d: d["messages"][0].update(title=""), "messages[0].title: must not be empty"),
    (lambda d: d["activities"][0].update(title="\n"), "activities[0].title: must not be empty"),
    (lambda d: d["activities"][2].update(title="half \ud800 a character"),
     "activities[2].title: contains a lone surrogate (\\ud800)"),
    (lambda d: d["activities"][0].update(recurrence="FREQ=SOMETIMES"), "activities[0].recurrence: "),
    # the edges the mutants of transfer.py showed unguarded
    (lambda d: d.update(format_version=0), "format_version 0 is not supported"),
    (lambda d: d.pop("format_version"), "format_version None is not supported"),
    (lambda d: d["organisations"][0].update(name=" "), "organisations[0].name: must not be empty"),
    (lambda d: d["phases"][0]["items"][0].update(title=""), "phases[0].items[0].title: must not be empty"),
    (lambda d: d["activities"][0].update(anchor_offset=3651), "activities[0].anchor_offset: "),
    (lambda d: d["activities"][0].update(anchor_offset=-3651), "activities[0].anchor_offset: "),
    (lambda d: d["phases"][0]["items"][0].update(due_offset=3651), "phases[0].items[0].due_offset: "),
])
def test_invalid_document_is_rejected_and_nothing_is_added(demo_session, empty_session, change, fragment):
    document = _broken(export_plan(get_plan(demo_session, REGIONAL_SLUG)), change)
    with pytest.raises(DocumentError) as info:
        import_plan(empty_session, document)
    empty_session.rollback()
    assert fragment in str(info.value)
    assert _count(empty_session, Plan) == 0
    assert _count(empty_session, Activity) == 0
    assert _count(empty_session, Organisation) == 0


@pytest.mark.parametrize("slug", [REGIONAL_SLUG, MUNICIPAL_SLUG])
def test_importing_a_plan_that_exists_is_refused(demo_session, slug):
    document = export_plan(get_plan(demo_session, slug))
    with pytest.raises(DocumentError, match="already exists"):
        import_plan(demo_session, document)
    demo_session.rollback()
    assert _count(demo_session, Plan) == 2


def test_import_reuses_an_organisation_with_the_same_name(demo_session, empty_session):
    empty_session.add(Organisation(name="gemeente arnhem", kind="municipality"))
    empty_session.commit()
    import_plan(empty_session, export_plan(get_plan(demo_session, MUNICIPAL_SLUG)))
    empty_session.commit()
    names = [o.name.lower() for o in empty_session.scalars(sa.select(Organisation))]
    assert names.count("gemeente arnhem") == 1


def test_import_of_a_rule_with_utc_until_gives_the_same_dates(demo_session, empty_session):
    """A document whose rule has a UTC UNTIL (as feeds write it) imports, keeps its text and its dates."""
    from planner.domain.localtime import end_of_day_utc
    from planner.domain.recurrence import activity_dates

    plan = get_plan(demo_session, REGIONAL_SLUG)
    original = next(a for a in plan.activities if a.recurrence)
    dates = activity_dates(original, plan.ends_on)
    document = export_plan(plan)
    row = next(a for a in document["activities"] if a.get("recurrence") == original.recurrence)
    row["recurrence"] = f"FREQ=WEEKLY;UNTIL={end_of_day_utc(dates[-1]):%Y%m%dT%H%M%SZ}"
    import_plan(empty_session, document)
    empty_session.commit()
    copied = next(a for a in get_plan(empty_session, REGIONAL_SLUG).activities if a.recurrence)
    assert copied.recurrence == row["recurrence"]
    assert activity_dates(copied, plan.ends_on) == dates


def test_every_bounded_text_of_the_document_is_bounded_by_its_column():
    """The import refuses what the database cannot hold, and accepts all it can (what the web lets one type)."""
    from planner.domain.codecs import Text
    from planner.domain.transfer import FIELDS

    checked = 0
    for model, fields in FIELDS.items():
        for name, codec in fields.items():
            length = getattr(model.__table__.c[name].type, "length", None) if isinstance(codec, Text) else None
            if length is not None:
                assert codec.max_length == length, (model.__name__, name, codec.max_length, length)
                checked += 1
    assert checked >= 25


@pytest.mark.parametrize("offset", [-3650, 3650])
def test_offsets_at_their_bounds_import(demo_session, empty_session, offset):
    document = export_plan(get_plan(demo_session, REGIONAL_SLUG))
    document["activities"][0]["anchor_offset"] = document["phases"][0]["items"][0]["due_offset"] = offset
    plan = import_plan(empty_session, document)
    empty_session.flush()
    assert plan.activities and any(a.anchor_offset == offset for a in plan.activities)
    assert plan.phases[0].items[0].due_offset == offset


def test_import_links_the_parent_plan_by_its_uuid_and_no_other(demo_session, empty_session):
    document = export_plan(get_plan(demo_session, MUNICIPAL_SLUG))
    other = create_plan(empty_session, title="Ander plan", owner=find_or_create_organisation(
        empty_session, "Gemeente Elders", OrganisationKind.MUNICIPALITY), starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 3, 1))
    other.uuid = uuid.UUID("ffffffff-ffff-ffff-ffff-ffffffffffff")
    empty_session.flush()
    document["plan"]["parent"] = "00000000-0000-0000-0000-000000000001"  # not in this database
    assert import_plan(empty_session, document).parent is None
    empty_session.rollback()

    parent = create_plan(empty_session, title="Regio", owner=find_or_create_organisation(
        empty_session, "Regio Elders", OrganisationKind.REGION), starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 3, 1))
    empty_session.flush()
    document["plan"]["parent"] = str(parent.uuid)
    assert import_plan(empty_session, document).parent is parent
