"""Contract use cases: contracts and duties, leave with a balance the database keeps from going
below zero, monthly assessments, end-of-contract evaluations and monthly activity reports."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, lazyload

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.contracts import rules
from pontive.contracts.models import (
    ActivityEntry,
    ActivityReport,
    Contract,
    ContractDuty,
    ContractEvaluation,
    ContractStatus,
    LeaveRequest,
    LeaveStatus,
    MonthlyAssessment,
)
from pontive.core.audit import audit, snapshot
from pontive.core.models import utcnow
from pontive.core.services import holidays_between
from pontive.core.uploads import UploadError, save_upload
from pontive.core.workdays import count_working_days
from pontive.performance import rules as report_rules

ACTIVITY_PURPOSE = "activity_evidence"


class ContractError(ValueError):
    """A request the contract rules refuse; the message is shown as is."""


class LeaveConflict(ContractError):
    """Someone else decided first, or the balance changed underneath: nothing was changed."""


# --- contracts and duties ----------------------------------------------------------------------------

CONTRACT_FIELDS = [
    "worker_id",
    "position",
    "spk_number",
    "start_date",
    "end_date",
    "budget_year",
    "budget_source",
    "total_value",
    "wage",
    "bpjs_health",
    "bpjs_employment",
    "pa_kpa",
    "ppk_id",
    "pptk_id",
    "work_location",
    "leave_quota",
]


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").replace("Rp", "").strip() or "0")
    except InvalidOperation as exc:
        raise ContractError(f"{label} harus berupa angka rupiah.") from exc
    if amount < 0:
        raise ContractError(f"{label} tidak boleh negatif.")
    return amount


def save_contract(session: Session, actor: User, data: Mapping[str, Any], contract: Contract | None = None) -> Contract:
    values = dict(data)
    for key, label in (
        ("total_value", "Nilai kontrak"),
        ("wage", "Upah"),
        ("bpjs_health", "BPJS Kesehatan"),
        ("bpjs_employment", "BPJS Ketenagakerjaan"),
    ):
        values[key] = _money(values.get(key, 0), label)
    if values["end_date"] < values["start_date"]:
        raise ContractError("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
    if not rules.components_match(
        values["total_value"], values["wage"], values["bpjs_health"], values["bpjs_employment"]
    ):
        raise ContractError("Nilai kontrak harus sama dengan jumlah upah, BPJS Kesehatan dan BPJS Ketenagakerjaan.")
    worker = session.get(User, values["worker_id"])
    if worker is None or not worker.has_role(Role.KONTRAK):
        raise ContractError("Pilih tenaga kontrak yang memiliki peran Tenaga Kontrak.")
    if not (values.get("spk_number") or "").strip():
        raise ContractError("Nomor SPK wajib diisi.")
    clash = select(Contract.id).where(Contract.spk_number == values["spk_number"].strip())
    if contract is not None:
        clash = clash.where(Contract.id != contract.id)
    if session.scalar(clash):
        raise ContractError(f"Nomor SPK {values['spk_number']} sudah dipakai.")
    values["spk_number"] = values["spk_number"].strip()
    values.setdefault("leave_quota", rules.ANNUAL_QUOTA)
    before = snapshot(contract, CONTRACT_FIELDS) if contract else None
    if contract is None:
        contract = Contract(**{k: values[k] for k in CONTRACT_FIELDS if k in values})
        contract.duties = [
            ContractDuty(code=code, text=text, position=n) for n, (code, text) in enumerate(rules.DUTY_TEMPLATE)
        ]
        session.add(contract)
    else:
        if contract.leave_used + contract.leave_pending > int(values["leave_quota"]):
            raise ContractError("Kuota cuti tidak boleh lebih kecil dari cuti yang sudah dipakai dan diajukan.")
        for key in CONTRACT_FIELDS:
            if key in values:
                setattr(contract, key, values[key])
    session.flush()
    audit(
        session,
        actor,
        "contract_update" if before else "contract_create",
        contract,
        before=before,
        after=snapshot(contract, CONTRACT_FIELDS),
    )
    session.commit()
    return contract


def save_duties(session: Session, actor: User, contract: Contract, duties: Iterable[tuple[str, str]]) -> Contract:
    """Edit the contract's copy of the duty checklist (the template stays as it is)."""
    rows = [(code.strip()[:5], text.strip()) for code, text in duties if text.strip()]
    if not rows:
        raise ContractError("Kontrak memerlukan minimal satu uraian tugas.")
    before = [(d.code, d.text) for d in contract.duties]
    used = {
        e.duty_id
        for e in session.scalars(
            select(ActivityEntry).join(ActivityReport).where(ActivityReport.contract_id == contract.id)
        )
    }
    keep = {d.id: d for d in contract.duties if d.id in used}
    contract.duties = list(keep.values())
    for n, (code, text) in enumerate(rows):
        existing = next((d for d in keep.values() if d.code == code), None)
        if existing:
            existing.text, existing.position = text, n
        else:
            contract.duties.append(ContractDuty(code=code, text=text, position=n))
    session.flush()
    audit(session, actor, "contract_duties", contract, before={"duties": before}, after={"duties": rows})
    session.commit()
    return contract


