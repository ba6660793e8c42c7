"""The phase step form on the plan's overview: errors beside their field, who decided filled in, and open work
shown before a plan is approved or goes into execution (the advisor decides; nothing is blocked)."""

import re

import pytest
import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.gates import open_before_execution
from planner.domain.plans import get_plan
from planner.enums import ChecklistStatus, PhaseKey, PlanStatus
from planner.models import Decision, PlanSnapshot
from tests.helpers import submit, text_of

BASE = f"/plans/{MUNICIPAL_SLUG}"


def steps(session) -> tuple[int, int]:
    session.expire_all()
    return (session.scalar(sa.select(sa.func.count()).select_from(PlanSnapshot)),
            session.scalar(sa.select(sa.func.count()).select_from(Decision)))


def test_who_decided_is_marked_required_and_filled_in_with_the_user(demo_session, client):
    html = client.get(BASE).get_data(as_text=True)
    label = re.search(r'<label for="by">(.*?)</label>', html, re.S)[1]
    assert "Besloten door" in label and "(verplicht)" in label
    assert re.search(r'<input[^>]*id="by"[^>]*value="beheer@test\.example"', html)  # the admin has no name


def test_a_step_without_who_decided_is_explained_beside_the_field(demo_session, client):
    before = steps(demo_session)
    response = submit(client, f"{BASE}/gate", {"status": "awaiting_approval", "phase": "preparation", "by": "  ",
                                               "note": ""}, page=BASE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field = re.search(r'<div class="field has-error">\s*<label for="by">.*?</div>', html, re.S)[0]
    assert "Dit veld is verplicht." in field and 'aria-invalid="true"' in field
    assert "Niet vastgelegd: verbeter de gemarkeerde velden onder Fase en vaststelling" in text_of(response)
    assert steps(demo_session) == before


@pytest.mark.today("2026-10-20")  # the demo plan is approved, not yet in execution, with open checklist items
def test_open_work_is_shown_before_execution_and_the_step_is_recorded_once_confirmed(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    open_items = open_before_execution(plan)
    assert open_items and all(i.status in (ChecklistStatus.OPEN, ChecklistStatus.IN_PROGRESS) for i in open_items)
    before = steps(demo_session)
    data = {"status": "in_progress", "phase": "execution", "by": "Wethouder", "note": ""}
    response = submit(client, f"{BASE}/gate", data, page=BASE)
    assert response.status_code == 200
    page = text_of(response)
    assert "Nog niet alles vóór deze stap is klaar." in page and "Openstaande checklist-items" in page
    assert all(item.title in page for item in open_items)
    assert "Deze stap toch vastleggen" in page
    assert steps(demo_session) == before

    response = submit(client, f"{BASE}/gate", {**data, "confirm": "y"}, follow=True, page=BASE)
    assert "De stap is vastgelegd" in text_of(response)
    assert steps(demo_session) == (before[0] + 1, before[1] + 1)
    demo_session.expire_all()
    assert get_plan(demo_session, MUNICIPAL_SLUG).phase == PhaseKey.EXECUTION


@pytest.mark.today("2026-10-20")
def test_a_step_with_nothing_open_is_recorded_at_once(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    for item in open_before_execution(plan):
        item.status = ChecklistStatus.DONE
    demo_session.commit()
    response = submit(client, f"{BASE}/gate", {"status": "in_progress", "phase": "execution", "by": "Wethouder",
                                               "note": ""}, page=BASE)
    assert response.status_code == 302
    demo_session.expire_all()
    assert get_plan(demo_session, MUNICIPAL_SLUG).status == PlanStatus.IN_PROGRESS


def test_a_step_that_asks_nothing_is_recorded_without_confirmation(demo_session, client):
    before = steps(demo_session)
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    target = "draft" if plan.status != PlanStatus.DRAFT else "awaiting_approval"
    response = submit(client, f"{BASE}/gate", {"status": target, "phase": plan.phase.value, "by": "Team",
                                               "note": ""}, page=BASE)
    assert response.status_code == 302
    assert steps(demo_session) == (before[0] + 1, before[1] + 1)
