"""The PPK's, the PPTK's and the admin's contract pages (seed 000; DESIGN §4; issue 6), as each user
sees them: contracts with their pay and duties, leave decisions, the team's leave calendar, monthly
assessments, the end-of-contract evaluation, activity reports, and the dashboard cards."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import event, func, select

from pontive.contracts import services
from pontive.contracts import views as contract_views
from pontive.contracts.models import (
    ActivityReport,
    Contract,
    ContractEvaluation,
    LeaveStatus,
    MonthlyAssessment,
)
from pontive.core import pagination
from pontive.core.models import Holiday
from pontive.extensions import db as _db
from pontive.recruitment.demo import DEMO_PDF
from pontive.recruitment.models import RoundKind
from tests import factories
from tests.contract_factories import make_contract
from tests.recruitment_factories import make_application, make_round

TODAY = dt.date(2026, 11, 23)
HX = {"HX-Request": "true"}
ALL_GOOD = {"discipline": "baik", "responsibility": "baik", "compliance": "baik"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The pages read the city's clock through one function; the tests fix it to 23 November 2026."""
    monkeypatch.setattr(contract_views, "local_today", lambda: TODAY)


@pytest.fixture()
def ppk(login_as):
    return login_as("ppk", full_name="Yusuf Hidayat, S.Sos.")


def page(response) -> str:
    return response.get_data(as_text=True)


def sign_in_as(client, user) -> None:
    client.post("/keluar")
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302


def count_queries(client, url: str, **kwargs) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # noqa: ARG001
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url, **kwargs)
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def contract_form(worker, ppk, **changes) -> dict:
    data = {
        "worker_id": str(worker.id),
        "position": "Admin Pontive Center (Programmer Web dan Aplikasi)",
        "spk_number": "027/SPK/DISKOMINFO/2026",
        "start_date": "2026-08-01",
        "end_date": "2026-12-31",
        "budget_year": "2026",
        "budget_source": "APBD Kota",
        "total_value": "Rp 15.250.000",
        "wage": "14.000.000",
        "bpjs_health": "750.000",
        "bpjs_employment": "500.000",
        "pa_kpa": "Ir. H. Uray Indra Mulya, MM",
        "ppk_id": str(ppk.id),
        "pptk_id": "",
        "work_location": "Kantor Diskominfo",
        "leave_quota": "12",
    }
    data.update(changes)
    return data


def ask_leave(contract, start, end=None, kind="annual"):
    return services.request_leave(
        _db.session, contract.worker, contract, kind, start, end or start, "Keperluan keluarga", TODAY
    )


# --- contracts ---------------------------------------------------------------------------------------


def test_a_ppk_creates_a_contract_written_in_rupiah_and_it_gets_the_duties_a_to_o(client, ppk, db):
    """000 §5B–C: Rp 15.250.000 = 14.000.000 + 750.000 + 500.000; §6A: the duties a–o copied in."""
    worker = factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho")
    response = client.post("/kontrak/baru", data=contract_form(worker, ppk))
    assert response.status_code == 302
    contract = db.scalar(select(Contract))
    assert response.headers["Location"].endswith(f"/kontrak/{contract.id}")
    assert (contract.total_value, contract.wage, contract.leave_quota) == (15_250_000, 14_000_000, 12)

    body = page(client.get(f"/kontrak/{contract.id}"))
    assert "Rp 15.250.000" in body and "Rp 14.000.000" in body and "Rp 750.000" in body
    assert "1 Agustus 2026" in body and "31 Desember 2026" in body
    assert "<strong>a.</strong> Membantu membuat" in body and "<strong>o.</strong> Melakukan pengelolaan" in body


def test_the_new_contract_form_offers_only_contract_workers_ppks_and_pptks(client, ppk, db):
    """DESIGN "Users and roles": the worker has the kontrak role; the officials their own roles."""
    worker = factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho")
    member = factories.make_user(roles=["anggota"], full_name="Agus Anggota")
    pptk = factories.make_user(roles=["pptk"], full_name="Maya Sari")
    body = page(client.get("/kontrak/baru"))
    assert f'value="{worker.id}"' in body and "Agus Anggota" not in body
    assert "Maya Sari" in body
    assert f'<option selected value="{ppk.id}">' in body  # the PPK filling it in, preselected
    response = client.post("/kontrak/baru", data=contract_form(member, ppk, pptk_id=str(pptk.id)))
    assert response.status_code == 422 and "Pilih salah satu dari daftar." in page(response)
    assert member.id not in {c.worker_id for c in db.scalars(select(Contract))}


def test_components_that_do_not_add_up_are_refused_with_the_reason(client, ppk, db):
    """000 §5B: the value is the sum of wage, BPJS Kesehatan and BPJS Ketenagakerjaan."""
    worker = factories.make_user(roles=["kontrak"])
    response = client.post("/kontrak/baru", data=contract_form(worker, ppk, wage="13.000.000"))
    assert response.status_code == 422
    assert "Nilai kontrak harus sama dengan jumlah upah, BPJS Kesehatan dan BPJS Ketenagakerjaan." in page(response)
    assert 'value="13.000.000"' in page(response)  # what was typed stays
    assert db.scalar(select(func.count(Contract.id))) == 0


def test_an_amount_that_is_not_whole_rupiah_is_refused(client, ppk, db):
    worker = factories.make_user(roles=["kontrak"])
    response = client.post("/kontrak/baru", data=contract_form(worker, ppk, total_value="15,25 juta"))
    assert response.status_code == 422
    assert "Tulis jumlah dalam rupiah" in page(response)
    assert db.scalar(select(func.count(Contract.id))) == 0


