"""Keep the benchmark scripts runnable; their figures belong in the README, not in assertions on time."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import check_plan  # noqa: E402


def test_check_benchmark_runs_on_a_small_plan():
    seconds, findings = check_plan.measure(60, repeats=1)
    assert seconds > 0 and findings > 0
