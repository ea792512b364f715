"""Demo data of reports and performance (DESIGN §3; issue 5 §10): for every demo member placed by the
team step, a yearly plan with RHK and indicators, action plans for each month up to this one, and
monthly reports — past months mostly validated with feedback and evidence, one waiting for the
koordinator, one returned, the inactive members' months left unfiled, this month a draft —; last
year's evaluations with their predikat and the ketua's final report; the settings with quotas.

``--scale N`` adds 180,000 × N action plans with their monthly reports, realisations and
validation history, with bulk inserts, over the yearly terms of the last ten years (about 300 × N members
a year: this year the members of the scale data, made here when too few; earlier years members whose
term has ended); in an OPD without a koordinator those reports carry no validator."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.accounts.models import EmploymentStatus, Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.formats import month_name
from pontive.core.models import StoredFile
from pontive.core.seeding import DemoContext, bulk_insert, demo_step
from pontive.core.storage import get_storage, new_key
from pontive.performance import rules
from pontive.performance.models import (
    ActionPlan,
    Evaluation,
    EvaluationStatus,
    Evidence,
    FinalTeamReport,
    Indicator,
    MonthlyReport,
    PerformancePlan,
    PerformanceSettings,
    PlanStatus,
    Realisation,
    ReportReview,
    ReportStatus,
    ReviewDecision,
    WorkResult,
    WorkResultKind,
)
from pontive.recruitment.demo import DEMO_PDF
from pontive.team.models import Membership, MembershipStatus, WorkProgram
from pontive.team.rules import term_end

EVIDENCE_PURPOSE = "evidence"  # pontive.performance.services.EVIDENCE_PURPOSE
QUOTAS = {"Sangat Baik": Decimal(25), "Butuh Perbaikan": Decimal(30), "Kurang/Misconduct": Decimal(20)}

# (RHK, indicator, target, unit, aspect, monthly action plan, its unit, its monthly target)
RHKS = (
    (
        "Tersedianya aplikasi layanan OPD yang andal dan mutakhir",
        "Modul aplikasi selesai dan lolos uji",
        "12",
        "modul",
        "quantity",
        "Mengembangkan dan menguji modul aplikasi",
        "modul",
        1,
    ),
    (
        "Terpeliharanya server, basis data dan jaringan OPD",
        "Ketersediaan layanan",
        "99",
        "persen",
        "quality",
        "Pemeliharaan server dan uji pencadangan",
        "kegiatan",
        4,
    ),
    (
        "Terdokumentasinya sistem informasi OPD",
        "Dokumen teknis tersusun",
        "6",
        "dokumen",
        "quantity",
        "Menyusun dokumentasi teknis dan panduan",
        "dokumen",
        1,
    ),
    (
        "Meningkatnya kemampuan pengguna aplikasi di OPD",
        "Pendampingan pengguna terlaksana",
        "24",
        "kegiatan",
        "time",
        "Pendampingan dan pelatihan pengguna aplikasi",
        "kegiatan",
        2,
    ),
)
VALIDATION_FEEDBACK = (
    "Baik, bukti dukung lengkap. Lanjutkan.",
    "Sesuai rencana aksi; dokumentasi rapi.",
    "Target tercapai. Perhatikan jadwal pencadangan bulan depan.",
    "Terima kasih, laporan jelas dan tepat waktu.",
    "Capaian baik; lampirkan tangkapan layar hasil uji pada laporan berikutnya.",
)
RETURN_FEEDBACK = "Bukti dukung uji pencadangan belum memuat log hasil pemulihan; mohon dilengkapi lalu ajukan kembali."
# Team-demo stories (pontive.team.demo) the reports must not contradict: a validated month counts as
# activity (issue 5 §9), so the inactive members' idle months stay unfiled.
UNFILED_MONTHS = {"anggota3": (2, "draft"), "anggota9": (4, None)}
WAITING = ("anggota", "anggota8")  # last month submitted, waiting for their koordinator
RETURNED = ("anggota2",)  # last month returned with feedback
PLAN_WAITING = ("anggota5",)  # this year's plan waits for the koordinator's approval
LAST_YEAR_PREDIKAT = ("Sangat Baik", "Baik", "Baik", "Baik", "Sangat Baik", "Baik", "Baik", "Butuh Perbaikan", "Baik")
PREDIKAT_RATINGS = {
    "Sangat Baik": ("above", "above"),
    "Baik": ("as", "as"),
    "Butuh Perbaikan": ("below", "as"),
    "Kurang/Misconduct": ("as", "below"),
    "Sangat Kurang": ("below", "below"),
}


DEMO_PDF_SHA256 = hashlib.sha256(DEMO_PDF).hexdigest()


def _evidence_file(session: Session, member: User, name: str) -> StoredFile:
    """A tiny PDF as evidence. Demo files skip what save_upload adds for real uploads (a content
    check of our own bytes, an fsync and an audit entry per file), which would make seeding slow."""
    storage = get_storage()
    local_path = getattr(storage, "path", None)
    if local_path is None:
        key = storage.save(DEMO_PDF)
    else:
        key = new_key()
        target = local_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(DEMO_PDF)
    stored = StoredFile(
        key=key,
        original_name=name,
        content_type="application/pdf",
        size=len(DEMO_PDF),
        sha256=DEMO_PDF_SHA256,
        purpose=EVIDENCE_PURPOSE,
        uploaded_by_id=member.id,
    )
    session.add(stored)
    return stored


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _at(year: int, month: int, day: int, hour: int = 2) -> dt.datetime:
    """A stored (UTC) time: 02:00 UTC is 09:00 in the city."""
    return dt.datetime(year, month, day, hour, 0)


def _value(target: Decimal, rng: random.Random) -> Decimal:
    factor = Decimal(rng.choice((70, 85, 100, 100, 100, 110, 125, 150))) / 100
    return (target * factor).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _koordinators(session: Session) -> dict[int, User]:
    rows = session.execute(
        select(RoleGrant.opd_id, User)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == Role.KOORDINATOR)
    )
    found: dict[int, User] = {}
    for opd_id, user in rows:
        found.setdefault(opd_id, user)
    return found


def _ensure_member(session: Session, ctx: DemoContext) -> None:
    """Without the team step there are no memberships: place the demo anggota in the demo koordinator's OPD."""
    if session.scalar(select(Membership.id).limit(1)) is not None:
        return
    anggota, koordinator = ctx.users.get("anggota"), ctx.users.get("koordinator")
    if anggota is None or koordinator is None or not koordinator.grants:
        return
    start = dt.date(ctx.today.year, 1, 2)
    session.add(
        Membership(
            member_id=anggota.id,
            placement_opd_id=koordinator.grants[0].opd_id,
            decree_number=f"188.45/Kep.101-Diskominfostandi/{start.year}",
            decree_date=start,
            start_date=start,
            end_date=term_end(start),
        )
    )
    session.flush()


