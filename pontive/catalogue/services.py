"""Catalogue use cases: applications, integrations, documents, SOP projects, handover and
warranty, the yearly report's figures, and personal API tokens. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defaultload

from pontive.accounts.models import RoleGrant, User
from pontive.accounts.roles import Role
from pontive.catalogue import rules
from pontive.catalogue.models import (
    AppDocument,
    AppIntegration,
    CityApplication,
    Project,
    ProjectStep,
    SopStep,
)
from pontive.core.audit import audit, snapshot
from pontive.core.pickers import UserChoices, user_choices
from pontive.core.uploads import UploadError, save_upload

DOCUMENT_PURPOSE = "app_document"
APP_FIELDS = [
    "name",
    "description",
    "owner_opd_id",
    "kind",
    "integrated",
    "status",
    "url",
    "repo_url",
    "repo_host",
    "repo_branch",
    "repo_visibility",
    "hosting_location",
    "server_name",
    "ip_address",
    "operating_system",
    "web_server",
    "runtime",
    "database",
    "asset_number",
    "warranty_until",
]
INFRA_FIELDS = ("server_name", "ip_address")


class CatalogueError(ValueError):
    """A request the catalogue rules refuse; the message is shown as is."""


# --- who may do what -----------------------------------------------------------------------------------


def can_edit(user: User, app: CityApplication | None, owner_opd_id: int | None = None) -> bool:
    """Admins, the ketua and sekretaris, the maintainers, and the owner OPD's operator."""
    if user.has_role(Role.ADMIN, Role.KETUA, Role.SEKRETARIS):
        return True
    opd_id = app.owner_opd_id if app is not None else owner_opd_id
    if opd_id is not None and opd_id in user.opd_ids_for(Role.OPERATOR_OPD):
        return True
    return app is not None and any(m.id == user.id for m in app.maintainers)


def can_see_infrastructure(user: User | None, app: CityApplication) -> bool:
    """IP address and server only for roles that need them (issue 7 §1)."""
    return infrastructure_check(user)(app.owner_opd_id, [m.id for m in app.maintainers])


def infrastructure_check(user: User | None) -> Callable[[int, Iterable[int]], bool]:
    """``can_see_infrastructure`` for many applications: (owner OPD id, maintainer ids) -> may this
    user see the server and IP address? The user's roles are read once."""
    if user is None or not getattr(user, "is_authenticated", False):
        return lambda _opd_id, _maintainer_ids: False
    if user.has_role(Role.ADMIN, Role.KETUA, Role.SEKRETARIS):
        return lambda _opd_id, _maintainer_ids: True
    operated = user.opd_ids_for(Role.OPERATOR_OPD)
    return lambda opd_id, maintainer_ids: opd_id in operated or user.id in maintainer_ids


def public_view(app: CityApplication, user: User | None) -> dict[str, Any]:
    """The application's fields this user may see (used by pages and the API alike)."""
    data = snapshot(app, APP_FIELDS)
    if not can_see_infrastructure(user, app):
        for key in INFRA_FIELDS:
            data.pop(key, None)
    return data


# --- applications ---------------------------------------------------------------------------------------


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in APP_FIELDS}
    if not values.get("name"):
        raise CatalogueError("Nama aplikasi wajib diisi.")
    if not values.get("owner_opd_id"):
        raise CatalogueError("OPD pemilik wajib dipilih.")
    if values.get("status") not in rules.STATUSES:
        raise CatalogueError("Status aplikasi wajib dipilih.")
    if values.get("kind", "web") not in rules.KINDS:
        raise CatalogueError("Jenis aplikasi tidak dikenal.")
    if values.get("hosting_location") and values["hosting_location"] not in rules.HOSTING:
        raise CatalogueError("Lokasi hosting tidak dikenal.")
    try:
        if values.get("url"):
            values["url"] = rules.check_url(values["url"], "URL aplikasi")
        if values.get("repo_url"):
            values["repo_url"] = rules.normalise_repository(values["repo_url"])
        else:
            values["repo_url"] = None
        if values.get("ip_address"):
            values["ip_address"] = rules.check_ip(values["ip_address"])
    except rules.CatalogueError as exc:
        raise CatalogueError(str(exc)) from exc
    return values


