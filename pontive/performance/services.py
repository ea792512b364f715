"""Performance use cases: plans (SKP), action plans, monthly reports with evidence, validation
that locks the month, quarterly and end-of-term reports, evaluations and the final report.

The acting user is always an argument; every change is audited. These functions are also what
the JSON API wraps (004 "API rencana aksi")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Integer, Select, and_, case, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.core.audit import audit
from pontive.core.models import utcnow
from pontive.core.uploads import UploadError, save_upload
from pontive.performance import rules
from pontive.performance.models import (
    ActionPlan,
    Evaluation,
    EvaluationStatus,
    Evidence,
    FinalTeamReport,
    Indicator,
    MonthlyReport,
    PerformancePlan,
    PerformanceSettings,
    PeriodReport,
    PlanStatus,
    Realisation,
    ReportReview,
    ReportStatus,
    ReviewDecision,
    WorkResult,
    WorkResultKind,
)
from pontive.team import services as team
from pontive.team.models import Membership

EVIDENCE_PURPOSE = "evidence"


class PerformanceError(ValueError):
    """A request the performance rules refuse; the message is shown as is."""


def _fail(exc: Exception) -> PerformanceError:
    return PerformanceError(str(exc))


# --- settings ---------------------------------------------------------------------------------------


def settings(session: Session) -> PerformanceSettings:
    row = session.scalar(select(PerformanceSettings).limit(1))
    return row or PerformanceSettings(
        achievement_cap=rules.DEFAULT_CAP, due_day=rules.DEFAULT_DUE_DAY, predikat_quotas={}
    )


def save_settings(
    session: Session, actor: User, cap: Decimal, due_day: int, quotas: Mapping[str, Decimal]
) -> PerformanceSettings:
    if not Decimal(100) <= cap <= Decimal(200):
        raise PerformanceError("Batas capaian harus antara 100 % dan 200 %.")
    if not 1 <= due_day <= 28:
        raise PerformanceError("Tanggal batas laporan harus 1–28.")
    for name, share in quotas.items():
        if name not in rules.PREDIKATS or not Decimal(0) <= Decimal(share) <= Decimal(100):
            raise PerformanceError("Kuota predikat harus 0–100 %.")
    row = session.scalar(select(PerformanceSettings).limit(1))
    before = None
    if row is None:
        row = PerformanceSettings()
        session.add(row)
    else:
        before = {"cap": str(row.achievement_cap), "due_day": row.due_day, "quotas": row.predikat_quotas}
    row.achievement_cap, row.due_day = cap, due_day
    row.predikat_quotas = {k: str(v) for k, v in quotas.items()}
    session.flush()
    audit(
        session,
        actor,
        "performance_settings",
        row,
        before=before,
        after={"cap": str(cap), "due_day": due_day, "quotas": row.predikat_quotas},
    )
    session.commit()
    return row


# --- who oversees whom --------------------------------------------------------------------------------


def is_koordinator_for(user: User, opd_id: int | None) -> bool:
    return opd_id is not None and opd_id in user.opd_ids_for(Role.KOORDINATOR)


def can_see_member_reports(user: User, member_id: int, opd_id: int | None) -> bool:
    """The member, their koordinator, the sekretaris and the ketua (issue 5: evidence visibility)."""
    return user.id == member_id or is_koordinator_for(user, opd_id) or user.has_role(Role.SEKRETARIS, Role.KETUA)


# --- plans, work results (RHK), action plans ----------------------------------------------------------


def get_or_create_plan(session: Session, member: User, year: int) -> PerformancePlan:
    plan = session.scalar(
        select(PerformancePlan).where(PerformancePlan.member_id == member.id, PerformancePlan.year == year)
    )
    if plan is not None:
        return plan
    membership = team.current_membership(session, member.id)
    plan = PerformancePlan(member_id=member.id, year=year, opd_id=membership.placement_opd_id if membership else None)
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return session.scalar(
            select(PerformancePlan).where(PerformancePlan.member_id == member.id, PerformancePlan.year == year)
        )
    audit(session, member, "plan_create", plan, after={"year": year})
    session.commit()
    return plan


def _indicators(rows: Iterable[Mapping[str, Any]]) -> list[Indicator]:
    indicators = []
    for n, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        if not description:
            continue
        try:
            target = rules.parse_value(row.get("target_value"), f"Target indikator {n}")
        except rules.PerformanceError as exc:
            raise _fail(exc) from exc
        if target <= 0:
            raise PerformanceError(f"Target indikator {n} harus lebih dari 0.")
        unit = (row.get("unit") or "").strip()
        if not unit:
            raise PerformanceError(f"Satuan indikator {n} wajib diisi.")
        aspect = row.get("aspect") or "quantity"
        if aspect not in rules.ASPECTS:
            raise PerformanceError(f"Aspek indikator {n} tidak dikenal.")
        indicators.append(Indicator(description=description[:300], target_value=target, unit=unit[:40], aspect=aspect))
    if not indicators:
        raise PerformanceError("Setiap RHK memerlukan minimal satu indikator dengan target.")
    return indicators


def save_work_result(
    session: Session,
    member: User,
    plan: PerformancePlan,
    data: Mapping[str, Any],
    indicators: Iterable[Mapping[str, Any]],
    work_result: WorkResult | None = None,
) -> WorkResult:
    """Add or edit an RHK (004: the edit feature per RHK stays available; every edit is audited)."""
    if plan.member_id != member.id:
        raise PerformanceError("Rencana kinerja ini bukan milik Anda.")
    title = (data.get("title") or "").strip()
    if not title:
        raise PerformanceError("Uraian RHK wajib diisi.")
    kind = WorkResultKind(data.get("kind") or "main")
    new_indicators = _indicators(indicators)
    before = None
    if work_result is None:
        work_result = WorkResult(plan=plan, position=len(plan.work_results))
        session.add(work_result)
    else:
        before = {
            "title": work_result.title,
            "kind": work_result.kind.value,
            "indicators": [(i.description, str(i.target_value), i.unit) for i in work_result.indicators],
        }
        work_result.indicators.clear()
    work_result.title, work_result.kind = title[:300], kind
    work_result.parent_id = data.get("parent_id") or None
    work_result.program_id = data.get("program_id") or None
    work_result.indicators.extend(new_indicators)
    session.flush()
    audit(
        session,
        member,
        "rhk_update" if before else "rhk_create",
        work_result,
        before=before,
        after={
            "title": title,
            "kind": kind.value,
            "indicators": [(i.description, str(i.target_value), i.unit) for i in new_indicators],
        },
    )
    session.commit()
    return work_result


def submit_plan(session: Session, member: User, plan: PerformancePlan) -> PerformancePlan:
    if plan.member_id != member.id:
        raise PerformanceError("Rencana kinerja ini bukan milik Anda.")
    if not plan.work_results:
        raise PerformanceError("Tambahkan minimal satu RHK sebelum mengajukan rencana kinerja.")
    if plan.status != PlanStatus.DRAFT:
        raise PerformanceError("Rencana kinerja ini sudah diajukan.")
    plan.status = PlanStatus.SUBMITTED
    audit(session, member, "plan_submit", plan, after={"status": "submitted"})
    session.commit()
    return plan


def approve_plan(
    session: Session, koordinator: User, plan: PerformancePlan, approve: bool = True, feedback: str = ""
) -> PerformancePlan:
    """The koordinator approves the plan (issue 5 §1), or sends it back with feedback."""
    if not is_koordinator_for(koordinator, plan.opd_id) or koordinator.id == plan.member_id:
        raise PerformanceError("Hanya koordinator anggota ini yang dapat menyetujui rencana kinerjanya.")
    if plan.status != PlanStatus.SUBMITTED:
        raise PerformanceError("Rencana kinerja ini tidak sedang menunggu persetujuan.")
    if not approve and not feedback.strip():
        raise PerformanceError("Tuliskan umpan balik bila rencana dikembalikan.")
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.DRAFT
    if approve:
        plan.approved_by_id, plan.approved_at = koordinator.id, utcnow()
    audit(
        session,
        koordinator,
        "plan_approve" if approve else "plan_return",
        plan,
        after={"status": plan.status.value, "feedback": feedback},
    )
    session.commit()
    return plan


def month_is_locked(session: Session, member_id: int, year: int, month: int) -> bool:
    status = session.scalar(
        select(MonthlyReport.status).where(
            MonthlyReport.member_id == member_id, MonthlyReport.year == year, MonthlyReport.month == month
        )
    )
    return status is not None and not rules.is_editable(status.value)


def _require_open_month(session: Session, member_id: int, year: int, month: int) -> None:
    if month_is_locked(session, member_id, year, month):
        raise PerformanceError(
            "Bulan ini sudah diajukan atau divalidasi dan terkunci: rencana aksinya tidak dapat diubah."
        )


def save_action_plan(
    session: Session,
    member: User,
    work_result: WorkResult,
    data: Mapping[str, Any],
    action_plan: ActionPlan | None = None,
) -> ActionPlan:
    """An action plan under an RHK for one month; editable until the month is locked (004)."""
    if work_result.plan.member_id != member.id:
        raise PerformanceError("RHK ini bukan milik Anda.")
    try:
        month = int(data.get("month"))
    except (TypeError, ValueError) as exc:
        raise PerformanceError("Bulan tidak valid.") from exc
    if not 1 <= month <= 12:
        raise PerformanceError("Bulan tidak valid.")
    year = work_result.plan.year
    _require_open_month(session, member.id, year, month)
    if action_plan is not None:
        _require_open_month(session, member.id, action_plan.year, action_plan.month)
    description = (data.get("description") or "").strip()
    if not description:
        raise PerformanceError("Uraian rencana aksi wajib diisi.")
    try:
        target = rules.parse_value(data.get("target_value"), "Target rencana aksi")
    except rules.PerformanceError as exc:
        raise _fail(exc) from exc
    if target <= 0:
        raise PerformanceError("Target rencana aksi harus lebih dari 0.")
    unit = (data.get("unit") or "").strip()
    if not unit:
        raise PerformanceError("Satuan rencana aksi wajib diisi.")
    before = None
    if action_plan is None:
        action_plan = ActionPlan(
            work_result=work_result,
            member_id=member.id,
            year=year,
            month=month,
            description=description[:300],
            target_value=target,
            unit=unit[:40],
        )
        session.add(action_plan)
    else:
        before = {
            "month": action_plan.month,
            "description": action_plan.description,
            "target": str(action_plan.target_value),
            "unit": action_plan.unit,
        }
        action_plan.month, action_plan.description, action_plan.target_value, action_plan.unit = (
            month,
            description[:300],
            target,
            unit[:40],
        )
    session.flush()
    audit(
        session,
        member,
        "action_plan_update" if before else "action_plan_create",
        action_plan,
        before=before,
        after={"month": month, "description": description, "target": str(target), "unit": unit},
    )
    session.commit()
    return action_plan


def delete_action_plan(session: Session, member: User, action_plan: ActionPlan) -> None:
    if action_plan.member_id != member.id:
        raise PerformanceError("Rencana aksi ini bukan milik Anda.")
    _require_open_month(session, member.id, action_plan.year, action_plan.month)
    audit(
        session,
        member,
        "action_plan_delete",
        action_plan,
        before={"description": action_plan.description, "month": action_plan.month},
    )
    session.delete(action_plan)
    session.commit()


def action_plans_for(session: Session, member_id: int, year: int, month: int | None = None) -> list[ActionPlan]:
    query = select(ActionPlan).where(ActionPlan.member_id == member_id, ActionPlan.year == year)
    if month is not None:
        query = query.where(ActionPlan.month == month)
    # the RHK's title and position, not its indicators (they are shown on the plan page only)
    loads = selectinload(ActionPlan.work_result).lazyload(WorkResult.indicators)
    return list(session.scalars(query.options(loads).order_by(ActionPlan.month, ActionPlan.id)))


# --- monthly reports ------------------------------------------------------------------------------------


def get_or_create_report(session: Session, member: User, year: int, month: int) -> MonthlyReport:
    if not 1 <= month <= 12:
        raise PerformanceError("Bulan tidak valid.")
    report = session.scalar(
        select(MonthlyReport).where(
            MonthlyReport.member_id == member.id, MonthlyReport.year == year, MonthlyReport.month == month
        )
    )
    if report is not None:
        return report
    membership = team.current_membership(session, member.id)
    report = MonthlyReport(
        member_id=member.id, year=year, month=month, opd_id=membership.placement_opd_id if membership else None
    )
    session.add(report)
    try:
        session.commit()
    except IntegrityError:  # the same month opened twice at once
        session.rollback()
        report = session.scalar(
            select(MonthlyReport).where(
                MonthlyReport.member_id == member.id, MonthlyReport.year == year, MonthlyReport.month == month
            )
        )
    return report


def _require_editable(report: MonthlyReport) -> None:
    if not rules.is_editable(report.status.value):
        raise PerformanceError("Laporan bulan ini sudah diajukan atau divalidasi dan terkunci.")


def _realisation(report: MonthlyReport, action_plan_id: int) -> Realisation:
    row = next((r for r in report.realisations if r.action_plan_id == action_plan_id), None)
    if row is None:
        row = Realisation(action_plan_id=action_plan_id)
        report.realisations.append(row)
    return row


def save_report(
    session: Session,
    member: User,
    report: MonthlyReport,
    *,
    narrative: str,
    activities: str,
    realisations: Mapping[int, Mapping[str, Any]],
    version: int | None = None,
) -> MonthlyReport:
    """Save the month's narrative, activities and realisations (values may stay empty in a draft)."""
    if report.member_id != member.id:
        raise PerformanceError("Laporan ini bukan milik Anda.")
    _require_editable(report)
    if version is not None and version != report.version:
        raise PerformanceError(
            "Laporan ini telah diubah di tempat lain. Muat ulang halaman lalu ulangi perubahan Anda."
        )
    plans = {p.id: p for p in action_plans_for(session, member.id, report.year, report.month)}
    for plan_id, entry in realisations.items():
        if plan_id not in plans:
            raise PerformanceError("Rencana aksi tidak termasuk bulan ini.")
        raw = entry.get("value")
        row = _realisation(report, plan_id)
        if raw is None or str(raw).strip() == "":
            row.value = None
        else:
            try:
                row.value = rules.parse_value(raw, f"Realisasi “{plans[plan_id].description}”")
            except rules.PerformanceError as exc:
                session.rollback()
                raise _fail(exc) from exc
        row.note = (entry.get("note") or "").strip()[:2000]
    report.narrative, report.activities = narrative.strip(), activities.strip()
    report.updated_at = utcnow()  # always touch the row, so its version moves and a stale form is caught
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise PerformanceError(
            "Laporan ini telah diubah di tempat lain. Muat ulang halaman lalu ulangi perubahan Anda."
        ) from exc
    audit(
        session,
        member,
        "report_save",
        report,
        after={"realisations": {str(k): str(v.get("value")) for k, v in realisations.items()}},
    )
    session.commit()
    return report


