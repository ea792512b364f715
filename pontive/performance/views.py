"""The member's side of performance (DESIGN §3; issue 5; 004 §3; 002 §20(1)): the yearly plan with
its RHK, the month with its action plans, realisations and evidence, the validation history as a
tab of its own, the monthly report as PDF, quarterly and end-of-term reports, and the dashboard card.

Members often report from a phone: every page is one column, every number is a text input with a
decimal keypad, and evidence uploads swap only their own block when htmx is there (a redirect
otherwise). The views parse forms and call ``performance.services``; the rules live there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core import nav
from pontive.core.formats import month_name
from pontive.core.htmx import render, wants_fragment
from pontive.core.i18n import to_local
from pontive.core.letters import pdf_response
from pontive.core.models import StoredFile, utcnow
from pontive.core.permissions import roles_required
from pontive.core.uploads import register_file_access
from pontive.dashboard import cards
from pontive.extensions import db
from pontive.performance import prints, rules, services
from pontive.performance.forms import (
    KIND_LABELS,
    ActionPlanForm,
    ButtonForm,
    EvidenceForm,
    NewActionPlanForm,
    PeriodReportForm,
    ReportForm,
    WorkResultForm,
)
from pontive.performance.models import (
    ActionPlan,
    Evidence,
    MonthlyReport,
    PerformancePlan,
    PeriodReport,
    Realisation,
    ReportReview,
    ReportStatus,
    ReviewDecision,
    WorkResult,
)
from pontive.team import services as team
from pontive.team.models import WorkProgram

bp = Blueprint("performance", __name__, url_prefix="/kinerja")

PRINT_ROLES = (Role.ANGGOTA, Role.KOORDINATOR, Role.SEKRETARIS, Role.KETUA)
YEARS = range(2000, 2101)
PLAN_STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan, menunggu persetujuan koordinator",
    "approved": "Disetujui koordinator",
}
DECISION_LABELS = {
    ReviewDecision.SUBMITTED.value: "Diajukan",
    ReviewDecision.RETURNED.value: "Dikembalikan dengan umpan balik",
    ReviewDecision.VALIDATED.value: "Divalidasi (bulan dikunci)",
    ReviewDecision.UNLOCKED.value: "Kunci dibuka oleh sekretaris",
}
PERIOD_LABELS = {0: "Laporan akhir masa tugas", 1: "Triwulan I", 2: "Triwulan II", 3: "Triwulan III", 4: "Triwulan IV"}


def _user() -> User:
    return current_user._get_current_object()


def local_today() -> dt.date:
    """Today on the city's clock."""
    return to_local(utcnow()).date()


def _year_arg() -> int:
    year = request.args.get("tahun", type=int)
    return year if year in YEARS else local_today().year


def _check_year(year: int) -> None:
    if year not in YEARS:
        abort(404)


def _check_month(year: int, month: int) -> None:
    if year not in YEARS or not 1 <= month <= 12:
        abort(404)


@bp.app_template_filter("nilai_kinerja")
def number_filter(value) -> str:
    """12,5 — a target or realisation as people write it."""
    return prints.number_text(value)


@bp.app_template_filter("persen_kinerja")
def percent_filter(value) -> str:
    return prints.percent_text(value)


# --- loading what belongs to the signed-in member (404 for anything else) ----------------------------


def _find_plan(member_id: int, year: int) -> PerformancePlan | None:
    return db.session.scalar(
        select(PerformancePlan).where(PerformancePlan.member_id == member_id, PerformancePlan.year == year)
    )


def _find_report(member_id: int, year: int, month: int, *, evidence: bool = True) -> MonthlyReport | None:
    """The month's report with its realisations (and their evidence unless ``evidence`` is False: the
    print shows none); its member and OPD load when asked (the member is mostly the signed-in user,
    already in the session)."""
    realisations = selectinload(MonthlyReport.realisations)
    if not evidence:
        realisations = realisations.raiseload(Realisation.evidence)  # never touched by the print
    return db.session.scalar(
        select(MonthlyReport)
        .where(MonthlyReport.member_id == member_id, MonthlyReport.year == year, MonthlyReport.month == month)
        .options(lazyload(MonthlyReport.member), lazyload(MonthlyReport.opd), realisations)
    )


