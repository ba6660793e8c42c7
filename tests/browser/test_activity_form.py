"""The shorter activity form in a real browser: sections, and core messages narrowed to the chosen audiences."""

from __future__ import annotations

from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import ADMIN_EMAIL


def test_the_message_list_follows_the_chosen_audiences(demo_admin, page):
    session = demo_admin
    plan = get_plan(session, REGIONAL_SLUG)
    message = plan.messages[0]
    others = [m for m in plan.messages if m.audience_id != message.audience_id]
    log_in(page, ADMIN_EMAIL)
    page.goto(f"/plans/{REGIONAL_SLUG}/activities/new")
    assert page.evaluate("document.activeElement.id") == "title"
    assert page.eval_on_selector_all("details.form-section", "ds => ds.map(d => d.open)") == [False] * 4
    assert axe_violations(page) == []

    page.check(f"input[name='audience_ids'][value='{message.audience_id}']")
    enabled = page.eval_on_selector_all("#message_id option:not([disabled])", "os => os.map(o => o.value)")
    assert str(message.id) in enabled and all(str(m.id) not in enabled for m in others)
    page.uncheck(f"input[name='audience_ids'][value='{message.audience_id}']")
    enabled = page.eval_on_selector_all("#message_id option:not([disabled])", "os => os.map(o => o.value)")
    assert all(str(m.id) in enabled for m in plan.messages)  # nothing chosen: every message
