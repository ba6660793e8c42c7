"""What every page shares: theme tokens, language, accessibility statement; the guided start and dragging."""

import re

import sqlalchemy as sa
from babel.dates import format_date

from planner.domain.demo import MUNICIPAL_SLUG
from planner.domain.plans import get_plan
from planner.models import Activity, Organisation
from planner.web import theme
from tests.helpers import csrf_token, submit, text_of


def test_every_page_links_the_accessibility_statement(anonymous_client, client, demo_session):
    for browser, path in ((anonymous_client, "/login"), (client, "/"), (client, f"/plans/{MUNICIPAL_SLUG}")):
        assert 'href="/toegankelijkheid"' in browser.get(path).get_data(as_text=True), path
    page = anonymous_client.get("/toegankelijkheid")
    assert page.status_code == 200 and "EN 301 549" in text_of(page) and "WCAG" in text_of(page)


def test_house_style_becomes_design_tokens_with_enough_contrast(client, demo_session):
    arnhem = demo_session.scalar(sa.select(Organisation).where(Organisation.name == "Gemeente Arnhem"))
    arnhem.primary_colour, arnhem.font = "#ffd700", "Verdana"   # gold: too light for white text or links
    demo_session.commit()
    page = client.get(f"/plans/{MUNICIPAL_SLUG}").get_data(as_text=True)
    url = re.search(r'<link rel="stylesheet" href="(/theme\.css[^"]+)"', page).group(1).replace("&amp;", "&")
    css = client.get(url).get_data(as_text=True)
    brand = re.search(r"--planner-brand: (#[0-9a-f]{6});", css).group(1)
    assert theme.contrast(theme._rgb(brand), theme.WHITE) >= 4.5
    assert '--basis-text-font-family-default: "Verdana"' in css
    assert "--basis-color-action-1-inverse-bg-default" in css
    assert client.get("/theme.css").status_code == 200   # the login page's default theme


def test_language_switch_to_english_and_back(client, demo_session):
    response = submit(client, "/taal", {"lang": "en", "next": f"/plans/{MUNICIPAL_SLUG}"}, page="/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{MUNICIPAL_SLUG}")
    page = client.get(f"/plans/{MUNICIPAL_SLUG}")
    html = page.get_data(as_text=True)
    assert '<html lang="en"' in html and "Core messages" in text_of(page) and "Nederlands" in text_of(page)
    start = get_plan(demo_session, MUNICIPAL_SLUG).starts_on
    assert format_date(start, "EEEE d MMMM y", locale="en") in text_of(page)  # e.g. "Monday 16 August 2027"
    submit(client, "/taal", {"lang": "nl", "next": "https://elders.example/"}, page="/")
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


def test_a_new_plan_starts_with_the_guided_start(client):
    response = submit(client, "/plans/new", {"title": "Voorlichting hitte 2027", "owner_id": "new", "owner_name": "Gemeente Ede",
                                             "owner_kind": "municipality", "starts_on": "2027-05-01",
                                             "ends_on": "2027-09-30", "status": "draft", "phase": "initiative",
                                             "checklist_template": "vng-stappenplan"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")
    page = text_of(client.get(response.headers["Location"]))
    assert "Stap 1: Initiatief" in page and "Doel:" in page and "Volgende stap" in page
    assert "Nog geen doelgroepen" in page
    second = text_of(client.get(response.headers["Location"] + "?step=preparation"))
    assert "Stap 2: Voorbereiding" in second and "Schrijf een kernboodschap per doelgroep" in second


def test_matrix_shows_audiences_without_message_or_channel(client, demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.messages[:] = [m for m in plan.messages if m.audience.name != "Ouders en opvoeders"]
    demo_session.commit()
    page = client.get(f"/plans/{MUNICIPAL_SLUG}/start").get_data(as_text=True)
    row = re.search(r'<tr class="matrix-gap">\s*<th scope="row">Ouders en opvoeders</th>.*?</tr>', page, re.S)
    assert row and "Nog geen kernboodschap" in row.group(0)


def test_dragging_an_activity_moves_it_and_refuses_what_it_cannot(client, demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    free = next(a for a in plan.activities if a.anchor_moment_id is None and not a.recurrence and a.ends_on is None)
    anchored = next(a for a in plan.activities if a.anchor_moment_id is not None)
    month = client.get(f"/plans/{MUNICIPAL_SLUG}/calendar?view=month&month={free.starts_on:%Y-%m}")
    html = month.get_data(as_text=True)
    assert f'data-move-url="/plans/{MUNICIPAL_SLUG}/activities/{free.id}/move"' in html
    assert f'/activities/{anchored.id}/move' not in html and 'data-date="' in html
    token = csrf_token(client, f"/plans/{MUNICIPAL_SLUG}/calendar")
    url = f"/plans/{MUNICIPAL_SLUG}/activities/{free.id}/move"
    moved = client.post(url, data={"csrf_token": token, "starts_on": "2026-12-01",
                                   "version": str(free.row_version)})
    assert moved.status_code == 200 and moved.get_json() == {"ok": True}
    demo_session.expire_all()
    assert demo_session.get(Activity, free.id).starts_on.isoformat() == "2026-12-01"
    stale = client.post(url, data={"csrf_token": token, "starts_on": "2026-12-02", "version": "0"})
    assert stale.status_code == 409 and "intussen gewijzigd" in stale.get_json()["error"]
    refused = client.post(f"/plans/{MUNICIPAL_SLUG}/activities/{anchored.id}/move",
                          data={"csrf_token": token, "starts_on": "2026-12-02", "version": ""})
    assert refused.status_code == 409
    bad = client.post(url, data={"csrf_token": token, "starts_on": "morgen"})
    assert bad.status_code == 400 and "geen dag" in bad.get_json()["error"]


def test_every_http_error_is_a_dutch_page(demo_session, app, client):
    from planner.domain.accounts import create_user
    from planner.enums import Role
    from tests.conftest import log_in

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    create_user(demo_session, "lezer@fout.example", plan.owner, Role.READER, "een-lang-wachtwoord-77")
    demo_session.commit()
    reader = app.test_client()
    log_in(reader, "lezer@fout.example", "een-lang-wachtwoord-77")
    refused = reader.get(f"/plans/{MUNICIPAL_SLUG}/edit")
    assert refused.status_code == 403 and "Geen toegang" in text_of(refused)
    wrong_method = client.put(f"/plans/{MUNICIPAL_SLUG}")
    assert wrong_method.status_code == 405 and "Dit adres accepteert" in text_of(wrong_method)
    assert "GET" in wrong_method.headers["Allow"]
    for response in (refused, wrong_method):
        assert response.mimetype == "text/html" and "<html lang=\"nl\"" in response.get_data(as_text=True)


def test_a_form_sent_after_the_session_ended_is_answered_in_dutch(demo_session, client):
    """After the session ended (idle or absolute lifetime), a POST cannot be redirected: say what happened."""
    from planner.models import UserSession

    token = csrf_token(client, f"/plans/{MUNICIPAL_SLUG}/edit")
    demo_session.execute(sa.delete(UserSession))  # the session ended while the form was open
    demo_session.commit()
    page = client.post(f"/plans/{MUNICIPAL_SLUG}/edit", data={"csrf_token": token, "title": "x"})
    assert page.status_code == 401
    assert "Uw sessie is afgelopen" in text_of(page) and 'href="/login"' in page.get_data(as_text=True)
