"""Feeds read the same in every client (issue 14): expansions by two parsers against the planner's own dates."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
import vobject
from dateutil.rrule import rrulestr

from planner.clock import AMSTERDAM
from planner.domain import feeds
from planner.domain.feed_builds import build_feed
from planner.domain.calendar import Filters
from planner.domain.plans import find_or_create_organisation
from planner.domain.recurrence import activity_dates
from planner.enums import ActivityStatus, ChannelKind, FeedScope, OrganisationKind
from planner.models import Activity, Channel, Partner, Plan
from planner.models.feed import feed_uid
from tests.factories import build_plan

D = dt.date
T = dt.time
BASE_URL = "https://planner.example.nl"
TITLE = 'Zomer, zon; en \\ "veilig"'


def feed_of(session, plan: Plan, scope=FeedScope.PLAN, **kwargs) -> bytes:
    subscription, _ = feeds.create_subscription(session, plan, "intern label", scope, **kwargs)
    session.flush()
    return build_feed(session, subscription, D(2027, 1, 10), BASE_URL).body


def local_day(value) -> dt.date:
    return value.astimezone(AMSTERDAM).date() if isinstance(value, dt.datetime) else value


def expand_with_icalendar(raw: bytes) -> dict[str, list[dt.date]]:
    """icalendar reads the feed; dateutil expands each RRULE strictly as written (UNTIL must fit DTSTART)."""
    found = {}
    for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
        start = event.decoded("DTSTART")
        if "RRULE" not in event:
            found[str(event["UID"])] = [local_day(start)]
            continue
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, T())
        excluded = set()
        for exdates in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
            if exdates is not None:
                excluded |= {local_day(d.dt) for d in exdates.dts}
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        found[str(event["UID"])] = [local_day(m) for m in rule if local_day(m) not in excluded]
    return found


def expand_with_recurring_ical_events(raw: bytes) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    calendar = icalendar.Calendar.from_ical(raw)
    for event in recurring_ical_events.of(calendar).between(D(2026, 1, 1), D(2029, 1, 1)):
        found.setdefault(str(event["UID"]), []).append(local_day(event.decoded("DTSTART")))
    return {uid: sorted(days) for uid, days in found.items()}


@pytest.fixture
def plan(session):
    """A plan with each case of issue 14: timed series to a date, clock changes, a cancellation, odd names."""
    plan = build_plan(session, title=TITLE)
    organisation = find_or_create_organisation(session, "GGD", OrganisationKind.PARTNER)
    audience = plan.audiences[0]
    channel = Channel(plan=plan, name="Huis-aan-huisblad", kind=ChannelKind.ADVERTISEMENT, lead_time_days=5)
    partner = Partner(plan=plan, organisation=organisation)
    session.add_all([channel, partner])
    session.add_all([
        Activity(plan=plan, title="Spreekuur", starts_on=D(2027, 2, 16), start_time=T(9), end_time=T(10),
                 recurrence="FREQ=WEEKLY;UNTIL=20270302", channel=channel, sender=partner, audiences=[audience]),
        Activity(plan=plan, title="Nachtactie", starts_on=D(2027, 3, 28), start_time=T(2, 30), end_time=T(3, 15),
                 sender=partner, audiences=[audience]),
        Activity(plan=plan, title="Nachtdienst", starts_on=D(2027, 10, 31), start_time=T(2, 30), sender=partner,
                 audiences=[audience]),
        Activity(plan=plan, title="Markt", starts_on=D(2027, 5, 4), status=ActivityStatus.CANCELLED,
                 sender=partner, audiences=[audience]),
        Activity(plan=plan, title="Inloopavond", starts_on=D(2027, 4, 6), start_time=T(19, 30),
                 end_time=T(21), recurrence="FREQ=WEEKLY;UNTIL=20270420", exdates=["2027-04-13"], channel=channel,
                 sender=partner, audiences=[audience]),
    ])
    session.flush()
    return plan


def planner_dates(plan: Plan) -> dict[str, list[dt.date]]:
    return {feed_uid(a): activity_dates(a, plan.ends_on) for a in plan.activities}


@pytest.mark.today("2027-01-10")
def test_feed_expansions_match_the_planner_dates_in_two_parsers(session, plan):
    expected = planner_dates(plan)
    deleted = next(a for a in plan.activities if a.title == "Inloopavond")
    session.delete(deleted)
    session.flush()
    session.expire_all()
    raw = feed_of(session, plan)
    assert expected[feed_uid(deleted)] == [D(2027, 4, 6), D(2027, 4, 20)]
    assert expected[next(feed_uid(a) for a in plan.activities if a.title == "Spreekuur")][-1] == D(2027, 3, 2)
    for expand in (expand_with_icalendar, expand_with_recurring_ical_events):
        found = expand(raw)
        assert {uid: found.get(uid) for uid in expected} == expected, expand.__name__


@pytest.mark.today("2027-01-10")
def test_feed_timed_series_until_is_utc(session, plan):
    text = feed_of(session, plan).decode()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270302T225959Z\r\n" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270330\r\n" in text, "an all-day series keeps a DATE"


@pytest.mark.today("2027-01-10")
def test_feed_times_around_clock_changes_are_the_instants_meant(session, plan):
    raw = feed_of(session, plan)
    text = raw.decode()
    assert "DTSTART:20270328T013000Z\r\n" in text, "02:30 does not exist that night: read before the gap"
    assert "DTSTART:20271031T003000Z\r\n" in text, "02:30 happens twice that night: the first one"
    summaries = {}
    for event in recurring_ical_events.of(icalendar.Calendar.from_ical(raw)).between(D(2027, 1, 1), D(2028, 1, 1)):
        if str(event["SUMMARY"]).startswith("Nacht"):
            summaries[str(event["SUMMARY"])] = event.decoded("DTSTART").astimezone(dt.timezone.utc)
    ours = {e.summary.value: e.dtstart.value.astimezone(dt.timezone.utc)
            for e in vobject.readOne(text).vevent_list if e.summary.value.startswith("Nacht")}
    for found in (summaries, ours):
        assert found["Nachtactie"] == dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.timezone.utc)
        assert found["Nachtdienst"] == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.timezone.utc)


@pytest.mark.today("2027-01-10")
def test_feed_tombstone_keeps_start_time_rule_and_production_prefix(session, plan):
    activity = next(a for a in plan.activities if a.title == "Inloopavond")
    uid = feed_uid(activity)
    session.delete(activity)
    session.flush()
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed_of(session, plan)).walk("VEVENT")}
    stone, production = events[uid], events[uid.replace("@planner", "-productie@planner")]
    assert str(stone["STATUS"]) == "CANCELLED" and str(stone["SUMMARY"]) == "Vervallen: Inloopavond"
    assert stone.decoded("DTSTART") == dt.datetime(2027, 4, 6, 19, 30, tzinfo=AMSTERDAM)
    assert stone.decoded("DTEND") == dt.datetime(2027, 4, 6, 21, tzinfo=AMSTERDAM)
    assert stone["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270420T215959Z"
    assert str(production["SUMMARY"]) == "Vervallen: Start van de productie: Inloopavond"
    assert production.decoded("DTSTART") == D(2027, 3, 30), "five working days before, not the activity's day"


@pytest.mark.today("2027-01-10")
def test_feed_cancelled_activity_says_so_in_its_summary(session, plan):
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed_of(session, plan)).walk("VEVENT")}
    market = next(a for a in plan.activities if a.title == "Markt")
    assert str(events[feed_uid(market)]["SUMMARY"]) == "Vervallen: Markt"
    assert str(events[feed_uid(market)]["STATUS"]) == "CANCELLED"


@pytest.mark.today("2027-01-10")
def test_feed_name_with_comma_semicolon_and_backslash_reads_back(session, plan):
    raw = feed_of(session, plan)
    ours = icalendar.Calendar.from_ical(raw)
    for name in ("NAME", "X-WR-CALNAME"):  # icalendar keeps these as written: the TEXT escaped once
        assert ours[name].to_ical() == b'Zomer\\, zon\\; en \\\\ "veilig"'
    theirs = vobject.readOne(raw.decode())
    assert theirs.x_wr_calname.value == TITLE
    assert theirs.x_wr_caldesc.value == "Communicatiekalender van Gemeente Datumdorp"


@pytest.mark.today("2027-01-10")
def test_feed_links_to_the_plan_only_for_colleagues(session, plan):
    partner = plan.partners[0]
    for scope, kwargs, linked in ((FeedScope.PLAN, {}, True), (FeedScope.PERSON, {"person": "Ans"}, True),
                                  (FeedScope.PARTNER, {"partner": partner}, False),
                                  (FeedScope.AUDIENCE, {"audience": plan.audiences[0]}, False),
                                  (FeedScope.FILTER, {"filters": Filters(audience_id=plan.audiences[0].id)}, False)):
        if scope == FeedScope.PERSON:
            plan.activities[0].owner_name = "Ans"
            session.flush()
        text = feed_of(session, plan, scope, **kwargs).decode()
        assert ("/plans/" in text) is linked, scope
        assert ("\r\nURL:" in text) is linked, scope
        assert "Plan: " in text, "the plan is still named in the description"


@pytest.mark.today("2027-01-10")
def test_feed_name_of_a_saved_filter_is_the_filter_in_words(session, plan):
    filters = Filters(audience_id=plan.audiences[0].id, status=ActivityStatus.PLANNED.value)
    raw = feed_of(session, plan, FeedScope.FILTER, filters=filters)
    assert vobject.readOne(raw.decode()).x_wr_calname.value == f"{TITLE} – Inwoners, gepland"
    assert b"intern label" not in raw


def test_feed_of_the_demo_audience_keeps_the_comma_in_its_name(demo_session):
    from sqlalchemy import select

    from planner.models import Audience

    audience = demo_session.scalar(select(Audience).where(Audience.name == "Kinderen, ouderen en risicogroepen"))
    raw = feed_of(demo_session, audience.plan, FeedScope.AUDIENCE, audience=audience)
    name = vobject.readOne(raw.decode()).x_wr_calname.value
    assert name == f"{audience.plan.title} – Kinderen, ouderen en risicogroepen"
