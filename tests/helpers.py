"""Helpers for tests that submit forms the way a browser does (with the CSRF token)."""

from __future__ import annotations

import re
from html import unescape

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    match = CSRF.search(page.get_data(as_text=True))
    assert match, "form has no CSRF token"
    return match.group(1)


def submit(client, url: str, data: dict, follow: bool = False, page: str | None = None):
    """GET the form at `url` (or at `page`, for POST-only actions) for its CSRF token, then POST `data`."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page or url)}, follow_redirects=follow)


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
