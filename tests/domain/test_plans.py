import datetime as dt

import pytest
import sqlalchemy as sa

from planner.domain.plans import (
    add_partner, create_plan, find_or_create_organisation, get_plan, revise_message, unique_slug,
)
from planner.enums import AudienceCategory, ChannelKind
from planner.models import Activity, Audience, Channel, ChecklistItem, KeyMessage, Organisation, Plan

D = dt.date


@pytest.fixture
def plan(session):
    owner = find_or_create_organisation(session, "Gemeente Testdorp")
    plan = create_plan(session, title="Week tegen Kindermishandeling 2027", owner=owner,
                       starts_on=D(2027, 9, 1), ends_on=D(2027, 12, 1))
    session.commit()
    return plan


def test_slug_is_readable_and_unique(session, plan):
    assert plan.slug == "week-tegen-kindermishandeling-2027"
    second = create_plan(session, title="Week tegen Kindermishandeling 2027", owner=plan.owner,
                         starts_on=D(2027, 9, 1), ends_on=D(2027, 12, 1))
    session.commit()
    assert second.slug == "week-tegen-kindermishandeling-2027-2"
    assert unique_slug(session, "Ünïcode & spaties!") == "unicode-spaties"
    assert unique_slug(session, "!!!") == "plan"


def test_slug_of_very_long_title_fits_the_column(session):
    assert len(unique_slug(session, "woord " * 200)) <= 120


def test_plan_cannot_end_before_it_starts(session):
    owner = find_or_create_organisation(session, "Gemeente Testdorp")
    with pytest.raises(ValueError):
        create_plan(session, title="Fout", owner=owner, starts_on=D(2027, 2, 1), ends_on=D(2027, 1, 1))


def test_organisations_are_matched_case_insensitively(session):
    first = find_or_create_organisation(session, "GGD  Gelderland-Midden")
    again = find_or_create_organisation(session, "ggd gelderland-midden")
    assert first is again
    assert first.name == "GGD Gelderland-Midden"


def test_revising_a_message_keeps_the_old_text(session, plan):
    audience = Audience(name="Ouders", category=AudienceCategory.GENERAL_PUBLIC)
    plan.audiences.append(audience)
    message = KeyMessage(audience=audience, title="Eerste", body="Tekst een")
    plan.messages.append(message)
    session.flush()
    revise_message(message, "Tweede", "Tekst twee")
    revise_message(message, "Tweede", "Tekst twee")  # no change, no new version
    session.commit()
    assert message.version == 2
    assert [(v.version, v.title, v.body) for v in message.history] == [(1, "Eerste", "Tekst een")]


def test_deleting_a_plan_removes_its_rows_but_not_organisations(session, plan):
    add_partner(session, plan, "Veilig Thuis")
    plan.channels.append(Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=10))
    plan.activities.append(Activity(title="Posters", starts_on=D(2027, 11, 15)))
    session.commit()
    session.delete(plan)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(ChecklistItem)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0
    assert {o.name for o in session.scalars(sa.select(Organisation))} == {"Gemeente Testdorp", "Veilig Thuis"}


def test_deleting_a_channel_keeps_its_activities(session, plan):
    channel = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=10)
    plan.channels.append(channel)
    plan.activities.append(Activity(title="Posters", starts_on=D(2027, 11, 15), channel=channel))
    session.commit()
    session.delete(channel)
    session.commit()
    session.expire_all()
    activity = get_plan(session, plan.slug).activities[0]
    assert activity.title == "Posters" and activity.channel is None


def test_database_rejects_an_activity_that_ends_before_it_starts(session, plan):
    plan.activities.append(Activity(title="Fout", starts_on=D(2027, 11, 15), ends_on=D(2027, 11, 1)))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_times_are_stored_timezone_aware(session, plan):
    session.expire_all()
    reloaded = session.get(Plan, plan.id)
    assert reloaded.created_at.tzinfo is not None
    assert reloaded.updated_at >= reloaded.created_at


def test_the_database_counts_the_matrix_as_the_plan_itself_would(demo_session):
    """The overview counts each audience's activities and channels in SQL; it must agree with the plan's rows."""
    from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
    from planner.domain.matrix import _reach_in_database, _reach_in_memory
    from planner.domain.plans import get_plan
    from planner.enums import ActivityStatus

    for slug in (REGIONAL_SLUG, MUNICIPAL_SLUG):
        plan = get_plan(demo_session, slug)
        plan.activities[0].status = ActivityStatus.CANCELLED  # cancelled ones count in neither
        demo_session.flush()
        in_memory, in_database = _reach_in_memory(plan), _reach_in_database(demo_session, plan)
        assert in_database == in_memory and sum(in_memory[0].values()) > 10


def test_changing_a_link_collection_changes_its_owner(demo_session):
    """Link tables have no time of their own: an activity's audiences and an audience's intermediaries count as
    changes of the activity and the audience, so feeds, caches and the version check notice them."""
    from planner.domain.demo import REGIONAL_SLUG
    from planner.domain.documents import document_stamp
    from planner.domain.plan_cache import plan_stamp
    from planner.domain.plans import get_plan

    plan = get_plan(demo_session, REGIONAL_SLUG)
    activity, audience = plan.activities[0], plan.audiences[0]
    other = next(a for a in plan.audiences if a not in activity.audiences)
    partner = next(p for p in plan.partners if p not in audience.intermediaries)
    versions = (activity.row_version, audience.row_version)
    stamps = (plan_stamp(demo_session, plan.id), document_stamp(demo_session, plan.id))
    activity.audiences.append(other)
    audience.intermediaries.append(partner)
    demo_session.flush()
    assert activity.row_version == versions[0] + 1 and audience.row_version == versions[1] + 1
    assert plan_stamp(demo_session, plan.id) != stamps[0] and document_stamp(demo_session, plan.id) != stamps[1]


def test_a_new_translation_changes_the_documents_stamp(demo_session):
    from planner.domain.demo import REGIONAL_SLUG
    from planner.domain.documents import document_stamp
    from planner.domain.plans import get_plan
    from planner.models import MessageTranslation

    plan = get_plan(demo_session, REGIONAL_SLUG)
    before = document_stamp(demo_session, plan.id)
    demo_session.add(MessageTranslation(message=plan.messages[0], language="tr", body="Merhaba"))
    demo_session.flush()
    assert document_stamp(demo_session, plan.id) != before
