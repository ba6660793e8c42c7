"""The window of a feed, at its edges: the past 90 days and the future; cancelled items and tombstones for 30 days."""

import datetime as dt

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain import feeds
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.workdays import add_working_days
from planner.enums import ActivityStatus, ChannelKind, FeedScope, MomentKind, OrganisationKind
from planner.models import Activity, Channel, FeedTombstone, Moment
from tests.helpers import feed_items

D = dt.date
TODAY = D(2026, 11, 29)
WINDOW_START = D(2026, 8, 31)  # 90 days back, a Monday


@pytest.mark.today("2026-11-29")
def test_what_a_feed_shows_at_the_edges_of_its_window(session, time_machine):
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(12), tzinfo=clock.AMSTERDAM), tick=False)  # to the µs
    assert TODAY - feeds.WINDOW_PAST == WINDOW_START
    owner = find_or_create_organisation(session, "Gemeente Venster", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title="Venster", owner=owner, starts_on=D(2026, 6, 1), ends_on=D(2027, 6, 30))
    poster = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=5)
    web = Channel(name="Website", kind=ChannelKind.EMAIL_WEBSITE, lead_time_days=0)
    plan.channels = [poster, web]

    def activity(title, starts_on, channel=web, **extra):
        row = Activity(title=title, starts_on=starts_on, channel=channel, exdates=[], **extra)
        plan.activities.append(row)
        return row

    activity("Loopt tot de eerste dag", D(2026, 8, 24), ends_on=WINDOW_START)
    activity("Eindigt de dag ervoor", D(2026, 8, 30))
    activity("Wekelijks sinds juni", D(2026, 6, 1), recurrence="FREQ=WEEKLY")  # runs on to the plan's end
    activity("Productie op de eerste dag", add_working_days(WINDOW_START, 5), channel=poster)
    activity("Productie de werkdag ervoor", add_working_days(WINDOW_START, 4), channel=poster)
    recent = activity("Vervallen, 29 dagen geleden", D(2026, 12, 10), status=ActivityStatus.CANCELLED)
    old = activity("Vervallen, 31 dagen geleden", D(2026, 12, 11), status=ActivityStatus.CANCELLED)
    edge = activity("Vervallen, precies 30 dagen geleden", D(2026, 12, 12), status=ActivityStatus.CANCELLED)
    plan.moments = [Moment(name="Moment tot de eerste dag", kind=MomentKind.CAMPAIGN, starts_on=D(2026, 8, 28),
                           ends_on=WINDOW_START),
                    Moment(name="Moment de dag ervoor", kind=MomentKind.CAMPAIGN, starts_on=D(2026, 8, 30))]
    items = plan.phases[0].items
    for item, due_on in zip(items, (WINDOW_START, WINDOW_START - dt.timedelta(days=1), None)):
        item.due_on = due_on
    session.flush()
    now = clock.now()
    session.execute(sa.update(Activity).where(Activity.id == recent.id).values(
        updated_at=now - dt.timedelta(days=29, hours=23)))
    session.execute(sa.update(Activity).where(Activity.id == old.id).values(
        updated_at=now - dt.timedelta(days=30, hours=1)))
    session.execute(sa.update(Activity).where(Activity.id == edge.id).values(updated_at=now - dt.timedelta(days=30)))
    for name, age in (("Geschrapt, 29 dagen geleden", dt.timedelta(days=29, hours=23)),
                      ("Geschrapt, precies 30 dagen geleden", dt.timedelta(days=30)),
                      ("Geschrapt, 31 dagen geleden", dt.timedelta(days=30, hours=1))):
        session.add(FeedTombstone(plan_id=plan.id, kind="activity", uid=f"{name}@test", summary=name,
                                  starts_on=D(2026, 12, 1), sequence=1, deleted_at=now - age))
    session.commit()
    session.expire_all()

    shown = {item.summary for item in feed_items(session, plan, feeds.Scope(FeedScope.PLAN), TODAY,
                                                       "https://planner.test")}
    assert shown == {
        "Loopt tot de eerste dag", "Wekelijks sinds juni",
        "Productie op de eerste dag", "Start van de productie: Productie op de eerste dag",
        "Productie de werkdag ervoor",  # its production start lies before the window
        "Vervallen: Vervallen, 29 dagen geleden", "Vervallen: Vervallen, precies 30 dagen geleden",
        "Moment tot de eerste dag",
        f"Checklist: {items[0].title}",
        "Vervallen: Geschrapt, 29 dagen geleden", "Vervallen: Geschrapt, precies 30 dagen geleden",
    }
