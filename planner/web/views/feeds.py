"""Calendar feeds: the public .ics endpoint, subscription management and .ics import."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import quote

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner import clock
from planner.domain import feeds
from planner.domain.calendar import Filters
from planner.domain.codecs import DateOutOfRange, DocumentError
from planner.domain.ics_import import MAX_BYTES, import_moments
from planner.domain.security_log import record
from planner.enums import N_, SecurityEventKind
from planner.models import Subscription
from planner.feed_store import feed_version, prepared_feed
from planner.web.database import get_session
from planner.web.dates import refused_upload
from planner.web.feed_cache import CachedFeed, respond
from planner.web.forms.feeds import IcsImportForm, SubscriptionForm
from planner.web.views.plans import load_plan

bp = Blueprint("feeds", __name__)
FEED_HEADERS = {
    "Cache-Control": "private",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept-Encoding",
    "Content-Disposition": 'inline; filename="kalender.ics"',
}


def _not_found() -> Response:
    return Response("Not Found\n", status=404, mimetype="text/plain", headers={"X-Robots-Tag": "noindex",
                                                                             "Referrer-Policy": "no-referrer"})


PREVIOUS = "previous"  # the version of an entry that holds the previous file while another worker builds


def _version_time(version: tuple) -> float:
    stamps = [v for v in version if isinstance(v, dt.datetime)]
    newest = max(stamps) if stamps else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    if newest.tzinfo is None:
        newest = newest.replace(tzinfo=dt.timezone.utc)
    return float(int(newest.timestamp()))


def _load(token: str) -> CachedFeed | None:
    """The feed for `token`: from the cache while fresh, rebuilt only when its content changed.

    Revocation is checked before anything is served or built. While another worker builds a new version,
    this one serves the previous version rather than building it too."""
    cache = current_app.extensions["planner.feed_cache"]
    key = feeds.hash_token(token)
    entry = cache.get(key)
    day = clock.today()
    if entry is not None and cache.fresh(entry) and entry.version[-1] == day:
        return entry
    read_at = cache.timer()
    session = get_session()
    subscription = feeds.find_active(session, token)
    if subscription is None:
        cache.forget(key)
        return None
    version = feed_version(session, subscription, day)
    if entry is not None and entry.version == version:
        entry = replace(entry, checked_at=read_at)
    else:
        built, body = prepared_feed(session, subscription, day, current_app.config["BASE_URL"],
                                    current_app.extensions["planner.feed_store"], version,
                                    previous_while_building=True)
        if built is None:  # the previous version, while another worker builds this one: ask again soon
            # Never a Last-Modified later than the new version's, or If-Modified-Since clients would miss it.
            stamp = entry.last_modified if entry is not None else 0.0
            entry = CachedFeed.build((PREVIOUS, day), body, stamp, subscription.id, read_at)
        else:
            entry = CachedFeed.build(built, body, _version_time(built), subscription.id, read_at)
    cache.put(key, entry)
    return entry


def _record_fetch(subscription_id: int) -> None:
    """Count fetches (written at most every interval). Statistics are not content: `updated_at`, part of
    the feed's version, stays as it is, so a poll never makes any worker rebuild the feed."""
    counter = current_app.extensions["planner.fetch_counter"]
    counter.record(subscription_id, clock.now())
    if counter.due():
        session = get_session()
        for sid, (count, at) in counter.take().items():
            session.execute(sa.update(Subscription).where(Subscription.id == sid).values(
                fetch_count=Subscription.fetch_count + count,
                last_fetched_at=at,
                updated_at=Subscription.updated_at))
        session.commit()


@bp.get("/feeds/<token>.ics")
def serve(token: str):
    entry = _load(token)
    if entry is None:
        return _not_found()
    _record_fetch(entry.subscription_id)
    status, headers, body = respond(entry, request.headers.get("Accept-Encoding", ""),
                                    request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"))
    response = Response(body, status=int(status.split()[0]), headers=FEED_HEADERS)
    for name, value in headers:
        response.headers[name] = value
    return response


# Managing subscriptions (inside the planner)

def feed_links(token: str) -> dict[str, str]:
    https = f"{current_app.config['BASE_URL']}/feeds/{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")}


def _manage_page(plan, form=None, status=200):
    session = get_session()
    return render_template("plans/feeds.html", plan=plan, subscriptions=feeds.subscriptions_of(session, plan),
                           form=form or SubscriptionForm(plan), import_form=IcsImportForm(),
                           action_form=FlaskForm()), status


