"""Pages of a collection with HAL links (self, first, prev, next, last) and, the same, a Link header."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import request, url_for
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def count(session: Session, query) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))


def _link(number: int, size: int) -> dict:
    args = {**request.view_args, **{k: v for k, v in request.args.items() if k not in ("page", "pageSize")}}
    return {"href": url_for(request.endpoint, **args, page=number, pageSize=size, _external=True)}


def page_body(key: str, items: list, page: Page) -> dict:
    links = {"self": _link(page.number, page.size), "first": _link(1, page.size),
             "last": _link(page.pages, page.size)}
    if page.number > 1:
        links["prev"] = _link(min(page.number - 1, page.pages), page.size)
    if page.number < page.pages:
        links["next"] = _link(page.number + 1, page.size)
    return {"links": links, "embedded": {key: items},
            "page": {"number": page.number, "size": page.size, "total_elements": page.total,
                     "total_pages": page.pages}}


def link_header(body: dict) -> dict:
    return {"Link": ", ".join(f'<{link["href"]}>; rel="{rel}"' for rel, link in body["links"].items())}


def paged(key: str, items: list, number: int, size: int) -> tuple[dict, dict]:
    """A page of an in-memory list (a plan's small collections): the body and its Link header."""
    page = Page(number, size, len(items))
    body = page_body(key, items[page.offset:page.offset + size], page)
    return body, link_header(body)