@demo_step(50, "kinerja")
def demo_performance(session: Session, ctx: DemoContext) -> None:
    today = ctx.today
    rng = random.Random(2020)
    session.add(PerformanceSettings(achievement_cap=rules.DEFAULT_CAP, due_day=5, predikat_quotas=_quota_json()))
    _ensure_member(session, ctx)
    memberships = list(
        session.scalars(
            select(Membership)
            .where(
                Membership.status.in_(
                    (MembershipStatus.ACTIVE, MembershipStatus.WARNED, MembershipStatus.PROPOSED_DISMISSAL)
                )
            )
            .order_by(Membership.id)
        )
    )
    # The demo's own members (made one by one by the earlier steps), not the volume data of --scale.
    demo_ids = {user.id for user in ctx.users.values()}
    memberships = [m for m in memberships if m.member_id in demo_ids]
    koordinators = _koordinators(session)
    programs = {(p.opd_id, p.year): p.id for p in session.scalars(select(WorkProgram).order_by(WorkProgram.id.desc()))}
    for n, membership in enumerate(memberships):
        koordinator = koordinators.get(membership.placement_opd_id)
        _member_history(session, today, rng, n, membership, koordinator, programs)
    session.flush()
    _last_year(session, ctx, memberships, koordinators, rng)
    if ctx.scale:
        _bulk(session, ctx, {m.member_id for m in memberships}, koordinators)


def _quota_json() -> dict[str, str]:
    return {k: str(v) for k, v in QUOTAS.items()}


