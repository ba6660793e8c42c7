"""The advisor's daily work of issue 15 in a real browser: quick add from a month cell, three activities done from
the agenda without a form, My week as the demo advisor, and the checklist's status by keyboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from planner import clock
from planner.domain.demo import (
    DEMO_PASSWORD, MUNICIPAL_SLUG, demo_users, load_demo, load_demo_users, reminder_example_day,
)
from planner.domain.plans import get_plan
from planner.domain.reminders import compose_digest
from planner.enums import ActivityStatus, ChecklistStatus, Role
from planner.models import Activity, ChecklistItem, User
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import travel_to
from tests.helpers import demo_theme_week, long_date

ADVISOR_EMAIL, _ROLE, _ORGANISATION, ADVISOR_NAME = next(u for u in demo_users() if u[1] == Role.ADVISOR.value)


def labelled(action: str, title: str) -> re.Pattern:
    """The accessible name of a row's status button: the action, then the row's title (visually hidden)."""
    return re.compile(rf"^{re.escape(action)}\s*: {re.escape(title)}$")


@pytest.fixture
def demo(session):
    """The demo plans and the demo users (one per role)."""
    load_demo(session)
    load_demo_users(session)
    session.commit()
    return session


def test_quick_add_from_a_month_cell_takes_that_day(demo, page):
    session = demo
    plan = get_plan(session, MUNICIPAL_SLUG)
    day = demo_theme_week(session).starts_on + dt.timedelta(days=2)  # the Wednesday of the theme week
    channel, audience = (plan.channels[0].id, plan.channels[0].name), (plan.audiences[0].id, plan.audiences[0].name)
    log_in(page, ADVISOR_EMAIL, DEMO_PASSWORD)
    page.goto(f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={day:%Y-%m}")
    page.get_by_role("link", name=f"+ Activiteit toevoegen op {long_date(day)}", exact=True).click()
    page.wait_for_url("**/activities/quick?**")
    assert page.locator("#starts_on").input_value() == day.isoformat()
    assert axe_violations(page) == []

    page.fill("#title", "Stand op de markt")
    page.select_option("#channel_id", label=channel[1])
    page.select_option("#audience_id", label=audience[1])
    with page.expect_navigation():
        page.get_by_role("button", name="Toevoegen", exact=True).click()
    assert f"view=month&month={day:%Y-%m}" in page.url  # back on the same month
    assert page.locator(".notice").first.inner_text().startswith(
        f"“Stand op de markt” toegevoegd op {long_date(day)}.")
    cell = page.locator(f"a.quick-link[href*='date={day.isoformat()}']").locator("xpath=ancestor::*[self::td or "
                                                                                  "self::li][1]")
    assert "Stand op de markt" in cell.inner_text()
    assert axe_violations(page) == []
    session.expire_all()
    added = session.scalar(sa.select(Activity).where(Activity.title == "Stand op de markt"))
    assert (added.starts_on, added.channel_id, [a.id for a in added.audiences], added.status) == (
        day, channel[0], [audience[0]], ActivityStatus.PLANNED)


def test_three_activities_are_marked_done_from_the_agenda_without_a_form(demo, page):
    session = demo
    plan = get_plan(session, MUNICIPAL_SLUG)
    first_day = plan.starts_on
    shown = sorted((a for a in plan.activities if a.status == ActivityStatus.PLANNED and not a.recurrence
                    and a.starts_on >= first_day), key=lambda a: (a.starts_on, a.title))
    chosen = shown[:3]
    assert len(chosen) == 3
    log_in(page, ADVISOR_EMAIL, DEMO_PASSWORD)
    page.goto(f"/plans/{MUNICIPAL_SLUG}/calendar?from={first_day.isoformat()}")
    assert axe_violations(page) == []
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    for activity in chosen:
        with page.expect_navigation():
            page.get_by_role("button", name=labelled("Afvinken", activity.title)).first.click()
        assert page.locator(".notice").first.inner_text().strip() == f"“{activity.title}”: Uitgevoerd."
    assert not [url for url in visited if "/edit" in url or "/activities/new" in url]  # no form was opened
    assert axe_violations(page) == []
    session.expire_all()
    assert [session.get(Activity, a.id).status for a in chosen] == [ActivityStatus.DONE] * 3
    others = [a for a in plan.activities if a not in chosen and a.status == ActivityStatus.PLANNED]
    assert all(session.get(Activity, a.id).status == ActivityStatus.PLANNED for a in others)


def test_my_week_as_the_demo_advisor(demo, page):
    session = demo
    plan = get_plan(session, MUNICIPAL_SLUG)
    day = reminder_example_day(plan, clock.today())  # a working day on which the advisor owns something
    with travel_to(day):
        advisor = session.scalar(sa.select(User).where(User.email == ADVISOR_EMAIL))
        digest = compose_digest(session, advisor, day)
        expected = sorted(digest.publications + digest.productions + digest.checklist,
                          key=lambda line: (not line.late, line.day, line.title.lower()))
        assert expected, "the demo advisor owns something that week"
        log_in(page, ADVISOR_EMAIL, DEMO_PASSWORD)
        assert page.url.endswith("/")
        week = page.get_by_role("region", name="Mijn week")
        assert week.get_by_role("heading", level=2).inner_text() == "Mijn week"
        titles = week.locator("li.week-line > a").all_inner_texts()
        assert titles == [line.title for line in expected]
        assert week.locator("li.week-line form.status-form").count() == len(expected)
        headings = week.get_by_role("heading", level=3).all_inner_texts()
        assert headings == (["Te laat"] if expected[0].late else []) + (
            ["Vandaag en de komende zeven dagen"] if not expected[-1].late else [])
        assert axe_violations(page) == []

        first = expected[0]
        with page.expect_navigation():
            week.get_by_role("button", name=labelled("Afvinken", first.title)).first.click()
        assert page.locator(".notice").first.inner_text().strip() == f"“{first.title}”: Uitgevoerd."
        row = (first.activity_id, first.checklist_item_id)
        remaining = page.get_by_role("region", name="Mijn week").locator("li.week-line > a").all_inner_texts()
        assert remaining == [line.title for line in expected if (line.activity_id, line.checklist_item_id) != row]


def test_a_checklist_item_is_marked_done_by_keyboard_alone(demo, page):
    session = demo
    plan = get_plan(session, MUNICIPAL_SLUG)
    item = next(i for phase in plan.phases for i in phase.items if i.status == ChecklistStatus.OPEN)
    log_in(page, ADVISOR_EMAIL, DEMO_PASSWORD)
    page.goto(f"/plans/{MUNICIPAL_SLUG}/checklist")
    assert axe_violations(page) == []
    target = f"Afvinken: {item.title}"
    for _ in range(400):  # walk through the page by Tab until the item's button has the focus
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.tagName === 'BUTTON' ? "
                             "document.activeElement.textContent.replace(/\\s+/g, ' ').trim() : ''")
        if name == target:
            break
    else:
        pytest.fail(f"the button “{target}” cannot be reached by keyboard")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows no focus indicator"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/checklist#item-{item.id}")  # back at the same row
    assert page.locator(".notice").first.inner_text().strip() == f"“{item.title}”: Uitgevoerd."
    row = page.locator(f"#item-{item.id}")
    assert row.locator(".tag").inner_text() == "Uitgevoerd"
    expect(row.get_by_role("button", name=labelled("Weer openen", item.title))).to_be_visible()
    assert axe_violations(page) == []
    session.expire_all()
    assert session.get(ChecklistItem, item.id).status == ChecklistStatus.DONE


def test_several_rows_with_a_mistake_come_back_marked_and_accessible(demo, page):
    session = demo
    plan = get_plan(session, MUNICIPAL_SLUG)
    before = len(plan.channels)
    log_in(page, ADVISOR_EMAIL, DEMO_PASSWORD)
    page.goto(f"/plans/{MUNICIPAL_SLUG}/channels")
    rows = page.locator("details.several-rows")
    assert rows.get_attribute("open") is None  # the plan has channels: the rows stay folded
    rows.locator("summary").click()
    assert axe_violations(page) == []
    page.fill("#row0-name", "Wijkkrant")
    page.fill("#row1-name", plan.channels[0].name)
    with page.expect_navigation():
        rows.get_by_role("button", name="Toevoegen", exact=True).click()
    summary = page.locator(":focus")  # the error summary, first in main
    assert summary.get_by_role("heading").inner_text() == "Er is een probleem"
    assert summary.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))") == ["#row1-name"]
    assert page.locator("#row1-name").get_attribute("aria-invalid") == "true"
    assert page.locator("#row1-name-error").inner_text() == "Dit plan heeft al een middel met deze naam."
    assert page.locator("#row0-name").input_value() == "Wijkkrant"
    assert axe_violations(page) == []
    session.expire_all()
    assert len(get_plan(session, MUNICIPAL_SLUG).channels) == before