def test_a_duplicate_spk_number_is_refused(client, ppk, db):
    existing = make_contract(spk_number="027/SPK/DISKOMINFO/2026")
    worker = factories.make_user(roles=["kontrak"])
    response = client.post("/kontrak/baru", data=contract_form(worker, ppk, spk_number="027/SPK/DISKOMINFO/2026"))
    assert response.status_code == 422
    assert "Nomor SPK 027/SPK/DISKOMINFO/2026 sudah dipakai." in page(response)
    assert db.scalar(select(func.count(Contract.id))) == 1 and existing.id


def test_editing_a_contract_shows_its_amounts_as_written_and_saves_changes(client, ppk, db):
    contract = make_contract(ppk=ppk)
    body = page(client.get(f"/kontrak/{contract.id}/ubah"))
    assert 'value="15.250.000"' in body and 'value="14.000.000"' in body
    data = contract_form(contract.worker, ppk, spk_number=contract.spk_number, work_location="Ruang Pontive Center")
    assert client.post(f"/kontrak/{contract.id}/ubah", data=data).status_code == 302
    db.refresh(contract)
    assert contract.work_location == "Ruang Pontive Center"


def test_the_duty_template_a_to_o_is_copied_and_can_be_edited_for_one_contract(client, ppk, db):
    """000 §6A: the checklist template a–o, editable per contract; other contracts keep the template."""
    contract = make_contract(ppk=ppk)
    other = make_contract()
    body = page(client.get(f"/kontrak/{contract.id}/tugas"))
    assert "a. Membantu membuat" in body and "o. Melakukan pengelolaan" in body

    lines = "a. Mengelola portal data kota\nb) Memantau CCTV Kota\nMenyusun laporan bulanan"
    response = client.post(f"/kontrak/{contract.id}/tugas", data={"lines": lines})
    assert response.status_code == 302
    db.refresh(contract)
    assert [(d.code, d.text) for d in contract.duties] == [
        ("a", "Mengelola portal data kota"),
        ("b", "Memantau CCTV Kota"),
        ("c", "Menyusun laporan bulanan"),
    ]
    assert len(db.get(Contract, other.id).duties) == 15
    assert "<strong>c.</strong> Menyusun laporan bulanan" in page(client.get(f"/kontrak/{contract.id}"))

    response = client.post(f"/kontrak/{contract.id}/tugas", data={"lines": "  \n "})
    assert response.status_code == 422 and "minimal satu uraian tugas" in page(response)


def test_the_list_searches_filters_flags_contracts_ending_soon_and_answers_htmx_with_a_fragment(client, ppk, db):
    """Issue 6 §1: contracts ending within 30 days are flagged."""
    ending = make_contract(
        factories.make_user(roles=["kontrak"], full_name="Sinta Maharani"), end=dt.date(2026, 12, 10)
    )
    make_contract(factories.make_user(roles=["kontrak"], full_name="Rizky Pratama"), end=dt.date(2027, 3, 31))
    body = page(client.get("/kontrak"))
    assert "Sinta Maharani" in body and "Rizky Pratama" in body and "Rp 15.250.000" in body
    row = re.search(r"<tr>\s*<th scope=\"row\"><a[^>]*>Sinta Maharani.*?</tr>", body, re.S).group(0)
    assert "Berakhir ≤ 30 hari" in row and "0/12" in row
    assert "Berakhir ≤ 30 hari" not in re.search(r"Rizky Pratama.*?</tr>", body, re.S).group(0)

    fragment = page(client.get("/kontrak?q=sinta", headers=HX))
    assert "<html" not in fragment and "Sinta Maharani" in fragment and "Rizky Pratama" not in fragment
    ending_only = page(client.get(f"/kontrak?status={contract_views.ENDING}"))
    assert "Sinta Maharani" in ending_only and "Rizky Pratama" not in ending_only
    assert ending.spk_number in page(client.get("/kontrak?q=" + ending.spk_number[:10]))


def test_the_search_matches_the_beginning_of_a_name_or_number_and_anywhere_on_request(client, ppk, db):
    """Issue 8 §2: names and SPK numbers that begin with the text come from their indexes; the text
    anywhere (the list's older behaviour) when nothing begins with it, or from a link."""
    make_contract(factories.make_user(roles=["kontrak"], full_name="Sinta Maharani"), spk_number="027/SPK-1")
    make_contract(factories.make_user(roles=["kontrak"], full_name="Ayu Sintawati"), spk_number="028/SPK-2")
    make_contract(factories.make_user(roles=["kontrak"], full_name="Rizky Pratama"), spk_number="029/SPK-3")
    begins = page(client.get("/kontrak?q=SINTA", headers=HX))
    assert "Sinta Maharani" in begins and "Ayu Sintawati" not in begins and "1 kontrak" in begins
    assert "semua=1" in begins  # the link to search anywhere
    assert "Sinta Maharani" in page(client.get("/kontrak?q=027/spk", headers=HX))  # a number, in any case
    anywhere = page(client.get("/kontrak?q=sinta&semua=1", headers=HX))
    assert "Sinta Maharani" in anywhere and "Ayu Sintawati" in anywhere and "Rizky Pratama" not in anywhere
    fallback = page(client.get("/kontrak?q=maharani", headers=HX))  # nothing begins with it
    assert "Sinta Maharani" in fallback and "Ayu Sintawati" not in fallback and "memuat" in fallback
    assert page(client.get("/kontrak?q=spk-", headers=HX)).count("/kontrak/") >= 3  # inside the numbers


