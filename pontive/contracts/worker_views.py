"""The contract worker's own pages (seed 000; DESIGN §4; issue 6): my contract with its duties and
leave balance; my leave requests, with the working days and the balance shown before anything is
sent; my monthly activity report against the duties, with evidence (000 §6A m).

Only the role ``kontrak``. Every object is looked up through the signed-in worker, so another
worker's leave request or report answers 404. The rules live in the services; a rule they refuse
becomes the page again with its message (422), a balance that changed meanwhile a conflict (409).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.contracts import rules, services
from pontive.contracts.models import ActivityEntry, ActivityReport, Contract, LeaveRequest
from pontive.contracts.worker_forms import ActivityForm, LeaveRequestForm, RemoveActivityForm, SubmitReportForm
from pontive.core import nav
from pontive.core.formats import month_name
from pontive.core.forms import ButtonForm
from pontive.core.htmx import render, wants_fragment
from pontive.core.i18n import to_local
from pontive.core.models import Holiday, utcnow
from pontive.core.permissions import roles_required
from pontive.extensions import db
from pontive.performance import rules as report_rules

bp = Blueprint("my_contract", __name__, url_prefix="/kontrak-saya")

# No leave is longer than 3 months (000 §7d): a longer range is refused before days are counted.
LONGEST_RANGE = dt.timedelta(days=366)
NO_CONTRACT = "Anda belum memiliki kontrak aktif. Hubungi PPK bila kontrak Anda sudah ditandatangani."


def _user() -> User:
    return current_user._get_current_object()


def local_today() -> dt.date:
    """Today on the city's clock (tests replace this to fix the day)."""
    return to_local(utcnow()).date()


def my_contract(user: User) -> Contract | None:
    return services.current_contract(db.session, user.id, local_today())


# --- objects a worker may see, else 404 -------------------------------------------------------------


def get_leave_for_user_or_404(leave_id: int, user: User) -> LeaveRequest:
    """The worker's own leave request; 404 for anyone else's, so nobody can tell one that exists."""
    leave = db.session.get(LeaveRequest, leave_id)
    if leave is None or leave.worker_id != user.id:
        abort(404)
    return leave


def get_report_for_user_or_404(year: int, month: int, user: User) -> tuple[Contract, ActivityReport | None]:
    """The worker's contract and its report of that month (None while nothing is written yet).
    No contract: 404; a month outside the contract: the list of the contract's months with the
    message, as a 404."""
    contract = my_contract(user)
    if contract is None:
        abort(404)
    if (year, month) not in rules.contract_months(contract.start_date, contract.end_date):
        message = _("Bulan ini di luar masa kontrak Anda.")
        response = render("my_contract/reports.html", **{**_reports_context(contract), "error": message})
        abort(make_response(response, 404))
    report = db.session.scalar(
        select(ActivityReport).where(
            ActivityReport.contract_id == contract.id, ActivityReport.year == year, ActivityReport.month == month
        )
    )
    return contract, report


# --- my contract --------------------------------------------------------------------------------------


@bp.route("")
@roles_required(Role.KONTRAK)
def index():
    user = _user()
    contract = my_contract(user)
    if contract is None:
        return render("my_contract/index.html", contract=None, no_contract=_(NO_CONTRACT))
    today = local_today()
    reported = set(
        db.session.scalars(
            select(ActivityEntry.duty_id)
            .join(ActivityReport, ActivityReport.id == ActivityEntry.report_id)
            .where(
                ActivityReport.contract_id == contract.id,
                ActivityReport.year == today.year,
                ActivityReport.month == today.month,
            )
        )
    )
    in_contract = (today.year, today.month) in rules.contract_months(contract.start_date, contract.end_date)
    return render(
        "my_contract/index.html",
        contract=contract,
        balance=services.balance(contract),
        reported=reported,
        this_month=(today.year, today.month) if in_contract else None,
        month_label=f"{month_name(today.month)} {today.year}",
    )


