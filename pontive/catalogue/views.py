"""The application catalogue (DESIGN §5, issue 7): the list with search, filters and exports, an
application's page, its edit form, maintainers, integrations and documents, build/upgrade projects
along the SOP of seed 001 with the phases of seed 003, the handover that starts the one-year warranty
(003 §6), and the yearly application report (001 "laporan tahunan aplikasi")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, lazyload, selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.catalogue import cards, reports, rules, services
from pontive.catalogue.forms import (
    PROJECT_KINDS,
    AppForm,
    DocumentForm,
    HandoverForm,
    IntegrationForm,
    MaintainersForm,
    ProjectForm,
    StepDocumentForm,
    StepForm,
)
from pontive.catalogue.models import AppDocument, AppIntegration, CityApplication, Project, ProjectStep, app_maintainer
from pontive.core import formats, nav
from pontive.core.excel import xlsx_response
from pontive.core.forms import ButtonForm
from pontive.core.htmx import is_htmx_target, render, wants_fragment
from pontive.core.i18n import current_lang
from pontive.core.letters import pdf_response, render_pdf
from pontive.core.pagination import paginate
from pontive.core.permissions import login_required, roles_required
from pontive.core.uploads import register_file_access
from pontive.extensions import db

bp = Blueprint("catalogue", __name__, url_prefix="/katalog")

LEADERS = (Role.ADMIN, Role.KETUA, Role.SEKRETARIS)
# Who may ever change an application: the leaders, an OPD's operator, a maintainer (services.can_edit
# decides for each application; the rest get 403).
EDITOR_ROLES = (*LEADERS, Role.OPERATOR_OPD, Role.ANGGOTA)
CREATOR_ROLES = (*LEADERS, Role.OPERATOR_OPD)
REPORT_ROLES = (*LEADERS, Role.OPERATOR_OPD)

local_now = reports.local_now
local_today = reports.local_today

__all__ = ["bp", "cards"]


def _user() -> User:
    return current_user._get_current_object()


@bp.app_template_filter("waktu_langkah")
def step_time(value: dt.datetime | None) -> str:
    """A project step's time as recorded: the city's wall clock, no zone conversion."""
    return formats.format_datetime(value, current_lang())


# --- the list: search, filters, sorting (issue 7 §2) ------------------------------------------------------

STATUS_ORDER = case({key: n for n, key in enumerate(rules.STATUSES)}, value=CityApplication.status, else_=99)
SORTS = {
    "nama": "Nama",
    "opd": "OPD",
    "status": "Status",
    "garansi": "Akhir garansi",
}


@dataclass(frozen=True)
class Filters:
    """The list's query string, parsed once; ``args()`` writes it back for links and exports."""

    q: str = ""
    opd: int | None = None
    kind: str = ""
    status: str = ""
    hosting: str = ""
    warranty: bool = False
    sort: str = "nama"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        def pick(value: str | None, allowed) -> str:
            return value if value in allowed else ""

        try:
            opd = int(args.get("opd") or 0) or None
        except ValueError:
            opd = None
        return cls(
            q=(args.get("q") or "").strip()[:100],
            opd=opd,
            kind=pick(args.get("jenis"), rules.KINDS),
            status=pick(args.get("status"), rules.STATUSES),
            hosting=pick(args.get("hosting"), rules.HOSTING),
            warranty=args.get("garansi") == "1",
            sort=pick(args.get("urut"), SORTS) or "nama",
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        values = {
            "q": self.q,
            "opd": self.opd,
            "jenis": self.kind,
            "status": self.status,
            "hosting": self.hosting,
            "garansi": "1" if self.warranty else "",
            "urut": "" if self.sort == "nama" else self.sort,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.q or self.opd or self.kind or self.status or self.hosting or self.warranty)

    def order_by(self) -> list:
        if self.sort == "opd":
            return [Opd.name, CityApplication.name, CityApplication.id]
        if self.sort == "status":
            return [STATUS_ORDER, CityApplication.name, CityApplication.id]
        if self.sort == "garansi":
            return [
                CityApplication.warranty_until.is_(None),
                CityApplication.warranty_until,
                CityApplication.name,
                CityApplication.id,
            ]
        return [func.lower(CityApplication.name), CityApplication.id]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains_any_case(column, like: str):
    """``column`` matches ``like`` in any case. SQLite's LIKE already ignores ASCII case, which is all its
    lower() folds, so there the column is matched as stored: lower() of every name and description of
    the list cost half its scan (issue 8 §2). Elsewhere (PostgreSQL) ILIKE."""
    if db.session.get_bind().dialect.name == "sqlite":
        return column.like(like, escape="\\")
    return column.ilike(like, escape="\\")


def _filtered(query: Select, filters: Filters, today: dt.date) -> Select:
    if filters.q:
        like = _like(filters.q)
        query = query.where(
            or_(_contains_any_case(CityApplication.name, like), _contains_any_case(CityApplication.description, like))
        )
    if filters.opd:
        query = query.where(CityApplication.owner_opd_id == filters.opd)
    if filters.kind:
        query = query.where(CityApplication.kind == filters.kind)
    if filters.status:
        query = query.where(CityApplication.status == filters.status)
    if filters.hosting:
        query = query.where(CityApplication.hosting_location == filters.hosting)
    if filters.warranty:
        query = query.where(
            CityApplication.warranty_until >= today,
            CityApplication.warranty_until <= today + dt.timedelta(days=rules.WARRANTY_NOTICE_DAYS),
        )
    return query.order_by(*filters.order_by())


def catalogue_query(filters: Filters, today: dt.date) -> Select:
    """The filtered applications with their owner OPD in the same query (maintainers: one selectin of
    their accounts, not their role grants)."""
    query = (
        select(CityApplication)
        .join(CityApplication.owner_opd)
        .options(
            contains_eager(CityApplication.owner_opd),
            selectinload(CityApplication.maintainers).lazyload(User.grants),
        )
    )
    return _filtered(query, filters, today)


def _opd_options() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name))]


