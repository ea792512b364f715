"""The PPK's, the PPTK's and the admin's side of contract IT workers (seed 000; DESIGN §4): contracts
with their duties and pay, leave decisions and the team's leave calendar, monthly assessments,
the end-of-contract evaluation and the review of monthly activity reports.

Who may do what:
- the PPK and the admin manage contracts; the PPTK reads them;
- the contract's own PPK decides its leave, assesses its months and reviews its activity reports;
  the admin sees leave requests and reports read-only;
- the contract's own PPTK writes the end-of-contract evaluation with the PPK (000 §11).
The services check the same again; a rule they refuse becomes a form error (422) or, when someone
else decided first, a conflict (409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import RoleGrant, User
from pontive.accounts.roles import Role
from pontive.contracts import rules, services
from pontive.contracts.forms import (
    ACCEPT,
    APPROVE,
    GOOD,
    AssessmentForm,
    ContractForm,
    DutiesForm,
    EvaluationForm,
    LeaveDecisionForm,
    ReportReviewForm,
    duty_lines,
    parse_duty_lines,
)
from pontive.contracts.letters import render_contract_summary
from pontive.contracts.models import (
    ActivityEntry,
    ActivityReport,
    Contract,
    ContractEvaluation,
    ContractStatus,
    LeaveRequest,
    LeaveStatus,
    MonthlyAssessment,
)
from pontive.core import nav
from pontive.core.formats import month_name
from pontive.core.htmx import render, wants_fragment
from pontive.core.i18n import to_local
from pontive.core.letters import pdf_response
from pontive.core.pagination import COUNT_AHEAD, Page, capped_count, capped_page, paginate
from pontive.core.permissions import roles_required
from pontive.core.services import holidays_between
from pontive.core.uploads import may_download, register_file_access
from pontive.extensions import db
from pontive.performance.rules import REPORT_STATUS_LABELS

bp = Blueprint("contracts", __name__, url_prefix="/kontrak")

MANAGERS = (Role.PPK, Role.ADMIN)  # create and edit contracts and their duties
READERS = (Role.PPK, Role.PPTK, Role.ADMIN)  # read every contract

CONTRACT_STATUS_LABELS = {
    ContractStatus.ACTIVE: "Aktif",
    ContractStatus.ENDED: "Berakhir",
    ContractStatus.TERMINATED: "Diputus",
}
ENDING = "berakhir-30-hari"  # the list's filter for contracts ending within 30 days
RESULT_LABELS = {"baik": "Baik", "buruk": "Buruk"}
CALENDAR_ROWS = 10  # workers a page: the month's htmx fragment stays within 15 KB
# The calendar counts its rows ten pages ahead ("lebih dari 110 tenaga kontrak"): each row counted
# asks whether the contract has leave that month.
CALENDAR_COUNT_AHEAD = 10 * CALENDAR_ROWS
ASSESSMENTS_PER_PAGE = 25


def _user() -> User:
    return current_user._get_current_object()


def local_today() -> dt.date:
    """Today on the city's clock (tests replace this to fix the day)."""
    return to_local(dt.datetime.now(dt.UTC).replace(tzinfo=None)).date()


def _is_htmx_post() -> bool:
    return wants_fragment()


# --- objects a user may see, else 404 ---------------------------------------------------------------


def _contract_or_404(contract_id: int) -> Contract:
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        abort(404)
    return contract


def _is_ppk_of(user: User, contract: Contract) -> bool:
    return user.has_role(Role.PPK) and contract.ppk_id in (user.id, None) and contract.worker_id != user.id


def _is_pptk_of(user: User, contract: Contract) -> bool:
    return user.has_role(Role.PPTK) and contract.pptk_id in (user.id, None)


def _own_contracts_clause(user: User):
    """The contracts whose leave, reports and calendar a user follows (None: all, for an admin)."""
    return services.followed_contracts_clause(user)


# --- contracts --------------------------------------------------------------------------------------


