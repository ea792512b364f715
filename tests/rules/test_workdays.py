"""Working days exclude weekends and the holiday calendar (000 §7d: leave counted in working days)."""

import csv
import datetime as dt
from pathlib import Path

from pontive.core.workdays import count_working_days, iter_working_days

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def holidays_2026() -> set[dt.date]:
    with open(SEEDS / "holidays-2026.csv", encoding="utf-8") as fh:
        return {dt.date.fromisoformat(row["date"]) for row in csv.DictReader(fh)}


def test_a_plain_week_has_five_working_days():
    assert count_working_days(dt.date(2026, 11, 23), dt.date(2026, 11, 29), set()) == 5


def test_weekend_only_range_has_none():
    assert count_working_days(dt.date(2026, 11, 28), dt.date(2026, 11, 29), set()) == 0


def test_end_before_start_has_none():
    assert count_working_days(dt.date(2026, 11, 27), dt.date(2026, 11, 23), set()) == 0


def test_lebaran_2026_week_is_nearly_all_holiday():
    # 16–27 March 2026: Nyepi, Idul Fitri and their cuti bersama take 5 weekdays of 10.
    days = list(iter_working_days(dt.date(2026, 3, 16), dt.date(2026, 3, 27), holidays_2026()))
    assert dt.date(2026, 3, 20) not in days and dt.date(2026, 3, 23) not in days
    assert len(days) == 5


def test_christmas_week_2026():
    # 24 Dec (cuti bersama) and 25 Dec (holiday) are not working days.
    assert count_working_days(dt.date(2026, 12, 21), dt.date(2026, 12, 25), holidays_2026()) == 3
