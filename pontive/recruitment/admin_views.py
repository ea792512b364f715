"""Selection reference data for the admin (categories of 002 §17–19, majors of 000 §10B) and the
management of selection rounds for the admin and the ketua: dates, quotas, pass marks, weights,
the panel (002 §16(1)) and the status draft → open → closed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.forms import ButtonForm
from pontive.core.htmx import render, wants_fragment
from pontive.core.nav import NavItem, register
from pontive.core.pagination import paginate
from pontive.core.permissions import roles_required
from pontive.extensions import db
from pontive.recruitment import services
from pontive.recruitment.admin_forms import (
    GROUP_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    ROUND_STATUS_LABELS,
    UNIT_LABELS,
    CategoryForm,
    MajorForm,
    PanelMemberForm,
    round_form_class,
)
from pontive.recruitment.models import (
    AcceptedMajor,
    Application,
    PanelMember,
    PanelUnit,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
)

ref_bp = Blueprint("selection_ref", __name__, url_prefix="/admin/seleksi")
bp = Blueprint("selection_admin", __name__, url_prefix="/kelola-seleksi")

MANAGERS = (Role.ADMIN, Role.KETUA)

register(
    NavItem("Kelola seleksi", "selection_admin.index", group="Seleksi", order=200),
    NavItem("Kategori seleksi", "selection_ref.categories", group="Admin", order=902),
    NavItem("Jurusan kontrak", "selection_ref.majors", group="Admin", order=903),
)

LABELS = {
    "group_labels": GROUP_LABELS,
    "level_labels": LEVEL_LABELS,
    "kind_labels": KIND_LABELS,
    "status_labels": ROUND_STATUS_LABELS,
    "unit_labels": UNIT_LABELS,
}


def _get_or_404(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


# --- reference data: categories ----------------------------------------------------------------


@ref_bp.route("/kategori")
@roles_required(Role.ADMIN)
def categories():
    rows = db.session.scalars(select(SelectionCategory).order_by(SelectionCategory.position, SelectionCategory.name))
    return render("selection_admin/categories.html", categories=list(rows), **LABELS)


@ref_bp.route("/kategori/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def category_new():
    return _category_form(None)


@ref_bp.route("/kategori/<int:category_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def category_edit(category_id: int):
    return _category_form(_get_or_404(SelectionCategory, category_id))


def _category_form(category: SelectionCategory | None):
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            saved = services.save_category(db.session, current_user, form.data_for_service(), category)
        except services.SelectionError as exc:
            db.session.rollback()
            message = str(exc)
            target = form.accepted_certificates if "sertifikat" in message.lower() else form.code
            target.errors.append(message)
        else:
            flash(_("Kategori %(name)s disimpan.", name=saved.name), "success")
            return redirect(url_for("selection_ref.categories"))
    status = 422 if form.errors else 200
    return render("selection_admin/category_form.html", form=form, category=category), status


# --- reference data: majors for contract rounds (000 §10B) ------------------------------------------


def _majors_page(form: MajorForm, status: int = 200):
    majors = db.session.scalars(select(AcceptedMajor).order_by(AcceptedMajor.name))
    return render(
        "selection_admin/majors.html", "majors", majors=list(majors), form=form, button_form=ButtonForm()
    ), status


@ref_bp.route("/jurusan")
@roles_required(Role.ADMIN)
def majors():
    return _majors_page(MajorForm())


@ref_bp.route("/jurusan", methods=["POST"])
@roles_required(Role.ADMIN)
def major_add():
    form = MajorForm()
    if form.validate_on_submit():
        try:
            major = services.add_major(db.session, current_user, form.name.data)
        except services.SelectionError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            if wants_fragment():
                return _majors_page(MajorForm(formdata=None))
            flash(_("Jurusan %(name)s ditambahkan.", name=major.name), "success")
            return redirect(url_for("selection_ref.majors"))
    return _majors_page(form, 422)


@ref_bp.route("/jurusan/<int:major_id>/hapus", methods=["POST"])
@roles_required(Role.ADMIN)
def major_delete(major_id: int):
    major = _get_or_404(AcceptedMajor, major_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    name = major.name
    services.delete_major(db.session, current_user, major)
    if wants_fragment():
        return ""  # htmx swaps the row out
    flash(_("Jurusan %(name)s dihapus.", name=name), "success")
    return redirect(url_for("selection_ref.majors"))


# --- rounds ------------------------------------------------------------------------------------


def application_counts(round_ids: list[int]) -> dict[int, int]:
    """Applications per round, in one grouped query."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(Application.round_id, func.count(Application.id))
        .where(Application.round_id.in_(round_ids))
        .group_by(Application.round_id)
    )
    return {round_id: count for round_id, count in rows}


