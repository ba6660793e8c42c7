"""Time the coordinator's overview for 25 plans of 300 activities and count its SQL statements.

Run: .venv/bin/python benchmarks/overview.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from planner import migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.domain.overview import Filters, overview  # noqa: E402
from planner.domain.plans import create_plan, find_or_create_organisation  # noqa: E402
from planner.enums import AudienceCategory, ChannelKind, OrganisationKind  # noqa: E402
from planner.models import Activity, Audience, Channel, KeyMessage, Organisation  # noqa: E402

TODAY = dt.date(2027, 2, 1)


def build(url: str, plans: int = 25, activities: int = 300) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    rng = random.Random(5)
    region = find_or_create_organisation(session, "Regio Bench", OrganisationKind.REGION)
    for n in range(plans):
        owner = find_or_create_organisation(session, f"Gemeente {n}", OrganisationKind.MUNICIPALITY)
        owner.region = region
        plan = create_plan(session, title=f"Plan {n}", owner=owner, starts_on=dt.date(2026, 9, 1),
                           ends_on=dt.date(2027, 8, 31))
        plan.audiences = [Audience(name=f"Doelgroep {i}", category=AudienceCategory.GENERAL_PUBLIC) for i in range(8)]
        plan.messages = [KeyMessage(audience=a, title=f"B {a.name}", body="...") for a in plan.audiences]
        plan.channels = [Channel(name=f"Middel {i}", kind=ChannelKind.POSTER, lead_time_days=5) for i in range(6)]
        for a in range(activities):
            plan.activities.append(Activity(
                title=f"Activiteit {a}", starts_on=dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 360)),
                audiences=rng.sample(plan.audiences, 2), channel=plan.channels[a % 6], message=plan.messages[a % 8]))
        session.flush()
    session.commit()
    session.close()
    engine.dispose()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="planner-overview-"))
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    build(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    timings = []
    for _ in range(5):
        session = factory()
        region = session.scalar(sa.select(Organisation).where(Organisation.name == "Regio Bench"))
        statements.clear()
        began = time.perf_counter()
        summaries = overview(session, TODAY, Filters(region=region))
        timings.append(time.perf_counter() - began)
        count = len(statements)
        session.close()
    print(f"25 plans x 300 activities: {statistics.median(timings) * 1000:.0f} ms median, {count} SQL statements, "
          f"{len(summaries)} plans, {sum(s.warnings for s in summaries)} warnings found")
    engine.dispose()
    print(web_overview(url, folder))


def web_overview(url: str, folder: Path) -> str:
    """The same overview as a coordinator's browser asks for it: /overview, logged in, through the app."""
    from planner.domain.accounts import create_user
    from planner.enums import Role
    from planner.web import create_app
    from tests.conftest import log_in

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        region = session.scalar(sa.select(Organisation).where(Organisation.name == "Regio Bench"))
        create_user(session, "coordinator@bench.example", region, Role.COORDINATOR, "een-lang-benchmark-wachtwoord")
        region_id = str(region.uuid)
        session.commit()
    engine.dispose()
    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder / "instance"),
                      "PLANNER_SECRET_KEY": "bench"})
    client = app.test_client()
    log_in(client, "coordinator@bench.example", "een-lang-benchmark-wachtwoord")
    statements = []
    sa.event.listen(app.extensions["planner.engine"], "before_cursor_execute", lambda *args: statements.append(1))

    def visit() -> tuple[float, int]:
        statements.clear()
        began = time.perf_counter()
        assert client.get(f"/overview?region={region_id}").status_code == 200
        return time.perf_counter() - began, len(statements)

    first, first_statements = visit()  # nothing kept yet: every plan is loaded and checked
    repeated = [visit() for _ in range(5)]
    edited = []
    for n in range(5):  # one activity of one plan changed before each visit
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            activity = session.scalar(sa.select(Activity).order_by(Activity.id).offset(n))
            activity.title = f"Gewijzigd {n}"
            session.commit()
        engine.dispose()
        edited.append(visit())
    return (f"the page /overview for the region, logged in as its coordinator: first visit {first * 1000:.0f} ms "
            f"({first_statements} SQL statements), again {statistics.median(t for t, _ in repeated) * 1000:.0f} ms "
            f"({repeated[-1][1]} statements), after an edit of one plan "
            f"{statistics.median(t for t, _ in edited) * 1000:.0f} ms ({edited[-1][1]} statements) (medians of 5)")


if __name__ == "__main__":
    main()