# --- leave (000 §7d) ----------------------------------------------------------------------------------


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def leave_preview_for(contract: Contract | None, kind: str | None, start: dt.date | None, end: dt.date | None):
    """What the worker sees before sending (issue 6 §3): working days, what is deducted, the balance
    before and after, the holidays that were skipped, and any problem; None until all three are chosen."""
    if contract is None or not kind or start is None or end is None:
        return None
    if end - start > LONGEST_RANGE:
        return {"problem": _("Rentang tanggal terlalu panjang: cuti paling lama 3 bulan."), "working_days": None}
    today = local_today()
    preview = services.preview_leave(db.session, contract, kind, start, end, today)
    preview["kind_label"] = rules.LEAVE_KINDS.get(kind, kind)
    preview["deducted_kind"] = kind in rules.DEDUCTED
    preview["start"], preview["end"] = start, end
    preview["weekend_days"] = sum(
        1 for n in range(max((end - start).days + 1, 0)) if (start + dt.timedelta(days=n)).weekday() >= 5
    )
    preview["holidays"] = (
        list(
            db.session.scalars(select(Holiday).where(Holiday.date >= start, Holiday.date <= end).order_by(Holiday.date))
        )
        if end >= start
        else []
    )
    if kind in rules.LONG_LEAVE:
        preview["long_last_day"] = rules.long_leave_last_day(start)
    return preview


def _leave_context(
    contract: Contract | None, form: LeaveRequestForm, preview, error: str | None = None, *, whole_page: bool = True
):
    """What the leave page shows; only what its preview block needs when that block alone is sent."""
    leaves = []
    if contract is not None and whole_page:
        leaves = list(
            db.session.scalars(
                select(LeaveRequest)
                .options(lazyload(LeaveRequest.contract), lazyload(LeaveRequest.worker))  # the page's own
                .where(LeaveRequest.contract_id == contract.id)
                .order_by(LeaveRequest.start_date.desc(), LeaveRequest.id.desc())
            )
        )
    today = local_today()
    return {
        "contract": contract,
        "balance": services.balance(contract) if contract else None,
        "leaves": leaves,
        "form": form,
        "preview": preview,
        "error": error,
        "no_contract": _(NO_CONTRACT),
        "leave_kinds": rules.LEAVE_KINDS,
        "leave_status_labels": rules.LEAVE_STATUS_LABELS,
        "may_cancel": lambda leave: leave.status.value in ("pending", "approved") and leave.start_date > today,
        "button_form": ButtonForm() if whole_page else None,
    }


@bp.route("/cuti", methods=["GET", "POST"])
@roles_required(Role.KONTRAK)
def leave():
    user = _user()
    contract = my_contract(user)
    form = LeaveRequestForm()
    if request.method == "GET":
        form.client_token.data = secrets.token_hex(16)
        return render("my_contract/leave.html", **_leave_context(contract, form, None))
    error, status = None, 422
    if contract is None:
        error = _(NO_CONTRACT)
    elif form.validate_on_submit():
        if form.end.data - form.start.data > LONGEST_RANGE:
            error = _("Rentang tanggal terlalu panjang: cuti paling lama 3 bulan.")
        else:
            try:
                leave = services.request_leave(
                    db.session,
                    user,
                    contract,
                    form.kind.data,
                    form.start.data,
                    form.end.data,
                    form.reason.data or "",
                    today=local_today(),
                    client_token=form.client_token.data or None,
                )
            except services.LeaveConflict as exc:
                db.session.rollback()
                error, status = str(exc), 409
            except services.ContractError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                flash(
                    _(
                        "Permohonan %(kind)s %(days)s hari kerja dikirim dan menunggu keputusan PPK.",
                        kind=_(rules.LEAVE_KINDS[leave.kind]).lower(),
                        days=leave.working_days,
                    ),
                    "success",
                )
                return redirect(url_for("my_contract.leave"), 303)
    if contract is not None:
        contract = db.session.get(Contract, contract.id)  # the balance as it is now
    preview = leave_preview_for(contract, form.kind.data, form.start.data, form.end.data)
    return render("my_contract/leave.html", **_leave_context(contract, form, preview, error)), status


