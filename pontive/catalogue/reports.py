"""The yearly application report (seed 001 "Membuat laporan tahunan Aplikasi"), city-wide or for one
OPD: applications by kind and status, the year's build/upgrade projects with their SOP timeliness, and
the warranties ending in the year (003 §6). Every figure comes from a grouped query or one load; the
number of queries does not depend on the number of applications."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defaultload, lazyload, selectinload

from pontive.accounts.models import Opd
from pontive.catalogue import rules
from pontive.catalogue.models import CityApplication, Project, ProjectStep, SopStep
from pontive.core.i18n import to_local

LIST_LIMIT = 200  # rows of the project and warranty lists on the page and in the PDF; Excel has them all


def local_now() -> dt.datetime:
    """Now on the city's clock, naive: project steps are recorded as the city's wall-clock time."""
    return to_local(dt.datetime.now(dt.UTC).replace(tzinfo=None))


def local_today() -> dt.date:
    return local_now().date()


@dataclass(frozen=True)
class ReportScope:
    year: int
    opd: Opd | None = None

    @property
    def opd_id(self) -> int | None:
        return self.opd.id if self.opd else None

    @property
    def label(self) -> str:
        return self.opd.name if self.opd else "Seluruh perangkat daerah"

    @property
    def slug(self) -> str:
        where = (self.opd.short_name or self.opd.code).lower().replace(" ", "-") if self.opd else "kota"
        return f"laporan-aplikasi-{self.year}-{where}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass
class Timeliness:
    """SOP timeliness of a set of steps (seed 001 "Mutu Baku — Waktu")."""

    total: int = 0
    finished: int = 0
    on_time: int = 0
    late: int = 0

    def add(self, started: dt.datetime | None, finished: dt.datetime | None, max_minutes: int | None, now) -> None:
        self.total += 1
        late = rules.step_late(started, finished, max_minutes, now)
        if finished is not None:
            self.finished += 1
        if late:
            self.late += 1
        elif finished is not None:
            self.on_time += 1


@dataclass
class ProjectRow:
    project: Project
    steps: Timeliness


@dataclass
class OpdRow:
    opd_id: int
    name: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class AppReport:
    scope: ReportScope
    today: dt.date
    matrix: dict[tuple[str, str], int]
    per_opd: list[OpdRow]
    projects: list[ProjectRow]
    projects_total: int
    warranties: list[CityApplication]
    warranties_total: int

    kinds = rules.KINDS
    statuses = rules.STATUSES

    @property
    def total(self) -> int:
        return sum(self.matrix.values())

    def by_status(self, status: str) -> int:
        return sum(n for (_kind, s), n in self.matrix.items() if s == status)

    def by_kind(self, kind: str) -> int:
        return sum(n for (k, _status), n in self.matrix.items() if k == kind)

    @property
    def steps(self) -> Timeliness:
        total = Timeliness()
        for row in self.projects:
            for key in ("total", "finished", "on_time", "late"):
                setattr(total, key, getattr(total, key) + getattr(row.steps, key))
        return total

    @property
    def late_projects(self) -> int:
        return sum(1 for row in self.projects if row.steps.late)

    @property
    def handed_over(self) -> int:
        return sum(1 for row in self.projects if row.project.handover_date is not None)

    def warranty_soon(self, app: CityApplication) -> bool:
        return rules.warranty_ending_soon(app.warranty_until, self.today)


def _in_scope(query, scope: ReportScope):
    return query.where(CityApplication.owner_opd_id == scope.opd_id) if scope.opd else query


def build_report(
    session: Session, scope: ReportScope, today: dt.date, now: dt.datetime, limit: int = LIST_LIMIT
) -> AppReport:
    matrix = {
        (kind, status): count
        for kind, status, count in session.execute(
            _in_scope(
                select(CityApplication.kind, CityApplication.status, func.count(CityApplication.id)).group_by(
                    CityApplication.kind, CityApplication.status
                ),
                scope,
            )
        )
    }
    per_opd: list[OpdRow] = []
    if scope.opd is None:
        rows: dict[int, OpdRow] = {}
        for opd_id, name, status, count in session.execute(
            select(Opd.id, Opd.name, CityApplication.status, func.count(CityApplication.id))
            .join(CityApplication, CityApplication.owner_opd_id == Opd.id)
            .group_by(Opd.id, Opd.name, CityApplication.status)
            .order_by(Opd.name)
        ):
            rows.setdefault(opd_id, OpdRow(opd_id, name)).by_status[status] = count
        per_opd = list(rows.values())

    # The lists show names, OPDs and step times: not the applications' maintainers nor who recorded a step.
    project_query = _in_scope(select(Project).join(Project.app).where(Project.year == scope.year), scope)
    projects = []
    for project in session.scalars(
        project_query.options(
            defaultload(Project.app).lazyload(CityApplication.maintainers),
            selectinload(Project.steps).options(lazyload(ProjectStep.started_by), lazyload(ProjectStep.finished_by)),
        )
        .order_by(CityApplication.name, Project.id)
        .limit(limit)
    ):
        timeliness = Timeliness()
        for step in project.steps:
            timeliness.add(step.started_at, step.finished_at, step.sop_step.max_minutes, now)
        projects.append(ProjectRow(project, timeliness))
    projects_total = _total(session, project_query, projects, limit)

    warranty_query = _in_scope(
        select(CityApplication).where(CityApplication.warranty_until.between(scope.first_day, scope.last_day)),
        scope,
    )
    warranties = list(
        session.scalars(
            warranty_query.options(lazyload(CityApplication.maintainers))
            .order_by(CityApplication.warranty_until, CityApplication.name)
            .limit(limit)
        )
    )
    warranties_total = _total(session, warranty_query, warranties, limit)
    return AppReport(scope, today, matrix, per_opd, projects, projects_total, warranties, warranties_total)


def _total(session: Session, query, shown: list, limit: int) -> int:
    """How many rows ``query`` has: those shown when the list stopped short of its limit, else counted."""
    if len(shown) < limit:
        return len(shown)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# --- Excel: one row per application of the scope ------------------------------------------------------------


def excel_headers(scope: ReportScope) -> list[str]:
    return [
        "No.",
        "Nama aplikasi",
        "OPD pemilik",
        "Jenis",
        "Status",
        "Lokasi hosting",
        "Nomor aset",
        "Garansi berakhir",
        f"Garansi berakhir tahun {scope.year}",
        f"Proyek {scope.year}",
        "Langkah SOP tepat waktu",
        "Langkah SOP terlambat",
    ]


def _project_stats(session: Session, scope: ReportScope, now: dt.datetime) -> dict[int, tuple[list[str], Timeliness]]:
    """Per application: the titles of its projects of the year and their steps' timeliness — one query."""
    stats: dict[int, tuple[list[str], Timeliness]] = defaultdict(lambda: ([], Timeliness()))
    query = _in_scope(
        select(
            Project.app_id,
            Project.id,
            Project.title,
            ProjectStep.started_at,
            ProjectStep.finished_at,
            SopStep.max_minutes,
        )
        .join(CityApplication, CityApplication.id == Project.app_id)
        .join(ProjectStep, ProjectStep.project_id == Project.id)
        .join(SopStep, SopStep.id == ProjectStep.sop_step_id)
        .where(Project.year == scope.year)
        .order_by(Project.id, ProjectStep.position),
        scope,
    )
    seen: set[int] = set()
    for app_id, project_id, title, started, finished, max_minutes in session.execute(query):
        titles, timeliness = stats[app_id]
        if project_id not in seen:
            seen.add(project_id)
            titles.append(title)
        timeliness.add(started, finished, max_minutes, now)
    return stats


def excel_rows(session: Session, scope: ReportScope, now: dt.datetime) -> Iterator[list]:
    stats = _project_stats(session, scope, now)
    query = _in_scope(
        select(
            CityApplication.id,
            CityApplication.name,
            Opd.name,
            CityApplication.kind,
            CityApplication.status,
            CityApplication.hosting_location,
            CityApplication.asset_number,
            CityApplication.warranty_until,
        )
        .join(Opd, Opd.id == CityApplication.owner_opd_id)
        .order_by(Opd.name, CityApplication.name, CityApplication.id),
        scope,
    ).execution_options(yield_per=1000)
    for n, (app_id, name, opd_name, kind, status, hosting, asset, warranty) in enumerate(session.execute(query), 1):
        titles, timeliness = stats.get(app_id, ([], Timeliness()))
        yield [
            n,
            name,
            opd_name,
            rules.KINDS.get(kind, kind),
            rules.STATUSES.get(status, status),
            rules.HOSTING.get(hosting, hosting or "-"),
            asset or "",
            warranty,
            "Ya" if warranty and scope.first_day <= warranty <= scope.last_day else "",
            "; ".join(titles),
            timeliness.on_time,
            timeliness.late,
        ]
