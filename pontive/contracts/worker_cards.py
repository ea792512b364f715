"""The contract worker's dashboard card (issue 6 §6): leave balance, requests waiting for the PPK,
and this month's activity report with a link. A fixed number of queries."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import func, select

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.contracts import rules, services, worker_views
from pontive.contracts.models import ActivityReport, LeaveRequest, LeaveStatus
from pontive.core.formats import month_name
from pontive.dashboard import cards
from pontive.extensions import db
from pontive.performance.rules import REPORT_STATUS_LABELS


@cards.card(key="my_contract", title="Kontrak saya", template="my_contract/_card.html", roles={Role.KONTRAK}, order=20)
def my_contract_context(user: User) -> dict[str, Any]:
    today = worker_views.local_today()
    contract = services.current_contract(db.session, user.id, today)
    if contract is None:
        return {"contract": None}
    pending = db.session.scalar(
        select(func.count(LeaveRequest.id)).where(
            LeaveRequest.contract_id == contract.id, LeaveRequest.status == LeaveStatus.PENDING
        )
    )
    months = rules.contract_months(contract.start_date, contract.end_date)
    year, month = (today.year, today.month) if (today.year, today.month) in months else months[0]
    status = db.session.scalar(
        select(ActivityReport.status).where(
            ActivityReport.contract_id == contract.id, ActivityReport.year == year, ActivityReport.month == month
        )
    )
    return {
        "contract": contract,
        "balance": services.balance(contract),
        "pending": pending or 0,
        "month_label": f"{month_name(month)} {year}",
        "report_status": status,
        "report_status_label": REPORT_STATUS_LABELS.get(status or "draft", status),
        "report_url": url_for("my_contract.report", year=year, month=month),
        "leave_url": url_for("my_contract.leave"),
        "contract_url": url_for("my_contract.index"),
    }
