"""Every state-changing route, posted by everyone who may not use it: refused, and the database unchanged.

Each request carries valid data (the form as an administrator sees it, one field changed, and the poster's own CSRF
token), so a refusal is the guard's doing and not a validation error: the advisor of the plan's own organisation
posts the same data and the database does change.
"""

import datetime as dt
import hashlib
import io
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from planner.db import Base
from planner.domain import feeds, observances, region_feeds, regional, trash
from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.observance_moments import dates_in_plan
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.domain.school_holidays import all_holidays
from planner.enums import FeedScope, OrganisationKind, Role
from planner.domain.regional_calendar import RegionFilters
from planner.models import ContactPerson, Subscription
from tests.conftest import log_in
from tests.helpers import csrf_token

PASSWORD = "een-lang-test-wachtwoord"
LOCAL_TITLE = "Veilig Thuis Arnhem"
# Bookkeeping that any request may write (sessions, login counters, the security log) is not content.
BOOKKEEPING = {"user_sessions", "login_attempts", "security_events", "audit_log", "users"}
PEOPLE = {  # who -> (role, organisation)
    "anonymous": None,
    "reader": (Role.READER, "Gemeente Arnhem"),
    "coordinator": (Role.COORDINATOR, "Regio Arnhem-Achterhoek"),
    "other advisor": (Role.ADVISOR, "Gemeente Elders"),
    "advisor": (Role.ADVISOR, "Gemeente Arnhem"),
}


class FormReader(HTMLParser):
    """The fields of the form posting to `action` as a browser would send them."""

    def __init__(self, action: str, page: str):
        super().__init__()
        self.page, self.action, self.inside, self.fields, self.select, self.textarea = page, action, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            target = (attrs.get("action") or self.page).split("?")[0]  # no action: the form posts to its page
            self.inside = target == self.action
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "y")
            else:
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            if self.select not in self.fields or "selected" in attrs:
                self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data.lstrip("\n") if not self.fields[self.textarea] else data


def form_fields(client, page: str, action: str) -> dict:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    reader = FormReader(action, page)
    reader.feed(response.get_data(as_text=True))
    assert "csrf_token" in reader.fields, f"no form posting to {action} on {page}"
    return {k: v for k, v in reader.fields.items() if k != "csrf_token"}


def content_hash(session) -> tuple[dict, str]:
    """Row counts and a digest of every content table, read fresh from the database."""
    session.expire_all()
    counts, digest = {}, hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name in BOOKKEEPING:
            continue
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        counts[table.name] = len(rows)
        digest.update(repr((table.name, [tuple(r) for r in rows])).encode())
    session.rollback()
    return counts, digest.hexdigest()


@pytest.fixture
def world(demo_session):
    elsewhere = find_or_create_organisation(demo_session, "Gemeente Elders", OrganisationKind.MUNICIPALITY)
    create_plan(demo_session, title="Plan elders", owner=elsewhere, starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2027, 6, 1))
    create_user(demo_session, "beheer@test.example", find_or_create_organisation(demo_session, "Beheer"),
                Role.ADMINISTRATOR, PASSWORD)
    for who, (role, organisation) in ((k, v) for k, v in PEOPLE.items() if v):
        create_user(demo_session, f"{who.replace(' ', '-')}@test.example",
                    find_or_create_organisation(demo_session, organisation), role, PASSWORD)
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.partners[0].contacts.append(ContactPerson(name="Jan Contact", email="jan@partner.example"))
    subscription, _ = feeds.create_subscription(demo_session, plan, "Voor de school", FeedScope.PLAN)
    region_feeds.create_subscription(demo_session, find_or_create_organisation(demo_session, "Regio Arnhem-Achterhoek"),
                                     "Voor de regio", RegionFilters())
    # A local plan of the same municipality under the regional plan, with a change in the region to accept.
    region = get_plan(demo_session, REGIONAL_SLUG)
    regional.create_local_plan(demo_session, region, plan.owner, LOCAL_TITLE)
    demo_session.flush()
    region.messages[0].body = "De regio past de tekst aan"
    # Something in the plan's trash, and a deleted plan of the same municipality, to restore.
    trash.discard(demo_session, [next(a for a in plan.activities if a.anchor_moment_id is not None)], "activities",
                  "weg", plan=plan)
    gone = create_plan(demo_session, title="Weggegooid plan", owner=plan.owner, starts_on=dt.date(2027, 1, 1),
                       ends_on=dt.date(2027, 6, 1))
    demo_session.flush()
    trash.discard(demo_session, [gone], "plan", gone.title)
    demo_session.commit()
    return demo_session, subscription


