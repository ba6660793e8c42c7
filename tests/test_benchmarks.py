"""Keep the benchmark scripts runnable; their figures belong in the README, not in assertions on time."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import check_plan  # noqa: E402
import pdf  # noqa: E402

from tests.exporters.test_documents import needs_libreoffice  # noqa: E402


def test_check_benchmark_runs_on_a_small_plan():
    seconds, findings = check_plan.measure(60, repeats=1)
    assert seconds > 0 and findings > 0


@needs_libreoffice
def test_pdf_benchmark_runs(tmp_path):
    results = pdf.measure(tmp_path, repeats=1)
    assert len(results) == 6 and all(seconds > 0 for seconds in results.values())  # and no second conversion


def test_search_benchmark_runs_on_a_small_index(tmp_path):
    import search

    results = search.measure(f"sqlite:///{tmp_path / 'search.sqlite'}", 300, repeats=1)
    found = {label: count for label, (_, count) in results.items()}
    assert all(seconds > 0 for label, (seconds, _) in results.items() if label != "documents")
    assert found[search.QUERIES[0][0]] > 0 and found["nothing found (\"zebrapad\")"] == 0
    assert found["documents"] > 300  # the activities and the plan, its audiences, messages, channels, partners


def test_cli_start_benchmark_runs_once():
    import cli_start

    from planner.domain.demo import REGIONAL_SLUG
    from tests.helpers import child_env

    assert cli_start.DEMO_SLUG == REGIONAL_SLUG

    figures = cli_start.measure(repeats=1, env=child_env())
    assert list(figures) == ["python -c pass", "planner --help", f"planner check {cli_start.DEMO_SLUG}"]
    assert all(seconds > 0 for seconds in figures.values())


def test_machine_speed_times_each_round():
    import machine_speed

    times = machine_speed.loop_times(3, additions=1_000)
    assert len(times) == 3 and all(0 < seconds < 1 for seconds in times)
    assert machine_speed.reading(1).startswith("machine speed: 3,000,000 additions take ")
