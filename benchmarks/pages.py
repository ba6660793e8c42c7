"""Server time and size of every plan page and calendar view of a generated 5,000-activity plan.

Each page is requested 5 times through the app (logged in, Flask's test client, no network) after one warm-up
request, on SQLite and, when reachable, PostgreSQL (analyzed after the load); the table gives the median,
the HTML size and the SQL statements of the last request. Run: .venv/bin/python benchmarks/pages.py [activities]
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
from machine_speed import reading  # noqa: E402
from planner import migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.domain import feeds  # noqa: E402
from planner.domain.accounts import create_user  # noqa: E402
from planner.domain.plans import find_or_create_organisation  # noqa: E402
from planner.enums import FeedScope, OrganisationKind, Role  # noqa: E402
from tests.factories import build_large_plan  # noqa: E402

PAGES = [
    ("overview", "/plans/{slug}"),
    ("step by step", "/plans/{slug}/start"),
    ("calendar, agenda", "/plans/{slug}/calendar"),
    ("calendar, month", "/plans/{slug}/calendar?view=month&month=2027-05"),
    ("calendar, week", "/plans/{slug}/calendar?view=week&week=2027-05-03"),
    ("calendar, timeline", "/plans/{slug}/calendar?view=timeline"),
    ("audiences", "/plans/{slug}/audiences"),
    ("partners", "/plans/{slug}/partners"),
    ("checklist", "/plans/{slug}/checklist"),
    ("history", "/plans/{slug}/history"),
    ("feeds (manage)", "/plans/{slug}/feeds"),
    ("plan feed, unchanged", "/{feed}"),
    ("regional calendar", "/regions/{region}/calendar?month=2027-04"),
]


def measure(url: str, folder: Path, activities: int) -> list[tuple[str, float, int, int]]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    plan = build_large_plan(session, activities)
    slug = plan.slug
    region = find_or_create_organisation(session, "Regio Groot", OrganisationKind.REGION)
    plan.owner.region = region  # the plan's municipality belongs to a region: the region's calendar shows it
    _, token = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    create_user(session, "bench@planner.example", find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, "een-lang-benchmark-wachtwoord")
    session.commit()
    session.close()
    if engine.dialect.name == "postgresql":
        # Statistics for the query planner, as autovacuum gathers after a bulk load: without this, autovacuum
        # analyzes the new tables while the first pages are measured, on the same two cores. (The planner
        # never analyzes a SQLite database, so neither does this.)
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()

    from planner.web import create_app
    from planner.web.worker import settle
    from tests.conftest import log_in

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder / "instance"),
                      "PLANNER_SECRET_KEY": "bench"})
    settle()  # as planner.gunicorn_conf settles a worker before its first request
    client = app.test_client()
    log_in(client, "bench@planner.example", "een-lang-benchmark-wachtwoord")
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute", lambda *args: statements.append(1))
    results = []
    for name, path in PAGES:
        target = path.format(slug=slug, feed=f"feeds/{token}.ics", region=region.uuid)
        client.get(target)  # warm-up: checks computed and cached, as after any first visit
        timings = []
        for _ in range(5):
            statements.clear()
            began = time.perf_counter()
            response = client.get(target)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, (target, response.status_code)
        results.append((name, statistics.median(timings), len(response.data), len(statements)))
    app.extensions["planner.engine"].dispose()
    return results


def main() -> None:
    warnings.simplefilter("ignore")
    activities = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    traveller = time_machine.travel(dt.datetime(2027, 3, 1, 11, 0, tzinfo=dt.timezone.utc), tick=True)
    traveller.start()
    folder = Path(tempfile.mkdtemp(prefix="planner-pages-"))
    results = {}
    with database_urls(folder) as backends:
        for name, url in backends.items():
            print(f"{name}, before: {reading()}")
            results[name] = measure(url, folder / name, activities)
            print(f"{name}, after: {reading()}")
    names = list(results)
    print(f"{activities:,} activities; median of 5 requests, server time")
    print("| page | " + " | ".join(f"{n} ms" for n in names) + " | HTML KB | SQL statements |")
    print("| --- |" + " --- |" * (len(names) + 2))
    for index, (page, _) in enumerate(PAGES):
        cells = [f"{results[n][index][1] * 1000:.0f}" for n in names]
        first = results[names[0]][index]
        print(f"| {page} | " + " | ".join(cells) + f" | {first[2] / 1024:.0f} | {first[3]} |")


if __name__ == "__main__":
    main()