def client_of(app, who):
    client = app.test_client()
    if who == "beheer" or PEOPLE.get(who):
        log_in(client, f"{who.replace(' ', '-')}@test.example", PASSWORD)
    return client


def requests(session, admin, subscription):
    """(name, path, data or None) of every state-changing route of a plan, with data that would change it."""
    plan = get_plan(session, MUNICIPAL_SLUG)
    base = f"/plans/{plan.slug}"
    audience, decision = plan.audiences[0], plan.decisions[0]
    activity = next(a for a in plan.activities if not a.recurrence and a.anchor_moment_id is None)
    item = plan.phases[0].items[0]
    contact = next(c for p in plan.partners for c in p.contacts)
    region = get_plan(session, REGIONAL_SLUG)
    local = next(p for p in region.children if p.title == LOCAL_TITLE)

    def form(page, action, **changes):
        return {**form_fields(admin, page, action), **changes}

    undo_entry = next(e for e in trash.plan_trash(session, plan))
    deleted_plan = trash.deleted_plans(session, [plan.owner_id])[0]
    chosen = {"bulk-rows": f"{activity.id}:{activity.row_version}", "bulk-back": "/"}
    region_feed = session.scalar(sa.select(Subscription).where(Subscription.scope == FeedScope.REGION))
    regions = f"/regions/{region_feed.region.uuid}/feeds"
    return [
        ("edit plan", f"{base}/edit", form(f"{base}/edit", f"{base}/edit", title="Door een ander gewijzigd")),
        ("add audience", f"{base}/audiences/new",
         form(f"{base}/audiences/new", f"{base}/audiences/new", name="Nieuwe doelgroep")),
        ("edit audience", f"{base}/audiences/{audience.id}/edit",
         form(f"{base}/audiences/{audience.id}/edit", f"{base}/audiences/{audience.id}/edit",
              description="Anders beschreven")),
        ("delete decision", f"{base}/decisions/{decision.id}/delete",
         form(f"{base}/decisions/{decision.id}/delete", f"{base}/decisions/{decision.id}/delete")),
        ("move activity", f"{base}/activities/{activity.id}/move",
         {"starts_on": (activity.starts_on + dt.timedelta(days=1)).isoformat(), "version": str(activity.row_version)}),
        ("move checklist item", f"{base}/checklist-items/{item.id}/move", {"direction": "down"}),
        ("erase contact", f"{base}/contacts/{contact.id}/erase", {}),
        ("copy to next year", f"{base}/copy", {"year": str(plan.ends_on.year + 1)}),
        ("gate", f"{base}/gate", {"status": "awaiting_approval", "phase": "preparation", "by": "Iemand", "note": ""}),
        ("new feed", f"{base}/feeds", {"label": "Nieuwe link", "scope": "plan"}),
        ("rotate feed", f"{base}/feeds/{subscription.uuid}/rotate", {}),
        ("revoke feed", f"{base}/feeds/{subscription.uuid}/revoke", {}),
        ("revoke all feeds", f"{base}/feeds/revoke-all", {}),
        ("import moments", f"{base}/moments/import", {"file": (io.BytesIO(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nBEGIN:VEVENT\r\nUID:x@t\r\n"
            b"DTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20270111\r\nSUMMARY:Landelijke campagne\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"), "campagne.ics")}),
        ("local plan", f"/plans/{REGIONAL_SLUG}/local", {"municipality": "Gemeente Arnhem", "title": "Lokaal plan"}),
        ("accept regional change", f"/plans/{local.slug}/regional/{region.messages[0].uuid}/accept", {}),
        ("delete plan", f"{base}/delete", form(f"{base}/delete", f"{base}/delete")),
        ("duplicate activity", f"{base}/activities/{activity.id}/duplicate", {}),
        ("duplicate channel", f"{base}/channels/{plan.channels[0].id}/duplicate", {}),
        ("quick add", f"{base}/activities/quick", {"title": "Snel erbij", "starts_on": activity.starts_on.isoformat(),
                                                   "channel_id": "", "audience_id": "", "back": "/"}),
        ("activity status", f"{base}/activities/{activity.id}/status", {
            "status": "cancelled" if activity.status.value != "cancelled" else "planned",
            "version": str(activity.row_version), "back": "/"}),
        ("checklist item status", f"{base}/checklist-items/{item.id}/status", {
            "status": "not_applicable" if item.status.value != "not_applicable" else "open",
            "version": str(item.row_version), "back": "/"}),
        ("several partners", f"{base}/partners/several", {"row0-organisation_name": "Nieuwe partner",
                                                            "row0-role": ""}),
        ("add observance moment", f"{base}/moments/observance", {"key": next(
            d.key for d in observances.catalogue(session, plan.owner)
            if dates_in_plan(plan, d, all_holidays(session)) and all(m.observance_key != d.key for m in plan.moments))}),
        ("bulk activities", f"{base}/activities/bulk", {**chosen, "action": "shift", "bulk-shift_by": "2",
                                                         "bulk-shift_unit": "working_days"}),
        ("bulk checklist items", f"{base}/checklist-items/bulk", {
            "bulk-rows": f"{item.id}:{item.row_version}", "bulk-back": "/", "action": "owner",
            "bulk-owner_name": "Fatima"}),
        ("undo", f"{base}/undo/{undo_entry.uuid}", {"back": "/"}),
        ("restore plan", f"/trash/{deleted_plan.uuid}/restore", {}),
        ("new region feed", regions, {"label": "Voor de regio in Outlook"}),
        ("rotate region feed", f"{regions}/{region_feed.uuid}/rotate", {}),
        ("revoke region feed", f"{regions}/{region_feed.uuid}/revoke", {}),
    ]


