"""The header search in a real browser: the demo advisor finds "school" and opens a result, axe finds nothing."""

from __future__ import annotations

import re

from planner.domain.demo import DEMO_PASSWORD, demo_users, load_demo, load_demo_users
from planner.enums import Role
from tests.browser.conftest import axe_violations, log_in


def test_find_school_from_the_header_search(session, page):
    load_demo(session)
    load_demo_users(session)
    session.commit()
    advisor = next(email for email, role, _, _ in demo_users() if role == Role.ADVISOR.value)
    log_in(page, advisor, DEMO_PASSWORD)

    box = page.get_by_role("searchbox", name="Zoeken in uw plannen")
    box.fill("school")
    box.press("Enter")  # a plain GET form: no script needed
    page.wait_for_url(re.compile(r"/search\?q=school$"))

    assert page.get_by_role("heading", level=1).inner_text() == "Zoekresultaten voor “school”"
    assert page.get_by_role("searchbox", name="Zoeken in uw plannen").input_value() == "school"
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert any(h.startswith("Activiteiten") for h in headings) and any(h.startswith("Doelgroepen") for h in headings)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Startoverleg met scholen, GGD en Veilig Thuis").click()
    page.wait_for_url(re.compile(r"/activities/\d+/edit$"))
    assert page.get_by_label("Titel").first.input_value() == "Startoverleg met scholen, GGD en Veilig Thuis"

    page.get_by_role("searchbox", name="Zoeken in uw plannen").fill("zebrapad")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_text("Niets gevonden voor “zebrapad”.").wait_for()
    assert axe_violations(page) == []