def _report_or_blank(member: User, year: int, month: int) -> MonthlyReport:
    """The month's report, or an unsaved draft: a month gets its row once the member saves something."""
    report = _find_report(member.id, year, month)
    if report is None:
        report = MonthlyReport(
            member_id=member.id, year=year, month=month, status=ReportStatus.DRAFT, narrative="", activities=""
        )
    return report


def _own_work_result_or_404(work_result_id: int) -> WorkResult:
    work_result = db.session.get(WorkResult, work_result_id)
    if work_result is None or work_result.plan.member_id != _user().id:
        abort(404)
    return work_result


def _own_action_plan_or_404(action_plan_id: int) -> ActionPlan:
    action_plan = db.session.get(ActionPlan, action_plan_id)
    if action_plan is None or action_plan.member_id != _user().id:
        abort(404)
    return action_plan


def _own_evidence_or_404(evidence_id: int) -> Evidence:
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.realisation.report.member_id != _user().id:
        abort(404)
    return evidence


def _page(html: str, status: int, canonical: str):
    """A page answered to a POST that failed: boosted navigation shows the page's own address (not the
    POST endpoint's, which a reload could not GET)."""
    response = make_response(html, status)
    if request.method == "POST":
        response.headers["HX-Push-Url"] = canonical
    return response


def _submitted_on(report: MonthlyReport) -> dt.date | None:
    return to_local(report.submitted_at).date() if report.submitted_at else None


# --- 1. the yearly plan (SKP) ---------------------------------------------------------------------------


def _placement_opd_id(member: User) -> int | None:
    membership = team.current_membership(db.session, member.id)
    return membership.placement_opd_id if membership else None


def _program_choices(opd_id: int | None, year: int) -> list[SelectChoice]:
    choices = [SelectChoice("", _("— tidak dikaitkan —"))]
    if opd_id is None:
        return choices
    rows = db.session.execute(
        select(WorkProgram.id, WorkProgram.title)
        .where(WorkProgram.opd_id == opd_id, WorkProgram.year == year)
        .order_by(WorkProgram.title)
    )
    return choices + [SelectChoice(str(i), title) for i, title in rows]


def _parent_choices(member: User, opd_id: int | None, year: int) -> list[SelectChoice]:
    """The RHK of the koordinator(s) of the member's OPD in that year, which an RHK may intervene in."""
    choices = [SelectChoice("", _("— tidak dikaitkan —"))]
    if opd_id is None:
        return choices
    koordinators = select(RoleGrant.user_id).where(RoleGrant.role == Role.KOORDINATOR, RoleGrant.opd_id == opd_id)
    rows = db.session.execute(
        select(WorkResult.id, WorkResult.title, User.full_name)
        .join(PerformancePlan, PerformancePlan.id == WorkResult.plan_id)
        .join(User, User.id == PerformancePlan.member_id)
        .where(
            PerformancePlan.year == year,
            PerformancePlan.member_id.in_(koordinators),
            PerformancePlan.member_id != member.id,
        )
        .order_by(User.full_name, WorkResult.position, WorkResult.id)
    )
    return choices + [SelectChoice(str(i), f"{title} ({name})") for i, title, name in rows]


def _work_result_form(member: User, year: int, work_result: WorkResult | None = None, *, submitted: bool = False):
    """The RHK form: what was posted, or the RHK's values (blank rows up to three indicators)."""
    if submitted:
        form = WorkResultForm()
    else:
        data = None
        if work_result is not None:
            rows = [
                {
                    "description": i.description,
                    "target_value": prints.number_text(i.target_value),
                    "unit": i.unit,
                    "aspect": i.aspect,
                }
                for i in work_result.indicators
            ]
            rows += [{}] * max(0, 3 - len(rows))
            data = {
                "title": work_result.title,
                "kind": work_result.kind.value,
                "program_id": work_result.program_id,
                "parent_id": work_result.parent_id,
                "indicators": rows,
            }
        form = WorkResultForm(formdata=None, data=data)
    opd_id = _placement_opd_id(member)
    form.program_id.choices = _program_choices(opd_id, year)
    form.parent_id.choices = _parent_choices(member, opd_id, year)
    return form