def add_evidence(session: Session, member: User, report: MonthlyReport, action_plan_id: int, upload: Any) -> Evidence:
    if report.member_id != member.id:
        raise PerformanceError("Laporan ini bukan milik Anda.")
    _require_editable(report)
    plan = session.get(ActionPlan, action_plan_id)
    if plan is None or plan.member_id != member.id or (plan.year, plan.month) != (report.year, report.month):
        raise PerformanceError("Rencana aksi tidak termasuk bulan ini.")
    try:
        stored = save_upload(session, upload, purpose=EVIDENCE_PURPOSE, uploaded_by=member)
    except UploadError as exc:
        session.rollback()
        raise PerformanceError(str(exc)) from exc
    evidence = Evidence(file=stored)
    _realisation(report, action_plan_id).evidence.append(evidence)
    session.flush()
    audit(session, member, "evidence_add", report, after={"action_plan": action_plan_id, "file": stored.id})
    session.commit()
    return evidence


def remove_evidence(session: Session, member: User, evidence: Evidence) -> None:
    report = evidence.realisation.report
    if report.member_id != member.id:
        raise PerformanceError("Laporan ini bukan milik Anda.")
    _require_editable(report)
    audit(session, member, "evidence_remove", report, before={"file": evidence.file_id})
    session.delete(evidence)
    session.commit()


