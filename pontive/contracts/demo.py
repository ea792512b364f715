"""Demo data of contract IT workers (seed 000; DESIGN §4): the demo worker's contract for August to
December like the KAK (Rp 15.250.000 = 14.000.000 + 750.000 + 500.000) with the demo PPK and PPTK,
leave in every status (one waiting for the PPK), monthly assessments of past months (one "buruk")
and one submitted monthly activity report; a few more workers — one contract ending within 30 days,
one of another PPK, one of last year evaluated already.

``--scale N`` adds 2,000 × N workers with contracts and 50,000 × N one-day leave requests with bulk
inserts; each contract's leave counters equal what its approved and pending requests deduct, so the
database's balance constraints hold."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import EmploymentStatus, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.contracts import rules, services
from pontive.contracts.models import Contract, ContractDuty, ContractStatus, LeaveRequest
from pontive.core.seeding import DemoContext, bulk_insert, demo_step
from pontive.core.services import holidays_between
from pontive.core.workdays import iter_working_days
from pontive.recruitment.demo import DEMO_PDF

POSITION = "Admin Pontive Center (Programmer Web dan Aplikasi)"
PA_KPA = "Kepala Dinas Komunikasi dan Informatika"
LOCATION = "Kantor Dinas Komunikasi dan Informatika"
VALUE = {  # 000 §5B–C
    "total_value": Decimal(15_250_000),
    "wage": Decimal(14_000_000),
    "bpjs_health": Decimal(750_000),
    "bpjs_employment": Decimal(500_000),
}
WORKERS_PER_SCALE = 2_000
LEAVES_PER_SCALE = 50_000


class _DemoFile(io.BytesIO):
    def __init__(self, name: str) -> None:
        super().__init__(DEMO_PDF)
        self.filename = name


def _user(session: Session, ctx: DemoContext, username: str, name: str, role: Role, nik: str) -> User:
    user = User(
        username=username,
        full_name=name,
        email=f"{username}@pontive.example",
        nik=nik,
        employment_status=EmploymentStatus.ASN if role in (Role.PPK, Role.PPTK) else EmploymentStatus.NON_ASN,
        password_hash=ctx.password_hash,
    )
    user.grants.append(RoleGrant(role=role))
    session.add(user)
    session.flush()
    ctx.users[username] = user
    return user


def _contract(session, admin, worker, ppk, pptk, start, end, spk, position=POSITION) -> Contract:
    return services.save_contract(
        session,
        admin,
        {
            "worker_id": worker.id,
            "position": position,
            "spk_number": spk,
            "start_date": start,
            "end_date": end,
            "budget_year": start.year,
            "budget_source": f"APBD Kota Tahun Anggaran {start.year}",
            **VALUE,
            "pa_kpa": PA_KPA,
            "ppk_id": ppk.id if ppk else None,
            "pptk_id": pptk.id if pptk else None,
            "work_location": LOCATION,
            "leave_quota": rules.ANNUAL_QUOTA,
        },
    )


class _Days:
    """Working days of the contract period not yet taken by a demo leave."""

    def __init__(self, session: Session, contract: Contract) -> None:
        holidays = holidays_between(session, contract.start_date, contract.end_date)
        self.free = list(iter_working_days(contract.start_date, contract.end_date, holidays))
        self.index = {day: n for n, day in enumerate(self.free)}

    def take(self, after: dt.date, count: int = 1) -> tuple[dt.date, dt.date] | None:
        """``count`` working days in a row, none taken yet, on or after ``after``."""
        for i, day in enumerate(self.free):
            run = self.free[i : i + count]
            if day < after or len(run) < count or self.index[run[-1]] - self.index[run[0]] != count - 1:
                continue
            del self.free[i : i + count]
            return run[0], run[-1]
        return None


def _leave(session, ctx, contract, days, after, count, kind, reason):
    picked = days.take(after, count) or days.take(contract.start_date, count)
    if picked is None:
        return None
    start, end = picked
    asked_on = ctx.today if start >= ctx.today else contract.start_date
    return services.request_leave(session, contract.worker, contract, kind, start, end, reason, asked_on)


def _past_months(contract: Contract, today: dt.date) -> list[tuple[int, int]]:
    return [
        ym for ym in rules.contract_months(contract.start_date, contract.end_date) if ym < (today.year, today.month)
    ]


def _assess(session, ppk, contract, months, today, bad: set[tuple[int, int]]) -> None:
    for year, month in months:
        poor = (year, month) in bad
        services.assess_month(
            session,
            ppk,
            contract,
            year,
            month,
            {"discipline": not poor, "responsibility": True, "compliance": True},
            {
                "discipline": "Terlambat hadir empat kali tanpa keterangan." if poor else "Hadir tepat waktu.",
                "responsibility": "Pekerjaan bulan ini selesai sesuai rencana.",
                "compliance": "",
            },
            today,
        )


@demo_step(60, "kontrak")
def demo_contracts(session: Session, ctx: DemoContext) -> None:
    today, year = ctx.today, ctx.today.year
    admin, ppk, pptk, worker = ctx.users["admin"], ctx.users["ppk"], ctx.users["pptk"], ctx.users["kontrak"]
    ppk2 = _user(session, ctx, "ppk2", "Ir. Hendra Gunawan, M.T.", Role.PPK, "6171011203780002")
    sinta = _user(session, ctx, "kontrak2", "Sinta Maharani, S.Kom.", Role.KONTRAK, "6171014407970003")
    rizky = _user(session, ctx, "kontrak3", "Rizky Pratama, S.T.", Role.KONTRAK, "6171011509960004")
    dewi = _user(session, ctx, "kontrak4", "Dewi Anggraini, S.Kom.", Role.KONTRAK, "6171015210980005")
    bima = _user(session, ctx, "kontrak5", "Bima Saputra, S.Kom.", Role.KONTRAK, "6171010301950006")

    # The KAK's contract: August to December, Rp 15.250.000 (000 §5, §9).
    main = _contract(
        session, admin, worker, ppk, pptk, dt.date(year, 8, 1), dt.date(year, 12, 31), f"027/SPK/DISKOMINFO/{year}"
    )
    days = _Days(session, main)
    approved = _leave(session, ctx, main, days, main.start_date + dt.timedelta(days=14), 2, "annual", "Acara keluarga.")
    sick = _leave(
        session, ctx, main, days, main.start_date + dt.timedelta(days=40), 1, "specific_reason", "Sakit, surat dokter."
    )
    rejected = _leave(session, ctx, main, days, main.start_date + dt.timedelta(days=70), 1, "annual", "Urusan pribadi.")
    cancelled = _leave(session, ctx, main, days, max(today + dt.timedelta(days=3), main.start_date), 1, "annual", "")
    pending = _leave(
        session, ctx, main, days, max(today + dt.timedelta(days=10), main.start_date), 2, "annual", "Mudik akhir tahun."
    )
    for leave in (approved, sick):
        if leave is not None:
            services.decide_leave(session, ppk, leave, True)
    if rejected is not None:
        services.decide_leave(
            session, ppk, rejected, False, "Bertepatan dengan peluncuran aplikasi; ajukan tanggal lain."
        )
    if cancelled is not None:
        services.cancel_leave(session, worker, cancelled, min(today, cancelled.start_date - dt.timedelta(days=1)))
    del pending  # waits for the PPK: the card "Cuti menunggu keputusan"

    past = _past_months(main, today)
    assessed = past[:-1] if len(past) > 1 else past  # the latest past month is left due for the PPK's card
    _assess(session, ppk, main, assessed, today, bad={assessed[1]} if len(assessed) > 1 else set())
    report_month = past[-1] if past else rules.contract_months(main.start_date, main.end_date)[0]
    report = services.get_or_create_activity_report(session, worker, main, *report_month)
    duties = {d.code: d for d in main.duties}
    for code, activity in (
        ("a", "Memperbarui halaman layanan publik di situs resmi Pemerintah Kota."),
        ("e", "Merapikan repository aplikasi dan menambahkan dokumentasi instalasi."),
        ("m", "Menyusun laporan pelaksanaan tugas bulanan Admin Pontive Center."),
    ):
        services.add_activity(session, worker, report, duties[code].id, activity, _DemoFile(f"bukti-{code}.pdf"))
    services.submit_activity_report(session, worker, report, "Kegiatan bulan ini sesuai uraian tugas a, e, dan m.")

    # A contract ending within 30 days: the PPK's and the PPTK's cards.
    ending = _contract(
        session,
        admin,
        sinta,
        ppk,
        pptk,
        dt.date(year, 1, 1),
        max(today + dt.timedelta(days=20), dt.date(year, 1, 31)),
        f"028/SPK/DISKOMINFO/{year}",
        "Petugas Jaringan dan Server Pontive Center",
    )
    ending_past = _past_months(ending, today)
    _assess(session, ppk, ending, ending_past, today, bad={ending_past[2]} if len(ending_past) > 3 else set())
    sinta_days = _Days(session, ending)
    sinta_leave = _leave(session, ctx, ending, sinta_days, today, 1, "annual", "Wisuda adik.")
    if sinta_leave is not None:
        services.decide_leave(session, ppk, sinta_leave, True)

    # A contract with nothing assessed yet, and leave on the team calendar this month.
    fresh = _contract(
        session, admin, rizky, ppk, pptk, dt.date(year, 8, 1), dt.date(year, 12, 31), f"029/SPK/DISKOMINFO/{year}"
    )
    rizky_days = _Days(session, fresh)
    rizky_leave = _leave(session, ctx, fresh, rizky_days, today.replace(day=1), 1, "specific_reason", "Izin sakit.")
    if rizky_leave is not None:
        services.decide_leave(session, ppk, rizky_leave, True)
    _leave(session, ctx, fresh, rizky_days, today + dt.timedelta(days=5), 1, "annual", "Keperluan keluarga.")

    # Another PPK's contract: the demo PPK neither sees its requests nor decides them.
    other = _contract(
        session, admin, dewi, ppk2, pptk, dt.date(year, 8, 1), dt.date(year, 12, 31), f"030/SPK/DISKOMINFO/{year}"
    )
    _leave(session, ctx, other, _Days(session, other), today + dt.timedelta(days=7), 1, "annual", "Menikah.")

    # Last year's contract, assessed and evaluated: the panel sees it when Bima applies again (000 §11).
    previous = _contract(
        session,
        admin,
        bima,
        ppk,
        pptk,
        dt.date(year - 1, 8, 1),
        dt.date(year - 1, 12, 31),
        f"027/SPK/DISKOMINFO/{year - 1}",
    )
    previous_months = rules.contract_months(previous.start_date, previous.end_date)
    _assess(session, ppk, previous, previous_months, today, bad={previous_months[1]})
    services.evaluate_contract(
        session,
        pptk,
        previous,
        "Empat dari lima bulan dinilai baik; disiplin kehadiran membaik setelah bulan September.",
        rules.suggested_recommendation(["baik", "buruk", "baik", "baik", "baik"]),
    )
    previous.status = ContractStatus.ENDED
    session.commit()

    if ctx.scale:
        _bulk_contracts(session, ctx, [ppk, ppk2], pptk)


def _bulk_contracts(session: Session, ctx: DemoContext, ppks: list[User], pptk: User) -> None:
    """2,000 × scale workers with a contract each, and 25 one-day leave requests per contract.

    Core inserts into the tables (``insert(Model.__table__)``): the rows carry every value, and the
    ORM's per-row bookkeeping would make this step several times slower."""
    rng = random.Random(7_000)
    today, year = ctx.today, ctx.today.year
    stamp = dt.datetime(year, 1, 1, 8, 0)
    count = WORKERS_PER_SCALE * ctx.scale
    per_contract = LEAVES_PER_SCALE // WORKERS_PER_SCALE
    last_user = session.scalar(select(User.id).order_by(User.id.desc())) or 0
    bulk_insert(
        session,
        User.__table__,
        [
            {
                "username": f"tenaga{i:06d}",
                "full_name": f"Tenaga Kontrak {i:06d}",
                "nik": f"6171{i:012d}",
                "employment_status": "non_asn",
                "password_hash": ctx.password_hash,
                "active": True,
                "session_version": 1,
                "phone": "",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i in range(count)
        ],
    )
    worker_ids = list(session.scalars(select(User.id).where(User.id > last_user).order_by(User.id)))
    bulk_insert(
        session, RoleGrant.__table__, [{"user_id": uid, "role": "kontrak", "granted_at": stamp} for uid in worker_ids]
    )

    periods = [(dt.date(year, 1, 1), dt.date(year, 12, 31)), (dt.date(year, 8, 1), dt.date(year, 12, 31))]
    holidays = holidays_between(session, dt.date(year, 1, 1), dt.date(year, 12, 31))
    working = {p: list(iter_working_days(p[0], p[1], holidays)) for p in periods}
    plans = []  # per worker: period, ppk, and the leave rows without their contract id
    for n, uid in enumerate(worker_ids):
        period = periods[n % 2]
        ppk = ppks[0] if n % 4 else ppks[1]
        used = pending = 0
        leaves = []
        for day in sorted(rng.sample(working[period], per_contract)):
            if day < today:
                status = rng.choices(("approved", "rejected", "cancelled"), (5, 3, 2))[0]
            else:
                status = rng.choices(("pending", "approved", "cancelled"), (4, 3, 3))[0]
            if status in ("approved", "pending") and used + pending + 1 > rules.ANNUAL_QUOTA:
                status = "rejected"
            if status == "approved":
                used += 1
            elif status == "pending":
                pending += 1
            decided = status in ("approved", "rejected")
            leaves.append(
                {
                    "worker_id": uid,
                    "kind": "specific_reason" if rng.random() < 0.2 else "annual",
                    "reason": "",
                    "start_date": day,
                    "end_date": day,
                    "working_days": 1,
                    "deducted_days": 1,
                    "status": status,
                    "decided_by_id": ppk.id if decided else None,
                    "decided_at": stamp if decided else None,
                    "decision_reason": "Kuota atau jadwal tidak memungkinkan." if status == "rejected" else "",
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        plans.append((uid, period, ppk, used, pending, leaves))

    last_contract = session.scalar(select(Contract.id).order_by(Contract.id.desc())) or 0
    bulk_insert(
        session,
        Contract.__table__,
        [
            {
                "worker_id": uid,
                "position": POSITION,
                "spk_number": f"800/SPK-{n + 1:06d}/DISKOMINFO/{year}",
                "start_date": period[0],
                "end_date": period[1],
                "budget_year": year,
                "budget_source": f"APBD Kota Tahun Anggaran {year}",
                **VALUE,
                "pa_kpa": PA_KPA,
                "ppk_id": ppk.id,
                "pptk_id": pptk.id,
                "work_location": LOCATION,
                "status": "active",
                "leave_quota": rules.ANNUAL_QUOTA,
                "leave_used": used,
                "leave_pending": pending,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for n, (uid, period, ppk, used, pending, _leaves) in enumerate(plans)
        ],
    )
    contract_of = {
        worker_id: contract_id
        for worker_id, contract_id in session.execute(
            select(Contract.worker_id, Contract.id).where(Contract.id > last_contract)
        )
    }
    bulk_insert(
        session,
        ContractDuty.__table__,
        [
            {"contract_id": cid, "code": code, "text": text, "position": p}
            for cid in contract_of.values()
            for p, (code, text) in enumerate(rules.DUTY_TEMPLATE)
        ],
    )
    rows = [dict(leave, contract_id=contract_of[uid]) for uid, *_rest, leaves in plans for leave in leaves]
    bulk_insert(session, LeaveRequest.__table__, rows, batch=10_000)
