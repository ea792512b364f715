"""Discipline (002 §15(3)–(5)): the flags of the memberships a user oversees and the letters that
act on them — the koordinator's warning, the ketua's dismissal proposal to the Wali Kota through
the pembina —, a member's written reason for an inactive month, and the pembina's inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from werkzeug.routing import BuildError

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.core import nav
from pontive.core.formats import month_name
from pontive.core.htmx import render
from pontive.core.letters import pdf_response
from pontive.core.pagination import page_of, paginate
from pontive.core.permissions import login_required, roles_required
from pontive.core.uploads import register_file_access
from pontive.extensions import db
from pontive.team import letters, rules, services
from pontive.team.meeting_forms import DismissalProposalForm, InactivityReasonForm, WarningForm
from pontive.team.meeting_views import local_now
from pontive.team.models import DisciplineLetter, InactivityReason, LetterType, Membership

discipline_bp = Blueprint("discipline", __name__, url_prefix="/disiplin")

OVERSEERS = (Role.KOORDINATOR, Role.KETUA, Role.SEKRETARIS)
FLAG_LABELS = {
    "warning_due": "Peringatan koordinator (Pasal 15 ayat 3)",
    "dismissal_due": "Usulan pemberhentian (Pasal 15 ayat 4–5)",
    "extension_due": "Evaluasi perpanjangan (Pasal 15 ayat 1)",
}
FLAG_ORDER = {"warning_due": 0, "dismissal_due": 1, "extension_due": 2}
LETTER_LABELS = {
    LetterType.WARNING.value: "Surat peringatan",
    LetterType.DISMISSAL_PROPOSAL.value: "Usulan pemberhentian",
}
WANTED_LETTER = {"warning_due": LetterType.WARNING.value, "dismissal_due": LetterType.DISMISSAL_PROPOSAL.value}


def _user() -> User:
    return current_user._get_current_object()


def local_today() -> dt.date:
    return local_now().date()


def overseen_flagged(session: Session, user: User, today: dt.date) -> tuple[list[Membership], int]:
    """Of the serving memberships a user oversees — all for the ketua and the sekretaris, those placed
    in their OPD(s) for a koordinator (002 §11–13) — those with any flag, each with its member's
    account, and how many the user oversees: from the stored flag counts, so that only the few
    flagged members' attendance and activity are read."""
    opd_ids = None
    if not user.has_role(Role.KETUA, Role.SEKRETARIS):
        opd_ids = sorted(user.opd_ids_for(Role.KOORDINATOR))
        if not opd_ids:
            return [], 0
    return services.flagged_memberships(session, today, opd_ids)


def membership_url(membership_id: int) -> str | None:
    """The membership page of the team area, when that area serves one."""
    if "team.membership" not in current_app.view_functions:
        return None
    try:
        return url_for("team.membership", membership_id=membership_id)
    except BuildError:
        return None


# --- the flags ----------------------------------------------------------------------------------------------


def _render_index(*, error: str | None = None, failed: tuple[int, str, Any] | None = None, status: int = 200):
    user = _user()
    today = local_today()
    memberships, watched = overseen_flagged(db.session, user, today)
    flags = services.flags_for(db.session, memberships, today)
    ids = [m.id for m in memberships]
    issued = {}
    if ids:
        for letter in db.session.scalars(select(DisciplineLetter).where(DisciplineLetter.membership_id.in_(ids))):
            issued[(letter.membership_id, letter.kind.value, letter.breach_key)] = letter
    entries = [(m, flag) for m in memberships for flag in flags.get(m.id, [])]
    entries.sort(key=lambda e: (e[1].letter_issued, FLAG_ORDER.get(e[1].kind, 9), e[0].member.full_name.lower()))
    page = page_of(list(entries))
    rows = []
    koordinator_opds = user.opd_ids_for(Role.KOORDINATOR)
    for membership, flag in page.items:
        letter = issued.get((membership.id, WANTED_LETTER.get(flag.kind, ""), flag.key))
        form = None
        if letter is None and not flag.letter_issued:
            if failed and failed[0] == membership.id and failed[1] == flag.key:
                form = failed[2]
            elif flag.kind == "warning_due" and membership.placement_opd_id in koordinator_opds:
                form = WarningForm(formdata=None, breach_key=flag.key, letter_date=today)
            elif flag.kind == "dismissal_due" and user.has_role(Role.KETUA):
                form = DismissalProposalForm(formdata=None, breach_key=flag.key, letter_date=today)
        rows.append(
            {
                "membership": membership,
                "flag": flag,
                "letter": letter,
                "form": form,
                "membership_url": membership_url(membership.id) if flag.kind == "extension_due" else None,
            }
        )
    return render(
        "discipline/index.html",
        "results",
        page=page,
        rows=rows,
        error=error,
        flag_labels=FLAG_LABELS,
        status_labels=rules.MEMBERSHIP_STATUS_LABELS,
        watched=watched,
    ), status


@discipline_bp.route("")
@roles_required(*OVERSEERS)
def index():
    return _render_index()


