"""The review side of reports and performance (DESIGN §3; 002 §20(2)–(4); 004; issue 5).

Koordinators see the reports waiting in their OPDs, return or validate them with feedback (which
locks the month), approve plans and rate their members for the year; the sekretaris unlocks a
month with a reason, consolidates the evaluations and sets the cap, the due day and the predikat
quotas; the ketua sends the final report to the pembina. Recaps export to Excel and PDF.

Views stay thin: they parse, call pontive.performance.services, and turn a refusal into a message.
A reviewer who does not oversee a report, plan or member gets 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select, true

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core import nav
from pontive.core.excel import xlsx_response
from pontive.core.formats import MONTHS, month_name
from pontive.core.forms import ButtonForm
from pontive.core.htmx import render, wants_fragment
from pontive.core.i18n import to_local
from pontive.core.letters import pdf_response, render_pdf
from pontive.core.models import utcnow
from pontive.core.pagination import capped_count, capped_page, paginate
from pontive.core.permissions import roles_required
from pontive.extensions import db
from pontive.performance import cards as _cards  # noqa: F401 - registers the review dashboard cards
from pontive.performance import recaps, rules, services
from pontive.performance.models import (
    Evaluation,
    EvaluationStatus,
    FinalTeamReport,
    MonthlyReport,
    PerformancePlan,
    PlanStatus,
    ReportStatus,
)
from pontive.performance.review_forms import (
    EvaluationForm,
    FeedbackForm,
    FinalReportForm,
    PlanDecisionForm,
    SettingsForm,
    UnlockForm,
    quota_field_name,
)
from pontive.team import services as team
from pontive.team.models import Membership

bp = Blueprint("reviews", __name__, url_prefix="/penilaian")

REVIEWERS = (Role.KOORDINATOR, Role.SEKRETARIS, Role.KETUA)
QUEUE_LIMIT = 10  # the oldest waiting reports shown at once; "tampilkan lebih banyak" loads the next ones
QUEUE_MAX_OFFSET = 1000
WAITING_COUNT_LIMIT = 1000  # the badge reads "lebih dari 1.000" beyond
PDF_ROW_LIMIT = 150  # xhtml2pdf is slow with long tables: a longer recap points to the Excel file
DECISION_LABELS = {
    "submitted": "Diajukan anggota",
    "returned": "Dikembalikan dengan umpan balik",
    "validated": "Divalidasi (bulan dikunci)",
    "unlocked": "Kunci dibuka sekretaris",
}
EVALUATION_STATUS_LABELS = {
    "draft": "Draf koordinator",
    "submitted": "Diteruskan ke sekretaris",
    "consolidated": "Dikonsolidasi sekretaris",
    "final": "Dalam laporan akhir",
}
PLAN_STATUS_LABELS = {"draft": "Draf", "submitted": "Menunggu persetujuan", "approved": "Disetujui"}
MONTH_STATUS_FILTERS = {
    "": "Semua status",
    "none": "Belum ada laporan",
    "draft": "Draf",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "validated": "Divalidasi",
    "late": "Terlambat",
}

nav.register(
    nav.NavItem("Penilaian kinerja", "reviews.index", group="Kinerja", order=60),
    nav.NavItem("Rekap kinerja", "reviews.recap", group="Kinerja", order=61),
    nav.NavItem("Pengaturan kinerja", "reviews.settings", group="Kinerja", order=62),
)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "month_name": month_name,
        "status_labels": rules.REPORT_STATUS_LABELS,
        "decision_labels": DECISION_LABELS,
        "evaluation_status_labels": EVALUATION_STATUS_LABELS,
        "plan_status_labels": PLAN_STATUS_LABELS,
        "rating_labels": rules.RATINGS,
        "berakhlak": rules.BERAKHLAK,
        "predikats": rules.PREDIKATS,
        "aspects": rules.ASPECTS,
    }


# --- who oversees what ---------------------------------------------------------------------------------


def _user() -> User:
    return current_user._get_current_object()


def local_today() -> dt.date:
    return to_local(utcnow()).date()


def overseen_opd_ids(user: User) -> set[int] | None:
    """None: every OPD (the sekretaris and the ketua, 002 §11–12); else the koordinator's own OPDs."""
    if user.has_role(Role.SEKRETARIS, Role.KETUA):
        return None
    return user.opd_ids_for(Role.KOORDINATOR)