def test_the_list_runs_the_same_queries_for_3_or_12_contracts(client, ppk, db):
    for _ in range(3):
        make_contract()
    few = count_queries(client, "/kontrak")
    for _ in range(9):
        make_contract()
    assert count_queries(client, "/kontrak") == few


def test_the_detail_runs_the_same_queries_however_many_requests_it_lists(client, ppk, db):
    contract = make_contract(ppk=ppk, pptk_id=factories.make_user(roles=["pptk"]).id)
    ask_leave(contract, dt.date(2026, 12, 1))
    few = count_queries(client, f"/kontrak/{contract.id}")
    for day in (2, 3, 4):
        services.decide_leave(db, ppk, ask_leave(contract, dt.date(2026, 12, day)), True)
    assert count_queries(client, f"/kontrak/{contract.id}") == few <= 8


def test_the_detail_shows_the_balance_the_requests_and_the_months(client, ppk, db):
    """000 §7d: used, pending and what can still be asked; §11: a row per contract month."""
    contract = make_contract(ppk=ppk)
    services.decide_leave(db, ppk, ask_leave(contract, dt.date(2026, 12, 1), dt.date(2026, 12, 2)), True)
    ask_leave(contract, dt.date(2026, 12, 7))
    body = page(client.get(f"/kontrak/{contract.id}"))
    assert '<dd id="leave-used">2 hari kerja</dd>' in body
    assert '<dd id="leave-pending">1 hari kerja</dd>' in body
    assert '<dd id="leave-available">9 hari kerja</dd>' in body
    assert "Cuti tahunan" in body and "Menunggu keputusan" in body and "Disetujui" in body
    for month in ("Agustus 2026", "September 2026", "Oktober 2026", "November 2026", "Desember 2026"):
        assert month in body
    assert "Belum berjalan" in body  # December 2026 has not started on 23 November


# --- leave decisions (000 §7d) ---------------------------------------------------------------------------


def test_the_ppk_sees_the_requests_of_their_contracts_with_each_workers_balance(client, ppk, db):
    mine = make_contract(factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho"), ppk)
    theirs = make_contract(factories.make_user(roles=["kontrak"], full_name="Dewi Anggraini"))
    ask_leave(mine, dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    ask_leave(theirs, dt.date(2026, 12, 1))
    body = page(client.get("/kontrak/cuti"))
    assert "Fajar Nugroho" in body and "Dewi Anggraini" not in body
    assert "1 Desember 2026 – 3 Desember 2026" in body and "Cuti tahunan" in body
    assert "dipakai 0, menunggu 3, tersedia 9 dari 12 hari kerja" in body
    assert 'name="decision" value="approve"' in body


def test_ppk_approves_and_the_balance_changes(client, ppk, db):
    """000 §7d: approved annual leave comes out of the 12 days."""
    contract = make_contract(ppk=ppk)
    leave = ask_leave(contract, dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    response = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "approve"})
    assert response.status_code == 302
    db.refresh(contract)
    db.refresh(leave)
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by_id == ppk.id
    assert (contract.leave_used, contract.leave_pending) == (3, 0)
    assert f"Cuti {contract.worker.full_name} disetujui." in page(client.get("/kontrak/cuti"))
    assert '<dd id="leave-available">9 hari kerja</dd>' in page(client.get(f"/kontrak/{contract.id}"))


def test_an_htmx_decision_swaps_the_request_in_place(client, ppk, db):
    contract = make_contract(ppk=ppk)
    leave = ask_leave(contract, dt.date(2026, 12, 1))
    response = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "approve"}, headers=HX)
    assert response.status_code == 200
    body = page(response)
    assert "<html" not in body and f'id="leave-{leave.id}"' in body
    assert "Disetujui" in body and "dipakai 1, menunggu 0, tersedia 11 dari 12 hari kerja" in body
    assert 'name="decision"' not in body  # decided: no form any more
    assert 'hx-swap-oob="true"' in body


def test_rejecting_without_a_reason_is_refused_and_nothing_changes(client, ppk, db):
    """Issue 6 §3: a rejection carries the PPK's reason."""
    contract = make_contract(ppk=ppk)
    leave = ask_leave(contract, dt.date(2026, 12, 1))
    response = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "reject", "reason": " "})
    assert response.status_code == 422
    assert "Tuliskan alasan penolakan." in page(response)
    htmx = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "reject"}, headers=HX)
    assert htmx.status_code == 422 and "Tuliskan alasan penolakan." in page(htmx) and "<html" not in page(htmx)
    db.refresh(leave)
    db.refresh(contract)
    assert leave.status == LeaveStatus.PENDING and contract.leave_pending == 1

    ok = client.post(
        f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "reject", "reason": "Ada tenggat peluncuran."}
    )
    assert ok.status_code == 302
    db.refresh(leave)
    db.refresh(contract)
    assert leave.status == LeaveStatus.REJECTED and leave.decision_reason == "Ada tenggat peluncuran."
    assert (contract.leave_used, contract.leave_pending) == (0, 0)


def test_a_second_decision_on_the_same_request_gets_a_conflict_and_changes_nothing(client, ppk, db):
    """Issue 6 §3: exactly one decision counts; the late one is told so (409), nothing changes."""
    contract = make_contract(ppk=ppk)
    leave = ask_leave(contract, dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    services.decide_leave(db, ppk, leave, True)  # decided first, e.g. in another tab

    response = client.post(
        f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "reject", "reason": "Terlambat"}, headers=HX
    )
    assert response.status_code == 409
    body = page(response)
    assert "<html" not in body and "Konflik:" in body and "sudah diputuskan" in body
    assert "Disetujui" in body  # the request as it now stands

    plain = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "approve"})
    assert plain.status_code == 409 and "sudah diputuskan" in page(plain)

    db.refresh(leave)
    db.refresh(contract)
    assert leave.status == LeaveStatus.APPROVED and leave.decision_reason == ""
    assert (contract.leave_used, contract.leave_pending) == (2, 0)