def _membership_or_404(membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    return membership


@discipline_bp.route("/<int:membership_id>/peringatan", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def warn(membership_id: int):
    """The koordinator of the member's OPD warns them (002 §15(3)); any other koordinator gets 404."""
    user = _user()
    membership = _membership_or_404(membership_id)
    if membership.placement_opd_id not in user.opd_ids_for(Role.KOORDINATOR):
        abort(404)
    form = WarningForm()
    if form.validate_on_submit():
        try:
            letter = services.issue_warning(
                db.session,
                user,
                membership,
                form.breach_key.data,
                form.number.data,
                form.letter_date.data,
                local_today(),
            )
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Surat peringatan %(number)s diterbitkan.", number=letter.number), "success")
            return redirect(url_for("discipline.index"))
    else:
        error = _("Periksa kembali isian surat peringatan.")
    return _render_index(error=error, failed=(membership.id, form.breach_key.data, form), status=422)


@discipline_bp.route("/<int:membership_id>/usulan-pemberhentian", methods=["POST"])
@roles_required(Role.KETUA)
def propose(membership_id: int):
    """The ketua proposes the dismissal to the Wali Kota through the pembina (002 §15(4)–(5))."""
    user = _user()
    membership = _membership_or_404(membership_id)
    form = DismissalProposalForm()
    if form.validate_on_submit():
        try:
            letter = services.propose_dismissal(
                db.session,
                user,
                membership,
                form.breach_key.data,
                form.number.data,
                form.letter_date.data,
                form.reason.data,
                local_today(),
            )
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Usulan pemberhentian %(number)s diajukan kepada Pembina.", number=letter.number), "success")
            return redirect(url_for("discipline.index"))
    else:
        error = _("Periksa kembali isian usulan pemberhentian.")
    return _render_index(error=error, failed=(membership.id, form.breach_key.data, form), status=422)


# --- a member's written reason for an inactive month (002 §15(4) "alasan tertulis") -------------------------


@discipline_bp.route("/alasan", methods=["GET", "POST"])
@roles_required(Role.ANGGOTA)
def reason():
    user = _user()
    today = local_today()
    membership = services.current_membership(db.session, user.id)
    form = InactivityReasonForm()
    if not form.is_submitted():
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        form.year.data, form.month.data = last_month.year, last_month.month
    if membership is not None and form.validate_on_submit():
        year, month = form.year.data, form.month.data
        if month is None:
            form.month.errors = [_("Pilih bulan.")]
        elif (year, month) > (today.year, today.month):
            form.month.errors = [_("Alasan hanya untuk bulan yang sudah berjalan.")]
        elif (year, month) < (membership.start_date.year, membership.start_date.month):
            form.month.errors = [_("Bulan itu sebelum masa tugas Anda dimulai.")]
        else:
            try:
                services.record_inactivity_reason(
                    db.session, user, membership, year, month, form.reason.data, form.file.data
                )
            except services.TeamError as exc:
                db.session.rollback()
                form.reason.errors = [str(exc)]
            else:
                flash(_("Alasan tertulis disimpan."), "success")
                return redirect(url_for("discipline.reason"))
    reasons, flags = [], []
    if membership is not None:
        reasons = list(
            db.session.scalars(
                select(InactivityReason)
                .where(InactivityReason.membership_id == membership.id)
                .order_by(InactivityReason.year.desc(), InactivityReason.month.desc())
            )
        )
        flags = services.flags_for(db.session, [membership], today).get(membership.id, [])
    status = 422 if form.is_submitted() and (form.errors or membership is None) else 200
    return render(
        "discipline/reason.html",
        form=form,
        membership=membership,
        reasons=reasons,
        flags=flags,
        flag_labels=FLAG_LABELS,
        month_names={m: month_name(m) for m in range(1, 13)},
    ), status


# --- the letters --------------------------------------------------------------------------------------------


def may_read_letter(user: User, letter: DisciplineLetter) -> bool:
    """The member concerned, the issuer, the koordinator of the member's OPD, the ketua, the
    sekretaris and the pembina."""
    membership = letter.membership
    if user.id in (membership.member_id, letter.issued_by_id):
        return True
    if user.has_role(Role.KETUA, Role.SEKRETARIS, Role.PEMBINA):
        return True
    return membership.placement_opd_id is not None and membership.placement_opd_id in user.opd_ids_for(Role.KOORDINATOR)


@discipline_bp.route("/surat/<int:letter_id>.pdf")
@login_required
def letter_pdf(letter_id: int):
    letter = db.session.get(DisciplineLetter, letter_id)
    if letter is None or not may_read_letter(_user(), letter):
        abort(404)
    return pdf_response(letters.render_discipline_letter(db.session, letter), letters.letter_filename(letter))


@discipline_bp.route("/usulan")
@roles_required(Role.PEMBINA, Role.KETUA)
def proposals():
    """The dismissal proposals the ketua sent to the Wali Kota through the pembina (002 §10, §15(5))."""
    query = (
        select(DisciplineLetter)
        .options(joinedload(DisciplineLetter.membership))
        .where(DisciplineLetter.kind == LetterType.DISMISSAL_PROPOSAL)
        .order_by(DisciplineLetter.letter_date.desc(), DisciplineLetter.id.desc())
    )
    page = paginate(query)
    return render("discipline/proposals.html", "results", page=page, status_labels=rules.MEMBERSHIP_STATUS_LABELS)


# --- who may download a written reason's attachment ------------------------------------------------------


@register_file_access(services.INACTIVITY_PURPOSE)
def _inactivity_file_access(user, stored) -> bool:
    """The member concerned, the koordinator of the member's placement OPD, the ketua and the sekretaris."""
    row = db.session.execute(
        select(Membership.member_id, Membership.placement_opd_id)
        .join(InactivityReason, InactivityReason.membership_id == Membership.id)
        .where(InactivityReason.file_id == stored.id)
        .limit(1)
    ).first()
    if row is None:
        return False
    member_id, opd_id = row
    if member_id == user.id or user.has_role(Role.KETUA, Role.SEKRETARIS):
        return True
    return opd_id is not None and opd_id in user.opd_ids_for(Role.KOORDINATOR)


nav.register(
    nav.NavItem("Disiplin", "discipline.index", group="Tim", order=41),
    nav.NavItem("Usulan pemberhentian", "discipline.proposals", group="Tim", order=42),
    nav.NavItem("Alasan tidak aktif", "discipline.reason", group="Tim", order=43),
)
