"""Server time and SQL statements of the API on a generated 1,000-activity plan.

Lists the plan's activities page by page (100 a page, following the `next` links) and fetches the plan with
everything it holds (`?expand=true`), through the app (Flask's test client, no network, a read key), on
SQLite and, when reachable, PostgreSQL. Each request is made 5 times after one warm-up; the table gives the
median and the SQL statements of the last request. Run: .venv/bin/python benchmarks/api.py [activities]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import time_machine  # noqa: E402
from sqlalchemy import event  # noqa: E402

from backends import database_urls  # noqa: E402
from planner import migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.enums import ApiScope, Role  # noqa: E402
from tests.factories import build_large_plan  # noqa: E402
from tests.web.api.conftest import make_key  # noqa: E402



def measure(url: str, folder: Path, activities: int) -> list[tuple[str, float, int, int]]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    plan = build_large_plan(session, activities)
    plan_id = str(plan.uuid)
    key = make_key(session, plan.owner.name, Role.READER, ApiScope.READ, name="benchmark")
    session.commit()
    session.close()
    engine.dispose()

    from planner.web import create_app

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder / "instance"),
                      "PLANNER_SECRET_KEY": "bench", "PLANNER_API_RATE_LIMIT": "1000000"})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute", lambda *args: statements.append(1))

    def timed(path: str):
        client.get(path, headers=headers)  # warm-up: checks computed and cached, as after any first visit
        timings = []
        for _ in range(5):
            statements.clear()
            began = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, (path, response.status_code)
        return response, statistics.median(timings), len(statements)

    results, pages, counts = [], [], set()
    path, seen = f"/api/v1/plans/{plan_id}/activities?pageSize=100", 0
    while path:
        response, median, count = timed(path)
        body = response.get_json()
        seen += len(body["_embedded"]["activities"])
        pages.append(median)
        counts.add(count)
        path = body["_links"].get("next", {}).get("href", "").replace("http://localhost", "")
    assert seen == activities, seen
    results.append((f"activities, {len(pages)} pages of 100 (median page)", statistics.median(pages), 0,
                    max(counts)))
    results.append((f"activities, all {len(pages)} pages one after another (sum)", sum(pages), 0, max(counts)))
    response, median, count = timed(f"/api/v1/plans/{plan_id}?expand=true")
    results.append(("plan with everything it holds (?expand=true)", median, len(response.data), count))
    response, median, count = timed(f"/api/v1/plans/{plan_id}/activities/"
                                    f"{response.get_json()['_embedded']['activities'][0]['id']}")
    results.append(("one activity", median, len(response.data), count))
    app.extensions["planner.engine"].dispose()
    if len(counts) != 1:
        print(f"warning: pages differ in SQL statements: {sorted(counts)}")
    return results


def main() -> None:
    warnings.simplefilter("ignore")
    activities = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    traveller = time_machine.travel(dt.datetime(2027, 3, 1, 11, 0, tzinfo=dt.timezone.utc), tick=True)
    traveller.start()
    folder = Path(tempfile.mkdtemp(prefix="planner-api-"))
    results = {}
    with database_urls(folder) as backends:
        for name, url in backends.items():
            results[name] = measure(url, folder / name, activities)
    names = list(results)
    print(f"{activities:,} activities; median of 5 requests, server time")
    print("| request | " + " | ".join(f"{n} ms" for n in names) + " | JSON KB | SQL statements |")
    print("| --- |" + " --- |" * (len(names) + 2))
    for index, (request, *_rest) in enumerate(results[names[0]]):
        cells = [f"{results[n][index][1] * 1000:,.0f}" for n in names]
        first = results[names[0]][index]
        size = f"{first[2] / 1024:,.0f}" if first[2] else "-"
        print(f"| {request} | " + " | ".join(cells) + f" | {size} | {first[3]} |")


if __name__ == "__main__":
    main()