def _starts_with(session: Session, expression, prefix: str):
    """``expression`` begins with ``prefix``. On SQLite also as a range of the index on it (binary
    order: every such text lies in [prefix, prefix + U+10FFFF)), which LIKE cannot seek; on other
    databases LIKE alone, whose prefix match their planner can seek where the index allows it."""
    like = expression.startswith(prefix, autoescape=True)
    if session.get_bind().dialect.name != "sqlite":
        return like
    return and_(expression >= prefix, expression < prefix + "\U0010ffff", like)


def contract_search(session: Session, text: str, *, anywhere: bool = False):
    """What the contract list's search box matches (``text`` already stripped):

    - by default, a worker's name (any case) or an SPK number (as typed or in capitals) that begins
      with the text, from the index on lower(full_name) and the unique index on spk_number: the list
      costs what it shows, not what the table holds (issue 8 §2);
    - ``anywhere``: the text anywhere in the name, the SPK number or the position, reading every
      contract — what the list does when nothing begins with the text, or when the user asks."""
    lowered = text.lower()
    if anywhere:
        like = f"%{lowered}%"
        return or_(
            func.lower(User.full_name).like(like),
            func.lower(Contract.spk_number).like(like),
            func.lower(Contract.position).like(like),
        )
    names = select(User.id).where(_starts_with(session, func.lower(User.full_name), lowered))
    numbers = [_starts_with(session, Contract.spk_number, value) for value in dict.fromkeys((text, text.upper()))]
    return or_(Contract.worker_id.in_(names), *numbers)


# --- leave (000 §7d) ---------------------------------------------------------------------------------


def balance(contract: Contract) -> rules.Balance:
    return rules.Balance(contract.leave_quota, contract.leave_used, contract.leave_pending)


def working_days(session: Session, start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    return count_working_days(start, end, holidays_between(session, start, end))


def specific_reason_taken(session: Session, contract_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(LeaveRequest.working_days), 0)).where(
                LeaveRequest.contract_id == contract_id,
                LeaveRequest.kind == "specific_reason",
                LeaveRequest.status.in_([LeaveStatus.PENDING, LeaveStatus.APPROVED]),
            )
        )
        or 0
    )


def preview_leave(
    session: Session, contract: Contract, kind: str, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, Any]:
    """What the worker sees before sending: the working-day count, the balance, and any problem."""
    days = working_days(session, start, end)
    problem = None
    try:
        _check(session, contract, kind, start, end, days, today)
    except rules.LeaveError as exc:
        problem = str(exc)
    bal = balance(contract)
    deducted = rules.deducted_days(kind, days)
    return {
        "working_days": days,
        "deducted": deducted,
        "available": bal.available,
        "after": bal.available - deducted,
        "problem": problem,
    }


def _check(
    session: Session, contract: Contract, kind: str, start: dt.date, end: dt.date, days: int, today: dt.date
) -> None:
    others = session.execute(
        select(LeaveRequest.start_date, LeaveRequest.end_date).where(
            LeaveRequest.contract_id == contract.id,
            LeaveRequest.status.in_([LeaveStatus.PENDING, LeaveStatus.APPROVED]),
        )
    ).all()
    rules.check_request(
        kind,
        start,
        end,
        days,
        balance=balance(contract),
        specific_reason_taken=specific_reason_taken(session, contract.id),
        contract_start=contract.start_date,
        contract_end=contract.end_date,
        overlaps=rules.overlaps(start, end, [tuple(r) for r in others]),
        today=today,
    )