def _plan_page(year: int, *, form: WorkResultForm | None = None, editing: WorkResult | None = None, status=200):
    member = _user()
    plan = _find_plan(member.id, year)
    if form is None:
        form = _work_result_form(member, year, editing)
    work_results = plan.work_results if plan is not None else []
    program_ids = {wr.program_id for wr in work_results if wr.program_id}
    parent_ids = {wr.parent_id for wr in work_results if wr.parent_id}
    programs = (
        dict(db.session.execute(select(WorkProgram.id, WorkProgram.title).where(WorkProgram.id.in_(program_ids))).all())
        if program_ids
        else {}
    )
    parents = (
        dict(db.session.execute(select(WorkResult.id, WorkResult.title).where(WorkResult.id.in_(parent_ids))).all())
        if parent_ids
        else {}
    )
    html = render(
        "performance/plan.html",
        year=year,
        plan=plan,
        work_results=work_results,
        form=form,
        editing=editing,
        programs=programs,
        parents=parents,
        button_form=ButtonForm(formdata=None),
        plan_status_labels=PLAN_STATUS_LABELS,
        kind_labels=KIND_LABELS,
        aspects=rules.ASPECTS,
    )
    return _page(html, status, url_for(".plan", tahun=year))


@bp.route("/rencana")
@roles_required(Role.ANGGOTA)
def plan():
    year = _year_arg()
    editing = None
    edit_id = request.args.get("ubah", type=int)
    if edit_id is not None:
        editing = _own_work_result_or_404(edit_id)
        if editing.plan.year != year:
            return redirect(url_for(".plan", tahun=editing.plan.year, ubah=editing.id, _anchor="form-rhk"))
    return _plan_page(year, editing=editing)


def _save_work_result(year: int, work_result: WorkResult | None):
    member = _user()
    form = _work_result_form(member, year, work_result, submitted=True)
    if form.validate_on_submit():
        data, rows = form.data_for_service()
        try:
            plan = (
                work_result.plan if work_result is not None else services.get_or_create_plan(db.session, member, year)
            )
            saved = services.save_work_result(db.session, member, plan, data, rows, work_result)
        except services.PerformanceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("RHK disimpan.") if work_result else _("RHK ditambahkan."), "success")
            return redirect(url_for(".plan", tahun=year, _anchor=f"rhk-{saved.id}"))
    return _plan_page(year, form=form, editing=work_result, status=422)


@bp.route("/rencana/<int:year>/rhk", methods=["POST"])
@roles_required(Role.ANGGOTA)
def work_result_create(year: int):
    _check_year(year)
    return _save_work_result(year, None)


@bp.route("/rhk/<int:work_result_id>", methods=["POST"])
@roles_required(Role.ANGGOTA)
def work_result_update(work_result_id: int):
    work_result = _own_work_result_or_404(work_result_id)
    return _save_work_result(work_result.plan.year, work_result)


@bp.route("/rencana/<int:year>/ajukan", methods=["POST"])
@roles_required(Role.ANGGOTA)
def plan_submit(year: int):
    _check_year(year)
    member = _user()
    if ButtonForm().validate_on_submit():
        try:
            services.submit_plan(db.session, member, services.get_or_create_plan(db.session, member, year))
        except services.PerformanceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Rencana kinerja diajukan kepada koordinator untuk disetujui."), "success")
    return redirect(url_for(".plan", tahun=year))


# --- 2. the month: action plans, realisations, evidence, submission -------------------------------------


