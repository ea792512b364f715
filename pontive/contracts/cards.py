"""The PPK's and the PPTK's dashboard cards (issue 6 §6): leave requests waiting for a decision,
monthly assessments due, contracts ending within 30 days, and end-of-contract evaluations due.

Every context function runs a fixed number of queries, whatever the number of contracts."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.contracts import services
from pontive.contracts import views as contract_views
from pontive.contracts.models import Contract, LeaveRequest, LeaveStatus
from pontive.core.formats import month_name
from pontive.core.pagination import COUNT_AHEAD, Count, capped_count
from pontive.dashboard import cards
from pontive.extensions import db

LISTED = 5  # contracts named on a card; the rest are counted


@cards.card(
    key="contracts_pending_leave",
    title="Cuti menunggu keputusan",
    template="contracts/_card_pending_leave.html",
    roles={Role.PPK},
    order=30,
)
def pending_leave_context(user: User) -> dict[str, Any]:
    count = capped_count(
        select(LeaveRequest.id)
        .join(Contract, Contract.id == LeaveRequest.contract_id)
        .where(LeaveRequest.status == LeaveStatus.PENDING, Contract.ppk_id == user.id)
    )
    return {"count": count, "url": url_for("contracts.leave_requests")}


@cards.card(
    key="contracts_assessments_due",
    title="Penilaian bulanan jatuh tempo",
    template="contracts/_card_assessments_due.html",
    roles={Role.PPK},
    order=31,
    lazy=True,
)
def assessments_due_context(user: User) -> dict[str, Any]:
    """The months due, over how many contracts, and the oldest month. The count stops after
    COUNT_AHEAD like every list's (a PPK with thousands of contracts: "lebih dari 1.000"), reading
    the due months from the index; only a count that did not stop is split by contract."""
    today = contract_views.local_today()
    first, _page, total, capped = services.assessments_due_list(db.session, user, today, 1, 1, COUNT_AHEAD)
    if capped:
        count, contracts = total, None
        oldest = (first[0][1], first[0][2]) if first else None
    else:
        count, contracts, oldest = services.assessments_due_summary(db.session, user, today)
    return {
        "count": count,
        "total": Count(count, capped),
        "contracts": contracts,
        "oldest": f"{month_name(oldest[1])} {oldest[0]}" if oldest else None,
        "url": url_for("contracts.assessments"),
    }


@cards.card(
    key="contracts_ending",
    title="Kontrak berakhir ≤ 30 hari",
    template="contracts/_card_ending.html",
    roles={Role.PPK},
    order=32,
    lazy=True,
)
def ending_context(user: User) -> dict[str, Any]:
    today = contract_views.local_today()
    ending = services.contracts_ending(db.session, today, user)
    listed = list(
        db.session.scalars(ending.options(joinedload(Contract.worker).load_only(User.full_name)).limit(LISTED))
    )
    count = capped_count(ending)  # always one count: the same statements for 2 or 2,000 contracts
    return {
        "contracts": listed,
        "more": Count(max(0, count.total - LISTED), count.total_capped),
        "today": today,
        "url": url_for("contracts.index", status=contract_views.ENDING),
    }


@cards.card(
    key="contracts_evaluations_due",
    title="Evaluasi akhir kontrak",
    template="contracts/_card_evaluations_due.html",
    roles={Role.PPTK},
    order=30,
)
def evaluations_due_context(user: User) -> dict[str, Any]:
    today = contract_views.local_today()
    due = services.evaluations_due(db.session, user, today)
    return {"contracts": due[:LISTED], "count": len(due), "more": max(0, len(due) - LISTED), "today": today}
