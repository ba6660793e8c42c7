"""Undo and the trash through the web: delete and restore, change many rows at once and take it back."""

import datetime as dt
import re

import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.workdays import add_working_days
from planner.enums import ActivityStatus, ChecklistStatus, Role
from planner.models import Activity, AuditEntry, ChecklistItem, Plan, UndoEntry
from tests.helpers import csrf_token, text_of, text_of_html
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

BASE = f"/plans/{MUNICIPAL_SLUG}"
UNDO = re.compile(r'<form method="post" action="([^"]+)" class="inline-form undo-form">')


def _undo_action(page: str) -> str:
    match = UNDO.search(page)
    assert match, "the confirmation offers no Undo button"
    return match[1]


def _plain(world, slug=MUNICIPAL_SLUG):
    world.expire_all()
    plan = get_plan(world, slug)
    return sorted((a.title, a.starts_on, a.ends_on, a.status, a.owner_name, a.channel_id, a.anchor_offset,
                   a.recurrence, tuple(a.exdates or ())) for a in plan.activities)


def test_a_deleted_activity_comes_back_with_undo_and_from_the_trash(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    activity = next(a for a in plan.activities if a.audiences and a.channel)
    title, audiences, channel = activity.title, {a.name for a in activity.audiences}, activity.channel.name
    before = _plain(world)
    url = f"{BASE}/activities/{activity.id}/delete"
    confirm = client.get(url)
    assert "ongedaan maken, of 30 dagen lang terugzetten uit de prullenbak van het plan" in text_of(confirm)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Verwijderd: activiteit “{title}”." in text_of_html(page)
    assert _plain(world) != before

    # Undo right away, from the confirmation
    response = client.post(_undo_action(page), data={"csrf_token": csrf_token(client, "/"), "back": f"{BASE}/calendar"})
    assert response.headers["Location"] == f"{BASE}/calendar"
    assert f"Teruggezet: activiteit “{title}”." in text_of(client.get(response.headers["Location"]))
    assert _plain(world) == before
    back = get_plan(world, MUNICIPAL_SLUG)
    restored = next(a for a in back.activities if a.title == title)
    assert {a.name for a in restored.audiences} == audiences and restored.channel.name == channel

    # Delete again, and restore from the trash later
    url = f"{BASE}/activities/{restored.id}/delete"
    client.post(url, data={"csrf_token": csrf_token(client, url)})
    trash_page = client.get(f"{BASE}/trash")
    assert f"activiteit “{title}”" in text_of(trash_page)
    action = re.search(r'action="(/plans/[^"]+/undo/[^"]+)"', trash_page.get_data(as_text=True))[1]
    response = client.post(action, data={"csrf_token": csrf_token(client, f"{BASE}/trash"), "back": f"{BASE}/trash"})
    assert "De prullenbak is leeg." in text_of(client.get(response.headers["Location"]))
    assert _plain(world) == before
    # Twice is once too many
    response = client.post(action, data={"csrf_token": csrf_token(client, f"{BASE}/trash")})
    assert "Dit is al ongedaan gemaakt." in text_of(client.get(response.headers["Location"]))
    assert _plain(world) == before


def test_five_activities_move_two_working_days_as_one_action_and_undo_restores_them(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    chosen = sorted((a for a in plan.activities if not a.recurrence), key=lambda a: (a.starts_on, a.id))[:5]
    assert len(chosen) == 5
    before = _plain(world)
    expected = {a.id: add_working_days(a.starts_on, 2) for a in chosen if a.anchor_moment is None}
    agenda = f"{BASE}/calendar?from={chosen[0].starts_on.isoformat()}"
    page = client.get(agenda).get_data(as_text=True)
    for a in chosen:
        assert f'value="{a.id}:{a.row_version}" form="bulk-activities"' in page
    response = client.post(f"{BASE}/activities/bulk", data={
        "bulk-csrf_token": csrf_token(client, agenda), "bulk-back": agenda, "action": "shift", "bulk-shift_by": "2",
        "bulk-shift_unit": "working_days", "bulk-rows": [f"{a.id}:{a.row_version}" for a in chosen]})
    assert response.headers["Location"] == agenda
    page = client.get(agenda).get_data(as_text=True)
    assert "5 activiteiten 2 werkdagen verschoven." in text_of_html(page)
    assert "Gekozen activiteiten verwijderen" in text_of_html(page)
    world.expire_all()
    for activity_id, day in expected.items():
        assert world.get(Activity, activity_id).starts_on == day
    history = text_of(client.get(f"{BASE}/history"))
    at = history.find("Meerdere tegelijk gewijzigd: 5 activiteiten 2 werkdagen verschoven")
    assert at > 0 and "5 rijen" in history[at:at + 200], history[at:at + 200]

    # the history offers the same undo
    history_page = client.get(f"{BASE}/history").get_data(as_text=True)
    assert _undo_action(history_page) == _undo_action(page)
    client.post(_undo_action(page), data={"csrf_token": csrf_token(client, "/"), "back": agenda})
    assert _plain(world) == before
    history_page = client.get(f"{BASE}/history").get_data(as_text=True)
    assert "Ongedaan gemaakt: 5 activiteiten 2 werkdagen verschoven" in text_of_html(history_page)
    assert not UNDO.search(history_page), "what is undone offers no undo any more"


def test_checklist_items_get_an_owner_and_a_status_at_once(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    items = plan.phases[1].items[:3]
    rows = [f"{i.id}:{i.row_version}" for i in items]
    token = csrf_token(client, f"{BASE}/checklist")
    client.post(f"{BASE}/checklist-items/bulk", data={"bulk-csrf_token": token, "action": "owner",
                                                      "bulk-owner_name": "Fatima", "bulk-rows": rows})
    world.expire_all()
    assert {world.get(ChecklistItem, i.id).owner_name for i in items} == {"Fatima"}
    rows = [f"{i.id}:{world.get(ChecklistItem, i.id).row_version}" for i in items]
    response = client.post(f"{BASE}/checklist-items/bulk", data={"bulk-csrf_token": token, "action": "status",
                                                                 "bulk-status": "done", "bulk-rows": rows})
    page = text_of(client.get(response.headers["Location"]))
    assert "3 checklist-items op “Uitgevoerd” gezet." in page, page[:2000]
    world.expire_all()
    assert {world.get(ChecklistItem, i.id).status for i in items} == {ChecklistStatus.DONE}


def test_bad_bulk_requests_say_why_and_change_nothing(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    activity = next(a for a in plan.activities if a.status == ActivityStatus.PLANNED)
    row = f"{activity.id}:{activity.row_version}"
    token = csrf_token(client, f"{BASE}/calendar")
    before = _plain(world)
    cases = [
        ({"action": "shift", "bulk-shift_by": "2"}, "Kies eerst een of meer rijen."),
        ({"action": "shift", "bulk-rows": row, "bulk-shift_by": ""}, "Vul in met hoeveel dagen"),
        ({"action": "shift", "bulk-rows": row, "bulk-shift_by": "900"}, "Verschuif hooguit 365 dagen"),
        ({"action": "fly", "bulk-rows": row}, "Kies wat er met de gekozen rijen moet gebeuren."),
        ({"action": "status", "bulk-rows": "12;x", "bulk-status": "done"}, "De keuze van rijen klopt niet"),
        ({"action": "status", "bulk-rows": f"{activity.id}:{activity.row_version + 7}", "bulk-status": "done"},
         "in de tussentijd gewijzigd of verwijderd; er is niets veranderd"),
    ]
    for data, message in cases:
        response = client.post(f"{BASE}/activities/bulk", data={"bulk-csrf_token": token, "bulk-shift_unit": "days",
                                                                "bulk-back": f"{BASE}/calendar", **data})
        assert response.status_code == 302
        assert message in text_of(client.get(response.headers["Location"])), message
        assert _plain(world) == before
    assert world.scalar(sa.select(sa.func.count()).select_from(UndoEntry)) == 0


def test_a_deleted_plan_is_restored_whole_from_the_deleted_plans_page(world, app):
    client = browser(app, Role.ADVISOR)
    before = _plain(world)
    url = f"{BASE}/delete"
    confirm = text_of(client.get(url))
    assert "planner export" not in confirm and "30 dagen" in confirm
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    dashboard = client.get(response.headers["Location"])
    assert "Verwijderde plannen" in text_of(dashboard)
    assert world.scalar(sa.select(Plan).where(Plan.slug == MUNICIPAL_SLUG)) is None
    deleted = client.get("/trash")
    assert "Samen tegen kindermishandeling" in text_of(deleted) or "Week tegen Kindermishandeling" in text_of(deleted)
    action = re.search(r'action="(/trash/[^"]+/restore)"', deleted.get_data(as_text=True))[1]
    response = client.post(action, data={"csrf_token": csrf_token(client, "/trash")})
    assert response.headers["Location"] == BASE
    assert "hersteld" in text_of(client.get(BASE))
    assert _plain(world) == before
    assert world.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "restore")) == 1


def test_a_set_of_activities_is_copied_to_another_day_and_undo_removes_the_copies(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    chosen = sorted((a for a in plan.activities if not a.recurrence), key=lambda a: (a.starts_on, a.id))[:3]
    before = _plain(world)
    to = chosen[0].starts_on + dt.timedelta(days=364)
    agenda = f"{BASE}/calendar"
    response = client.post(f"{BASE}/activities/bulk", data={
        "bulk-csrf_token": csrf_token(client, agenda), "bulk-back": agenda, "action": "copy",
        "bulk-copy_to": to.isoformat(), "bulk-rows": [f"{a.id}:{a.row_version}" for a in chosen]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 activiteiten gekopieerd, de eerste naar" in text_of_html(page)
    world.expire_all()
    copies = {(a.title, a.starts_on, a.anchor_moment_id, a.status) for a in get_plan(world, MUNICIPAL_SLUG).activities
              if a.starts_on >= to}
    assert copies >= {(a.title, a.starts_on + dt.timedelta(days=364), None, ActivityStatus.PLANNED) for a in chosen}
    client.post(_undo_action(page), data={"csrf_token": csrf_token(client, "/"), "back": agenda})
    assert _plain(world) == before

    response = client.post(f"{BASE}/activities/bulk", data={
        "bulk-csrf_token": csrf_token(client, agenda), "bulk-back": agenda, "action": "copy", "bulk-copy_to": "",
        "bulk-rows": [f"{a.id}:{a.row_version}" for a in chosen]})
    assert "Vul de dag in waarop de eerste kopie valt." in text_of(client.get(response.headers["Location"]))
    assert _plain(world) == before
