"""The feeds' content stamp: it changes exactly where a plan's content changes, and only for that plan.

Feed caches, the per-event cache and the plan cache all go by this stamp. A stamp that misses a change serves
stale calendars; one that reads another plan's rows rebuilds feeds for nothing.
"""

import datetime as dt

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain import feeds
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.enums import AudienceCategory, ChannelKind, MomentKind
from planner.models import Activity, Audience, Channel, FeedTombstone, KeyMessage, Moment, Partner, Plan

D = dt.date


def build(session, name):
    owner = find_or_create_organisation(session, f"Gemeente {name}")
    plan = create_plan(session, title=f"Plan {name}", owner=owner, starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    audience = Audience(name="Ouders", category=AudienceCategory.GENERAL_PUBLIC)
    channel = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=5)
    plan.audiences, plan.channels = [audience], [channel]
    plan.partners = [Partner(organisation=find_or_create_organisation(session, f"Partner {name}"), role="Afzender")]
    plan.messages = [KeyMessage(audience=audience, title="Kern", body="Tekst")]
    plan.moments = [Moment(name="Start", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 3, 1))]
    plan.activities = [Activity(title=f"Poster {n}", starts_on=D(2027, 3, n), channel=channel, audiences=[audience],
                                exdates=[]) for n in (2, 3)]
    session.flush()
    return plan


@pytest.fixture
def plans(session, time_machine):
    first, second = build(session, "Een"), build(session, "Twee")
    session.commit()
    moments = iter(range(1, 100))

    def later():
        """Move the clock on, so that the next change has a newer time than every row so far."""
        time_machine.move_to(clock.now() + dt.timedelta(minutes=next(moments)), tick=False)

    return first, second, later


def changed(before: tuple, after: tuple) -> set[str]:
    """The sources whose (newest change, row count) pair differs between two stamps."""
    assert len(before) == len(after) == 2 * len(feeds.STAMP_SOURCES)
    return {source for index, source in enumerate(feeds.STAMP_SOURCES)
            if before[2 * index:2 * index + 2] != after[2 * index:2 * index + 2]}


def counts(stamp: tuple) -> dict[str, int]:
    return {source: stamp[2 * index + 1] for index, source in enumerate(feeds.STAMP_SOURCES)}


def edit_plan(session, plan):
    plan.title = "Ander plan"


def edit_activity(session, plan):
    plan.activities[0].title = "Andere poster"


def add_activity(session, plan):
    plan.activities.append(Activity(title="Nieuw", starts_on=D(2027, 4, 1), exdates=[]))


def delete_activity(session, plan):
    session.delete(plan.activities[0])


def edit_moment(session, plan):
    plan.moments[0].name = "Anders"


def edit_audience(session, plan):
    plan.audiences[0].name = "Grootouders"


def edit_partner(session, plan):
    plan.partners[0].role = "Ambassadeur"


def edit_message(session, plan):
    plan.messages[0].body = "Andere tekst"


def edit_channel(session, plan):
    plan.channels[0].lead_time_days = 9


def edit_checklist(session, plan):
    plan.phases[0].items[0].title = "Ander punt"


def add_tombstone(session, plan):
    session.add(FeedTombstone(plan_id=plan.id, kind="moment", uid="x@planner", summary="Weg", starts_on=D(2027, 5, 1),
                              sequence=1, deleted_at=clock.now()))


EDITS = [
    (edit_plan, {"plan"}),
    (edit_activity, {"activity"}),
    (add_activity, {"activity"}),
    (delete_activity, {"activity", "tombstone"}),  # deleting announces the activity (and its production) as gone
    (edit_moment, {"moment"}),
    (edit_audience, {"audience"}),
    (edit_partner, {"partner"}),
    (edit_message, {"message"}),
    (edit_channel, {"channel"}),
    (edit_checklist, {"checklist"}),
    (add_tombstone, {"tombstone"}),
]


