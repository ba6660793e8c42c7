"""Phone widths and zoom (WCAG 1.4.10 reflow, 1.4.4 resize text): no page scrolls sideways at 320 and 390 CSS px,
wide tables scroll in their own region or stack, the month grid becomes a list, the plan's tabs fold into a menu,
and a failed submit leads to an error summary."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from planner.domain.accounts import create_user
from planner.domain.demo import DEMO_PASSWORD, MUNICIPAL_SLUG, demo_users, load_demo, load_demo_users
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role
from tests.browser.conftest import log_in
from tests.browser.crawl import crawl, start_pages
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.helpers import demo_theme_week

ADVISOR_EMAIL = next(email for email, role, _, _ in demo_users() if role == Role.ADVISOR.value)
PHONE_HEIGHT = 640
PLAN = f"/plans/{MUNICIPAL_SLUG}"
# pages read with the text at 200 % (browser text zoom, the layout width of a laptop)
TEXT_ZOOM_PAGES = ("/", PLAN, f"{PLAN}/calendar", f"{PLAN}/channels", "/overview", "/plans/new")

# What is wrong with the page shown, for a phone: the page scrolls sideways, or a table wider than the page
# is neither stacked nor inside a focusable region named by a heading or caption.
PROBLEMS = """() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) problems.push(`page ${root.scrollWidth} px wide`);
    const main = document.querySelector('main');
    for (const table of document.querySelectorAll('main table')) {
        if (table.offsetParent === null || table.classList.contains('table-cards')) continue;
        if (table.getBoundingClientRect().width <= main.clientWidth) continue;
        const region = table.closest('[role=region]');
        const name = region && document.getElementById(region.getAttribute('aria-labelledby'));
        if (!region || region.tabIndex !== 0 || !name || !name.textContent.trim())
            problems.push(`table "${table.innerText.slice(0, 40)}" ${table.scrollWidth} px wide, not in a region`);
    }
    return problems;
}"""


@pytest.fixture
def demo(session):
    """The demo plans, one demo user per role and an administrator; returns the Monday of the demo theme week."""
    load_demo(session)
    load_demo_users(session)
    create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    return demo_theme_week(session).starts_on


@contextmanager
def browser_at(chromium, live_server, width: int, height: int = PHONE_HEIGHT):
    """A new browser window `width` CSS px wide (a phone, or a desktop at 400 % zoom)."""
    context = chromium.new_context(base_url=live_server, locale="nl-NL", timezone_id="Europe/Amsterdam",
                                   viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


# the administrator reaches every page; the advisor sees the plans with editing rights (320 px only, for time)
@pytest.mark.parametrize("user,widths", [((ADMIN_EMAIL, ADMIN_PASSWORD), (320, 390)),
                                         ((ADVISOR_EMAIL, DEMO_PASSWORD), (320,))], ids=["administrator", "advisor"])
def test_no_page_scrolls_sideways_on_a_phone(demo, chromium, live_server, user, widths):
    failures, visited = {}, 0
    for width in widths:
        with browser_at(chromium, live_server, width) as page:
            log_in(page, *user)
            for path in crawl(page, live_server, start_pages(demo)):
                visited += 1
                problems = page.evaluate(PROBLEMS)
                if problems:
                    failures[f"{width} px {path}"] = problems
    assert visited >= 40 * len(widths), f"only {visited} pages reached"
    assert failures == {}, "\n".join(f"{path}: {problems}" for path, problems in failures.items())


def test_month_view_on_a_phone_is_a_list_of_days(demo, chromium, live_server):
    with browser_at(chromium, live_server, 320) as page:
        log_in(page, ADMIN_EMAIL)
        page.goto(f"{PLAN}/calendar?view=month&month={demo:%Y-%m}")
        expect(page.locator(".month-grid thead")).to_be_hidden()  # no row of weekday headings
        days = page.locator(".month-grid td:not(.outside)")
        boxes = [days.nth(i).bounding_box() for i in range(days.count())]
        assert len(boxes) >= 28
        assert len({box["x"] for box in boxes}) == 1, "the days are one column"
        assert all(box["width"] > 250 for box in boxes), "each day takes the width of the screen"
        theme_week = page.locator(f"td[data-date='{demo.isoformat()}']")
        assert theme_week.locator(".day-head").inner_text().startswith(f"ma {demo.day}")
        expect(theme_week.locator(".moment-chip").first).to_be_visible()


def test_plan_tabs_on_a_phone_fold_into_a_menu(demo, chromium, live_server):
    with browser_at(chromium, live_server, 320) as page:
        log_in(page, ADMIN_EMAIL)
        page.goto(f"{PLAN}/channels")
        nav = page.get_by_role("navigation", name="Onderdelen van het plan")
        menu = nav.locator("summary")
        assert menu.inner_text() == "Onderdelen van het plan: Middelen"
        assert nav.get_by_role("link").count() == 0, "the tabs are folded away"
        heading = page.locator(".plan-nav ~ * h2, .plan-nav ~ h2").first
        assert heading.bounding_box()["y"] + heading.bounding_box()["height"] <= PHONE_HEIGHT, \
            "the page's own heading is on the first screen"
        menu.click()
        current = nav.get_by_role("link", name="Middelen")
        assert current.get_attribute("aria-current") == "page"
        assert nav.get_by_role("link").count() == 11
        nav.get_by_role("link", name="Kalender").click()
        page.wait_for_url("**/calendar")
        assert page.locator(".plan-nav summary").inner_text() == "Onderdelen van het plan: Kalender"


def test_plan_tabs_on_a_wide_screen_stay_a_row(demo, chromium, live_server):
    with browser_at(chromium, live_server, 1280) as page:
        log_in(page, ADMIN_EMAIL)
        page.goto(f"{PLAN}/channels")
        nav = page.get_by_role("navigation", name="Onderdelen van het plan")
        expect(nav.locator("summary")).to_be_hidden()
        assert nav.get_by_role("link").count() == 11
        assert nav.get_by_role("link", name="Middelen").get_attribute("aria-current") == "page"


def test_failed_submit_on_a_phone_focuses_the_error_summary(demo, chromium, live_server):
    with browser_at(chromium, live_server, 320) as page:
        log_in(page, ADMIN_EMAIL)
        page.goto("/plans/new")
        page.get_by_label("Titel").fill("")
        with page.expect_navigation():
            page.get_by_role("button", name="Opslaan").click()
        assert page.title().startswith("Fout: ")
        summary = page.locator(":focus")
        assert summary.get_attribute("class") == "error-summary"
        assert summary.get_by_role("heading").inner_text() == "Er is een probleem"
        links = summary.get_by_role("link")
        targets = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert "#title" in targets
        for target in targets:
            assert page.locator(target).count() == 1, f"{target} is a field of the form"
        links.first.click()
        assert page.evaluate("document.activeElement.id") == targets[0][1:]
        assert page.evaluate(PROBLEMS) == []


def test_pages_with_text_at_200_percent_do_not_scroll_sideways(demo, chromium, live_server):
    failures = {}
    with browser_at(chromium, live_server, 1280, 800) as page:
        log_in(page, ADMIN_EMAIL)
        for path in TEXT_ZOOM_PAGES:
            page.goto(path)
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            problems = page.evaluate(PROBLEMS)
            if problems:
                failures[path] = problems
    assert failures == {}
