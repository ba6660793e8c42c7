"""Quick add and the one-button status by keyboard only, in a real browser."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import ActivityStatus
from planner.models import Activity
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import ADMIN_EMAIL


def test_quick_add_and_mark_done_by_keyboard(demo_admin, page):
    session = demo_admin
    plan = get_plan(session, MUNICIPAL_SLUG)
    day = plan.starts_on
    log_in(page, ADMIN_EMAIL)
    page.goto(f"/plans/{MUNICIPAL_SLUG}/calendar?from={day.isoformat()}")
    assert axe_violations(page) == []

    page.focus("#title")
    page.keyboard.type("Sneltoets-activiteit")
    page.keyboard.press("Tab")  # to the date, prefilled with the first day of the page
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("“Sneltoets-activiteit” toegevoegd op")).to_be_visible()
    session.expire_all()
    added = session.scalar(sa.select(Activity).where(Activity.title == "Sneltoets-activiteit"))
    assert added is not None and added.status == ActivityStatus.PLANNED

    button = page.locator(f"form[action$='/activities/{added.id}/status'] button[value='done']")
    button.focus()
    assert page.evaluate("document.activeElement.textContent").startswith("Afvinken")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("“Sneltoets-activiteit”: Uitgevoerd.")).to_be_visible()
    session.expire_all()
    assert session.get(Activity, added.id).status == ActivityStatus.DONE