@pytest.mark.parametrize(("edit", "sources"), EDITS, ids=[edit.__name__ for edit, _ in EDITS])
def test_a_change_moves_its_own_source_and_only_in_its_own_plan(session, plans, edit, sources):
    first, second, later = plans
    before_first, before_second = feeds.content_stamp(session, first.id), feeds.content_stamp(session, second.id)
    later()
    edit(session, first)
    session.commit()
    after_first = feeds.content_stamp(session, first.id)
    assert changed(before_first, after_first) == sources
    assert feeds.content_stamp(session, second.id) == before_second
    for source in sources:  # the change is newer than anything before: the newest-change value moved forward
        index = 2 * feeds.STAMP_SOURCES.index(source)
        if source != "activity" or edit is not delete_activity:
            assert after_first[index] > (before_first[index] or dt.datetime.min.replace(tzinfo=dt.timezone.utc))


def test_the_counts_are_the_plans_rows(session, plans):
    first, second, _ = plans
    expected = {"plan": 1, "activity": 2, "moment": 1, "audience": 1, "partner": 1, "message": 1, "channel": 1,
                "checklist": sum(len(phase.items) for phase in first.phases), "tombstone": 0}
    assert counts(feeds.content_stamp(session, first.id)) == expected
    assert expected["checklist"] > 0
    add_activity(session, second)
    session.commit()
    assert counts(feeds.content_stamp(session, first.id)) == expected
    assert counts(feeds.content_stamp(session, second.id))["activity"] == 3


def test_the_newest_change_is_the_newest_row(session, plans):
    first, _, later = plans
    later()
    edit_activity(session, first)
    session.commit()
    stamp = feeds.content_stamp(session, first.id)
    index = 2 * feeds.STAMP_SOURCES.index("activity")
    newest = session.scalar(sa.select(sa.func.max(Activity.updated_at)).where(Activity.plan_id == first.id))
    assert stamp[index] == newest == first.activities[0].updated_at


def test_a_selection_of_plans_stamps_them_together(session, plans):
    first, second, later = plans
    one = sa.select(Plan.id).where(Plan.id == first.id)
    assert feeds.content_stamp(session, one) == feeds.content_stamp(session, first.id)
    both = counts(feeds.content_stamp(session, sa.select(Plan.id).where(Plan.id.in_([first.id, second.id]))))
    assert both == {source: a + b for (source, a), b in zip(counts(feeds.content_stamp(session, first.id)).items(),
                                                              counts(feeds.content_stamp(session, second.id)).values())}
    before = feeds.content_stamp(session, one)
    later()
    edit_moment(session, second)
    session.commit()
    assert feeds.content_stamp(session, one) == before


def test_extra_sources_come_after_the_plans_own(session, plans):
    first, second, _ = plans
    extra = ((Partner.updated_at, Partner.plan_id == first.id, None),
             (Audience.updated_at, Audience.name == "Ouders", None))  # both plans' audiences
    stamp = feeds.content_stamp(session, first.id, extra)
    plain = feeds.content_stamp(session, first.id)
    assert stamp[:len(plain)] == plain
    newest_audience = max(first.audiences[0].updated_at, second.audiences[0].updated_at)
    assert stamp[len(plain):] == (plain[2 * feeds.STAMP_SOURCES.index("partner")], 1, newest_audience, 2)


def test_stamp_without_drops_exactly_the_named_sources():
    stamp = tuple(f"{source}-{k}" for source in feeds.STAMP_SOURCES for k in ("max", "count"))
    assert feeds.stamp_without(stamp) == stamp
    assert feeds.stamp_without(stamp, "plan") == stamp[2:]
    assert feeds.stamp_without(stamp, "tombstone") == stamp[:-2]
    assert feeds.stamp_without(stamp + ("extra",), "activity", "checklist", "tombstone") == (
        "plan-max", "plan-count", "moment-max", "moment-count", "audience-max", "audience-count", "partner-max",
        "partner-count", "message-max", "message-count", "channel-max", "channel-count", "extra")
    with pytest.raises(ValueError):
        feeds.stamp_without(stamp, "subscription")