@bp.route("/cuti/pratinjau")
@roles_required(Role.KONTRAK)
def leave_preview():
    """The preview block for htmx as the worker changes the kind or the dates; without htmx, the
    whole leave page with the form filled in from the query."""
    contract = my_contract(_user())
    kind = request.args.get("jenis", "")
    start, end = _parse_date(request.args.get("mulai")), _parse_date(request.args.get("selesai"))
    preview = leave_preview_for(contract, kind, start, end)
    fragment = wants_fragment()
    if fragment:
        form = LeaveRequestForm(formdata=None)
    else:
        form = LeaveRequestForm(
            formdata=None,
            kind=kind if kind in rules.LEAVE_KINDS else None,
            start=start,
            end=end,
            client_token=secrets.token_hex(16),
        )
    return render(
        "my_contract/leave.html", "preview", **_leave_context(contract, form, preview, whole_page=not fragment)
    )


@bp.route("/cuti/<int:leave_id>/batal", methods=["POST"])
@roles_required(Role.KONTRAK)
def leave_cancel(leave_id: int):
    user = _user()
    leave = get_leave_for_user_or_404(leave_id, user)
    if not ButtonForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."), "error")
        return redirect(url_for("my_contract.leave"), 303)
    try:
        services.cancel_leave(db.session, user, leave, local_today())
    except services.ContractError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        if leave.deducted_days:
            flash(
                _(
                    "Permohonan cuti dibatalkan; %(days)s hari kerja kembali ke sisa cuti Anda.",
                    days=leave.deducted_days,
                ),
                "success",
            )
        else:
            flash(_("Permohonan cuti dibatalkan."), "success")
    return redirect(url_for("my_contract.leave"), 303)


# --- monthly activity report (000 §6A m) --------------------------------------------------------------


def _reports_context(contract: Contract | None) -> dict[str, Any]:
    months = []
    if contract is not None:
        statuses = dict(
            db.session.execute(
                select(ActivityReport.year * 100 + ActivityReport.month, ActivityReport.status).where(
                    ActivityReport.contract_id == contract.id
                )
            ).all()
        )
        entry_counts = dict(
            db.session.execute(
                select(ActivityReport.year * 100 + ActivityReport.month, func.count(ActivityEntry.id))
                .join(ActivityEntry, ActivityEntry.report_id == ActivityReport.id)
                .where(ActivityReport.contract_id == contract.id)
                .group_by(ActivityReport.year, ActivityReport.month)
            ).all()
        )
        today = local_today()
        for year, month in rules.contract_months(contract.start_date, contract.end_date):
            key = year * 100 + month
            months.append(
                {
                    "year": year,
                    "month": month,
                    "name": month_name(month),
                    "status": statuses.get(key),
                    "entries": entry_counts.get(key, 0),
                    "current": (year, month) == (today.year, today.month),
                    "future": (year, month) > (today.year, today.month),
                }
            )
    return {
        "contract": contract,
        "months": months,
        "no_contract": _(NO_CONTRACT),
        "report_status_labels": report_rules.REPORT_STATUS_LABELS,
        "error": None,
    }


@bp.route("/laporan")
@roles_required(Role.KONTRAK)
def reports():
    return render("my_contract/reports.html", **_reports_context(my_contract(_user())))


def _duty_choices(contract: Contract) -> list[SelectChoice]:
    return [SelectChoice(d.id, f"{d.code}. {d.text}") for d in contract.duties]


