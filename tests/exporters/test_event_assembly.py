"""A feed put together event by event must be byte for byte the calendar icalendar makes of the same items."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from planner import clock
from planner.domain import feeds, region_feeds
from planner.domain.feed_builds import FeedBuild, build_feed
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.regional_calendar import RegionFilters
from planner.enums import ActivityStatus, FeedScope
from planner.models import Activity, Subscription
from planner.exporters.ical import FeedItem, build_calendar, item_key, serialize
from tests.helpers import calendar_bytes, feed_items
from tests.factories import build_large_plan, build_large_region

BASE_URL = "https://planner.example.nl"


def _scopes(plan):
    yield FeedScope.PLAN, {}
    for partner in plan.partners[:2]:
        yield FeedScope.PARTNER, {"partner": partner}
    for audience in plan.audiences[:2]:
        yield FeedScope.AUDIENCE, {"audience": audience}
    yield FeedScope.PERSON, {"person": next((a.owner_name for a in plan.activities if a.owner_name), "Niemand")}


def _assert_identical(session, plan, today):
    for scope, kwargs in _scopes(plan):
        subscription, _ = feeds.create_subscription(session, plan, "Vergelijk, ; \\ test", scope, **kwargs)
        items = feed_items(session, plan, feeds.Scope.of(subscription), today, BASE_URL)
        reference = serialize(build_calendar(feeds.feed_name(subscription), items, description=(
            f"Communicatiekalender van {plan.owner.name}")))
        cold = build_feed(session, subscription, today, BASE_URL)
        warm = build_feed(session, subscription, today, BASE_URL, known=cold.events)
        incremental = build_feed(session, subscription, today, BASE_URL, previous=cold)
        assert cold.body == reference == warm.body == incremental.body, scope
        assert warm.events == cold.events == incremental.events


@pytest.mark.parametrize("slug", [REGIONAL_SLUG, MUNICIPAL_SLUG])
def test_the_demo_feeds_are_byte_identical(demo_session, slug):
    plan = get_plan(demo_session, slug)
    _assert_identical(demo_session, plan, plan.starts_on)


def test_a_generated_plan_feeds_are_byte_identical(session):
    plan = build_large_plan(session, 400)
    _assert_identical(session, plan, dt.date(2027, 2, 1))


def test_hostile_text_folds_and_escapes_the_same_way():
    long = "Lange titel met emoji 🎉🎈 en tekens , ; \\ " * 6
    items = [FeedItem(uid=f"u{n}", summary=long, starts_on=dt.date(2027, 3, n + 1),
                      last_modified=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc), description=long + "\n" + long,
                      categories=(long, "a,b"), start_time=dt.time(9, 30) if n % 2 else None,
                      recurrence="FREQ=WEEKLY;COUNT=3" if n == 3 else "", exdates=(dt.date(2027, 3, 11),) if n == 3
                      else ()) for n in range(6)]
    reference = serialize(build_calendar("Naam, met; tekens\\", items, "Omschrijving"))
    assert calendar_bytes("Naam, met; tekens\\", items, "Omschrijving") == reference


def _reference(session, plan, subscription, today):
    items = feed_items(session, plan, feeds.Scope.of(subscription), today, BASE_URL)
    return items, serialize(build_calendar(feeds.feed_name(subscription), items, description=(
        f"Communicatiekalender van {plan.owner.name}")))


def test_after_an_edit_only_the_changed_activity_is_built_again(session):
    plan = build_large_plan(session, 300)
    subscription, _ = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    today = dt.date(2027, 2, 1)
    built = build_feed(session, subscription, today, BASE_URL)
    before = FeedBuild.from_bytes(built.to_bytes(), built.body)  # as another worker reads it from disk
    assert before.events == built.events and before.order == built.order
    activity = next(a for a in plan.activities if not a.recurrence and a.channel is None and a.starts_on > today)
    activity.title = "Gewijzigde titel"
    session.commit()
    loaded = []

    def count(target, context):
        loaded.append(target.id)

    with Session(session.get_bind()) as fresh:  # as a web worker sees it
        event.listen(Activity, "load", count)
        try:
            after = build_feed(fresh, fresh.get(Subscription, subscription.id), today, BASE_URL, previous=before)
        finally:
            event.remove(Activity, "load", count)
    assert loaded == [activity.id]
    new = set(after.events) - set(before.events)
    assert len(new) == 1 and b"Gewijzigde titel" in after.events[new.pop()]
    items, reference = _reference(session, plan, subscription, today)
    assert after.body == reference
    assert set(after.events) == {item_key(item) for item in items}


def test_an_incremental_build_equals_a_full_one_after_every_kind_of_change(session):
    """Edits, a new and a deleted activity, a cancellation, and changes every event depends on (a channel, the name
    of a partner or of the plan's owner)."""
    plan = build_large_plan(session, 200)
    today = dt.date(2027, 2, 1)
    for n, (scope, kwargs) in enumerate(_scopes(plan)):
        subscription, _ = feeds.create_subscription(session, plan, "Alles", scope, **kwargs)
        session.flush()
        future = [a for a in plan.activities if a.starts_on > today]
        steps = [
            lambda: setattr(future[0], "title", "Nieuwe titel"),
            lambda: setattr(future[1], "status", ActivityStatus.CANCELLED),
            lambda: setattr(future[2], "audiences", plan.audiences[:1]),
            lambda: session.delete(future[3]),
            lambda: session.add(Activity(plan=plan, title="Erbij", starts_on=today + dt.timedelta(days=9),
                                         audiences=plan.audiences[1:2], owner_name=future[4].owner_name)),
            lambda: setattr(plan.channels[0], "name", "Ander kanaal"),
            lambda: setattr(plan.partners[0].organisation, "name", f"Hernoemde partner {n}"),
            lambda: setattr(plan.owner, "name", f"Hernoemde gemeente {n}"),
        ]
        list(_built_after_each(session, subscription, today, steps,  # each step asserts as it is built
                               lambda: _reference(session, plan, subscription, today)[1]))


def _built_after_each(session, subscription, today, steps, reference):
    """Build the feed, then after each step build it on its previous build; assert each time that it is byte for
    byte a full build and `reference()`. Yields each step with its build."""
    previous = build_feed(session, subscription, today, BASE_URL)
    for step in steps:
        step()
        session.flush()
        session.expire_all()
        incremental = build_feed(session, subscription, today, BASE_URL, previous=previous)
        assert incremental.body == build_feed(session, subscription, today, BASE_URL).body == reference(), \
            (subscription.scope, subscription.filters, steps.index(step))
        yield step, incremental
        previous = incremental


def _region_reference(session, subscription, today):
    """The region's feed as icalendar writes it, from all its items at once."""
    feed = region_feeds.RegionFeed.of(session, subscription, today, BASE_URL)
    items = [item for activity in feed.activities(session) for item in feed.items(activity)]
    return serialize(build_calendar(region_feeds.feed_name(session, subscription), items + feed.other_items(session),
                                    description=f"Communicatiekalender van {subscription.region.name}"))


def test_a_region_feed_built_on_its_previous_build_equals_a_full_one_after_every_kind_of_change(session):
    """Two municipalities' plans in one region; the region's feed whole and narrowed to an audience, a channel and
    a municipality; edits in either plan, a cancellation, another audience, a deletion, a new activity, a renamed
    channel (which every event of its plan depends on), a partner whose organisation is renamed."""
    region, plans = build_large_region(session, "Regio Test", 120)
    today = dt.date(2027, 2, 1)
    for n, filters in enumerate((RegionFilters(), RegionFilters(audience="doelgroep 1"),
                                 RegionFilters(channel="Middel 2"), RegionFilters(municipality_id=plans[1].owner_id))):
        subscription, _ = region_feeds.create_subscription(session, region, "Regio", filters)
        session.flush()
        session.expire_all()  # the activities' audiences as loaded (by name), not in the order they were made
        one, two = ([a for a in plan.activities if a.starts_on > today and a in session] for plan in plans)
        steps = [
            lambda: setattr(one[0], "title", "Nieuwe titel"),
            lambda: setattr(two[0], "status", ActivityStatus.CANCELLED),
            lambda: setattr(two[1], "audiences", plans[1].audiences[1:2]),
            lambda: session.delete(one[1]),
            lambda: session.add(Activity(plan=plans[1], title="Erbij", starts_on=today + dt.timedelta(days=9),
                                         audiences=plans[1].audiences[1:2], channel=plans[1].channels[2])),
            lambda: setattr(plans[0].channels[2], "name", f"Ander kanaal {n}"),
            lambda: setattr(plans[1].partners[0].organisation, "name", f"Hernoemde partner {n}"),
        ]
        for step, incremental in _built_after_each(session, subscription, today, steps,
                                                   lambda: _region_reference(session, subscription, today)):
            if step is not steps[-2] and step is not steps[-1]:  # only the changed activity's events made again
                assert len(incremental.made) <= 2, (filters, steps.index(step))


def test_a_cancelled_activity_leaves_an_incremental_feed_after_30_days(session, time_machine):
    plan = build_large_plan(session, 50)
    subscription, _ = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    today = dt.date(2027, 2, 1)
    activity = next(a for a in plan.activities if a.starts_on > today + dt.timedelta(days=60))
    activity.status = ActivityStatus.CANCELLED
    session.flush()
    previous = build_feed(session, subscription, today, BASE_URL)
    assert f"Vervallen: {activity.title}".encode() in previous.body.replace(b"\r\n ", b"")
    time_machine.move_to(clock.now() + dt.timedelta(days=31))
    later = build_feed(session, subscription, today, BASE_URL, previous=previous)
    assert f"Vervallen: {activity.title}".encode() not in later.body.replace(b"\r\n ", b"")
    assert later.body == build_feed(session, subscription, today, BASE_URL).body


def test_a_stored_build_is_used_only_with_the_feed_it_was_made_for(session):
    plan = build_large_plan(session, 30)
    subscription, _ = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    build = build_feed(session, subscription, dt.date(2027, 2, 1), BASE_URL)
    stored = build.to_bytes()
    assert FeedBuild.from_bytes(stored, build.body).events == build.events
    assert FeedBuild.from_bytes(b"", build.body) is None
    assert FeedBuild.from_bytes(b"\x00" * 40, build.body) is None
    assert FeedBuild.from_bytes(stored[:-3], build.body) is None  # cut off
    other = build.body.replace(b"SEQUENCE:0", b"SEQUENCE:1", 1)
    assert FeedBuild.from_bytes(stored, other) is None  # the feed file of another build


def _hostile_items():
    """Items of every shape with text that folds, escapes and crosses UTF-8 character boundaries."""
    texts = ["Kort", "Lange titel met emoji 🎉🎈 en tekens , ; \\ " * 4, "ä" * 80, "x" * 73 + "\\;", "x" * 72 + "é,y",
             "Ouders; leerkrachten, \\N GGD\r\nregel\rtwee\nen drie", "a" * 74, "a" * 75, "^" * 90, "Arabisch: " +
             "مرحبا بكم " * 12]
    stamp = dt.datetime(2027, 1, 1, 8, 30, 15, 123456, tzinfo=dt.timezone.utc)
    items = []
    for n, text in enumerate(texts):
        for shape in range(6):
            items.append(FeedItem(
                uid=f"{n}-{shape}@planner.example", summary=text, starts_on=dt.date(2027, 3, 1 + n),
                last_modified=stamp, sequence=shape, ends_on=dt.date(2027, 3, 3 + n) if shape in (1, 4) else None,
                start_time=dt.time(9, 30) if shape in (2, 4) else dt.time(23, 50) if shape == 5 else None,
                end_time=dt.time(11, 15) if shape == 2 else None, description=text * (shape + 1) if shape else "",
                categories=(text, "Folder, poster") if shape % 2 else (), cancelled=shape == 3,
                tentative=shape == 4, url="https://planner.example.nl/plans/x/calendar" if shape < 3 else "",
                recurrence="FREQ=WEEKLY;COUNT=3" if shape == 5 and n % 2 else "",
                exdates=(dt.date(2027, 3, 8 + n),) if shape == 5 and n % 2 else ()))
    # a year before 1000 (a tombstone's dates are not checked again) and the ends of the calendar
    for day in (dt.date(999, 12, 31), dt.date(1, 1, 1), dt.date(9999, 12, 30)):
        items.append(FeedItem(uid=f"jaar-{day.year}", summary="Jaar", starts_on=day, last_modified=stamp))
        items.append(FeedItem(uid=f"tijd-{day.year}", summary="Tijd", starts_on=day, start_time=dt.time(9),
                              last_modified=stamp))
    # around the clock changes of 2027: the skipped and the doubled hour
    for day, time in ((dt.date(2027, 3, 28), dt.time(2, 30)), (dt.date(2027, 10, 31), dt.time(2, 30))):
        items.append(FeedItem(uid=f"klok-{day}", summary="Klok", starts_on=day, start_time=time,
                              end_time=dt.time(3, 15), last_modified=stamp))
    return items


def test_events_written_directly_are_the_bytes_icalendar_writes():
    from planner.exporters.ical import _event, event_bytes

    for item in _hostile_items():
        assert event_bytes(item) == _event(item).to_ical(), item.uid