def save_app(
    session: Session, actor: User, data: Mapping[str, Any], app: CityApplication | None = None
) -> CityApplication:
    values = _clean(data)
    if not can_edit(actor, app, values.get("owner_opd_id")):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    if (
        app is not None
        and values["owner_opd_id"] != app.owner_opd_id
        and not actor.has_role(Role.ADMIN, Role.KETUA, Role.SEKRETARIS)
    ):
        raise CatalogueError("Hanya admin, ketua atau sekretaris yang dapat memindahkan aplikasi ke OPD lain.")
    if values.get("repo_url"):
        clash = select(CityApplication.name).where(CityApplication.repo_url == values["repo_url"])
        if app is not None:
            clash = clash.where(CityApplication.id != app.id)
        other = session.scalar(clash)
        if other:
            raise CatalogueError(f"Repositori ini sudah tercatat untuk aplikasi {other}.")
    before = snapshot(app, APP_FIELDS) if app else None
    if app is None:
        app = CityApplication(**values)
        session.add(app)
    else:
        for key, value in values.items():
            setattr(app, key, value)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise CatalogueError("Repositori ini sudah tercatat untuk aplikasi lain.") from exc
    audit(session, actor, "app_update" if before else "app_create", app, before=before, after=snapshot(app, APP_FIELDS))
    session.commit()
    return app


def set_maintainers(session: Session, actor: User, app: CityApplication, user_ids: Iterable[int]) -> CityApplication:
    if not can_edit(actor, app):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    ids = list(dict.fromkeys(user_ids))
    users = list(session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    if any(not u.has_role(Role.ANGGOTA) for u in users) or len(users) != len(ids):
        raise CatalogueError("Pemelihara harus anggota Tim Programmer.")
    before = [u.id for u in app.maintainers]
    app.maintainers = users
    audit(session, actor, "app_maintainers", app, before={"maintainers": before}, after={"maintainers": ids})
    session.commit()
    return app


MAINTAINER_CHOICES = 20


def maintainer_choices(
    session: Session,
    app: CityApplication,
    query: str = "",
    chosen: Iterable[int] = (),
    limit: int = MAINTAINER_CHOICES,
) -> UserChoices:
    """Active team members (anggota) who could maintain ``app``, never its current maintainers (the
    page lists those): the ``chosen`` ones first, then up to ``limit`` whose name or username contains
    ``query``, by name. Nothing but the chosen without a search: the team has thousands of members.
    One query."""
    current = {m.id for m in app.maintainers}
    members = select(RoleGrant.user_id).where(RoleGrant.role == Role.ANGGOTA).scalar_subquery()
    candidates = [User.id.in_(members), User.active]
    if current:
        candidates.append(User.id.not_in(sorted(current)))
    return user_choices(session, candidates, query, chosen, limit, list_without_query=False)


def add_integration(
    session: Session, actor: User, provider: CityApplication, consumer: CityApplication, description: str
) -> AppIntegration:
    if provider.id == consumer.id:
        raise CatalogueError("Aplikasi tidak dapat terintegrasi dengan dirinya sendiri.")
    if not (can_edit(actor, provider) or can_edit(actor, consumer)):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    link = AppIntegration(provider_id=provider.id, consumer_id=consumer.id, description=description.strip()[:300])
    session.add(link)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise CatalogueError("Integrasi ini sudah tercatat.") from exc
    audit(
        session, actor, "app_integration", provider, after={"provides_to": consumer.id, "description": link.description}
    )
    session.commit()
    return link


def remove_integration(session: Session, actor: User, link: AppIntegration) -> None:
    if not (can_edit(actor, link.provider) or can_edit(actor, link.consumer)):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    audit(session, actor, "app_integration_remove", link.provider, before={"provides_to": link.consumer_id})
    session.delete(link)
    session.commit()


def integrations_of(session: Session, app: CityApplication) -> tuple[list[AppIntegration], list[AppIntegration]]:
    """(what it provides data to, what it consumes from)."""
    links = list(
        session.scalars(
            select(AppIntegration)
            .where((AppIntegration.provider_id == app.id) | (AppIntegration.consumer_id == app.id))
            # the other applications' names and OPDs (joined), not their maintainers
            .options(
                defaultload(AppIntegration.provider).lazyload(CityApplication.maintainers),
                defaultload(AppIntegration.consumer).lazyload(CityApplication.maintainers),
            )
            .order_by(AppIntegration.id)
        )
    )
    return [x for x in links if x.provider_id == app.id], [x for x in links if x.consumer_id == app.id]


def add_document(
    session: Session,
    actor: User,
    app: CityApplication,
    kind: str,
    upload: Any,
    label: str = "",
    project_step: ProjectStep | None = None,
) -> AppDocument:
    if not can_edit(actor, app):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    if kind not in rules.DOCUMENT_KINDS:
        raise CatalogueError("Jenis dokumen tidak dikenal.")
    try:
        stored = save_upload(session, upload, purpose=DOCUMENT_PURPOSE, uploaded_by=actor)
    except UploadError as exc:
        session.rollback()
        raise CatalogueError(str(exc)) from exc
    document = AppDocument(
        kind=kind, label=label.strip()[:160], file=stored, project_step_id=project_step.id if project_step else None
    )
    app.documents.append(document)
    session.flush()
    audit(session, actor, "app_document", app, after={"kind": kind, "file": stored.id})
    session.commit()
    return document


def history(session: Session, app: CityApplication, limit: int = 50):
    from pontive.core.models import AuditLog

    return list(
        session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == "CityApplication", AuditLog.entity_id == str(app.id))
            .order_by(AuditLog.id.desc())
            .limit(limit)
        )
    )


