"""Sign in and out, the user's own account, and the admin pages for users, roles and OPDs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import and_, or_, select
from wtforms.fields.choices import SelectChoice

from pontive.accounts import services
from pontive.accounts.forms import (
    EmptyForm,
    GrantForm,
    LoginForm,
    OpdForm,
    PasswordChangeForm,
    ResetPasswordForm,
    UserForm,
)
from pontive.accounts.models import Opd, RoleGrant, User
from pontive.accounts.roles import OPD_SCOPED, ROLE_LABELS, Role
from pontive.core.formats import format_datetime
from pontive.core.htmx import render
from pontive.core.i18n import to_local
from pontive.core.pagination import COUNT_AHEAD, Page, capped_count, paginate
from pontive.core.permissions import login_required, public, roles_required
from pontive.extensions import db, limiter

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an absolute URL an attacker could plant."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/masuk", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = services.authenticate(db.session, form.username.data, form.password.data)
        if result.user is not None:
            session.clear()  # a new session: nothing of the anonymous one carries over
            login_user(result.user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.index"))
        if result.locked_until is not None:
            error = _(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(time)s.",
                time=format_datetime(to_local(result.locked_until)).split(" ")[-1],
            )
        else:
            error = _(services.GENERIC_LOGIN_ERROR)
    status = 422 if request.method == "POST" else 200
    return render("accounts/login.html", form=form, error=error), status


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    services.end_sessions(db.session, current_user._get_current_object(), reason="logout")
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/akun")
@login_required
def profile():
    return render("accounts/profile.html", user=current_user, role_labels=ROLE_LABELS)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, user, form.current.data, form.new.data)
        except services.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            # Every other session is now dead; this one continues under the new version.
            session.clear()
            login_user(user)
            flash(_("Kata sandi berhasil diubah. Sesi di perangkat lain telah diakhiri."), "success")
            return redirect(url_for("accounts.profile"))
    status = 422 if form.errors else 200
    return render("accounts/password.html", form=form), status


# --- admin: users ----------------------------------------------------------------------------


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _opd_choices() -> list[SelectChoice]:
    opds = db.session.execute(select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name)).all()
    return [SelectChoice("", _("— tidak ada —"))] + [SelectChoice(str(i), n) for i, n in opds]


def _starts_with(column, text: str):
    """``column`` starts with ``text``, as a range an index on ``column`` answers (not LIKE: SQLite's LIKE
    never uses an index on an expression such as lower(full_name)): "budi" ≤ column < "budj"."""
    return and_(column >= text, column < text[:-1] + chr(ord(text[-1]) + 1))


def _search_tiers(q: str) -> list[tuple]:
    """The users ``q`` finds, as (condition, order) tiers shown one after the other: those whose username,
    then name (any case), then NIP starts with ``q``, each read in its own index's order; then every other
    user with ``q`` anywhere in them (a surname, part of a NIP), in username order."""
    text = q.lower()
    by_username = _starts_with(User.username, text)
    by_name = _starts_with(db.func.lower(User.full_name), text)
    by_nip = and_(User.nip.is_not(None), _starts_with(User.nip, q))
    anywhere = or_(
        db.func.lower(User.username).contains(text, autoescape=True),
        db.func.lower(User.full_name).contains(text, autoescape=True),
        User.nip.contains(q, autoescape=True),
    )
    return [
        (by_username, (User.username,)),
        (and_(by_name, ~by_username), (db.func.lower(User.full_name), User.id)),
        (and_(by_nip, ~by_username, ~by_name), (User.nip,)),
        (and_(anywhere, ~by_username, ~by_name, ~by_nip), (User.username,)),
    ]


def _tiered_page(base, tiers: list[tuple]) -> Page:
    """One page of user ids read tier after tier (see _search_tiers), each tier an ordered read that stops
    at the page, and the total counted tier by tier up to COUNT_AHEAD past the page."""
    page = Page([], max(request.args.get("page", 1, type=int) or 1, 1), current_app.config["PER_PAGE"], 0)
    skip, ids = page.offset, []
    for condition, order in tiers:
        need = page.per_page - len(ids)
        if not need:
            break
        got = db.session.scalars(base.where(condition).order_by(*order).offset(skip).limit(need)).all()
        if got:
            ids += got
            skip = 0
        elif skip:  # the whole tier lies before the page
            skip -= capped_count(base.where(condition), limit=skip).total
    if len(ids) < page.per_page and (ids or page.page == 1):
        page.total = page.offset + len(ids)  # the last page: its rows tell the total
    else:
        limit = page.offset + COUNT_AHEAD
        for condition, _order in tiers:
            counted = capped_count(base.where(condition), limit=limit - page.total)
            page.total += counted.total
            if counted.total_capped or page.total >= limit:
                page.total_capped = True
                break
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    page.items = [users[i] for i in ids]
    return page


@admin_bp.route("/pengguna")
@roles_required(Role.ADMIN)
def users():
    q = request.args.get("q", "").strip()[
        :100
    ]  # a search box, not a document (SQLite refuses LIKE patterns over 50 KB)
    role = request.args.get("peran", "")
    # the page's user ids first, in the list's order, then those twenty users
    base = select(User.id)
    if role in {r.value for r in Role}:
        # the role's users from the (role, user_id) index, sorted by username: twenty thousand index reads
        # and a sort that keeps only the page (a walk down the username index testing each user's grants
        # reads every user who sorts before the role's first, which was slower)
        if Role(role) in OPD_SCOPED:  # one grant per OPD: a user may hold the role more than once
            base = base.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == Role(role))))
        else:  # grant_role refuses a second unscoped grant of a role
            base = base.join(RoleGrant, RoleGrant.user_id == User.id).where(RoleGrant.role == Role(role))
    if q:
        page = _tiered_page(base, _search_tiers(q))
    else:
        page = paginate(base.order_by(User.username))
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(page.items)))}
        page.items = [users[i] for i in page.items]
    return render("accounts/users.html", "results", page=page, q=q, role=role, role_labels=ROLE_LABELS)


@admin_bp.route("/pengguna/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_new():
    form = UserForm()
    form.home_opd_id.choices = _opd_choices()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Wajib diisi."))
        else:
            try:
                user = services.create_user(db.session, current_user, form.data_for_service(), form.password.data)
            except services.AccountError as exc:
                form.username.errors.append(str(exc))
            else:
                flash(_("Pengguna %(name)s dibuat.", name=user.username), "success")
                return redirect(url_for("admin.user_show", user_id=user.id))
    return render("accounts/user_form.html", form=form, user=None), 422 if form.errors else 200


@admin_bp.route("/pengguna/<int:user_id>")
@roles_required(Role.ADMIN)
def user_show(user_id: int):
    user = get_user_or_404(user_id)
    grant_form = GrantForm()
    grant_form.opd_id.choices = _opd_choices()
    return render(
        "accounts/user_show.html",
        user=user,
        grant_form=grant_form,
        reset_form=ResetPasswordForm(),
        button_form=EmptyForm(),
        role_labels=ROLE_LABELS,
    )


@admin_bp.route("/pengguna/<int:user_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id: int):
    user = get_user_or_404(user_id)
    form = UserForm(obj=user)
    form.home_opd_id.choices = _opd_choices()
    if request.method == "GET":
        form.employment_status.data = user.employment_status.value
    if form.validate_on_submit():
        try:
            services.update_user(db.session, current_user, user, form.data_for_service())
        except services.AccountError as exc:
            db.session.rollback()
            form.username.errors.append(str(exc))
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("admin.user_show", user_id=user.id))
    return render("accounts/user_form.html", form=form, user=user), 422 if form.errors else 200


@admin_bp.route("/pengguna/<int:user_id>/status", methods=["POST"])
@roles_required(Role.ADMIN)
def user_toggle_active(user_id: int):
    user = get_user_or_404(user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_active(db.session, current_user, user, not user.active)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Akun diaktifkan.") if user.active else _("Akun dinonaktifkan."), "success")
    return redirect(url_for("admin.user_show", user_id=user.id))


@admin_bp.route("/pengguna/<int:user_id>/reset-sandi", methods=["POST"])
@roles_required(Role.ADMIN)
def user_reset_password(user_id: int):
    user = get_user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(db.session, current_user, user, form.new.data)
        flash(_("Kata sandi %(name)s disetel ulang; sesi lamanya diakhiri.", name=user.username), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("admin.user_show", user_id=user.id))


@admin_bp.route("/pengguna/<int:user_id>/peran", methods=["POST"])
@roles_required(Role.ADMIN)
def grant_add(user_id: int):
    user = get_user_or_404(user_id)
    form = GrantForm()
    form.opd_id.choices = _opd_choices()
    if form.validate_on_submit():
        try:
            services.grant_role(db.session, current_user, user, form.role.data, form.opd_id.data)
        except services.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Peran ditambahkan."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("admin.user_show", user_id=user.id))


@admin_bp.route("/pengguna/<int:user_id>/peran/<int:grant_id>/hapus", methods=["POST"])
@roles_required(Role.ADMIN)
def grant_remove(user_id: int, grant_id: int):
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user_id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.revoke_role(db.session, current_user, grant)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Peran dicabut."), "success")
    return redirect(url_for("admin.user_show", user_id=user_id))


# --- admin: OPDs -----------------------------------------------------------------------------


def get_opd_or_404(opd_id: int) -> Opd:
    opd = db.session.get(Opd, opd_id)
    if opd is None:
        abort(404)
    return opd


@admin_bp.route("/opd")
@roles_required(Role.ADMIN)
def opds():
    q = request.args.get("q", "").strip()[
        :100
    ]  # a search box, not a document (SQLite refuses LIKE patterns over 50 KB)
    query = select(Opd).order_by(Opd.name)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(db.func.lower(Opd.name).like(like), db.func.lower(Opd.code).like(like)))
    return render("accounts/opds.html", "results", page=paginate(query, per_page=50), q=q)


@admin_bp.route("/opd/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def opd_new():
    return _opd_form(None)


@admin_bp.route("/opd/<int:opd_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def opd_edit(opd_id: int):
    return _opd_form(get_opd_or_404(opd_id))


def _opd_form(opd: Opd | None):
    form = OpdForm(obj=opd)
    if form.validate_on_submit():
        try:
            services.save_opd(db.session, current_user, form.data, opd)
        except services.AccountError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            flash(_("OPD disimpan."), "success")
            return redirect(url_for("admin.opds"))
    return render("accounts/opd_form.html", form=form, opd=opd), 422 if form.errors else 200
