"""Applications per status per selection round, kept in step with every change of an application.

The rounds list and the dashboard cards show how many applications of each round are at each status.
Grouping the application table grows with every round's applicants, so the counts are stored in
RoundStatusCount and kept by a flush listener: whatever inserts, deletes or changes the status (or the
round) of an Application through the ORM moves the counts in the same transaction, with atomic
``n = n + d`` statements (an upsert for increments, so that two first filings at once cannot collide).
Drafts are not counted. Bulk inserts that bypass the ORM (the demo seeding) call ``recount`` afterwards;
the migration that creates the table backfills it with ``recount`` too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pontive.recruitment.models import Application, ApplicationStatus, RoundStatusCount

Key = tuple[int, ApplicationStatus]


def _counted(round_id: Any, status: Any) -> Key | None:
    if round_id is None or status is None:
        return None
    status = ApplicationStatus(status)
    return None if status == ApplicationStatus.DRAFT else (int(round_id), status)


def _old_and_new(obj: Application) -> tuple[Key | None, Key | None]:
    """The (round, status) a dirty application was counted under before this flush, and after it."""
    state = inspect(obj)
    values = {}
    for name in ("round_id", "status"):
        history = state.attrs[name].history
        new = getattr(obj, name)
        old = history.deleted[0] if history.deleted else new
        values[name] = (old, new)
    return (
        _counted(values["round_id"][0], values["status"][0]),
        _counted(values["round_id"][1], values["status"][1]),
    )


def flush_deltas(session: Session) -> dict[Key, int]:
    """The change of each count that the flush under way makes (called after the flush's statements)."""
    deltas: dict[Key, int] = defaultdict(int)
    for obj in session.new:
        if isinstance(obj, Application) and (key := _counted(obj.round_id, obj.status)):
            deltas[key] += 1
    for obj in session.deleted:
        if isinstance(obj, Application):
            old, _new = _old_and_new(obj)  # a change made before the delete is undone with it
            if old:
                deltas[old] -= 1
    for obj in session.dirty:
        if isinstance(obj, Application) and obj not in session.deleted:
            old, new = _old_and_new(obj)
            if old != new:
                if old:
                    deltas[old] -= 1
                if new:
                    deltas[new] += 1
    return {key: d for key, d in deltas.items() if d}


def _upsert(connection: Connection):
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert


def apply_deltas(connection: Connection, deltas: dict[Key, int]) -> None:
    """Move the stored counts by ``deltas`` atomically (rows in a fixed order: no deadlock between two
    transactions touching the same rounds)."""
    table = RoundStatusCount.__table__
    for (round_id, status), d in sorted(deltas.items(), key=lambda item: (item[0][0], item[0][1].value)):
        if d > 0:
            stmt = _upsert(connection)(table).values(round_id=round_id, status=status, n=d)
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.round_id, table.c.status], set_={"n": table.c.n + stmt.excluded.n}
            )
        else:
            stmt = update(table).where(table.c.round_id == round_id, table.c.status == status).values(n=table.c.n + d)
        connection.execute(stmt)


@event.listens_for(Session, "after_flush")
def _keep_counts(session: Session, _context: Any) -> None:
    """After the flush's statements, before the commit: new, dirty, deleted and the attributes' history
    still describe what was flushed, and new applications have their round_id."""
    deltas = flush_deltas(session)
    if deltas:
        apply_deltas(session.connection(), deltas)


def recount(session: Session, round_ids: Iterable[int] | None = None) -> None:
    """Rebuild the stored counts of the given rounds (all rounds when None) from the application table."""
    table = RoundStatusCount.__table__
    ids = None if round_ids is None else sorted(set(round_ids))
    if ids is not None and not ids:
        return
    grouped = (
        select(Application.round_id, Application.status, func.count())
        .where(Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.round_id, Application.status)
    )
    wipe = delete(table)
    if ids is not None:
        grouped = grouped.where(Application.round_id.in_(ids))
        wipe = wipe.where(table.c.round_id.in_(ids))
    connection = session.connection()
    connection.execute(wipe)
    connection.execute(insert(table).from_select(["round_id", "status", "n"], grouped))


def stored_counts(session: Session, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Applications per status (the statuses that have any) for each round, from the stored counts."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not round_ids:
        return counts
    rows = session.execute(
        select(RoundStatusCount.round_id, RoundStatusCount.status, RoundStatusCount.n).where(
            RoundStatusCount.round_id.in_(sorted(set(round_ids))), RoundStatusCount.n > 0
        )
    )
    for round_id, status, n in rows:
        counts[round_id][ApplicationStatus(status).value] = n
    return counts
