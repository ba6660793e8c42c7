"""Reading plans through the API: camelCase, RFC 3339, paginated with links, problems in Dutch, API-Version."""

import re

import sqlalchemy as sa

from planner.models import Activity
from tests.web.api.conftest import MUNICIPAL_SLUG, REGIONAL_SLUG

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _keys(value, found=None):
    """Every property name in a JSON document."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


def test_plan_with_everything_it_holds_is_camel_case_with_rfc3339_instants(api):
    response = api.get(f"/api/v1/plans/{api.plan_id()}?expand=true")
    assert response.status_code == 200 and response.headers["API-Version"] == "1.0.0"
    body = response.get_json()
    assert body["title"].startswith("Week tegen Kindermishandeling")
    for name in ("partners", "audiences", "messages", "channels", "moments", "embargoes", "activities",
                 "checklistItems", "decisions", "findings"):
        assert name in body["_embedded"], name
    assert all(re.fullmatch(r"_?[a-z][a-zA-Z0-9]*", key) for key in _keys(body)), sorted(_keys(body))
    assert RFC3339.match(body["createdAt"]) and RFC3339.match(body["updatedAt"])
    timed = [a for a in body["_embedded"]["activities"] if a["startTime"]]
    assert timed and RFC3339.match(timed[0]["startsAt"])
    assert timed[0]["startsAt"].startswith(f'{timed[0]["startDate"]}T{timed[0]["startTime"]}')
    assert any(a["productionStartDate"] for a in body["_embedded"]["activities"])
    assert response.headers["ETag"] == '"%d"' % api.session.scalar(
        sa.text("select row_version from plans where slug = :s"), {"s": MUNICIPAL_SLUG})


def test_activities_are_paginated_with_links_that_lead_through_every_page(api):
    seen, url, pages = [], f"/api/v1/plans/{api.plan_id()}/activities?pageSize=5", 0
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [a["id"] for a in body["_embedded"]["activities"]]
        assert 'rel="self"' in response.headers["Link"]
        url = body["_links"].get("next", {}).get("href")
        pages += 1
    total = api.session.scalar(sa.select(sa.func.count()).select_from(Activity).join(Activity.plan).where(
        sa.text("plans.slug = :s")).params(s=MUNICIPAL_SLUG))
    assert len(seen) == len(set(seen)) == total == body["page"]["totalElements"]
    assert pages == body["page"]["totalPages"] > 1


def test_activities_filter_by_period_audience_and_status(api):
    plan = api.get(f"/api/v1/plans/{api.plan_id()}?expand=activities").get_json()
    everything = plan["_embedded"]["activities"]
    day = everything[len(everything) // 2]["startDate"]
    body = api.get(f"/api/v1/plans/{api.plan_id()}/activities?from={day}&to={day}&pageSize=100").get_json()
    assert body["_embedded"]["activities"] and all(day in a["dates"] or a["recurrence"]
                                                   for a in body["_embedded"]["activities"])
    audience = everything[0]["audienceIds"][0]
    body = api.get(f"/api/v1/plans/{api.plan_id()}/activities?audience={audience}&pageSize=100").get_json()
    assert body["_embedded"]["activities"] and all(audience in a["audienceIds"] for a in body["_embedded"]["activities"])
    assert api.get(f"/api/v1/plans/{api.plan_id()}/activities?status=cancelled").get_json()["page"][
        "totalElements"] == sum(1 for a in everything if a["status"] == "cancelled")


def test_errors_are_problems_in_dutch_unless_english_is_asked(api):
    response = api.get(f"/api/v1/plans/{api.plan_id()}/activities?from=gisteren&pageSize=0")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422 and problem["title"] == "Ongeldige invoer"
    assert {p["name"] for p in problem["invalidParams"]} == {"from", "pageSize"}
    assert "Geen geldige datum." in [p["reason"] for p in problem["invalidParams"]]
    english = api.get("/api/v1/plans/00000000-0000-0000-0000-000000000000", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and english.get_json()["title"] == "Not found"
    assert english.headers["API-Version"] == "1.0.0" and english.headers["Content-Language"] == "en"
    dutch = api.get("/api/v1/niets")
    assert dutch.status_code == 404 and dutch.get_json()["title"] == "Niet gevonden"
    assert dutch.get_json()["detail"]


def test_no_key_or_a_wrong_key_is_401_with_a_bearer_challenge(api):
    for key in (None, "pln_not-a-key", "something else"):
        response = api.get("/api/v1/plans", key=key)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["title"] == "Niet geauthenticeerd"


def test_another_organisations_key_sees_404_as_if_the_plan_did_not_exist(api):
    plan_id = api.plan_id()
    assert api.get(f"/api/v1/plans/{plan_id}", key="elsewhere").status_code == 404
    assert api.get(f"/api/v1/plans/{plan_id}/activities", key="elsewhere").status_code == 404
    listed = api.get("/api/v1/plans", key="elsewhere").get_json()["_embedded"]["plans"]
    assert [p["title"] for p in listed] == ["Plan elders"]


def test_keys_see_what_people_in_their_role_see(api):
    def titles(key):
        return sorted(p["slug"] for p in api.get("/api/v1/plans", key=key).get_json()["_embedded"]["plans"])

    assert titles("reader") == titles("advisor") == sorted([MUNICIPAL_SLUG, REGIONAL_SLUG])
    assert titles("coordinator") == sorted([MUNICIPAL_SLUG, REGIONAL_SLUG])
    summaries = api.get("/api/v1/plan-summaries", key="coordinator").get_json()["_embedded"]["planSummaries"]
    assert len(summaries) == 2 and all("progress" in s for s in summaries)


def test_findings_follow_accept_language(api):
    path = f"/api/v1/plans/{api.plan_id(REGIONAL_SLUG)}/findings"
    dutch = api.get(path).get_json()["_embedded"]["findings"]
    english = api.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"}).get_json()["_embedded"]["findings"]
    assert len(dutch) == len(english) > 0 and dutch[0]["message"] != english[0]["message"]


def test_a_session_cookie_does_not_authenticate_the_api(app, client, api_world):
    response = client.get("/api/v1/plans")  # `client` is logged in as an administrator
    assert response.status_code == 401
