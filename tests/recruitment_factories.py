"""Factories for selection tests: reference categories, rounds, and applications walked to a stage
through the real services (so every test starts from a state the app can reach)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from sqlalchemy import select

from pontive.extensions import db
from pontive.recruitment import services
from pontive.recruitment.demo import DEMO_PDF, load_categories, load_majors
from pontive.recruitment.models import (
    Application,
    DocumentKind,
    LetterKind,
    PanelUnit,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
    Stage,
)
from tests import factories

TODAY = dt.date(2026, 11, 23)


class Upload(io.BytesIO):
    """What a form's file field gives a service: bytes with a filename."""

    def __init__(self, data: bytes = DEMO_PDF, filename: str = "berkas.pdf") -> None:
        super().__init__(data)
        self.filename = filename


def reference() -> dict[str, SelectionCategory]:
    if not db.session.scalar(select(SelectionCategory.id)):
        load_categories(db.session)
        load_majors(db.session)
        db.session.commit()
    return {c.code: c for c in db.session.scalars(select(SelectionCategory))}


def make_round(
    kind: RoundKind = RoundKind.TEAM,
    *,
    status: RoundStatus = RoundStatus.OPEN,
    panel=None,
    actor=None,
    today: dt.date = TODAY,
    quota: int = 2,
    **fields,
) -> SelectionRound:
    categories = reference()
    actor = actor or factories.make_user(roles=["admin"])
    data = {
        "kind": kind,
        "year": today.year,
        "title": fields.pop("title", "Seleksi Uji"),
        "description": "",
        "open_date": today - dt.timedelta(days=10),
        "close_date": today + dt.timedelta(days=10),
        "pass_mark_interview": 70,
        "pass_mark_practical": 70,
        "weight_interview": 40,
        "weight_practical": 60,
        "min_panel_scores": 1,
        "position": "Programmer Web",
        "contract_quota": quota if kind == RoundKind.CONTRACT else 0,
        "local_city": "Bekasi",
    }
    data.update(fields)
    quotas = {c.id: quota for c in categories.values()} if kind == RoundKind.TEAM else None
    selection_round = services.save_round(db.session, actor, data, quotas=quotas)
    for member in panel or [factories.make_user(roles=["panel"])]:
        services.add_panel_member(db.session, actor, selection_round, member, PanelUnit.DISKOMINFO)
    selection_round.status = status
    db.session.commit()
    return selection_round


def make_applicant(username: str | None = None, opd=None, **fields):
    opd = opd or factories.make_opd()
    return factories.make_user(
        username,
        roles=["pelamar"],
        home_opd_id=opd.id,
        employment_status=fields.pop("employment_status", "non_asn"),
        **fields,
    )


def fill_team(
    application: Application,
    applicant,
    category_code: str = "junior_programmer",
    years: str = "3",
    certificate: str | None = None,
) -> Application:
    category = reference()[category_code]
    services.update_application(
        db.session,
        applicant,
        application,
        {
            "category_id": category.id,
            "home_opd_id": applicant.home_opd_id,
            "experience_years": Decimal(years),
            "experience_signer": "Kepala Bidang Aplikasi",
            "experience_signed_on": TODAY - dt.timedelta(days=20),
        },
    )
    for kind in (
        DocumentKind.CV,
        DocumentKind.ADMIN_DOCS,
        DocumentKind.EXPERIENCE_STATEMENT,
        DocumentKind.CAPABILITY_STATEMENT,
    ):
        services.add_document(db.session, applicant, application, kind, Upload(filename=f"{kind.value}.pdf"))
    if certificate:
        services.add_document(db.session, applicant, application, DocumentKind.CERTIFICATE, Upload(), certificate)
    return application


def fill_contract(application: Application, applicant, **changes) -> Application:
    data = {
        "citizenship_wni": True,
        "birth_date": dt.date(1998, 5, 17),
        "npwp": "09.254.294.3-407.000",
        "degree": "S1",
        "major": "Teknik Informatika",
        "institution": "Universitas Bekasi",
        "accreditation": "Baik Sekali",
        "gpa": Decimal("3.10"),
        "ktp_city": "Kota Bekasi",
        "not_bound_by_contract": True,
    }
    data.update(changes)
    services.update_application(db.session, applicant, application, data)
    for kind in (DocumentKind.CV, DocumentKind.KTP, DocumentKind.DIPLOMA):
        services.add_document(db.session, applicant, application, kind, Upload(filename=f"{kind.value}.pdf"))
    return application


STAGES = ["draft", "submitted", "admin_passed", "interview", "practical", "passed"]


def make_application(
    selection_round: SelectionRound,
    stage: str = "submitted",
    *,
    applicant=None,
    scores=(80, 80),
    category_code: str = "junior_programmer",
    years: str = "3",
    certificate: str | None = None,
    **contract_changes,
) -> Application:
    """An application walked through the services to ``stage`` (one of STAGES)."""
    applicant = applicant or make_applicant()
    panelist = selection_round.panel[0].user
    application = services.start_application(db.session, applicant, selection_round, TODAY)
    if selection_round.kind == RoundKind.TEAM:
        fill_team(application, applicant, category_code, years, certificate)
    else:
        fill_contract(application, applicant, **contract_changes)
    if stage == "draft":
        return application
    services.submit_application(db.session, applicant, application, TODAY)
    if stage == "submitted":
        return application
    services.decide_admin_check(
        db.session, panelist, application, True, "" if _system_passes(application) else "Diputuskan tim seleksi."
    )
    if stage == "admin_passed":
        return application
    services.issue_call_letters(
        db.session,
        panelist,
        selection_round,
        [application],
        kind=LetterKind.CALL_INTERVIEW,
        number_prefix="800/UJI",
        letter_date=TODAY,
        event_at=dt.datetime(2026, 11, 30, 9, 0),
        place="Ruang Rapat Diskominfo",
    )
    if stage == "interview":
        return application
    services.record_score(db.session, panelist, application, Stage.INTERVIEW, scores[0])
    services.close_stage(db.session, panelist, application, Stage.INTERVIEW)
    if stage == "practical":
        return application
    services.record_score(db.session, panelist, application, Stage.PRACTICAL, scores[1])
    services.close_stage(db.session, panelist, application, Stage.PRACTICAL)
    return application


def _system_passes(application: Application) -> bool:
    from pontive.recruitment.rules import all_gates_passed

    return all_gates_passed(application.admin_results or [])
