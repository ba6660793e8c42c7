import datetime as dt

import pytest
import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.workdays import add_working_days
from planner.models import ChecklistItem, Plan
from tests.helpers import long_date, submit, text_of


@pytest.mark.today("2026-10-20")  # the demo plans the 2026 week and is approved, not yet in execution
def test_gate_copy_and_local_plan_through_the_pages(demo_session, client):
    base = f"/plans/{MUNICIPAL_SLUG}"
    response = submit(client, f"{base}/gate", {"status": "completed", "phase": "execution", "by": "Team",
                                               "note": "Afgerond", "confirm": "y"}, follow=True, page=base)
    page = text_of(response)
    assert "De stap is vastgelegd" in page and "Afgerond" in page and "Geschiedenis van de stappen" in page
    refused = submit(client, f"{base}/gate", {"status": "completed", "phase": "execution", "by": "Team"},
                     follow=True, page=base)
    assert "Kies een andere status of fase" in text_of(refused)

    response = submit(client, f"{base}/copy", {"year": "2027"}, page=base)
    assert response.headers["Location"].endswith("/plans/week-tegen-kindermishandeling-2027-arnhem")
    page = text_of(client.get("/plans/week-tegen-kindermishandeling-2027-arnhem"))
    assert "Vervolg op: Week tegen Kindermishandeling 2026 Arnhem" in page
    start = get_plan(demo_session, MUNICIPAL_SLUG).starts_on
    assert long_date(start + dt.timedelta(weeks=52)) in page  # whole weeks on, the same weekday

    region_page = f"/plans/{REGIONAL_SLUG}"
    response = submit(client, f"{region_page}/local", {"municipality": "Gemeente Zevenaar",
                                                       "title": "Veilig Thuis Zevenaar"}, page=region_page)
    local_url = response.headers["Location"]
    assert local_url.endswith("/plans/veilig-thuis-zevenaar")
    region = get_plan(demo_session, REGIONAL_SLUG)
    region.messages[0].body = "Regio past de tekst aan"
    demo_session.commit()
    page = text_of(client.get(local_url))
    assert "Gewijzigd in de regio: " + region.messages[0].title in page
    uid = region.messages[0].uuid
    submit(client, f"{local_url}/regional/{uid}/accept", {}, page=local_url)
    assert "Alles uit de regio is verwerkt." in text_of(client.get(local_url))


@pytest.mark.today("2026-10-20")
def test_overview_page_filters_and_csv(demo_session, client):
    page = text_of(client.get("/overview"))
    assert "Introductie Veilig Thuis regio Arnhem-Achterhoek" in page and "Week tegen Kindermishandeling" in page
    filtered = text_of(client.get("/overview?status=approved"))
    assert "Week tegen Kindermishandeling 2026 Arnhem" in filtered and "Introductie Veilig Thuis" not in filtered
    assert "Geen plannen" in text_of(client.get("/overview?q=bestaatniet"))
    csv = client.get("/overview.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.data.decode("utf-8-sig").count("\r\n") == 3


def test_checklist_items_move_and_follow_their_moment(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    first, second = plan.phases[0].items[0], plan.phases[0].items[1]
    submit(client, f"/plans/{plan.slug}/checklist-items/{second.id}/move", {"direction": "up"},
           page=f"/plans/{plan.slug}/checklist")
    demo_session.expire_all()
    phase = get_plan(demo_session, MUNICIPAL_SLUG).phases[0]
    assert [i.id for i in phase.items[:2]] == [second.id, first.id]
    week = next(m for m in plan.moments if m.observance_key == "week-tegen-kindermishandeling")
    item = plan.phases[1].items[0]
    response = submit(client, f"/plans/{plan.slug}/checklist-items/{item.id}/edit", {
        "phase_id": str(item.phase_id), "title": item.title, "status": "open", "owner_name": "", "due_on": "",
        "due_moment_id": str(week.id), "due_offset": "-5", "due_unit": "working_days", "note": ""})
    assert response.status_code == 302
    demo_session.expire_all()
    assert demo_session.get(ChecklistItem, item.id).due_on == add_working_days(week.starts_on, -5)
    later = week.starts_on + dt.timedelta(days=7)
    submit(client, f"/plans/{plan.slug}/moments/{week.id}/edit", {
        "name": week.name, "kind": "observance", "observance_key": week.observance_key,
        "starts_on": later.isoformat(), "ends_on": (later + dt.timedelta(days=6)).isoformat(), "description": ""})
    demo_session.expire_all()
    assert demo_session.get(ChecklistItem, item.id).due_on == add_working_days(later, -5)
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 2


def test_status_and_phase_change_only_through_the_gate(demo_session, client):
    """The plan's edit form cannot set a plan to approved: that would skip the decision and the snapshot."""
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    before = (plan.status, plan.phase, len(plan.snapshots))
    form = client.get(f"/plans/{MUNICIPAL_SLUG}/edit")
    assert 'name="status"' not in form.get_data(as_text=True) and "Fase en vaststelling" in text_of(form)
    response = submit(client, f"/plans/{MUNICIPAL_SLUG}/edit", {
        "title": plan.title, "theme": plan.theme, "owner_id": str(plan.owner_id),
        "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat(), "parent_id": str(plan.parent_id),
        "budget": "", "introduction": "Nieuwe aanleiding", "goal": plan.goal, "strategy": "", "evaluation": "",
        "status": "completed", "phase": "evaluation"})
    assert response.status_code == 302
    demo_session.expire_all()
    plan = demo_session.get(Plan, plan.id)
    assert plan.introduction == "Nieuwe aanleiding"
    assert (plan.status, plan.phase, len(plan.snapshots)) == before


@pytest.mark.today("2026-10-20")
def test_changes_since_approval_include_a_decision_added_afterwards(demo_session, client):
    """The list is cached per plan version; a decision (not a row the checks look at) must still refresh it."""
    from planner.domain import gates
    from planner.enums import PhaseKey, PlanStatus
    from planner.models import Decision

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    if plan.status != PlanStatus.APPROVED:
        gates.move_plan(demo_session, plan, PlanStatus.APPROVED, plan.phase, "College", "", dt.date(2026, 10, 20))
    else:
        gates.move_plan(demo_session, plan, PlanStatus.APPROVED, PhaseKey.EXECUTION, "College", "",
                        dt.date(2026, 10, 20))
    demo_session.commit()
    assert "Later besluit over de huis-aan-huisbrief" not in text_of(client.get(f"/plans/{MUNICIPAL_SLUG}"))
    plan.decisions.append(Decision(title="Later besluit over de huis-aan-huisbrief", decided_on=dt.date(2026, 10, 21)))
    demo_session.commit()
    assert "Later besluit over de huis-aan-huisbrief" in text_of(client.get(f"/plans/{MUNICIPAL_SLUG}"))