def report_problems(session: Session, report: MonthlyReport, plans: list[ActionPlan] | None = None) -> list[str]:
    """What still stops the month from being submitted: a realisation and evidence per action plan (004).
    ``plans``: the month's action plans when the caller has them already."""
    if plans is None:
        plans = action_plans_for(session, report.member_id, report.year, report.month)
    if not plans:
        return ["Belum ada rencana aksi untuk bulan ini."]
    by_plan = {r.action_plan_id: r for r in report.realisations}
    problems = []
    evidence = {pid: len(r.evidence) for pid, r in by_plan.items()}
    for plan in plans:
        row = by_plan.get(plan.id)
        if row is None or row.value is None:
            problems.append(f"Isi realisasi untuk “{plan.description}”.")
    for plan_id in rules.missing_evidence([p.id for p in plans], evidence):
        plan = next(p for p in plans if p.id == plan_id)
        problems.append(f"Unggah bukti dukung untuk “{plan.description}”.")
    return problems


def compute_achievement(
    session: Session,
    report: MonthlyReport,
    *,
    plans: list[ActionPlan] | None = None,
    cap: Decimal | None = None,
) -> Decimal | None:
    """The month's achievement; ``plans`` and ``cap``: the month's action plans and the settings' cap
    when the caller has them already."""
    if cap is None:
        cap = settings(session).achievement_cap
    if plans is None:
        plans = action_plans_for(session, report.member_id, report.year, report.month)
    plans = {p.id: p for p in plans}
    values = [
        rules.achievement(r.value, plans[r.action_plan_id].target_value, cap)
        for r in report.realisations
        if r.value is not None and r.action_plan_id in plans
    ]
    return rules.monthly_achievement(values)