def _member_history(session, today, rng, n, membership, koordinator, programs) -> None:
    member = membership.member
    opd_id = membership.placement_opd_id
    first = max(membership.start_date, dt.date(today.year - 1, 1, 1))
    months = _months(first, min(today, membership.end_date))
    if not months:
        return
    past = [m for m in months if m != (today.year, today.month)]
    unfiled_count, unfiled_status = UNFILED_MONTHS.get(member.username, (0, None))
    unfiled = set(past[-unfiled_count:]) if unfiled_count else set()
    chosen = [RHKS[(n + k) % len(RHKS)] for k in range(2 + n % 2)]

    by_year: dict[int, list[WorkResult]] = {}
    for year in sorted({y for y, _m in months}):
        waiting = member.username in PLAN_WAITING and year == today.year
        plan = PerformancePlan(
            member_id=member.id,
            opd_id=opd_id,
            year=year,
            status=PlanStatus.SUBMITTED if waiting or koordinator is None else PlanStatus.APPROVED,
            approved_by_id=None if waiting or koordinator is None else koordinator.id,
            approved_at=None if waiting or koordinator is None else _at(year, 1, 10),
        )
        for position, (title, indicator, target, unit, aspect, *_rest) in enumerate(chosen):
            plan.work_results.append(
                WorkResult(
                    kind=WorkResultKind.MAIN if position < 2 else WorkResultKind.ADDITIONAL,
                    title=title,
                    position=position,
                    program_id=programs.get((opd_id, year)) if position == 0 else None,
                    indicators=[
                        Indicator(description=indicator, target_value=Decimal(target), unit=unit, aspect=aspect)
                    ],
                )
            )
        session.add(plan)
        by_year[year] = plan.work_results
    session.flush()

    for year, month in months:
        plans = []
        for work_result, spec in zip(by_year[year], chosen, strict=True):
            description, unit, target = spec[5], spec[6], spec[7]
            action = ActionPlan(
                work_result_id=work_result.id,
                member_id=member.id,
                year=year,
                month=month,
                description=f"{description} — {month_name(month)}",
                target_value=Decimal(target + (month % 2 if target > 1 else 0)),
                unit=unit,
            )
            session.add(action)
            plans.append(action)
        session.flush()
        current = (year, month) == (today.year, today.month)
        if current:
            status = ReportStatus.DRAFT
        elif (year, month) in unfiled:
            if unfiled_status is None:
                continue
            status = ReportStatus.DRAFT
        elif (year, month) == past[-1] and member.username in WAITING:
            status = ReportStatus.SUBMITTED
        elif (year, month) == past[-1] and member.username in RETURNED:
            status = ReportStatus.RETURNED
        elif koordinator is None:
            status = ReportStatus.SUBMITTED
        else:
            status = ReportStatus.VALIDATED
        _report(session, rng, member, opd_id, koordinator, year, month, plans, status, current)


def _report(session, rng, member, opd_id, koordinator, year, month, plans, status, current) -> None:
    report = MonthlyReport(member_id=member.id, opd_id=opd_id, year=year, month=month, status=status)
    session.add(report)
    if status == ReportStatus.DRAFT:
        if not current:
            report.narrative = "Belum selesai disusun."
        return
    report.narrative = (
        f"Pekerjaan bulan {month_name(month)} {year} berjalan sesuai rencana aksi; rincian ada pada bukti dukung."
    )
    report.activities = "Rapat mingguan OPD, pengembangan, pengujian dan pendampingan pengguna."
    values = []
    for action in plans:
        value = _value(action.target_value, rng)
        realisation = Realisation(action_plan_id=action.id, value=value, note="")
        stored = _evidence_file(session, member, f"bukti-{year}-{month:02d}-{action.id}.pdf")
        realisation.evidence.append(Evidence(file=stored))
        report.realisations.append(realisation)
        values.append(rules.achievement(value, action.target_value, rules.DEFAULT_CAP))
    next_year, next_month = _next_month(year, month)
    submitted = _at(next_year, next_month, 1 + rng.randint(0, 3))
    report.submitted_at = submitted
    report.reviews.append(ReportReview(actor_id=member.id, decision=ReviewDecision.SUBMITTED, at=submitted))
    if status == ReportStatus.RETURNED:
        report.reviews.append(
            ReportReview(
                actor_id=koordinator.id if koordinator else None,
                decision=ReviewDecision.RETURNED,
                feedback=RETURN_FEEDBACK,
                at=submitted + dt.timedelta(hours=5),
            )
        )
    elif status == ReportStatus.VALIDATED:
        validated = submitted + dt.timedelta(days=rng.randint(1, 3))
        report.validated_by_id, report.validated_at = koordinator.id, validated
        report.achievement = rules.monthly_achievement(values)
        report.reviews.append(
            ReportReview(
                actor_id=koordinator.id,
                decision=ReviewDecision.VALIDATED,
                feedback=VALIDATION_FEEDBACK[(month + member.id) % len(VALIDATION_FEEDBACK)],
                at=validated,
            )
        )


