"""Duplicating an activity or a channel within its plan."""

import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import ActivityStatus, Role
from planner.models import Activity, Channel
from tests.helpers import csrf_token, submit, text_of
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

BASE = f"/plans/{REGIONAL_SLUG}"


def test_an_activity_is_duplicated_with_its_audiences_and_anchor_as_planned_work(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    source = next(a for a in plan.activities if a.anchor_moment_id is not None and len(a.audiences) > 1)
    source.status = ActivityStatus.DONE
    demo_session.commit()
    response = submit(client, f"{BASE}/activities/{source.id}/duplicate", {}, page=f"{BASE}/calendar")
    copy = demo_session.scalar(sa.select(Activity).where(Activity.title == f"{source.title} (kopie)"))
    assert response.headers["Location"] == f"{BASE}/activities/{copy.id}/edit"
    assert (copy.starts_on, copy.anchor_moment_id, copy.channel_id, copy.message_id, copy.status) == (
        source.starts_on, source.anchor_moment_id, source.channel_id, source.message_id, ActivityStatus.PLANNED)
    assert sorted(a.id for a in copy.audiences) == sorted(a.id for a in source.audiences)
    assert copy.uuid != source.uuid and copy.source_uuid is None
    page = text_of(client.get(response.headers["Location"]))
    assert f"Kopie gemaakt: “{source.title} (kopie)”." in page


def test_a_channel_copy_gets_a_name_of_its_own_each_time(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    channel = plan.channels[0]
    for expected in (f"{channel.name} (kopie)", f"{channel.name} (kopie 2)"):
        submit(client, f"{BASE}/channels/{channel.id}/duplicate", {}, page=f"{BASE}/channels")
        copy = demo_session.scalar(sa.select(Channel).where(Channel.name == expected))
        assert copy is not None and (copy.kind, copy.lead_time_days) == (channel.kind, channel.lead_time_days)


def test_only_activities_and_channels_are_duplicated_and_readers_see_no_button(world, app):
    client = browser(app, Role.ADMINISTRATOR)
    plan = get_plan(world, REGIONAL_SLUG)
    token = csrf_token(client, f"{BASE}/channels")
    assert client.post(f"{BASE}/audiences/{plan.audiences[0].id}/duplicate",
                       data={"csrf_token": token}).status_code == 404
    page = browser(app, Role.READER).get(f"/plans/{MUNICIPAL_SLUG}/channels")
    assert page.status_code == 200 and "/duplicate" not in page.get_data(as_text=True)
    assert "/duplicate" in browser(app, Role.ADVISOR).get(f"/plans/{MUNICIPAL_SLUG}/channels").get_data(as_text=True)
