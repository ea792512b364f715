"""The public front page, health check, language switch and the admin's audit log."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select, text

from pontive.accounts.roles import Role
from pontive.core.htmx import render
from pontive.core.i18n import LANG_COOKIE
from pontive.core.models import AuditLog
from pontive.core.pagination import paginate
from pontive.core.permissions import public, roles_required
from pontive.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return render("core/home.html")


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure makes the instance unhealthy
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/bahasa/<lang>")
@public
def set_language(lang: str):
    target = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
    response = redirect(target or url_for("core.home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/admin/audit")
@roles_required(Role.ADMIN)
def audit_log():
    args = request.args
    query = select(AuditLog).order_by(AuditLog.id.desc())
    actor = args.get("aktor", "").strip().lower()
    action = args.get("aksi", "").strip()
    entity = args.get("entitas", "").strip()
    start, end = _parse_day(args.get("dari")), _parse_day(args.get("sampai"))
    if actor:
        query = query.where(AuditLog.actor_name == actor)
    if action:
        query = query.where(AuditLog.action == action)
    if entity:
        query = query.where(AuditLog.entity_type == entity)
    if start:
        query = query.where(AuditLog.created_at >= dt.datetime.combine(start, dt.time.min))
    if end:
        query = query.where(AuditLog.created_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    page = paginate(query, per_page=30)
    filters = {
        "aktor": actor,
        "aksi": action,
        "entitas": entity,
        "dari": args.get("dari", ""),
        "sampai": args.get("sampai", ""),
    }
    return render("core/audit_log.html", "results", page=page, filters=filters, changed=_changed_fields)


def _changed_fields(entry: AuditLog, most: int = 4) -> tuple[list[str], int]:
    """The first ``most`` fields an entry records (before or after) and how many more: the list shows
    these, the entry's page shows every value (a catalogue entry records dozens of fields)."""
    names = list(dict.fromkeys([*(entry.before or {}), *(entry.after or {})]))
    return names[:most], max(len(names) - most, 0)


@bp.route("/admin/audit/<int:audit_id>")
@roles_required(Role.ADMIN)
def audit_entry(audit_id: int):
    """One audit entry with every value before and after."""
    entry = db.session.get(AuditLog, audit_id)
    if entry is None:
        abort(404)
    names = list(dict.fromkeys([*(entry.before or {}), *(entry.after or {})]))
    return render("core/audit_entry.html", entry=entry, names=names)
