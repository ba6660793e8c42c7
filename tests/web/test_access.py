"""Who may see and change what: every route, as every role and as an anonymous visitor."""

import io

import pytest
import sqlalchemy as sa

from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.enums import OrganisationKind, Role
from planner.models import Plan, User
from tests.conftest import log_in
from tests.helpers import csrf_token, demo_theme_week, text_of

PASSWORD = "een-lang-test-wachtwoord"
ROLES = {  # role -> organisation of the user
    Role.ADMINISTRATOR: "Beheer",
    Role.ADVISOR: "Gemeente Arnhem",
    Role.COORDINATOR: "Regio Arnhem-Achterhoek",
    Role.READER: "Gemeente Arnhem",
}


@pytest.fixture
def world(demo_session):
    """The demo plans plus a plan of a municipality in another region."""
    elsewhere = find_or_create_organisation(demo_session, "Gemeente Elders", OrganisationKind.MUNICIPALITY)
    import datetime as dt

    create_plan(demo_session, title="Plan elders", owner=elsewhere, starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2027, 6, 1))
    for role, organisation in ROLES.items():
        create_user(demo_session, f"{role.value}@test.example",
                    find_or_create_organisation(demo_session, organisation), role, PASSWORD)
    demo_session.commit()
    return demo_session


def browser(app, role):
    client = app.test_client()
    if role is not None:
        log_in(client, f"{role.value}@test.example", PASSWORD)
    return client