# --- projects along the SOP (seed 001) ---------------------------------------------------------------------


def start_project(
    session: Session, actor: User, app: CityApplication, kind: str, title: str, vendor: str, year: int
) -> Project:
    if not can_edit(actor, app):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    if kind not in ("build", "upgrade") or not title.strip():
        raise CatalogueError("Isi judul dan jenis proyek (pembuatan atau peningkatan).")
    steps = list(session.scalars(select(SopStep).order_by(SopStep.number)))
    if not steps:
        raise CatalogueError("Langkah SOP belum dimuat (flask seed-reference).")
    project = Project(
        app=app,
        kind=kind,
        title=title.strip()[:200],
        vendor=vendor.strip()[:160],
        year=year,
        created_by_id=actor.id,
        steps=[ProjectStep(sop_step=s, position=n) for n, s in enumerate(steps)],
    )
    session.add(project)
    session.flush()
    audit(session, actor, "project_start", project, after={"app": app.id, "kind": kind, "title": project.title})
    session.commit()
    return project


def record_step(
    session: Session,
    actor: User,
    step: ProjectStep,
    *,
    started_at: dt.datetime | None = None,
    finished_at: dt.datetime | None = None,
    note: str = "",
) -> ProjectStep:
    """Record a step's start and/or finish and who did it; a finish before its start is refused."""
    project = step.project
    if not can_edit(actor, project.app):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    previous = [s for s in project.steps if s.position < step.position]
    if started_at is not None and any(s.finished_at is None for s in previous):
        raise CatalogueError("Selesaikan langkah sebelumnya terlebih dahulu.")
    start = started_at or step.started_at
    if finished_at is not None:
        if start is None:
            raise CatalogueError("Langkah harus dimulai sebelum diselesaikan.")
        try:
            rules.step_minutes(start, finished_at)
        except rules.CatalogueError as exc:
            raise CatalogueError(str(exc)) from exc
    before = {"started_at": step.started_at, "finished_at": step.finished_at}
    if started_at is not None:
        step.started_at, step.started_by_id = started_at, actor.id
    if finished_at is not None:
        step.finished_at, step.finished_by_id = finished_at, actor.id
    if note.strip():
        step.note = note.strip()
    audit(
        session,
        actor,
        "project_step",
        project,
        before=before,
        after={"step": step.sop_step.number, "started_at": step.started_at, "finished_at": step.finished_at},
    )
    session.commit()
    return step


