"""Helpers for tests that submit forms the way a browser does (with the CSRF token)."""

from __future__ import annotations

import re
from html import unescape

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'<input type="hidden" name="version" value="([^"]*)"')


def _form_page(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return page.get_data(as_text=True)


def csrf_token(client, url: str) -> str:
    match = CSRF.search(_form_page(client, url))
    assert match, "form has no CSRF token"
    return match.group(1)


def submit(client, url: str, data: dict, follow: bool = False, page: str | None = None):
    """GET the form at `url` (or at `page`, for POST-only actions) and POST `data` with its hidden fields, as a
    browser does: the CSRF token and, on an edit form, the row version it shows."""
    html = _form_page(client, page or url)
    match = CSRF.search(html)
    assert match, "form has no CSRF token"
    version = VERSION.search(html)
    hidden = {"csrf_token": match.group(1), **({"version": version.group(1)} if version else {})}
    return client.post(url, data={**hidden, **data}, follow_redirects=follow)


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded."""
    return text_of_html(response.get_data(as_text=True))


def text_of_html(html: str) -> str:
    """The visible text of an HTML page, whitespace folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def demo_theme_week(session):
    """The Week tegen Kindermishandeling moment of the municipal demo plan (its dates follow the day of the run)."""
    from planner.domain.demo import MUNICIPAL_SLUG
    from planner.domain.plans import get_plan

    plan = get_plan(session, MUNICIPAL_SLUG)
    return next(m for m in plan.moments if m.observance_key == "week-tegen-kindermishandeling")


def short_date(day) -> str:
    """A date as the Dutch pages show it in lists ('di 15 dec 2026')."""
    from babel.dates import format_date

    return format_date(day, "EEE d MMM y", locale="nl")


def long_date(day) -> str:
    """A date as the Dutch pages and documents write it out ('dinsdag 15 december 2026')."""
    from babel.dates import format_date

    return format_date(day, "EEEE d MMMM y", locale="nl")


def child_env(**settings) -> dict:
    """The environment for a planner process started by a test: the test's settings and the test's clock."""
    import os
    from pathlib import Path

    from planner import clock

    hook = str(Path(__file__).resolve().parent / "clock_hook")
    path = os.pathsep.join(p for p in (hook, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PLANNER_TEST_NOW": clock.now().isoformat(), **settings}


def calendar_pages(client, plan, view: str = "agenda") -> list[str]:
    """The HTML of every page of the agenda or timeline of `plan`, from its first month on, following the
    "Later" links as a person would."""
    from html import unescape as html_unescape

    url = f"/plans/{plan.slug}/calendar?view={view}&month={plan.starts_on:%Y-%m}"
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.get_data(as_text=True)
        pages.append(html)
        later = re.search(r'<a href="([^"]+)">Later →', html)
        url = html_unescape(later.group(1)) if later else None
        assert len(pages) < 100, "the pages never end"
    return pages


def count_rows(session, model, *where) -> int:
    """How many rows of `model` match `where`, as the database has them now."""
    import sqlalchemy as sa

    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def calendar_bytes(name: str, items: list, description: str = "") -> bytes:
    """A calendar of `items` written event by event, as a feed build writes it (planner.domain.feed_builds): the
    serializer under test, next to icalendar's `serialize(build_calendar(...))`."""
    from planner.exporters.ical import _in_order, assemble, event_bytes

    items = _in_order(items)
    return assemble(name, description, any(i.start_time is not None for i in items), [event_bytes(i) for i in items])


def feed_items(session, plan, scope, today, base_url: str) -> list:
    """Every item of a plan's feed within its window, all loaded at once: the reference the feed builds (which
    load only what changed, see planner.domain.feed_builds) are compared with."""
    from planner.domain import feeds

    context = feeds.FeedContext.of(plan, scope, today, base_url)
    activities = feeds.feed_activities(session, plan)
    return [item for a in activities for item in feeds.activity_items(a, context)] + feeds.other_items(session, context)
