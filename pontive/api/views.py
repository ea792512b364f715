"""The JSON API ``/api/v1`` (DESIGN §6, issue 7 §5): the catalogue, the team's members, and the
caller's action plans with their realisations (issue 5 §8, 004 "API rencana aksi").

Every view declares its access: ``public`` for the OpenAPI document and its reference page,
``api_token(*roles)`` for the rest. The central hook lets token views through; this blueprint then
authenticates the bearer token itself (the session cookie never counts), checks the roles, and
answers every error — including unknown paths under ``/api/v1`` — as RFC 9457 problem details.
The views only parse, call the areas' services and shape JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, render_template, request
from sqlalchemy import or_, select
from werkzeug.exceptions import HTTPException

from pontive.accounts.models import User
from pontive.accounts.roles import ROLE_LABELS, Role
from pontive.api import openapi
from pontive.api.auth import authenticate, rate_limit_key
from pontive.api.params import MAX_ID, QueryParams
from pontive.api.problems import PROBLEM_TYPES, Problem, field_error, from_http_exception
from pontive.catalogue import rules as catalogue_rules
from pontive.catalogue import services as catalogue
from pontive.catalogue.models import CityApplication
from pontive.core.i18n import to_local
from pontive.core.models import utcnow
from pontive.core.pagination import paginate
from pontive.core.permissions import TOKEN, access_of, api_token, public
from pontive.core.uploads import HEAD_BYTES, detect_kind, human_size, max_upload_bytes
from pontive.extensions import csrf, db, limiter
from pontive.performance import rules as performance_rules
from pontive.performance import services as performance
from pontive.performance.models import ActionPlan, MonthlyReport
from pontive.recruitment.models import SelectionCategory
from pontive.team import services as team
from pontive.team.models import Membership, MembershipStatus

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, never cookies: there is no cross-site request to forge
DEFAULT_RATE_LIMIT = "600 per minute"
limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT), key_func=rate_limit_key)(bp)

MEMBER_READERS = (Role.KETUA, Role.SEKRETARIS, Role.PEMBINA, Role.ADMIN)
APPLICATION_SORTS = {
    "name": CityApplication.name.asc(),
    "-name": CityApplication.name.desc(),
    "status": CityApplication.status.asc(),
    "-status": CityApplication.status.desc(),
    "warranty_until": CityApplication.warranty_until.asc(),
    "-warranty_until": CityApplication.warranty_until.desc(),
    "updated_at": CityApplication.updated_at.asc(),
    "-updated_at": CityApplication.updated_at.desc(),
}
MAX_REALISATION = Decimal("9999999999.99")  # the column is NUMERIC(12, 2)
CENTS = Decimal("0.01")
MAX_NOTE = 2000


# --- the blueprint's own hooks ------------------------------------------------------------------------


def _is_api_path(path: str) -> bool:
    return path == bp.url_prefix or path.startswith(f"{bp.url_prefix}/")


@bp.before_app_request
def _unknown_api_paths():
    """404 and 405 under /api/v1 never reach a view of this blueprint: answer them here, as problems."""
    error = request.routing_exception
    if isinstance(error, HTTPException) and (error.code or 0) >= 400 and _is_api_path(request.path):
        return from_http_exception(error)
    return None


@bp.before_request
def _authenticate_token() -> None:
    access = access_of(current_app, request.endpoint or "")
    if access is None or access.kind != TOKEN:
        return  # the OpenAPI document and its reference page are public
    user = authenticate()
    if not access.allows(user):
        raise Problem(403, "Peran pemilik token ini tidak mencakup data tersebut.")
    g.api_user = user


@bp.after_request
def _api_headers(response):
    if request.endpoint != "api.docs":
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("Authorization")
    return response


@bp.errorhandler(HTTPException)
def _problem(error: HTTPException):
    return from_http_exception(error)


# --- helpers ------------------------------------------------------------------------------------------


def _get_or_404(model, object_id: int, detail: str):
    obj = db.session.get(model, object_id) if 1 <= object_id <= MAX_ID else None
    if obj is None:
        raise Problem(404, detail)
    return obj


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENTS))


def _timestamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def _opd(opd) -> dict[str, Any] | None:
    return None if opd is None else {"id": opd.id, "name": opd.name, "short_name": opd.short_name}


def _page_links(page: int, pages: int) -> str:
    """RFC 8288 Link header: first, prev, next, last, keeping the caller's filters."""
    # The query string as sent, not url_for: a parameter named like one of url_for's own (_external)
    # must not change the link.
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]

    def link(number: int, rel: str) -> str:
        return f'<{request.base_url}?{urlencode([*args, ("page", number)])}>; rel="{rel}"'

    last = max(pages, 1)
    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < pages:
        links.append(link(page + 1, "next"))
    links.append(link(last, "last"))
    return ", ".join(links)


