"""axe-core finds no WCAG 2.1 A or AA violation on any page of the app, demo data loaded."""

from __future__ import annotations

import pytest

from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, load_demo
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.browser.crawl import crawl, start_pages
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import demo_theme_week

# pages worth a picture in the README
SHOTS = {"/": "dashboard", f"/plans/{MUNICIPAL_SLUG}": "plan", f"/plans/{MUNICIPAL_SLUG}/start": "guided-start",
         f"/plans/{MUNICIPAL_SLUG}/calendar?view=timeline": "timeline", "/overview": "overview",
         f"/plans/{MUNICIPAL_SLUG}/audiences": "stakeholders"}


@pytest.fixture
def demo_world(session):
    load_demo(session)
    create_user(session, "beheer@test.example", find_or_create_organisation(session, "Gemeente Arnhem",
                                                                              OrganisationKind.MUNICIPALITY),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    return demo_theme_week(session).starts_on


def test_no_page_has_a_wcag_violation(demo_world, page, live_server):
    log_in(page, "beheer@test.example")
    start = start_pages(demo_world)
    shots = {**SHOTS, start[1]: "month"}
    failures, visited = {}, 0
    for path in crawl(page, live_server, start):
        visited += 1
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
        if path in shots:
            screenshot(page, shots[path])
    print(f"axe checked {visited} pages")
    assert visited >= 40, f"only {visited} pages reached"
    assert failures == {}, "\n".join(f"{p}: {v}" for p, v in failures.items())


def test_login_page_and_error_pages_pass_too(page, live_server):
    page.goto("/login")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Inloggen").click()   # empty form: errors beside the fields
    assert axe_violations(page) == []
    screenshot(page, "login-errors")


def test_the_check_itself_finds_a_violation(page, live_server):
    """axe is really running: a picture without a text alternative and grey-on-grey text are caught."""
    page.goto("/toegankelijkheid")
    page.evaluate("""() => {
        const img = document.createElement('img'); img.src = '/static/none.png';
        document.querySelector('main').append(img);
        const p = document.createElement('p'); p.textContent = 'onleesbaar'; p.style.color = '#bbb';
        p.style.background = '#ccc'; document.querySelector('main').append(p);
    }""")
    assert {"image-alt", "color-contrast"} <= {v["id"] for v in axe_violations(page)}