def _work_result_choices(member: User, year: int) -> list[SelectChoice]:
    """The RHKs of the member's plan of the year: their ids and titles only, in the plan's order."""
    rows = db.session.execute(
        select(WorkResult.id, WorkResult.title)
        .join(PerformancePlan, PerformancePlan.id == WorkResult.plan_id)
        .where(PerformancePlan.member_id == member.id, PerformancePlan.year == year)
        .order_by(WorkResult.position, WorkResult.id)
    )
    return [SelectChoice("", _("— pilih RHK —"))] + [SelectChoice(str(wr_id), title) for wr_id, title in rows]


def _report_form_for(report: MonthlyReport, plans: list[ActionPlan]) -> ReportForm:
    realised = {r.action_plan_id: r for r in report.realisations}
    rows = []
    for plan in plans:
        row = realised.get(plan.id)
        rows.append(
            {
                "action_plan_id": str(plan.id),
                "value": prints.number_text(row.value) if row is not None and row.value is not None else "",
                "note": row.note if row is not None else "",
            }
        )
    return ReportForm(
        formdata=None,
        data={
            "version": str(report.version) if report.version else "",
            "narrative": report.narrative or "",
            "activities": report.activities or "",
            "realisations": rows,
        },
    )


def _latest_feedback(report: MonthlyReport):
    """The latest review with feedback (not the member's own submission): its text, time and actor's name."""
    if report.id is None:
        return None
    return db.session.execute(
        select(ReportReview.feedback, ReportReview.at, User.full_name.label("actor_name"))
        .outerjoin(User, User.id == ReportReview.actor_id)
        .where(
            ReportReview.report_id == report.id,
            ReportReview.decision != ReviewDecision.SUBMITTED,
            ReportReview.feedback != "",
        )
        .order_by(ReportReview.id.desc())
        .limit(1)
    ).first()


def _review_count(report: MonthlyReport) -> int:
    """How many entries the validation history tab holds, counted without loading them."""
    if report.id is None:
        return 0
    return db.session.scalar(select(func.count(ReportReview.id)).where(ReportReview.report_id == report.id)) or 0


def _month_context(member: User, year: int, month: int) -> dict[str, Any]:
    """What the month page, the evidence fragments and the checklist share."""
    report = _report_or_blank(member, year, month)
    plans = services.action_plans_for(db.session, member.id, year, month)
    editable = rules.is_editable(report.status.value)
    realised = {r.action_plan_id: r for r in report.realisations}
    return {
        "year": year,
        "month": month,
        "month_label": f"{month_name(month)} {year}",
        "report": report,
        "plans": plans,
        "editable": editable,
        "realised": realised,
        "evidence": {plan_id: row.evidence for plan_id, row in realised.items()},
        "problems": services.report_problems(db.session, report, plans) if editable else [],
        "evidence_form": EvidenceForm(formdata=None),
        "button_form": ButtonForm(formdata=None),
        "upload_errors": {},
        "upload_message": None,
    }


