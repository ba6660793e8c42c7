"""Who may do what through the API: every route, as a key in every role, without a key, and as another
organisation's key (404, as if the plan did not exist) — the same answers as the web walk."""

import re

import pytest

from tests.web.api.conftest import MUNICIPAL_SLUG

# key name -> expected status for (a read of the municipal plan, a change of it)
KEYS = {
    None: (401, 401),
    "reader": (200, 403),
    "advisor-read": (200, 403),
    "coordinator": (200, 403),
    "advisor": (200, None),  # None: allowed, the route's own answer (201, 200, 204, 412 or 422)
    "elsewhere": (404, 404),
}
FAKE = "00000000-0000-0000-0000-000000000000"


def _routes(app):
    """Every API route: (method, path template, endpoint)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule, rule.endpoint


def _fill(template: str, plan_id: str, rows: dict) -> str:
    def value(match):
        name = match.group(1)
        return plan_id if name == "plan_id" else rows.get(name, FAKE)

    return re.sub(r"<(?:uuid:)?(\w+)>", value, template)


def test_every_api_route_answers_every_key_as_the_web_guard_does(app, api):
    plan = api.get(f"/api/v1/plans/{api.plan_id()}?expand=true").get_json()["_embedded"]
    rows = {"activity_id": plan["activities"][0]["id"], "moment_id": plan["moments"][0]["id"],
            "audience_id": plan["audiences"][0]["id"], "item_id": plan["checklistItems"][0]["id"]}
    routes = list(_routes(app))
    assert len(routes) >= 25
    for method, template, endpoint in routes:
        path = _fill(template, api.plan_id(MUNICIPAL_SLUG), rows)
        for key, (read, change) in KEYS.items():
            if method == "DELETE" and key == "advisor":
                continue  # deleting would change what the other keys see; test_writes deletes
            response = api.client.open(path, method=method, json={} if method in ("POST", "PUT", "PATCH") else None,
                                       headers={**({"Authorization": f"Bearer {api.keys[key]}"} if key else {}),
                                                "If-Match": '"0"'})
            expected = read if method == "GET" else change
            if "<uuid:plan_id>" not in template and key == "elsewhere":
                expected = 200  # the collections of all plans list only the key's own
            if expected is None:
                assert response.status_code in (201, 200, 204, 412, 422), (method, path, key, response.status_code)
            else:
                assert response.status_code == expected, (method, path, key, response.status_code)
            assert response.headers["API-Version"] == "1.0.0"


@pytest.mark.parametrize("key", ["reader", "coordinator", "advisor"])
def test_a_key_sees_the_plans_a_person_in_its_role_sees_on_the_dashboard(app, api, key):
    from planner.domain import access
    from planner.domain.plans import list_plans
    from tests.web.api.conftest import KEYS as SPECS

    organisation, role, _scope = SPECS[key]
    from planner.domain.plans import find_or_create_organisation

    class Person:
        pass

    person = Person()
    person.role, person.organisation = role, find_or_create_organisation(api.session, organisation)
    person.organisation_id = person.organisation.id
    expected = sorted(str(p.uuid) for p in list_plans(api.session) if access.can_read(person, p))
    listed = api.get("/api/v1/plans?pageSize=100", key=key).get_json()["_embedded"]["plans"]
    assert sorted(p["id"] for p in listed) == expected
