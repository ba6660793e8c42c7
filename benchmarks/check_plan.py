"""Time the calendar checks on generated plans of 2,000, 4,000 and 8,000 activities.

The plan has 50 audiences and 40 moments; every activity reaches three audiences, half use a
channel with a lead time, a tenth are anchored, a twentieth repeat weekly, and every audience
has an embargo. Run: .venv/bin/python benchmarks/check_plan.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.domain.anchoring import apply_anchor  # noqa: E402
from planner.domain.checks import check_plan  # noqa: E402
from planner.domain.school_holidays import all_holidays  # noqa: E402
from planner.enums import (  # noqa: E402
    ActivityStatus, AudienceCategory, ChannelKind, Intensity, MomentEdge, MomentKind, OffsetUnit, OrganisationKind,
    SchoolRegion,
)
from planner.models import Activity, Audience, Channel, Embargo, KeyMessage, Moment, Organisation, Plan  # noqa: E402

START = dt.date(2026, 9, 1)


def generate(activities: int, audiences: int = 50, moments: int = 40, seed: int = 7) -> Plan:
    rng = random.Random(seed)
    owner = Organisation(name="Gemeente", kind=OrganisationKind.MUNICIPALITY, school_region=SchoolRegion.MIDDLE)
    plan = Plan(title="Bench", slug="bench", owner=owner, starts_on=START, ends_on=START + dt.timedelta(days=365))
    plan.audiences = [Audience(id=i + 1, name=f"Doelgroep {i}", category=AudienceCategory.GENERAL_PUBLIC,
                               intensity=rng.choice(list(Intensity)), in_education=i % 5 == 0) for i in range(audiences)]
    plan.messages = [KeyMessage(audience=a, title=f"Boodschap {a.name}", body="...") for a in plan.audiences]
    channels = [Channel(name=f"Middel {i}", kind=ChannelKind.POSTER, lead_time_days=rng.randint(0, 20))
                for i in range(20)]
    plan.channels = channels
    plan.moments = [Moment(name=f"Moment {i}", kind=MomentKind.OTHER,
                           starts_on=START + dt.timedelta(days=rng.randint(0, 360))) for i in range(moments)]
    plan.embargoes = [Embargo(audience=a, audience_id=a.id, not_before=START + dt.timedelta(days=rng.randint(0, 60)))
                      for a in plan.audiences]
    for n in range(activities):
        activity = Activity(
            title=f"Activiteit {n}", starts_on=START + dt.timedelta(days=rng.randint(0, 364)),
            audiences=rng.sample(plan.audiences, 3), channel=rng.choice(channels) if n % 2 else None,
            message=plan.messages[n % audiences], status=rng.choice(list(ActivityStatus)),
            recurrence="FREQ=WEEKLY;COUNT=4" if n % 20 == 0 else "", exdates=[],
        )
        if n % 10 == 0:
            activity.anchor_moment = rng.choice(plan.moments)
            activity.anchor_offset, activity.anchor_unit = rng.randint(-15, 15), OffsetUnit.WORKING_DAYS
            activity.anchor_edge = MomentEdge.START
            apply_anchor(activity)
        plan.activities.append(activity)
    return plan


def measure(activities: int, repeats: int = 5) -> tuple[float, int]:
    plan = generate(activities)
    holidays = all_holidays(None)
    today = START + dt.timedelta(days=120)
    check_plan(plan, today, holidays)  # warm the holiday caches
    timings, findings = [], 0
    for _ in range(repeats):
        began = time.perf_counter()
        findings = len(check_plan(plan, today, holidays))
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), findings


def main() -> None:
    results = {}
    print(f"{'activities':>10} {'median s':>9} {'per activity ms':>16} {'findings':>9}")
    for size in (2_000, 4_000, 8_000):
        seconds, findings = measure(size)
        results[size] = seconds
        print(f"{size:>10} {seconds:>9.3f} {seconds / size * 1000:>16.3f} {findings:>9}")
    print(f"ratio 4,000/2,000: {results[4_000] / results[2_000]:.2f}  ratio 8,000/4,000: "
          f"{results[8_000] / results[4_000]:.2f}  (linear growth is 2.0)")


if __name__ == "__main__":
    main()
