"""Selection reference data (categories of 002 §17–19, majors of 000 §10B) and demo rounds with
applications at every stage; ``--scale`` adds thousands of applications for benchmarks."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import EmploymentStatus, Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.seeding import SEEDS_DIR, DemoContext, bulk_insert, demo_step, read_csv, reference_step
from pontive.recruitment import services
from pontive.recruitment.models import (
    AcceptedMajor,
    Application,
    ApplicationStatus,
    DocumentKind,
    LetterKind,
    PanelUnit,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
    Stage,
)

# The smallest valid PDF, for demo attachments.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class _DemoFile(io.BytesIO):
    def __init__(self, name: str) -> None:
        super().__init__(DEMO_PDF)
        self.filename = name


def load_categories_data() -> list[dict]:
    data = json.loads((SEEDS_DIR / "selection_categories.json").read_text(encoding="utf-8"))["categories"]
    by_code = {c["code"]: c for c in data}
    for c in data:  # "@code" borrows a list from another category
        for key in ("competencies", "outputs"):
            if isinstance(c[key], str) and c[key].startswith("@"):
                c[key] = by_code[c[key][1:]][key]
    return data


@reference_step(30, "kategori seleksi")
def load_categories(session: Session) -> int:
    existing = set(session.scalars(select(SelectionCategory.code)))
    added = 0
    for position, row in enumerate(load_categories_data()):
        if row["code"] not in existing:
            session.add(SelectionCategory(**row, position=position))
            added += 1
    return added


@reference_step(31, "jurusan kontrak")
def load_majors(session: Session) -> int:
    existing = {m.lower() for m in session.scalars(select(AcceptedMajor.name))}
    rows = [r["name"] for r in read_csv("accepted_majors.csv") if r["name"].lower() not in existing]
    session.add_all(AcceptedMajor(name=n) for n in rows)
    return len(rows)


def _applicant(session: Session, ctx: DemoContext, username: str, name: str, nik: str, opd: Opd | None) -> User:
    user = User(
        username=username,
        full_name=name,
        nik=nik,
        email=f"{username}@pelamar.example",
        employment_status=EmploymentStatus.NON_ASN,
        home_opd=opd,
        password_hash=ctx.password_hash,
    )
    user.grants.append(RoleGrant(role=Role.PELAMAR))
    session.add(user)
    session.flush()
    return user


def _file_team_application(session, selection_round, user, category, years, certificate=None, today=None):
    application = services.start_application(session, user, selection_round, today)
    services.update_application(
        session,
        user,
        application,
        {
            "category_id": category.id,
            "home_opd_id": user.home_opd_id,
            "experience_years": Decimal(years),
            "experience_signer": "Kepala Dinas",
            "experience_signed_on": selection_round.open_date,
        },
    )
    for kind in (
        DocumentKind.CV,
        DocumentKind.ADMIN_DOCS,
        DocumentKind.EXPERIENCE_STATEMENT,
        DocumentKind.CAPABILITY_STATEMENT,
    ):
        services.add_document(session, user, application, kind, _DemoFile(f"{kind.value}.pdf"))
    if certificate:
        services.add_document(
            session, user, application, DocumentKind.CERTIFICATE, _DemoFile("sertifikat.pdf"), certificate
        )
    return application


@demo_step(30, "seleksi")
def demo_selection(session: Session, ctx: DemoContext) -> None:
    rng = random.Random(1619)
    opds = list(session.scalars(select(Opd).order_by(Opd.id)))
    categories = {c.code: c for c in session.scalars(select(SelectionCategory))}
    admin, panel = ctx.users["admin"], ctx.users["panel"]
    second = User(
        username="panel2",
        full_name="Wulan Anggraini, S.Psi. (BKPPD)",
        password_hash=ctx.password_hash,
        employment_status=EmploymentStatus.ASN,
    )
    second.grants.append(RoleGrant(role=Role.PANEL))
    session.add(second)
    session.flush()
    ctx.users["panel2"] = second
    today = ctx.today
    year = today.year

    # A programmer-team round whose filing has closed, with an application at every stage.
    team = services.save_round(
        session,
        admin,
        {
            "kind": RoundKind.TEAM,
            "year": year,
            "title": f"Seleksi Tim Programmer {year}",
            "description": "Seleksi anggota Tim Programmer SPBE (Perwal 131.A/2019).",
            "open_date": today - dt.timedelta(days=60),
            "close_date": today - dt.timedelta(days=30),
            "pass_mark_interview": 70,
            "pass_mark_practical": 70,
            "weight_interview": 40,
            "weight_practical": 60,
            "min_panel_scores": 2,
        },
        quotas={c.id: 2 for c in categories.values()},
    )
    services.add_panel_member(session, admin, team, panel, PanelUnit.DISKOMINFO)
    services.add_panel_member(session, admin, team, second, PanelUnit.BKPPD)
    team.status = RoundStatus.OPEN
    session.commit()
    filing_day = team.open_date + dt.timedelta(days=3)
    plan = [
        ("draft", "fullstack", 5, "Oracle Certified Java Programmer"),
        ("submitted", "senior_network_admin", 3, "MTCNA"),  # 3 of 4 years: the check will say so
        ("submitted", "junior_programmer", 2, None),
        ("admin_failed", "senior_system_admin", 6, None),  # no certificate
        ("admin_passed", "junior_network_admin", 2, None),
        ("interview", "data_center_professional", 5, "CDCP"),
        ("practical", "junior_system_admin", 3, None),
        ("passed", "fullstack", 6, "Sertifikat PostgreSQL Associate"),
        ("passed", "fullstack", 4, "Sertifikat Python Developer"),
        ("passed", "fullstack", 5, "Sertifikat Node.js Developer"),
    ]
    names = [
        "Andi Saputra",
        "Bella Kartika",
        "Cahyo Wibowo",
        "Dian Puspita",
        "Eko Susanto",
        "Fitri Handayani",
        "Galih Ramadhan",
        "Hana Pertiwi",
        "Irfan Maulana",
        "Joko Purnomo",
    ]
    for n, ((stage, code, years, cert), name) in enumerate(zip(plan, names, strict=True)):
        user = _applicant(
            session, ctx, f"pelamar{n + 1:02d}", name, f"32750{n + 1}1505950{n:03d}"[:16], opds[n % len(opds)]
        )
        application = _file_team_application(session, team, user, categories[code], years, cert, filing_day)
        if stage == "draft":
            continue
        services.submit_application(session, user, application, filing_day)
        if stage == "submitted":
            continue
        passed = stage != "admin_failed"
        services.decide_admin_check(session, panel, application, passed, "")
        if stage in ("admin_failed", "admin_passed"):
            continue
        event = dt.datetime.combine(today - dt.timedelta(days=20), dt.time(9, 0))
        services.issue_call_letters(
            session,
            panel,
            team,
            [application],
            kind=LetterKind.CALL_INTERVIEW,
            number_prefix="800/PANSEL-TP",
            letter_date=today - dt.timedelta(days=25),
            event_at=event,
            place="Ruang Rapat Diskominfostandi, Lt. 3",
        )
        if stage == "interview":
            continue
        for member in (panel, second):
            services.record_score(
                session, member, application, Stage.INTERVIEW, rng.randint(75, 92), "Menjawab dengan baik."
            )
        services.close_stage(session, panel, application, Stage.INTERVIEW)
        if stage == "practical":
            continue
        for member in (panel, second):
            services.record_score(session, member, application, Stage.PRACTICAL, rng.randint(72, 95), "Tugas selesai.")
        services.close_stage(session, panel, application, Stage.PRACTICAL)
    team.status = RoundStatus.CLOSED
    session.commit()

    # An open contract-worker round (000 §10); the demo applicant has a draft in it.
    contract = services.save_round(
        session,
        admin,
        {
            "kind": RoundKind.CONTRACT,
            "year": year + 1,
            "title": f"Seleksi Tenaga IT Kontrak {year + 1}",
            "description": "Jasa Tenaga IT – Admin Pontive Center (Programmer Web dan Aplikasi).",
            "open_date": today - dt.timedelta(days=5),
            "close_date": today + dt.timedelta(days=25),
            "pass_mark_interview": 70,
            "pass_mark_practical": 70,
            "weight_interview": 30,
            "weight_practical": 70,
            "min_panel_scores": 1,
            "position": "Admin Pontive Center (Programmer Web dan Aplikasi)",
            "contract_quota": 1,
            "local_city": "Bekasi",
        },
    )
    services.add_panel_member(session, admin, contract, panel, PanelUnit.DISKOMINFO)
    services.advance_round(session, admin, contract)
    pelamar = ctx.users["pelamar"]
    draft = services.start_application(session, pelamar, contract, today)
    services.update_application(
        session,
        pelamar,
        draft,
        {
            "citizenship_wni": True,
            "birth_date": dt.date(today.year - 26, 4, 12),
            "npwp": "09.254.294.3-407.000",
            "degree": "S1",
            "major": "Teknik Informatika",
            "institution": "Universitas Islam 45 Bekasi",
            "accreditation": "Baik Sekali",
            "gpa": Decimal("3.21"),
            "ktp_city": "Kota Bekasi",
            "not_bound_by_contract": True,
        },
    )
    ctx.extra["team_round"] = team
    ctx.extra["contract_round"] = contract
    if ctx.scale:
        _bulk_applications(session, ctx, list(categories.values()), opds)


def _bulk_applications(
    session: Session, ctx: DemoContext, categories: list[SelectionCategory], opds: list[Opd]
) -> None:
    """25,000 applications per unit of scale, spread over ten closed past rounds (bulk inserts)."""
    rng = random.Random(25_000)
    per_round = 2_500
    applicants_needed = per_round * ctx.scale
    start = session.scalar(select(User.id).order_by(User.id.desc())) or 0
    users = [
        {
            "username": f"calon{i:06d}",
            "full_name": f"Calon Anggota {i:06d}",
            "nik": f"3275{i:012d}"[:16],
            "employment_status": "non_asn",
            "home_opd_id": opds[i % len(opds)].id,
            "password_hash": ctx.password_hash,
            "active": True,
            "session_version": 1,
            "phone": "",
            "created_at": dt.datetime(2026, 1, 1),
            "updated_at": dt.datetime(2026, 1, 1),
        }
        for i in range(applicants_needed)
    ]
    bulk_insert(session, User.__table__, users)
    ids = list(session.scalars(select(User.id).where(User.id > start).order_by(User.id)))
    bulk_insert(
        session,
        RoleGrant.__table__,
        [{"user_id": uid, "role": "pelamar", "granted_at": dt.datetime(2026, 1, 1)} for uid in ids],
    )
    statuses = [s.value for s in ApplicationStatus if s not in (ApplicationStatus.APPOINTED,)]
    round_ids = []
    for r in range(10):
        year = ctx.today.year - 10 + r
        selection_round = SelectionRound(
            kind=RoundKind.TEAM,
            year=year,
            title=f"Seleksi Tim Programmer {year} (arsip {r + 1})",
            open_date=dt.date(year, 2, 1),
            close_date=dt.date(year, 2, 28),
            status=RoundStatus.CLOSED,
        )
        session.add(selection_round)
        session.flush()
        round_ids.append(selection_round.id)
        rows = []
        for uid in ids:
            status = rng.choice(statuses)
            rows.append(
                {
                    "round_id": selection_round.id,
                    "applicant_id": uid,
                    "category_id": rng.choice(categories).id,
                    "status": status,
                    "home_opd_id": opds[uid % len(opds)].id,
                    "experience_years": Decimal(rng.randint(1, 8)),
                    "experience_signer": "Kepala Dinas",
                    "submitted_at": None if status == "draft" else dt.datetime(year, 2, 10, 9, 0),
                    "degree": "",
                    "major": "",
                    "institution": "",
                    "accreditation": "",
                    "ktp_city": "",
                    "created_at": dt.datetime(year, 2, 5),
                    "updated_at": dt.datetime(year, 2, 5),
                }
            )
        bulk_insert(session, Application.__table__, rows)
    services.recount(session, round_ids)  # the bulk inserts bypassed the flush listener that keeps the counts