@bp.get("/plans/<slug>/feeds")
def manage(slug: str):
    return _manage_page(load_plan(slug))


@bp.post("/plans/<slug>/feeds")
def create(slug: str):
    plan = load_plan(slug)
    form = SubscriptionForm(plan)
    if not form.validate_on_submit():
        return _manage_page(plan, form, 200)
    session = get_session()
    by_id = {p.id: p for p in plan.partners}
    audiences = {a.id: a for a in plan.audiences}
    filters = Filters(form.only_audience_id.data, form.only_partner_id.data, form.only_channel_id.data,
                      form.only_status.data or None)
    subscription, token = feeds.create_subscription(
        session, plan, form.label.data, form.scope.data, partner=by_id.get(form.partner_id.data),
        audience=audiences.get(form.audience_id.data), person=form.person.data or "", filters=filters,
        created_by=g.user)
    session.commit()
    return render_template("feeds/subscribe.html", plan=plan, subscription=subscription, links=feed_links(token))


def chosen_subscription(subscriptions: list[Subscription], public_id: str) -> Subscription:
    """The link of `subscriptions` with this public id; 404 for any other."""
    for subscription in subscriptions:
        if str(subscription.uuid) == public_id:
            return subscription
    abort(404)


def rotated_page(subscription: Subscription, back: str, **context):
    """Give a live link a new token (the old one stops at once), log it, and show the new link once."""
    if subscription.revoked_at is not None:
        abort(404)
    current_app.extensions["planner.feed_cache"].forget(subscription.token_hash)
    token = feeds.rotate(subscription)
    record(get_session(), SecurityEventKind.FEED_ROTATED, **feeds.audit_detail(subscription))
    get_session().commit()
    return render_template("feeds/subscribe.html", subscription=subscription, links=feed_links(token), rotated=True,
                           back=back, **context)


def revoked_redirect(subscription: Subscription, back: str):
    """Revoke a link, log it, and go back to where links are listed."""
    current_app.extensions["planner.feed_cache"].forget(subscription.token_hash)
    feeds.revoke(subscription)
    record(get_session(), SecurityEventKind.FEED_REVOKED, **feeds.audit_detail(subscription))
    get_session().commit()
    flash(_("The link “%(label)s” no longer works.", label=subscription.label), "success")
    return redirect(back)


@bp.post("/plans/<slug>/feeds/<public_id>/rotate")
def rotate(slug: str, public_id: str):
    plan = load_plan(slug)  # CSRFProtect has already checked the token of every POST
    subscription = chosen_subscription(feeds.subscriptions_of(get_session(), plan), public_id)
    return rotated_page(subscription, url_for("feeds.manage", slug=plan.slug), plan=plan)


@bp.post("/plans/<slug>/feeds/<public_id>/revoke")
def revoke(slug: str, public_id: str):
    plan = load_plan(slug)  # CSRFProtect has already checked the token of every POST
    subscription = chosen_subscription(feeds.subscriptions_of(get_session(), plan), public_id)
    return revoked_redirect(subscription, url_for("feeds.manage", slug=plan.slug))


@bp.post("/plans/<slug>/feeds/revoke-all")
def revoke_all(slug: str):
    plan = load_plan(slug)
    session = get_session()
    for subscription in feeds.subscriptions_of(session, plan):
        current_app.extensions["planner.feed_cache"].forget(subscription.token_hash)
    count = feeds.revoke_all(session, plan)
    record(session, SecurityEventKind.FEED_REVOKED, detail=N_("plan %(plan)s: all %(count)d links"), plan=plan.slug,
           count=count)
    session.commit()
    flash(_("%(n)d links revoked.", n=count), "success")
    return redirect(url_for("feeds.manage", slug=plan.slug))


@bp.post("/plans/<slug>/moments/import")
def import_ics(slug: str):
    plan = load_plan(slug)
    form = IcsImportForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "error")
        return redirect(url_for("calendar.show", slug=plan.slug))
    upload = form.file.data
    raw = upload.read(MAX_BYTES + 1)
    session = get_session()
    try:
        moments = import_moments(plan, raw, upload.filename or "ics")
        session.flush()
    except DateOutOfRange as exc:
        session.rollback()
        flash(refused_upload(exc), "error")
    except DocumentError as exc:
        session.rollback()
        flash(_("The calendar file could not be read (%(reason)s). Nothing was imported.", reason=str(exc)), "error")
    else:
        session.commit()
        flash(_("%(n)d moments imported.", n=len(moments)), "success")
    return redirect(url_for("calendar.show", slug=plan.slug))
