"""The header search: one GET form, one query, results grouped by kind with a link straight to each item."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for

from planner.domain import access, search as search_domain
from planner.enums import N_
from planner.web.database import get_session

bp = Blueprint("search", __name__)

MAX_QUERY = 200
HEADINGS = {
    "plan": N_("Plans"),
    "activity": N_("Activities"),
    "audience": N_("Audiences"),
    "message": N_("Core messages"),
    "partner": N_("Partners"),
    "channel": N_("Channels"),
}
# kind -> (the entity kind in the edit URL, the plan tab that lists it, for people who may only read)
ROW_PAGES = {
    "audience": ("audiences", "plans.audiences"),
    "message": ("messages", "plans.messages"),
    "partner": ("partners", "plans.partners"),
    "channel": ("channels", "plans.channels"),
}


def link_to(hit: search_domain.Hit) -> str:
    """Where a result leads: the item's form for people who may change the plan, else the page that shows it."""
    if hit.kind == "plan":
        return url_for("plans.overview", slug=hit.plan_slug)
    if hit.kind == "activity":
        return url_for("entities.activity_by_uuid", slug=hit.plan_slug, activity_uuid=str(hit.entity_uuid))
    kind, tab = ROW_PAGES[hit.kind]
    if access.can_edit_plans_of(g.user, hit.plan_owner_id):
        return url_for("entities.edit", slug=hit.plan_slug, kind=kind, row_id=hit.entity_id)
    return url_for(tab, slug=hit.plan_slug)


@bp.get("/search")
def results():
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    groups = search_domain.search(get_session(), g.user, query) if query else []
    return render_template("search/results.html", query=query, groups=groups, headings=HEADINGS, link_to=link_to,
                           searched=bool(search_domain.query_words(query)))
