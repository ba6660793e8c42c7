"""The activity form: essentials first, the rest in sections that open when they hold something."""

import re

from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from tests.helpers import submit, text_of

BASE = f"/plans/{REGIONAL_SLUG}"


def sections(html: str) -> dict[str, bool]:
    """Each section's title and whether it is open."""
    return {title: bool(opened) for opened, title in
            re.findall(r'<details class="form-section"( open)?><summary>(.*?)</summary>', html)}


def test_a_new_activity_form_shows_the_essentials_with_the_title_focused(demo_session, client):
    html = client.get(f"{BASE}/activities/new").get_data(as_text=True)
    assert sections(html) == {"Tijdstip": False, "Koppelen aan een moment": False, "Herhaling": False,
                              "Bereik, beschrijving en interne notities": False}
    assert re.search(r'<input[^>]*autofocus[^>]*id="title"|<input[^>]*id="title"[^>]*autofocus', html)
    essentials = html[:html.index('<details class="form-section"')]
    for name in ("title", "starts_on", "channel_id", "message_id", "sender_id", "owner_name"):
        assert f'id="{name}"' in essentials, name


def test_sections_open_where_the_activity_has_values_or_errors(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    anchored = next(a for a in plan.activities if a.anchor_moment_id is not None and not a.recurrence)
    html = client.get(f"{BASE}/activities/{anchored.id}/edit").get_data(as_text=True)
    opened = sections(html)
    assert opened["Koppelen aan een moment"] and not opened["Herhaling"]
    assert "autofocus" not in html  # an edit form keeps the page where it is

    response = submit(client, f"{BASE}/activities/new", {
        "title": "Herhaald", "starts_on": "2027-01-04", "frequency": "WEEKLY", "exdates": "geen datum",
        "reach": "external", "level": "local", "status": "planned"})
    assert sections(response.get_data(as_text=True))["Herhaling"]


def test_a_core_message_for_another_audience_is_refused_beside_the_field(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    message = plan.messages[0]
    other = next(a for a in plan.audiences if a.id != message.audience_id)
    response = submit(client, f"{BASE}/activities/new", {
        "title": "Verkeerde boodschap", "starts_on": "2027-01-04", "audience_ids": [str(other.id)],
        "message_id": str(message.id), "reach": "external", "level": "local", "status": "planned"})
    assert response.status_code == 200
    assert (f"Deze kernboodschap is voor {message.audience.name}: kies die doelgroep ook, of een andere "
            "kernboodschap.") in text_of(response)
    html = response.get_data(as_text=True)
    data = re.search(r'<div hidden id="message-audiences" data-map="([^"]*)"', html)[1]
    assert f"&#34;{message.id}&#34;: {message.audience_id}" in data  # the map the page script filters with