@bp.route("")
@login_required
def index():
    filters = Filters.from_args(request.args)
    today = local_today()
    if request.args.get("pilihan"):
        # The options of the integration form's "other application" field (a datalist), as one types.
        typed = (request.args.get("other") or filters.q).strip()[:100]
        options = (
            _filtered(select(CityApplication).join(CityApplication.owner_opd), Filters(q=typed), today)
            .options(contains_eager(CityApplication.owner_opd), lazyload(CityApplication.maintainers))
            .limit(20)
        )
        apps = db.session.scalars(options) if typed else []
        return render_template("catalogue/_app_options.html", apps=apps)
    user = _user()
    page = paginate(catalogue_query(filters, today))
    response = make_response(
        render(
            "catalogue/index.html",
            "results",
            page=page,
            filters=filters,
            opds=[] if wants_fragment() else _opd_options(),  # the filter form is not part of the results
            sorts=SORTS,
            rules=rules,
            today=today,
            may_create=user.has_role(*CREATOR_ROLES),
        )
    )
    if wants_fragment():
        # The address bar gets the filters in use only, not every empty field of the form.
        extra = {"page": page.page} if page.page > 1 else {}
        response.headers["HX-Push-Url"] = url_for("catalogue.index", **filters.args(), **extra)
    return response


# --- exports of the filtered list (issue 7 §4) ---------------------------------------------------------


def _may_see_some_infrastructure(user: User) -> bool:
    """Leaders, operators and members may see some servers and IP addresses (of their own OPD's, or
    of the applications they maintain); nobody else gets those columns at all."""
    return user.has_role(*EDITOR_ROLES)


def _export_headers(infra: bool) -> list[str]:
    headers = [
        "Nama aplikasi",
        "OPD pemilik",
        "Jenis",
        "Tunggal/terintegrasi",
        "Status",
        "URL",
        "URL repositori",
        "Host repositori",
        "Branch",
        "Visibilitas repositori",
        "Lokasi hosting",
    ]
    if infra:
        headers += ["Nama server", "Alamat IP"]
    return headers + [
        "Sistem operasi",
        "Web server",
        "Runtime",
        "Basis data",
        "Nomor aset",
        "Garansi berakhir",
        "Pemelihara",
    ]


