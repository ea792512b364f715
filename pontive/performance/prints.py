"""The monthly report as a PDF (004 "cetak SKP Bulanan … tanggal yang flexible di header"): the
letterhead, the member, the table of RHK / action plan / target / realisation / achievement, the
narrative, the koordinator's latest feedback and both signatures, dated with the day the user picks.

``monthly_report_context`` gathers what the page says; ``core.letters.render_pdf`` makes the PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from pontive.accounts.models import Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.formats import format_number, month_name
from pontive.core.letters import render_pdf
from pontive.performance import rules, services
from pontive.performance.models import MonthlyReport, ReportReview, ReportStatus, ReviewDecision
from pontive.recruitment.models import SelectionCategory
from pontive.team import services as team
from pontive.team.models import Membership

TEMPLATE = "letters/monthly_report.html"


def number_text(value: Decimal | None) -> str:
    """12,5 — a value as Indonesians write it, without needless zeros."""
    if value is None:
        return "—"
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else 2
    text = format_number(value, decimals)
    return text.rstrip("0").rstrip(",") if decimals else text


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value, 2)} %"


def _koordinator_of(session: Session, report: MonthlyReport | None, opd_id: int | None):
    """Who signs as koordinator (full_name, nip): the one who validated the month, else the OPD's koordinator."""
    query = select(User.full_name, User.nip)
    if report is not None and report.validated_by_id:
        return session.execute(query.where(User.id == report.validated_by_id)).first()
    if opd_id is None:
        return None
    return session.execute(
        query.join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.KOORDINATOR, RoleGrant.opd_id == opd_id, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    ).first()


def latest_feedback(session: Session, report: MonthlyReport | None) -> str:
    """The koordinator's latest feedback (umpan balik) on the month, if any."""
    if report is None or report.id is None:
        return ""
    return (
        session.scalar(
            select(ReportReview.feedback)
            .where(
                ReportReview.report_id == report.id,
                ReportReview.decision.in_((ReviewDecision.VALIDATED, ReviewDecision.RETURNED)),
                ReportReview.feedback != "",
            )
            .order_by(ReportReview.id.desc())
            .limit(1)
        )
        or ""
    )


def _placement(
    session: Session, member_id: int, report_opd_id: int | None
) -> tuple[int | None, str | None, str | None]:
    """The OPD of the month (the report's, else the serving membership's placement), its name and the
    membership's selection category, in one row without ORM objects."""
    opd_id = literal(report_opd_id) if report_opd_id else Membership.placement_opd_id
    row = session.execute(
        select(opd_id, Opd.name, SelectionCategory.name)
        .select_from(Membership)
        .outerjoin(Opd, Opd.id == opd_id)
        .outerjoin(SelectionCategory, SelectionCategory.id == Membership.category_id)
        .where(Membership.member_id == member_id, Membership.status.in_(team.SERVING))
        .order_by(Membership.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return row[0], row[1], row[2]
    if report_opd_id:  # no serving membership (any more): the report's OPD alone
        return report_opd_id, session.scalar(select(Opd.name).where(Opd.id == report_opd_id)), None
    return None, None, None


def monthly_report_context(
    session: Session, member: User, year: int, month: int, header_date: dt.date, report: MonthlyReport | None
) -> dict[str, Any]:
    opd_id, opd_name, category = _placement(session, member.id, report.opd_id if report is not None else None)

    cap = services.settings(session).achievement_cap
    plans = services.action_plans_for(session, member.id, year, month)
    realised = {r.action_plan_id: r for r in report.realisations} if report is not None else {}
    rows = []
    for plan in plans:
        row = realised.get(plan.id)
        value = row.value if row is not None else None
        percent = rules.achievement(value, plan.target_value, cap) if value is not None else None
        rows.append(
            {
                "rhk": plan.work_result.title,
                "action_plan": plan.description,
                "target": f"{number_text(plan.target_value)} {plan.unit}",
                "realisation": f"{number_text(value)} {plan.unit}" if value is not None else "—",
                "achievement": percent_text(percent),
                "note": row.note if row is not None else "",
            }
        )
    if report is not None and report.status == ReportStatus.VALIDATED and report.achievement is not None:
        achievement, final = report.achievement, True
    else:
        blank = report or MonthlyReport(member_id=member.id, year=year, month=month)
        achievement, final = services.compute_achievement(session, blank, plans=plans, cap=cap), False
    koordinator = _koordinator_of(session, report, opd_id)
    status = report.status.value if report is not None else ReportStatus.DRAFT.value
    period = f"{month_name(month)} {year}"
    return {
        "subject": f"Laporan Kinerja Bulanan {period}",
        "date": header_date,
        "period": period,
        "member": member,
        "member_id_label": "NIP" if member.nip else "NIK",
        "member_id_number": member.nip or member.nik or "—",
        "category": category or "—",
        "opd_name": opd_name or "—",
        "status": rules.REPORT_STATUS_LABELS.get(status, status),
        "rows": rows,
        "achievement": percent_text(achievement),
        "achievement_final": final,
        "cap": number_text(cap),
        "narrative": report.narrative if report is not None else "",
        "activities": report.activities if report is not None else "",
        "feedback": latest_feedback(session, report),
        "koordinator": koordinator,
    }


def monthly_report_pdf(
    session: Session, member: User, year: int, month: int, header_date: dt.date, report: MonthlyReport | None = None
) -> bytes:
    return render_pdf(TEMPLATE, **monthly_report_context(session, member, year, month, header_date, report))