def _month_page(
    year: int,
    month: int,
    *,
    report_form: ReportForm | None = None,
    new_plan_form: NewActionPlanForm | None = None,
    edit_form: ActionPlanForm | None = None,
    editing_id: int | None = None,
    upload_errors: dict[int, str] | None = None,
    submit_error: str | None = None,
    status: int = 200,
):
    member = _user()
    ctx = _month_context(member, year, month)
    report, plans, editable = ctx["report"], ctx["plans"], ctx["editable"]
    settings = services.settings(db.session)
    if report.status == ReportStatus.VALIDATED and report.achievement is not None:
        achievement = report.achievement
    else:
        achievement = services.compute_achievement(db.session, report, plans=plans, cap=settings.achievement_cap)
    if report_form is None:
        report_form = _report_form_for(report, plans)
    entries = {}
    for entry in report_form.realisations:
        try:
            entries[int(entry.form.action_plan_id.data)] = entry
        except (TypeError, ValueError):
            continue
    if new_plan_form is None:
        new_plan_form = NewActionPlanForm(formdata=None)
    new_plan_form.work_result_id.choices = _work_result_choices(member, year)
    editing = next((p for p in plans if p.id == editing_id), None) if editable else None
    if editing is not None and edit_form is None:
        edit_form = ActionPlanForm(
            formdata=None,
            data={
                "description": editing.description,
                "target_value": prints.number_text(editing.target_value),
                "unit": editing.unit,
            },
        )
    groups: dict[int, dict[str, Any]] = {}
    for plan in plans:
        group = groups.setdefault(plan.work_result_id, {"work_result": plan.work_result, "plans": []})
        group["plans"].append(plan)
    ctx.update(
        groups=sorted(groups.values(), key=lambda g: (g["work_result"].position, g["work_result"].id)),
        report_form=report_form,
        entries=entries,
        new_plan_form=new_plan_form,
        edit_form=edit_form,
        editing=editing,
        upload_errors=upload_errors or {},
        submit_error=submit_error,
        achievement=achievement,
        achievement_final=report.status == ReportStatus.VALIDATED,
        cap=settings.achievement_cap,
        due=rules.due_date(year, month, settings.due_day),
        late=rules.is_late(year, month, report.status.value, _submitted_on(report), local_today(), settings.due_day),
        status_labels=rules.REPORT_STATUS_LABELS,
        feedback=_latest_feedback(report),
        review_count=_review_count(report),
        today=local_today(),
        has_plan=len(new_plan_form.work_result_id.choices) > 1,
        tab="report",
    )
    return _page(render("performance/month.html", **ctx), status, url_for(".month", year=year, month=month))


@bp.route("/bulan/<int:year>/<int:month>")
@roles_required(Role.ANGGOTA)
def month(year: int, month: int):
    _check_month(year, month)
    return _month_page(year, month, editing_id=request.args.get("ubah", type=int))


def _back_to_month(year: int, month: int, anchor: str | None = None):
    return redirect(url_for(".month", year=year, month=month, _anchor=anchor))


def _save_from_form(member: User, report: MonthlyReport, form: ReportForm) -> None:
    services.save_report(
        db.session,
        member,
        report,
        narrative=form.narrative.data or "",
        activities=form.activities.data or "",
        realisations=form.realisations_for_service(),
        version=form.expected_version(),
    )


@bp.route("/bulan/<int:year>/<int:month>/laporan", methods=["POST"])
@roles_required(Role.ANGGOTA)
def report_save(year: int, month: int):
    _check_month(year, month)
    member = _user()
    form = ReportForm()
    if form.validate_on_submit():
        try:
            report = services.get_or_create_report(db.session, member, year, month)
            _save_from_form(member, report, form)
        except services.PerformanceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Draf laporan disimpan."), "success")
            return _back_to_month(year, month, "laporan")
    return _month_page(year, month, report_form=form, status=422)


@bp.route("/bulan/<int:year>/<int:month>/ajukan", methods=["POST"])
@roles_required(Role.ANGGOTA)
def report_submit(year: int, month: int):
    """Save what the form carries (if it carries the report), then submit: the completeness check of
    the service decides; a refusal changes the status of nothing (004 "bukti dukung wajib")."""
    _check_month(year, month)
    member = _user()
    form = ReportForm()
    if not form.validate_on_submit():
        return _month_page(year, month, report_form=form, status=422)
    saved = False
    try:
        report = services.get_or_create_report(db.session, member, year, month)
        if "narrative" in request.form:
            _save_from_form(member, report, form)
            saved = True
        services.submit_report(db.session, member, report)
    except services.PerformanceError as exc:
        db.session.rollback()
        return _month_page(year, month, report_form=None if saved else form, submit_error=str(exc), status=422)
    flash(_("Laporan %(month)s diajukan kepada koordinator.", month=f"{month_name(month)} {year}"), "success")
    return _back_to_month(year, month)