# (path, expected GET status per role: anonymous, administrator, advisor, coordinator, reader)
PAGES = [
    ("/", (302, 200, 200, 200, 200)),
    ("/overview", (302, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}", (302, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}/calendar", (302, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}/edit", (302, 200, 200, 403, 403)),
    (f"/plans/{MUNICIPAL_SLUG}/activities/new", (302, 200, 200, 403, 403)),
    (f"/plans/{MUNICIPAL_SLUG}/activities/quick", (302, 200, 200, 403, 403)),
    (f"/plans/{MUNICIPAL_SLUG}/document.docx", (302, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}/history", (302, 200, 200, 200, 200)),
    ("/plans/plan-elders/history", (302, 200, 404, 404, 404)),
    (f"/plans/{REGIONAL_SLUG}", (302, 200, 200, 200, 200)),       # the region's own plan
    (f"/plans/{REGIONAL_SLUG}/edit", (302, 200, 403, 403, 403)),
    ("/plans/plan-elders", (302, 200, 404, 404, 404)),           # another region: as if it did not exist
    ("/plans/plan-elders/calendar", (302, 200, 404, 404, 404)),
    ("/plans/plan-elders/document.docx", (302, 200, 404, 404, 404)),
    ("/plans/new", (302, 200, 200, 403, 403)),
    ("/observances/", (302, 200, 200, 200, 200)),
    ("/observances/new", (302, 200, 403, 403, 403)),
    ("/organisations/", (302, 200, 403, 403, 403)),
    ("/login", (200, 200, 200, 200, 200)),
    ("/login/break-glass", (200, 200, 200, 200, 200)),
    ("/account", (302, 200, 200, 200, 200)),
    ("/account/password", (302, 200, 200, 200, 200)),
    ("/security-log", (302, 200, 403, 403, 403)),
    ("/afmelden/not-a-valid-token", (404, 404, 404, 404, 404)),
    ("/toegankelijkheid", (200, 200, 200, 200, 200)),
    ("/theme.css", (200, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}/start", (302, 200, 200, 200, 200)),
    ("/plans/plan-elders/start", (302, 200, 404, 404, 404)),
    ("/api-keys", (302, 200, 200, 403, 403)),
    ("/api/v1/docs", (200, 200, 200, 200, 200)),
    ("/api/v1/openapi.json", (200, 200, 200, 200, 200)),
    (f"/plans/{MUNICIPAL_SLUG}/trash", (302, 200, 200, 403, 403)),
    ("/plans/plan-elders/trash", (302, 200, 404, 404, 404)),
    ("/trash", (302, 200, 200, 403, 403)),
    ("/search?q=plan", (302, 200, 200, 200, 200)),  # what each role finds: tests/domain/test_search.py
    ("/users", (302, 200, 200, 200, 403)),  # advisors and coordinators: their own organisation, read-only
    ("/users/new", (302, 200, 403, 403, 403)),
]


# What a page that answers 200 shows (its heading or a text only it has), by the start of its path.
SHOWN = [
    (f"/plans/{MUNICIPAL_SLUG}/trash", "De prullenbak is leeg."), ("/plans/plan-elders/trash", "De prullenbak is leeg."),
    ("/trash", "Verwijderde plannen"),
    (f"/plans/{MUNICIPAL_SLUG}/edit", "Plan wijzigen"), (f"/plans/{MUNICIPAL_SLUG}/activities/new", "Titel"),
    (f"/plans/{MUNICIPAL_SLUG}/activities/quick", "Snel toevoegen"),
    (f"/plans/{MUNICIPAL_SLUG}/calendar", "Communicatiekalender"), (f"/plans/{MUNICIPAL_SLUG}/history", "Geschiedenis"),
    (f"/plans/{MUNICIPAL_SLUG}/start", "Stappenplan"), (f"/plans/{MUNICIPAL_SLUG}", "Aanleiding"),
    (f"/plans/{REGIONAL_SLUG}/edit", "Plan wijzigen"), (f"/plans/{REGIONAL_SLUG}", "Aanleiding"),
    ("/plans/plan-elders", "Plan elders"), ("/plans/new", "Nieuw plan"), ("/overview", "Overzicht"),
    ("/observances/new", "Natuurlijk moment"), ("/observances/", "Natuurlijke momenten"),
    ("/organisations/", "Organisaties"), ("/login", "Wachtwoord"), ("/account/password", "Huidig wachtwoord"),
    ("/account", "Uw instellingen"), ("/security-log", "Beveiligingslog"), ("/toegankelijkheid", "Toegankelijkheidsverklaring"),
    ("/api-keys", "API-sleutels"), ("/search", "Zoekresultaten voor “plan”"), ("/api/v1/docs", "API-documentatie"), ("/api/v1/openapi.json", '"openapi"'),
    ("/users/new", "Gebruiker toevoegen"), ("/users", "Gebruikers"),
    ("/", "Plannen"),
]


def assert_answer_shows(response, path, role):
    """The answer is the page it claims to be: the login, a Dutch refusal, or the page with its own content."""
    where = (path, role)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next="), where
    elif response.status_code == 404 and not path.startswith("/afmelden"):
        assert "Pagina niet gevonden" in text_of(response), where
    elif response.status_code == 403:
        assert "Geen toegang" in text_of(response), where
    elif response.status_code == 200 and path.endswith(".docx"):
        from docx import Document

        document = Document(io.BytesIO(response.data))
        assert any(p.style.name.startswith("Heading") and "Doel" in p.text for p in document.paragraphs), where
    elif response.status_code == 200 and path == "/theme.css":
        assert "--" in response.get_data(as_text=True) and response.mimetype == "text/css", where
    elif response.status_code == 200:
        expected = next(text for start, text in SHOWN if path.startswith(start))
        assert expected in text_of(response), where


@pytest.mark.parametrize("path, expected", PAGES)
def test_every_role_gets_the_right_answer(world, app, path, expected):
    for role, status in zip([None, *ROLES], expected):
        response = browser(app, role).get(path)
        assert response.status_code == status, (path, role, response.status_code)
        assert_answer_shows(response, path, role)


def test_every_route_is_in_the_table_or_public_or_post_only(app):
    """A new page must be added to the table above (or be a POST action checked below)."""
    covered = {"plans.dashboard", "coordination.show", "plans.overview", "calendar.show", "plans.edit", "history.show",
               "entities.create", "documents.plan_document", "observances.index", "observances.create",
               "documents.organisations", "plans.new", "auth.login", "account.preferences", "account.unsubscribe",
               "site.accessibility", "site.stylesheet", "plans.start", "auth.change_password", "security.events",
               "auth.break_glass", "api_keys.index", "api_docs.page", "api_docs.openapi_json", "calendar.quick_add",
               "undo.plan_trash", "undo.deleted_plans", "search.results", "users.index", "users.create",
               "regional.home", "regional.calendar"}
    same_guard = {  # GET pages that use the same load_plan / admin_required guard as a covered one
        "plans.partners", "plans.audiences", "plans.messages", "plans.channels", "plans.decisions",
        "plans.checklist", "feeds.manage", "entities.edit", "entities.delete", "plans.delete",
        "documents.partner_overview", "coordination.csv", "observances.edit", "documents.house_style",
        "feeds.serve", "static", "site.logo", "history.personal_data", "history.erase", "auth.forgot", "auth.reset",
        "entities.activity_by_uuid", "users.edit"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):  # the API's own walk covers these (tests/web/api/test_access.py)
            continue
        if "GET" in rule.methods:
            assert rule.endpoint in covered | same_guard, f"{rule.endpoint} ({rule.rule}) needs an access check"


def test_regional_calendar_opens_the_region_of_every_role_and_asks_anonymous_visitors_to_log_in(world, app):
    """Covers regional.home and regional.calendar; another region's calendar: tests/web/test_regional_calendar.py."""
    assert browser(app, None).get("/regions/calendar").headers["Location"].startswith("/login?next=")
    for role in ROLES:
        response = browser(app, role).get("/regions/calendar", follow_redirects=True)
        assert "Regionale kalender van Regio Arnhem-Achterhoek" in text_of(response), role


def test_changes_need_the_right_to_edit(world, app):
    plan = get_plan(world, MUNICIPAL_SLUG)
    for role, expected in ((Role.READER, 403), (Role.COORDINATOR, 403), (Role.ADVISOR, 302)):
        client = browser(app, role)
        token = csrf_token(client, f"/plans/{MUNICIPAL_SLUG}")
        response = client.post(f"/plans/{MUNICIPAL_SLUG}/copy", data={"csrf_token": token,
                                                                     "year": str(plan.ends_on.year + 1)})
        assert response.status_code == expected, role
    other = browser(app, Role.ADVISOR)
    token = csrf_token(other, "/")
    assert other.post("/plans/plan-elders/delete", data={"csrf_token": token}).status_code == 404
    assert world.scalar(sa.select(Plan).where(Plan.slug == "plan-elders")) is not None
    world.expire_all()
    copies = world.scalars(sa.select(Plan.title).where(Plan.predecessor_id == plan.id)).all()
    assert copies == [plan.title.replace(str(plan.starts_on.year), str(plan.ends_on.year + 1))], \
        "only the advisor's request made a copy"


def test_coordinator_signs_off_phases_of_the_region(world, app):
    client = browser(app, Role.COORDINATOR)
    token = csrf_token(client, f"/plans/{MUNICIPAL_SLUG}")
    response = client.post(f"/plans/{MUNICIPAL_SLUG}/gate", data={
        "csrf_token": token, "status": "completed", "phase": "execution", "by": "Coördinator", "note": "",
        "confirm": "y"})  # whatever is still open: the coordinator records the step anyway
    assert response.status_code == 302
    world.expire_all()
    assert get_plan(world, MUNICIPAL_SLUG).status.value == "completed"


def test_advisor_of_a_municipality_makes_its_local_plan_from_the_regional_plan(world, app):
    client = browser(app, Role.ADVISOR)
    token = csrf_token(client, f"/plans/{REGIONAL_SLUG}")
    response = client.post(f"/plans/{REGIONAL_SLUG}/local", data={
        "csrf_token": token, "municipality": "Gemeente Elders", "title": "Veilig Thuis Arnhem lokaal"})
    assert response.status_code == 302
    world.expire_all()
    local = world.scalar(sa.select(Plan).where(Plan.slug == "veilig-thuis-arnhem-lokaal"))
    assert local.owner.name == "Gemeente Arnhem", "an advisor's local plan belongs to their own municipality"
    assert browser(app, Role.READER).get(f"/plans/{local.slug}").status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_and_back(world, anonymous_client):
    response = anonymous_client.get(f"/plans/{MUNICIPAL_SLUG}/calendar")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    token = csrf_token(anonymous_client, "/login")
    response = anonymous_client.post(f"/login?next=/plans/{MUNICIPAL_SLUG}/calendar", data={
        "csrf_token": token, "email": "ADVISOR@test.example ", "password": PASSWORD})
    assert response.headers["Location"].endswith(f"/plans/{MUNICIPAL_SLUG}/calendar")



def test_login_never_redirects_to_another_site(world, app):
    client = app.test_client()
    token = csrf_token(client, "/login")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(f"/login?next={target}", data={
            "csrf_token": token, "email": "advisor@test.example", "password": PASSWORD})
        assert response.headers["Location"] == "/", target
        client = app.test_client()
        token = csrf_token(client, "/login")


def test_login_is_slowed_down_and_logout_ends_the_session(world, app):
    client = app.test_client()
    token = csrf_token(client, "/login")
    for _ in range(3):
        bad = client.post("/login", data={"csrf_token": token, "email": "reader@test.example", "password": "fout"})
        assert "klopt niet" in bad.get_data(as_text=True)
    early = client.post("/login", data={"csrf_token": token, "email": "reader@test.example", "password": PASSWORD})
    assert early.status_code == 429, "after three failures this address waits before the next attempt"
    assert int(early.headers["Retry-After"]) > 0 and "Wacht" in early.get_data(as_text=True)

    client = browser(app, Role.ADVISOR)
    cookie = client.get_cookie("session")
    token = csrf_token(client, "/")
    client.post("/logout", data={"csrf_token": token})
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/").status_code == 302, "the old cookie no longer logs in"


def test_security_headers(world, app):
    response = browser(app, Role.READER).get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie or cookie == ""


def test_disabling_a_user_ends_their_sessions_and_feed_links(world, app):
    from planner.domain.accounts import disable

    client = browser(app, Role.ADVISOR)
    token = csrf_token(client, f"/plans/{MUNICIPAL_SLUG}/feeds")
    page = client.post(f"/plans/{MUNICIPAL_SLUG}/feeds", data={"csrf_token": token, "label": "Mijn agenda",
                                                               "scope": "plan"}).get_data(as_text=True)
    import re

    link = re.search(r'<code class="secret-link">[^<]*(/feeds/[^<]+\.ics)</code>', page).group(1)
    assert app.test_client().get(link).status_code == 200
    app.extensions["planner.feed_cache"].recheck_seconds = 0
    disable(world, world.scalar(sa.select(User).where(User.email == "advisor@test.example")))
    world.commit()
    assert client.get("/").status_code == 302, "the session ended"
    assert app.test_client().get(link).status_code == 404, "the feed link the user made stopped working"


def test_every_state_changing_route_refuses_a_post_without_csrf_token(world, app):
    client = browser(app, Role.ADMINISTRATOR)
    plan = get_plan(world, MUNICIPAL_SLUG)
    values = {"slug": plan.slug, "kind": "activities", "row_id": plan.activities[0].id, "fmt": "docx",
              "public_id": "00000000-0000-0000-0000-000000000000", "source": "00000000-0000-0000-0000-000000000000",
              "action": "accept", "item_id": plan.phases[0].items[0].id, "contact_id": 1, "key": "mensenrechtendag",
              "token": "x" * 20, "partner_id": plan.partners[0].id, "entry_uuid": "00000000-0000-0000-0000-000000000000",
              "region_id": "00000000-0000-0000-0000-000000000000"}
    checked = 0
    for rule in app.url_map.iter_rules():
        # the unsubscribe link is authorised by its signed token, not a session (tests/web/test_account.py)
        if "POST" not in rule.methods or rule.endpoint in ("auth.login", "account.unsubscribe_confirm", "site.language"):
            continue
        if rule.rule.startswith("/api/"):  # keys, not cookies: no CSRF surface (tests/web/api/test_access.py)
            continue
        path = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)[1]
        response = client.post(path, data={})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        checked += 1
    assert checked >= 15


# werkzeug's test client spools a large body to a temporary file it never closes
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_fifty_megabyte_upload_is_refused_in_dutch(world, app):
    import io

    client = browser(app, Role.ADMINISTRATOR)
    token = csrf_token(client, "/observances/")
    response = client.post("/observances/school-holidays", data={
        "csrf_token": token, "file": (io.BytesIO(b"0" * (50 * 1024 * 1024)), "groot.json")})
    assert response.status_code == 413 and "Bestand te groot" in response.get_data(as_text=True)
    import gc

    response.close()
    del response, client
    gc.collect()


def test_passwords_never_reach_the_log(world, app, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        client = app.test_client()
        token = csrf_token(client, "/login")
        client.post("/login", data={"csrf_token": token, "email": "reader@test.example", "password": PASSWORD})
        client.post("/login", data={"csrf_token": token, "email": "reader@test.example", "password": "fout-wachtwoord"})
    assert PASSWORD not in caplog.text and "fout-wachtwoord" not in caplog.text


def test_pages_offer_only_the_actions_the_user_may_take(world, app):
    """A reader or the region's coordinator sees no link that would end in 403: no new plan, no edit or delete."""
    import re

    week = demo_theme_week(world).starts_on
    pages = ["/", f"/plans/{MUNICIPAL_SLUG}", f"/plans/{MUNICIPAL_SLUG}/calendar",
             f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={week:%Y-%m}",
             f"/plans/{MUNICIPAL_SLUG}/calendar?view=week&week={week.isoformat()}", f"/plans/{MUNICIPAL_SLUG}/start"] + [
        f"/plans/{MUNICIPAL_SLUG}/{tab}" for tab in ("partners", "audiences", "messages", "channels", "decisions",
                                                     "checklist", "history")]
    changing = re.compile(rf'href="(/plans/new|/plans/{MUNICIPAL_SLUG}(?:/[^"]*)?/(?:edit|delete|new|trash|quick)\b[^"]*)"')
    posting = re.compile(r'<form method="post" action="(/plans/[^"]+)"')
    for role in (Role.READER, Role.COORDINATOR, Role.ADVISOR):
        client = browser(app, role)
        html = [client.get(path).get_data(as_text=True) for path in pages]
        offered = {link for page in html for link in changing.findall(page)}
        forms = {action for page in html for action in posting.findall(page)}
        if role != Role.ADVISOR:  # the region's coordinator signs off phases; nothing else
            assert {a for a in forms if not (role == Role.COORDINATOR and a.endswith("/gate"))} == set(), role
        if role == Role.ADVISOR:
            assert {"/plans/new", f"/plans/{MUNICIPAL_SLUG}/edit", f"/plans/{MUNICIPAL_SLUG}/delete",
                    f"/plans/{MUNICIPAL_SLUG}/trash"} <= offered
            assert any(link.endswith("/edit") and "/activities/" in link for link in offered)
        else:
            assert offered == set(), (role, sorted(offered)[:5])
