"""Working days between two dates: weekends and the holiday calendar excluded (000 §7d). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator


def iter_working_days(start: dt.date, end: dt.date, holidays: Collection[dt.date]) -> Iterator[dt.date]:
    """Each working day from start to end, both included; nothing when end is before start."""
    day = start
    one = dt.timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            yield day
        day += one


def count_working_days(start: dt.date, end: dt.date, holidays: Collection[dt.date]) -> int:
    return sum(1 for _ in iter_working_days(start, end, holidays))