def _oversees(user: User, opd_id: int | None, member_id: int) -> bool:
    if user.has_role(Role.SEKRETARIS, Role.KETUA):
        return True
    return services.is_koordinator_for(user, opd_id) and user.id != member_id


def get_report_or_404(report_id: int) -> MonthlyReport:
    """The report, if the user oversees its member's OPD; 404 otherwise (a stranger learns nothing)."""
    report = db.session.get(MonthlyReport, report_id)
    if report is None or not _oversees(_user(), report.opd_id, report.member_id):
        abort(404)
    return report


def get_plan_or_404(plan_id: int) -> PerformancePlan:
    plan = db.session.get(PerformancePlan, plan_id)
    if plan is None or not _oversees(_user(), plan.opd_id, plan.member_id):
        abort(404)
    return plan


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= local_today().year + 1:
        abort(404)
    return year


def _opd_scope_clause(column, opd_ids: set[int] | None):
    return true() if opd_ids is None else column.in_(sorted(opd_ids) or [-1])


def _opds(opd_ids: set[int] | None) -> list[Opd]:
    query = select(Opd).order_by(Opd.name)
    if opd_ids is None:
        query = query.where(Opd.active)
    else:
        query = query.where(Opd.id.in_(sorted(opd_ids) or [-1]))
    return list(db.session.scalars(query))


def _previous_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _period_args(default: tuple[int, int]) -> tuple[int, int]:
    year = request.args.get("tahun", type=int) or default[0]
    month = request.args.get("bulan", type=int) or default[1]
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        return default
    return year, month


def _due_boundary_utc(year: int, month: int, due_day: int) -> dt.datetime:
    """The first moment after the due day, on the city's clock, as stored (naive UTC)."""
    due = rules.due_date(year, month, due_day)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _late(row: recaps.MonthlyRow, year: int, month: int, today: dt.date, due_day: int) -> bool:
    submitted_on = to_local(row.submitted_at).date() if row.submitted_at else None
    return rules.is_late(year, month, row.status or "draft", submitted_on, today, due_day)


def _page(html: str, status: int, canonical: str):
    """A page answered to a refused POST: boosted navigation shows the page's own address, not the
    POST endpoint's, which a reload could not GET."""
    response = make_response(html, status)
    if request.method == "POST":
        response.headers["HX-Push-Url"] = canonical
    return response


# --- the reviewer's page: waiting reports, month statuses, plans ---------------------------------------


def _waiting_where(scope_ids: set[int] | None) -> tuple:
    return (MonthlyReport.status == ReportStatus.SUBMITTED, _opd_scope_clause(MonthlyReport.opd_id, scope_ids))


def _waiting(scope_ids: set[int] | None, offset: int) -> list:
    """QUEUE_LIMIT + 1 reports awaiting validation from ``offset``, oldest first (the extra one says
    whether there are more), read along the partial (status, opd_id, submitted_at) index."""
    return db.session.execute(
        select(
            MonthlyReport.id,
            MonthlyReport.year,
            MonthlyReport.month,
            MonthlyReport.submitted_at,
            User.full_name.label("member_name"),
            Opd.name.label("opd_name"),
            Opd.short_name.label("opd_short_name"),
        )
        .join(User, User.id == MonthlyReport.member_id)
        .outerjoin(Opd, Opd.id == MonthlyReport.opd_id)
        .where(*_waiting_where(scope_ids))
        .order_by(MonthlyReport.submitted_at, MonthlyReport.id)
        .offset(offset)
        .limit(QUEUE_LIMIT + 1)
    ).all()


def _row_labels() -> dict[str, str]:
    """The words the rows repeat, translated once a page: report statuses, "no report", the months."""
    labels = {key: _(label) for key, label in rules.REPORT_STATUS_LABELS.items()}
    labels[""] = _(recaps.NO_REPORT)
    labels.update({f"m{m}": _(month_name(m)) for m in range(1, 13)})
    return labels


