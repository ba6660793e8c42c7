"""The trash: a delete takes its cascade with it, and restoring gives back the same plan, links and all."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain import trash
from planner.domain.feeds import create_subscription
from planner.domain.transfer import export_plan
from planner.enums import ChannelKind, FeedScope
from planner.models import (
    Activity, Audience, AuditEntry, Channel, ChecklistItem, FeedTombstone, KeyMessage, Moment, Partner, Plan,
    Subscription, UndoEntry,
)
from tests.factories import build_maximal_plan


def _without_stamps(value):
    """The export without what a restore is meant to change (updated_at)."""
    if isinstance(value, dict):
        return {k: _without_stamps(v) for k, v in value.items() if k != "updated_at"}
    if isinstance(value, list):
        return [_without_stamps(v) for v in value]
    return value


def _export(session, slug):
    session.expire_all()
    return _without_stamps(export_plan(session.scalar(sa.select(Plan).where(Plan.slug == slug))))


@pytest.mark.parametrize("model, pick", [
    (Activity, lambda plan: next(a for a in plan.activities if a.recurrence)),
    (Activity, lambda plan: next(a for a in plan.activities if a.anchor_moment)),
    (Moment, lambda plan: next(m for m in plan.moments if m.anchored_activities)),
    (Audience, lambda plan: next(a for a in plan.audiences if a.name == "Leerlingen")),
    (KeyMessage, lambda plan: next(m for m in plan.messages if m.translations)),
    (Channel, lambda plan: next(c for c in plan.channels if c.name == "Poster")),
    (Partner, lambda plan: next(p for p in plan.partners if p.contacts)),
    (ChecklistItem, lambda plan: plan.phases[2].items[0]),
])
def test_restoring_a_deleted_item_gives_back_the_same_plan(session, model, pick):
    _, plan = build_maximal_plan(session)
    slug = plan.slug
    before = _export(session, slug)
    plan = session.scalar(sa.select(Plan).where(Plan.slug == slug))
    row = pick(plan)
    row_uuid = row.uuid
    entry = trash.discard(session, [row], model.__tablename__, "weg", plan=plan)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(model).where(model.uuid == row_uuid)) == 0
    assert _export(session, slug) != before
    assert [e.uuid for e in trash.plan_trash(session, plan)] == [entry.uuid]

    trash.undo(session, session.get(UndoEntry, entry.id))
    session.commit()
    assert _export(session, slug) == before
    assert trash.plan_trash(session, plan) == []
    restored = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "restore"))
    assert restored.entity == model.__name__ and restored.entity_uuid == row_uuid
    head = session.scalar(sa.select(AuditEntry).where(AuditEntry.batch == restored.batch, AuditEntry.action == "batch"))
    assert (head.entity, head.entity_uuid, head.summary) == ("undo", entry.uuid, "weg")


def test_a_restored_activity_leaves_its_tombstone_and_counts_as_changed(session):
    _, plan = build_maximal_plan(session)
    activity = next(a for a in plan.activities if a.anchor_moment)
    uid, sequence, version = f"{activity.uuid}@planner", activity.sequence, activity.row_version
    entry = trash.discard(session, [activity], "activities", activity.title, plan=plan)
    session.commit()
    tombstone = session.scalar(sa.select(FeedTombstone).where(FeedTombstone.uid == uid))
    assert tombstone.sequence == sequence + 1
    trash.undo(session, entry)
    session.commit()
    back = session.scalar(sa.select(Activity).where(Activity.title == "Persbericht bij de start van de week"))
    assert back.sequence == sequence + 2 and back.row_version == version + 1
    assert session.scalar(sa.select(FeedTombstone).where(FeedTombstone.uid.like(f"{back.uuid}%"))) is None


def test_a_deleted_plan_comes_back_whole_with_its_feed_links_and_children(session):
    regional, plan = build_maximal_plan(session)
    slug, owner_id = plan.slug, plan.owner_id
    partner = next(p for p in plan.partners if p.contacts)
    create_subscription(session, plan, "Voor de school", FeedScope.PARTNER, partner=partner)
    session.commit()
    before = _export(session, slug)
    tokens = set(session.scalars(sa.select(Subscription.token_hash)))
    plan = session.scalar(sa.select(Plan).where(Plan.slug == slug))
    entry = trash.discard(session, [plan], "plan", plan.title)
    session.commit()
    assert session.scalar(sa.select(Plan).where(Plan.slug == slug)) is None
    assert [e.uuid for e in trash.deleted_plans(session, [owner_id])] == [entry.uuid]
    trash.undo(session, entry)
    session.commit()
    assert _export(session, slug) == before
    assert set(session.scalars(sa.select(Subscription.token_hash))) == tokens
    assert session.scalar(sa.select(Plan).where(Plan.slug == slug)).parent.slug == regional.slug


def test_a_restore_under_a_taken_identifier_gets_a_new_one_and_keeps_its_links(session):
    _, plan = build_maximal_plan(session)
    channel = next(c for c in plan.channels if c.name == "Poster")
    users = {a.title for a in plan.activities if a.channel is channel}
    entry = trash.discard(session, [channel], "channels", channel.name, plan=plan)
    session.commit()
    blocker = Channel(id=channel.id, plan=plan, name="Flyer", kind=ChannelKind.POSTER)
    session.add(blocker)
    session.commit()
    trash.undo(session, entry)
    session.commit()
    poster = session.scalar(sa.select(Channel).where(Channel.plan_id == plan.id, Channel.name == "Poster"))
    assert poster.id != blocker.id
    assert {a.title for a in session.scalars(sa.select(Activity).where(Activity.channel_id == poster.id))} == users


def test_a_name_taken_again_refuses_the_restore_and_changes_nothing(session):
    _, plan = build_maximal_plan(session)
    channel = next(c for c in plan.channels if c.name == "Poster")
    entry = trash.discard(session, [channel], "channels", channel.name, plan=plan)
    session.commit()
    session.add(Channel(plan=plan, name="Poster", kind=ChannelKind.POSTER))
    session.commit()
    with pytest.raises(trash.UndoError):
        trash.undo(session, entry)
    session.rollback()
    assert session.get(UndoEntry, entry.id).undone_at is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Channel).where(Channel.plan_id == plan.id,
                                                                         Channel.name == "Poster")) == 1


def test_entries_are_purged_after_thirty_days(session, time_machine):
    _, plan = build_maximal_plan(session)
    entry = trash.discard(session, [plan.moments[0]], "moments", "weg", plan=plan)
    session.commit()
    time_machine.move_to(clock.now() + dt.timedelta(days=29))
    assert trash.purge(session) == 0 and len(trash.plan_trash(session, plan)) == 1
    time_machine.move_to(clock.now() + dt.timedelta(days=2))
    assert trash.plan_trash(session, plan) == []
    with pytest.raises(trash.UndoError):
        trash.undo(session, session.get(UndoEntry, entry.id))
    session.rollback()
    assert trash.purge(session) == 1


def test_erasing_a_person_also_erases_their_copy_in_the_trash(session):
    from planner.domain.privacy import erase_person, find_person

    _, plan = build_maximal_plan(session)
    school = next(p for p in plan.partners if p.contacts)
    entry = trash.discard(session, [school], "partners", school.name, plan=plan)
    session.commit()
    assert "ans@linde.example" in repr(session.get(UndoEntry, entry.id).payload)
    erase_person(session, find_person(session, "ans@linde.example"))
    session.commit()
    session.expire_all()
    payload = repr(session.get(UndoEntry, entry.id).payload)
    assert "ans@linde.example" not in payload and "Juf Ans" not in payload
    trash.undo(session, session.get(UndoEntry, entry.id))
    session.commit()
    contact = next(c for p in session.get(Plan, plan.id).partners for c in p.contacts)
    assert (contact.email, contact.phone) == ("", "") and "Ans" not in contact.name


def test_a_plan_with_tombstones_comes_back(session):
    """A plan takes its feed tombstones along; restoring it must not trip over them."""
    _, plan = build_maximal_plan(session)
    slug = plan.slug
    trash.discard(session, [plan.activities[0]], "activities", "weg", plan=plan)
    session.commit()
    before = _export(session, slug)
    plan = session.scalar(sa.select(Plan).where(Plan.slug == slug))
    entry = trash.discard(session, [plan], "plan", plan.title)
    session.commit()
    assert trash.undo(session, entry) == []
    session.commit()
    assert _export(session, slug) == before
    assert len(trash.plan_trash(session, session.scalar(sa.select(Plan).where(Plan.slug == slug)))) == 1


def test_an_item_in_a_plan_restored_under_another_id_comes_back_into_that_plan(session):
    from planner.domain.plans import create_plan, find_or_create_organisation
    from planner.enums import OrganisationKind

    _, plan = build_maximal_plan(session)
    slug = plan.slug
    partner = next(p for p in plan.partners if p.contacts)
    partner_uuid = partner.uuid
    item_uuid = trash.discard(session, [partner], "partners", partner.name, plan=plan).uuid
    session.commit()
    whole = trash.discard(session, [plan], "plan", plan.title)
    session.commit()
    other = create_plan(session, title="Plan van een ander", starts_on=dt.date(2027, 1, 4),
                        ends_on=dt.date(2027, 3, 1),
                        owner=find_or_create_organisation(session, "Andere gemeente", OrganisationKind.MUNICIPALITY))
    session.commit()
    trash.undo(session, whole)
    session.commit()
    back = session.scalar(sa.select(Plan).where(Plan.slug == slug))
    entry = trash.plan_trash(session, back)[0]
    assert entry.uuid == item_uuid
    trash.undo(session, entry)
    session.commit()
    session.expire_all()
    assert partner_uuid in {p.uuid for p in session.get(Plan, back.id).partners}
    assert session.get(Plan, other.id).partners == []


def test_a_restore_leaves_out_links_to_what_was_deleted_since_and_says_so(session):
    _, plan = build_maximal_plan(session)
    activity = next(a for a in plan.activities if a.channel is not None and a.channel.name == "Poster")
    title, channel = activity.title, activity.channel
    first = trash.discard(session, [activity], "activities", title, plan=plan)
    session.commit()
    trash.discard(session, [channel], "channels", channel.name, plan=plan)
    session.commit()
    notes = trash.undo(session, first)
    session.commit()
    back = session.scalar(sa.select(Activity).where(Activity.plan_id == plan.id, Activity.title == title))
    assert back.channel_id is None
    assert notes == [("Some links could not come back: what they pointed to was deleted since (%(what)s).",
                      {"what": "channels"})]


def test_a_link_cleared_by_a_delete_is_not_put_back_on_a_row_changed_since(session):
    _, plan = build_maximal_plan(session)
    channel = next(c for c in plan.channels if c.name == "Poster")
    users = [a for a in plan.activities if a.channel is channel]
    changed, untouched = users[0], users[1:]
    entry = trash.discard(session, [channel], "channels", channel.name, plan=plan)
    session.commit()
    changed.notes = "Bewust zonder middel verder"
    session.commit()
    trash.undo(session, entry)
    session.commit()
    session.expire_all()
    poster = session.scalar(sa.select(Channel).where(Channel.plan_id == plan.id, Channel.name == "Poster"))
    assert session.get(Activity, changed.id).channel_id is None
    assert all(session.get(Activity, a.id).channel_id == poster.id for a in untouched)


def test_undo_of_a_change_whose_old_channel_is_gone_is_refused_and_changes_nothing(session):
    from planner.domain import bulk

    _, plan = build_maximal_plan(session)
    poster, website = sorted(plan.channels, key=lambda c: c.name)
    rows = [a for a in plan.activities if a.channel is poster]
    entry = bulk.apply(session, plan, rows, bulk.BulkAction.CHANNEL, "naar de website", value=website)
    session.commit()
    trash.discard(session, [poster], "channels", poster.name, plan=plan)
    session.commit()
    with pytest.raises(trash.UndoError):
        trash.undo(session, entry)
    session.rollback()
    assert session.get(UndoEntry, entry.id).undone_at is None
    assert {session.get(Activity, a.id).channel_id for a in rows} == {website.id}


def test_undo_twice_says_it_is_already_done(session):
    _, plan = build_maximal_plan(session)
    entry = trash.discard(session, [plan.moments[0]], "moments", "weg", plan=plan)
    session.commit()
    trash.undo(session, entry)
    session.commit()
    with pytest.raises(trash.UndoError) as refused:
        trash.undo(session, session.get(UndoEntry, entry.id))
    assert refused.value.message == "This has already been undone."


def test_a_plan_whose_web_address_was_taken_comes_back_under_a_new_one(session):
    from planner.domain.plans import create_plan

    _, plan = build_maximal_plan(session)
    slug, title, owner = plan.slug, plan.title, plan.owner
    entry = trash.discard(session, [plan], "plan", title)
    session.commit()
    create_plan(session, title=title, owner=owner, starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 1))
    session.commit()
    assert session.scalar(sa.select(Plan.slug).where(Plan.title == title)) == slug
    notes = trash.undo(session, entry)
    session.commit()
    restored = session.scalar(sa.select(Plan).where(Plan.uuid == uuid.UUID(entry.payload["rows"]["plans"][0]["uuid"])))
    assert restored.slug != slug and notes[0][1] == {"slug": restored.slug}