def hand_over(
    session: Session, actor: User, project: Project, handover_date: dt.date, asset_number: str
) -> CityApplication:
    """Handover registers the asset and starts the one-year warranty (001 steps 8–11; 003 §6)."""
    if not can_edit(actor, project.app):
        raise CatalogueError("Anda tidak dapat mengubah aplikasi OPD ini.")
    if not asset_number.strip():
        raise CatalogueError("Nomor aset wajib diisi saat serah terima.")
    if any(s.finished_at is None for s in project.steps[:-1]):
        raise CatalogueError("Serah terima dilakukan setelah langkah SOP sebelumnya selesai.")
    app = project.app
    before = {"asset_number": app.asset_number, "warranty_until": app.warranty_until}
    project.handover_date = handover_date
    app.asset_number, app.warranty_until = asset_number.strip(), rules.warranty_end(handover_date)
    if app.status in ("proposed", "development"):
        app.status = "production"
    audit(
        session,
        actor,
        "app_handover",
        app,
        before=before,
        after={"asset_number": app.asset_number, "warranty_until": app.warranty_until},
    )
    session.commit()
    return app


def late_steps(project: Project, now: dt.datetime) -> list[ProjectStep]:
    return [s for s in project.steps if rules.step_late(s.started_at, s.finished_at, s.sop_step.max_minutes, now)]


# --- figures for the yearly report and the dashboards ------------------------------------------------------


def counts_by(session: Session, column: str, opd_id: int | None = None) -> dict[str, int]:
    col = getattr(CityApplication, column)
    query = select(col, func.count(CityApplication.id)).group_by(col)
    if opd_id is not None:
        query = query.where(CityApplication.owner_opd_id == opd_id)
    return dict(session.execute(query).all())


def warranties_ending(
    session: Session, today: dt.date, days: int = rules.WARRANTY_NOTICE_DAYS
) -> list[CityApplication]:
    return list(
        session.scalars(
            select(CityApplication)
            .where(
                CityApplication.warranty_until >= today,
                CityApplication.warranty_until <= today + dt.timedelta(days=days),
            )
            .order_by(CityApplication.warranty_until)
        )
    )


def projects_late(session: Session, now: dt.datetime) -> list[Project]:
    """Projects with a step past its standard duration (one query for the open steps)."""
    steps = session.scalars(
        select(ProjectStep).join(SopStep).where(ProjectStep.started_at.is_not(None), SopStep.max_minutes.is_not(None))
    )
    project_ids = {
        s.project_id for s in steps if rules.step_late(s.started_at, s.finished_at, s.sop_step.max_minutes, now)
    }
    if not project_ids:
        return []
    return list(session.scalars(select(Project).where(Project.id.in_(project_ids)).order_by(Project.id)))


def status_matrix(session: Session) -> list[tuple[int, str, int, int, int]]:
    """Per OPD: (opd id, opd name, applications, in production, ending warranties next year) — one query."""
    from pontive.accounts.models import Opd

    rows = session.execute(
        select(
            Opd.id,
            Opd.name,
            func.count(CityApplication.id),
            func.sum(case((CityApplication.status == "production", 1), else_=0)),
            func.sum(case((CityApplication.warranty_until.is_not(None), 1), else_=0)),
        )
        .join(CityApplication, CityApplication.owner_opd_id == Opd.id)
        .group_by(Opd.id, Opd.name)
        .order_by(Opd.name)
    )
    return [(a, b, c, int(d or 0), int(e or 0)) for a, b, c, d, e in rows]


def load_sop_steps(session: Session) -> int:
    """Reference data: the SOP steps of seed 001 (seeds/sop_steps.csv)."""
    from pontive.core.seeding import read_csv

    existing = set(session.scalars(select(SopStep.number)))
    added = 0
    for row in read_csv("sop_steps.csv"):
        if int(row["number"]) in existing:
            continue
        session.add(
            SopStep(
                number=int(row["number"]),
                activity=row["activity"],
                actor=row["actor"],
                documents=row["documents"],
                min_minutes=int(row["min_minutes"]) if row["min_minutes"] else None,
                max_minutes=int(row["max_minutes"]) if row["max_minutes"] else None,
                output=row["output"],
                phase=row["phase"],
            )
        )
        added += 1
    return added