def test_the_htmx_config_lets_a_409_conflict_be_shown():
    """htmx 2 does not swap 4xx by default; the layout lets 409 (like 422) through."""
    from pathlib import Path

    base = (Path(__file__).resolve().parents[2] / "templates" / "base.html").read_text(encoding="utf-8")
    assert '{"code":"409","swap":true}' in base
    assert base.index('"409"') < base.index('"[45].."')


def test_a_ppk_of_another_contract_cannot_decide(client, login_as, db):
    contract = make_contract()  # its PPK is someone else
    leave = ask_leave(contract, dt.date(2026, 12, 1))
    login_as("ppk", username="ppk_lain")
    response = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "approve"})
    assert response.status_code == 404
    db.refresh(leave)
    assert leave.status == LeaveStatus.PENDING


def test_nobody_decides_their_own_leave(client, db):
    worker = factories.make_user("ganda", roles=["kontrak", "ppk"])
    contract = make_contract(worker=worker, ppk=worker)
    leave = ask_leave(contract, dt.date(2026, 12, 1))
    sign_in_as(client, worker)
    assert 'name="decision"' not in page(client.get("/kontrak/cuti"))
    response = client.post(f"/kontrak/cuti/{leave.id}/putuskan", data={"decision": "approve"})
    assert response.status_code == 422 and "permohonan cuti Anda sendiri" in page(response)
    db.refresh(leave)
    assert leave.status == LeaveStatus.PENDING


def test_an_admin_sees_every_request_read_only(client, login_as, db):
    contract = make_contract()
    ask_leave(contract, dt.date(2026, 12, 1))
    login_as("admin")
    body = page(client.get("/kontrak/cuti"))
    assert contract.worker.full_name in body and "hanya baca" in body
    assert 'name="decision"' not in body


def test_pending_requests_come_ten_a_page_with_the_same_queries(client, ppk, db):
    """Issue 8 §2: each pending request carries its form, so a page holds 10 (its fragment stays small)."""
    for early, late in zip((1, 2, 3, 4, 7, 8), (14, 15, 16, 17, 18, 21), strict=True):  # working days
        contract = make_contract(ppk=ppk)
        ask_leave(contract, dt.date(2026, 12, early))
        ask_leave(contract, dt.date(2026, 12, late))
    few = count_queries(client, "/kontrak/cuti")
    first = page(client.get("/kontrak/cuti"))
    assert "12 permohonan" in first and first.count('name="decision" value="approve"') == 10
    assert "Halaman 1 dari 2" in first
    second = page(client.get("/kontrak/cuti?status=pending&page=2", headers=HX))
    assert second.count('name="decision" value="approve"') == 2 and "Halaman 2 dari 2" in second
    assert len(second.encode()) < 15_000
    ask_leave(make_contract(ppk=ppk), dt.date(2026, 12, 28))
    assert count_queries(client, "/kontrak/cuti") == few


def test_the_decided_requests_can_be_listed_by_status(client, ppk, db):
    contract = make_contract(ppk=ppk)
    services.decide_leave(db, ppk, ask_leave(contract, dt.date(2026, 12, 1)), False, "Bentrok jadwal")
    assert "Tidak ada permohonan cuti" in page(client.get("/kontrak/cuti"))
    fragment = page(client.get("/kontrak/cuti?status=rejected", headers=HX))
    assert "<html" not in fragment and "Bentrok jadwal" in fragment and "Ditolak" in fragment


# --- the team's leave calendar ---------------------------------------------------------------------------


def _cell(body: str, worker_name: str, day: int) -> str:
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a[^>]*>"
        + re.escape(worker_name)
        + r"</a>[^<]*(?:<small[^>]*>[^<]*</small>)?</th>(.*?)</tr>",
        body,
        re.S,
    )
    assert row, f"no calendar row for {worker_name}"
    return re.findall(r"<td[^>]*>.*?</td>", row.group(1), re.S)[day - 1]


