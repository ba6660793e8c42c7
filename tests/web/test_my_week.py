"""My week: what the logged-in user owns across plans, the same selection as the reminder e-mail."""

import re

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, demo_users, reminder_example_day
from planner.domain.plans import find_or_create_organisation, get_plan
from planner.domain.reminders import compose_digest
from planner.enums import Role
from planner.models import User
from tests.conftest import log_in, travel_to
from tests.helpers import text_of

PASSWORD = "een-lang-test-wachtwoord"


def test_the_demo_advisor_sees_their_week_with_a_control_per_line(demo_session, app):
    email, _role, organisation, name = next(u for u in demo_users() if u[1] == Role.ADVISOR.value)
    user = create_user(demo_session, email, find_or_create_organisation(demo_session, organisation), Role.ADVISOR,
                       PASSWORD, name=name)
    demo_session.commit()
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    day = reminder_example_day(plan, clock.today())  # a day on which the advisor's reminder has lines
    with travel_to(day):
        digest = compose_digest(demo_session, demo_session.get(User, user.id), day)
        assert not digest.empty
        client = app.test_client()
        log_in(client, email, PASSWORD)
        response = client.get("/")
        html = response.get_data(as_text=True)
        page = text_of(response)
    assert "Mijn week" in page
    for line in digest.publications + digest.productions + digest.checklist:
        assert line.title in page
    assert html.count('class="inline-form status-form"') == len(digest.refs)
    headings = re.findall(r"<h3>(Te laat|Vandaag en de komende zeven dagen)</h3>", html)
    assert headings == (["Te laat"] if any(line.late for line in digest.productions + digest.checklist) else []) \
        + (["Vandaag en de komende zeven dagen"] if any(not line.late for line in
                                                        digest.publications + digest.productions + digest.checklist)
           else [])


def test_a_user_who_owns_nothing_is_told_so(client):
    page = text_of(client.get("/"))
    assert "Deze week staat niets op uw naam" in page
