"""Pure team rules (002 §15). The team area adds the discipline rules here."""

from __future__ import annotations

import datetime as dt

TERM_YEARS = 1  # "masa tugas 1 (satu) tahun" (002 §15(1))


def term_end(start: dt.date, years: int = TERM_YEARS) -> dt.date:
    """The last day of a term that starts on ``start``: one year later, less a day (29 February → 28 February)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        anniversary = dt.date(start.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)