def _review(report: MonthlyReport, actor: User, decision: ReviewDecision, feedback: str = "") -> None:
    report.reviews.append(ReportReview(actor_id=actor.id, decision=decision, feedback=feedback))


def _move(report: MonthlyReport, target: ReportStatus, role: str) -> str:
    before = report.status.value
    try:
        rules.check_report_move(before, target.value, role)
    except rules.PerformanceError as exc:
        raise _fail(exc) from exc
    report.status = target
    return before


def submit_report(session: Session, member: User, report: MonthlyReport) -> MonthlyReport:
    if report.member_id != member.id:
        raise PerformanceError("Hanya anggota pemilik laporan yang dapat mengajukannya.")
    problems = report_problems(session, report)
    if problems:
        raise PerformanceError("Laporan belum dapat diajukan: " + " ".join(problems))
    before = _move(report, ReportStatus.SUBMITTED, "member")
    report.submitted_at = utcnow()
    _review(report, member, ReviewDecision.SUBMITTED)
    audit(session, member, "report_submit", report, before={"status": before}, after={"status": "submitted"})
    session.commit()
    return report


def _require_koordinator(koordinator: User, report: MonthlyReport) -> None:
    if not is_koordinator_for(koordinator, report.opd_id) or koordinator.id == report.member_id:
        raise PerformanceError("Hanya koordinator anggota ini yang dapat memvalidasi atau mengembalikan laporan.")


