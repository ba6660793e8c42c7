"""A form that comes back with errors starts the page with a summary linking each field, and says so in the title."""

from __future__ import annotations

import re

from planner.domain.demo import MUNICIPAL_SLUG
from planner.enums import Role
from tests.helpers import submit, text_of_html
from tests.web.test_access import browser, world  # noqa: F401 - the fixture

SUMMARY = re.compile(r'<main id="main" tabindex="-1">\s*(<div class="error-summary"[^>]*>.*?</div>)', re.S)


def summary_of(response) -> tuple[str, list[tuple[str, str]]]:
    """The summary first in main: its text and its links (target, text); fails when main starts otherwise."""
    html = response.get_data(as_text=True)
    match = SUMMARY.search(html)
    assert match, "main does not start with an error summary"
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(1))
    for target, _ in links:
        assert len(re.findall(rf'\bid="{re.escape(target)}"', html)) == 1, f"no single field with id {target}"
    return text_of_html(match.group(1)), [(target, text_of_html(text)) for target, text in links]


def title_of(response) -> str:
    return text_of_html(re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1))


def test_failed_plan_form_starts_with_a_summary_of_its_errors(client):
    response = submit(client, "/plans/new", {"title": "", "starts_on": "2027-13-45", "ends_on": "2027-12-01",
                                             "status": "draft", "phase": "initiative", "owner_id": "new"})
    text, links = summary_of(response)
    assert text.startswith("Er is een probleem")
    assert ("title", "Titel: Dit veld is verplicht.") in links
    assert any(target == "starts_on" and "Ongeldige datum" in link for target, link in links)
    assert title_of(response) == "Fout: Nieuw plan · Planner"


def test_failed_login_lists_both_empty_fields(anonymous_client):
    response = submit(anonymous_client, "/login", {"email": "", "password": ""})
    text, links = summary_of(response)
    assert [target for target, _ in links] == ["email", "password"]
    assert title_of(response).startswith("Fout: Inloggen")


def test_failed_rows_link_each_wrong_row_field(world, app):  # noqa: F811 - the fixture
    base = f"/plans/{MUNICIPAL_SLUG}"
    response = submit(browser(app, Role.ADVISOR), f"{base}/channels/several", {
        "row0-name": "Wijkkrant", "row0-kind": "local_media", "row0-lead_time_days": "10",
        "row1-name": "Buurtapp", "row1-kind": "social_media", "row1-lead_time_days": "veel",
        "row2-name": "wijkkrant", "row2-kind": "local_media", "row2-lead_time_days": "3"}, page=f"{base}/channels")
    text, links = summary_of(response)
    assert [target for target, _ in links] == ["row1-lead_time_days", "row2-name"]
    assert links[1][1].endswith("Deze naam staat twee keer in de lijst.")


def test_form_without_errors_has_no_summary(client):
    response = client.get("/plans/new")
    assert 'class="error-summary"' not in response.get_data(as_text=True)
    assert title_of(response) == "Nieuw plan · Planner"