# Who may do what (True: the request changes the plan). Everyone else is refused with the given status.
ALLOWED = {
    "gate": {"advisor", "coordinator"},  # the region's coordinator signs off
    # the region's feed links: its coordinators (an advisor of one municipality may not read the others' plans)
    "new region feed": {"coordinator"}, "rotate region feed": {"coordinator"}, "revoke region feed": {"coordinator"},
}
REFUSED_STATUS = {"anonymous": 401, "reader": 403, "coordinator": 403, "other advisor": 404}


@pytest.mark.parametrize("index", range(31))
def test_every_write_is_refused_to_whoever_may_not_and_changes_nothing(world, app, index):
    session, subscription = world
    admin = client_of(app, "beheer")
    name, path, data = requests(session, admin, subscription)[index]
    allowed = ALLOWED.get(name, {"advisor"})
    for who in ("anonymous", "reader", "coordinator", "other advisor", "advisor"):
        client = client_of(app, who)
        before = content_hash(session)
        token = csrf_token(client, "/login" if who == "anonymous" else "/")
        body = {"csrf_token": token, **{k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v
                                        for k, v in data.items()}}
        response = client.post(path, data=body)
        after = content_hash(session)
        if who in allowed:
            assert response.status_code in (200, 302), (name, who, response.status_code)
            assert after != before, f"{name}: the data is valid, so {who} changes the database"
            return
        assert response.status_code == REFUSED_STATUS[who], (name, who, response.status_code)
        assert after == before, f"{name}: refused for {who}, yet the database changed"
    pytest.fail(f"{name}: nobody was allowed")


def test_the_table_covers_every_plan_route_that_writes(app, world):
    session, subscription = world
    covered = {path for _, path, _ in requests(session, client_of(app, "beheer"), subscription)}
    endpoints = set()
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule.startswith(("/plans/<slug>", "/regions/")):
            endpoints.add(rule.endpoint)
    by_endpoint = {app.url_map.bind("localhost").match(path, method="POST")[0] for path in covered}
    assert endpoints - by_endpoint == set()