def _last_year(session: Session, ctx: DemoContext, memberships, koordinators, rng) -> None:
    """Last year's evaluations, consolidated and sent by the ketua to the pembina (002 §20(2)–(4))."""
    year = ctx.today.year - 1
    ketua = ctx.users.get("ketua")
    count = 0
    for n, membership in enumerate(memberships):
        koordinator = koordinators.get(membership.placement_opd_id)
        if koordinator is None:
            continue
        predikat = LAST_YEAR_PREDIKAT[n % len(LAST_YEAR_PREDIKAT)]
        results, behaviour = PREDIKAT_RATINGS[predikat]
        values = {key: behaviour for key, _label in rules.BERAKHLAK}
        values["kolaboratif"] = "above" if behaviour != "below" else "below"
        achievement = {"above": Decimal("112.50"), "as": Decimal("98.40"), "below": Decimal("81.75")}[results]
        session.add(
            Evaluation(
                member_id=membership.member_id,
                opd_id=membership.placement_opd_id,
                year=year,
                koordinator_id=koordinator.id,
                achievement=achievement + Decimal(rng.randint(0, 150)) / 100,
                results_rating=results,
                behaviour_rating=behaviour,
                behaviour=values,
                predikat=predikat,
                notes="Penilaian akhir tahun.",
                status=EvaluationStatus.FINAL,
            )
        )
        count += 1
    if count and ketua is not None:
        session.add(
            FinalTeamReport(
                year=year,
                number=f"800/045/TP-Diskominfostandi/{ctx.today.year}",
                letter_date=min(dt.date(ctx.today.year, 1, 20), ctx.today),
                summary=f"Seluruh anggota tim melaksanakan tugas tahun {year} dengan baik; rincian penilaian terlampir.",
                ketua_id=ketua.id,
            )
        )


# --- volume for benchmarks ----------------------------------------------------------------------------------

ACTIONS_PER_SCALE = 180_000  # issue 8: a large city's 180,000 action plans …
ACTIONS_PER_MONTH = 5
SCALE_YEARS = 10  # … over ten yearly terms (002 §15(1)), so that about 300 members serve in any one year
RECENT_MONTHS = 3  # reports older than this were decided long ago: validated, none still waiting


def _returning(session: Session, model, rows: list[dict]) -> list[int]:
    """Bulk insert ``rows`` and return their ids in the rows' order (one transaction, one writer:
    new ids follow the highest one in insertion order, on SQLite and PostgreSQL alike)."""
    if not rows:
        return []
    start = session.scalar(select(func.max(model.id))) or 0
    bulk_insert(session, model.__table__, rows)
    ids = list(session.scalars(select(model.id).where(model.id > start).order_by(model.id)))
    if len(ids) != len(rows):
        raise RuntimeError(f"{model.__tablename__}: {len(rows)} rows inserted, {len(ids)} found")
    return ids