def _export_rows(filters: Filters, user: User, infra: bool) -> Iterator[list[Any]]:
    """One streamed query, whatever the number of applications: the columns the file shows, each
    application's maintainers joined in (a row per maintainer, folded back here) in their name order."""
    maintainer = aliased(User)
    query = (
        select(
            CityApplication.id,
            CityApplication.name,
            Opd.name.label("opd_name"),
            CityApplication.owner_opd_id,
            CityApplication.kind,
            CityApplication.integrated,
            CityApplication.status,
            CityApplication.url,
            CityApplication.repo_url,
            CityApplication.repo_host,
            CityApplication.repo_branch,
            CityApplication.repo_visibility,
            CityApplication.hosting_location,
            CityApplication.server_name,
            CityApplication.ip_address,
            CityApplication.operating_system,
            CityApplication.web_server,
            CityApplication.runtime,
            CityApplication.database,
            CityApplication.asset_number,
            CityApplication.warranty_until,
            maintainer.id.label("maintainer_id"),
            maintainer.full_name.label("maintainer_name"),
        )
        .select_from(CityApplication)
        .join(Opd, Opd.id == CityApplication.owner_opd_id)
        .outerjoin(app_maintainer, app_maintainer.c.app_id == CityApplication.id)
        .outerjoin(maintainer, maintainer.id == app_maintainer.c.user_id)
    )
    query = _filtered(query, filters, local_today()).order_by(maintainer.full_name, maintainer.id)
    may_see = services.infrastructure_check(user)
    result = db.session.execute(query, execution_options={"yield_per": 1000})
    for _app_id, group in itertools.groupby(result, key=lambda r: r.id):
        rows = list(group)
        app = rows[0]
        maintainers = [(r.maintainer_id, r.maintainer_name) for r in rows if r.maintainer_id is not None]
        row = [
            app.name,
            app.opd_name,
            rules.KINDS.get(app.kind, app.kind),
            "Terintegrasi" if app.integrated else "Tunggal",
            rules.STATUSES.get(app.status, app.status),
            app.url,
            app.repo_url or "",
            app.repo_host,
            app.repo_branch,
            rules.VISIBILITY.get(app.repo_visibility, app.repo_visibility),
            rules.HOSTING.get(app.hosting_location, app.hosting_location),
        ]
        if infra:
            visible = may_see(app.owner_opd_id, [m_id for m_id, _ in maintainers])
            row += [app.server_name if visible else "", app.ip_address if visible else ""]
        row += [
            app.operating_system,
            app.web_server,
            app.runtime,
            app.database,
            app.asset_number,
            app.warranty_until,
            ", ".join(name for _, name in maintainers),
        ]
        yield row


def _export_name(extension: str) -> str:
    return f"katalog-aplikasi-{local_today().isoformat()}.{extension}"


@bp.route("/ekspor.xlsx")
@login_required
def export_xlsx():
    user = _user()
    infra = _may_see_some_infrastructure(user)
    filters = Filters.from_args(request.args)
    return xlsx_response(
        _export_name("xlsx"), "Katalog aplikasi", _export_headers(infra), _export_rows(filters, user, infra)
    )


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet opening the file must not take a cell for a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@bp.route("/ekspor.csv")
@login_required
def export_csv():
    user = _user()
    infra = _may_see_some_infrastructure(user)
    filters = Filters.from_args(request.args)

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # lets Excel read the file as UTF-8
        for row in itertools.chain([_export_headers(infra)], _export_rows(filters, user, infra)):
            writer.writerow([_csv_cell(v) for v in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- one application -------------------------------------------------------------------------------------


def _get_app(app_id: int) -> CityApplication:
    """The application with its owner OPD and its maintainers (their accounts, not their role grants)."""
    app = db.session.get(
        CityApplication, app_id, options=[selectinload(CityApplication.maintainers).lazyload(User.grants)]
    )
    if app is None:
        abort(404)
    return app


def _get_app_to_edit(app_id: int) -> CityApplication:
    """The application, if the signed-in user may change it; 403 otherwise (issue 7 "operator of OPD A
    cannot edit OPD B's applications")."""
    app = _get_app(app_id)
    if not services.can_edit(_user(), app):
        abort(403)
    return app


FIELD_LABELS = {
    "name": "Nama",
    "description": "Deskripsi",
    "owner_opd_id": "OPD pemilik",
    "kind": "Jenis",
    "integrated": "Terintegrasi",
    "status": "Status",
    "url": "URL",
    "repo_url": "Repositori",
    "repo_host": "Host repositori",
    "repo_branch": "Branch",
    "repo_visibility": "Visibilitas repositori",
    "hosting_location": "Lokasi hosting",
    "server_name": "Nama server",
    "ip_address": "Alamat IP",
    "operating_system": "Sistem operasi",
    "web_server": "Web server",
    "runtime": "Runtime",
    "database": "Basis data",
    "asset_number": "Nomor aset",
    "warranty_until": "Garansi berakhir",
}
ACTION_LABELS = {
    "app_create": "Aplikasi dicatat",
    "app_update": "Data aplikasi diubah",
    "app_maintainers": "Pemelihara diubah",
    "app_integration": "Integrasi ditambahkan",
    "app_integration_remove": "Integrasi dihapus",
    "app_document": "Dokumen diunggah",
    "app_handover": "Serah terima dan pencatatan aset",
}
VALUE_LABELS = {
    "kind": rules.KINDS,
    "status": rules.STATUSES,
    "hosting_location": rules.HOSTING,
    "repo_visibility": rules.VISIBILITY,
}


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]]


