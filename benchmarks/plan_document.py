"""Time and peak memory of the plan document for plans of 100, 1,000 and 5,000 activities.

Measured on the path users take: the generated plan is stored in a SQLite database, and every
measurement opens a fresh session, loads the plan by its slug and builds the document with
`plan_output`, as `planner export` and the web do (loading included). The reference, measured in
the same run: a bare python-docx document holding only a 1,000-row calendar table built the usual
way (`add_row().cells`). The target is that the whole plan document for 1,000 activities takes at
most half of that.
Run: .venv/bin/python benchmarks/plan_document.py
"""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402

from planner.db import Base, make_engine, make_session_factory  # noqa: E402
from planner.domain.documents import plan_output  # noqa: E402
from planner.domain.plans import get_plan, plan_contents  # noqa: E402
from planner.enums import AudienceCategory, ChannelKind, Intensity, OrganisationKind, SchoolRegion  # noqa: E402
from planner.models import (  # noqa: E402
    Activity, Audience, Channel, KeyMessage, Organisation, Partner, Plan,
)

START = dt.date(2027, 1, 1)
TODAY = dt.date(2026, 12, 1)


def generate(activities: int, slug: str = "bench") -> Plan:
    rng = random.Random(11)
    owner = Organisation(name=f"Gemeente {slug}", kind=OrganisationKind.MUNICIPALITY, school_region=SchoolRegion.MIDDLE,
                         primary_colour="#154273", font="Calibri")
    plan = Plan(title="Benchmarkplan", slug=slug, owner=owner, starts_on=START,
                ends_on=START + dt.timedelta(days=364), introduction="Aanleiding " * 40, goal="Doel " * 30,
                strategy="Strategie " * 30, created_at=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
                updated_at=dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))
    plan.partners = [Partner(organisation=Organisation(name=f"Partner {slug} {i}", kind=OrganisationKind.PARTNER),
                             role="Verspreidt berichten.") for i in range(8)]
    plan.audiences = [Audience(name=f"Doelgroep {i}", category=AudienceCategory.GENERAL_PUBLIC,
                               interest=rng.randint(1, 5), influence=rng.randint(1, 5), languages=["nl"],
                               intensity=Intensity.CONSULT)
                      for i in range(12)]
    plan.messages = [KeyMessage(audience=a, title=f"Boodschap {a.name}", body="Tekst " * 60) for a in plan.audiences]
    plan.channels = [Channel(name=f"Middel {i}", kind=ChannelKind.POSTER, lead_time_days=5) for i in range(10)]
    for n in range(activities):
        plan.activities.append(Activity(
            title=f"Activiteit {n}", starts_on=START + dt.timedelta(days=rng.randint(0, 364)),
            channel=plan.channels[n % 10], audiences=rng.sample(plan.audiences, 2), sender=plan.partners[n % 8],
            message=plan.messages[n % 12], exdates=[], recurrence=""))
    return plan


def measure(function, repeats: int = 3) -> tuple[float, float]:
    """Median seconds and peak MiB (peak from a separate traced run)."""
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(timings), peak / 2**20


def bare_table(rows: int) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ("Datum", "Middel", "Doelgroepen", "Afzender", "Boodschap", "Status")):
        cell.text = text
    for n in range(rows):
        cells = table.add_row().cells
        for index, text in enumerate((f"ma {n}", f"Activiteit {n}", "Doelgroep 1, Doelgroep 2", "Partner 1",
                                      "Boodschap", "Gepland")):
            cells[index].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def from_database(factory, slug: str, fmt: str):
    """What `planner export` and the web do: a fresh session, the plan by its slug, the document."""
    def build() -> bytes:
        with factory() as session:
            return plan_output(session, get_plan(session, slug, plan_contents()), fmt, TODAY).data
    return build


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
        Base.metadata.create_all(engine)
        factory = make_session_factory(engine)
        sizes = (100, 1_000, 5_000)
        with factory() as session:
            for size in sizes:
                session.add(generate(size, f"bench-{size}"))
            session.commit()
        print(f"{'activities':>10} {'docx s':>8} {'docx MiB':>9} {'odt s':>8} {'odt MiB':>8}")
        results = {}
        for size in sizes:
            docx_time, docx_peak = measure(from_database(factory, f"bench-{size}", "docx"))
            odt_time, odt_peak = measure(from_database(factory, f"bench-{size}", "odt"))
            results[size] = (docx_time, odt_time)
            print(f"{size:>10} {docx_time:>8.3f} {docx_peak:>9.1f} {odt_time:>8.3f} {odt_peak:>8.1f}")
        bare, bare_peak = measure(lambda: bare_table(1_000))
        print(f"bare python-docx, 1,000-row table with add_row().cells: {bare:.3f} s, {bare_peak:.1f} MiB")
        print(f"whole plan document (1,000, from the database) / bare table: {results[1_000][0] / bare:.2f} "
              "(target at most 0.5)")
        print(f"growth 5,000/1,000: .docx {results[5_000][0] / results[1_000][0]:.1f}, "
              f".odt {results[5_000][1] / results[1_000][1]:.1f} (linear is 5)")


if __name__ == "__main__":
    main()
