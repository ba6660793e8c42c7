"""A required field filled with blanks or control characters only is refused in Dutch, and nothing is saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.models import Activity, ContactPerson, KeyMessage, Plan, Subscription
from tests.helpers import submit, text_of
from tests.web.test_forms import PLAN

BLANKS = ["   ", "\x00", "\t\x07\u00a0\u3000"]


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("blank", BLANKS)
def test_plan_title_of_blanks_is_refused(client, session, blank):
    response = submit(client, "/plans/new", {**PLAN, "title": blank})
    assert response.status_code == 200 and "Dit veld is verplicht." in text_of(response)
    assert _count(session, Plan) == 0


@pytest.mark.parametrize("blank", BLANKS)
def test_required_fields_of_plan_rows_refuse_blanks(demo_session, client, blank):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    before = {model: _count(demo_session, model) for model in (Activity, ContactPerson, KeyMessage)}
    forms = [
        (f"/plans/{plan.slug}/activities/new", {
            "title": blank, "starts_on": plan.starts_on.isoformat(), "reach": "external", "level": "local",
            "status": "planned", "audience_ids": [str(plan.audiences[0].id)]}),
        (f"/plans/{plan.slug}/contacts/new", {"partner_id": str(plan.partners[0].id), "name": blank}),
        (f"/plans/{plan.slug}/messages/new", {"audience_id": str(plan.audiences[0].id), "title": "Titel",
                                              "body": blank}),
    ]
    for url, data in forms:
        response = submit(client, url, data)
        assert response.status_code == 200 and "Dit veld is verplicht." in text_of(response), url
    assert {model: _count(demo_session, model) for model in before} == before


@pytest.mark.parametrize("blank", BLANKS)
def test_feed_label_of_blanks_gets_a_form_error(demo_session, client, blank):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    before = _count(demo_session, Subscription)
    response = submit(client, f"/plans/{plan.slug}/feeds", {"label": blank, "scope": "plan"})
    assert response.status_code == 200 and "Dit veld is verplicht." in text_of(response)
    assert _count(demo_session, Subscription) == before
