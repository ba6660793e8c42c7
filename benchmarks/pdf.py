"""Time PDFs of the demo plan: through the long-lived LibreOffice worker, one-shot, and from the cache.

Measured in one run, medians of 3 (5 for the cached download):
- a fresh PDF of the demo plan through the worker (document built, converted by the running LibreOffice);
- the same with a cold one-shot `soffice --convert-to` (what every download cost before the worker);
- a bare one-table .odt (one table with a row per activity of the demo plan, nothing else) converted one-shot
  by LibreOffice, and through the worker: the reference for "at most 2x";
- the second download of the unchanged plan through the web app (Flask test client, logged in).
Run: .venv/bin/python benchmarks/pdf.py
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odf.opendocument import OpenDocumentText  # noqa: E402
from odf.table import Table, TableCell, TableColumn, TableRow  # noqa: E402
from odf.text import P  # noqa: E402

from planner import clock  # noqa: E402
from planner.db import Base, make_engine, make_session_factory  # noqa: E402
from planner.domain.demo import MUNICIPAL_SLUG, load_demo  # noqa: E402
from planner.domain.documents import plan_output  # noqa: E402
from planner.domain.plans import get_plan  # noqa: E402
from planner.exporters.pdf import convert_to_pdf  # noqa: E402
from planner.exporters.pdf_worker import LibreOfficeWorker  # noqa: E402


def median_seconds(function, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def bare_table(rows: int) -> bytes:
    document = OpenDocumentText()
    table = Table(name="Kalender")
    table.addElement(TableColumn(numbercolumnsrepeated=6))
    for n in range(rows + 1):
        row = TableRow()
        for text in ("Datum", "Middel", "Doelgroepen", "Afzender", "Boodschap", "Status") if n == 0 else (
                f"ma {n}", f"Activiteit {n}", "Doelgroep 1, Doelgroep 2", "Partner 1", "Boodschap", "Gepland"):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def web_client(folder: Path, url: str):
    from planner.domain.accounts import create_user
    from planner.domain.plans import find_or_create_organisation
    from planner.enums import OrganisationKind, Role
    from planner.web import create_app

    app = create_app({"TESTING": True, "PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder / "instance"),
                      "PLANNER_SECRET_KEY": "benchmark"})
    session = make_session_factory(app.extensions["planner.engine"])()
    create_user(session, "beheer@bench.example", find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, "een-lang-benchmark-wachtwoord")
    session.commit()
    session.close()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": "beheer@bench.example",
                                "password": "een-lang-benchmark-wachtwoord"})
    return app, client


def measure(folder: Path, repeats: int = 3) -> dict[str, float]:
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = make_session_factory(engine)()
    load_demo(session)
    session.commit()
    plan = get_plan(session, MUNICIPAL_SLUG)
    worker = LibreOfficeWorker(folder / "libreoffice")
    bare = bare_table(len(plan.activities))
    app, client = web_client(folder, url)
    try:
        worker.convert(bare, ".odt")  # start the worker: its start-up is paid once per server, not per PDF
        results = {
            "fresh demo PDF, worker": median_seconds(
                lambda: plan_output(session, plan, "pdf", clock.today(), worker.convert), repeats),
            "fresh demo PDF, one-shot soffice": median_seconds(
                lambda: plan_output(session, plan, "pdf", clock.today(), convert_to_pdf), repeats),
            "bare one-table .odt, one-shot soffice": median_seconds(lambda: convert_to_pdf(bare, ".odt"), repeats),
            "bare one-table .odt, worker": median_seconds(lambda: worker.convert(bare, ".odt"), repeats),
        }
        path = f"/plans/{MUNICIPAL_SLUG}/document.pdf"
        results["first web download (worker starts)"] = median_seconds(lambda: client.get(path), 1)
        results["second web download (cached)"] = median_seconds(lambda: client.get(path), 5)
        assert app.extensions["planner.pdf"].conversions == 1, "the cached downloads converted again"
    finally:
        worker.stop()
        app.extensions["planner.pdf"].stop()
        session.close()
        engine.dispose()
        app.extensions["planner.engine"].dispose()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planner-bench-pdf-") as folder:
        results = measure(Path(folder))
    for name, seconds in results.items():
        print(f"{name:<40} {seconds * 1000:>8.0f} ms")
    ratio = results["fresh demo PDF, worker"] / results["bare one-table .odt, one-shot soffice"]
    print(f"fresh demo PDF (worker) / bare one-table document (one-shot): {ratio:.2f} (target at most 2)")
    print(f"second download: {results['second web download (cached)'] * 1000:.1f} ms (target at most 50 ms)")


if __name__ == "__main__":
    main()
