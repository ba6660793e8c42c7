"""Adding an activity in one line, from the agenda or a day of the month and week views, and "save and add
another" on the full form."""

import datetime as dt
import re

import sqlalchemy as sa

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import ActivityStatus, Role
from planner.models import Activity
from tests.helpers import long_date, submit, text_of
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

BASE = f"/plans/{MUNICIPAL_SLUG}"


def test_quick_add_from_a_month_cell_keeps_the_day_and_goes_back_to_the_month(world, app):
    client = browser(app, Role.ADVISOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    day = plan.starts_on + dt.timedelta(days=3)
    month = client.get(f"{BASE}/calendar?view=month&month={day:%Y-%m}").get_data(as_text=True)
    link = f"{BASE}/activities/quick?date={day.isoformat()}&amp;view=month"
    assert link in month
    form = client.get(link.replace("&amp;", "&"))
    assert f'value="{day.isoformat()}"' in form.get_data(as_text=True)
    response = submit(client, f"{BASE}/activities/quick", {
        "title": "Bericht in de wijkkrant", "starts_on": day.isoformat(), "channel_id": str(plan.channels[0].id),
        "audience_id": str(plan.audiences[0].id), "back": f"{BASE}/calendar?view=month&month={day:%Y-%m}"},
        page=link.replace("&amp;", "&"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"view=month&month={day:%Y-%m}")
    activity = world.scalar(sa.select(Activity).where(Activity.title == "Bericht in de wijkkrant"))
    assert (activity.starts_on, activity.channel_id, [a.id for a in activity.audiences], activity.status) == (
        day, plan.channels[0].id, [plan.audiences[0].id], ActivityStatus.PLANNED)
    page = text_of(client.get(response.headers["Location"]))
    assert f"“Bericht in de wijkkrant” toegevoegd op {long_date(day)}." in page


def test_quick_add_on_the_agenda_refuses_a_missing_title_beside_the_field(world, app):
    client = browser(app, Role.ADVISOR)
    agenda = client.get(f"{BASE}/calendar").get_data(as_text=True)
    assert 'id="quick-add-title"' in agenda
    before = world.scalar(sa.select(sa.func.count()).select_from(Activity))
    response = submit(client, f"{BASE}/activities/quick", {"title": " ", "starts_on": "2027-01-04", "channel_id": "",
                                                          "audience_id": "", "back": f"{BASE}/calendar"},
                      page=f"{BASE}/calendar")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Er is een probleem" in text_of(response)
    assert re.search(r'<div class="field has-error">\s*<label for="title">', html)
    assert world.scalar(sa.select(sa.func.count()).select_from(Activity)) == before


def test_readers_get_no_quick_add_and_may_not_open_it(world, app):
    reader = browser(app, Role.READER)
    assert "activities/quick" not in reader.get(f"{BASE}/calendar").get_data(as_text=True)
    assert "activities/quick" not in reader.get(f"{BASE}/calendar?view=month").get_data(as_text=True)
    assert reader.get(f"{BASE}/activities/quick").status_code == 403


def test_save_and_add_another_opens_a_new_form_on_the_same_day(world, app):
    client = browser(app, Role.ADVISOR)
    response = submit(client, f"{BASE}/activities/new", {
        "title": "Eerste van twee", "starts_on": "2027-01-05", "reach": "external", "level": "local",
        "status": "planned", "again": "1"})
    assert response.headers["Location"] == f"{BASE}/activities/new?starts_on=2027-01-05"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="starts_on"[^>]*value="2027-01-05"', html)
    assert "Opslaan en nog een" in html
