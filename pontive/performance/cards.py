"""Dashboard cards of the review side (issue 5 §10): the koordinator's reports waiting and late
members; per OPD the submission and validation rate of last month and the predikat distribution for
the sekretaris and the ketua; the final reports the pembina received (002 §20(4)).

Every context runs a fixed number of queries, whatever the number of OPDs or members."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, literal_column, or_, select

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core.formats import month_name
from pontive.core.i18n import to_local
from pontive.core.models import utcnow
from pontive.dashboard import cards
from pontive.extensions import db
from pontive.performance import recaps, rules, services
from pontive.performance.models import Evaluation, FinalTeamReport, MonthlyReport, ReportStatus
from pontive.team.models import Membership

LATE_NAMES = 5
OPD_ROWS = 8
FILED = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VALIDATED)


def _today() -> dt.date:
    return to_local(utcnow()).date()


def _last_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def _late_condition(year: int, month: int, due_day: int, today: dt.date):
    """rules.is_late in SQL, on the recap's report (none: a draft): filed after the due day on the
    city's clock, or not filed (draft, or without a filing time) once the due day has passed."""
    due = rules.due_date(year, month, due_day)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    boundary = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    boundary = boundary.astimezone(dt.UTC).replace(tzinfo=None)  # as stored: naive UTC
    filed = and_(MonthlyReport.status != ReportStatus.DRAFT, MonthlyReport.submitted_at.is_not(None))
    filed_late = and_(filed, MonthlyReport.submitted_at >= boundary)
    if today > due:
        return or_(filed_late, MonthlyReport.id.is_(None), ~filed)
    return filed_late


@cards.card(
    key="reviews_waiting",
    title="Laporan menunggu validasi",
    template="reviews/_card_waiting.html",
    roles={Role.KOORDINATOR},
    order=20,
    lazy=True,
)
def waiting_context(user: User) -> dict[str, Any]:
    """Reports waiting for this koordinator, and the members late with last month's report."""
    opd_ids = tuple(sorted(user.opd_ids_for(Role.KOORDINATOR)))
    if not opd_ids:
        return {"waiting": 0, "late": [], "late_count": 0, "period": None}
    waiting = db.session.scalar(
        select(func.count(MonthlyReport.id)).where(
            MonthlyReport.status == ReportStatus.SUBMITTED, MonthlyReport.opd_id.in_(opd_ids)
        )
    )
    today = _today()
    year, month = _last_month(today)
    due_day = services.settings(db.session).due_day
    scope = recaps.Scope(year, month, opd_ids)
    late = _late_condition(year, month, due_day, today)
    late_count = recaps.count_monthly(db.session, scope, condition=and_(late, Membership.member_id != user.id))
    others = literal_column("members.id") != user.id  # the recap's member subquery
    rows = db.session.execute(recaps.monthly_query(scope, condition=and_(late, others), limit=LATE_NAMES))
    return {
        "waiting": waiting,
        "late": [recaps.monthly_row(row) for row in rows],
        "late_count": late_count,
        "period": f"{month_name(month)} {year}",
        "year": year,
        "month": month,
        "due": rules.due_date(year, month, due_day),
    }


@cards.card(
    key="reviews_per_opd",
    title="Laporan per OPD",
    template="reviews/_card_per_opd.html",
    roles={Role.SEKRETARIS, Role.KETUA},
    order=20,
    lazy=True,
)
def per_opd_context(user: User) -> dict[str, Any]:  # noqa: ARG001
    """Last month per OPD: members, reports filed and validated, in one grouped query."""
    year, month = _last_month(_today())
    scope = recaps.Scope(year, month)
    latest = recaps.latest_memberships(scope)
    rows = db.session.execute(
        select(
            Opd.id,
            Opd.name,
            Opd.short_name,
            func.count(latest.c.member_id),
            func.count(MonthlyReport.id).filter(MonthlyReport.status.in_(FILED)),
            func.count(MonthlyReport.id).filter(MonthlyReport.status == ReportStatus.VALIDATED),
        )
        .select_from(latest)
        .join(Membership, Membership.id == latest.c.membership_id)
        .join(Opd, Opd.id == Membership.placement_opd_id)
        .outerjoin(
            MonthlyReport,
            and_(
                MonthlyReport.member_id == latest.c.member_id,
                MonthlyReport.year == year,
                MonthlyReport.month == month,
            ),
        )
        .group_by(Opd.id, Opd.name, Opd.short_name)
        .order_by(Opd.name)
    ).all()
    items = [
        {
            "opd_id": opd_id,
            "name": name,
            "short_name": short_name or name,
            "members": members,
            "filed": filed,
            "validated": validated,
            "filed_rate": _percent(filed, members),
            "validated_rate": _percent(validated, members),
        }
        for opd_id, name, short_name, members, filed, validated in rows
    ]
    totals = {
        "members": sum(i["members"] for i in items),
        "filed": sum(i["filed"] for i in items),
        "validated": sum(i["validated"] for i in items),
    }
    totals["filed_rate"] = _percent(totals["filed"], totals["members"])
    totals["validated_rate"] = _percent(totals["validated"], totals["members"])
    # The OPDs that need attention first: the lowest share of reports filed.
    items.sort(key=lambda i: (i["filed_rate"] if i["filed_rate"] is not None else 101, i["name"]))
    return {
        "rows": items[:OPD_ROWS],
        "more": max(0, len(items) - OPD_ROWS),
        "totals": totals,
        "period": f"{month_name(month)} {year}",
        "year": year,
        "month": month,
    }


@cards.card(
    key="reviews_predikat",
    title="Sebaran predikat",
    template="reviews/_card_predikat.html",
    roles={Role.SEKRETARIS, Role.KETUA},
    order=21,
)
def predikat_context(user: User) -> dict[str, Any]:  # noqa: ARG001
    """The predikat distribution of the latest year that has evaluations."""
    year = db.session.scalar(select(func.max(Evaluation.year)).where(Evaluation.predikat.is_not(None)))
    if year is None:
        return {"year": None, "rows": [], "total": 0}
    counts = dict(
        db.session.execute(
            select(Evaluation.predikat, func.count(Evaluation.id))
            .where(Evaluation.year == year, Evaluation.predikat.is_not(None))
            .group_by(Evaluation.predikat)
        ).all()
    )
    total = sum(counts.values())
    rows = [{"name": p, "count": counts.get(p, 0), "share": _percent(counts.get(p, 0), total)} for p in rules.PREDIKATS]
    return {"year": year, "rows": rows, "total": total}


@cards.card(
    key="reviews_final_reports",
    title="Laporan akhir Tim Programmer",
    template="reviews/_card_final_reports.html",
    roles={Role.PEMBINA},
    order=20,
)
def final_reports_context(user: User) -> dict[str, Any]:  # noqa: ARG001
    reports = list(db.session.scalars(select(FinalTeamReport).order_by(FinalTeamReport.year.desc()).limit(5)))
    return {"reports": reports}
