"""Reference data loaders and the demo-data registry that each area adds its step to."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from pontive.config import PROJECT_ROOT
from pontive.core.models import Holiday

SEEDS_DIR = PROJECT_ROOT / "seeds"


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]], batch: int = 20_000) -> None:
    """Insert many rows through Core (no per-row ORM work), ``batch`` at a time, then let PostgreSQL
    see the table's new size.

    Without the ANALYZE, PostgreSQL keeps the plan it made for a foreign-key check while the table was
    nearly empty, a sequential scan, and every row later inserted into a child table scans the whole
    parent: `seed-demo --scale 1` then took over ten minutes in CI instead of one. SQLite's planner
    works without statistics here, and its plans are chosen for that, so it gets none."""
    for start in range(0, len(rows), batch):
        session.execute(insert(table), rows[start : start + batch])
    if rows and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'ANALYZE "{table.name}"'))


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_holidays(session: Session) -> int:
    """Insert the holidays of every seeds/holidays-*.csv that are not there yet; keeps admin edits."""
    existing = set(session.scalars(select(Holiday.date)))
    added = 0
    for path in sorted(SEEDS_DIR.glob("holidays-*.csv")):
        for row in read_csv(path.name):
            day = dt.date.fromisoformat(row["date"])
            if day not in existing:
                session.add(Holiday(date=day, kind=row["kind"], name=row["name"]))
                existing.add(day)
                added += 1
    return added


@dataclass
class DemoContext:
    """What the demo steps share: the scale, the password, and what earlier steps made."""

    scale: int
    password: str
    password_hash: str
    today: dt.date
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


ReferenceStep = Callable[[Session], Any]
DemoStep = Callable[[Session, DemoContext], Any]

REFERENCE_STEPS: list[tuple[int, str, ReferenceStep]] = [(20, "hari libur", load_holidays)]
DEMO_STEPS: list[tuple[int, str, DemoStep]] = []


def reference_step(order: int, label: str) -> Callable[[ReferenceStep], ReferenceStep]:
    def register(fn: ReferenceStep) -> ReferenceStep:
        REFERENCE_STEPS.append((order, label, fn))
        return fn

    return register


def demo_step(order: int, label: str) -> Callable[[DemoStep], DemoStep]:
    def register(fn: DemoStep) -> DemoStep:
        DEMO_STEPS.append((order, label, fn))
        return fn

    return register
