"""axe-core finds no WCAG 2.1 A or AA violation on any page of the app, demo data loaded."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest

from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, load_demo
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import demo_theme_week

SKIP = (".docx", ".odt", ".pdf", ".ics", ".csv", ".json", "/logout", "/feeds/", "/delete", "/erase", "/afmelden/",
        # Swagger UI's own page for developers: axe finds its contrast, nested controls and an unnamed select
        # (listed in the README); the OpenAPI document is the reference
        "/api/v1/docs")
MAX_PAGES = 200
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


def links_on(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")


def test_no_page_has_a_wcag_violation(demo_world, page, live_server):
    log_in(page, "beheer@test.example")
    week = demo_world
    month = f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={week:%Y-%m}"
    shots = {**SHOTS, month: "month"}
    start = ["/", month, f"/plans/{MUNICIPAL_SLUG}/calendar?view=week&week={week.isoformat()}",
             f"/plans/{MUNICIPAL_SLUG}/calendar?view=timeline", "/toegankelijkheid", "/account", "/regions/calendar"]
    queue, seen, failures, shapes = deque(start), set(start), {}, Counter()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        visited += 1
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
        if path in shots:
            screenshot(page, shots[path])
        for href in links_on(page):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != urlsplit(live_server).netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not local.startswith("/") or any(s in local for s in SKIP) or local in seen:
                continue
            # one month, week and filter combination per view is enough
            if "/calendar?" in local and ("month=" in local or "week=" in local or "audience=" in local):
                continue
            # every kind of page, not every row: at most two pages of the same shape (ids replaced)
            shape = re.sub(r"\d+", "N", local)
            if shapes[shape] >= 2:
                continue
            shapes[shape] += 1
            seen.add(local)
            queue.append(local)
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
