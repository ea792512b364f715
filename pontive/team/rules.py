"""Pure team rules (002 §15). The team area adds the discipline rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

TERM_YEARS = 1  # "masa tugas 1 (satu) tahun" (002 §15(1))


def term_end(start: dt.date, years: int = TERM_YEARS) -> dt.date:
    """The last day of a term that starts on ``start``: one year later, less a day (29 February → 28 February)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        anniversary = dt.date(start.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


# --- tasks (002 §13(1)a) ---------------------------------------------------------------------------

TASK_STATUS_LABELS = {
    "assigned": "Ditugaskan",
    "in_progress": "Dikerjakan",
    "done": "Selesai",
    "verified": "Terverifikasi",
}
# Who moves a task: the member works it (assigned → in progress → done); the koordinator verifies
# it or returns it for more work (done → in progress).
MEMBER_MOVES = {("assigned", "in_progress"), ("in_progress", "done"), ("in_progress", "assigned")}
KOORDINATOR_MOVES = {("done", "verified"), ("done", "in_progress")}


class TaskMoveError(ValueError):
    pass


def check_task_move(current: str, target: str, *, as_assignee: bool, as_koordinator: bool) -> None:
    """A move allowed for the mover; a koordinator never verifies a task assigned to themself."""
    move = (current, target)
    if move in KOORDINATOR_MOVES:
        if not as_koordinator:
            raise TaskMoveError("Hanya koordinator OPD yang dapat memverifikasi atau mengembalikan tugas.")
        if as_assignee and target == "verified":
            raise TaskMoveError("Anda tidak dapat memverifikasi tugas Anda sendiri.")
        return
    if move in MEMBER_MOVES:
        if not as_assignee:
            raise TaskMoveError("Hanya anggota yang ditugaskan yang dapat memindahkan tugas ini.")
        return
    raise TaskMoveError(
        f"Tugas berstatus “{TASK_STATUS_LABELS.get(current, current)}” tidak dapat dipindahkan ke "
        f"“{TASK_STATUS_LABELS.get(target, target)}”."
    )


def is_overdue(due_date: dt.date | None, status: str, today: dt.date) -> bool:
    return due_date is not None and due_date < today and status not in ("done", "verified")


# --- discipline (002 §15(3)–(5)) ---------------------------------------------------------------------

ABSENCES_FOR_WARNING = 3  # "hingga 3 (tiga) kali secara berturut-turut" (002 §15(3))
INACTIVE_MONTHS_FOR_DISMISSAL = 2  # "paling lama 2 (dua) bulan berturut-turut" (002 §15(4))
EXTENSION_NOTICE_DAYS = 30  # term ending within 30 days → extension evaluation due (issue 4 §5)


@dataclass(frozen=True)
class Breach:
    """A run that makes a letter due; ``key`` names it, so the same breach never gets two letters."""

    key: str
    description: str


def absence_breaches(attendance: Sequence[tuple[int, dt.date, str]]) -> list[Breach]:
    """Runs of 3 consecutive meetings absent without a written excuse (002 §15(3)).

    ``attendance`` is (meeting id, date, status) in meeting order, status one of present /
    excused / absent. A present or excused meeting ends a run; each run of 3 is one breach,
    and a 4th, 5th… absence in the same run is still the same breach (one warning per run)."""
    breaches: list[Breach] = []
    run: list[tuple[int, dt.date]] = []
    for meeting_id, day, status in attendance:
        if status == "absent":
            run.append((meeting_id, day))
            if len(run) == ABSENCES_FOR_WARNING:
                first_id, first_day = run[0]
                breaches.append(
                    Breach(
                        f"absence:{first_id}",
                        f"Tidak hadir rapat 3 kali berturut-turut tanpa alasan tertulis sejak {first_day.isoformat()}",
                    )
                )
        else:
            run = []
    return breaches


def month_key(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month)


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """Every (year, month) from start's month to end's month, inclusive."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def complete_months(term_start: dt.date, today: dt.date, term_end: dt.date | None = None) -> list[tuple[int, int]]:
    """The months of the term that are over: from the term's first full month to last month."""
    first = term_start if term_start.day == 1 else (term_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last_day_of_last_month = today.replace(day=1) - dt.timedelta(days=1)
    if term_end is not None and term_end < last_day_of_last_month:
        last_day_of_last_month = term_end
    if first > last_day_of_last_month:
        return []
    return months_between(first, last_day_of_last_month)


def inactivity_breaches(
    months: Sequence[tuple[int, int]],
    active: set[tuple[int, int]],
    excused: set[tuple[int, int]],
) -> list[Breach]:
    """Runs of 2 consecutive inactive months without a written reason (002 §15(4)).

    A month is inactive when it is not in ``active`` (task activity or a validated monthly
    report) and has no written reason (``excused``). One breach per run."""
    breaches: list[Breach] = []
    run: list[tuple[int, int]] = []
    for month in months:
        if month in active or month in excused:
            run = []
            continue
        run.append(month)
        if len(run) == INACTIVE_MONTHS_FOR_DISMISSAL:
            (y, m) = run[0]
            breaches.append(
                Breach(
                    f"inactive:{y:04d}-{m:02d}",
                    f"Tidak aktif 2 bulan berturut-turut tanpa alasan tertulis sejak {m:02d}/{y:04d}",
                )
            )
    return breaches


def extension_due(term_end: dt.date, today: dt.date) -> bool:
    """The term ends within 30 days (and has not ended): the extension evaluation is due (002 §15(1))."""
    return 0 <= (term_end - today).days <= EXTENSION_NOTICE_DAYS


def extension_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last end of term for which ``extension_due`` holds today, for a query."""
    return today, today + dt.timedelta(days=EXTENSION_NOTICE_DAYS)


MEMBERSHIP_STATUS_LABELS = {
    "active": "Aktif",
    "warned": "Mendapat peringatan",
    "proposed_dismissal": "Diusulkan diberhentikan",
    "dismissed": "Diberhentikan",
    "ended": "Masa tugas berakhir",
    "extended": "Diperpanjang",
}