@bp.route("/bulan/<int:year>/<int:month>/rencana-aksi", methods=["POST"])
@roles_required(Role.ANGGOTA)
def action_plan_create(year: int, month: int):
    _check_month(year, month)
    member = _user()
    form = NewActionPlanForm()
    form.work_result_id.choices = _work_result_choices(member, year)
    if form.validate_on_submit():
        work_result = _own_work_result_or_404(form.work_result_id.data)
        try:
            action_plan = services.save_action_plan(db.session, member, work_result, form.data_for_service(month))
        except services.PerformanceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Rencana aksi ditambahkan."), "success")
            return _back_to_month(year, month, f"rencana-aksi-{action_plan.id}")
    return _month_page(year, month, new_plan_form=form, status=422)


@bp.route("/rencana-aksi/<int:action_plan_id>", methods=["POST"])
@roles_required(Role.ANGGOTA)
def action_plan_update(action_plan_id: int):
    action_plan = _own_action_plan_or_404(action_plan_id)
    year, month = action_plan.year, action_plan.month
    form = ActionPlanForm()
    if form.validate_on_submit():
        try:
            services.save_action_plan(
                db.session, _user(), action_plan.work_result, form.data_for_service(month), action_plan
            )
        except services.PerformanceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Rencana aksi disimpan."), "success")
            return _back_to_month(year, month, f"rencana-aksi-{action_plan_id}")
    return _month_page(year, month, edit_form=form, editing_id=action_plan_id, status=422)


@bp.route("/rencana-aksi/<int:action_plan_id>/hapus", methods=["POST"])
@roles_required(Role.ANGGOTA)
def action_plan_delete(action_plan_id: int):
    action_plan = _own_action_plan_or_404(action_plan_id)
    year, month = action_plan.year, action_plan.month
    if ButtonForm().validate_on_submit():
        try:
            services.delete_action_plan(db.session, _user(), action_plan)
        except services.PerformanceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Rencana aksi dihapus."), "success")
    return _back_to_month(year, month, "rencana-aksi")


def _evidence_response(action_plan: ActionPlan, *, message: str | None = None, error: str | None = None):
    """After an evidence change: that action plan's block (and the checklist, out of band) to htmx;
    a redirect — or the page with the error — to a browser without it."""
    year, month = action_plan.year, action_plan.month
    if wants_fragment():
        ctx = _month_context(_user(), year, month)
        ctx["upload_errors"] = {action_plan.id: error} if error else {}
        ctx["upload_message"] = message
        html = render_template("performance/_evidence_update.html", plan=action_plan, **ctx)
        return html, 422 if error else 200
    if error:
        return _month_page(year, month, upload_errors={action_plan.id: error}, status=422)
    flash(message, "success")
    return _back_to_month(year, month, f"rencana-aksi-{action_plan.id}")


@bp.route("/rencana-aksi/<int:action_plan_id>/bukti", methods=["POST"])
@roles_required(Role.ANGGOTA)
def evidence_add(action_plan_id: int):
    action_plan = _own_action_plan_or_404(action_plan_id)
    member = _user()
    form = EvidenceForm()
    if form.validate_on_submit():
        try:
            report = services.get_or_create_report(db.session, member, action_plan.year, action_plan.month)
            services.add_evidence(db.session, member, report, action_plan.id, form.file.data)
        except services.PerformanceError as exc:
            db.session.rollback()
            return _evidence_response(action_plan, error=str(exc))
        return _evidence_response(action_plan, message=_("Bukti dukung diunggah."))
    errors = [str(m) for messages in form.errors.values() for m in messages]
    return _evidence_response(action_plan, error=" ".join(errors))


@bp.route("/bukti/<int:evidence_id>/hapus", methods=["POST"])
@roles_required(Role.ANGGOTA)
def evidence_remove(evidence_id: int):
    evidence = _own_evidence_or_404(evidence_id)
    action_plan = db.session.get(ActionPlan, evidence.realisation.action_plan_id)
    if not ButtonForm().validate_on_submit():
        return _evidence_response(action_plan, error=_("Formulir kedaluwarsa; muat ulang halaman."))
    try:
        services.remove_evidence(db.session, _user(), evidence)
    except services.PerformanceError as exc:
        db.session.rollback()
        return _evidence_response(action_plan, error=str(exc))
    return _evidence_response(action_plan, message=_("Bukti dukung dihapus."))