@bp.route("")
@roles_required(*MANAGERS)
def index():
    page = paginate(select(SelectionRound).order_by(SelectionRound.year.desc(), SelectionRound.open_date.desc()))
    counts = application_counts([r.id for r in page.items])
    return render("selection_admin/rounds.html", "results", page=page, counts=counts, **LABELS)


def _active_categories() -> list[SelectionCategory]:
    return list(
        db.session.scalars(
            select(SelectionCategory)
            .where(SelectionCategory.active)
            .order_by(SelectionCategory.position, SelectionCategory.name)
        )
    )


def _quota_categories(selection_round: SelectionRound | None) -> list[SelectionCategory]:
    """The active categories, and any inactive one that already has a quota in this round."""
    categories = _active_categories()
    if selection_round is not None:
        known = {c.id for c in categories}
        categories += [q.category for q in selection_round.quotas if q.category_id not in known]
    return categories


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    return _round_form(None)


@bp.route("/<int:round_id>/ubah", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(round_id: int):
    return _round_form(_get_or_404(SelectionRound, round_id))


def _round_form(selection_round: SelectionRound | None):
    form_class = round_form_class(_quota_categories(selection_round))
    if selection_round is None:
        initial = {"year": dt.date.today().year}
    else:
        initial = {f"{form_class.quota_prefix}{q.category_id}": q.quota for q in selection_round.quotas}
    refresh = request.method == "GET" and wants_fragment() and "kind" in request.args
    if refresh:
        # The kind select changed: re-render the form with what has been typed so far.
        form = form_class(formdata=request.args, meta={"csrf": False})
    else:
        form = form_class(obj=selection_round, **initial)
    errors: list[str] = []
    announced = selection_round is not None and selection_round.status == RoundStatus.ANNOUNCED
    if announced:
        errors.append(_("Seleksi yang sudah diumumkan tidak dapat diubah."))
    if not refresh and form.validate_on_submit():
        if (
            selection_round is not None
            and selection_round.status != RoundStatus.DRAFT
            and form.kind.data != selection_round.kind.value
        ):
            form.kind.errors.append(_("Jenis seleksi tidak dapat diubah setelah pendaftaran dibuka."))
        else:
            data = form.data_for_service()
            quotas = form.quotas() if data["kind"] == RoundKind.TEAM else None
            try:
                saved = services.save_round(
                    db.session, current_user, data, quotas=quotas, selection_round=selection_round
                )
            except services.SelectionError as exc:
                db.session.rollback()
                if str(exc) not in errors:
                    errors.append(str(exc))
            else:
                flash(_("Seleksi %(title)s disimpan.", title=saved.title), "success")
                return redirect(url_for("selection_admin.show", round_id=saved.id))
    status = 422 if request.method == "POST" and (form.errors or errors) else 200
    return render(
        "selection_admin/round_form.html",
        "round_form",
        form=form,
        selection_round=selection_round,
        errors=errors,
        announced=announced,
        **LABELS,
    ), status


def _panel_candidates(selection_round: SelectionRound) -> list[User]:
    """Active users holding the panel role who are not yet on this round's panel."""
    on_panel = {m.user_id for m in selection_round.panel}
    users = db.session.scalars(
        select(User).where(User.active, User.grants.any(RoleGrant.role == Role.PANEL)).order_by(User.full_name)
    )
    return [u for u in users if u.id not in on_panel]


def _panel_form(selection_round: SelectionRound, formdata=True) -> PanelMemberForm:
    form = PanelMemberForm() if formdata else PanelMemberForm(formdata=None)
    form.user_id.choices = [SelectChoice("", _("— pilih —"))] + [
        SelectChoice(str(u.id), f"{u.full_name} ({u.username})") for u in _panel_candidates(selection_round)
    ]
    if not formdata:
        form.unit.data = PanelUnit.DISKOMINFO.value
    return form


def _show(selection_round: SelectionRound, *, block: str | None = None, status: int = 200, **context):
    context.setdefault("panel_form", _panel_form(selection_round, formdata=False))
    context.setdefault("status_error", None)
    context.setdefault("panel_message", None)
    context.setdefault("panel_error", None)
    count = db.session.scalar(select(func.count(Application.id)).where(Application.round_id == selection_round.id))
    return render(
        "selection_admin/round_show.html",
        block,
        selection_round=selection_round,
        application_count=count,
        button_form=ButtonForm(),
        **LABELS,
        **context,
    ), status


@bp.route("/<int:round_id>")
@roles_required(*MANAGERS)
def show(round_id: int):
    return _show(_get_or_404(SelectionRound, round_id))


@bp.route("/<int:round_id>/panitia", methods=["POST"])
@roles_required(*MANAGERS)
def panel_add(round_id: int):
    selection_round = _get_or_404(SelectionRound, round_id)
    form = _panel_form(selection_round)
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        try:
            if selection_round.status == RoundStatus.ANNOUNCED:
                raise services.SelectionError(_("Seleksi yang sudah diumumkan tidak dapat diubah."))
            if user is None:
                raise services.SelectionError(_("Pilih anggota tim seleksi."))
            member = services.add_panel_member(
                db.session, current_user, selection_round, user, PanelUnit(form.unit.data)
            )
        except services.SelectionError as exc:
            db.session.rollback()
            form.user_id.errors.append(str(exc))
        else:
            message = _("%(name)s ditambahkan ke tim seleksi.", name=member.user.full_name)
            if wants_fragment():
                return _show(selection_round, block="panel", panel_message=message)
            flash(message, "success")
            return redirect(url_for("selection_admin.show", round_id=round_id))
    return _show(selection_round, block="panel", status=422, panel_form=form)


@bp.route("/<int:round_id>/panitia/<int:member_id>/hapus", methods=["POST"])
@roles_required(*MANAGERS)
def panel_remove(round_id: int, member_id: int):
    selection_round = _get_or_404(SelectionRound, round_id)
    member = db.session.get(PanelMember, member_id)
    if member is None or member.round_id != selection_round.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if selection_round.status == RoundStatus.ANNOUNCED:
        message = _("Seleksi yang sudah diumumkan tidak dapat diubah.")
        return _show(selection_round, block="panel", status=422, panel_error=message)
    name = member.user.full_name
    services.remove_panel_member(db.session, current_user, member)
    message = _("%(name)s dikeluarkan dari tim seleksi.", name=name)
    if wants_fragment():
        return _show(selection_round, block="panel", panel_message=message)
    flash(message, "success")
    return redirect(url_for("selection_admin.show", round_id=round_id))


@bp.route("/<int:round_id>/status", methods=["POST"])
@roles_required(*MANAGERS)
def advance(round_id: int):
    selection_round = _get_or_404(SelectionRound, round_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.advance_round(db.session, current_user, selection_round)
    except services.SelectionError as exc:
        db.session.rollback()
        return _show(selection_round, status=422, status_error=str(exc))
    if selection_round.status == RoundStatus.OPEN:
        flash(_("Pendaftaran %(title)s dibuka.", title=selection_round.title), "success")
    else:
        flash(_("Pendaftaran %(title)s ditutup.", title=selection_round.title), "success")
    return redirect(url_for("selection_admin.show", round_id=round_id))