def _bulk(session: Session, ctx: DemoContext, taken: set[int], koordinators: dict[int, User]) -> None:
    """180,000 × scale action plans, five a month per member, over the yearly terms of the last ten
    years: each year's share of the budget goes to that year's members (this year: the scale data's
    serving memberships first, then new ones; earlier years: members whose term has ended), so about
    300 × scale members serve at a time. Each month has its report (mostly validated), its
    realisations and its validation history."""
    rng = random.Random(100_000)
    today = ctx.today
    window = _months(dt.date(today.year - SCALE_YEARS + 1, 1, 1), today)
    recent = window[-RECENT_MONTHS:]
    budget = ACTIONS_PER_SCALE * ctx.scale
    years = sorted({y for y, _m in window}, reverse=True)  # this year first: its members serve now
    months_of_year = {y: [ym for ym in window if ym[0] == y] for y in years}
    share = {y: budget * len(months_of_year[y]) / len(window) for y in years}

    # This year's members: the scale data's serving memberships first, then new ones as needed.
    candidates = [
        m
        for m in session.scalars(
            select(Membership).where(Membership.status == MembershipStatus.ACTIVE).order_by(Membership.id)
        )
        if m.member_id not in taken
    ]
    members: list[tuple[int, int | None, list[tuple[int, int]]]] = []
    planned = 0
    for m in candidates:
        months = [ym for ym in months_of_year[today.year] if (m.start_date.year, m.start_date.month) <= ym]
        if months and planned < share[today.year]:
            members.append((m.member_id, m.placement_opd_id, months))
            planned += len(months) * ACTIONS_PER_MONTH
    made = 0
    for year in years:
        need = share[year] - (planned if year == today.year else 0)
        if need > 0:
            count = math.ceil(need / (len(months_of_year[year]) * ACTIONS_PER_MONTH))
            members += _new_members(session, ctx, count, months_of_year[year], made)
            made += count

    plan_rows = [
        {
            "member_id": member_id,
            "opd_id": opd_id,
            "year": year,
            "status": "approved",
            "created_at": _at(year, 1, 1),
            "updated_at": _at(year, 1, 1),
        }
        for member_id, opd_id, months_of in members
        for year in sorted({y for y, _m in months_of})
    ]
    plan_ids = _returning(session, PerformancePlan, plan_rows)
    plan_of = {(row["member_id"], row["year"]): pid for row, pid in zip(plan_rows, plan_ids, strict=True)}
    result_rows = [
        {"plan_id": pid, "kind": "main", "title": RHKS[pid % len(RHKS)][0], "position": 0} for pid in plan_ids
    ]
    result_ids = _returning(session, WorkResult, result_rows)
    result_of = dict(zip(plan_ids, result_ids, strict=True))
    bulk_insert(
        session,
        Indicator.__table__,
        [
            {
                "work_result_id": rid,
                "description": RHKS[rid % len(RHKS)][1],
                "target_value": Decimal(RHKS[rid % len(RHKS)][2]),
                "unit": RHKS[rid % len(RHKS)][3],
                "aspect": RHKS[rid % len(RHKS)][4],
            }
            for rid in result_ids
        ],
    )

    # Reports and action plans, month by month until the budget is spent.
    report_rows, action_rows = [], []
    left = budget
    for member_id, opd_id, months in members:
        koordinator = koordinators.get(opd_id)
        for year, month in months:
            if left <= 0:
                break
            count = min(ACTIONS_PER_MONTH, left)
            left -= count
            current = (year, month) == (today.year, today.month)
            roll = rng.random()
            if current:
                status = "draft"
            elif roll < 0.04 and (year, month) in recent:
                status = "submitted"
            elif roll < 0.07 and (year, month) in recent:
                status = "returned"
            else:
                status = "validated"
            rid = result_of[plan_of[(member_id, year)]]
            spec = RHKS[rid % len(RHKS)]
            values = []
            for k in range(count):
                target = Decimal(spec[7] + k % 2)
                value = None if current else _value(target, rng)
                action_rows.append(
                    {
                        "work_result_id": rid,
                        "member_id": member_id,
                        "year": year,
                        "month": month,
                        "description": f"{spec[5]} ({k + 1})",
                        "target_value": target,
                        "unit": spec[6],
                        "_value": value,
                    }
                )
                if value is not None:
                    values.append(rules.achievement(value, target, rules.DEFAULT_CAP))
            ny, nm = _next_month(year, month)
            submitted = None if status == "draft" else _at(ny, nm, 1 + rng.randint(0, 3))
            validated = submitted + dt.timedelta(days=2) if status == "validated" else None
            report_rows.append(
                {
                    "member_id": member_id,
                    "opd_id": opd_id,
                    "year": year,
                    "month": month,
                    "status": status,
                    "narrative": "" if status == "draft" else "Rencana aksi bulan ini terlaksana.",
                    "activities": "",
                    "submitted_at": submitted,
                    "validated_by_id": koordinator.id if validated and koordinator else None,
                    "validated_at": validated,
                    "achievement": rules.monthly_achievement(values) if validated else None,
                    "version": 1,
                    "created_at": _at(year, month, 1),
                    "updated_at": submitted or _at(year, month, 1),
                    "_count": count,
                    "_koordinator": koordinator.id if koordinator else None,
                }
            )
    report_ids = _returning(
        session, MonthlyReport, [{k: v for k, v in r.items() if not k.startswith("_")} for r in report_rows]
    )
    action_ids = _returning(
        session, ActionPlan, [{k: v for k, v in r.items() if not k.startswith("_")} for r in action_rows]
    )

    realisations, reviews = [], []
    position = 0
    for report, report_id in zip(report_rows, report_ids, strict=True):
        for _k in range(report["_count"]):
            value = action_rows[position]["_value"]
            if value is not None:
                realisations.append(
                    {"report_id": report_id, "action_plan_id": action_ids[position], "value": value, "note": ""}
                )
            position += 1
        if report["submitted_at"] is not None:
            reviews.append(
                {
                    "report_id": report_id,
                    "actor_id": report["member_id"],
                    "decision": "submitted",
                    "feedback": "",
                    "at": report["submitted_at"],
                }
            )
        if report["status"] in ("validated", "returned"):
            reviews.append(
                {
                    "report_id": report_id,
                    "actor_id": report["_koordinator"],
                    "decision": report["status"],
                    "feedback": VALIDATION_FEEDBACK[report_id % len(VALIDATION_FEEDBACK)]
                    if report["status"] == "validated"
                    else RETURN_FEEDBACK,
                    "at": report["validated_at"] or report["submitted_at"] + dt.timedelta(hours=5),
                }
            )
    bulk_insert(session, Realisation.__table__, realisations)
    bulk_insert(session, ReportReview.__table__, reviews)