def _shown(key: str, value: Any, opd_names: Mapping[int, str]) -> str:
    if value in (None, ""):
        return "—"
    if key == "owner_opd_id":
        return opd_names.get(value, str(value))
    if key == "integrated":
        return "ya" if value else "tidak"
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(value, str(value))
    return str(value)


def _history_rows(app: CityApplication, infra: bool) -> list[HistoryRow]:
    """The audit entries of the application, readable; servers and IP addresses stay hidden from
    whoever may not see them on the page either."""
    entries = services.history(db.session, app)
    opd_ids = set()
    for entry in entries:
        for data in (entry.before or {}, entry.after or {}):
            if isinstance(data.get("owner_opd_id"), int):
                opd_ids.add(data["owner_opd_id"])
    opd_names = (
        dict(db.session.execute(select(Opd.id, Opd.name).where(Opd.id.in_(sorted(opd_ids)))).all()) if opd_ids else {}
    )
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = []
        if entry.action == "app_update":
            for key, label in FIELD_LABELS.items():
                if key in services.INFRA_FIELDS and not infra:
                    continue
                if key in after and before.get(key) != after.get(key):
                    changes.append(
                        (label, _shown(key, before.get(key), opd_names), _shown(key, after.get(key), opd_names))
                    )
        elif entry.action == "app_handover":
            for key in ("asset_number", "warranty_until"):
                changes.append((FIELD_LABELS[key], _shown(key, before.get(key), {}), _shown(key, after.get(key), {})))
        elif entry.action == "app_document":
            changes.append(("Jenis", "", rules.DOCUMENT_KINDS.get(after.get("kind"), str(after.get("kind")))))
        rows.append(
            HistoryRow(entry.created_at, entry.actor_name, ACTION_LABELS.get(entry.action, entry.action), changes)
        )
    return rows


def _may_download_documents(user: User, app: CityApplication) -> bool:
    return user.has_role(*LEADERS) or services.can_edit(user, app)


def _projects_of(app: CityApplication) -> list[Project]:
    """The application's projects, newest first, with their steps (SOP step joined): two queries."""
    return list(
        db.session.scalars(
            select(Project)
            .where(Project.app_id == app.id)
            .options(
                lazyload(Project.app),
                selectinload(Project.steps).options(
                    lazyload(ProjectStep.started_by), lazyload(ProjectStep.finished_by)
                ),
            )
            .order_by(Project.year.desc(), Project.id.desc())
        )
    )