@bp.route("")
@roles_required(*READERS)
def index():
    q = request.args.get("q", "").strip()[
        :100
    ]  # a search box, not a document (SQLite refuses LIKE patterns over 50 KB)
    anywhere = request.args.get("semua") == "1"
    status = request.args.get("status", "")
    today = local_today()
    query = (
        select(Contract)
        .join(User, User.id == Contract.worker_id)
        .options(lazyload(Contract.duties), contains_eager(Contract.worker).lazyload(User.grants))
        .order_by(Contract.end_date.desc(), Contract.id.desc())
    )
    if status in {s.value for s in ContractStatus}:
        query = query.where(Contract.status == ContractStatus(status))
    elif status == ENDING:
        query = query.where(
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date >= today,
            Contract.end_date <= today + dt.timedelta(days=rules.ENDING_NOTICE_DAYS),
        )
    else:
        status = ""
    if q and not anywhere:
        # Names and SPK numbers that begin with the text, from their indexes; when none does, the
        # text anywhere in the name, number or position, as the list has always matched.
        page = paginate(query.where(services.contract_search(db.session, q)))
        anywhere = not page.items and page.page == 1
        offer_anywhere = not anywhere
    else:
        offer_anywhere = False
    if q and anywhere:
        page = paginate(query.where(services.contract_search(db.session, q, anywhere=True)))
    elif not q:
        page = paginate(query)
    return render(
        "contracts/index.html",
        "results",
        page=page,
        q=q,
        anywhere=anywhere,
        offer_anywhere=offer_anywhere,
        status=status,
        status_labels=CONTRACT_STATUS_LABELS,
        # Translated once a page, not once a row.
        row_status={key: _(label) for key, label in CONTRACT_STATUS_LABELS.items()},
        ending_badge=_("Berakhir ≤ 30 hari"),
        ending_filter=ENDING,
        today=today,
        ending_soon=rules.ending_soon,
        may_manage=_user().has_role(*MANAGERS),
    )


def _users_with_role(role: Role, keep: int | None = None) -> list[SelectChoice]:
    rows = db.session.execute(
        select(User.id, User.full_name, User.username)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == role, or_(User.active.is_(True), User.id == keep))
        .order_by(User.full_name, User.id)
    ).all()
    return [SelectChoice(str(i), f"{name} ({username})") for i, name, username in rows]


def _fill_choices(form: ContractForm, contract: Contract | None) -> None:
    none = SelectChoice("", _("— belum ditentukan —"))
    form.worker_id.choices = [SelectChoice("", _("— pilih tenaga kontrak —"))] + _users_with_role(
        Role.KONTRAK, contract.worker_id if contract else None
    )
    form.ppk_id.choices = [none] + _users_with_role(Role.PPK, contract.ppk_id if contract else None)
    form.pptk_id.choices = [none] + _users_with_role(Role.PPTK, contract.pptk_id if contract else None)


# Where a refusal of save_contract is shown: the field its message is about.
_ERROR_FIELDS = (
    ("SPK", "spk_number"),
    ("jumlah upah", "total_value"),
    ("Tanggal berakhir", "end_date"),
    ("Kuota cuti", "leave_quota"),
    ("tenaga kontrak", "worker_id"),
    ("Upah", "wage"),
    ("BPJS Kesehatan", "bpjs_health"),
    ("BPJS Ketenagakerjaan", "bpjs_employment"),
    ("Nilai kontrak", "total_value"),
)


def _field_for(form: ContractForm, message: str):
    for fragment, name in _ERROR_FIELDS:
        if fragment in message:
            return getattr(form, name)
    return form.position


def _contract_form(contract: Contract | None):
    user = _user()
    form = ContractForm(obj=contract)
    _fill_choices(form, contract)
    if request.method == "GET":
        if contract is not None:
            form.fill_from(contract)
        else:
            form.budget_year.data = local_today().year
            if user.has_role(Role.PPK):
                form.ppk_id.data = user.id
    if form.validate_on_submit():
        try:
            saved = services.save_contract(db.session, user, form.data_for_service(), contract)
        except services.ContractError as exc:
            db.session.rollback()
            _field_for(form, str(exc)).errors.append(str(exc))
        else:
            flash(_("Kontrak %(spk)s disimpan.", spk=saved.spk_number), "success")
            return redirect(url_for("contracts.show", contract_id=saved.id))
    return render("contracts/form.html", form=form, contract=contract), 422 if form.errors else 200


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    return _contract_form(None)


