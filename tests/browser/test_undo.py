"""Changing many activities at once and taking it back, and the trash, in a real browser."""

from __future__ import annotations

import time
import urllib.request

import icalendar
import sqlalchemy as sa
from playwright.sync_api import expect

from planner.domain import feeds
from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.workdays import add_working_days
from planner.enums import ActivityStatus, FeedScope
from planner.models import Activity
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.conftest import ADMIN_EMAIL

BASE = f"/plans/{MUNICIPAL_SLUG}"


def _dates(session, ids):
    session.expire_all()
    return {i: (session.get(Activity, i).starts_on, session.get(Activity, i).ends_on) for i in ids}


def test_five_activities_move_two_working_days_and_undo_puts_them_back(demo_admin, page):
    session = demo_admin
    plan = get_plan(session, MUNICIPAL_SLUG)
    chosen = sorted((a for a in plan.activities if a.status == ActivityStatus.PLANNED and not a.anchor_moment
                     and not a.recurrence), key=lambda a: (a.starts_on, a.id))[:5]
    assert len(chosen) == 5
    ids = [a.id for a in chosen]
    before = _dates(session, ids)
    log_in(page, ADMIN_EMAIL)
    page.goto(f"{BASE}/calendar?from={chosen[0].starts_on.isoformat()}")
    for activity in chosen:
        page.locator(f"input.bulk-choice[value^='{activity.id}:']").first.check()
    details = page.locator("#bulk-activities details")
    assert details.get_attribute("open") is not None  # ticking a row opens the bar
    assert page.locator("#bulk-activities .bulk-count").inner_text() == "5 gekozen"
    assert axe_violations(page) == []
    screenshot(page, "bulk-bar")
    page.get_by_label("Verschuiven met").fill("2")
    page.get_by_label("Eenheid").select_option("working_days")
    with page.expect_navigation():
        page.get_by_role("button", name="Verschuiven", exact=True).click()
    notice = page.locator(".notice").first
    assert notice.inner_text().startswith("5 activiteiten 2 werkdagen verschoven.")
    moved = _dates(session, ids)
    for i in ids:
        assert moved[i][0] == add_working_days(before[i][0], 2)
    assert axe_violations(page) == []

    with page.expect_navigation():
        notice.get_by_role("button", name="Ongedaan maken").click()
    expect(page.get_by_text("Ongedaan gemaakt: 5 activiteiten 2 werkdagen verschoven.")).to_be_visible()
    assert _dates(session, ids) == before

    # the history shows the move and its undo as two actions, each with its rows folded away
    page.goto(f"{BASE}/history")
    expect(page.get_by_role("cell", name="Meerdere tegelijk gewijzigd: 5 activiteiten 2 werkdagen verschoven")).to_be_visible()
    page.locator("table details").first.locator("summary").click()
    assert axe_violations(page) == []
    # the checklist's bar, opened, by keyboard
    page.goto(f"{BASE}/checklist")
    page.locator("#bulk-items summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("#bulk-items details").get_attribute("open") is not None
    assert axe_violations(page) == []


def test_a_deleted_activity_is_restored_from_the_trash_and_back_in_its_feed(demo_admin, page, live_server):
    session = demo_admin
    plan = get_plan(session, MUNICIPAL_SLUG)
    _, token = feeds.create_subscription(session, plan, "Iedereen", FeedScope.PLAN)
    session.commit()
    activity = next(a for a in plan.activities if a.status == ActivityStatus.PLANNED and not a.recurrence)
    title, uid = activity.title, f"{activity.uuid}@planner"

    def event(changed_from=None):
        """The activity's event; after a change, the first one that differs from `changed_from` (the feed may
        serve its previous version for up to FeedCache.recheck_seconds)."""
        deadline = time.monotonic() + 10
        while True:
            with urllib.request.urlopen(f"{live_server}/feeds/{token}.ics", timeout=10) as response:
                found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.read()).walk("VEVENT")}
            current = found.get(uid)
            if changed_from is None or current.to_ical() != changed_from.to_ical() or time.monotonic() > deadline:
                return current
            time.sleep(0.2)

    first = event()
    assert title in str(first["SUMMARY"])
    log_in(page, ADMIN_EMAIL)
    page.goto(f"{BASE}/activities/{activity.id}/edit")
    page.goto(f"{BASE}/activities/{activity.id}/delete")
    with page.expect_navigation():
        page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_text(f"Verwijderd: activiteit “{title}”.")).to_be_visible()
    gone = event(changed_from=first)
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) > int(first["SEQUENCE"])

    page.goto(f"{BASE}/trash")
    assert axe_violations(page) == []
    row = page.get_by_role("row").filter(has_text=f"activiteit “{title}”")
    with page.expect_navigation():
        row.get_by_role("button", name="Terugzetten").click()
    expect(page.get_by_text(f"Teruggezet: activiteit “{title}”.")).to_be_visible()
    expect(page.get_by_text("De prullenbak is leeg.")).to_be_visible()
    back = event(changed_from=gone)
    assert (str(back["SUMMARY"]), back.get("STATUS")) == (str(first["SUMMARY"]), first.get("STATUS"))
    assert int(back["SEQUENCE"]) > int(gone["SEQUENCE"])
    assert session.scalar(sa.select(sa.func.count()).select_from(Activity).where(Activity.title == title)) == 1


def test_a_deleted_plan_comes_back_from_deleted_plans(demo_admin, page):
    session = demo_admin
    title = get_plan(session, MUNICIPAL_SLUG).title
    log_in(page, ADMIN_EMAIL)
    page.goto(f"{BASE}/delete")
    with page.expect_navigation():
        page.get_by_role("button", name="Plan verwijderen").click()
    expect(page.get_by_text(f"Plan “{title}” is verwijderd.")).to_be_visible()
    page.get_by_role("link", name="Verwijderde plannen").click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("row").filter(has_text=title).get_by_role("button", name="Terugzetten").click()
    expect(page.get_by_text(f"Plan “{title}” is hersteld.")).to_be_visible()
    assert page.url.endswith(BASE)
    session.expire_all()
    assert get_plan(session, MUNICIPAL_SLUG).title == title
