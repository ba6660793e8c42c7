"""Time the start of the `planner` command: `python -c pass`, `planner --help` and `planner check` on the demo.

Each is run in fresh processes (median of 5, after one run not timed), in one run, on a temporary SQLite
database with the demo loaded; the machine's speed is read before and after (benchmarks/machine_speed.py).
Run: .venv/bin/python benchmarks/cli_start.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the 24-activity regional demo plan (planner.domain.demo.REGIONAL_SLUG), not imported: this process stays light
DEMO_SLUG = "introductie-veilig-thuis-regio-arnhem-achterhoek"


def planner_command() -> list[str]:
    """The installed console script beside this Python, else `python -m planner.cli`."""
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner.cli"]


def median_seconds(command: list[str], env: dict, repeats: int) -> float:
    """The median wall time of `command` in `repeats` fresh processes (exit status 0 or 1 accepted), after one
    run that is not timed (it leaves the modules' bytecode, as pip leaves it for an installed package)."""
    times = []
    for run in range(repeats + 1):
        started = time.perf_counter()
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.decode()}")
        if run:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(repeats: int = 5, env: dict | None = None) -> dict[str, float]:
    """Median seconds of `python -c pass`, `planner --help` and `planner check DEMO_SLUG`."""
    folder = Path(tempfile.mkdtemp(prefix="planner-cli-start-"))
    env = {**(env or os.environ), "PLANNER_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}",
           "PLANNER_INSTANCE_PATH": str(folder / "instance")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # set on some machines: every start would compile every module
    planner = planner_command()
    try:
        for setup in (["db", "upgrade"], ["demo"]):
            subprocess.run([*planner, *setup], env=env, check=True, capture_output=True)
        return {
            "python -c pass": median_seconds([sys.executable, "-c", "pass"], env, repeats),
            "planner --help": median_seconds([*planner, "--help"], env, repeats),
            f"planner check {DEMO_SLUG}": median_seconds([*planner, "check", DEMO_SLUG], env, repeats),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    from machine_speed import reading

    print(reading())
    figures = measure()
    for label, seconds in figures.items():
        print(f"{label:<70} {seconds * 1000:7.0f} ms")
    python, help_, check = figures.values()
    print(f"planner --help takes {help_ / python:.1f} times python -c pass (target: at most 3); "
          f"planner check {check:.2f} s (target: at most 0.5 s)")
    print(reading())


if __name__ == "__main__":
    main()
