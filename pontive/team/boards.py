"""The queries behind an OPD's task board (002 §13(1)a), bounded so that a board costs the same
whatever the OPD has gathered over the years: each column shows its first cards and how many match,
"show more" reads the next few from the same order, and the member pickers search the members
placed in the OPD instead of listing them all.

Order of a column (the same on the board, on "show more" and on a column's own page):
- open columns (assigned, in progress): the nearest due date first, then the tasks without one;
- done and verified: the latest changed first.
Both are read from an index (task (opd_id, status, due_date) and (opd_id, status, updated_at)), a few
rows at a time, never by sorting every task of the OPD."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select, union_all
from sqlalchemy.orm import Session, lazyload, selectinload

from pontive.accounts.models import Opd, User
from pontive.core.pagination import Count
from pontive.core.pickers import UserChoices, user_choices
from pontive.team.models import Membership, MembershipStatus, Task, TaskPriority, TaskStatus, task_assignee

OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.VERIFIED)
SERVING = (MembershipStatus.ACTIVE, MembershipStatus.WARNED, MembershipStatus.PROPOSED_DISMISSAL)
MEMBER_CHOICES = 20  # members a picker shows at a time; a search finds the others


@dataclass
class BoardFilters:
    """The board's filters, read from the query string (a shareable address) or a posted form."""

    q: str = ""
    member_id: int | None = None
    program_id: int | None = None
    priority: str = ""
    overdue: bool = False

    @classmethod
    def read(cls, values) -> BoardFilters:
        priority = values.get("prioritas", "")
        return cls(
            q=(values.get("q") or "").strip()[:100],
            member_id=values.get("anggota", type=int),
            program_id=values.get("program", type=int),
            priority=priority if priority in {p.value for p in TaskPriority} else "",
            overdue=values.get("terlambat") in ("1", "on", "y"),
        )

    def args(self) -> dict:
        args = {"q": self.q, "anggota": self.member_id, "program": self.program_id, "prioritas": self.priority}
        if self.overdue:
            args["terlambat"] = "1"
        return {k: v for k, v in args.items() if v}


def conditions(opd_id: int, filters: BoardFilters, today: dt.date) -> list:
    found = [Task.opd_id == opd_id]
    if filters.q:
        found.append(Task.title.icontains(filters.q, autoescape=True))
    if filters.member_id:
        found.append(exists().where(task_assignee.c.task_id == Task.id, task_assignee.c.member_id == filters.member_id))
    if filters.program_id:
        found.append(Task.program_id == filters.program_id)
    if filters.priority:
        found.append(Task.priority == TaskPriority(filters.priority))
    if filters.overdue:
        found.extend([Task.due_date < today, Task.status.in_(OPEN_STATUSES)])
    return found


@dataclass
class ColumnCount:
    total: int = 0
    undated: int = 0  # open columns list these after the dated ones


def column_counts(session: Session, where: list) -> dict[str, ColumnCount]:
    """How many tasks match in each column: one grouped query (from the index when unfiltered)."""
    counts = {s.value: ColumnCount() for s in TaskStatus}
    query = (
        select(Task.status, func.count(), func.count().filter(Task.due_date.is_(None)))
        .where(*where)
        .group_by(Task.status)
    )
    for status, total, undated in session.execute(query):
        counts[status.value] = ColumnCount(total, undated)
    return counts


def _segments(where: list, status: TaskStatus, count: ColumnCount, offset: int, limit: int) -> list:
    """Selects of task ids for rows [offset, offset + limit) of a column, each in index order."""
    base = [*where, Task.status == status]
    if status in CLOSED_STATUSES:
        query = select(Task.id).where(*base).order_by(Task.updated_at.desc(), Task.id.desc())
        return [query.limit(limit).offset(offset)]
    segments = []
    dated = count.total - count.undated
    if offset < dated:
        take = min(limit, dated - offset)
        segments.append(
            select(Task.id)
            .where(*base, Task.due_date.is_not(None))
            .order_by(Task.due_date, Task.id)
            .limit(take)
            .offset(offset)
        )
        limit -= take
    if limit > 0 and count.undated:
        segments.append(
            select(Task.id)
            .where(*base, Task.due_date.is_(None))
            .order_by(Task.id)
            .limit(limit)
            .offset(max(0, offset - dated))
        )
    return segments