def _report_context(
    contract: Contract,
    report: ActivityReport | None,
    year: int,
    month: int,
    *,
    activity_form: ActivityForm | None = None,
    submit_form: SubmitReportForm | None = None,
    message: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    status = report.status if report else "draft"
    entries = list(report.entries) if report else []
    if activity_form is None:
        activity_form = ActivityForm(formdata=None)
    activity_form.duty_id.choices = [SelectChoice("", _("— pilih uraian tugas —")), *_duty_choices(contract)]
    if submit_form is None:
        submit_form = SubmitReportForm(formdata=None, summary=report.summary if report else "")
    return {
        "contract": contract,
        "report": report,
        "year": year,
        "month": month,
        "month_label": f"{month_name(month)} {year}",
        "status": status,
        "editable": report_rules.is_editable(status),
        "entries": entries,
        "without_evidence": sum(1 for e in entries if not e.file_id),
        "activity_form": activity_form,
        "submit_form": submit_form,
        "report_status_labels": report_rules.REPORT_STATUS_LABELS,
        "message": message,
        "error": error,
    }


@bp.route("/laporan/<int:year>/<int:month>")
@roles_required(Role.KONTRAK)
def report(year: int, month: int):
    contract, report = get_report_for_user_or_404(year, month, _user())
    return render("my_contract/report.html", **_report_context(contract, report, year, month))


def _entries_response(contract: Contract, year: int, month: int, status: int, **context: Any):
    """After an entry is added or removed: the entries block to htmx, the whole page otherwise."""
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    report = db.session.scalar(
        select(ActivityReport).where(
            ActivityReport.contract_id == contract.id, ActivityReport.year == year, ActivityReport.month == month
        )
    )
    ctx = _report_context(contract, report, year, month, **context)
    return render("my_contract/report.html", "entries", **ctx), status


@bp.route("/laporan/<int:year>/<int:month>/kegiatan", methods=["POST"])
@roles_required(Role.KONTRAK)
def report_add(year: int, month: int):
    user = _user()
    contract, report = get_report_for_user_or_404(year, month, user)
    form = ActivityForm()
    form.duty_id.choices = _duty_choices(contract)
    if form.validate_on_submit():
        try:
            report = services.get_or_create_activity_report(db.session, user, contract, year, month)
            services.add_activity(db.session, user, report, form.duty_id.data, form.activity.data, form.evidence.data)
        except services.ContractError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            text = _("Kegiatan ditambahkan.")
            if wants_fragment():
                return _entries_response(contract, year, month, 200, message=text)
            flash(text, "success")
            return redirect(url_for("my_contract.report", year=year, month=month, _anchor="kegiatan"), 303)
    return _entries_response(contract, year, month, 422, activity_form=form)


@bp.route("/laporan/<int:year>/<int:month>/kegiatan/hapus", methods=["POST"])
@roles_required(Role.KONTRAK)
def report_remove(year: int, month: int):
    user = _user()
    contract, report = get_report_for_user_or_404(year, month, user)
    form = RemoveActivityForm()
    if not form.validate_on_submit():
        abort(400)
    entry = db.session.get(ActivityEntry, form.entry_id.data)
    if report is None or entry is None or entry.report_id != report.id:
        abort(404)
    try:
        services.remove_activity(db.session, user, entry)
    except services.ContractError as exc:
        db.session.rollback()
        if wants_fragment():
            return _entries_response(contract, year, month, 422, error=str(exc))
        flash(str(exc), "error")
    else:
        text = _("Kegiatan dihapus.")
        if wants_fragment():
            return _entries_response(contract, year, month, 200, message=text)
        flash(text, "success")
    return redirect(url_for("my_contract.report", year=year, month=month, _anchor="kegiatan"), 303)


@bp.route("/laporan/<int:year>/<int:month>/ajukan", methods=["POST"])
@roles_required(Role.KONTRAK)
def report_submit(year: int, month: int):
    user = _user()
    contract, report = get_report_for_user_or_404(year, month, user)
    form = SubmitReportForm()
    if form.validate_on_submit():
        if report is None:
            form.form_errors.append(_("Tambahkan minimal satu kegiatan."))
        else:
            try:
                services.submit_activity_report(db.session, user, report, form.summary.data)
            except services.ContractError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                flash(_("Laporan kegiatan %(month)s diajukan ke PPK.", month=f"{month_name(month)} {year}"), "success")
                return redirect(url_for("my_contract.report", year=year, month=month), 303)
    db.session.expire_all()
    contract, report = get_report_for_user_or_404(year, month, user)
    ctx = _report_context(contract, report, year, month, submit_form=form)
    return render("my_contract/report.html", **ctx), 422


nav.register(
    nav.NavItem("Kontrak saya", "my_contract.index", group="Kontrak saya", order=60),
    nav.NavItem("Cuti saya", "my_contract.leave", group="Kontrak saya", order=61),
    nav.NavItem("Laporan kegiatan", "my_contract.reports", group="Kontrak saya", order=62),
)

from pontive.contracts import worker_cards  # noqa: E402, F401 - registers the worker's dashboard card
