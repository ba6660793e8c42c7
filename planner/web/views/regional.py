"""The calendar of a region: every plan of the region merged into one agenda, with feed links of its own."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner import clock
from planner.domain import region_feeds, regional_calendar
from planner.domain.calendar import agenda_page, date_range
from planner.domain.regional_calendar import RegionFilters
from planner.enums import OrganisationKind, Role
from planner.models import Organisation
from planner.web.database import get_session
from planner.web.dates import date_arg, month_arg
from planner.web.forms.feeds import RegionFeedForm
from planner.web.views.feeds import chosen_subscription, feed_links, revoked_redirect, rotated_page

bp = Blueprint("regional", __name__, url_prefix="/regions")


@bp.app_template_global()
def may_see_region_calendar() -> bool:
    """Whether the main navigation offers the regional calendar (without a query: it is on every page)."""
    user = g.user
    return user is not None and (user.role == Role.ADMINISTRATOR or user.organisation.kind == OrganisationKind.REGION
                                 or user.organisation.region_id is not None)


def load_region(region_id: uuid_module.UUID) -> Organisation:
    """The region for the current user: 404 when it is not one whose calendar they may open, 403 on a change
    they may not make (a feed link: the region's coordinators and administrators)."""
    session = get_session()
    region = session.scalar(sa.select(Organisation).where(Organisation.uuid == region_id,
                                                          Organisation.kind == OrganisationKind.REGION))
    if region is None or all(r.id != region.id for r in regional_calendar.regions_for(session, g.user)):
        abort(404)
    if request.method == "POST" and not regional_calendar.reads_whole_region(g.user, region):
        abort(403)
    return region


@bp.get("/calendar")
def home():
    """The user's own region (an administrator's first one)."""
    regions = regional_calendar.regions_for(get_session(), g.user)
    if not regions:
        abort(404)
    return redirect(url_for("regional.calendar", region_id=regions[0].uuid))


def _filters(region_members: list[Organisation]) -> RegionFilters:
    municipality = request.args.get("municipality", "")
    chosen = next((m.id for m in region_members if str(m.uuid) == municipality), None)
    return RegionFilters.of({"municipality_id": chosen, "audience": request.args.get("audience"),
                             "channel": request.args.get("channel")})


@bp.get("/<uuid:region_id>/calendar")
def calendar(region_id: uuid_module.UUID, form: RegionFeedForm | None = None):
    """The region's calendar a page at a time, as a plan's agenda (a few months, or fewer days when too many
    entries would begin in them): the plans the user may read, merged and filtered."""
    region = load_region(region_id)
    session = get_session()
    chosen, start, end = month_arg("month"), date_arg("from"), date_arg("to")
    today = clock.today()
    region_members = regional_calendar.members(session, region)
    filters = _filters(region_members)
    all_plans = regional_calendar.region_plans(session, region, user=g.user)
    plans = [p for p in all_plans if filters.municipality_id in (None, p.owner_id)]
    audiences, channels = regional_calendar.names(session, all_plans)
    first = None if end else start or (dt.date(*chosen, 1) if chosen else today.replace(day=1))
    def entries_between(since: dt.date, until: dt.date) -> list[regional_calendar.RegionEntry]:
        return regional_calendar.entries(session, plans, filters, since, until)

    page = agenda_page(session, plans, entries_between, date_range(session, plans), first, end, filters.condition())
    subscribe = regional_calendar.reads_whole_region(g.user, region)
    args = {k: v for k, v in request.args.items() if k in ("municipality", "audience", "channel") and v}
    if form is None and subscribe:
        chosen_member = next((str(m.uuid) for m in region_members if m.id == filters.municipality_id), "")
        form = RegionFeedForm(formdata=None, municipality=chosen_member,
                              audience=filters.audience, channel=filters.channel)
    return render_template(
        "regions/calendar.html", region=region, regions=regional_calendar.regions_for(session, g.user),
        members=[m for m in region_members if any(p.owner_id == m.id for p in all_plans)],
        members_by_id={m.id: m.name for m in region_members},
        audiences=audiences, channels=channels, filters=filters, args=args, plans=plans, today=today,
        entries=page.entries, first=page.first, last=page.last, month=f"{page.first:%Y-%m}",
        previous=page.previous_end, following=page.following_start,
        form=form, action_form=FlaskForm(),
        subscriptions=region_feeds.subscriptions_of(session, region) if subscribe else [])


@bp.post("/<uuid:region_id>/feeds")
def create_feed(region_id: uuid_module.UUID):
    region = load_region(region_id)
    session = get_session()
    form = RegionFeedForm()
    valid = form.validate_on_submit()
    municipality = None
    if valid and form.municipality.data:
        municipality = next((m for m in regional_calendar.members(session, region)
                             if str(m.uuid) == form.municipality.data), None)
        if municipality is None:
            form.municipality.errors = [_("Choose a municipality of this region.")]
            valid = False
    if not valid:
        return calendar(region_id, form)
    filters = RegionFilters.of({"municipality_id": municipality.id if municipality else None,
                                "audience": form.audience.data, "channel": form.channel.data})
    subscription, token = region_feeds.create_subscription(session, region, form.label.data, filters, g.user)
    session.commit()
    return render_template("feeds/subscribe.html", subscription=subscription, links=feed_links(token),
                           back=url_for("regional.calendar", region_id=region.uuid))


@bp.post("/<uuid:region_id>/feeds/<public_id>/rotate")
def rotate_feed(region_id: uuid_module.UUID, public_id: str):
    region = load_region(region_id)  # CSRFProtect has already checked the token of every POST
    subscription = chosen_subscription(region_feeds.subscriptions_of(get_session(), region), public_id)
    return rotated_page(subscription, url_for("regional.calendar", region_id=region.uuid))


@bp.post("/<uuid:region_id>/feeds/<public_id>/revoke")
def revoke_feed(region_id: uuid_module.UUID, public_id: str):
    region = load_region(region_id)
    subscription = chosen_subscription(region_feeds.subscriptions_of(get_session(), region), public_id)
    return revoked_redirect(subscription, url_for("regional.calendar", region_id=region.uuid))
