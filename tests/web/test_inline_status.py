"""Marking an activity or a checklist item from the list it is shown in: one small form, no edit page."""

import html
import re

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import ActivityStatus, ChecklistStatus, Role
from planner.models import Activity, ChecklistItem
from tests.helpers import csrf_token, text_of, text_of_html
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

BASE = f"/plans/{MUNICIPAL_SLUG}"


def status_form(page: str, action: str) -> dict:
    """The hidden fields of the status form that posts to `action`, as a browser sends them."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)[1]
    inputs = re.findall(r"<input[^>]*>", form)
    return {re.search(r'name="(\w+)"', i)[1]: html.unescape(re.search(r'value="([^"]*)"', i)[1]) for i in inputs}


def test_three_activities_are_marked_done_from_the_agenda_without_opening_a_form(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    planned = [a for a in plan.activities if a.status == ActivityStatus.PLANNED]
    agenda = f"{BASE}/calendar?from={min(a.starts_on for a in planned).isoformat()}"
    page = client.get(agenda).get_data(as_text=True)
    marked = []
    for activity in [a for a in planned if f"/activities/{a.id}/status" in page][:3]:
        action = f"{BASE}/activities/{activity.id}/status"
        response = client.post(action, data={**status_form(page, action), "status": "done"})
        assert response.status_code == 302 and response.headers["Location"].startswith(f"{BASE}/calendar")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"“{activity.title}”: Uitgevoerd." in text_of_html(page)
        marked.append(activity.id)
    assert len(marked) == 3
    world.expire_all()
    assert {world.get(Activity, i).status for i in marked} == {ActivityStatus.DONE}


def test_a_status_posted_on_an_old_version_changes_nothing_and_says_so(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    item = plan.phases[0].items[0]
    page = client.get(f"{BASE}/checklist").get_data(as_text=True)
    action = f"{BASE}/checklist-items/{item.id}/status"
    fields = status_form(page, action)
    item.note = "Intussen door een ander aangevuld"
    world.commit()
    response = client.post(action, data={**fields, "status": "done"}, follow_redirects=True)
    assert f"Iemand anders heeft “{item.title}” intussen gewijzigd" in text_of(response)
    world.expire_all()
    assert world.get(ChecklistItem, item.id).status == item.status


def test_a_checklist_item_is_ticked_off_and_opened_again(world, app):
    client = browser(app, Role.ADVISOR)
    item = get_plan(world, MUNICIPAL_SLUG).phases[0].items[0]
    for wanted in (ChecklistStatus.NOT_APPLICABLE, ChecklistStatus.OPEN, ChecklistStatus.DONE):
        page = client.get(f"{BASE}/checklist").get_data(as_text=True)
        action = f"{BASE}/checklist-items/{item.id}/status"
        response = client.post(action, data={**status_form(page, action), "status": wanted.value})
        assert response.headers["Location"] == f"{BASE}/checklist#item-{item.id}"
        world.expire_all()
        assert world.get(ChecklistItem, item.id).status == wanted


def test_readers_get_no_status_controls_and_bad_posts_are_refused(world, app):
    reader = browser(app, Role.READER)
    assert "/status" not in reader.get(f"{BASE}/checklist").get_data(as_text=True)
    assert "/status" not in reader.get(f"{BASE}/calendar").get_data(as_text=True)
    client = browser(app, Role.ADVISOR)
    item = get_plan(world, MUNICIPAL_SLUG).phases[0].items[0]
    token = csrf_token(client, f"{BASE}/checklist")
    action = f"{BASE}/checklist-items/{item.id}/status"
    assert client.post(action, data={"csrf_token": token, "status": "klaar", "version": str(item.row_version),
                                     "back": "/"}).status_code == 400
    assert client.post(action, data={"csrf_token": token, "status": "done"}).status_code == 400  # no version
    response = client.post(action, data={"csrf_token": token, "status": "done", "version": str(item.row_version),
                                         "back": "https://elders.example/"})
    assert response.headers["Location"] == "/"  # never to another site


def test_the_month_view_marks_an_activity_done_in_its_day_cell(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    activity = next(a for a in plan.activities if a.status == ActivityStatus.PLANNED and not a.recurrence)
    month = f"{BASE}/calendar?view=month&month={activity.starts_on:%Y-%m}"
    page = client.get(month).get_data(as_text=True)
    action = f"{BASE}/activities/{activity.id}/status"
    response = client.post(action, data={**status_form(page, action), "status": "done"})
    assert response.headers["Location"] == month
    world.expire_all()
    assert world.get(Activity, activity.id).status == ActivityStatus.DONE
    assert action not in client.get(month).get_data(as_text=True)  # done: no control any more


def test_a_rows_csrf_field_has_the_forms_token_and_no_id_and_a_form_without_csrf_gets_none(app):
    from flask import render_template_string
    from flask_wtf import FlaskForm

    template = '{% from "_macros.html" import csrf_field %}{{ csrf_field(form) }}'
    with app.test_request_context("/"):
        form = FlaskForm()
        field = render_template_string(template, form=form)
        assert field == f'<input type="hidden" name="csrf_token" value="{form.csrf_token.current_token}">'
        assert render_template_string(template, form=FlaskForm(meta={"csrf": False})) == ""
