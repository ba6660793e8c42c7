"""Every kind of page of the app, reached by following links from a few start pages (axe and reflow checks)."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

from planner.domain.demo import MUNICIPAL_SLUG

# where the crawl starts ({month} and {week}: the demo's theme week); add a page here that no link reaches
START_PAGES = ("/", f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={{month}}",
               f"/plans/{MUNICIPAL_SLUG}/calendar?view=week&week={{week}}",
               f"/plans/{MUNICIPAL_SLUG}/calendar?view=timeline", "/toegankelijkheid", "/account", "/regions/calendar")
SKIP = (".docx", ".odt", ".pdf", ".ics", ".csv", ".json", "/logout", "/feeds/", "/delete", "/erase", "/afmelden/",
        # Swagger UI's own page for developers: axe finds its contrast, nested controls and an unnamed select
        # (listed in the README); the OpenAPI document is the reference
        "/api/v1/docs")
MAX_PAGES = 200


def start_pages(week) -> list[str]:
    """START_PAGES for the week that starts on `week` (a date)."""
    return [path.format(month=f"{week:%Y-%m}", week=week.isoformat()) for path in START_PAGES]


def links_on(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")


def crawl(page, live_server: str, start: list[str], max_pages: int = MAX_PAGES) -> Iterator[str]:
    """Open each page in turn and yield its path while it is shown; two pages of a shape at most."""
    queue, seen, shapes = deque(start), set(start), Counter()
    visited = 0
    while queue and visited < max_pages:
        path = queue.popleft()
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        visited += 1
        yield path
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