def _new_members(
    session: Session, ctx: DemoContext, count: int, window: list[tuple[int, int]], first: int = 0
) -> list[tuple[int, int | None, list[tuple[int, int]]]]:
    """Members for the volume data whose one-year term starts with ``window`` (ended by now unless it is
    this year's), numbered from ``first``, spread over the OPDs that have a koordinator when there are any."""
    koordinator_opds = sorted(_koordinators(session))
    opd_ids = koordinator_opds or list(session.scalars(select(Opd.id).order_by(Opd.id)))
    start = dt.date(window[0][0], window[0][1], 2)
    end = term_end(start)
    status = MembershipStatus.ACTIVE if end >= ctx.today else MembershipStatus.ENDED
    stamp = _at(start.year, start.month, 1)
    user_ids = _returning(
        session,
        User,
        [
            {
                "username": f"kinerja{i:05d}",
                "full_name": f"Anggota Kinerja {i:05d}",
                "nik": f"32759{i:011d}",
                "employment_status": EmploymentStatus.NON_ASN.value,
                "home_opd_id": opd_ids[i % len(opd_ids)],
                "password_hash": ctx.password_hash,
                "active": True,
                "session_version": 1,
                "phone": "",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i in range(first, first + count)
        ],
    )
    if status == MembershipStatus.ACTIVE:  # a member whose term has ended no longer holds the role
        bulk_insert(
            session, RoleGrant.__table__, [{"user_id": uid, "role": "anggota", "granted_at": stamp} for uid in user_ids]
        )
    bulk_insert(
        session,
        Membership.__table__,
        [
            {
                "member_id": uid,
                "placement_opd_id": opd_ids[i % len(opd_ids)],
                "decree_number": f"188.45/Kep.{5000 + first + i}-Diskominfostandi/{start.year}",
                "decree_date": start,
                "start_date": start,
                "end_date": end,
                "status": status.value,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i, uid in enumerate(user_ids)
        ],
    )
    return [(uid, opd_ids[i % len(opd_ids)], list(window)) for i, uid in enumerate(user_ids)]
