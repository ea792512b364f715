"""Contracts, leave and assessments through their services (seed 000 §5–§11)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from pontive.contracts import services
from pontive.contracts.models import Contract, LeaveRequest, LeaveStatus
from pontive.core.models import Holiday
from pontive.extensions import db as _db
from tests import factories
from tests.contract_factories import make_contract

TODAY = dt.date(2026, 11, 23)
ContractError = services.ContractError


def test_a_contract_gets_the_15_duties_and_its_value_must_add_up(db):
    contract = make_contract()
    assert [d.code for d in contract.duties] == list("abcdefghijklmno")
    with pytest.raises(ContractError, match="jumlah upah"):
        make_contract(total_value=15_000_000)


def test_leave_counts_working_days_and_excludes_holidays(db):
    db.add(Holiday(date=dt.date(2026, 12, 24), kind="cuti_bersama", name="Cuti Bersama Natal"))
    db.add(Holiday(date=dt.date(2026, 12, 25), kind="libur_nasional", name="Natal"))
    db.commit()
    contract = make_contract()
    leave = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 21), dt.date(2026, 12, 27), "Libur", TODAY
    )
    assert leave.working_days == 3  # Mon–Wed; Thu and Fri are holidays, then the weekend
    assert db.get(Contract, contract.id).leave_pending == 3


def test_approval_moves_days_from_pending_to_used_and_rejection_releases_them(db):
    contract = make_contract()
    ppk = contract.ppk
    first = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 2), "", TODAY
    )
    second = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 7), dt.date(2026, 12, 7), "", TODAY
    )
    services.decide_leave(db, ppk, first, True)
    with pytest.raises(ContractError, match="alasan penolakan"):
        services.decide_leave(db, ppk, second, False, "")
    services.decide_leave(db, ppk, second, False, "Ada tenggat proyek.")
    db.refresh(contract)
    assert (contract.leave_used, contract.leave_pending) == (2, 0)


def test_nobody_approves_their_own_leave_and_a_decision_is_final(db):
    worker = factories.make_user(roles=["kontrak", "ppk"])
    contract = make_contract(worker=worker, ppk=worker)
    leave = services.request_leave(
        db, worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 1), "", TODAY
    )
    with pytest.raises(ContractError, match="Anda sendiri"):
        services.decide_leave(db, worker, leave, True)


def test_cancel_before_it_starts_returns_the_days(db):
    contract = make_contract()
    leave = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 3), "", TODAY
    )
    services.decide_leave(db, contract.ppk, leave, True)
    services.cancel_leave(db, contract.worker, leave, TODAY)
    db.refresh(contract)
    assert contract.leave_used == 0 and leave.status == LeaveStatus.CANCELLED
    with pytest.raises(ContractError, match="sudah dimulai"):
        late = services.request_leave(
            db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 1), "", TODAY
        )
        services.cancel_leave(db, contract.worker, late, dt.date(2026, 12, 1))


def test_the_same_form_posted_twice_makes_one_request(db):
    contract = make_contract()
    a = services.request_leave(
        db,
        contract.worker,
        contract,
        "annual",
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 1),
        "",
        TODAY,
        client_token="abc",
    )
    b = services.request_leave(
        db,
        contract.worker,
        contract,
        "annual",
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 1),
        "",
        TODAY,
        client_token="abc",
    )
    assert a.id == b.id and db.scalar(select(func.count(LeaveRequest.id))) == 1


def _run_threads(app, count, work):
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
                results[i] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_twenty_racing_requests_never_exceed_a_ten_day_quota(app, db):
    """Issue 6 §3: the balance never goes below zero, even when requests race (20 threads, 10 days)."""
    contract = make_contract(quota=10)
    contract_id, worker_id = contract.id, contract.worker_id
    days = [
        dt.date(2026, 11, 30) + dt.timedelta(days=n)
        for n in range(40)
        if (dt.date(2026, 11, 30) + dt.timedelta(days=n)).weekday() < 5
    ][:20]

    def work(i):
        from pontive.accounts.models import User

        worker = _db.session.get(User, worker_id)
        fresh = _db.session.get(Contract, contract_id)
        return services.request_leave(_db.session, worker, fresh, "annual", days[i], days[i], "", TODAY)

    results = _run_threads(app, 20, work)
    accepted = [r for r in results if isinstance(r, LeaveRequest)]
    refused = [r for r in results if isinstance(r, ContractError)]
    assert len(accepted) == 10 and len(refused) == 10, results
    db.expire_all()
    assert db.get(Contract, contract_id).leave_pending == 10


def test_two_approvers_on_the_same_leave_exactly_one_succeeds(app, db):
    contract = make_contract()
    leave = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 2), "", TODAY
    )
    second_ppk = factories.make_user(roles=["ppk"])
    ppk_ids, leave_id = [contract.ppk_id, second_ppk.id], leave.id
    db.execute(Contract.__table__.update().values(ppk_id=None))  # either PPK may decide
    db.commit()

    def work(i):
        from pontive.accounts.models import User

        return services.decide_leave(
            _db.session, _db.session.get(User, ppk_ids[i]), _db.session.get(LeaveRequest, leave_id), True
        )

    results = _run_threads(app, 2, work)
    assert sum(isinstance(r, LeaveRequest) for r in results) == 1
    assert sum(isinstance(r, services.LeaveConflict) for r in results) == 1
    db.expire_all()
    assert db.get(Contract, contract.id).leave_used == 2


def test_monthly_assessment_once_per_month_and_baik_only_when_all_good(db):
    contract = make_contract()
    row = services.assess_month(
        db,
        contract.ppk,
        contract,
        2026,
        10,
        {"discipline": True, "responsibility": True, "compliance": False},
        {"compliance": "Terlambat menyerahkan laporan."},
        TODAY,
    )
    assert row.result == "buruk"
    with pytest.raises(ContractError, match="sudah dinilai"):
        services.assess_month(
            db,
            contract.ppk,
            contract,
            2026,
            10,
            {"discipline": True, "responsibility": True, "compliance": True},
            {},
            TODAY,
        )
    with pytest.raises(ContractError, match="belum berjalan"):
        services.assess_month(
            db,
            contract.ppk,
            contract,
            2026,
            12,
            {"discipline": True, "responsibility": True, "compliance": True},
            {},
            TODAY,
        )


def test_end_of_contract_evaluation_counts_the_months_and_is_shown_later(db):
    contract = make_contract()
    pptk = factories.make_user(roles=["pptk"])
    good = {"discipline": True, "responsibility": True, "compliance": True}
    for month in (8, 9, 10):
        services.assess_month(db, contract.ppk, contract, 2026, month, good, {}, TODAY)
    evaluation = services.evaluate_contract(db, pptk, contract, "Kinerja konsisten baik.", "extend")
    assert (evaluation.good_months, evaluation.bad_months) == (3, 0)
    assert services.latest_evaluation_for(db, contract.worker_id).id == evaluation.id
    with pytest.raises(ContractError, match="sudah dievaluasi"):
        services.evaluate_contract(db, pptk, contract, "Lagi", "extend")
