"""The header search page: grouped results with links straight to the items, in Dutch, without JavaScript."""

import re
from html import unescape

from sqlalchemy import event

from planner.domain.accounts import create_user
from planner.domain.demo import demo_users
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role
from planner.models import Audience
from tests.conftest import log_in
from tests.factories import build_large_plan
from tests.helpers import text_of

PASSWORD = "een-lang-test-wachtwoord"


def _demo_user(session, role: Role):
    email, _role, organisation, name = next(u for u in demo_users() if u[1] == role.value)
    create_user(session, email, find_or_create_organisation(session, organisation), role, PASSWORD, name=name)
    session.commit()
    return email


def _links(html: str) -> dict[str, str]:
    return {unescape(text): unescape(href) for href, text in
            re.findall(r'<li>\s*<a href="([^"]+)">([^<]+)</a>', html)}


def test_the_demo_advisor_finds_school_grouped_with_links_to_the_items(demo_session, app):
    client = app.test_client()
    log_in(client, _demo_user(demo_session, Role.ADVISOR), PASSWORD)
    response = client.get("/search?q=scholen")
    html, page = response.get_data(as_text=True), text_of(response)
    trainers = demo_session.query(Audience).filter_by(name="Trainers en vrijwilligers sport").first()

    assert "Zoekresultaten voor “scholen”" in page
    assert re.search(r'<h2 id="results-audience">Doelgroepen <span class="hint">\(\d+\)</span></h2>', html)
    assert "Zien kinderen wekelijks buiten school." in page
    assert f"plan {trainers.plan.title}" in page
    assert _links(html)["Trainers en vrijwilligers sport"] == (
        f"/plans/{trainers.plan.slug}/audiences/{trainers.id}/edit")
    assert 'name="q" maxlength="200" value="scholen"' in html  # the query stays in the header's box


def test_a_reader_is_led_to_the_page_that_shows_the_item(demo_session, app):
    client = app.test_client()
    log_in(client, _demo_user(demo_session, Role.READER), PASSWORD)
    html = client.get("/search?q=trainers").get_data(as_text=True)
    trainers = demo_session.query(Audience).filter_by(name="Trainers en vrijwilligers sport").first()

    assert _links(html)["Trainers en vrijwilligers sport"] == f"/plans/{trainers.plan.slug}/audiences"


def test_activities_link_to_their_uuid_route_and_plans_to_their_overview(demo_session, app):
    client = app.test_client()
    log_in(client, _demo_user(demo_session, Role.ADVISOR), PASSWORD)
    html = client.get("/search?q=veilig+thuis").get_data(as_text=True)

    links = list(_links(html).values())
    assert any(re.fullmatch(r"/plans/[\w-]+/activities/by-uuid/[0-9a-f-]{36}", link) for link in links)
    assert any(re.fullmatch(r"/plans/[\w-]+", link) for link in links)
    activity_link = next(link for link in links if "/by-uuid/" in link)
    assert client.get(activity_link).status_code == 302


def test_nothing_found_says_so_in_dutch(client):
    response = client.get("/search?q=zebrapad")
    assert "Niets gevonden voor “zebrapad”." in text_of(response)


def test_a_query_of_only_punctuation_asks_for_a_word(client):
    assert "Zoek op minstens één woord van letters of cijfers." in text_of(client.get("/search?q=%3F%21*"))


def test_the_empty_search_page_explains_the_search_box(client):
    assert "Typ een of meer woorden in het zoekvak" in text_of(client.get("/search"))


def test_every_page_has_the_search_box_and_anonymous_visitors_must_log_in(client, anonymous_client):
    html = client.get("/").get_data(as_text=True)
    assert '<form method="get" action="/search" class="header-search" role="search">' in html
    assert anonymous_client.get("/search?q=school").status_code == 302


def test_the_results_page_does_as_many_statements_for_a_big_plan_as_for_a_small_one(session, app, client):
    for size in (40, 200):
        build_large_plan(session, size, title=f"Groot plan {size}")
    session.commit()
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    counts = {}
    for query in ("activiteit", "activiteit 1", "doelgroep boodschap"):
        statements.clear()
        response = client.get(f"/search?q={query}")
        assert response.status_code == 200 and "Zoekresultaten" in text_of(response)
        counts[query] = len(statements)
    assert len(set(counts.values())) == 1, counts


def test_hostile_queries_are_only_words_to_the_database(client):
    for query in ("%00school", "%22school%22+OR+*", "school%27%3B+DROP+TABLE+plans%3B--", "NEAR(a+b)", "x" * 300,
                  "%E2%80%AE%F0%9F%98%80", "a%3A*+%26+!b+%7C+c"):
        response = client.get(f"/search?q={query}")
        assert response.status_code == 200, query
        assert "Niets gevonden" in text_of(response) or "Zoek op minstens" in text_of(response), query
