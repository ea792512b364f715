"""The catalogue's dashboard cards (issue 7 §6): the operator's applications with missing data, and for
the ketua and the sekretaris the counts by status, the projects late on the SOP (seed 001) and the
warranties ending (003 §6). Each context runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import false, func, or_, select

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.catalogue import reports, rules, services
from pontive.catalogue.models import CityApplication, Project, ProjectStep, SopStep, app_maintainer
from pontive.dashboard import cards
from pontive.extensions import db

CARD_ROWS = 6


def missing_for(app: CityApplication) -> list[str]:
    values = {key: getattr(app, key) for key, _label in rules.MISSING_FIELDS}
    values["status"] = app.status
    return rules.missing_data(values, len(app.maintainers))


def _missing_condition():
    """SQL for rules.missing_data: which applications lack something (the labels come from the rule)."""
    has_maintainer = select(app_maintainer.c.app_id).where(app_maintainer.c.app_id == CityApplication.id).exists()
    return or_(
        CityApplication.url == "",
        CityApplication.repo_url.is_(None),
        CityApplication.hosting_location == "",
        CityApplication.description == "",
        CityApplication.status.in_(("production", "maintenance")) & ~has_maintainer,
    )


@cards.card(
    key="catalogue_my_opd",
    title="Aplikasi OPD saya",
    template="catalogue/_card_my_opd.html",
    roles={Role.OPERATOR_OPD},
    order=30,
)
def my_opd_context(user: User) -> dict[str, Any]:
    opd_ids = sorted(user.opd_ids_for(Role.OPERATOR_OPD))
    mine = CityApplication.owner_opd_id.in_(opd_ids) if opd_ids else false()
    total, incomplete = db.session.execute(
        select(func.count(CityApplication.id), func.count(CityApplication.id).filter(_missing_condition())).where(mine)
    ).one()
    apps = list(
        db.session.scalars(
            select(CityApplication)
            .where(mine, _missing_condition())
            .order_by(CityApplication.name, CityApplication.id)
            .limit(CARD_ROWS)
        )
    )
    return {
        "total": total,
        "incomplete": incomplete,
        "rows": [(app, missing_for(app)) for app in apps],
        "opd_id": opd_ids[0] if len(opd_ids) == 1 else None,
    }


@cards.card(
    key="catalogue_overview",
    title="Katalog aplikasi",
    template="catalogue/_card_overview.html",
    roles={Role.KETUA, Role.SEKRETARIS},
    order=30,
    lazy=True,
)
def overview_context(user: User) -> dict[str, Any]:  # noqa: ARG001
    """Counts by status, the projects late on the SOP and the warranties ending: four queries of
    the columns the card shows (no application or project objects with their relations)."""
    now = reports.local_now()
    today = now.date()
    counts = services.counts_by(db.session, "status")
    steps = db.session.execute(
        select(ProjectStep.project_id, ProjectStep.started_at, ProjectStep.finished_at, SopStep.max_minutes)
        .join(SopStep, SopStep.id == ProjectStep.sop_step_id)
        .where(ProjectStep.started_at.is_not(None), SopStep.max_minutes.is_not(None))
    )
    late_ids = sorted(
        {project_id for project_id, started, finished, limit in steps if rules.step_late(started, finished, limit, now)}
    )
    late = []
    if late_ids:
        late = db.session.execute(
            select(Project.id, Project.title, CityApplication.name.label("app_name"))
            .join(CityApplication, CityApplication.id == Project.app_id)
            .where(Project.id.in_(late_ids[:CARD_ROWS]))
            .order_by(Project.id)
        ).all()
    ending = db.session.execute(
        select(CityApplication.id, CityApplication.name, CityApplication.warranty_until)
        .where(
            CityApplication.warranty_until >= today,
            CityApplication.warranty_until <= today + dt.timedelta(days=rules.WARRANTY_NOTICE_DAYS),
        )
        .order_by(CityApplication.warranty_until, CityApplication.id)
    ).all()
    return {
        "counts": [(key, label, counts.get(key, 0)) for key, label in rules.STATUSES.items()],
        "total": sum(counts.values()),
        "late": late,
        "late_total": len(late_ids),
        "ending": ending[:CARD_ROWS],
        "ending_total": len(ending),
        "year": now.year,
    }
