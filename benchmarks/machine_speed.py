"""How fast this machine is right now: a fixed CPU-bound loop, timed again and again.

The figures of the other benchmarks are only as steady as the machine. On the 2-core development machine the
same loop took from 104 ms to 534 ms within one hour on 1 December 2026 (see README *Performance*): run this
beside a benchmark to tell a slower machine from slower code.
Run: .venv/bin/python benchmarks/machine_speed.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time

ADDITIONS = 3_000_000


def loop_times(rounds: int, additions: int = ADDITIONS) -> list[float]:
    """Seconds of each of `rounds` runs of the same loop of `additions` integer additions."""
    times = []
    for _ in range(rounds):
        began, total = time.perf_counter(), 0
        for number in range(additions):
            total += number
        times.append(time.perf_counter() - began)
    return times


def reading(rounds: int = 5) -> str:
    """A short line on the machine's speed now, for a benchmark to print before and after its figures."""
    times = loop_times(rounds)
    return (f"machine speed: {ADDITIONS:,} additions take {statistics.median(times) * 1000:.0f} ms "
            f"(median of {rounds}; fastest {min(times) * 1000:.0f} ms)")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    times = loop_times(rounds)
    print(" ".join(f"{t * 1000:.0f}" for t in times))
    print(f"{ADDITIONS:,} additions, {rounds} rounds: fastest {min(times) * 1000:.0f} ms, median "
          f"{statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
          f"({max(times) / min(times):.2f} times the fastest)")


if __name__ == "__main__":
    main()