# User management: administrators only. Users and the security log are bookkeeping above, so these requests are
# also checked against the users' roles, organisations and states and the events that record changes.

@pytest.fixture
def mail_app(db_url, tmp_path):
    """The app with a mail server configured (the messages wait in the outbox; nothing is delivered)."""
    from planner.web import create_app
    from tests.mailserver import free_port

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "i"),
                      "PLANNER_SECRET_KEY": "x", "PLANNER_SMTP_HOST": "127.0.0.1", "PLANNER_SMTP_PORT": str(free_port())})
    yield app
    app.extensions["planner.engine"].dispose()


def user_requests(session, admin):
    """(name, path, data) of every user-management route, with data that would change a user."""
    from planner.models import User

    def page_of(email):
        return f"/users/{session.scalar(sa.select(User.uuid).where(User.email == email))}"

    target, gone = page_of("reader@test.example"), page_of("weg@test.example")
    elsewhere = session.scalar(sa.select(User.organisation_id).where(User.email == "other-advisor@test.example"))
    return [
        ("create user", "/users/new", {**form_fields(admin, "/users/new", "/users/new"), "email": "nieuw@test.example"}),
        ("change user", target, {**form_fields(admin, target, target), "role": "advisor",
                                 "organisation_id": str(elsewhere)}),
        ("disable user", f"{target}/disable", form_fields(admin, target, f"{target}/disable")),
        ("enable user", f"{gone}/enable", form_fields(admin, gone, f"{gone}/enable")),
        ("send reset link", f"{target}/reset-link", form_fields(admin, target, f"{target}/reset-link")),
    ]


def add_disabled_user(session) -> None:
    from planner.domain.accounts import disable

    disable(session, create_user(session, "weg@test.example", find_or_create_organisation(session, "Gemeente Arnhem"),
                                 Role.READER, PASSWORD))
    session.commit()


def users_hash(session):
    """The content tables, and what user management changes: users' roles, organisations and states, and events."""
    from planner.enums import SecurityEventKind
    from planner.models import SecurityEvent, User

    session.expire_all()
    users = session.execute(sa.select(User.email, User.role, User.organisation_id, User.active).order_by(User.id)).all()
    changes = session.execute(sa.select(SecurityEvent.kind, SecurityEvent.email).where(SecurityEvent.kind.notin_(
        [SecurityEventKind.LOGIN, SecurityEventKind.LOGOUT])).order_by(SecurityEvent.id)).all()
    session.rollback()
    return content_hash(session), users, changes


@pytest.mark.parametrize("index", range(5))
def test_user_management_is_refused_to_everyone_but_administrators(world, mail_app, index):
    session, _ = world
    add_disabled_user(session)
    admin = client_of(mail_app, "beheer")
    name, path, data = user_requests(session, admin)[index]
    for who in ("anonymous", "reader", "coordinator", "other advisor", "advisor", "beheer"):
        client = admin if who == "beheer" else client_of(mail_app, who)
        before = users_hash(session)
        token = csrf_token(client, "/login" if who == "anonymous" else "/")
        response = client.post(path, data={"csrf_token": token, **data})
        after = users_hash(session)
        if who == "beheer":
            assert response.status_code == 302, (name, response.status_code)
            assert after != before, f"{name}: the data is valid, so the administrator changes the database"
            return
        assert response.status_code == {"anonymous": 401}.get(who, 403), (name, who, response.status_code)
        assert after == before, f"{name}: refused for {who}, yet the database changed"


def test_the_user_table_covers_every_user_route_that_writes(mail_app, world):
    session, _ = world
    add_disabled_user(session)
    covered = {path for _, path, _ in user_requests(session, client_of(mail_app, "beheer"))}
    endpoints = {rule.endpoint for rule in mail_app.url_map.iter_rules()
                 if "POST" in rule.methods and rule.rule.startswith("/users")}
    by_endpoint = {mail_app.url_map.bind("localhost").match(path, method="POST")[0] for path in covered}
    assert endpoints - by_endpoint == set()