def _sort_key(task: Task):
    if task.status in CLOSED_STATUSES:
        return (-task.updated_at.timestamp(), -task.id)
    return (task.due_date is None, task.due_date or dt.date.min, task.id)


def column_tasks(
    session: Session, where: list, counts: dict[str, ColumnCount], windows: dict[str, tuple[int, int]]
) -> dict[str, list[Task]]:
    """The cards of each column in ``windows`` (status → (offset, limit)), in one query for the ids
    and the tasks (and one for their assignees), however many tasks the OPD has."""
    segments = []
    for status, (offset, limit) in windows.items():
        count = counts.get(status, ColumnCount())
        if limit > 0 and offset < count.total:
            segments += _segments(where, TaskStatus(status), count, offset, limit)
    columns: dict[str, list[Task]] = {status: [] for status in windows}
    if not segments:
        return columns
    ids = union_all(*[select(s.subquery().c.id) for s in segments])
    tasks = session.scalars(
        select(Task)
        .where(Task.id.in_(ids))
        .options(lazyload(Task.opd), selectinload(Task.assignees).options(lazyload(User.grants)))
    ).all()
    for task in sorted(tasks, key=_sort_key):
        columns[task.status.value].append(task)
    return columns


OPD_COUNT_LIMIT = 100  # the overview's counts per OPD stop here: "lebih dari 100" (issue 8 §2)


def opd_task_counts(
    session: Session, today: dt.date, opd_ids: list[int], limit: int | None = None
) -> dict[int, dict[str, Count]]:
    """Open, overdue and to-verify (done) tasks per OPD, each counted up to ``limit`` (``|jumlah`` prints
    "lebih dari …" past it): per OPD, three reads of at most ``limit`` + 1 entries of the
    (opd_id, status, due_date) index, in one statement — the same cost with 300 or 3,000 tasks an OPD."""
    if not opd_ids:
        return {}
    limit = OPD_COUNT_LIMIT if limit is None else limit

    def capped(*conditions):
        rows = select(Task.id).where(Task.opd_id == Opd.id, *conditions).correlate(Opd).limit(limit + 1).subquery()
        return select(func.count()).select_from(rows).scalar_subquery()

    query = select(
        Opd.id,
        capped(Task.status.in_(OPEN_STATUSES)),
        capped(Task.status.in_(OPEN_STATUSES), Task.due_date < today),
        capped(Task.status == TaskStatus.DONE),
    ).where(Opd.id.in_(opd_ids))

    def count(n: int) -> Count:
        return Count(min(n, limit), n > limit)

    return {
        opd_id: {"open": count(o), "overdue": count(od), "to_verify": count(d)}
        for opd_id, o, od, d in session.execute(query)
    }


# --- the members placed in the OPD: search instead of a list of hundreds ------------------------------------


def _placed(opd_id: int):
    return (
        select(Membership.member_id)
        .where(Membership.placement_opd_id == opd_id, Membership.status.in_(SERVING))
        .scalar_subquery()
    )


def member_choices(
    session: Session,
    opd_id: int,
    query: str = "",
    chosen: list[int] | tuple[int, ...] = (),
    limit: int = MEMBER_CHOICES,
) -> UserChoices:
    """Members placed in ``opd_id``: the ``chosen`` ones (others are dropped), then up to ``limit``
    whose name or username contains ``query``, by name; one query however many serve there."""
    return user_choices(session, [User.id.in_(_placed(opd_id))], query, chosen, limit)


def member_names(session: Session, opd_id: int, ids: list[int]) -> dict[int, str]:
    """The names of those of ``ids`` placed in the OPD."""
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids), User.id.in_(_placed(opd_id)))))