def _waiting_more(scope_ids: set[int] | None):
    """The next reports of the waiting queue (?antrian=<offset>, htmx): rows replacing the "more" row."""
    offset = min(max(request.args.get("antrian", 0, type=int) or 0, 0), QUEUE_MAX_OFFSET)
    waiting = _waiting(scope_ids, offset)
    return render(
        "reviews/index.html",
        "waiting_rows",
        waiting=waiting[:QUEUE_LIMIT],
        waiting_next=offset + QUEUE_LIMIT
        if len(waiting) > QUEUE_LIMIT and offset + QUEUE_LIMIT <= QUEUE_MAX_OFFSET
        else None,
        row_labels=_row_labels(),
    )


@bp.route("")
@roles_required(*REVIEWERS)
def index():
    user = _user()
    today = local_today()
    if "antrian" in request.args and wants_fragment():
        return _waiting_more(overseen_opd_ids(user))
    settings = services.settings(db.session)
    scope_ids = overseen_opd_ids(user)
    year, month = _period_args(_previous_month(today))
    opd_id = request.args.get("opd", type=int)
    if opd_id is not None and scope_ids is not None and opd_id not in scope_ids:
        abort(404)
    status = request.args.get("status", "")
    if status not in MONTH_STATUS_FILTERS:
        status = ""
    table_ids = {opd_id} if opd_id is not None else scope_ids
    scope = recaps.Scope(year, month, None if table_ids is None else tuple(sorted(table_ids)))

    due = rules.due_date(year, month, settings.due_day)
    condition = None
    if status == "none":
        condition = MonthlyReport.id.is_(None)
    elif status == "late":
        boundary = _due_boundary_utc(year, month, settings.due_day)
        not_filed = or_(MonthlyReport.id.is_(None), MonthlyReport.status == ReportStatus.DRAFT)
        late_filed = and_(MonthlyReport.status != ReportStatus.DRAFT, MonthlyReport.submitted_at >= boundary)
        overdue = due < today
        condition = or_(late_filed, and_(not_filed, overdue)) if overdue else late_filed
    elif status:
        condition = MonthlyReport.status == ReportStatus(status)
    page = capped_page(lambda limit: recaps.count_monthly(db.session, scope, condition=condition, limit=limit))
    rows = db.session.execute(recaps.monthly_query(scope, condition=condition, offset=page.offset, limit=page.per_page))
    page.items = [
        (row, _late(row, year, month, today, settings.due_day)) for row in (recaps.monthly_row(r) for r in rows)
    ]

    if wants_fragment():  # the month statuses only: the queues above them are not swapped
        return render(
            "reviews/index.html",
            "results",
            year=year,
            month=month,
            opd_id=opd_id,
            status=status,
            page=page,
            due=due,
            row_labels=_row_labels(),
        )

    waiting_count = capped_count(select(MonthlyReport.id).where(*_waiting_where(scope_ids)), WAITING_COUNT_LIMIT)
    waiting = _waiting(scope_ids, 0)
    plans = db.session.execute(
        select(
            PerformancePlan.id,
            PerformancePlan.year,
            User.full_name.label("member_name"),
            Opd.name.label("opd_name"),
            Opd.short_name.label("opd_short_name"),
        )
        .join(User, User.id == PerformancePlan.member_id)
        .outerjoin(Opd, Opd.id == PerformancePlan.opd_id)
        .where(PerformancePlan.status == PlanStatus.SUBMITTED, _opd_scope_clause(PerformancePlan.opd_id, scope_ids))
        .order_by(PerformancePlan.updated_at, PerformancePlan.id)
        .limit(QUEUE_LIMIT)
    ).all()
    own_achievement = (
        services.koordinator_achievement(db.session, user, today.year) if user.has_role(Role.KOORDINATOR) else None
    )
    return render(
        "reviews/index.html",
        "results",
        user=user,
        today=today,
        settings=settings,
        year=year,
        month=month,
        opd_id=opd_id,
        status=status,
        status_filters=MONTH_STATUS_FILTERS,
        opds=_opds(scope_ids),
        page=page,
        due=due,
        waiting=waiting[:QUEUE_LIMIT],
        waiting_next=QUEUE_LIMIT if len(waiting) > QUEUE_LIMIT else None,
        waiting_count=waiting_count,
        row_labels=_row_labels(),
        plans=plans,
        own_achievement=own_achievement,
        months=MONTHS["id"],
        years=list(range(today.year, today.year - 5, -1)),
        is_koordinator=user.has_role(Role.KOORDINATOR),
        is_sekretaris=user.has_role(Role.SEKRETARIS),
        is_ketua=user.has_role(Role.KETUA),
    )