def return_report(session: Session, koordinator: User, report: MonthlyReport, feedback: str) -> MonthlyReport:
    _require_koordinator(koordinator, report)
    if not feedback.strip():
        raise PerformanceError("Tuliskan umpan balik: apa yang perlu diperbaiki.")
    before = _move(report, ReportStatus.RETURNED, "koordinator")
    _review(report, koordinator, ReviewDecision.RETURNED, feedback.strip())
    audit(
        session,
        koordinator,
        "report_return",
        report,
        before={"status": before},
        after={"status": "returned", "feedback": feedback.strip()},
    )
    session.commit()
    return report


def validate_report(session: Session, koordinator: User, report: MonthlyReport, feedback: str) -> MonthlyReport:
    """Validation, with feedback, locks the month (004 "dikunci per bulan")."""
    _require_koordinator(koordinator, report)
    if not feedback.strip():
        raise PerformanceError("Tuliskan umpan balik untuk validasi ini.")
    before = _move(report, ReportStatus.VALIDATED, "koordinator")
    report.validated_by_id, report.validated_at = koordinator.id, utcnow()
    report.achievement = compute_achievement(session, report)
    _review(report, koordinator, ReviewDecision.VALIDATED, feedback.strip())
    audit(
        session,
        koordinator,
        "report_validate",
        report,
        before={"status": before},
        after={"status": "validated", "achievement": str(report.achievement), "feedback": feedback.strip()},
    )
    session.commit()
    return report


