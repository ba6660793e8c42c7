"""Who owns a new plan: advisors plan for their own organisation and see it; administrators choose or create
the owner explicitly; nothing typed is replaced without a word."""

import sqlalchemy as sa

from planner.domain.plans import get_plan
from planner.enums import OrganisationKind, Role, SchoolRegion
from planner.models import Organisation, Plan
from tests.helpers import submit, text_of
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

NEW_PLAN = {"title": "Samen Veilig 2027", "theme": "Kindermishandeling", "starts_on": "2027-09-01",
            "ends_on": "2027-12-15", "parent_id": "", "budget": "", "introduction": "", "goal": "", "strategy": "",
            "checklist_template": "vng-stappenplan"}


def plans(session) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(Plan))


def test_an_advisor_sees_that_the_plan_is_for_their_own_organisation(world, app):
    client = browser(app, Role.ADVISOR)
    page = client.get("/plans/new")
    html = page.get_data(as_text=True)
    assert 'name="owner_id"' not in html and 'name="owner_name"' not in html  # nothing to type that is ignored
    assert "Eigenaar (organisatie): Gemeente Arnhem" in text_of(page)
    assert "Adviseurs maken plannen voor hun eigen organisatie" in text_of(page)

    doetinchem = world.scalar(sa.select(Organisation.id).where(Organisation.name == "Gemeente Arnhem"))
    response = submit(client, "/plans/new", {**NEW_PLAN, "owner_id": "new", "owner_name": "Gemeente Doetinchem"})
    assert response.status_code == 302
    assert get_plan(world, "samen-veilig-2027").owner_id == doetinchem
    assert world.scalar(sa.select(Organisation).where(Organisation.name == "Gemeente Doetinchem")) is None


def test_an_administrator_chooses_an_existing_owner(world, app):
    client = browser(app, Role.ADMINISTRATOR)
    html = client.get("/plans/new").get_data(as_text=True)
    assert '<option value="new">Nieuwe organisatie…</option>' in html and "Gemeente Elders</option>" in html
    elders = world.scalar(sa.select(Organisation).where(Organisation.name == "Gemeente Elders"))
    response = submit(client, "/plans/new", {**NEW_PLAN, "owner_id": str(elders.id), "owner_name": "",
                                             "owner_kind": "municipality", "owner_region": ""})
    assert response.status_code == 302
    assert get_plan(world, "samen-veilig-2027").owner.name == "Gemeente Elders"


def test_an_administrator_creates_the_owner_explicitly_with_kind_and_region(world, app):
    client = browser(app, Role.ADMINISTRATOR)
    response = submit(client, "/plans/new", {**NEW_PLAN, "owner_id": "new", "owner_name": "  Gemeente   Doetinchem ",
                                             "owner_kind": "municipality", "owner_region": "midden"})
    assert response.status_code == 302
    owner = get_plan(world, "samen-veilig-2027").owner
    assert (owner.name, owner.kind, owner.school_region) == (
        "Gemeente Doetinchem", OrganisationKind.MUNICIPALITY, SchoolRegion.MIDDLE)


def test_the_owner_form_refuses_what_it_would_otherwise_have_to_guess(world, app):
    client = browser(app, Role.ADMINISTRATOR)
    before = plans(world)
    elders = world.scalar(sa.select(Organisation.id).where(Organisation.name == "Gemeente Elders"))
    cases = [
        ({"owner_id": ""}, "Kies de organisatie die eigenaar is van het plan"),
        ({"owner_id": "999999"}, "Kies de organisatie die eigenaar is van het plan"),
        ({"owner_id": "new", "owner_name": " "}, "Vul de naam van de nieuwe organisatie in."),
        ({"owner_id": "new", "owner_name": "gemeente ELDERS"}, "Deze organisatie bestaat al"),
        ({"owner_id": str(elders), "owner_name": "Gemeente Doetinchem"}, "U typte de naam van een nieuwe organisatie"),
    ]
    for fields, message in cases:
        response = submit(client, "/plans/new", {**NEW_PLAN, "owner_kind": "municipality", "owner_region": "",
                                                 "owner_name": "", **fields})
        assert response.status_code == 200, fields
        page = text_of(response)
        assert "Er is een probleem" in page and message in page, fields
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert plans(world) == before
    assert world.scalar(sa.select(sa.func.count()).select_from(Organisation).where(
        Organisation.name == "Gemeente Doetinchem")) == 0


def test_only_an_administrator_moves_a_plan_to_another_owner(world, app):
    plan = get_plan(world, "plan-elders")
    arnhem = world.scalar(sa.select(Organisation.id).where(Organisation.name == "Gemeente Arnhem"))
    client = browser(app, Role.ADMINISTRATOR)
    edit = client.get("/plans/plan-elders/edit").get_data(as_text=True)
    assert f'<option selected value="{plan.owner_id}">Gemeente Elders</option>' in edit
    data = {**NEW_PLAN, "title": "Plan elders", "starts_on": "2027-01-01", "ends_on": "2027-06-01",
            "owner_id": str(arnhem), "owner_name": "", "owner_kind": "municipality", "owner_region": "",
            "version": str(plan.row_version)}
    assert submit(client, "/plans/plan-elders/edit", data).status_code == 302
    world.expire_all()
    assert get_plan(world, "plan-elders").owner.name == "Gemeente Arnhem"
