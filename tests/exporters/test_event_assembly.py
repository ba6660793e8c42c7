"""A feed put together event by event must be byte for byte the calendar icalendar makes of the same items."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import feeds
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import FeedScope
from planner.exporters.ical import FeedItem, build_calendar, calendar_bytes, item_key, serialize
from tests.factories import build_large_plan

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
        items = feeds.feed_items(session, plan, feeds.Scope.of(subscription), today, BASE_URL)
        reference = serialize(build_calendar(feeds.feed_name(subscription), items, description=(
            f"Communicatiekalender van {plan.owner.name}")))
        cold, events = feeds.render_feed(session, subscription, today, BASE_URL)
        warm, again = feeds.render_feed(session, subscription, today, BASE_URL, known=events)
        assert cold == reference == warm, scope
        assert again == events


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
    assembled, events = calendar_bytes("Naam, met; tekens\\", items, "Omschrijving")
    assert assembled == reference
    assert calendar_bytes("Naam, met; tekens\\", items, "Omschrijving", known=events)[0] == reference


def test_after_an_edit_only_the_changed_events_are_serialized_again(session):
    plan = build_large_plan(session, 300)
    subscription, _ = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    today = dt.date(2027, 2, 1)
    _, before = feeds.render_feed(session, subscription, today, BASE_URL)
    activity = next(a for a in plan.activities if not a.recurrence and a.channel is None and a.starts_on > today)
    activity.title = "Gewijzigde titel"
    session.flush()
    body, after = feeds.render_feed(session, subscription, today, BASE_URL, known=before)
    new = set(after) - set(before)
    assert len(new) == 1 and b"Gewijzigde titel" in after[new.pop()]
    items = feeds.feed_items(session, plan, feeds.Scope.of(subscription), today, BASE_URL)
    assert body == serialize(build_calendar(feeds.feed_name(subscription), items, description=(
        f"Communicatiekalender van {plan.owner.name}")))
    assert all(item_key(item) in after for item in items)


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