# --- the year's months ------------------------------------------------------------------------------


def month_rows(member: User, year: int, today: dt.date) -> list[dict[str, Any]]:
    """The twelve months of a year with status, achievement, due date and the late flag — from one
    query for the reports and one grouped count of action plans, however many months have reports."""
    reports = {
        r.month: r
        for r in db.session.scalars(
            select(MonthlyReport).where(MonthlyReport.member_id == member.id, MonthlyReport.year == year)
        )
    }
    counts = dict(
        db.session.execute(
            select(ActionPlan.month, func.count(ActionPlan.id))
            .where(ActionPlan.member_id == member.id, ActionPlan.year == year)
            .group_by(ActionPlan.month)
        ).all()
    )
    due_day = services.settings(db.session).due_day
    membership = team.current_membership(db.session, member.id)
    start = (membership.start_date.year, membership.start_date.month) if membership else None
    rows = []
    for month in range(1, 13):
        report = reports.get(month)
        status = report.status.value if report else ReportStatus.DRAFT.value
        expected = report is not None or counts.get(month, 0) > 0 or (start is not None and (year, month) >= start)
        rows.append(
            {
                "month": month,
                "label": month_name(month),
                "report": report,
                "status": status,
                "started": report is not None,
                "plans": counts.get(month, 0),
                "achievement": report.achievement if report and report.status == ReportStatus.VALIDATED else None,
                "due": rules.due_date(year, month, due_day),
                "late": expected
                and rules.is_late(year, month, status, _submitted_on(report) if report else None, today, due_day),
            }
        )
    return rows


@bp.route("/laporan")
@roles_required(Role.ANGGOTA)
def months():
    year = _year_arg()
    return render(
        "performance/months.html",
        year=year,
        rows=month_rows(_user(), year, local_today()),
        status_labels=rules.REPORT_STATUS_LABELS,
        period_labels=PERIOD_LABELS,
    )


# --- 3. the validation history, a tab of its own (004) -------------------------------------------------


@bp.route("/bulan/<int:year>/<int:month>/riwayat")
@roles_required(Role.ANGGOTA)
def history(year: int, month: int):
    _check_month(year, month)
    report = _report_or_blank(_user(), year, month)
    return render(
        "performance/history.html",
        year=year,
        month=month,
        month_label=f"{month_name(month)} {year}",
        report=report,
        reviews=list(reversed(report.reviews)),
        review_count=len(report.reviews),
        decision_labels=DECISION_LABELS,
        status_labels=rules.REPORT_STATUS_LABELS,
        editable=rules.is_editable(report.status.value),
        tab="history",
    )


# --- 4. the monthly report as PDF, with the header date the user picks (004) ---------------------------


def _header_date() -> dt.date:
    raw = request.args.get("tanggal", "")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return local_today()


@bp.route("/bulan/<int:year>/<int:month>/cetak.pdf")
@roles_required(*PRINT_ROLES)
def print_month(year: int, month: int):
    """The member's own month; with ``?anggota=<id>`` another member's, for that member's koordinator,
    the sekretaris and the ketua (404 for anyone else)."""
    _check_month(year, month)
    user = _user()
    member_id = request.args.get("anggota", type=int)
    if member_id is None or member_id == user.id:
        member, report = user, _find_report(user.id, year, month, evidence=False)
    else:
        report = _find_report(member_id, year, month, evidence=False)
        if report is None or not services.can_see_member_reports(user, member_id, report.opd_id):
            abort(404)
        member = report.member
    pdf = prints.monthly_report_pdf(db.session, member, year, month, _header_date(), report)
    return pdf_response(pdf, f"laporan-kinerja-{member.username}-{year}-{month:02d}.pdf")


# --- 5. quarterly and end-of-term reports (002 §20(1)) ------------------------------------------------


