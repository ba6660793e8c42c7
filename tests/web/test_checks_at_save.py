"""A save that raises a finding says so at once, and every finding links to what causes it."""

import datetime as dt
import re

import sqlalchemy as sa

from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.models import Activity
from tests.helpers import short_date, submit, text_of


def new_activity(plan, **fields):
    audience = next(a for a in plan.audiences if a.embargoes)
    return {"title": "Vooraankondiging", "starts_on": "", "audience_ids": [str(audience.id)], "reach": "external",
            "level": "regional", "status": "planned", **fields}


def test_a_save_that_breaks_an_embargo_says_so_in_the_confirmation(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    audience = next(a for a in plan.audiences if a.embargoes)
    limit = audience.embargoes[0].first_allowed
    early = limit - dt.timedelta(days=7)
    response = submit(client, f"/plans/{plan.slug}/activities/new",
                      new_activity(plan, starts_on=early.isoformat()), follow=True)
    page = text_of(response)
    assert (f"Opgeslagen. Maar let op: “Vooraankondiging” bereikt {audience.name} op {short_date(early)}, "
            f"eerder dan het embargo toestaat (niet vóór {short_date(limit)}).") in page

    busy_weeks = {a.starts_on.isocalendar()[:2] for a in plan.activities}
    calm = next(day for day in (limit + dt.timedelta(days=n) for n in range(1, 200))
                if day.weekday() == 1 and day.isocalendar()[:2] not in busy_weeks)  # a Tuesday in a quiet week
    quiet = submit(client, f"/plans/{plan.slug}/activities/new",
                   new_activity(plan, title="Na het embargo", starts_on=calm.isoformat()), follow=True)
    notices = re.findall(r'<div class="notice notice-(\w+)[^"]*"[^>]*>(.*?)</div>', quiet.get_data(as_text=True), re.S)
    assert ("success", "Opgeslagen.") in notices  # nothing new: a plain confirmation


def test_every_activity_finding_links_to_its_activity(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    audience = next(a for a in plan.audiences if a.embargoes)
    early = audience.embargoes[0].first_allowed - dt.timedelta(days=7)
    submit(client, f"/plans/{plan.slug}/activities/new", new_activity(plan, starts_on=early.isoformat()))
    activity = demo_session.scalar(sa.select(Activity).where(Activity.title == "Vooraankondiging"))
    html = client.get(f"/plans/{plan.slug}").get_data(as_text=True)
    link = re.search(r'<li class="finding finding-error">.*?<a href="([^"]+)">“Vooraankondiging”', html, re.S)[1]
    assert link == f"/plans/{plan.slug}/activities/by-uuid/{activity.uuid}"
    response = client.get(link)
    assert response.headers["Location"].endswith(f"/plans/{plan.slug}/activities/{activity.id}/edit")
    assert client.get(f"/plans/{plan.slug}/activities/by-uuid/not-a-uuid").status_code == 404