def _render_show(app: CityApplication, status: int = 200, **forms: Any):
    user = _user()
    editable = services.can_edit(user, app)
    infra = services.can_see_infrastructure(user, app)
    provides, consumes = services.integrations_of(db.session, app)
    projects = _projects_of(app)
    now = local_now()
    today = now.date()
    picker = None
    if editable:
        # The maintainer picker offers members a search at a time (the team has thousands): without
        # JavaScript the search reloads this page with ?cari=…, with htmx it swaps the options.
        picker = services.maintainer_choices(db.session, app, request.args.get("cari", ""))
        forms.setdefault("maintainer_form", MaintainersForm(formdata=None))
        forms.setdefault("integration_form", IntegrationForm(formdata=None))
        forms.setdefault("document_form", DocumentForm(formdata=None))
        forms.setdefault("project_form", ProjectForm(formdata=None, year=today.year))
        forms.setdefault("button_form", ButtonForm(formdata=None))
    return render(
        "catalogue/show.html",
        app=app,
        editable=editable,
        infra=infra,
        provides=provides,
        consumes=consumes,
        projects=projects,
        late={p.id: services.late_steps(p, now) for p in projects},
        documents=app.documents,
        may_download=_may_download_documents(user, app),
        history=_history_rows(app, infra),
        missing=cards.missing_for(app),
        warranty_soon=rules.warranty_ending_soon(app.warranty_until, today),
        warranty_over=app.warranty_until is not None and app.warranty_until < today,
        rules=rules,
        project_kinds=PROJECT_KINDS,
        picker=picker,
        searching="cari" in request.args,
        **forms,
    ), status


@bp.route("/<int:app_id>")
@login_required
def show(app_id: int):
    return _render_show(_get_app(app_id))


@bp.route("/<int:app_id>/pemelihara/cari")
@roles_required(*EDITOR_ROLES)
def maintainer_search(app_id: int):
    """Search-as-you-type over the team's members for the maintainer picker, keeping those already
    ticked. Without htmx: the application's page with that search in its picker."""
    app = _get_app_to_edit(app_id)
    query = request.args.get("cari", "")
    if is_htmx_target("calon-pemelihara"):
        picker = services.maintainer_choices(db.session, app, query, request.args.getlist("user_ids", type=int))
        return render_template("catalogue/_maintainer_options.html", picker=picker)
    return redirect(url_for("catalogue.show", app_id=app.id, cari=query, _anchor="pemelihara"))


def _opd_choices(user: User, current: int | None = None) -> list[SelectChoice]:
    """Every OPD for the leaders; for an operator their own OPDs (and the application's)."""
    query = select(Opd.id, Opd.name).order_by(Opd.name)
    if not user.has_role(*LEADERS):
        ids = set(user.opd_ids_for(Role.OPERATOR_OPD)) | ({current} if current else set())
        query = query.where(Opd.id.in_(sorted(ids)))
    else:
        query = query.where(or_(Opd.active, Opd.id == current))
    rows = db.session.execute(query).all()
    return [SelectChoice("", _("— pilih OPD —"))] + [SelectChoice(i, n) for i, n in rows]


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*CREATOR_ROLES)
def new():
    user = _user()
    form = AppForm()
    form.owner_opd_id.choices = _opd_choices(user)
    if request.method == "GET":
        own = sorted(user.opd_ids_for(Role.OPERATOR_OPD))
        if len(own) == 1 and not user.has_role(*LEADERS):
            form.owner_opd_id.data = own[0]
    if form.validate_on_submit():
        try:
            app = services.save_app(db.session, user, form.data_for_service())
        except services.CatalogueError as exc:
            db.session.rollback()
            form.show_service_error(str(exc))
        else:
            flash(_("Aplikasi %(name)s dicatat.", name=app.name), "success")
            return redirect(url_for("catalogue.show", app_id=app.id))
    return render("catalogue/form.html", form=form, app=None), 422 if form.errors or form.form_errors else 200


@bp.route("/<int:app_id>/ubah", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def edit(app_id: int):
    user = _user()
    app = _get_app_to_edit(app_id)
    form = AppForm(obj=app)
    form.owner_opd_id.choices = _opd_choices(user, app.owner_opd_id)
    if form.validate_on_submit():
        try:
            services.save_app(db.session, user, form.data_for_service(), app)
        except services.CatalogueError as exc:
            db.session.rollback()
            form.show_service_error(str(exc))
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("catalogue.show", app_id=app.id))
    return render("catalogue/form.html", form=form, app=app), 422 if form.errors or form.form_errors else 200


def _flash_form_errors(form) -> None:
    for message in form.form_errors:
        flash(str(message), "error")
    for name, errors in form.errors.items():
        if name is None:
            continue
        for message in errors:
            flash(f"{getattr(form, name).label.text}: {message}", "error")