@bp.route("/periode/<int:year>/<int:quarter>", methods=["GET", "POST"])
@roles_required(Role.ANGGOTA)
def period(year: int, quarter: int):
    _check_year(year)
    if quarter not in PERIOD_LABELS:
        abort(404)
    member = _user()
    months_in = rules.quarter_months(quarter) if quarter else tuple(range(1, 13))
    existing = db.session.scalar(
        select(PeriodReport).where(
            PeriodReport.member_id == member.id, PeriodReport.year == year, PeriodReport.quarter == quarter
        )
    )
    form = PeriodReportForm(data={"summary": existing.summary} if existing else None)
    if form.validate_on_submit():
        try:
            services.compose_period_report(db.session, member, year, quarter, form.summary.data or "")
        except services.PerformanceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("%(period)s %(year)s disimpan.", period=_(PERIOD_LABELS[quarter]), year=year), "success")
            return redirect(url_for(".period", year=year, quarter=quarter))
    rows = [r for r in month_rows(member, year, local_today()) if r["month"] in months_in]
    preview = rules.mean(r["achievement"] for r in rows if r["achievement"] is not None)
    return render(
        "performance/period.html",
        year=year,
        quarter=quarter,
        title=PERIOD_LABELS[quarter],
        rows=rows,
        existing=existing,
        preview=preview,
        form=form,
        status_labels=rules.REPORT_STATUS_LABELS,
        period_labels=PERIOD_LABELS,
    ), 422 if form.errors or form.form_errors else 200


# --- 6. who may download evidence (issue 5) --------------------------------------------------------------


@register_file_access(services.EVIDENCE_PURPOSE)
def evidence_access(user: Any, stored: StoredFile) -> bool:
    """Besides the member who uploaded it: their koordinator, the sekretaris and the ketua — nobody else."""
    row = db.session.execute(
        select(MonthlyReport.member_id, MonthlyReport.opd_id)
        .join(Realisation, Realisation.report_id == MonthlyReport.id)
        .join(Evidence, Evidence.realisation_id == Realisation.id)
        .where(Evidence.file_id == stored.id)
    ).first()
    if row is None:
        return False
    return services.can_see_member_reports(user, row.member_id, row.opd_id)


# --- 7. the dashboard card and the menu -------------------------------------------------------------------


@cards.card(
    key="performance_month",
    title="Laporan bulan ini",
    template="performance/_card_month.html",
    roles={Role.ANGGOTA},
    order=10,
    lazy=True,
)
def month_card_context(user: User) -> dict[str, Any]:
    """This month's report — or last month's while it is still unfinished, since it is due in the
    first days of this one: status, due date, what is missing, and a link."""
    today = local_today()
    year, month = today.year, today.month
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    previous = _find_report(user.id, prev_year, prev_month)
    unfinished = previous is not None and rules.is_editable(previous.status.value)
    if previous is None:
        unfinished = bool(
            db.session.scalar(
                select(func.count(ActionPlan.id)).where(
                    ActionPlan.member_id == user.id, ActionPlan.year == prev_year, ActionPlan.month == prev_month
                )
            )
        )
    if unfinished:
        year, month = prev_year, prev_month
    report = _report_or_blank(user, year, month)
    settings = services.settings(db.session)
    editable = rules.is_editable(report.status.value)
    return {
        "year": year,
        "month": month,
        "month_label": f"{month_name(month)} {year}",
        "status": report.status.value,
        "status_label": rules.REPORT_STATUS_LABELS[report.status.value],
        "due": rules.due_date(year, month, settings.due_day),
        "late": rules.is_late(year, month, report.status.value, _submitted_on(report), today, settings.due_day),
        "missing": len(services.report_problems(db.session, report)) if editable else 0,
        "url": url_for("performance.month", year=year, month=month),
    }


nav.register(
    nav.NavItem("Laporan bulanan", "performance.months", group="Kinerja", order=50),
    nav.NavItem("Rencana kinerja", "performance.plan", group="Kinerja", order=51),
)