def test_the_calendar_shows_an_approved_leave_on_its_days_and_marks_a_holiday(client, ppk, db):
    """000 §7d: leave in working days; the holiday calendar and weekends are marked."""
    db.add(Holiday(date=dt.date(2026, 12, 25), kind="libur_nasional", name="Hari Raya Natal"))
    db.commit()
    contract = make_contract(factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho"), ppk)
    services.decide_leave(db, ppk, ask_leave(contract, dt.date(2026, 12, 21), dt.date(2026, 12, 23)), True)
    ask_leave(contract, dt.date(2026, 12, 28))
    elsewhere = make_contract(factories.make_user(roles=["kontrak"], full_name="Dewi Lain"))
    ask_leave(elsewhere, dt.date(2026, 12, 21))

    body = page(client.get("/kontrak/cuti/kalender?bulan=2026-12"))
    assert "<caption>Cuti tim bulan Desember 2026" in body
    for day in (21, 22, 23):
        cell = _cell(body, "Fajar Nugroho", day)
        assert "cal-approved" in cell and "Cuti tahunan, disetujui" in cell
    assert "cal-pending" in _cell(body, "Fajar Nugroho", 28)
    assert "cal-approved" not in _cell(body, "Fajar Nugroho", 24)
    assert "cal-off" in _cell(body, "Fajar Nugroho", 25)
    header = re.search(r"<th scope=\"col\" class=\"[^\"]*cal-off[^\"]*\">.*?</th>", body, re.S).group(0)
    assert "Jumat, 25 Desember 2026 — hari libur" in header
    assert "cal-weekend" in _cell(body, "Fajar Nugroho", 26)  # a Saturday
    assert "Dewi Lain" not in body  # another PPK's team

    fragment = page(client.get("/kontrak/cuti/kalender?bulan=2026-11", headers=HX))
    assert "<html" not in fragment and "November 2026" in fragment


def test_the_calendar_runs_the_same_queries_however_many_workers_are_on_leave(client, ppk, db):
    first = make_contract(ppk=ppk)
    ask_leave(first, dt.date(2026, 12, 1))
    few = count_queries(client, "/kontrak/cuti/kalender?bulan=2026-12")
    for n in range(5):
        ask_leave(make_contract(ppk=ppk), dt.date(2026, 12, 7 + n), dt.date(2026, 12, 8 + n))
    assert count_queries(client, "/kontrak/cuti/kalender?bulan=2026-12") == few


def test_the_calendar_pages_its_workers_in_spk_order(client, ppk, db, monkeypatch):
    """Issue 8 §2: a page of workers at a time, read in SPK order; the month's fragment stays small."""
    monkeypatch.setattr(contract_views, "CALENDAR_ROWS", 2)
    for n, name in ((3, "Citra"), (1, "Budi"), (2, "Andi")):
        worker = factories.make_user(roles=["kontrak"], full_name=name)
        ask_leave(make_contract(worker, ppk, spk_number=f"00{n}/SPK/2026"), dt.date(2026, 12, n))
    first = page(client.get("/kontrak/cuti/kalender?bulan=2026-12", headers=HX))
    assert "3 tenaga kontrak" in first and "Halaman 1 dari 2" in first
    assert first.index("001/SPK/2026") < first.index("002/SPK/2026") and "Citra" not in first
    assert _cell(first, "Budi", 1).startswith('<td class=" cal-pending">')
    second = page(client.get("/kontrak/cuti/kalender?bulan=2026-12&page=2", headers=HX))
    assert "Citra" in second and "Budi" not in second and "Halaman 2 dari 2" in second


def test_a_month_that_is_not_a_month_falls_back_to_this_month(client, ppk):
    assert "November 2026" in page(client.get("/kontrak/cuti/kalender?bulan=2026-13"))


# --- monthly assessment (000 §11) ------------------------------------------------------------------------


def test_the_due_list_shows_past_months_not_yet_assessed(client, ppk, db):
    contract = make_contract(factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho"), ppk)
    services.assess_month(db, ppk, contract, 2026, 8, {k: True for k in ALL_GOOD}, {}, TODAY)
    body = page(client.get("/kontrak/penilaian"))
    assert "2 penilaian jatuh tempo" in body  # September, October; November is still running
    assert "Agustus 2026" not in body and "September 2026" in body and "Oktober 2026" in body
    assert f"/kontrak/{contract.id}/penilaian/2026/9" in body


def test_the_due_list_pages_oldest_month_first_then_by_spk_with_the_same_queries(client, ppk, db, monkeypatch):
    """Issue 8 §2: each month is read in SPK order a page at a time; more contracts, same queries."""
    monkeypatch.setattr(contract_views, "ASSESSMENTS_PER_PAGE", 3)
    late = make_contract(ppk=ppk, spk_number="003/SPK/2026", start=dt.date(2026, 10, 1))
    early = [make_contract(ppk=ppk, spk_number=f"00{n}/SPK/2026", start=dt.date(2026, 9, 1)) for n in (2, 1)]
    make_contract(spk_number="000/SPK/2026", start=dt.date(2026, 9, 1))  # another PPK's
    few = count_queries(client, "/kontrak/penilaian")
    first = page(client.get("/kontrak/penilaian"))
    assert "5 penilaian jatuh tempo" in first  # two in September, three in October
    links = re.findall(r"/kontrak/(\d+)/penilaian/2026/(\d+)", first)
    assert links == [(str(early[1].id), "9"), (str(early[0].id), "9"), (str(early[1].id), "10")]
    second = page(client.get("/kontrak/penilaian?page=2", headers=HX))
    links = re.findall(r"/kontrak/(\d+)/penilaian/2026/(\d+)", second)
    assert links == [(str(early[0].id), "10"), (str(late.id), "10")]
    assert "<html" not in second and page(client.get("/kontrak/penilaian?page=9")).count("/penilaian/2026/") == 2
    for n in range(4):
        make_contract(ppk=ppk, spk_number=f"1{n}/SPK/2026", start=dt.date(2026, 9, 1))
    assert count_queries(client, "/kontrak/penilaian") == few


def test_assessing_a_month_gives_baik_only_when_all_three_are_good_and_twice_is_refused(client, ppk, db):
    """000 §11: three elements, each good or bad; the month is "baik" only when all three are good."""
    contract = make_contract(ppk=ppk)
    url = f"/kontrak/{contract.id}/penilaian/2026/10"
    form = page(client.get(url))
    assert "Disiplin kerja" in form and "Tanggung jawab penyelesaian pekerjaan" in form
    assert "Ketaatan terhadap kewajiban dan larangan" in form

    data = {**ALL_GOOD, "compliance": "buruk", "compliance_note": "Tidak mengisi daftar hadir."}
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    body = page(response)
    assert "Hasil: Buruk" in body and "Tidak mengisi daftar hadir." in body

    again = client.post(url, data=ALL_GOOD)
    assert again.status_code == 422 and "Bulan ini sudah dinilai." in page(again)
    assert db.scalar(select(MonthlyAssessment.result).where(MonthlyAssessment.contract_id == contract.id)) == "buruk"

    good = client.post(f"/kontrak/{contract.id}/penilaian/2026/9", data=ALL_GOOD, follow_redirects=True)
    assert "Hasil: Baik" in page(good)


def test_an_element_left_unanswered_or_a_month_not_started_is_refused(client, ppk, db):
    contract = make_contract(ppk=ppk)
    missing = client.post(f"/kontrak/{contract.id}/penilaian/2026/10", data={"discipline": "baik"})
    assert missing.status_code == 422 and "Pilih baik atau buruk." in page(missing)
    future = client.post(f"/kontrak/{contract.id}/penilaian/2026/12", data=ALL_GOOD)
    assert future.status_code == 422 and "belum berjalan" in page(future)
    assert client.get(f"/kontrak/{contract.id}/penilaian/2026/3").status_code == 404  # outside the contract
    assert db.scalar(select(func.count(MonthlyAssessment.id))) == 0


def test_only_the_contracts_ppk_assesses(client, login_as, db):
    contract = make_contract()
    login_as("ppk", username="ppk_lain")
    url = f"/kontrak/{contract.id}/penilaian/2026/10"
    assert "Penilaian diisi oleh PPK kontrak ini." in page(client.get(url))
    assert client.post(url, data=ALL_GOOD).status_code == 403
    assert db.scalar(select(func.count(MonthlyAssessment.id))) == 0


# --- end-of-contract evaluation (000 §11) -----------------------------------------------------------------


def _assessed_contract(db, worker=None, bad_months=(9,)):
    ppk = factories.make_user(roles=["ppk"])
    pptk = factories.make_user("pptk", roles=["pptk"], full_name="Maya Sari, S.Kom.")
    contract = make_contract(worker, ppk, pptk_id=pptk.id)
    for month in (8, 9, 10, 11):
        good = month not in bad_months
        services.assess_month(
            db, ppk, contract, 2026, month, {"discipline": good, "responsibility": True, "compliance": True}, {}, TODAY
        )
    return contract, pptk


def test_the_pptk_evaluates_the_contract_from_its_months(client, db):
    """000 §11: at the end, the PPTK with the PPK evaluates the months accumulated."""
    contract, pptk = _assessed_contract(db)
    sign_in_as(client, pptk)
    url = f"/kontrak/{contract.id}/evaluasi"
    body = page(client.get(url))
    assert '<dd id="good-months">3</dd>' in body and '<dd id="bad-months">1</dd>' in body
    assert "Dapat dipertimbangkan dengan catatan" in body  # the suggestion for 1 bad month of 4
    assert '<option selected value="consider">' in body

    empty = client.post(url, data={"recommendation": "consider", "summary": " "})
    assert empty.status_code == 422 and "Tuliskan ringkasan evaluasi." in page(empty)
    response = client.post(
        url, data={"recommendation": "extend", "summary": "Disiplin membaik sejak Oktober."}, follow_redirects=True
    )
    assert response.status_code == 200
    evaluation = db.scalar(select(ContractEvaluation))
    assert (evaluation.good_months, evaluation.bad_months, evaluation.recommendation) == (3, 1, "extend")
    assert evaluation.pptk_id == pptk.id and evaluation.ppk_id == contract.ppk_id
    assert "Direkomendasikan untuk dilanjutkan tahun berikutnya" in page(response)
    assert "Disiplin membaik sejak Oktober." in page(client.get(f"/kontrak/{contract.id}"))

    twice = client.post(url, data={"recommendation": "extend", "summary": "Lagi"})
    assert twice.status_code == 422 and "sudah dievaluasi" in page(twice)


def test_the_ppk_reads_the_evaluation_page_but_the_pptk_writes_it(client, db):
    contract, _pptk = _assessed_contract(db)
    sign_in_as(client, contract.ppk)
    url = f"/kontrak/{contract.id}/evaluasi"
    assert "Evaluasi ditulis oleh PPTK kontrak ini bersama PPK." in page(client.get(url))
    assert client.post(url, data={"recommendation": "extend", "summary": "x"}).status_code == 403
    assert db.scalar(select(func.count(ContractEvaluation.id))) == 0


def test_the_panel_sees_the_evaluation_of_a_returning_worker(client, login_as, db):
    """000 §11: the accumulated evaluation is "bahan pertimbangan" in next year's selection."""
    returning = factories.make_user(roles=["pelamar", "kontrak"], full_name="Bima Saputra")
    contract, pptk = _assessed_contract(db, worker=returning, bad_months=(9, 10))
    services.evaluate_contract(db, pptk, contract, "Dua bulan buruk karena keterlambatan.", "not_extend")
    panelist = login_as("panel", username="panelis")
    selection_round = make_round(RoundKind.CONTRACT, panel=[panelist])
    application = make_application(selection_round, "submitted", applicant=returning)

    body = page(client.get(f"/panitia/lamaran/{application.id}"))
    section = re.search(r'<section aria-labelledby="contract-eval-title">.*?</section>', body, re.S).group(0)
    assert "Evaluasi akhir kontrak" in section and contract.spk_number in section
    assert "<dd>2 / 2</dd>" in section
    assert "Tidak direkomendasikan" in section and "Dua bulan buruk karena keterlambatan." in section
    assert "Belum ada evaluasi" not in section


# --- monthly activity reports (000 §6A m) ----------------------------------------------------------------


class Upload(io.BytesIO):
    def __init__(self) -> None:
        super().__init__(DEMO_PDF)
        self.filename = "bukti-kegiatan.pdf"


def _submitted_report(db, ppk=None, pptk=None):
    contract = make_contract(ppk=ppk, pptk_id=pptk.id if pptk else None)
    worker = contract.worker
    report = services.get_or_create_activity_report(db, worker, contract, 2026, 10)
    duty = next(d for d in contract.duties if d.code == "e")
    services.add_activity(db, worker, report, duty.id, "Merapikan repository aplikasi kota.", Upload())
    services.submit_activity_report(db, worker, report, "Sesuai uraian tugas.")
    return contract, report


def test_the_ppk_reviews_a_submitted_activity_report_with_its_evidence(client, ppk, db):
    contract, report = _submitted_report(db, ppk)
    listing = page(client.get("/kontrak/laporan"))
    assert contract.worker.full_name in listing and "Oktober 2026" in listing

    body = page(client.get(f"/kontrak/laporan/{report.id}"))
    assert "<strong>e.</strong> Mengelola repository Pemerintah Kota" in body
    assert "Merapikan repository aplikasi kota." in body
    file_id = report.entries[0].file_id
    assert f'href="/berkas/{file_id}"' in body
    assert client.get(f"/berkas/{file_id}").status_code == 200

    missing = client.post(f"/kontrak/laporan/{report.id}/periksa", data={"decision": "return", "feedback": ""})
    assert missing.status_code == 422 and "Tuliskan umpan balik." in page(missing)
    response = client.post(
        f"/kontrak/laporan/{report.id}/periksa", data={"decision": "return", "feedback": "Lengkapi tautan commit."}
    )
    assert response.status_code == 302
    db.refresh(report)
    assert (report.status, report.feedback) == ("returned", "Lengkapi tautan commit.")


def test_activity_evidence_is_for_the_worker_the_ppk_and_the_pptk_not_an_admin(client, login_as, db):
    pptk = factories.make_user("pptk_kontrak", roles=["pptk"])
    contract, report = _submitted_report(db, pptk=pptk)
    file_id = report.entries[0].file_id
    sign_in_as(client, contract.worker)
    assert client.get(f"/berkas/{file_id}").status_code == 200
    sign_in_as(client, pptk)
    assert client.get(f"/berkas/{file_id}").status_code == 200
    sign_in_as(client, contract.ppk)
    assert client.get(f"/berkas/{file_id}").status_code == 200
    admin = factories.make_user("admin_kontrak", roles=["admin"])
    sign_in_as(client, admin)
    assert client.get(f"/berkas/{file_id}").status_code == 404
    assert f'href="/berkas/{file_id}"' not in page(client.get(f"/kontrak/laporan/{report.id}"))
    other_ppk = factories.make_user("ppk_lain", roles=["ppk"])
    sign_in_as(client, other_ppk)
    assert client.get(f"/berkas/{file_id}").status_code == 404


def test_a_draft_report_is_not_shown_and_another_ppk_cannot_review(client, login_as, db):
    contract, report = _submitted_report(db)
    draft = services.get_or_create_activity_report(db, contract.worker, contract, 2026, 11)
    login_as("ppk", username="ppk_lain")
    assert client.get(f"/kontrak/laporan/{draft.id}").status_code == 404
    assert contract.worker.full_name not in page(client.get("/kontrak/laporan"))
    response = client.post(f"/kontrak/laporan/{report.id}/periksa", data={"decision": "accept", "feedback": "ok"})
    assert response.status_code == 404
    assert db.get(ActivityReport, report.id).status == "submitted"


# --- dashboard cards --------------------------------------------------------------------------------------


def test_the_ppk_dashboard_counts_requests_assessments_due_and_lists_contracts_ending(client, ppk, db):
    """Issue 6 §6: PPK — requests to decide, assessments due, contracts ending."""
    mine = make_contract(factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho"), ppk)
    ask_leave(mine, dt.date(2026, 12, 1))
    ending = make_contract(
        factories.make_user(roles=["kontrak"], full_name="Sinta Maharani"), ppk, end=dt.date(2026, 12, 13)
    )
    services.assess_month(db, ppk, ending, 2026, 8, {k: True for k in ALL_GOOD}, {}, TODAY)
    ask_leave(make_contract(), dt.date(2026, 12, 1))  # another PPK's request is not counted

    body = page(client.get("/dasbor"))
    assert '<strong id="pending-leave-count">1</strong>' in body
    assert '<strong id="assessments-due-count">5</strong>' in body  # Aug–Oct for one, Sep–Oct for the other
    card = re.search(r'<article id="card-contracts_ending">.*?</article>', body, re.S).group(0)
    assert "Sinta Maharani" in card and "13 Desember 2026" in card and "20 hari lagi" in card
    assert "Fajar Nugroho" not in card


def test_the_pptk_dashboard_lists_contracts_ending_without_an_evaluation(client, db):
    """Issue 6 §4, 000 §11: the PPTK's end-of-contract evaluations due."""
    pptk = factories.make_user("pptk", roles=["pptk"])
    worker = factories.make_user(roles=["kontrak"], full_name="Sinta Maharani")
    due = make_contract(worker, end=dt.date(2026, 12, 13), pptk_id=pptk.id)
    make_contract(end=dt.date(2027, 6, 30), pptk_id=pptk.id)  # not ending yet
    sign_in_as(client, pptk)
    body = page(client.get("/dasbor"))
    card = re.search(r'<article id="card-contracts_evaluations_due">.*?</article>', body, re.S).group(0)
    assert '<strong id="evaluations-due-count">1</strong>' in card
    assert f"/kontrak/{due.id}/evaluasi" in card and "Sinta Maharani" in card


def test_the_cards_run_the_same_queries_for_2_or_8_contracts(client, ppk, db):
    def seed(n):
        for _ in range(n):
            contract = make_contract(ppk=ppk, end=dt.date(2026, 12, 10))
            ask_leave(contract, dt.date(2026, 12, 1))

    seed(2)
    few = count_queries(client, "/dasbor")
    seed(6)
    assert count_queries(client, "/dasbor") == few


def test_the_cards_stop_counting_past_the_lists_limit_and_say_so(client, ppk, db, monkeypatch):
    """Issue 8 §2: a PPK with thousands of requests reads "lebih dari …" instead of a count over all of them."""
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 7)
    for n in range(9):
        contract = make_contract(ppk=ppk, end=dt.date(2026, 12, 10 + n))
        ask_leave(contract, dt.date(2026, 12, 1))
    body = page(client.get("/dasbor"))
    assert '<strong id="pending-leave-count">lebih dari 7</strong>' in body
    card = re.search(r'<article id="card-contracts_ending">.*?</article>', body, re.S).group(0)
    assert card.count("hari lagi") == 5  # the five nearest ends are named …
    assert "dan lebih dari 2 kontrak lainnya" in card  # … the rest counted up to the limit

    monkeypatch.setattr(pagination, "COUNT_AHEAD", 1000)
    body = page(client.get("/dasbor"))
    assert '<strong id="pending-leave-count">9</strong>' in body
    assert "dan 4 kontrak lainnya" in body


def test_the_menu_offers_the_contract_pages_to_the_ppk(client, ppk):
    body = page(client.get("/dasbor"))
    for label, url in (
        ("Kontrak", "/kontrak"),
        ("Keputusan cuti", "/kontrak/cuti"),
        ("Kalender cuti", "/kontrak/cuti/kalender"),
        ("Penilaian bulanan", "/kontrak/penilaian"),
    ):
        assert f'<a href="{url}">{label}</a>' in body


# --- who may open what ------------------------------------------------------------------------------------


@pytest.fixture()
def objects(db):
    """A contract whose PPK and PPTK are the users the matrix signs in as, with a leave request and a
    submitted report."""
    ppk = factories.make_user("ppk", roles=["ppk"])
    pptk = factories.make_user("pptk", roles=["pptk"])
    contract, report = _submitted_report(db, ppk, pptk)
    leave = ask_leave(contract, dt.date(2026, 12, 1))
    return {"contract": contract.id, "leave": leave.id, "report": report.id}


# (method, url template, roles that may use it)
MANAGE, READ = {"ppk", "admin"}, {"ppk", "pptk", "admin"}
ENDPOINTS = [
    ("GET", "/kontrak", READ),
    ("GET", "/kontrak/baru", MANAGE),
    ("GET", "/kontrak/{contract}", READ),
    ("GET", "/kontrak/{contract}/ubah", MANAGE),
    ("GET", "/kontrak/{contract}/tugas", MANAGE),
    ("GET", "/kontrak/{contract}/ringkasan.pdf", READ),
    ("GET", "/kontrak/cuti", {"ppk", "admin"}),
    ("POST", "/kontrak/cuti/{leave}/putuskan", {"ppk"}),
    ("GET", "/kontrak/cuti/kalender", READ),
    ("GET", "/kontrak/penilaian", {"ppk"}),
    ("GET", "/kontrak/{contract}/penilaian/2026/10", READ),
    ("GET", "/kontrak/{contract}/evaluasi", READ),
    ("GET", "/kontrak/laporan", READ),
    ("GET", "/kontrak/laporan/{report}", READ),
    ("POST", "/kontrak/laporan/{report}/periksa", {"ppk"}),
]


@pytest.mark.parametrize("role", [None, "anggota", "pelamar", "kontrak", "ppk", "pptk", "admin"])
def test_every_contract_page_answers_each_role_as_declared(app, client, objects, role):
    """DESIGN "Users and roles": anonymous → sign in; a role without the grant → 403; the right role → 200."""
    if role:
        user = factories.make_user(f"{role}_matriks", roles=[role]) if role not in ("ppk", "pptk") else None
        sign_in_as(client, user or _user_named(role))
    problems = []
    for method, template, allowed in ENDPOINTS:
        url = template.format(**objects)
        response = client.open(url, method=method)
        status = response.status_code
        if role is None:
            ok = status == 302 and "/masuk" in response.headers["Location"]
        elif role not in allowed:
            ok = status == 403
        elif method == "GET":
            ok = status == 200
        else:
            ok = status not in (401, 403) and status < 500
        if not ok:
            problems.append(f"{role}: {method} {url} → {status}")
    assert not problems, "\n".join(problems)


def _user_named(username):
    from pontive.accounts.models import User

    return _db.session.scalar(select(User).where(User.username == username))


def test_the_contract_pdf_downloads_with_the_spk_number_value_and_duties(client, ppk, db):
    from tests.services.test_letters import pdf_text

    contract = make_contract(ppk=ppk, spk_number="027/SPK/DISKOMINFO/2026")
    response = client.get(f"/kontrak/{contract.id}/ringkasan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(response.data)
    assert "027/SPK/DISKOMINFO/2026" in text and "Rp 15.250.000" in text and "a. Membantu" in text