# --- one monthly report -----------------------------------------------------------------------------------


def _report_lines(report: MonthlyReport, cap: Decimal) -> tuple[list[dict[str, Any]], Decimal | None]:
    plans = services.action_plans_for(db.session, report.member_id, report.year, report.month)
    by_plan = {r.action_plan_id: r for r in report.realisations}
    lines = []
    for plan in plans:
        realisation = by_plan.get(plan.id)
        value = realisation.value if realisation else None
        achievement = rules.achievement(value, plan.target_value, cap) if value is not None else None
        lines.append({"plan": plan, "realisation": realisation, "achievement": achievement})
    mean = rules.monthly_achievement([line["achievement"] for line in lines if line["achievement"] is not None])
    return lines, mean


def _render_report(
    report: MonthlyReport,
    *,
    feedback_form: FeedbackForm | None = None,
    unlock_form: UnlockForm | None = None,
    status: int = 200,
):
    user = _user()
    settings = services.settings(db.session)
    lines, mean = _report_lines(report, settings.achievement_cap)
    today = local_today()
    submitted_on = to_local(report.submitted_at).date() if report.submitted_at else None
    can_review = report.status == ReportStatus.SUBMITTED and services.is_koordinator_for(user, report.opd_id)
    can_unlock = report.status == ReportStatus.VALIDATED and user.has_role(Role.SEKRETARIS)
    last_feedback = next((r for r in reversed(report.reviews) if r.feedback), None)
    html = render(
        "reviews/report.html",
        report=report,
        lines=lines,
        mean=mean,
        settings=settings,
        due=rules.due_date(report.year, report.month, settings.due_day),
        late=rules.is_late(report.year, report.month, report.status.value, submitted_on, today, settings.due_day),
        can_review=can_review and user.id != report.member_id,
        can_unlock=can_unlock,
        feedback_form=feedback_form or FeedbackForm(),
        unlock_form=unlock_form or UnlockForm(),
        last_feedback=last_feedback,
        tab="report",
    )
    return _page(html, status, url_for("reviews.report", report_id=report.id))


@bp.route("/laporan/<int:report_id>")
@roles_required(*REVIEWERS)
def report(report_id: int):
    return _render_report(get_report_or_404(report_id))


@bp.route("/laporan/<int:report_id>/riwayat")
@roles_required(*REVIEWERS)
def report_history(report_id: int):
    """The validation history, its own tab (004 "history validasi … ke tab tersendiri")."""
    report = get_report_or_404(report_id)
    return render("reviews/report_history.html", report=report, tab="history")