def unlock_report(session: Session, sekretaris: User, report: MonthlyReport, reason: str) -> MonthlyReport:
    """The only way to change a validated month: an audited unlock by the sekretaris with a reason."""
    if not sekretaris.has_role(Role.SEKRETARIS):
        raise PerformanceError("Bulan yang terkunci hanya dapat dibuka oleh sekretaris dengan alasan tertulis.")
    if not reason.strip():
        raise PerformanceError("Tuliskan alasan membuka kunci bulan ini.")
    before = _move(report, ReportStatus.RETURNED, "sekretaris")
    report.achievement = None
    _review(report, sekretaris, ReviewDecision.UNLOCKED, reason.strip())
    audit(
        session,
        sekretaris,
        "report_unlock",
        report,
        before={"status": before},
        after={"status": "returned", "reason": reason.strip()},
    )
    session.commit()
    return report


# --- achievements, quarters, final -------------------------------------------------------------------


def validated_months(session: Session, member_ids: list[int], since: dt.date) -> dict[int, set[tuple[int, int]]]:
    """Months with a validated report: the team's inactivity rule counts them as active (issue 5 §9)."""
    rows = session.execute(
        select(MonthlyReport.member_id, MonthlyReport.year, MonthlyReport.month).where(
            MonthlyReport.member_id.in_(member_ids),
            MonthlyReport.status == ReportStatus.VALIDATED,
            MonthlyReport.year >= since.year,
        )
    )
    result: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for member_id, year, month in rows:
        result[member_id].add((year, month))
    return result


team.ACTIVITY_SOURCES.append(validated_months)
team.DISCIPLINE_INPUTS[MonthlyReport] = ("member_id", "member")  # a report validated or unlocked


def yearly_achievements(
    session: Session, year: int, member_ids: list[int] | Select | None = None
) -> dict[int, Decimal | None]:
    """Mean of validated monthly achievements per member (``member_ids``: a list or a select of ids),
    in one grouped query."""
    query = (
        select(MonthlyReport.member_id, func.avg(MonthlyReport.achievement))
        .where(MonthlyReport.year == year, MonthlyReport.status == ReportStatus.VALIDATED)
        .group_by(MonthlyReport.member_id)
    )
    if member_ids is not None:
        query = query.where(MonthlyReport.member_id.in_(member_ids))
    return {m: (Decimal(str(v)).quantize(rules.TWO) if v is not None else None) for m, v in session.execute(query)}


def koordinator_achievement(session: Session, koordinator: User, year: int) -> Decimal | None:
    """The koordinator's own achievement: the mean of the members placed under them (004), from one
    grouped query over the reports of the members now serving in their OPDs."""
    opd_ids = sorted(koordinator.opd_ids_for(Role.KOORDINATOR))
    if not opd_ids:
        return None
    serving = select(Membership.member_id).where(
        Membership.status.in_(team.SERVING), Membership.placement_opd_id.in_(opd_ids)
    )
    total, members = session.execute(_koordinator_achievement_totals(year, serving)).one()
    if not members:
        return None
    # rules.koordinator_achievement over the members' figures: their mean, half up to the cent
    return (Decimal(total).scaleb(-2) / members).quantize(rules.TWO, rounding=ROUND_HALF_UP)


def _koordinator_achievement_totals(year: int, member_ids: Select) -> Select:
    """(the sum of the members' yearly figures in cents, the number of members with a figure), in one
    row, so the page reads two numbers instead of a row per member.

    A member's figure is their validated months' mean rounded to the cent half to even, exactly as
    yearly_achievements quantizes it, worked out in whole cents: q = S div n, r = S mod n."""
    cents = func.sum(cast(func.round(MonthlyReport.achievement * 100), Integer))
    per_member = (
        select(cents.label("s"), func.count(MonthlyReport.achievement).label("n"))
        .where(
            MonthlyReport.year == year,
            MonthlyReport.status == ReportStatus.VALIDATED,
            MonthlyReport.achievement.is_not(None),
            MonthlyReport.member_id.in_(member_ids),
        )
        .group_by(MonthlyReport.member_id)
        .subquery("per_member")
    )
    q = per_member.c.s // per_member.c.n
    r = per_member.c.s - q * per_member.c.n
    up = or_(2 * r > per_member.c.n, and_(2 * r == per_member.c.n, q % 2 == 1))
    figure = q + case((up, 1), else_=0)
    return select(func.coalesce(func.sum(figure), 0), func.count()).select_from(per_member)


