"""The API does a fixed number of SQL statements per request, however many activities the plan has."""

import pytest
from sqlalchemy import event

from planner.enums import ApiScope, Role
from tests.factories import build_large_plan
from tests.web.api.conftest import make_key

REQUESTS = ["/api/v1/plans/{id}/activities?page=2&pageSize=100",
            "/api/v1/plans/{id}/activities?from=2027-03-01&to=2027-03-31", "/api/v1/plans/{id}?expand=true",
            "/api/v1/plans/{id}/findings", "/api/v1/plans/{id}/checklist-items", "/api/v1/plans/{id}/audiences",
            "/api/v1/plans", "/api/v1/plan-summaries", "/api/v1/plans/{id}/activities?pageSize=100"]


@pytest.mark.today("2027-03-01")
def test_every_read_does_as_many_statements_for_a_big_plan_as_for_a_small_one(session, app):
    plans = {size: build_large_plan(session, size, title=f"Groot plan {size}") for size in (250, 1000)}
    owner = plans[250].owner.name
    key = make_key(session, owner, Role.READER, ApiScope.READ)
    session.commit()
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    client = app.test_client()
    counts = {}
    for size, plan in plans.items():
        for path in REQUESTS:
            client.get(path.format(id=plan.uuid), headers={"Authorization": f"Bearer {key}"})  # warm the caches
            statements.clear()
            response = client.get(path.format(id=plan.uuid), headers={"Authorization": f"Bearer {key}"})
            assert response.status_code == 200, (path, response.get_json())
            counts[(path, size)] = len(statements)
    for path in REQUESTS:
        assert counts[(path, 250)] == counts[(path, 1000)], (path, counts[(path, 250)], counts[(path, 1000)])
    assert counts[("/api/v1/plans/{id}/activities?pageSize=100", 1000)] <= 15  # key, plan and its small collections, count, page
