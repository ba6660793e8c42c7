"""A plan that names an observance is offered its moment in one click, with the usual embargo; a form that
could follow a moment says when the plan has none, and where to add one."""

import re

import sqlalchemy as sa

from planner.domain.observance_moments import named_observances
from planner.domain.observances import catalogue
from planner.domain.plans import get_plan
from planner.enums import AudienceCategory, MomentKind, Role
from planner.models import Audience, Embargo, Moment
from tests.helpers import submit, text_of
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

NEW_PLAN = {"title": "Week tegen Kindermishandeling 2027 Doetinchem", "theme": "Kindermishandeling",
            "starts_on": "2027-09-01", "ends_on": "2027-12-15", "parent_id": "", "budget": "", "introduction": "",
            "goal": "", "strategy": "", "checklist_template": "vng-stappenplan"}
SLUG = "week-tegen-kindermishandeling-2027-doetinchem"


def test_a_new_plan_naming_an_observance_is_offered_its_moment_and_the_usual_embargo(world, app):
    client = browser(app, Role.ADVISOR)
    assert submit(client, "/plans/new", NEW_PLAN).status_code == 302
    plan = get_plan(world, SLUG)
    plan.audiences.append(Audience(name="Inwoners van Doetinchem", category=AudienceCategory.GENERAL_PUBLIC))
    plan.audiences.append(Audience(name="Leerkrachten", category=AudienceCategory.PROFESSIONALS))
    world.commit()

    start = client.get(f"/plans/{SLUG}/start")
    assert "Moment “Week tegen Kindermishandeling” toevoegen" in text_of(start)
    response = submit(client, f"/plans/{SLUG}/moments/observance", {"key": "week-tegen-kindermishandeling"},
                      page=f"/plans/{SLUG}/start")
    assert response.status_code == 302
    world.expire_all()
    [moment] = world.scalars(sa.select(Moment).where(Moment.plan_id == plan.id)).all()
    assert (moment.name, moment.kind, moment.observance_key) == (
        "Week tegen Kindermishandeling", MomentKind.OBSERVANCE, "week-tegen-kindermishandeling")
    assert moment.starts_on.year == 2027 and moment.starts_on.weekday() == 0 and moment.ends_on > moment.starts_on
    [embargo] = world.scalars(sa.select(Embargo).where(Embargo.plan_id == plan.id)).all()
    assert embargo.audience.name == "Inwoners van Doetinchem" and embargo.first_allowed == moment.starts_on

    page = text_of(client.get(response.headers["Location"]))
    assert "Moment “Week tegen Kindermishandeling” toegevoegd" in page and "Inwoners van Doetinchem niet vóór" in page
    assert "Moment “Week tegen Kindermishandeling” toevoegen" not in page  # offered once

    again = submit(client, f"/plans/{SLUG}/moments/observance", {"key": "week-tegen-kindermishandeling"},
                   page=f"/plans/{SLUG}/start", follow=True)
    assert "Het plan heeft al een moment voor Week tegen Kindermishandeling." in text_of(again)
    assert world.scalar(sa.select(sa.func.count()).select_from(Moment).where(Moment.plan_id == plan.id)) == 1


def test_only_observances_the_plan_names_and_has_dates_for_are_offered(world):
    plan = get_plan(world, "plan-elders")  # 1 January to 1 June 2027
    definitions = catalogue(world, plan.owner)
    plan.title = "Orange the World en Week tegen Kindermishandeling"
    assert named_observances(plan, definitions) == []  # neither falls between January and June
    plan.title, plan.theme = "Plan elders", ""
    assert named_observances(plan, definitions) == []


def test_a_reader_is_not_offered_what_they_may_not_do(world, app):
    advisor = browser(app, Role.ADVISOR)
    assert submit(advisor, "/plans/new", NEW_PLAN).status_code == 302
    assert "moments/observance" in advisor.get(f"/plans/{SLUG}/start").get_data(as_text=True)
    reader = browser(app, Role.READER)  # of the same municipality: may read the plan, not change it
    page = reader.get(f"/plans/{SLUG}/start")
    assert page.status_code == 200 and "moments/observance" not in page.get_data(as_text=True)


def test_a_form_that_could_follow_a_moment_says_the_plan_has_none(world, app):
    client = browser(app, Role.ADVISOR)
    assert submit(client, "/plans/new", {**NEW_PLAN, "title": "Zonder momenten"}).status_code == 302
    html = client.get("/plans/zonder-momenten/activities/new").get_data(as_text=True)
    aside = re.search(r'<p class="hint field-aside">(.*?)</p>', html, re.S)[1]
    assert "Dit plan heeft nog geen momenten." in aside and 'href="/plans/zonder-momenten/moments/new"' in aside