def compose_period_report(session: Session, member: User, year: int, quarter: int, summary: str) -> PeriodReport:
    """A quarterly report from its three months (quarter 1–4), or the end-of-term report (quarter 0)."""
    if quarter and not 1 <= quarter <= 4:
        raise PerformanceError("Triwulan harus 1–4.")
    months = rules.quarter_months(quarter) if quarter else tuple(range(1, 13))
    if not summary.strip():
        raise PerformanceError("Tuliskan ringkasan laporan.")
    values = list(
        session.scalars(
            select(MonthlyReport.achievement).where(
                MonthlyReport.member_id == member.id,
                MonthlyReport.year == year,
                MonthlyReport.month.in_(months),
                MonthlyReport.status == ReportStatus.VALIDATED,
            )
        )
    )
    report = session.scalar(
        select(PeriodReport).where(
            PeriodReport.member_id == member.id, PeriodReport.year == year, PeriodReport.quarter == quarter
        )
    )
    if report is None:
        report = PeriodReport(member_id=member.id, year=year, quarter=quarter)
        session.add(report)
    report.summary = summary.strip()
    report.achievement = rules.mean(v for v in values if v is not None)
    report.submitted_at = utcnow()
    session.flush()
    audit(
        session,
        member,
        "period_report",
        report,
        after={"year": year, "quarter": quarter, "achievement": str(report.achievement)},
    )
    session.commit()
    return report


def save_evaluation(
    session: Session,
    koordinator: User,
    member: User,
    year: int,
    *,
    results_rating: str,
    behaviour: Mapping[str, str],
    behaviour_rating: str,
    notes: str = "",
) -> Evaluation:
    """The koordinator's evaluation (002 §20(2)): results and behaviour rated; the predikat follows the matrix."""
    membership = team.current_membership(session, member.id)
    opd_id = membership.placement_opd_id if membership else None
    if not is_koordinator_for(koordinator, opd_id) or koordinator.id == member.id:
        raise PerformanceError("Hanya koordinator anggota ini yang dapat menilainya.")
    values = dict(behaviour)
    missing = [label for key, label in rules.BERAKHLAK if values.get(key) not in rules.RATINGS]
    if missing:
        raise PerformanceError("Nilai perilaku belum lengkap: " + ", ".join(missing) + ".")
    try:
        result = rules.predikat(results_rating, behaviour_rating)
    except rules.PerformanceError as exc:
        raise _fail(exc) from exc
    evaluation = session.scalar(select(Evaluation).where(Evaluation.member_id == member.id, Evaluation.year == year))
    if evaluation is not None and evaluation.status not in (EvaluationStatus.DRAFT,):
        raise PerformanceError("Penilaian ini sudah diteruskan ke sekretaris dan tidak dapat diubah.")
    if evaluation is None:
        evaluation = Evaluation(member_id=member.id, year=year)
        session.add(evaluation)
    evaluation.opd_id, evaluation.koordinator_id = opd_id, koordinator.id
    evaluation.achievement = yearly_achievements(session, year, [member.id]).get(member.id)
    evaluation.results_rating, evaluation.behaviour_rating, evaluation.behaviour = (
        results_rating,
        behaviour_rating,
        values,
    )
    evaluation.predikat, evaluation.notes = result, notes.strip()
    session.flush()
    audit(
        session,
        koordinator,
        "evaluation_save",
        evaluation,
        after={"results": results_rating, "behaviour": behaviour_rating, "predikat": result},
    )
    session.commit()
    return evaluation


def submit_evaluations(session: Session, koordinator: User, year: int) -> int:
    """The koordinator passes their drafts to the sekretaris (002 §20(2))."""
    rows = list(
        session.scalars(
            select(Evaluation).where(
                Evaluation.year == year,
                Evaluation.koordinator_id == koordinator.id,
                Evaluation.status == EvaluationStatus.DRAFT,
            )
        )
    )
    if not rows:
        raise PerformanceError("Tidak ada penilaian draf untuk diteruskan.")
    for row in rows:
        row.status = EvaluationStatus.SUBMITTED
        audit(session, koordinator, "evaluation_submit", row, after={"status": "submitted"})
    session.commit()
    return len(rows)


