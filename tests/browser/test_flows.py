"""An advisor's whole path in a real browser, and the calendar by keyboard and without JavaScript."""

from __future__ import annotations

import urllib.request

import icalendar
import pytest
from playwright.sync_api import expect

from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, load_demo
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role
from tests.browser.conftest import log_in, screenshot
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import demo_theme_week

ADVISOR = "adviseur@ede.example"


@pytest.fixture
def advisor(session):
    ede = find_or_create_organisation(session, "Gemeente Ede", OrganisationKind.MUNICIPALITY)
    create_user(session, ADVISOR, ede, Role.ADVISOR, ADMIN_PASSWORD, name="Fatima el Amrani")
    session.commit()


def save(page):
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_load_state()


def test_an_advisor_builds_a_plan_from_the_guided_start_to_a_feed(advisor, page, live_server):
    log_in(page, ADVISOR)
    page.get_by_role("link", name="Nieuw plan").first.click()
    page.fill("#title", "Week tegen Kindermishandeling 2027 Ede")
    page.fill("#starts_on", "2027-09-01")
    page.fill("#ends_on", "2027-12-17")
    page.get_by_role("button", name="Opslaan").click()

    # the guided start: step 1, then on to the preparation
    page.wait_for_url("**/start")
    expect(page.get_by_role("heading", name="Stap 1: Initiatief")).to_be_visible()
    expect(page.get_by_text("Nog geen doelgroepen")).to_be_visible()
    screenshot(page, "flow-guided-start")
    page.get_by_role("link", name="Volgende stap").click()
    expect(page.get_by_role("heading", name="Stap 2: Voorbereiding")).to_be_visible()

    # an audience, with an embargo
    page.get_by_role("link", name="Bepaal wie u wilt bereiken").click()
    page.get_by_role("link", name="Doelgroep toevoegen").first.click()
    page.fill("#name", "Ouders in Ede")
    save(page)
    page.get_by_role("link", name="Embargo toevoegen").first.click()
    page.select_option("#audience_id", label="Ouders in Ede")
    page.fill("#not_before", "2027-11-15")
    page.fill("#reason", "Eerst de scholen informeren.")
    save(page)

    # a core message and a channel
    page.get_by_role("link", name="Kernboodschappen").click()
    page.get_by_role("link", name="Kernboodschap toevoegen").first.click()
    page.select_option("#audience_id", label="Ouders in Ede")
    page.fill("#title", "Praat erover")
    page.fill("#body", "Maakt u zich zorgen over een kind? Bel Veilig Thuis: 0800-2000.")
    save(page)
    page.get_by_role("link", name="Middelen", exact=True).click()
    page.get_by_role("link", name="Middel toevoegen").first.click()
    page.fill("#name", "Poster in de bibliotheek")
    page.fill("#lead_time_days", "10")
    save(page)

    # an activity that reaches the parents before their embargo
    page.get_by_role("link", name="Kalender").click()
    page.get_by_role("link", name="Activiteit toevoegen").first.click()
    page.fill("#title", "Poster ophangen")
    page.fill("#starts_on", "2027-11-08")
    page.select_option("#channel_id", label="Poster in de bibliotheek")
    page.get_by_label("Ouders in Ede").check()
    page.select_option("#message_id", label="Praat erover")
    save(page)
    warning = page.get_by_text("eerder dan het embargo toestaat")
    expect(warning.first).to_be_visible()
    screenshot(page, "flow-embargo-warning")

    # the plan document, with the progress indicator on the way
    page.get_by_role("link", name="Overzicht", exact=True).last.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Plan als Word-document").click()
    assert download.value.suggested_filename.endswith(".docx")
    expect(page.get_by_text("staat in uw downloads")).to_be_visible()
    assert download.value.path().stat().st_size > 5000

    # a calendar feed for the partners, fetched like a calendar program does
    page.get_by_role("link", name="Agenda-abonnementen").click()
    page.fill("#label", "Voor de scholen")
    page.get_by_role("button", name="Link maken").click()
    url = page.locator("code.secret-link").inner_text().strip()
    assert "/feeds/" in url and url.endswith(".ics")
    with urllib.request.urlopen(url, timeout=10) as response:
        feed = icalendar.Calendar.from_ical(response.read())
    assert "Poster ophangen" in [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]


@pytest.fixture
def demo(session):
    load_demo(session)
    create_user(session, "beheer@test.example", find_or_create_organisation(session, "Gemeente Arnhem"),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    return demo_theme_week(session).starts_on


def test_the_calendar_works_by_keyboard_alone(demo, page, live_server):
    log_in(page, "beheer@test.example")
    page.goto(f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={demo:%Y-%m}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    for _ in range(80):                 # walk through the page until the first activity of the month
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('chip')"):
            break
    else:
        pytest.fail("no activity in the month grid can be reached by keyboard")
    title = page.evaluate("document.activeElement.textContent.trim()")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused activity shows no focus indicator"
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit")
    assert page.locator("#title").input_value() in title


def test_the_calendar_works_without_javascript(demo, chromium, live_server):
    context = chromium.new_context(base_url=live_server, java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, "beheer@test.example")
        page.goto(f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={demo:%Y-%m}")
        page.get_by_role("link", name="Volgende maand").click()
        expect(page.get_by_role("heading", name=f"december {demo.year}")).to_be_visible()
        page.get_by_role("link", name="Week", exact=True).click()
        page.get_by_label("Status").select_option("planned")
        page.get_by_role("button", name="Filteren").click()
        assert "status=planned" in page.url
    finally:
        context.close()

