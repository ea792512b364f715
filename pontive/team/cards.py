"""The team's dashboard cards (issue 4 §6): the member's tasks and next meeting, the koordinator's
board summary and discipline flags, the team overview per OPD for the ketua and the sekretaris,
and the dismissal proposals the pembina received (002 §10, §15(5)).

Every context function runs a fixed number of queries, whatever the number of OPDs or members."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core.pagination import Count
from pontive.dashboard import cards
from pontive.extensions import db
from pontive.team import boards as board_queries
from pontive.team import services
from pontive.team.discipline_views import local_today
from pontive.team.meeting_views import local_now
from pontive.team.models import DisciplineLetter, LetterType, Membership, MembershipStatus, Task, TaskStatus
from pontive.team.models import task_assignee as assignee

OPEN = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
OVERVIEW_ROWS = 12


def _optional_url(endpoint: str, **values: Any) -> str | None:
    """A link into another area's page, when that page exists."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@cards.card(
    key="team_my_tasks", title="Tugas saya", template="team/_card_my_tasks.html", roles={Role.ANGGOTA}, order=20
)
def my_tasks_context(user: User) -> dict[str, Any]:
    today = local_today()
    open_count, overdue = db.session.execute(
        select(
            func.count(Task.id).filter(Task.status.in_(OPEN)),
            func.count(Task.id).filter(and_(Task.status.in_(OPEN), Task.due_date < today)),
        )
        .select_from(Task)
        .join(assignee, assignee.c.task_id == Task.id)
        .where(assignee.c.member_id == user.id)
    ).one()
    return {"open": open_count, "overdue": overdue, "url": _optional_url("team.my_tasks")}


@cards.card(
    key="team_next_meeting",
    title="Rapat berikutnya",
    template="team/_card_next_meeting.html",
    roles={Role.ANGGOTA},
    order=21,
)
def next_meeting_context(user: User) -> dict[str, Any]:
    return {"meeting": services.next_meeting_for(db.session, user, local_now())}


def _opd_names(opd_ids) -> dict[int, Opd]:
    ids = sorted(i for i in opd_ids if i is not None)
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(select(Opd).where(Opd.id.in_(ids)))}


@cards.card(
    key="team_opd_board",
    title="Papan tugas OPD",
    template="team/_card_opd_board.html",
    roles={Role.KOORDINATOR},
    order=20,
)
def opd_board_context(user: User) -> dict[str, Any]:
    opd_ids = sorted(user.opd_ids_for(Role.KOORDINATOR))
    # Each count stops past boards.OPD_COUNT_LIMIT ("lebih dari 100"): the card costs the same whatever
    # the OPD has gathered.
    counts = board_queries.opd_task_counts(db.session, local_today(), opd_ids)
    opds = _opd_names(opd_ids)
    rows = [
        {
            "opd": opds[i],
            **counts[i],
            "url": _optional_url("team.board", opd_id=i),
        }
        for i in opd_ids
        if i in opds
    ]
    return {"rows": rows}


@cards.card(
    key="team_flags",
    title="Peringatan disiplin",
    template="team/_card_flags.html",
    roles={Role.KOORDINATOR},
    order=21,
    lazy=True,  # the first view after a change counts the changed members' flags
)
def flags_context(user: User) -> dict[str, Any]:
    """The open flags (no letter yet) of the members placed in the koordinator's OPDs, from the
    stored counts (services.flag_counts)."""
    opd_ids = sorted(user.opd_ids_for(Role.KOORDINATOR))
    counts = services.flag_counts(db.session, local_today(), opd_ids).values() if opd_ids else []
    return {
        "warning_due": sum(c.warning_due for c in counts),
        "dismissal_due": sum(c.dismissal_due for c in counts),
        "extension_due": sum(c.extension_due for c in counts),
        "members": sum(c.members for c in counts),
    }


@cards.card(
    key="team_overview",
    title="Ikhtisar tim per OPD",
    template="team/_card_overview.html",
    roles={Role.KETUA, Role.SEKRETARIS},
    order=20,
    lazy=True,
)
def overview_context(user: User) -> dict[str, Any]:  # noqa: ARG001 - the ketua and the sekretaris oversee every OPD
    """Per OPD: members placed, open and overdue tasks (each counted up to boards.OPD_COUNT_LIMIT:
    "lebih dari 100"), open flags — from two queries (the OPDs with their capped task counts, the stored
    flag counts): the card reads the same few index entries per OPD at any scale."""
    today = local_today()
    flags = services.flag_counts(db.session, today)
    rows = []
    for opd, tasks, open_count, overdue in db.session.execute(_opd_task_counts(today)):
        mine = flags.get(opd.id)
        if mine is None and not tasks:
            continue  # neither members nor tasks
        mine = mine or services.FlagCounts()
        rows.append(
            {
                "opd": opd,
                "members": mine.members,
                "open": _count(open_count),
                "overdue": _count(overdue),
                "flags": mine.total,
            }
        )
    rows.sort(key=lambda r: (-r["flags"], -r["overdue"].total, -r["members"], r["opd"].name.lower()))
    totals = {key: sum(r[key] for r in rows) for key in ("members", "flags")}
    for key in ("open", "overdue"):
        totals[key] = Count(sum(r[key].total for r in rows), any(r[key].total_capped for r in rows))
    return {"rows": rows[:OVERVIEW_ROWS], "more": max(0, len(rows) - OVERVIEW_ROWS), "totals": totals}


def _count(n: int) -> Count:
    return Count(min(n, board_queries.OPD_COUNT_LIMIT), n > board_queries.OPD_COUNT_LIMIT)


def _opd_task_counts(today):
    """Every OPD with whether it has tasks, and its open and overdue tasks each counted up to
    boards.OPD_COUNT_LIMIT + 1: a range of the (opd_id, status, due_date) index read no further."""
    limit = board_queries.OPD_COUNT_LIMIT

    def count(*conditions):
        rows = (
            select(Task.id)
            .where(Task.opd_id == Opd.id, Task.status.in_(OPEN), *conditions)
            .correlate(Opd)
            .limit(limit + 1)
            .subquery()
        )
        return select(func.count()).select_from(rows).scalar_subquery()

    has_tasks = select(Task.id).where(Task.opd_id == Opd.id).exists()
    return select(Opd, has_tasks, count(), count(Task.due_date < today)).order_by(Opd.id)


@cards.card(
    key="team_proposals",
    title="Usulan pemberhentian",
    template="team/_card_proposals.html",
    roles={Role.PEMBINA},
    order=20,
)
def proposals_context(user: User) -> dict[str, Any]:  # noqa: ARG001
    total, pending = db.session.execute(
        select(
            func.count(DisciplineLetter.id),
            func.count(DisciplineLetter.id).filter(Membership.status == MembershipStatus.PROPOSED_DISMISSAL),
        )
        .join(Membership, Membership.id == DisciplineLetter.membership_id)
        .where(DisciplineLetter.kind == LetterType.DISMISSAL_PROPOSAL)
    ).one()
    latest = list(
        db.session.scalars(
            select(DisciplineLetter)
            .options(joinedload(DisciplineLetter.membership))
            .where(DisciplineLetter.kind == LetterType.DISMISSAL_PROPOSAL)
            .order_by(DisciplineLetter.letter_date.desc(), DisciplineLetter.id.desc())
            .limit(5)
        )
    )
    return {"total": total, "pending": pending, "latest": latest}