def request_leave(
    session: Session,
    worker: User,
    contract: Contract,
    kind: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    today: dt.date,
    client_token: str | None = None,
) -> LeaveRequest:
    if contract.worker_id != worker.id:
        raise ContractError("Kontrak ini bukan milik Anda.")
    if contract.status != ContractStatus.ACTIVE:
        raise ContractError("Kontrak ini tidak aktif.")
    if client_token:
        existing = session.scalar(select(LeaveRequest).where(LeaveRequest.client_token == client_token))
        if existing is not None:
            return existing  # the same form sent twice: one request
    days = working_days(session, start, end)
    try:
        _check(session, contract, kind, start, end, days, today)
    except rules.LeaveError as exc:
        raise ContractError(str(exc)) from exc
    deducted = rules.deducted_days(kind, days)
    if deducted:
        # Reserve the days with a conditional update: two requests racing can never both fit.
        reserved = session.execute(
            update(Contract)
            .where(
                Contract.id == contract.id,
                Contract.leave_used + Contract.leave_pending + deducted <= Contract.leave_quota,
            )
            .values(leave_pending=Contract.leave_pending + deducted)
        ).rowcount
        if reserved != 1:
            session.rollback()
            raise LeaveConflict("Sisa cuti tidak lagi mencukupi: permohonan lain baru saja diajukan atau disetujui.")
    leave = LeaveRequest(
        contract_id=contract.id,
        worker_id=worker.id,
        kind=kind,
        reason=reason.strip(),
        start_date=start,
        end_date=end,
        working_days=days,
        deducted_days=deducted,
        client_token=client_token,
    )
    session.add(leave)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(select(LeaveRequest).where(LeaveRequest.client_token == client_token))
        if existing is None:
            raise
        return existing
    audit(
        session, worker, "leave_request", leave, after={"kind": kind, "start": start, "end": end, "working_days": days}
    )
    session.commit()
    session.refresh(contract)
    return leave


def _may_decide(ppk: User, leave: LeaveRequest) -> None:
    if ppk.id == leave.worker_id:
        raise ContractError("Anda tidak dapat memutuskan permohonan cuti Anda sendiri.")
    if not ppk.has_role(Role.PPK):
        raise ContractError("Permohonan cuti diputuskan oleh PPK.")
    if leave.contract.ppk_id is not None and leave.contract.ppk_id != ppk.id:
        raise ContractError("Anda bukan PPK kontrak ini.")


def decide_leave(session: Session, ppk: User, leave: LeaveRequest, approve: bool, reason: str = "") -> LeaveRequest:
    """Approve or reject; exactly one of two racing deciders succeeds, the other gets a conflict."""
    _may_decide(ppk, leave)
    if not approve and not reason.strip():
        raise ContractError("Tuliskan alasan penolakan.")
    target = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
    changed = session.execute(
        update(LeaveRequest)
        .where(LeaveRequest.id == leave.id, LeaveRequest.status == LeaveStatus.PENDING)
        .values(status=target, decided_by_id=ppk.id, decided_at=utcnow(), decision_reason=reason.strip())
    ).rowcount
    if changed != 1:
        session.rollback()
        raise LeaveConflict("Permohonan ini sudah diputuskan atau dibatalkan; muat ulang halaman.")
    if leave.deducted_days:
        moved = session.execute(
            update(Contract)
            .where(Contract.id == leave.contract_id, Contract.leave_pending >= leave.deducted_days)
            .values(
                leave_pending=Contract.leave_pending - leave.deducted_days,
                leave_used=Contract.leave_used + (leave.deducted_days if approve else 0),
            )
        ).rowcount
        if moved != 1:
            session.rollback()
            raise LeaveConflict("Saldo cuti berubah; muat ulang halaman.")
    audit(
        session,
        ppk,
        "leave_approve" if approve else "leave_reject",
        leave,
        before={"status": "pending"},
        after={"status": target.value, "reason": reason.strip()},
    )
    session.commit()
    session.refresh(leave)
    return leave


