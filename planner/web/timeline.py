"""Lay out a timeline of production periods and publication dates as SVG coordinates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LABEL_WIDTH = 300
CHART_WIDTH = 900
ROW_HEIGHT = 26
TOP = 30


@dataclass(frozen=True)
class Bar:
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    date_label: dt.date
    production: Bar | None
    publication: Bar
    status: str


@dataclass(frozen=True)
class Tick:
    x: float
    day: dt.date


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    rows: list
    ticks: list
    today_x: float | None
    label_width: int = LABEL_WIDTH


def layout(entries, first: dt.date, last: dt.date, today: dt.date) -> Timeline:
    """Place each entry's production period and publication dates on a shared day axis."""
    span = max((last - first).days + 1, 1)
    scale = CHART_WIDTH / span

    def x(day: dt.date) -> float:
        clamped = min(max(day, first), last + dt.timedelta(days=1))
        return round(LABEL_WIDTH + (clamped - first).days * scale, 1)

    rows = []
    for index, entry in enumerate(entries):
        y = TOP + index * ROW_HEIGHT
        production = None
        if entry.production_starts_on is not None and entry.production_starts_on < entry.starts_on:
            production = Bar(x(entry.production_starts_on), max(x(entry.starts_on) - x(entry.production_starts_on), 1))
        end = entry.ends_on + dt.timedelta(days=1)
        rows.append(Row(y, entry.activity.title, entry.starts_on, production,
                        Bar(x(entry.starts_on), max(x(end) - x(entry.starts_on), 3)), entry.activity.status.value))
    ticks, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append(Tick(x(day), day))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    today_x = x(today) if first <= today <= last else None
    return Timeline(LABEL_WIDTH + CHART_WIDTH + 10, TOP + len(rows) * ROW_HEIGHT + 10, rows, ticks, today_x)
