import pytest

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from tests.helpers import calendar_pages, demo_theme_week, long_date, short_date, text_of, text_of_html

TABS = {
    "": "Aanleiding",
    "/partners": "Contactpersonen",
    "/audiences": "Stakeholderkaart",
    "/messages": "Kernboodschappen",
    "/channels": "Middelenmix",
    "/calendar": "Communicatiekalender",
    "/decisions": "Afstemmings- en besluitvormingsmomenten",
    "/checklist": "Voorbereiding",
}


def test_dashboard_lists_both_demo_plans(demo_session, client):
    page = text_of(client.get("/"))
    assert "Introductie Veilig Thuis regio Arnhem-Achterhoek" in page
    municipal = get_plan(demo_session, MUNICIPAL_SLUG)
    assert municipal.title in page and municipal.title.startswith("Week tegen Kindermishandeling 20")
    assert "In uitvoering" in page


def test_empty_dashboard_says_what_to_do(client):
    page = text_of(client.get("/"))
    assert "Er zijn nog geen plannen." in page
    assert "planner demo" in page


@pytest.mark.parametrize("suffix, heading", TABS.items())
def test_every_tab_of_a_plan_shows_in_dutch(demo_session, client, suffix, heading):
    response = client.get(f"/plans/{REGIONAL_SLUG}{suffix}")
    assert response.status_code == 200
    page = text_of(response)
    assert heading in page
    assert "Introductie Veilig Thuis regio Arnhem-Achterhoek" in page


def test_calendar_lists_every_activity_with_dutch_dates(demo_session, client):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    page = " ".join(text_of_html(html) for html in calendar_pages(client, plan))
    for activity in plan.activities:
        assert activity.title in page
    assert short_date(demo_theme_week(demo_session).starts_on) in page
    assert "19:30–21:00" in page


def test_overview_shows_long_dutch_dates_and_amounts(demo_session, client):
    page = text_of(client.get(f"/plans/{MUNICIPAL_SLUG}"))
    assert long_date(get_plan(demo_session, MUNICIPAL_SLUG).starts_on) in page
    assert "€ 12.000,00" in page


def test_stakeholder_map_lists_every_placed_audience(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    html = client.get(f"/plans/{REGIONAL_SLUG}/audiences").get_data(as_text=True)
    assert html.count('class="point"') == len([a for a in plan.audiences if a.on_stakeholder_map])
    assert '<svg viewBox="0 0 480 480" role="img"' in html


def test_unknown_plan_is_a_dutch_404(client):
    response = client.get("/plans/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in text_of(response)


def test_row_of_another_plan_is_not_reachable_through_this_plan(demo_session, client):
    other = get_plan(demo_session, MUNICIPAL_SLUG).activities[0]
    assert client.get(f"/plans/{REGIONAL_SLUG}/activities/{other.id}/edit").status_code == 404
    assert client.get(f"/plans/{REGIONAL_SLUG}/unknown-kind/new").status_code == 404


def test_user_text_is_escaped(session, client):
    import datetime as dt

    from planner.domain.plans import create_plan, find_or_create_organisation

    create_plan(session, title="<script>alert(1)</script>", owner=find_or_create_organisation(session, "Org"),
                starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 2, 1))
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("suffix", [*TABS, "/start", "/calendar?view=month", "/calendar?view=week",
                                    "/calendar?view=timeline", "/history"])
def test_every_page_of_a_plan_with_many_findings_answers(session, client, suffix):
    import datetime as dt

    from planner.domain.plans import create_plan, find_or_create_organisation
    from planner.enums import AudienceCategory, Intensity
    from planner.models import Audience

    start = clock.today()
    plan = create_plan(session, title="Veel waarschuwingen", owner=find_or_create_organisation(session, "Gemeente Ede"),
                       starts_on=start, ends_on=start + dt.timedelta(days=60))
    plan.audiences.extend(Audience(name=f"Doelgroep {n}", category=AudienceCategory.GENERAL_PUBLIC,
                                   intensity=Intensity.INFORM) for n in range(12))  # 12 without a core message
    session.commit()
    response = client.get(f"/plans/{plan.slug}{suffix}")
    assert response.status_code == 200
    if suffix == "":
        page = response.get_data(as_text=True)
        assert "Controles: 0 fouten, 12 waarschuwingen" in text_of(response)
        assert f'<a href="/plans/{plan.slug}/calendar#findings-title">Alle 12 controles, per periode in de kalender</a>' in page


@pytest.mark.parametrize("suffix", ["/calendar", "/checklist", "/channels", "/history", "/trash", "/feeds"])
def test_the_rows_of_a_page_repeat_no_element_id(demo_session, client, suffix):
    """Each row's small forms carry the CSRF token without an id: an id names one element of the page."""
    import re
    from collections import Counter

    response = client.get(f"/plans/{MUNICIPAL_SLUG}{suffix}")
    assert response.status_code == 200
    ids = Counter(re.findall(r'\sid="([^"]+)"', response.get_data(as_text=True)))
    assert [name for name, count in ids.items() if count > 1] == []
