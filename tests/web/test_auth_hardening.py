"""Redirects stay on the site, logged-in pages are never cached, and List-Unsubscribe is plain ASCII."""

import pytest

from planner.domain.demo import MUNICIPAL_SLUG
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.helpers import csrf_token

HOSTILE_NEXT = ["/\t/evil.example", "/\\evil.example", "/\\\\evil.example", "//evil.example", "https://evil.example",
                "/\r\nSet-Cookie: x=1", "/plans\n", "/%0d%0aLocation: //evil.example", "javascript:alert(1)", ""]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_leaves_the_site(anonymous_client, target):
    token = csrf_token(anonymous_client, "/login")
    response = anonymous_client.post("/taal", data={"csrf_token": token, "lang": "en", "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//")
                               and "\\" not in location and "\r" not in location and "\n" not in location), location
    assert "evil.example" not in location or location.startswith("/%0d"), location


def test_the_language_switch_returns_to_the_page(anonymous_client):
    token = csrf_token(anonymous_client, "/login")
    response = anonymous_client.post("/taal", data={"csrf_token": token, "lang": "en", "next": "/toegankelijkheid"})
    assert response.headers["Location"] == "/toegankelijkheid"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example", "/%0d%0aSet-Cookie:%20x=1",
                                    "/plans%0a", "/%09/evil.example"])
def test_login_with_a_hostile_next_goes_to_the_dashboard(app, client, target):
    browser = app.test_client()
    token = csrf_token(browser, "/login")
    response = browser.post(f"/login?next={target}", data={"csrf_token": token, "email": ADMIN_EMAIL,
                                                            "password": ADMIN_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_logged_in_pages_and_the_overview_csv_are_not_stored(demo_session, client):
    for path in ("/", "/overview", "/overview.csv", f"/plans/{MUNICIPAL_SLUG}", "/account", "/security-log",
                 f"/plans/{MUNICIPAL_SLUG}/document.docx", "/plans/geen-plan"):
        response = client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_static_files_feeds_and_the_stylesheet_keep_their_caching(demo_session, client, anonymous_client):
    import re

    assert client.get("/theme.css").headers["Cache-Control"].startswith("public")
    static = client.get("/static/planner.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    page = client.post(f"/plans/{MUNICIPAL_SLUG}/feeds", data={
        "csrf_token": csrf_token(client, f"/plans/{MUNICIPAL_SLUG}/feeds"), "label": "Agenda", "scope": "plan"})
    link = re.search(r"(/feeds/[A-Za-z0-9_-]+\.ics)", page.get_data(as_text=True)).group(1)
    assert client.get(link).headers["Cache-Control"] == "private"
    assert "Cache-Control" not in anonymous_client.get("/login").headers