@bp.route("/<int:contract_id>/ubah", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(contract_id: int):
    return _contract_form(_contract_or_404(contract_id))


@bp.route("/<int:contract_id>")
@roles_required(*READERS)
def show(contract_id: int):
    user = _user()
    # The worker, the PPK and the PPTK joined in, without their role grants; the duties in one query.
    people = [joinedload(person).lazyload(User.grants) for person in (Contract.worker, Contract.ppk, Contract.pptk)]
    contract = db.session.scalar(
        select(Contract).where(Contract.id == contract_id).options(*people, selectinload(Contract.duties))
    )
    if contract is None:
        abort(404)
    today = local_today()
    leaves = list(
        db.session.scalars(
            select(LeaveRequest)
            .options(lazyload(LeaveRequest.contract), lazyload(LeaveRequest.worker))  # the page's own
            .where(LeaveRequest.contract_id == contract.id)
            .order_by(LeaveRequest.start_date.desc(), LeaveRequest.id.desc())
        )
    )
    assessed = {
        (a.year, a.month): a
        for a in db.session.scalars(select(MonthlyAssessment).where(MonthlyAssessment.contract_id == contract.id))
    }
    months = [
        {"year": y, "month": m, "assessment": assessed.get((y, m)), "open": (y, m) <= (today.year, today.month)}
        for y, m in rules.contract_months(contract.start_date, contract.end_date)
    ]
    evaluation = db.session.scalar(select(ContractEvaluation).where(ContractEvaluation.contract_id == contract.id))
    reports = list(
        db.session.scalars(
            select(ActivityReport)
            .options(lazyload(ActivityReport.entries))
            .where(ActivityReport.contract_id == contract.id, ActivityReport.status != "draft")
            .order_by(ActivityReport.year, ActivityReport.month)
        )
    )
    return render(
        "contracts/show.html",
        contract=contract,
        balance=services.balance(contract),
        leaves=leaves,
        months=months,
        evaluation=evaluation,
        reports=reports,
        today=today,
        ending_soon=rules.ending_soon(contract.end_date, today),
        status_labels=CONTRACT_STATUS_LABELS,
        leave_kinds=rules.LEAVE_KINDS,
        leave_status_labels=rules.LEAVE_STATUS_LABELS,
        result_labels=RESULT_LABELS,
        recommendations=rules.RECOMMENDATIONS,
        report_status_labels=REPORT_STATUS_LABELS,
        month_name=month_name,
        may_manage=user.has_role(*MANAGERS),
        may_assess=_is_ppk_of(user, contract),
        may_evaluate=_is_pptk_of(user, contract),
    )


@bp.route("/<int:contract_id>/tugas", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def duties(contract_id: int):
    contract = _contract_or_404(contract_id)
    form = DutiesForm()
    if request.method == "GET":
        form.lines.data = duty_lines(contract.duties)
    if form.validate_on_submit():
        try:
            services.save_duties(db.session, _user(), contract, parse_duty_lines(form.lines.data))
        except services.ContractError as exc:
            db.session.rollback()
            form.lines.errors.append(str(exc))
        else:
            flash(_("Uraian tugas kontrak disimpan."), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return render(
        "contracts/duties.html", form=form, contract=contract, duty_template=rules.DUTY_TEMPLATE
    ), 422 if form.errors else 200


@bp.route("/<int:contract_id>/ringkasan.pdf")
@roles_required(*READERS)
def summary_pdf(contract_id: int):
    contract = _contract_or_404(contract_id)
    pdf = render_contract_summary(db.session, contract, local_today())
    safe = "".join(ch if ch.isalnum() else "-" for ch in contract.spk_number).strip("-")
    return pdf_response(pdf, f"ringkasan-kontrak-{safe or contract.id}.pdf")


# --- leave decisions (000 §7d) ----------------------------------------------------------------------

LEAVE_FILTERS = {
    "pending": "Menunggu keputusan",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "cancelled": "Dibatalkan",
    "all": "Semua",
}


# Requests a page: a pending one carries its decision form and takes twice the room (the htmx
# fragment of a page stays within 15 KB).
LEAVE_PER_PAGE = {"pending": 10}
LEAVE_PER_PAGE_DECIDED = 20


def _leave_filter(query, user: User, status: str):
    if user.has_role(Role.PPK):
        query = query.where(Contract.ppk_id == user.id)  # a PPK decides the requests of their contracts
    if status != "all":
        query = query.where(LeaveRequest.status == LeaveStatus(status))
    return query


def _leave_query(user: User, status: str):
    query = _leave_filter(
        select(LeaveRequest)
        .join(LeaveRequest.contract)
        .options(
            contains_eager(LeaveRequest.contract).options(lazyload(Contract.duties), lazyload(Contract.worker)),
            joinedload(LeaveRequest.worker).lazyload(User.grants),
            joinedload(LeaveRequest.decided_by).lazyload(User.grants),
        ),
        user,
        status,
    )
    if status == "pending":
        return query.order_by(LeaveRequest.start_date, LeaveRequest.id)
    return query.order_by(LeaveRequest.start_date.desc(), LeaveRequest.id.desc())


def _leave_requests(user: User, status: str) -> Page:
    """The page of requests ?page= asks for. The count, capped like every list's, reads only the
    indexes of contract (ppk_id) and leave_request (status, …, contract_id), not the requests."""
    per_page = LEAVE_PER_PAGE.get(status, LEAVE_PER_PAGE_DECIDED)
    ids = _leave_filter(select(LeaveRequest.id).join(Contract, Contract.id == LeaveRequest.contract_id), user, status)
    page = capped_page(lambda limit: capped_count(ids, limit).total, per_page)
    page.items = list(db.session.scalars(_leave_query(user, status).offset(page.offset).limit(per_page)))
    return page


def _leave_context(user: User) -> dict[str, Any]:
    # The words every request repeats, translated once a page rather than once a request.
    return {
        "kind_labels": {kind: _(label) for kind, label in rules.LEAVE_KINDS.items()},
        "status_labels": {status: _(label) for status, label in rules.LEAVE_STATUS_LABELS.items()},
        "labels": {
            "date": _("Tanggal"),
            "days": _("Hari kerja"),
            "not_deducted": _("tidak mengurangi kuota"),
            "reason": _("Alasan"),
            "balance": _("Saldo cuti"),
            "decided": _("Diputuskan"),
        },
        "may_decide": lambda leave: _is_ppk_of(user, leave.contract) and leave.status == LeaveStatus.PENDING,
        "balance_of": services.balance,
    }


def _leave_page(
    errors: dict[int, str] | None = None, forms: dict[int, LeaveDecisionForm] | None = None, alert: str | None = None
):
    user = _user()
    status = request.args.get("status", "pending")
    if status not in LEAVE_FILTERS:
        status = "pending"
    return render(
        "contracts/leave_requests.html",
        "results",
        page=_leave_requests(user, status),
        status=status,
        filters=LEAVE_FILTERS,
        errors=errors or {},
        forms=forms or {},
        alert=alert,
        read_only=not user.has_role(Role.PPK),
        **_leave_context(user),
    )


@bp.route("/cuti")
@roles_required(Role.PPK, Role.ADMIN)
def leave_requests():
    return _leave_page()


def _leave_item(leave: LeaveRequest, status: int, *, message: str | None = None, form=None, conflict=False):
    """The one request's article, for htmx: after a decision, or with why it was not taken."""
    user = _user()
    html = render_template(
        "contracts/_leave_request.html",
        leave=leave,
        error=message,
        conflict=conflict,
        form=form,
        **_leave_context(user),
    )
    return html, status


@bp.route("/cuti/<int:leave_id>/putuskan", methods=["POST"])
@roles_required(Role.PPK)
def decide_leave(leave_id: int):
    user = _user()
    leave = db.session.get(LeaveRequest, leave_id)
    if leave is None or leave.contract.ppk_id not in (user.id, None):
        abort(404)  # not a request of this PPK's contracts: nothing to tell
    form = LeaveDecisionForm()
    message, status, conflict = None, 200, False
    if form.validate_on_submit():
        approve = form.decision.data == APPROVE
        try:
            services.decide_leave(db.session, user, leave, approve, form.reason.data or "")
        except services.LeaveConflict as exc:
            db.session.rollback()
            message, status, conflict = str(exc), 409, True
        except services.ContractError as exc:
            db.session.rollback()
            message, status = str(exc), 422
        else:
            text = (
                _("Cuti %(name)s disetujui.", name=leave.worker.full_name)
                if approve
                else _("Cuti %(name)s ditolak.", name=leave.worker.full_name)
            )
            if _is_htmx_post():
                db.session.refresh(leave.contract)
                return _leave_item(leave, 200, message=None, form=None)[0] + _status_note(text), 200
            flash(text, "success")
            return redirect(url_for("contracts.leave_requests"))
    else:
        message, status = " ".join(str(e) for errors in form.errors.values() for e in errors), 422
    db.session.expire_all()
    leave = db.session.get(LeaveRequest, leave_id)
    if _is_htmx_post():
        return _leave_item(leave, status, message=message, form=form if status == 422 else None, conflict=conflict)
    if conflict:  # the request has left the list it was decided from: say so above the list
        return _leave_page(alert=message), status
    return _leave_page(errors={leave.id: message}, forms={leave.id: form}), status


def _status_note(text: str) -> str:
    """An out-of-band polite announcement of what was done, for screen readers and sighted users."""
    from markupsafe import escape

    return f'<p id="leave-status" class="flash flash-success" role="status" hx-swap-oob="true">{escape(text)}</p>'


def _parse_month(value: str | None, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@bp.route("/cuti/kalender")
@roles_required(*READERS)
def leave_calendar():
    """The team's leave in one month: rows are workers, columns are days (000 §7d)."""
    user = _user()
    today = local_today()
    first = _parse_month(request.args.get("bulan"), today)
    last = rules.add_months(first, 1) - dt.timedelta(days=1)
    holidays = holidays_between(db.session, first, last)
    # One page of contracts from the database in SPK order (the admin sees all, others those they
    # follow), then only their leave: the calendar costs the same however many workers are on leave.
    follower = None if user.has_role(Role.ADMIN) else user
    requested = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, number, total, capped = services.leave_calendar_page(
        db.session, first, last, follower, requested, CALENDAR_ROWS, CALENDAR_COUNT_AHEAD
    )
    days = [first + dt.timedelta(days=n) for n in range(last.day)]
    for row in rows:
        cells = row["cells"] = {}
        for leave in row["leaves"]:
            day = max(leave.start_date, first)
            while day <= min(leave.end_date, last):
                cells[day] = leave
                day += dt.timedelta(days=1)
    page = Page(rows, number, CALENDAR_ROWS, total, capped)
    return render(
        "contracts/calendar.html",
        "calendar",
        page=page,
        days=days,
        holidays=holidays,
        first=first,
        month_label=f"{month_name(first.month)} {first.year}",
        previous=rules.add_months(first, -1).strftime("%Y-%m"),
        following=rules.add_months(first, 1).strftime("%Y-%m"),
        bulan=first.strftime("%Y-%m"),
        today=today,
        # What every row repeats, worked out (and translated) once.
        day_classes={
            day: " ".join(c for c, on in (("cal-weekend", day.weekday() >= 5), ("cal-off", day in holidays)) if on)
            for day in days
        },
        kind_labels={kind: _(label) for kind, label in rules.LEAVE_KINDS.items()},
        status_labels={"approved": _("disetujui"), "pending": _("menunggu keputusan")},
        weekday_letters=["Sn", "Sl", "Rb", "Km", "Jm", "Sb", "Mg"],
    )


# --- monthly assessment and end-of-contract evaluation (000 §11) -------------------------------------


@bp.route("/penilaian")
@roles_required(Role.PPK)
def assessments():
    today = local_today()
    user = _user()
    requested = max(request.args.get("page", 1, type=int) or 1, 1)
    items, number, total, capped = services.assessments_due_list(
        db.session, user, today, requested, ASSESSMENTS_PER_PAGE, COUNT_AHEAD
    )
    page = Page(items, number, ASSESSMENTS_PER_PAGE, total, capped)
    # Each month of the page translated once, not once per row.
    months = {(year, month) for _contract, year, month in items}
    return render(
        "contracts/assessments.html",
        "results",
        page=page,
        month_labels={(year, month): f"{_(month_name(month))} {year}" for year, month in months},
    )


def _months_or_404(contract: Contract, year: int, month: int) -> None:
    if (year, month) not in rules.contract_months(contract.start_date, contract.end_date):
        abort(404)


@bp.route("/<int:contract_id>/penilaian/<int:year>/<int:month>", methods=["GET", "POST"])
@roles_required(*READERS)
def assess(contract_id: int, year: int, month: int):
    user = _user()
    contract = _contract_or_404(contract_id)
    _months_or_404(contract, year, month)
    today = local_today()
    form = AssessmentForm()
    if request.method == "POST":
        if not _is_ppk_of(user, contract):
            abort(403)
        if form.validate_on_submit():
            try:
                row = services.assess_month(db.session, user, contract, year, month, form.values(), form.notes(), today)
            except services.ContractError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                flash(
                    _(
                        "Penilaian %(month)s %(year)s disimpan: %(result)s.",
                        month=month_name(month),
                        year=year,
                        result=_(RESULT_LABELS[row.result]),
                    ),
                    "success",
                )
                return redirect(url_for("contracts.assess", contract_id=contract.id, year=year, month=month))
    existing = db.session.scalar(
        select(MonthlyAssessment).where(
            MonthlyAssessment.contract_id == contract.id,
            MonthlyAssessment.year == year,
            MonthlyAssessment.month == month,
        )
    )
    assessor = db.session.get(User, existing.assessed_by_id) if existing and existing.assessed_by_id else None
    return render(
        "contracts/assess.html",
        form=form,
        contract=contract,
        year=year,
        month=month,
        month_label=f"{month_name(month)} {year}",
        existing=existing,
        assessor=assessor,
        elements=rules.ASSESSMENT_ELEMENTS,
        result_labels=RESULT_LABELS,
        good=GOOD,
        may_assess=_is_ppk_of(user, contract) and existing is None and (year, month) <= (today.year, today.month),
        not_yet=(year, month) > (today.year, today.month),
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/<int:contract_id>/evaluasi", methods=["GET", "POST"])
@roles_required(*READERS)
def evaluate(contract_id: int):
    user = _user()
    contract = _contract_or_404(contract_id)
    assessed = list(
        db.session.scalars(
            select(MonthlyAssessment)
            .where(MonthlyAssessment.contract_id == contract.id)
            .order_by(MonthlyAssessment.year, MonthlyAssessment.month)
        )
    )
    results = [a.result for a in assessed]
    suggested = rules.suggested_recommendation(results)
    form = EvaluationForm()
    if request.method == "GET":
        form.recommendation.data = suggested
    if request.method == "POST":
        if not _is_pptk_of(user, contract):
            abort(403)
        if form.validate_on_submit():
            try:
                services.evaluate_contract(db.session, user, contract, form.summary.data, form.recommendation.data)
            except services.ContractError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                flash(_("Evaluasi akhir kontrak disimpan."), "success")
                return redirect(url_for("contracts.evaluate", contract_id=contract.id))
    evaluation = db.session.scalar(select(ContractEvaluation).where(ContractEvaluation.contract_id == contract.id))
    signers = (
        {
            u.id: u
            for u in db.session.scalars(
                select(User).where(User.id.in_([i for i in (evaluation.pptk_id, evaluation.ppk_id) if i]))
            )
        }
        if evaluation
        else {}
    )
    return render(
        "contracts/evaluate.html",
        form=form,
        contract=contract,
        assessed=assessed,
        good=results.count("baik"),
        bad=results.count("buruk"),
        months_total=len(rules.contract_months(contract.start_date, contract.end_date)),
        suggested=suggested,
        recommendations=rules.RECOMMENDATIONS,
        result_labels=RESULT_LABELS,
        evaluation=evaluation,
        signers=signers,
        month_name=month_name,
        may_evaluate=_is_pptk_of(user, contract) and evaluation is None,
    ), 422 if form.errors or form.form_errors else 200


# --- monthly activity reports (000 §6A m) ------------------------------------------------------------

REPORT_FILTERS = {
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "validated": "Divalidasi",
    "all": "Semua",
}


@bp.route("/laporan")
@roles_required(*READERS)
def reports():
    user = _user()
    status = request.args.get("status", "submitted")
    if status not in REPORT_FILTERS:
        status = "submitted"
    query = (
        select(ActivityReport)
        .join(Contract, Contract.id == ActivityReport.contract_id)
        .options(lazyload(ActivityReport.entries))
        .where(ActivityReport.status != "draft")
        .order_by(ActivityReport.submitted_at.desc(), ActivityReport.id.desc())
    )
    own = _own_contracts_clause(user)
    if own is not None:
        query = query.where(own)
    if status != "all":
        query = query.where(ActivityReport.status == status)
    page = paginate(query)
    ids = {r.contract_id for r in page.items}
    contracts = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Contract).options(lazyload(Contract.duties)).where(Contract.id.in_(sorted(ids)))
            )
        }
        if ids
        else {}
    )
    return render(
        "contracts/reports.html",
        "results",
        page=page,
        contracts=contracts,
        status=status,
        filters=REPORT_FILTERS,
        report_status_labels=REPORT_STATUS_LABELS,
        month_name=month_name,
    )


def _report_or_404(report_id: int) -> tuple[ActivityReport, Contract]:
    report = db.session.get(ActivityReport, report_id)
    if report is None or report.status == "draft":
        abort(404)  # a draft is still the worker's own
    return report, db.session.get(Contract, report.contract_id)


def _report_page(report: ActivityReport, contract: Contract, form: ReportReviewForm | None = None, status=200):
    user = _user()
    form = form or ReportReviewForm(formdata=None)
    return render(
        "contracts/report.html",
        report=report,
        contract=contract,
        form=form,
        report_status_labels=REPORT_STATUS_LABELS,
        month_name=month_name,
        may_review=_is_ppk_of(user, contract) and report.status == "submitted",
        may_download=lambda stored: may_download(user, stored),
    ), status


@bp.route("/laporan/<int:report_id>")
@roles_required(*READERS)
def report(report_id: int):
    return _report_page(*_report_or_404(report_id))


@bp.route("/laporan/<int:report_id>/periksa", methods=["POST"])
@roles_required(Role.PPK)
def review_report(report_id: int):
    user = _user()
    report, contract = _report_or_404(report_id)
    if contract.ppk_id not in (user.id, None):
        abort(404)
    form = ReportReviewForm()
    if form.validate_on_submit():
        accept = form.decision.data == ACCEPT
        try:
            services.review_activity_report(db.session, user, report, accept, form.feedback.data)
        except services.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(
                _("Laporan kegiatan divalidasi.") if accept else _("Laporan kegiatan dikembalikan untuk diperbaiki."),
                "success",
            )
            return redirect(url_for("contracts.reports"))
    db.session.refresh(report)
    return _report_page(report, contract, form, 422)


@register_file_access(services.ACTIVITY_PURPOSE)
def _contract_officers_see_activity_evidence(user: Any, stored: Any) -> bool:
    """Evidence of a monthly activity report: its worker (the uploader), and the contract's PPK and
    PPTK; nobody else, not even an admin."""
    row = db.session.execute(
        select(Contract.ppk_id, Contract.pptk_id)
        .join(ActivityReport, ActivityReport.contract_id == Contract.id)
        .join(ActivityEntry, ActivityEntry.report_id == ActivityReport.id)
        .where(ActivityEntry.file_id == stored.id)
        .limit(1)
    ).first()
    return row is not None and user.id in (row.ppk_id, row.pptk_id)


nav.register(
    nav.NavItem("Kontrak", "contracts.index", group="Kontrak", order=70),
    nav.NavItem("Keputusan cuti", "contracts.leave_requests", group="Kontrak", order=71),
    nav.NavItem("Kalender cuti", "contracts.leave_calendar", group="Kontrak", order=72),
    nav.NavItem("Penilaian bulanan", "contracts.assessments", group="Kontrak", order=73),
    nav.NavItem("Laporan kegiatan kontrak", "contracts.reports", group="Kontrak", order=74),
)

from pontive.contracts import cards  # noqa: E402, F401 - registers the PPK's and the PPTK's dashboard cards
