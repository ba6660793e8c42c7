"""The feed targets that concern building, in one run, through the app in this process (Flask's test client,
a warm worker: the app started, settled as planner.gunicorn_conf settles a worker, and one page served):

(a) the first fetch of a 1,000-activity plan feed, nothing built before (cold: every event serialized), on a
    worker that has served one page, and on one that has also served another plan's feed;
(b) the fetch after editing one activity of a 5,000-activity plan (only that activity's events change), of the
    plan's feed and of its region's feed;
(c) a client polling every 35 s for 10 minutes without edits: how many times the feed was built;
(d) a link revoked while a 5,000-activity feed is being built: how long until it answers 404.

Run: .venv/bin/python benchmarks/feed_updates.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import time_machine  # noqa: E402

from planner import clock, migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.domain import feeds, region_feeds  # noqa: E402
from planner.domain.plans import find_or_create_organisation  # noqa: E402
from planner.domain.regional_calendar import RegionFilters  # noqa: E402
from planner.enums import FeedScope, OrganisationKind  # noqa: E402
from planner.models import Activity, Subscription  # noqa: E402
from tests.factories import build_large_plan  # noqa: E402


def database(folder: Path, activities: int, region: bool = False) -> tuple[str, str, int]:
    """A database with one generated plan and one feed link: of the plan, or (`region`) of the region that the
    plan's municipality belongs to."""
    name = f"feeds-{activities}{'-region' if region else ''}.sqlite"
    url = f"sqlite:///{folder / name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    plan = build_large_plan(session, activities)
    if region:
        plan.owner.region = find_or_create_organisation(session, "Regio Groot", OrganisationKind.REGION)
        subscription, token = region_feeds.create_subscription(session, plan.owner.region, "Regio", RegionFilters())
    else:
        subscription, token = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
    session.commit()
    result = url, f"/feeds/{token}.ics", subscription.id
    session.close()
    engine.dispose()
    return result


def app_for(url: str, folder: Path):
    """The app as a gunicorn worker has it when it takes its first request (after planner.gunicorn_conf's
    post_worker_init)."""
    from planner.web import create_app
    from planner.web.worker import settle

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder),
                      "PLANNER_SECRET_KEY": "bench"})
    settle()
    return app


def timed_get(client, path: str) -> tuple[float, int]:
    began = time.perf_counter()
    response = client.get(path)
    return time.perf_counter() - began, response.status_code


def other_plans_feed(url: str) -> str:
    """The feed of a small plan beside the measured one: a worker that has served it has its feed statements
    compiled (SQLAlchemy keeps them per worker), and no event of the measured plan."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        _, token = feeds.create_subscription(session, build_large_plan(session, 20), "Alles", FeedScope.PLAN)
        session.commit()
    engine.dispose()
    return f"/feeds/{token}.ics"


def cold_fetch(folder: Path, repeats: int = 5) -> tuple[float, float]:
    """The first fetch of the 1,000-activity feed, nothing built before: on a worker that has served one page,
    and on a worker that has served another plan's feed (median seconds of each)."""
    url, path, _ = database(folder, 1_000)
    other = other_plans_feed(url)
    timings: dict[bool, list[float]] = {False: [], True: []}
    for n in range(repeats):
        for served_a_feed in (False, True):
            app = app_for(url, folder / f"cold-{n}-{served_a_feed}")  # a fresh feed store: nothing built before
            client = app.test_client()
            client.get("/login")  # warm worker: the app has served a request
            if served_a_feed:
                assert client.get(other).status_code == 200
            seconds, status = timed_get(client, path)
            assert status == 200
            timings[served_a_feed].append(seconds)
            app.extensions["planner.engine"].dispose()
    return statistics.median(timings[False]), statistics.median(timings[True])


def fetch_after_edit(folder: Path, repeats: int = 5, region: bool = False) -> float:
    url, path, _ = database(folder, 5_000, region)
    app = app_for(url, folder / f"edit{'-region' if region else ''}")
    client = app.test_client()
    app.extensions["planner.feed_cache"].recheck_seconds = 0  # ask the database every time
    assert client.get(path).status_code == 200  # the feed as it was
    engine = make_engine(url)
    factory = make_session_factory(engine)
    timings = []
    for n in range(repeats):
        with factory() as session:
            activity = session.get(Activity, 100 + n)
            activity.title = f"Gewijzigd {n}"
            session.commit()
        seconds, status = timed_get(client, path)
        assert status == 200
        timings.append(seconds)
    engine.dispose()
    app.extensions["planner.engine"].dispose()
    return statistics.median(timings)


def builds_while_polling(folder: Path, traveller) -> int:
    url, path, subscription_id = database(folder, 1_000)
    app = app_for(url, folder / "poll")
    client = app.test_client()
    folder = app.extensions["planner.feed_store"].directory
    written = set()  # every feed file written, by name and time: a build writes one
    for _ in range(18):  # every 35 s for 10 minutes
        assert client.get(path).status_code in (200, 304)
        written |= {(f.name, f.stat().st_mtime_ns) for f in folder.glob(f"{subscription_id}-*.ics")}
        traveller.shift(dt.timedelta(seconds=35))
    return len(written) - 1  # the first fetch builds the feed once


def revoked_during_build(folder: Path) -> float:
    url, path, subscription_id = database(folder, 5_000)
    app = app_for(url, folder / "revoke")
    checker = app.test_client()
    assert checker.get(path).status_code == 200  # built and cached
    engine = make_engine(url)
    with make_session_factory(engine)() as session:  # an edit: the next fetch after the recheck rebuilds
        session.get(Activity, 1).title = "Gewijzigd"
        session.commit()
    time.sleep(2.1)
    builder = threading.Thread(target=lambda: app.test_client().get(path))
    builder.start()
    time.sleep(0.2)  # the build has begun
    with make_session_factory(engine)() as session:
        session.get(Subscription, subscription_id).revoked_at = clock.now()
        session.commit()
    revoked = time.perf_counter()
    while checker.get(path).status_code != 404:
        time.sleep(0.05)
    seconds = time.perf_counter() - revoked
    builder.join()
    engine.dispose()
    return seconds


def main() -> None:
    from machine_speed import reading

    warnings.simplefilter("ignore")
    print(reading())
    traveller = time_machine.travel(dt.datetime(2027, 3, 1, 11, 0, tzinfo=dt.timezone.utc), tick=True).start()
    folder = Path(tempfile.mkdtemp(prefix="planner-feeds-"))
    first_request, after_a_feed = cold_fetch(folder)
    print(f"(a) first fetch, 1,000 activities, nothing built before: {first_request * 1000:.0f} ms on a worker that "
          f"has served a page, {after_a_feed * 1000:.0f} ms on one that has served another plan's feed (medians of 5)")
    print(f"(b) fetch after editing one activity of 5,000: {fetch_after_edit(folder) * 1000:.0f} ms (median of 5)")
    print(f"(b') the same for the feed of the region that the plan belongs to: "
          f"{fetch_after_edit(folder, region=True) * 1000:.0f} ms (median of 5)")
    print(f"(c) builds while polling every 35 s for 10 minutes: {builds_while_polling(folder, traveller)}")
    print(f"(d) a link revoked during a 5,000-activity build answers 404 after {revoked_during_build(folder):.2f} s")
    print(reading())


if __name__ == "__main__":
    main()