@bp.route("/<int:app_id>/pemelihara", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def maintainers(app_id: int):
    app = _get_app_to_edit(app_id)
    form = MaintainersForm()
    if form.validate_on_submit():
        try:
            services.set_maintainers(db.session, _user(), app, form.user_ids.data or [])
        except services.CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Pemelihara disimpan."), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("catalogue.show", app_id=app_id, _anchor="pemelihara"))


def _find_other_app(text: str) -> CityApplication | None:
    """The application the integration form names: "SIMPEG (#12)" as the list offers it, or an exact name."""
    text = (text or "").strip()
    match = re.search(r"#(\d+)\)?\s*$", text)
    if match:
        return db.session.get(CityApplication, int(match.group(1)))
    found = list(
        db.session.scalars(select(CityApplication).where(func.lower(CityApplication.name) == text.lower()).limit(2))
    )
    return found[0] if len(found) == 1 else None


@bp.route("/<int:app_id>/integrasi", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def integration_add(app_id: int):
    app = _get_app_to_edit(app_id)
    form = IntegrationForm()
    if form.validate_on_submit():
        other = _find_other_app(form.other.data)
        if other is None:
            flash(_("Aplikasi “%(name)s” tidak ditemukan: pilih dari daftar.", name=form.other.data), "error")
        else:
            provider, consumer = (app, other) if form.direction.data == "provides" else (other, app)
            try:
                services.add_integration(db.session, _user(), provider, consumer, form.description.data or "")
            except services.CatalogueError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                flash(_("Integrasi dengan %(name)s dicatat.", name=other.name), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("catalogue.show", app_id=app_id, _anchor="integrasi"))


@bp.route("/<int:app_id>/integrasi/<int:link_id>/hapus", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def integration_remove(app_id: int, link_id: int):
    app = _get_app_to_edit(app_id)
    link = db.session.get(AppIntegration, link_id)
    if link is None or app.id not in (link.provider_id, link.consumer_id):
        abort(404)
    if ButtonForm().validate_on_submit():
        try:
            services.remove_integration(db.session, _user(), link)
        except services.CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Integrasi dihapus."), "success")
    return redirect(url_for("catalogue.show", app_id=app_id, _anchor="integrasi"))


@bp.route("/<int:app_id>/dokumen", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def document_add(app_id: int):
    app = _get_app_to_edit(app_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            services.add_document(db.session, _user(), app, form.kind.data, form.file.data, form.label.data or "")
        except services.CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Dokumen diunggah."), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("catalogue.show", app_id=app_id, _anchor="dokumen"))


@register_file_access(services.DOCUMENT_PURPOSE)
def _document_access(user: User, stored) -> bool:
    """An application's documents: whoever may edit the application, and the ketua, sekretaris and admin."""
    if user.has_role(*LEADERS):
        return True
    document = db.session.scalar(select(AppDocument).where(AppDocument.file_id == stored.id))
    return document is not None and services.can_edit(user, document.app)


# --- projects along the SOP (seed 001) and the phases of seed 003 ----------------------------------------


@bp.route("/<int:app_id>/proyek", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def project_start(app_id: int):
    app = _get_app_to_edit(app_id)
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            project = services.start_project(
                db.session, _user(), app, form.kind.data, form.title.data, form.vendor.data or "", form.year.data
            )
        except services.CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Proyek dimulai: catat setiap langkah SOP di sini."), "success")
            return redirect(url_for("catalogue.project", project_id=project.id))
    else:
        _flash_form_errors(form)
    return redirect(url_for("catalogue.show", app_id=app_id, _anchor="proyek"))


def _get_project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    return project


def _get_step(project: Project, step_id: int) -> ProjectStep:
    step = next((s for s in project.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    return step


@dataclass
class PhaseGroup:
    key: str
    label: str
    steps: list[ProjectStep]


def _phase_groups(steps: list[ProjectStep]) -> list[PhaseGroup]:
    """The steps in SOP order, headed by their phase whenever the phase changes (seed 003 §1–6)."""
    return [
        PhaseGroup(key, rules.PHASES.get(key, key), list(group))
        for key, group in itertools.groupby(steps, key=lambda s: s.sop_step.phase)
    ]


def _phase_summary(steps: list[ProjectStep]) -> list[tuple[str, str, int, int]]:
    """Per phase of seed 003: (key, label, steps finished, steps)."""
    summary = []
    for key, label in rules.PHASES.items():
        mine = [s for s in steps if s.sop_step.phase == key]
        summary.append((key, label, sum(1 for s in mine if s.finished_at), len(mine)))
    return summary


def _duration(step: ProjectStep) -> str:
    low, high = step.sop_step.min_minutes, step.sop_step.max_minutes
    if low is None or low == high:
        return rules.format_duration(high)
    return f"{rules.format_duration(low)} – {rules.format_duration(high)}"


def _render_project(
    project: Project,
    status: int = 200,
    step_form: tuple[int, StepForm] | None = None,
    handover_form: HandoverForm | None = None,
):
    user = _user()
    app = project.app
    editable = services.can_edit(user, app)
    now = local_now()
    late_ids = {s.id for s in services.late_steps(project, now)}
    step_ids = [s.id for s in project.steps]
    documents: dict[int, list[AppDocument]] = {}
    if step_ids:
        for document in db.session.scalars(
            select(AppDocument).where(AppDocument.project_step_id.in_(step_ids)).order_by(AppDocument.id)
        ):
            documents.setdefault(document.project_step_id, []).append(document)
    step_forms: dict[int, StepForm] = {}
    document_forms: dict[int, StepDocumentForm] = {}
    if editable:
        for step in project.steps:
            if step_form and step_form[0] == step.id:
                step_forms[step.id] = step_form[1]
            else:
                step_forms[step.id] = StepForm(
                    formdata=None,
                    prefix=f"s{step.id}",
                    started_at=step.started_at,
                    finished_at=step.finished_at,
                    note=step.note,
                )
            document_forms[step.id] = StepDocumentForm(formdata=None, prefix=f"d{step.id}")
        if handover_form is None and project.handover_date is None:
            handover_form = HandoverForm(formdata=None, handover_date=now.date(), asset_number=app.asset_number)
    return render(
        "catalogue/project.html",
        project=project,
        app=app,
        editable=editable,
        groups=_phase_groups(project.steps),
        phases=_phase_summary(project.steps),
        late_ids=late_ids,
        documents=documents,
        may_download=_may_download_documents(user, app),
        step_forms=step_forms,
        document_forms=document_forms,
        handover_form=handover_form if editable else None,
        duration=_duration,
        rules=rules,
        project_kinds=PROJECT_KINDS,
        finished=sum(1 for s in project.steps if s.finished_at),
        warranty_soon=rules.warranty_ending_soon(app.warranty_until, now.date()),
    ), status


@bp.route("/proyek/<int:project_id>")
@login_required
def project(project_id: int):
    return _render_project(_get_project(project_id))


@bp.route("/proyek/<int:project_id>/langkah/<int:step_id>", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def step(project_id: int, step_id: int):
    project = _get_project(project_id)
    if not services.can_edit(_user(), project.app):
        abort(403)
    step = _get_step(project, step_id)
    form = StepForm(prefix=f"s{step.id}")
    if form.validate_on_submit():
        changes: dict[str, Any] = {}
        if form.started_at.data and form.started_at.data != step.started_at:
            changes["started_at"] = form.started_at.data
        if form.finished_at.data and form.finished_at.data != step.finished_at:
            changes["finished_at"] = form.finished_at.data
        note = (form.note.data or "").strip()
        if not changes and note == (step.note or ""):
            flash(_("Tidak ada perubahan pada langkah %(n)s.", n=step.sop_step.number), "info")
            return redirect(url_for("catalogue.project", project_id=project.id, _anchor=f"langkah-{step.id}"))
        try:
            services.record_step(db.session, _user(), step, note=note, **changes)
        except services.CatalogueError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Langkah %(n)s dicatat.", n=step.sop_step.number), "success")
            return redirect(url_for("catalogue.project", project_id=project.id, _anchor=f"langkah-{step.id}"))
    project = _get_project(project_id)
    return _render_project(project, 422, step_form=(step_id, form))


@bp.route("/proyek/<int:project_id>/langkah/<int:step_id>/dokumen", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def step_document(project_id: int, step_id: int):
    project = _get_project(project_id)
    if not services.can_edit(_user(), project.app):
        abort(403)
    step = _get_step(project, step_id)
    form = StepDocumentForm(prefix=f"d{step.id}")
    if form.validate_on_submit():
        try:
            services.add_document(
                db.session, _user(), project.app, form.kind.data, form.file.data, form.label.data or "", step
            )
        except services.CatalogueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Dokumen langkah %(n)s diunggah.", n=step.sop_step.number), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("catalogue.project", project_id=project_id, _anchor=f"langkah-{step_id}"))


@bp.route("/proyek/<int:project_id>/serah-terima", methods=["POST"])
@roles_required(*EDITOR_ROLES)
def handover(project_id: int):
    project = _get_project(project_id)
    if not services.can_edit(_user(), project.app):
        abort(403)
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            app = services.hand_over(db.session, _user(), project, form.handover_date.data, form.asset_number.data)
        except services.CatalogueError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(
                _(
                    "Serah terima dicatat: aset %(asset)s, garansi sampai %(date)s.",
                    asset=app.asset_number,
                    date=formats.format_date(app.warranty_until, current_lang()),
                ),
                "success",
            )
            return redirect(url_for("catalogue.show", app_id=app.id))
    return _render_project(_get_project(project_id), 422, handover_form=form)


# --- the yearly application report (seed 001) ------------------------------------------------------------


def _report_scope() -> tuple[reports.ReportScope, list[tuple[int, str]], bool]:
    """(scope, the OPDs the user may choose, whether "the whole city" is allowed). The leaders see the
    whole city or any OPD; an operator sees their own OPD only."""
    user = _user()
    year = request.args.get("tahun", type=int) or local_today().year
    if not 2000 <= year <= 2100:
        year = local_today().year
    opd_id = request.args.get("opd", type=int)
    if user.has_role(*LEADERS):
        opd = db.session.get(Opd, opd_id) if opd_id else None
        return reports.ReportScope(year, opd), _opd_options(), True
    own = sorted(user.opd_ids_for(Role.OPERATOR_OPD))
    if not own:
        abort(403)
    if opd_id is None:
        opd_id = own[0]
    elif opd_id not in own:
        abort(403)
    choices = [tuple(r) for r in db.session.execute(select(Opd.id, Opd.name).where(Opd.id.in_(own)).order_by(Opd.name))]
    return reports.ReportScope(year, db.session.get(Opd, opd_id)), choices, False


def _report_args(scope: reports.ReportScope) -> dict[str, Any]:
    return {"tahun": scope.year, **({"opd": scope.opd_id} if scope.opd else {})}


@bp.route("/laporan")
@roles_required(*REPORT_ROLES)
def report():
    scope, choices, citywide = _report_scope()
    now = local_now()
    return render(
        "catalogue/report.html",
        report=reports.build_report(db.session, scope, now.date(), now),
        scope=scope,
        opd_choices=choices,
        citywide=citywide,
        report_args=_report_args(scope),
        years=sorted({*range(now.year - 5, now.year + 2), scope.year}, reverse=True),
    )


@bp.route("/laporan.pdf")
@roles_required(*REPORT_ROLES)
def report_pdf():
    scope, _choices, _citywide = _report_scope()
    now = local_now()
    pdf = render_pdf(
        "letters/app_report.html",
        subject=f"Laporan Tahunan Aplikasi {scope.year}",
        report=reports.build_report(db.session, scope, now.date(), now),
        scope=scope,
        printed=now.date(),
        rules=rules,
    )
    return pdf_response(pdf, f"{scope.slug}.pdf")


@bp.route("/laporan.xlsx")
@roles_required(*REPORT_ROLES)
def report_xlsx():
    scope, _choices, _citywide = _report_scope()
    return xlsx_response(
        f"{scope.slug}.xlsx",
        f"Aplikasi {scope.year}",
        reports.excel_headers(scope),
        reports.excel_rows(db.session, scope, local_now()),
    )


nav.register(
    nav.NavItem("Katalog aplikasi", "catalogue.index", group="Katalog", order=60),
    nav.NavItem("Laporan aplikasi", "catalogue.report", group="Katalog", order=61),
)