def _paged(items: list[dict[str, Any]], page: int, per_page: int, total: int):
    pages = math.ceil(total / per_page) if total else 0
    response = jsonify(items=items, page=page, per_page=per_page, total=total, pages=pages)
    response.headers["Link"] = _page_links(page, pages)
    response.headers["X-Total-Count"] = str(total)
    return response


def _local_today() -> dt.date:
    return to_local(utcnow()).date()


# --- documents ----------------------------------------------------------------------------------------


@bp.route("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document())


@bp.route("/docs")
@public
def docs():
    doc = openapi.document()
    return render_template(
        "api/docs.html",
        doc=doc,
        operations=openapi.operations(doc),
        problems=PROBLEM_TYPES.values(),
        resolve=openapi.resolve,
        ref_name=openapi.ref_name,
        type_label=openapi.type_label,
        md=openapi.inline_markup,
    )


# --- who am I -----------------------------------------------------------------------------------------


@bp.route("/me")
@api_token()
def me():
    user: User = g.api_user
    return jsonify(
        id=user.id,
        username=user.username,
        name=user.full_name,
        roles=[
            {"role": grant.role.value, "label": ROLE_LABELS[grant.role], "opd": _opd(grant.opd)}
            for grant in user.grants
        ],
    )


# --- the catalogue ------------------------------------------------------------------------------------


def _application(app: CityApplication, user: User) -> dict[str, Any]:
    data = catalogue.public_view(app, user)
    return {"id": app.id, **data, "owner_opd": _opd(app.owner_opd), "updated_at": _timestamp(app.updated_at)}


@bp.route("/applications")
@api_token()
def applications():
    params = QueryParams()
    q = params.text("q")
    opd_id = params.integer("opd")
    kind = params.choice("kind", catalogue_rules.KINDS)
    status = params.choice("status", catalogue_rules.STATUSES)
    hosting = params.choice("hosting", catalogue_rules.HOSTING)
    warranty_ending = params.boolean("warranty_ending")
    sort = params.choice("sort", APPLICATION_SORTS, default="name")
    page, per_page = params.page()
    params.check()

    query = select(CityApplication)
    if q:
        query = query.where(
            or_(
                CityApplication.name.icontains(q, autoescape=True),
                CityApplication.description.icontains(q, autoescape=True),
            )
        )
    if opd_id is not None:
        query = query.where(CityApplication.owner_opd_id == opd_id)
    if kind:
        query = query.where(CityApplication.kind == kind)
    if status:
        query = query.where(CityApplication.status == status)
    if hosting:
        query = query.where(CityApplication.hosting_location == hosting)
    if warranty_ending:
        today = _local_today()
        query = query.where(
            CityApplication.warranty_until >= today,
            CityApplication.warranty_until <= today + dt.timedelta(days=catalogue_rules.WARRANTY_NOTICE_DAYS),
        )
    query = query.order_by(APPLICATION_SORTS[sort], CityApplication.id)
    result = paginate(query, per_page=per_page)
    user = g.api_user
    return _paged([_application(app, user) for app in result.items], result.page, per_page, result.total or 0)


def _link(other: CityApplication, description: str) -> dict[str, Any]:
    return {"application": {"id": other.id, "name": other.name}, "description": description}


@bp.route("/applications/<int:app_id>")
@api_token()
def application(app_id: int):
    app = _get_or_404(CityApplication, app_id, "Aplikasi tidak ditemukan.")
    provides, consumes = catalogue.integrations_of(db.session, app)
    return jsonify(
        {
            **_application(app, g.api_user),
            "integrations": {
                "provides_to": [_link(x.consumer, x.description) for x in provides],
                "consumes_from": [_link(x.provider, x.description) for x in consumes],
            },
            "maintainers": [{"id": u.id, "name": u.full_name} for u in app.maintainers],
        }
    )


# --- the team -----------------------------------------------------------------------------------------


@bp.route("/members")
@api_token(*MEMBER_READERS, Role.KOORDINATOR)
def members():
    user: User = g.api_user
    params = QueryParams()
    opd_id = params.integer("opd")
    status = params.choice("status", [s.value for s in MembershipStatus])
    q = params.text("q")
    page, per_page = params.page()
    params.check()

    query = select(Membership).join(User, Membership.member_id == User.id)
    if not user.has_role(*MEMBER_READERS):
        scope = user.opd_ids_for(Role.KOORDINATOR)
        if opd_id is not None and opd_id not in scope:
            raise Problem(403, "Koordinator hanya dapat melihat anggota di OPD yang dikoordinasikannya.")
        query = query.where(Membership.placement_opd_id.in_(scope))
    if opd_id is not None:
        query = query.where(Membership.placement_opd_id == opd_id)
    if status:
        query = query.where(Membership.status == MembershipStatus(status))
    else:
        query = query.where(Membership.status.in_(team.SERVING))
    if q:
        query = query.where(User.full_name.icontains(q, autoescape=True))
    result = paginate(query.order_by(User.full_name, Membership.id), per_page=per_page)

    category_ids = {m.category_id for m in result.items if m.category_id is not None}
    categories = (
        dict(
            db.session.execute(
                select(SelectionCategory.id, SelectionCategory.name).where(SelectionCategory.id.in_(category_ids))
            ).all()
        )
        if category_ids
        else {}
    )
    items = [
        {
            "id": m.id,
            "member": {"id": m.member_id, "name": m.member.full_name},
            "category": {"id": m.category_id, "name": categories.get(m.category_id)} if m.category_id else None,
            "placement_opd": _opd(m.placement_opd),
            "term": {"start": m.start_date.isoformat(), "end": m.end_date.isoformat()},
            "decree_number": m.decree_number,
            "status": m.status.value,
        }
        for m in result.items
    ]
    return _paged(items, result.page, per_page, result.total or 0)


# --- action plans and realisations (004 "API rencana aksi") -----------------------------------------------


def _action_plans(user: User, plans: list[ActionPlan]) -> list[dict[str, Any]]:
    """Each plan with its month's report status, lock, realisation and evidence count (one query)."""
    periods = {(p.year, p.month) for p in plans}
    reports: dict[tuple[int, int], MonthlyReport] = {}
    if periods:
        years = {year for year, _ in periods}
        for report in db.session.scalars(
            select(MonthlyReport).where(MonthlyReport.member_id == user.id, MonthlyReport.year.in_(years))
        ):
            reports[(report.year, report.month)] = report
    items = []
    for plan in plans:
        report = reports.get((plan.year, plan.month))
        row = next((r for r in report.realisations if r.action_plan_id == plan.id), None) if report else None
        items.append(
            {
                "id": plan.id,
                "rhk": {"id": plan.work_result.id, "title": plan.work_result.title},
                "year": plan.year,
                "month": plan.month,
                "description": plan.description,
                "target": _decimal(plan.target_value),
                "unit": plan.unit,
                "realisation": None if row is None else {"value": _decimal(row.value), "note": row.note},
                "evidence_count": len(row.evidence) if row else 0,
                "report_status": report.status.value if report else None,
                "locked": bool(report) and not performance_rules.is_editable(report.status.value),
            }
        )
    return items


@bp.route("/me/action-plans")
@api_token(Role.ANGGOTA)
def my_action_plans():
    params = QueryParams()
    today = _local_today()
    year = params.integer("year", today.year, minimum=2000, maximum=2100)
    month = params.integer("month", None, minimum=1, maximum=12)
    params.check()
    plans = performance.action_plans_for(db.session, g.api_user.id, year, month)
    return jsonify(year=year, month=month, items=_action_plans(g.api_user, plans))


def _realisation_input() -> tuple[Any, str, Any]:
    """(value, note, evidence upload or None) from JSON or a multipart form; problems otherwise."""
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # absurdly deep nesting; not a server error
            body = None
        if not isinstance(body, dict):
            raise Problem(400, 'Isi permintaan harus objek JSON, misalnya {"value": "2", "note": "…"}.')
        value, note, upload = body.get("value"), body.get("note", ""), None
    elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        value, note = request.form.get("value"), request.form.get("note", "")
        upload = request.files.get("evidence")
    else:
        raise Problem(415, "Kirim application/json atau multipart/form-data (dengan berkas bukti dukung).")

    errors = []
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(field_error("value", "Realisasi wajib diisi."))
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.append(field_error("value", "Realisasi harus berupa angka."))
    else:
        try:
            parsed = performance_rules.parse_value(value, "Realisasi")
        except performance_rules.PerformanceError as exc:
            errors.append(field_error("value", str(exc)))
        else:
            if parsed > MAX_REALISATION:
                errors.append(field_error("value", "Realisasi terlalu besar."))
            else:
                # Two decimals, as the column keeps them; also tames exponents like "1e-999999".
                value = str(parsed.quantize(CENTS))
    if note is None:
        note = ""
    if not isinstance(note, str):
        errors.append(field_error("note", "Catatan harus berupa teks."))
    elif len(note) > MAX_NOTE:
        errors.append(field_error("note", f"Catatan paling banyak {MAX_NOTE} karakter."))
    elif "\x00" in note:
        errors.append(field_error("note", "Catatan berisi karakter yang tidak diizinkan."))
    evidence = _evidence(upload, errors)
    if errors:
        raise Problem(422, "Realisasi tidak disimpan: periksa kolom yang disebut.", errors=errors)
    return value, note, evidence


def _evidence(upload: Any, errors: list[dict[str, str]]) -> Any:
    """The evidence file, checked before anything is saved, so a refused file changes nothing."""
    if upload is None or (not upload.filename and not upload.content_length):
        return None
    limit = max_upload_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Problem(413, f"Berkas bukti dukung terlalu besar: maksimal {human_size(limit)}.")
    if not data:
        errors.append(field_error("evidence", "Berkas bukti dukung kosong."))
        return None
    if detect_kind(data[:HEAD_BYTES]) is None:
        errors.append(field_error("evidence", "Bukti dukung harus berkas PDF, JPEG, atau PNG."))
        return None
    checked = io.BytesIO(data)
    checked.filename = upload.filename  # type: ignore[attr-defined]
    return checked


def _locked_problem() -> Problem:
    return Problem(
        409,
        "Laporan bulan ini sudah diajukan atau divalidasi dan terkunci: realisasinya tidak dapat diubah.",
        slug="bulan-terkunci",
    )


@bp.route("/action-plans/<int:action_plan_id>/realisation", methods=["POST"])
@api_token(Role.ANGGOTA)
def submit_realisation(action_plan_id: int):
    user: User = g.api_user
    plan = _get_or_404(ActionPlan, action_plan_id, "Rencana aksi tidak ditemukan.")
    if plan.member_id != user.id:
        raise Problem(404, "Rencana aksi tidak ditemukan.")  # someone else's plan: not even its existence
    if performance.month_is_locked(db.session, user.id, plan.year, plan.month):
        raise _locked_problem()
    value, note, evidence = _realisation_input()
    try:
        performance.submit_realisation(db.session, user, plan.id, value, note, evidence)
    except performance.PerformanceError as exc:
        db.session.rollback()
        if performance.month_is_locked(db.session, user.id, plan.year, plan.month):
            raise _locked_problem() from exc
        raise Problem(422, str(exc)) from exc
    return jsonify(_action_plans(user, [plan])[0])