def cancel_leave(session: Session, worker: User, leave: LeaveRequest, today: dt.date) -> LeaveRequest:
    """The worker cancels a request before it starts; its days return to the balance."""
    if leave.worker_id != worker.id:
        raise ContractError("Permohonan ini bukan milik Anda.")
    if leave.start_date <= today:
        raise ContractError("Cuti yang sudah dimulai tidak dapat dibatalkan.")
    previous = leave.status
    if previous not in (LeaveStatus.PENDING, LeaveStatus.APPROVED):
        raise ContractError("Permohonan ini tidak dapat dibatalkan.")
    changed = session.execute(
        update(LeaveRequest)
        .where(LeaveRequest.id == leave.id, LeaveRequest.status == previous)
        .values(status=LeaveStatus.CANCELLED)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise LeaveConflict("Permohonan ini baru saja diputuskan; muat ulang halaman.")
    if leave.deducted_days:
        column = Contract.leave_pending if previous == LeaveStatus.PENDING else Contract.leave_used
        session.execute(
            update(Contract)
            .where(Contract.id == leave.contract_id, column >= leave.deducted_days)
            .values({column.key: column - leave.deducted_days})
        )
    audit(session, worker, "leave_cancel", leave, before={"status": previous.value}, after={"status": "cancelled"})
    session.commit()
    session.refresh(leave)
    return leave


def _row_test(condition):
    """``condition`` checked row by row, never used to pick an index: without statistics SQLite
    prefers an index that narrows a date range and then sorts every row it finds, over the one that
    yields the rows already in the order asked for (and stops at the page)."""
    return case((condition, 1), else_=0) == 1


def _calendar_leave(start: dt.date, end: dt.date):
    """Pending and approved leave touching the period; the dates are tested row by row, so that the
    database reaches the leave through the contract (contract_id, status, start_date, end_date)."""
    return and_(
        LeaveRequest.status.in_([LeaveStatus.PENDING, LeaveStatus.APPROVED]),
        _row_test(and_(LeaveRequest.start_date <= end, LeaveRequest.end_date >= start)),
    )


def followed_contracts_clause(user: User):
    """The contracts whose leave, reports and calendar a user follows: all of them for an admin (None),
    else those where they are the PPK (with the PPK role) or the PPTK (with the PPTK role)."""
    if user.has_role(Role.ADMIN):
        return None
    clauses = []
    if user.has_role(Role.PPK):
        clauses.append(Contract.ppk_id == user.id)
    if user.has_role(Role.PPTK):
        clauses.append(Contract.pptk_id == user.id)
    return or_(*clauses) if clauses else Contract.id.is_(None)


def _calendar_contracts(start: dt.date, end: dt.date, follower: User | None, *columns):
    """Contracts with leave in the period (only those ``follower`` follows, if given)."""
    has_leave = select(LeaveRequest.id).where(LeaveRequest.contract_id == Contract.id, _calendar_leave(start, end))
    query = select(*(columns or (Contract.id,))).where(has_leave.exists())
    clause = followed_contracts_clause(follower) if follower is not None else None
    return query.where(clause) if clause is not None else query


def leave_calendar_page(
    session: Session, start: dt.date, end: dt.date, follower: User | None, page: int, per_page: int, count_ahead: int
) -> tuple[list[dict[str, Any]], int, int, bool]:
    """One page of the leave calendar of the period: its rows (contract id, SPK number, the worker's
    name, the pending and approved leave touching the period), with the page number shown, and the
    count of rows, which stops ``count_ahead`` rows past the page (then the flag says so).

    The contracts are read in SPK order from the (ppk_id | pptk_id, spk_number) index and stop at
    the page, then only their leave is read: three queries whatever the number of workers on leave
    (issue 8 §2)."""
    offset = (page - 1) * per_page
    cap = offset + max(count_ahead, per_page) + 1
    counted = (
        session.scalar(
            select(func.count()).select_from(_calendar_contracts(start, end, follower).limit(cap).subquery())
        )
        or 0
    )
    capped = counted >= cap
    total = min(counted, cap - 1)
    if offset >= total:  # past the end: show the last page
        offset = max(0, (total - 1) // per_page * per_page)
    rows = [
        {"contract_id": contract_id, "spk_number": spk, "name": name, "leaves": []}
        for contract_id, spk, name in session.execute(
            _calendar_contracts(start, end, follower, Contract.id, Contract.spk_number, User.full_name)
            .join(User, User.id == Contract.worker_id)
            .order_by(Contract.spk_number)
            .offset(offset)
            .limit(per_page)
        )
    ]
    if rows:
        by_contract = {row["contract_id"]: row for row in rows}
        for leave in session.execute(
            select(
                LeaveRequest.contract_id,
                LeaveRequest.start_date,
                LeaveRequest.end_date,
                LeaveRequest.kind,
                LeaveRequest.status,
            )
            .where(LeaveRequest.contract_id.in_(sorted(by_contract)), _calendar_leave(start, end))
            .order_by(LeaveRequest.start_date)
        ):
            by_contract[leave.contract_id]["leaves"].append(leave)
    return rows, offset // per_page + 1, total, capped


# --- monthly assessment and end-of-contract evaluation (000 §11) --------------------------------------


def assess_month(
    session: Session,
    ppk: User,
    contract: Contract,
    year: int,
    month: int,
    values: Mapping[str, bool],
    notes: Mapping[str, str],
    today: dt.date,
) -> MonthlyAssessment:
    if not ppk.has_role(Role.PPK) or (contract.ppk_id is not None and contract.ppk_id != ppk.id):
        raise ContractError("Penilaian bulanan dilakukan oleh PPK kontrak ini.")
    if ppk.id == contract.worker_id:
        raise ContractError("Anda tidak dapat menilai diri sendiri.")
    if (year, month) not in rules.contract_months(contract.start_date, contract.end_date):
        raise ContractError("Bulan ini di luar masa kontrak.")
    if (year, month) > (today.year, today.month):
        raise ContractError("Bulan yang belum berjalan tidak dapat dinilai.")
    for key, label in rules.ASSESSMENT_ELEMENTS:
        if key not in values:
            raise ContractError(f"Pilih baik atau buruk untuk {label}.")
    row = MonthlyAssessment(
        contract_id=contract.id,
        year=year,
        month=month,
        discipline=bool(values["discipline"]),
        discipline_note=(notes.get("discipline") or "").strip(),
        responsibility=bool(values["responsibility"]),
        responsibility_note=(notes.get("responsibility") or "").strip(),
        compliance=bool(values["compliance"]),
        compliance_note=(notes.get("compliance") or "").strip(),
        result=rules.month_result(values["discipline"], values["responsibility"], values["compliance"]),
        assessed_by_id=ppk.id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ContractError("Bulan ini sudah dinilai.") from exc
    audit(
        session,
        ppk,
        "assessment",
        row,
        after={"contract": contract.id, "year": year, "month": month, "result": row.result},
    )
    session.commit()
    return row


def _due_months(session: Session, ppk: User, today: dt.date):
    """(contract_id, year, month) of the past months of this PPK's active contracts without an
    assessment, as a subquery for the database to count and page; None when there are none."""
    mine = (Contract.ppk_id == ppk.id, Contract.status == ContractStatus.ACTIVE)
    earliest = session.scalar(select(func.min(Contract.start_date)).where(*mine))
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    if earliest is None or earliest > last_month_end:
        return None
    months = union_all(
        *(
            select(
                literal(year).label("year"),
                literal(month).label("month"),
                literal(dt.date(year, month, 1), Date).label("first"),
                literal(rules.add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1), Date).label("last"),
            )
            for year, month in rules.contract_months(earliest, last_month_end)
        )
    ).subquery("months")
    return (
        select(Contract.id.label("contract_id"), months.c.year, months.c.month)
        .join(months, and_(Contract.start_date <= months.c.last, Contract.end_date >= months.c.first))
        .outerjoin(
            MonthlyAssessment,
            and_(
                MonthlyAssessment.contract_id == Contract.id,
                MonthlyAssessment.year == months.c.year,
                MonthlyAssessment.month == months.c.month,
            ),
        )
        .where(*mine, MonthlyAssessment.id.is_(None))
        .subquery("due")
    )


def assessments_due_summary(session: Session, ppk: User, today: dt.date) -> tuple[int, int, tuple[int, int] | None]:
    """How many assessments are due, over how many contracts, and the oldest month: one query
    (after one for the earliest contract), whatever the number of contracts."""
    due = _due_months(session, ppk, today)
    if due is None:
        return 0, 0, None
    count, contracts, oldest = session.execute(
        select(func.count(), func.count(distinct(due.c.contract_id)), func.min(due.c.year * 100 + due.c.month))
    ).one()
    return count, contracts, (divmod(oldest, 100) if oldest else None)


def assessments_due_page(
    session: Session, ppk: User, today: dt.date, offset: int, limit: int
) -> list[tuple[Contract, int, int]]:
    """One page of the due assessments, the oldest month first, then by the worker's name."""
    due = _due_months(session, ppk, today)
    if due is None:
        return []
    rows = session.execute(
        select(due.c.contract_id, due.c.year, due.c.month)
        .join(Contract, Contract.id == due.c.contract_id)
        .join(User, User.id == Contract.worker_id)
        .order_by(due.c.year, due.c.month, func.lower(User.full_name), due.c.contract_id)
        .offset(offset)
        .limit(limit)
    ).all()
    contracts = {c.id: c for c in session.scalars(select(Contract).where(Contract.id.in_({r[0] for r in rows})))}
    return [(contracts[contract_id], year, month) for contract_id, year, month in rows]


def _earliest_active_start(session: Session, ppk: User) -> dt.date | None:
    """The first day of this PPK's earliest active contract: one step into the (ppk_id, status,
    start_date) index, not a MIN over every contract."""
    return session.scalar(
        select(Contract.start_date)
        .where(Contract.ppk_id == ppk.id, Contract.status == ContractStatus.ACTIVE)
        .order_by(Contract.start_date)
        .limit(1)
    )


def _due_in_month(n: int):
    """The PPK's active contracts running in month ``n`` of the list and not yet assessed for it;
    the PPK, the month and its first and last day are bound parameters (``ppk``, ``y<n>``, ``m<n>``,
    ``first<n>``, ``last<n>``)."""
    year, month = bindparam(f"y{n}", type_=Integer), bindparam(f"m{n}", type_=Integer)
    assessed = (
        select(MonthlyAssessment.id)
        .where(
            MonthlyAssessment.contract_id == Contract.id,
            MonthlyAssessment.year == year,
            MonthlyAssessment.month == month,
        )
        .exists()
    )
    return select(
        Contract.id.label("contract_id"),
        year.label("year"),
        month.label("month"),
        Contract.spk_number.label("spk_number"),
    ).where(
        Contract.ppk_id == bindparam("ppk", type_=Integer),
        Contract.status == ContractStatus.ACTIVE,
        _row_test(
            and_(
                Contract.start_date <= bindparam(f"last{n}", type_=Date),
                Contract.end_date >= bindparam(f"first{n}", type_=Date),
            )
        ),
        ~assessed,
    )


@functools.lru_cache(maxsize=64)
def _due_statements(months: int):
    """The count (stopping at ``cap`` rows) and the page (``upto`` rows of each month in SPK order,
    then ``skip``/``take``) of the due assessments over ``months`` months, built once per number of
    months: the statements only differ in their parameters from one request to the next."""
    count = select(func.count()).select_from(
        select(literal(1))
        .select_from(union_all(*(_due_in_month(n) for n in range(months))).subquery())
        .limit(bindparam("cap", type_=Integer))
        .subquery()
    )
    upto = bindparam("upto", type_=Integer)
    due = union_all(
        *(select(_due_in_month(n).order_by(Contract.spk_number).limit(upto).subquery()) for n in range(months))
    ).subquery("due")
    page = (
        select(due.c.contract_id, due.c.year, due.c.month)
        .order_by(due.c.year, due.c.month, due.c.spk_number)
        .offset(bindparam("skip", type_=Integer))
        .limit(bindparam("take", type_=Integer))
    )
    return count, page


def assessments_due_list(
    session: Session, ppk: User, today: dt.date, page: int, per_page: int, count_ahead: int
) -> tuple[list[tuple[Contract, int, int]], int, int, bool]:
    """One page of the due assessments, the oldest month first and, within a month, by SPK number;
    with the page number shown (a page past the end shows the last one) and the count, which stops
    ``count_ahead`` rows past the page (then the flag says so).

    Each month is read in SPK order from the (ppk_id, status, spk_number) index and stops after the
    rows up to this page, and the count stops too: the page costs the same however many contracts
    the PPK has (issue 8 §2). Four queries, or one when nothing is due."""
    earliest = _earliest_active_start(session, ppk)
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    if earliest is None or earliest > last_month_end:
        return [], 1, 0, False
    months = rules.contract_months(earliest, last_month_end)
    params: dict[str, Any] = {"ppk": ppk.id}
    for n, (year, month) in enumerate(months):
        first = dt.date(year, month, 1)
        params.update(
            {
                f"y{n}": year,
                f"m{n}": month,
                f"first{n}": first,
                f"last{n}": rules.add_months(first, 1) - dt.timedelta(1),
            }
        )
    count_statement, page_statement = _due_statements(len(months))
    offset = (page - 1) * per_page
    cap = offset + max(count_ahead, per_page) + 1
    counted = session.scalar(count_statement, {**params, "cap": cap}) or 0
    capped = counted >= cap
    total = min(counted, cap - 1)
    if offset >= total:  # past the end: show the last page
        offset = max(0, (total - 1) // per_page * per_page)
    rows = session.execute(
        page_statement, {**params, "upto": offset + per_page, "skip": offset, "take": per_page}
    ).all()
    page = offset // per_page + 1
    if not rows:
        return [], page, total, capped
    contracts = {
        c.id: c
        for c in session.scalars(
            select(Contract)
            .options(lazyload(Contract.duties), joinedload(Contract.worker).lazyload(User.grants))
            .where(Contract.id.in_({r[0] for r in rows}))
        )
    }
    return [(contracts[contract_id], year, month) for contract_id, year, month in rows], page, total, capped


def assessments_due(session: Session, ppk: User, today: dt.date) -> list[tuple[Contract, int, int]]:
    """Every past month of this PPK's active contracts that has no assessment yet."""
    count, _contracts, _oldest = assessments_due_summary(session, ppk, today)
    return assessments_due_page(session, ppk, today, 0, count) if count else []


def evaluate_contract(
    session: Session, pptk: User, contract: Contract, summary: str, recommendation: str
) -> ContractEvaluation:
    """The PPTK with the PPK evaluates the whole contract from its months (000 §11)."""
    if not pptk.has_role(Role.PPTK) or (contract.pptk_id is not None and contract.pptk_id != pptk.id):
        raise ContractError("Evaluasi akhir kontrak dilakukan oleh PPTK kontrak ini bersama PPK.")
    if recommendation not in rules.RECOMMENDATIONS:
        raise ContractError("Pilih rekomendasi.")
    if not summary.strip():
        raise ContractError("Tuliskan ringkasan evaluasi.")
    results = list(
        session.scalars(select(MonthlyAssessment.result).where(MonthlyAssessment.contract_id == contract.id))
    )
    if not results:
        raise ContractError("Belum ada penilaian bulanan untuk kontrak ini.")
    evaluation = ContractEvaluation(
        contract_id=contract.id,
        worker_id=contract.worker_id,
        good_months=results.count("baik"),
        bad_months=results.count("buruk"),
        summary=summary.strip(),
        recommendation=recommendation,
        pptk_id=pptk.id,
        ppk_id=contract.ppk_id,
    )
    session.add(evaluation)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ContractError("Kontrak ini sudah dievaluasi.") from exc
    audit(
        session,
        pptk,
        "contract_evaluation",
        evaluation,
        after={"good": evaluation.good_months, "bad": evaluation.bad_months, "recommendation": recommendation},
    )
    session.commit()
    return evaluation


def latest_evaluation_for(session: Session, worker_id: int) -> ContractEvaluation | None:
    """Shown to the selection panel when the worker applies again (000 §11)."""
    return session.scalar(
        select(ContractEvaluation)
        .where(ContractEvaluation.worker_id == worker_id)
        .order_by(ContractEvaluation.id.desc())
        .limit(1)
    )


# --- monthly activity report (000 §6A m) --------------------------------------------------------------


def get_or_create_activity_report(
    session: Session, worker: User, contract: Contract, year: int, month: int
) -> ActivityReport:
    if contract.worker_id != worker.id:
        raise ContractError("Kontrak ini bukan milik Anda.")
    if (year, month) not in rules.contract_months(contract.start_date, contract.end_date):
        raise ContractError("Bulan ini di luar masa kontrak.")
    report = session.scalar(
        select(ActivityReport).where(
            ActivityReport.contract_id == contract.id, ActivityReport.year == year, ActivityReport.month == month
        )
    )
    if report is None:
        report = ActivityReport(contract_id=contract.id, year=year, month=month)
        session.add(report)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            report = session.scalar(
                select(ActivityReport).where(
                    ActivityReport.contract_id == contract.id,
                    ActivityReport.year == year,
                    ActivityReport.month == month,
                )
            )
    return report


def add_activity(
    session: Session, worker: User, report: ActivityReport, duty_id: int, activity: str, upload: Any = None
) -> ActivityEntry:
    contract = session.get(Contract, report.contract_id)
    if contract.worker_id != worker.id:
        raise ContractError("Laporan ini bukan milik Anda.")
    if not report_rules.is_editable(report.status):
        raise ContractError("Laporan bulan ini sudah diajukan atau divalidasi.")
    if duty_id not in {d.id for d in contract.duties}:
        raise ContractError("Pilih salah satu uraian tugas kontrak.")
    if not activity.strip():
        raise ContractError("Tuliskan kegiatan yang dilakukan.")
    entry = ActivityEntry(duty_id=duty_id, activity=activity.strip())
    if upload is not None and getattr(upload, "filename", None):
        try:
            entry.file_id = save_upload(session, upload, purpose=ACTIVITY_PURPOSE, uploaded_by=worker).id
        except UploadError as exc:
            session.rollback()
            raise ContractError(str(exc)) from exc
    report.entries.append(entry)
    session.flush()
    audit(session, worker, "activity_add", report, after={"duty": duty_id, "file": entry.file_id})
    session.commit()
    return entry


def submit_activity_report(session: Session, worker: User, report: ActivityReport, summary: str) -> ActivityReport:
    contract = session.get(Contract, report.contract_id)
    if contract.worker_id != worker.id:
        raise ContractError("Laporan ini bukan milik Anda.")
    if not report.entries:
        raise ContractError("Tambahkan minimal satu kegiatan.")
    missing = report_rules.missing_evidence(
        [e.id for e in report.entries], {e.id: 1 for e in report.entries if e.file_id}
    )
    if missing:
        raise ContractError("Setiap kegiatan memerlukan bukti dukung (000 §6A huruf m).")
    try:
        report_rules.check_report_move(report.status, "submitted", "member")
    except report_rules.PerformanceError as exc:
        raise ContractError(str(exc)) from exc
    report.status, report.summary, report.submitted_at = "submitted", summary.strip(), utcnow()
    audit(session, worker, "activity_submit", report, after={"status": "submitted"})
    session.commit()
    return report


def review_activity_report(
    session: Session, ppk: User, report: ActivityReport, accept: bool, feedback: str
) -> ActivityReport:
    contract = session.get(Contract, report.contract_id)
    if not ppk.has_role(Role.PPK) or (contract.ppk_id is not None and contract.ppk_id != ppk.id):
        raise ContractError("Laporan kegiatan diperiksa oleh PPK kontrak ini.")
    if not feedback.strip():
        raise ContractError("Tuliskan umpan balik.")
    target = "validated" if accept else "returned"
    try:
        report_rules.check_report_move(report.status, target, "koordinator")
    except report_rules.PerformanceError as exc:
        raise ContractError(str(exc).replace("koordinator anggota ini", "PPK")) from exc
    report.status, report.feedback = target, feedback.strip()
    audit(session, ppk, f"activity_{target}", report, after={"status": target, "feedback": feedback.strip()})
    session.commit()
    return report


def contracts_ending(session: Session, today: dt.date, ppk: User | None = None) -> Select:  # noqa: ARG001
    """Active contracts ending within the notice period, the nearest end first (a select: callers page it)."""
    query = select(Contract).where(
        Contract.status == ContractStatus.ACTIVE,
        Contract.end_date >= today,
        Contract.end_date <= today + dt.timedelta(days=rules.ENDING_NOTICE_DAYS),
    )
    if ppk is not None:
        query = query.where(Contract.ppk_id == ppk.id)
    return query.order_by(Contract.end_date, Contract.id)


def current_contract(session: Session, worker_id: int, today: dt.date) -> Contract | None:
    return session.scalar(
        select(Contract)
        .options(joinedload(Contract.worker).lazyload(User.grants))  # the worker's grants are the session user's
        .where(
            Contract.worker_id == worker_id,
            Contract.status == ContractStatus.ACTIVE,
            and_(Contract.start_date <= today + dt.timedelta(days=60), Contract.end_date >= today),
        )
        .order_by(Contract.start_date)
    )


def remove_activity(session: Session, worker: User, entry: ActivityEntry) -> ActivityReport:
    """The worker takes an entry off a month still editable — say, to add it again with its evidence."""
    report = entry.report
    contract = session.get(Contract, report.contract_id)
    if contract.worker_id != worker.id:
        raise ContractError("Laporan ini bukan milik Anda.")
    if not report_rules.is_editable(report.status):
        raise ContractError("Laporan bulan ini sudah diajukan atau divalidasi.")
    audit(
        session,
        worker,
        "activity_remove",
        report,
        before={"duty": entry.duty_id, "activity": entry.activity, "file": entry.file_id},
    )
    report.entries.remove(entry)
    session.commit()
    return report


def evaluations_due(session: Session, pptk: User, today: dt.date) -> list[Contract]:
    """This PPTK's contracts that have ended or end within 30 days and have no end-of-contract
    evaluation yet (000 §11), soonest first; one query."""
    return list(
        session.scalars(
            select(Contract)
            .outerjoin(ContractEvaluation, ContractEvaluation.contract_id == Contract.id)
            .where(
                Contract.pptk_id == pptk.id,
                Contract.status != ContractStatus.TERMINATED,
                Contract.end_date <= today + dt.timedelta(days=rules.ENDING_NOTICE_DAYS),
                ContractEvaluation.id.is_(None),
            )
            .order_by(Contract.end_date, Contract.id)
        )
    )