def _review_action(report_id: int, action, done_message: str):
    report = get_report_or_404(report_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            action(db.session, _user(), report, form.feedback.data or "")
        except services.PerformanceError as exc:
            db.session.rollback()
            form.feedback.errors.append(str(exc))
        else:
            flash(
                done_message.format(name=report.member.full_name, period=f"{month_name(report.month)} {report.year}"),
                "success",
            )
            return redirect(url_for("reviews.index"))
    db.session.refresh(report)
    return _render_report(report, feedback_form=form, status=422)


@bp.route("/laporan/<int:report_id>/kembalikan", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def report_return(report_id: int):
    return _review_action(
        report_id, services.return_report, _("Laporan {name} bulan {period} dikembalikan dengan umpan balik.")
    )


@bp.route("/laporan/<int:report_id>/validasi", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def report_validate(report_id: int):
    return _review_action(
        report_id, services.validate_report, _("Laporan {name} bulan {period} divalidasi; bulan ini kini terkunci.")
    )


@bp.route("/laporan/<int:report_id>/buka-kunci", methods=["POST"])
@roles_required(Role.SEKRETARIS)
def report_unlock(report_id: int):
    report = get_report_or_404(report_id)
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            services.unlock_report(db.session, _user(), report, form.reason.data or "")
        except services.PerformanceError as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            flash(_("Kunci bulan ini dibuka; anggota dapat memperbaiki laporannya."), "success")
            return redirect(url_for("reviews.report", report_id=report.id))
    db.session.refresh(report)
    return _render_report(report, unlock_form=form, status=422)


# --- plan approval ----------------------------------------------------------------------------------------


def _render_plan(plan: PerformancePlan, form: PlanDecisionForm | None = None, status: int = 200):
    user = _user()
    actions = services.action_plans_for(db.session, plan.member_id, plan.year)
    by_result: dict[int, list] = {}
    for action in actions:
        by_result.setdefault(action.work_result_id, []).append(action)
    can_decide = (
        plan.status == PlanStatus.SUBMITTED
        and services.is_koordinator_for(user, plan.opd_id)
        and user.id != plan.member_id
    )
    html = render(
        "reviews/plan.html", plan=plan, actions=by_result, form=form or PlanDecisionForm(), can_decide=can_decide
    )
    return _page(html, status, url_for("reviews.plan", plan_id=plan.id))


@bp.route("/rencana/<int:plan_id>")
@roles_required(*REVIEWERS)
def plan(plan_id: int):
    return _render_plan(get_plan_or_404(plan_id))


@bp.route("/rencana/<int:plan_id>/setujui", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def plan_decide(plan_id: int):
    plan = get_plan_or_404(plan_id)
    form = PlanDecisionForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        try:
            services.approve_plan(db.session, _user(), plan, approve=approve, feedback=form.feedback.data or "")
        except services.PerformanceError as exc:
            db.session.rollback()
            form.feedback.errors.append(str(exc))
        else:
            if approve:
                flash(_("Rencana kinerja %(name)s disetujui.", name=plan.member.full_name), "success")
            else:
                flash(
                    _("Rencana kinerja %(name)s dikembalikan untuk diperbaiki.", name=plan.member.full_name), "success"
                )
            return redirect(url_for("reviews.index"))
    db.session.refresh(plan)
    return _render_plan(plan, form, 422)


# --- yearly evaluation (002 §20(2)) -------------------------------------------------------------------------


def _koordinator_memberships_query(user: User):
    opd_ids = sorted(user.opd_ids_for(Role.KOORDINATOR)) or [-1]
    return (
        select(Membership)
        .join(User, User.id == Membership.member_id)
        .where(
            Membership.status.in_(team.SERVING),
            Membership.placement_opd_id.in_(opd_ids),
            Membership.member_id != user.id,
        )
        .order_by(User.full_name, Membership.id)
    )


@bp.route("/evaluasi/<int:year>")
@roles_required(Role.KOORDINATOR)
def evaluations(year: int):
    """The koordinator's members for a year: yearly achievement, rating status, predikat."""
    year = _year_or_404(year)
    user = _user()
    page = paginate(_koordinator_memberships_query(user))
    member_ids = [m.member_id for m in page.items]
    existing = {
        e.member_id: e
        for e in db.session.scalars(
            select(Evaluation).where(Evaluation.year == year, Evaluation.member_id.in_(member_ids or [-1]))
        )
    }
    achievements = services.yearly_achievements(db.session, year, member_ids) if member_ids else {}
    drafts = db.session.scalar(
        select(func.count(Evaluation.id)).where(
            Evaluation.year == year, Evaluation.koordinator_id == user.id, Evaluation.status == EvaluationStatus.DRAFT
        )
    )
    return render(
        "reviews/evaluations.html",
        "results",
        year=year,
        page=page,
        evaluations=existing,
        achievements=achievements,
        drafts=drafts,
        submit_form=ButtonForm(),
        suggest=rules.results_rating_from,
    )


@bp.route("/evaluasi/<int:year>/kirim", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def evaluations_submit(year: int):
    year = _year_or_404(year)
    if ButtonForm().validate_on_submit():
        try:
            count = services.submit_evaluations(db.session, _user(), year)
        except services.PerformanceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("%(n)s penilaian diteruskan ke sekretaris.", n=count), "success")
    return redirect(url_for("reviews.evaluations", year=year))


def _member_to_evaluate_or_404(member_id: int) -> tuple[User, Membership]:
    user = _user()
    membership = team.current_membership(db.session, member_id)
    if membership is None or not services.is_koordinator_for(user, membership.placement_opd_id) or member_id == user.id:
        abort(404)
    return membership.member, membership


@bp.route("/evaluasi/<int:year>/<int:member_id>", methods=["GET", "POST"])
@roles_required(Role.KOORDINATOR)
def evaluation(year: int, member_id: int):
    """Results above / as / below expectation (with a suggestion from the yearly achievement), the
    seven BerAKHLAK values and the overall behaviour; the predikat follows the matrix (DESIGN §3)."""
    year = _year_or_404(year)
    member, membership = _member_to_evaluate_or_404(member_id)
    existing = db.session.scalar(select(Evaluation).where(Evaluation.member_id == member.id, Evaluation.year == year))
    achievement = services.yearly_achievements(db.session, year, [member.id]).get(member.id)
    suggestion = rules.results_rating_from(achievement)
    form = EvaluationForm()
    if request.method == "GET":
        if existing is not None:
            form.results_rating.data = existing.results_rating
            form.behaviour_rating.data = existing.behaviour_rating
            form.notes.data = existing.notes
            for key, _label in rules.BERAKHLAK:
                form[key].data = (existing.behaviour or {}).get(key)
        else:
            form.results_rating.data = suggestion
    locked = existing is not None and existing.status != EvaluationStatus.DRAFT
    error = None
    if not locked and form.validate_on_submit():
        try:
            saved = services.save_evaluation(
                db.session,
                _user(),
                member,
                year,
                results_rating=form.results_rating.data,
                behaviour=form.behaviour_data(),
                behaviour_rating=form.behaviour_rating.data,
                notes=form.notes.data or "",
            )
        except services.PerformanceError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(
                _(
                    "Penilaian %(name)s disimpan: predikat %(predikat)s.",
                    name=member.full_name,
                    predikat=saved.predikat,
                ),
                "success",
            )
            return redirect(url_for("reviews.evaluation", year=year, member_id=member.id))
    status = 422 if request.method == "POST" else 200
    return render(
        "reviews/evaluation.html",
        year=year,
        member=member,
        membership=membership,
        evaluation=existing,
        achievement=achievement,
        suggestion=suggestion,
        form=form,
        error=error,
        locked=locked,
        matrix=rules.PREDIKAT_MATRIX,
    ), status


# --- consolidation by the sekretaris (002 §20(3)) and the ketua's final report (002 §20(4)) ------------------


def _distribution(year: int, statuses: tuple[EvaluationStatus, ...]) -> dict[str, int]:
    rows = db.session.execute(
        select(Evaluation.predikat, func.count(Evaluation.id))
        .where(Evaluation.year == year, Evaluation.status.in_(statuses), Evaluation.predikat.is_not(None))
        .group_by(Evaluation.predikat)
    )
    counts = dict(rows.all())
    return {name: counts.get(name, 0) for name in rules.PREDIKATS}


def _evaluations_page(year: int, statuses: tuple[EvaluationStatus, ...]):
    query = (
        select(Evaluation)
        .join(User, User.id == Evaluation.member_id)
        .outerjoin(Opd, Opd.id == Evaluation.opd_id)
        .where(Evaluation.year == year, Evaluation.status.in_(statuses))
        .order_by(Opd.name, User.full_name, Evaluation.id)
    )
    return paginate(query, per_page=50)


IN_REVIEW = (EvaluationStatus.SUBMITTED, EvaluationStatus.CONSOLIDATED, EvaluationStatus.FINAL)


@bp.route("/konsolidasi/<int:year>", methods=["GET", "POST"])
@roles_required(Role.SEKRETARIS)
def consolidation(year: int):
    """Every evaluation of the year by OPD, the predikat distribution and the quota check: a breach is
    shown with the members concerned, not hidden (004 "kuota predikat")."""
    year = _year_or_404(year)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            count = services.consolidate(db.session, _user(), year)
        except services.PerformanceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("%(n)s penilaian dikonsolidasi dan diteruskan ke Ketua Tim.", n=count), "success")
        return redirect(url_for("reviews.consolidation", year=year))
    counts = dict(
        db.session.execute(
            select(Evaluation.status, func.count(Evaluation.id))
            .where(Evaluation.year == year)
            .group_by(Evaluation.status)
        ).all()
    )
    return render(
        "reviews/consolidation.html",
        "results",
        year=year,
        page=_evaluations_page(year, (EvaluationStatus.DRAFT, *IN_REVIEW)),
        distribution=_distribution(year, IN_REVIEW),
        breaches=services.quota_check(db.session, year, IN_REVIEW),
        quotas=services.settings(db.session).predikat_quotas or {},
        counts={s.value if hasattr(s, "value") else s: n for s, n in counts.items()},
        form=form,
    )


def _final_report(year: int) -> FinalTeamReport | None:
    return db.session.scalar(select(FinalTeamReport).where(FinalTeamReport.year == year))


@bp.route("/laporan-akhir/<int:year>", methods=["GET", "POST"])
@roles_required(Role.KETUA)
def final_report(year: int):
    """The consolidated evaluations, the quota check, and the final report to the pembina."""
    year = _year_or_404(year)
    sent = _final_report(year)
    form = FinalReportForm()
    if request.method == "GET" and not form.letter_date.data:
        form.letter_date.data = local_today()
    status, error = 200, None
    if sent is None and form.validate_on_submit():
        try:
            services.send_final_report(
                db.session, _user(), year, form.number.data, form.letter_date.data, form.summary.data or ""
            )
        except services.PerformanceError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Laporan akhir tahun %(year)s disampaikan kepada Pembina.", year=year), "success")
            return redirect(url_for("reviews.final_report", year=year))
    if request.method == "POST":
        status = 422
    statuses = (EvaluationStatus.FINAL,) if sent else (EvaluationStatus.CONSOLIDATED,)
    return render(
        "reviews/final_report.html",
        "results",
        year=year,
        sent=sent,
        form=form,
        error=error,
        page=_evaluations_page(year, statuses),
        distribution=_distribution(year, statuses),
        breaches=[] if sent else services.quota_check(db.session, year, [EvaluationStatus.CONSOLIDATED]),
        waiting=db.session.scalar(
            select(func.count(Evaluation.id)).where(
                Evaluation.year == year, Evaluation.status == EvaluationStatus.SUBMITTED
            )
        ),
    ), status


@bp.route("/laporan-akhir/<int:year>.pdf")
@roles_required(Role.KETUA, Role.PEMBINA, Role.SEKRETARIS)
def final_report_pdf(year: int):
    """The final report letter to the pembina with each member's evaluation and predikat (002 §20(4))."""
    sent = _final_report(year)
    if sent is None:
        abort(404)
    rows = list(
        db.session.execute(
            select(Evaluation, User.full_name, Opd.name)
            .join(User, User.id == Evaluation.member_id)
            .outerjoin(Opd, Opd.id == Evaluation.opd_id)
            .where(Evaluation.year == year, Evaluation.status == EvaluationStatus.FINAL)
            .order_by(Opd.name, User.full_name)
        )
    )
    ketua = db.session.get(User, sent.ketua_id) if sent.ketua_id else None
    pdf = render_pdf(
        "letters/final_report.html",
        number=sent.number,
        date=sent.letter_date,
        subject=f"Laporan Akhir dan Evaluasi Kinerja Anggota Tim Programmer Tahun {year}",
        attachment="1 (satu) berkas",
        recipient="Sekretaris Daerah selaku Pembina Tim Programmer",
        signer_title="Ketua Tim Programmer,",
        signer_name=ketua.full_name if ketua else "",
        signer_nip=ketua.nip if ketua else None,
        year=year,
        report=sent,
        rows=rows,
        distribution=_distribution(year, (EvaluationStatus.FINAL,)),
        rating_labels=rules.RATINGS,
        predikats=rules.PREDIKATS,
    )
    return pdf_response(pdf, f"laporan-akhir-tim-{year}.pdf")


# --- settings ---------------------------------------------------------------------------------------------


@bp.route("/pengaturan", methods=["GET", "POST"])
@roles_required(Role.SEKRETARIS, Role.ADMIN)
def settings():
    """The achievement cap (default 120 %), the due day of the next month and the predikat quotas."""
    current = services.settings(db.session)
    form = SettingsForm()
    if request.method == "GET":
        form.achievement_cap.data = current.achievement_cap
        form.due_day.data = current.due_day
        for name in rules.PREDIKATS:
            value = (current.predikat_quotas or {}).get(name)
            form[quota_field_name(name)].data = Decimal(str(value)) if value is not None else None
    if form.validate_on_submit():
        quotas = {
            name: form[quota_field_name(name)].data
            for name in rules.PREDIKATS
            if form[quota_field_name(name)].data is not None
        }
        try:
            services.save_settings(db.session, _user(), form.achievement_cap.data, form.due_day.data, quotas)
        except services.PerformanceError as exc:
            db.session.rollback()
            form.achievement_cap.errors = [*form.achievement_cap.errors, str(exc)]
        else:
            flash(_("Pengaturan kinerja disimpan."), "success")
            return redirect(url_for("reviews.settings"))
    return render("reviews/settings.html", form=form), 422 if form.errors else 200


# --- recaps (004 "export … PDF dan Excel") -----------------------------------------------------------------


def _recap_scope() -> recaps.Scope:
    """The recap asked for: ?tahun=&bulan=&opd= — a koordinator only their own OPDs (others: 404),
    the sekretaris and the ketua any OPD or the whole team."""
    user = _user()
    today = local_today()
    year = request.args.get("tahun", type=int) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    month = request.args.get("bulan", type=int)
    if month is not None and not 1 <= month <= 12:
        month = None
    scope_ids = overseen_opd_ids(user)
    opd_id = request.args.get("opd", type=int)
    if opd_id is not None:
        if scope_ids is not None and opd_id not in scope_ids:
            abort(404)
        opd = db.session.get(Opd, opd_id)
        if opd is None:
            abort(404)
        return recaps.Scope(year, month, (opd.id,), opd.name)
    if scope_ids is None:
        return recaps.Scope(year, month, None, "Seluruh tim")
    names = [o.name for o in _opds(scope_ids)]
    return recaps.Scope(year, month, tuple(sorted(scope_ids)), ", ".join(names) or "—")


def _recap_args(scope: recaps.Scope) -> dict[str, Any]:
    args: dict[str, Any] = {"tahun": scope.year}
    if scope.month:
        args["bulan"] = scope.month
    if scope.opd_ids is not None and len(scope.opd_ids) == 1 and request.args.get("opd"):
        args["opd"] = scope.opd_ids[0]
    return args


@bp.route("/rekap")
@roles_required(*REVIEWERS)
def recap():
    """The monthly recap (a month chosen) or the yearly recap (no month), per OPD or for the whole team."""
    user = _user()
    scope = _recap_scope()
    today = local_today()
    page = capped_page(lambda limit: recaps.count_members(db.session, scope, limit))
    if scope.month:
        page.items = list(recaps.monthly_rows(db.session, scope, offset=page.offset, limit=page.per_page))
    else:
        ids = recaps.yearly_member_page(db.session, scope, page.offset, page.per_page)
        page.items = list(recaps.yearly_rows(db.session, scope, ids)) if ids else []
    scope_ids = overseen_opd_ids(user)
    return render(
        "reviews/recap.html",
        "results",
        scope=scope,
        page=page,
        args=_recap_args(scope),
        opds=[] if wants_fragment() else _opds(scope_ids),
        whole_team=scope_ids is None,
        selected_opd=request.args.get("opd", type=int),
        months=MONTHS["id"],
        years=list(range(today.year, today.year - 5, -1)),
        row_labels=_row_labels(),
    )


@bp.route("/rekap.xlsx")
@roles_required(*REVIEWERS)
def recap_xlsx():
    scope = _recap_scope()
    if scope.month:
        return xlsx_response(
            f"{scope.slug}.xlsx",
            f"Rekap {scope.period_label}",
            recaps.MONTHLY_HEADERS,
            recaps.monthly_export_rows(db.session, scope),
        )
    return xlsx_response(
        f"{scope.slug}.xlsx",
        f"Rekap {scope.year}",
        recaps.yearly_headers(),
        recaps.yearly_export_rows(db.session, scope),
    )


@bp.route("/rekap.pdf")
@roles_required(*REVIEWERS)
def recap_pdf():
    scope = _recap_scope()
    total = recaps.count_members(db.session, scope)
    if scope.month:
        rows: list[Any] = list(recaps.monthly_rows(db.session, scope, limit=PDF_ROW_LIMIT))
    else:
        ids = recaps.yearly_member_page(db.session, scope, 0, PDF_ROW_LIMIT)
        rows = list(recaps.yearly_rows(db.session, scope, ids)) if ids else []
    pdf = render_pdf(
        "letters/recap.html",
        subject=f"Rekap Laporan Kinerja {scope.period_label}",
        scope=scope,
        rows=rows,
        total=total,
        truncated=total > len(rows),
        printed=local_today(),
        month_name=month_name,
        status_labels=rules.REPORT_STATUS_LABELS,
        no_report=recaps.NO_REPORT,
    )
    return pdf_response(pdf, f"{scope.slug}.pdf")