def quota_check(
    session: Session, year: int, statuses: Iterable[EvaluationStatus] | None = None
) -> list[rules.QuotaBreach]:
    quotas = {k: Decimal(str(v)) for k, v in (settings(session).predikat_quotas or {}).items()}
    query = select(Evaluation).where(Evaluation.year == year, Evaluation.predikat.is_not(None))
    if statuses is not None:
        query = query.where(Evaluation.status.in_(list(statuses)))
    assigned = {f"{e.member.full_name} ({e.member.username})": e.predikat for e in session.scalars(query)}
    return rules.quota_breaches(assigned, quotas)


def consolidate(session: Session, sekretaris: User, year: int) -> int:
    """The sekretaris consolidates the koordinators' evaluations for the ketua (002 §20(3))."""
    if not sekretaris.has_role(Role.SEKRETARIS):
        raise PerformanceError("Konsolidasi dilakukan oleh sekretaris.")
    rows = list(
        session.scalars(
            select(Evaluation).where(Evaluation.year == year, Evaluation.status == EvaluationStatus.SUBMITTED)
        )
    )
    if not rows:
        raise PerformanceError("Belum ada penilaian dari koordinator untuk dikonsolidasi.")
    for row in rows:
        row.status = EvaluationStatus.CONSOLIDATED
        audit(session, sekretaris, "evaluation_consolidate", row, after={"status": "consolidated"})
    session.commit()
    return len(rows)


def send_final_report(
    session: Session, ketua: User, year: int, number: str, letter_date: dt.date, summary: str
) -> FinalTeamReport:
    """The ketua's final report and each member's evaluation to the pembina (002 §20(4)); the
    predikat quotas are checked first and a breach stops it, naming the members concerned (004)."""
    if not ketua.has_role(Role.KETUA):
        raise PerformanceError("Laporan akhir disampaikan oleh Ketua Tim.")
    if not number.strip():
        raise PerformanceError("Nomor surat wajib diisi.")
    if session.scalar(select(FinalTeamReport.id).where(FinalTeamReport.year == year)):
        raise PerformanceError(f"Laporan akhir tahun {year} sudah disampaikan.")
    rows = list(
        session.scalars(
            select(Evaluation).where(Evaluation.year == year, Evaluation.status == EvaluationStatus.CONSOLIDATED)
        )
    )
    if not rows:
        raise PerformanceError("Belum ada penilaian yang dikonsolidasi sekretaris.")
    breaches = quota_check(session, year, [EvaluationStatus.CONSOLIDATED])
    if breaches:
        detail = "; ".join(
            f"{b.predikat}: {b.count} orang, maksimal {b.allowed} ({', '.join(b.members)})" for b in breaches
        )
        raise PerformanceError(f"Kuota predikat terlampaui — {detail}.")
    report = FinalTeamReport(
        year=year, number=number.strip(), letter_date=letter_date, summary=summary.strip(), ketua_id=ketua.id
    )
    session.add(report)
    for row in rows:
        row.status = EvaluationStatus.FINAL
    session.flush()
    audit(session, ketua, "final_report", report, after={"year": year, "number": report.number, "members": len(rows)})
    session.commit()
    return report


# --- the API's use cases (004 "API rencana aksi") -----------------------------------------------------


def submit_realisation(
    session: Session, member: User, action_plan_id: int, value: Any, note: str = "", upload: Any = None
) -> Realisation:
    """Record one action plan's realisation (and optionally its evidence) in its month's report."""
    plan = session.get(ActionPlan, action_plan_id)
    if plan is None or plan.member_id != member.id:
        raise PerformanceError("Rencana aksi tidak ditemukan.")
    report = get_or_create_report(session, member, plan.year, plan.month)
    save_report(
        session,
        member,
        report,
        narrative=report.narrative,
        activities=report.activities,
        realisations={plan.id: {"value": value, "note": note}},
    )
    if upload is not None:
        add_evidence(session, member, report, plan.id, upload)
    return next(r for r in report.realisations if r.action_plan_id == plan.id)
