"""Time the header search on 50,000 activities, on SQLite and, when reachable, PostgreSQL.

The activities (50 plans of 1,000, with audiences, core messages, channels and partners) are written through
the ORM, so the flush listener fills the search index as the planner does. Each query is run as the domain
function the results page calls (one SQL statement), 7 times after one warm-up; the table gives the median.
The database is analyzed after the load (PostgreSQL's autovacuum does so by itself after a bulk load; without
statistics its planner may scan a plan's documents instead of the GIN index).

Run: .venv/bin/python benchmarks/search.py [activities]
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from backends import database_urls  # noqa: E402
from planner import migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.domain.accounts import create_user  # noqa: E402
from planner.domain.plans import create_plan, find_or_create_organisation  # noqa: E402
from planner.domain.search import search  # noqa: E402
from planner.enums import AudienceCategory, ChannelKind, OrganisationKind, Role  # noqa: E402
from planner.models import Activity, Audience, Channel, KeyMessage, Partner, SearchDocument, User  # noqa: E402

PER_PLAN = 1_000
REPEATS = 7
WHAT = ["Gastles", "Brief", "Nieuwsbrief", "Poster", "Persbericht", "Informatieavond", "Workshop", "Folder",
        "Bericht op sociale media", "Advertentie", "Training", "Presentatie", "Spreekuur", "Open dag"]
WHERE = ["op de basisschool", "voor alle scholen", "in de bibliotheek", "bij de sportclub", "in het wijkcentrum",
         "voor ouders", "voor leerkrachten", "in de huisartsenpraktijk", "bij het consultatiebureau",
         "in de gemeentegids", "voor jongerenwerkers", "op de markt", "in het buurthuis", "voor mantelzorgers"]
TOPIC = ["over kindermishandeling", "over huiselijk geweld", "over de meldcode", "over ouderenmishandeling",
         "over veilig opgroeien", "over financiële zorgen", "over eenzaamheid", "over pesten"]
SENTENCES = ["We nodigen de partners tijdig uit.", "De tekst wordt afgestemd met de wijkteams.",
             "Let op de schoolvakanties in de regio.", "Vertalingen in het Arabisch en Turks volgen.",
             "Drukwerk bestellen bij de vaste leverancier.", "Evaluatie na afloop met de GGD."]
# (label, text, as whom)
QUERIES = [
    ("one common word, stemmed (\"scholen\")", "scholen", "administrator"),
    ("two words (\"ouders meldcode\")", "ouders meldcode", "administrator"),
    ("a prefix while typing (\"kindermis\")", "kindermis", "administrator"),
    ("a rare word (\"mantelzorgers eenzaamheid\")", "mantelzorgers eenzaamheid", "administrator"),
    ("nothing found (\"zebrapad\")", "zebrapad", "administrator"),
    ("\"scholen\" as an advisor (one municipality's plans)", "scholen", "advisor"),
]


def build(url: str, activities: int) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    rng = random.Random(11)
    region = find_or_create_organisation(session, "Regio Zoek", OrganisationKind.REGION)
    plans = max(1, activities // PER_PLAN)
    for n in range(plans):
        owner = find_or_create_organisation(session, f"Gemeente {n}", OrganisationKind.MUNICIPALITY)
        owner.region = region
        plan = create_plan(session, title=f"Samen Veilig {n} {rng.choice(TOPIC)}", owner=owner,
                           starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 12, 17))
        plan.audiences = [Audience(name=f"{rng.choice(WHERE)[4:].capitalize()} {i}",
                                   category=AudienceCategory.GENERAL_PUBLIC) for i in range(10)]
        plan.messages = [KeyMessage(audience=a, title=f"Boodschap {a.name}", body=rng.choice(SENTENCES))
                         for a in plan.audiences]
        plan.channels = [Channel(name=f"{what} {i}", kind=ChannelKind.POSTER, lead_time_days=5)
                         for i, what in enumerate(WHAT[:8])]
        plan.partners = [Partner(organisation=find_or_create_organisation(session, f"Partner {n}-{i}"),
                                 role=rng.choice(WHERE)) for i in range(5)]
        for a in range(min(PER_PLAN, activities - n * PER_PLAN)):
            plan.activities.append(Activity(
                title=f"{rng.choice(WHAT)} {rng.choice(WHERE)} {rng.choice(TOPIC)}",
                description=" ".join(rng.sample(SENTENCES, 2)), owner_name=f"Adviseur {a % 7}",
                starts_on=dt.date(2027, 1, 4) + dt.timedelta(days=rng.randint(0, 340)),
                channel=plan.channels[a % 8], message=plan.messages[a % 10]))
        session.commit()
    create_user(session, "beheer@zoek.example", region, Role.ADMINISTRATOR, "een-lang-bench-wachtwoord")
    create_user(session, "adviseur@zoek.example", find_or_create_organisation(session, "Gemeente 0"), Role.ADVISOR,
                "een-lang-bench-wachtwoord")
    session.commit()
    session.close()
    with engine.begin() as connection:  # statistics for the query planner, as autovacuum gathers after a bulk load
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def measure(url: str, activities: int, repeats: int = REPEATS) -> dict[str, tuple[float, int]]:
    """Build the data at `url` and time each query: {label: (median seconds, results shown)}."""
    build(url, activities)
    engine = make_engine(url)
    session = make_session_factory(engine)()
    users = {"administrator": session.scalar(sa.select(User).where(User.email == "beheer@zoek.example")),
             "advisor": session.scalar(sa.select(User).where(User.email == "adviseur@zoek.example"))}
    results = {}
    for label, text, role in QUERIES:
        found = search(session, users[role], text)  # warm-up
        timings = []
        for _ in range(repeats):
            began = time.perf_counter()
            search(session, users[role], text)
            timings.append(time.perf_counter() - began)
        results[label] = (statistics.median(timings), sum(group.total for group in found))
    results["documents"] = (0.0, session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)))
    if engine.dialect.name == "postgresql":
        plan = session.execute(sa.text(
            "EXPLAIN SELECT id FROM search_documents WHERE search_vector @@ to_tsquery('dutch', 'zebrapad')"
        )).scalars().all()
        results["uses the GIN index"] = (0.0, int(any("ix_search_documents_fts" in line for line in plan)))
    session.close()
    engine.dispose()
    return results


def main() -> None:
    warnings.simplefilter("ignore")
    activities = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    folder = Path(tempfile.mkdtemp(prefix="planner-search-"))
    results = {}
    with database_urls(folder) as backends:
        for name, url in backends.items():
            began = time.perf_counter()
            results[name] = measure(url, activities)
            print(f"{name}: built and measured in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    names = list(results)
    print(f"{activities:,} activities, {results[names[0]]['documents'][1]:,} search documents; "
          f"median of {REPEATS} queries")
    print("| query | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for label, _, _ in QUERIES:
        cells = [f"{results[n][label][0] * 1000:.1f} ms ({results[n][label][1]:,} found)" for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    if "PostgreSQL" in results:
        print(f"PostgreSQL plan uses the GIN index: {bool(results['PostgreSQL']['uses the GIN index'][1])}")


if __name__ == "__main__":
    main()
