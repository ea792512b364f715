"""The contract worker's own pages, as the worker sees them (issue 6; seed 000): my contract with
its value and duties a–o (000 §5, §6A), leave counted in working days with a preview before sending
(000 §7d; issue 6 §3), cancelling before the leave starts, the monthly activity report against the
duties with evidence (000 §6A m), the dashboard card, and who may open what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from pontive.contracts import rules, services, worker_views
from pontive.contracts.models import ActivityReport, Contract, LeaveRequest, LeaveStatus
from pontive.core.models import Holiday
from pontive.recruitment.demo import DEMO_PDF
from tests import factories
from tests.contract_factories import make_contract

TODAY = dt.date(2026, 11, 23)  # a Monday; the default contract runs from August to December 2026
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(worker_views, "local_today", lambda: TODAY)


@pytest.fixture()
def contract(db, login_as):
    """The signed-in worker's contract (Rp 15.250.000, 12 days of leave)."""
    worker = login_as("kontrak", full_name="Andi Tenaga Kontrak")
    return make_contract(worker=worker)


def sign_in(client, user) -> None:
    client.post("/keluar")
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302


def leave_count(db) -> int:
    return db.scalar(select(func.count(LeaveRequest.id)))


def preview(client, kind: str, start: str, end: str):
    return client.get(
        "/kontrak-saya/cuti/pratinjau", query_string={"jenis": kind, "mulai": start, "selesai": end}, headers=HX
    )


def ask_leave(client, start: str, end: str, kind: str = "annual", token: str = "a1b2c3d4e5f60718", **extra):
    data = {"jenis": kind, "mulai": start, "selesai": end, "alasan": "Acara keluarga", "client_token": token}
    return client.post("/kontrak-saya/cuti", data={**data, **extra})


# --- my contract (000 §5, §6A) -----------------------------------------------------------------------


def test_my_contract_shows_the_value_its_components_the_duties_a_to_o_and_the_leave_balance(client, contract):
    """000 §5C: Rp 15.250.000 = wage + BPJS Kesehatan + BPJS Ketenagakerjaan; 000 §6A: duties a–o."""
    body = client.get("/kontrak-saya").get_data(as_text=True)
    assert "Rp 15.250.000" in body and "Rp 14.000.000" in body and "Rp 750.000" in body and "Rp 500.000" in body
    assert contract.spk_number in body and contract.ppk.full_name in body
    assert "1 Agustus 2026" in body and "31 Desember 2026" in body
    for code, text in rules.DUTY_TEMPLATE:
        assert f"<strong>{code}.</strong> {text}" in body
    assert '<dd id="leave-available"><strong>12 hari kerja</strong></dd>' in body


def test_a_worker_without_a_contract_is_told_so(client, login_as):
    login_as("kontrak")
    for url in ("/kontrak-saya", "/kontrak-saya/cuti", "/kontrak-saya/laporan"):
        response = client.get(url)
        assert response.status_code == 200
        assert "belum memiliki kontrak aktif" in response.get_data(as_text=True)
    assert client.get("/kontrak-saya/laporan/2026/11").status_code == 404


# --- the leave preview, before anything is sent (000 §7d; issue 6 §3) ---------------------------------


def test_the_preview_counts_working_days_without_the_weekend_and_a_holiday(client, db, contract):
    """000 §7d: leave is counted in working days — Mon 21 to Mon 28 December is 8 days, minus
    Saturday, Sunday and Christmas: 5 working days, deducted from the 12."""
    db.add(Holiday(date=dt.date(2026, 12, 25), kind="libur_nasional", name="Hari Raya Natal"))
    db.commit()
    response = preview(client, "annual", "2026-12-21", "2026-12-28")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "<strong>5 hari kerja</strong>" in body
    assert "2 hari akhir pekan" in body and "25 Desember 2026 (Hari Raya Natal)" in body
    assert '<dd id="preview-before">12 hari kerja</dd>' in body
    assert '<dd id="preview-after">7 hari kerja</dd>' in body
    assert "dapat diajukan" in body
    assert leave_count(db) == 0  # a preview saves nothing

    # The same URL without htmx is the whole leave page, the form filled in.
    page = client.get(
        "/kontrak-saya/cuti/pratinjau", query_string={"jenis": "annual", "mulai": "2026-12-21", "selesai": "2026-12-28"}
    ).get_data(as_text=True)
    assert "<html" in page and 'value="2026-12-21"' in page and "<strong>5 hari kerja</strong>" in page


def test_maternity_leave_is_not_deducted(client, contract):
    """000 §7d: maternity leave up to 3 months, not deducted from the 12 days."""
    body = preview(client, "maternity", "2026-12-01", "2026-12-04").get_data(as_text=True)
    assert "<strong>4 hari kerja</strong>" in body and "tidak mengurangi kuota" in body
    assert '<dd id="preview-after">12 hari kerja</dd>' in body


@pytest.mark.parametrize(
    ("kind", "start", "end", "message"),
    [
        ("annual", "2026-12-10", "2026-12-09", "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ("annual", "2026-12-05", "2026-12-06", "tidak mencakup hari kerja"),  # Saturday and Sunday
        ("annual", "2026-12-01", "2026-12-31", "Sisa cuti yang dapat diajukan 12 hari kerja, diminta 23 hari kerja"),
        ("specific_reason", "2026-12-01", "2026-12-18", "Cuti alasan tertentu maksimal 12 hari kerja"),
        ("annual", "2026-11-20", "2026-11-20", "sudah lewat"),
    ],
    ids=["end-before-start", "weekend-only", "over-the-balance", "specific-reason-over-12", "in-the-past"],
)
def test_the_preview_names_the_problem_before_sending(client, contract, kind, start, end, message):
    """Issue 6 "Bad input": a range that ends before it starts, spans no working day or exceeds the
    balance — and 000 §7d's 12-day cap on specific-reason leave — are told before sending."""
    response = preview(client, kind, start, end)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="preview-problem"' in body and message in body


def test_the_preview_names_an_overlap_with_another_request(client, db, contract):
    """Issue 6 "Bad input": a range that overlaps another request."""
    services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 2), "", TODAY
    )
    body = preview(client, "annual", "2026-12-02", "2026-12-03").get_data(as_text=True)
    assert "bertumpang tindih" in body


def test_the_preview_names_the_three_month_limit_of_maternity_leave(client, db, login_as):
    """000 §7d: "Cuti persalinan dan kecelakaan kerja paling lama 3 (tiga) bulan"."""
    worker = login_as("kontrak")
    make_contract(worker=worker, end=dt.date(2027, 7, 31))
    body = preview(client, "maternity", "2026-12-01", "2027-03-15").get_data(as_text=True)
    assert "paling lama 3 bulan" in body and 'id="preview-problem"' in body


def test_an_empty_or_garbled_preview_only_asks_for_the_dates(client, contract):
    body = client.get("/kontrak-saya/cuti/pratinjau?jenis=annual&mulai=kemarin", headers=HX).get_data(as_text=True)
    assert "<html" not in body and "Pilih jenis cuti" in body
    body = preview(client, "annual", "0001-01-01", "9999-12-31").get_data(as_text=True)
    assert "terlalu panjang" in body


# --- requesting and cancelling leave ------------------------------------------------------------------


def test_requesting_leave_saves_it_pending_and_reduces_what_can_still_be_asked(client, db, contract):
    """Issue 6 §3: pending requests count against what can still be asked."""
    response = ask_leave(client, "2026-12-03", "2026-12-04")
    assert response.status_code == 303 and response.headers["Location"].endswith("/kontrak-saya/cuti")
    leave = db.scalar(select(LeaveRequest))
    assert (leave.status, leave.working_days, leave.kind) == (LeaveStatus.PENDING, 2, "annual")
    page = client.get("/kontrak-saya/cuti").get_data(as_text=True)
    assert "dikirim dan menunggu keputusan PPK" in page
    assert "Menunggu keputusan" in page and "3 Desember 2026 – 4 Desember 2026" in page
    mine = client.get("/kontrak-saya").get_data(as_text=True)
    assert '<dd id="leave-pending">2 hari kerja</dd>' in mine
    assert '<dd id="leave-available"><strong>10 hari kerja</strong></dd>' in mine


def test_the_same_form_posted_twice_makes_one_request(client, db, contract):
    """Issue 6 §3: a double submit (the same client token) makes one request and reserves the days once."""
    first = ask_leave(client, "2026-12-03", "2026-12-04", token="feedc0ffee123456")
    second = ask_leave(client, "2026-12-03", "2026-12-04", token="feedc0ffee123456")
    assert first.status_code == second.status_code == 303
    assert leave_count(db) == 1
    assert db.get(Contract, contract.id).leave_pending == 2


def test_every_form_shown_carries_a_fresh_client_token(client, contract):
    tokens = [
        client.get("/kontrak-saya/cuti").get_data(as_text=True).split('name="client_token"')[1][:60] for _ in "ab"
    ]
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-12-10", "2026-12-09", "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ("2026-12-05", "2026-12-06", "tidak mencakup hari kerja"),
        ("2026-12-01", "2026-12-31", "Sisa cuti yang dapat diajukan 12 hari kerja"),
    ],
    ids=["end-before-start", "weekend-only", "over-the-balance"],
)
def test_a_refused_request_shows_the_message_and_saves_nothing(client, db, contract, start, end, message):
    """Issue 6 "Bad input": clear message, nothing changed."""
    response = ask_leave(client, start, end)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="leave-error"' in body and message in body
    assert f'value="{start}"' in body  # what was typed stays
    assert leave_count(db) == 0 and db.get(Contract, contract.id).leave_pending == 0


def test_a_request_without_dates_is_refused_beside_the_fields(client, db, contract):
    response = client.post("/kontrak-saya/cuti", data={"jenis": "annual", "mulai": "", "selesai": "besok"})
    assert response.status_code == 422
    assert "Isi tanggal yang benar." in response.get_data(as_text=True)
    assert leave_count(db) == 0


def test_a_balance_changed_meanwhile_is_a_conflict_with_its_message(client, db, contract, monkeypatch):
    """Issue 6 §3: when another request took the days between the preview and the sending."""

    def racing(*args, **kwargs):
        raise services.LeaveConflict("Sisa cuti tidak lagi mencukupi: permohonan lain baru saja diajukan.")

    monkeypatch.setattr(services, "request_leave", racing)
    response = ask_leave(client, "2026-12-03", "2026-12-04")
    assert response.status_code == 409
    assert "Sisa cuti tidak lagi mencukupi" in response.get_data(as_text=True)
    assert leave_count(db) == 0


def test_cancelling_before_the_leave_starts_returns_the_days(client, db, contract):
    """Issue 6 §3: cancellation by the worker before it starts."""
    leave = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 3), "", TODAY
    )
    services.decide_leave(db, contract.ppk, leave, True)
    response = client.post(f"/kontrak-saya/cuti/{leave.id}/batal")
    assert response.status_code == 303
    assert db.get(LeaveRequest, leave.id).status == LeaveStatus.CANCELLED
    assert db.get(Contract, contract.id).leave_used == 0
    page = client.get("/kontrak-saya/cuti").get_data(as_text=True)
    assert "3 hari kerja kembali ke sisa cuti Anda" in page and "Dibatalkan" in page
    assert '<dd id="leave-available"><strong>12 hari kerja</strong></dd>' in page


def test_leave_that_has_started_cannot_be_cancelled(client, db, contract, monkeypatch):
    leave = services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 11, 24), dt.date(2026, 11, 25), "", TODAY
    )
    assert f"/kontrak-saya/cuti/{leave.id}/batal" in client.get("/kontrak-saya/cuti").get_data(as_text=True)
    monkeypatch.setattr(worker_views, "local_today", lambda: dt.date(2026, 11, 24))
    assert f"/kontrak-saya/cuti/{leave.id}/batal" not in client.get("/kontrak-saya/cuti").get_data(as_text=True)
    client.post(f"/kontrak-saya/cuti/{leave.id}/batal")
    assert "Cuti yang sudah dimulai tidak dapat dibatalkan." in client.get("/kontrak-saya/cuti").get_data(as_text=True)
    assert db.get(LeaveRequest, leave.id).status == LeaveStatus.PENDING
    assert db.get(Contract, contract.id).leave_pending == 2


def test_another_workers_leave_request_is_not_found(client, db, contract):
    other = make_contract()
    theirs = services.request_leave(
        db, other.worker, other, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 1), "", TODAY
    )
    assert client.post(f"/kontrak-saya/cuti/{theirs.id}/batal").status_code == 404
    assert client.post("/kontrak-saya/cuti/999999/batal").status_code == 404
    assert db.get(LeaveRequest, theirs.id).status == LeaveStatus.PENDING
    assert "1 Desember 2026" not in client.get("/kontrak-saya/cuti").get_data(as_text=True)


# --- the monthly activity report (000 §6A m) ----------------------------------------------------------


def evidence(name: str = "bukti.pdf", data: bytes = DEMO_PDF):
    return (io.BytesIO(data), name)


def report_of(db, contract, month: int = 11) -> ActivityReport | None:
    return db.scalar(
        select(ActivityReport).where(ActivityReport.contract_id == contract.id, ActivityReport.month == month)
    )


def test_an_activity_with_evidence_is_added_in_place_and_the_month_submitted(client, db, contract):
    """000 §6A m: the worker reports and accounts for their duties each month, with evidence."""
    page = client.get("/kontrak-saya/laporan/2026/11").get_data(as_text=True)
    assert "Draf" in page and 'accept="application/pdf,image/jpeg,image/png"' in page
    duty = next(d for d in contract.duties if d.code == "e")
    assert f'<option value="{duty.id}">e. {duty.text}</option>' in page

    response = client.post(
        "/kontrak-saya/laporan/2026/11/kegiatan",
        data={"duty_id": duty.id, "activity": "Merapikan repository aplikasi.", "evidence": evidence("foto.pdf")},
        content_type="multipart/form-data",
        headers=HX,
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'id="kegiatan"' in fragment and "Merapikan repository aplikasi." in fragment and "foto.pdf" in fragment
    assert "Kegiatan ditambahkan." in fragment

    response = client.post("/kontrak-saya/laporan/2026/11/ajukan", data={"summary": "Tugas e bulan November."})
    assert response.status_code == 303
    report = report_of(db, contract)
    assert report.status == "submitted" and report.summary == "Tugas e bulan November."
    page = client.get("/kontrak-saya/laporan/2026/11").get_data(as_text=True)
    assert "diajukan ke PPK" in page and "menunggu pemeriksaan PPK" in page
    assert 'id="activity-form"' not in page  # nothing more to add while the PPK checks it
    response = client.post(
        "/kontrak-saya/laporan/2026/11/kegiatan/hapus", data={"entry_id": report.entries[0].id}, headers=HX
    )
    assert response.status_code == 422 and "sudah diajukan" in response.get_data(as_text=True)
    assert len(report_of(db, contract).entries) == 1


def test_an_activity_without_evidence_blocks_the_submission_with_the_message(client, db, contract):
    """000 §6A m: every activity needs its evidence before the month goes to the PPK."""
    duty = contract.duties[0]
    response = client.post(
        "/kontrak-saya/laporan/2026/11/kegiatan",
        data={"duty_id": duty.id, "activity": "Rapat koordinasi situs."},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303  # without JavaScript: back to the month
    page = client.get("/kontrak-saya/laporan/2026/11").get_data(as_text=True)
    assert "Belum ada bukti dukung" in page and "belum dapat diajukan" in page

    response = client.post("/kontrak-saya/laporan/2026/11/ajukan", data={"summary": "Ringkasan."})
    assert response.status_code == 422
    assert "Setiap kegiatan memerlukan bukti dukung" in response.get_data(as_text=True)
    assert report_of(db, contract).status == "draft"

    # Taking the entry off and adding it again with its evidence lets the month go.
    entry = report_of(db, contract).entries[0]
    response = client.post("/kontrak-saya/laporan/2026/11/kegiatan/hapus", data={"entry_id": entry.id}, headers=HX)
    assert response.status_code == 200 and "Kegiatan dihapus." in response.get_data(as_text=True)
    client.post(
        "/kontrak-saya/laporan/2026/11/kegiatan",
        data={"duty_id": duty.id, "activity": "Rapat koordinasi situs.", "evidence": evidence()},
        content_type="multipart/form-data",
    )
    assert client.post("/kontrak-saya/laporan/2026/11/ajukan", data={"summary": "Ringkasan."}).status_code == 303


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_beside_the_field(client, db, contract):
    response = client.post(
        "/kontrak-saya/laporan/2026/11/kegiatan",
        data={"duty_id": contract.duties[0].id, "activity": "Uji.", "evidence": evidence("skrip.sh", b"#!/bin/sh")},
        content_type="multipart/form-data",
        headers=HX,
    )
    assert response.status_code == 422
    assert "Jenis berkas tidak diizinkan" in response.get_data(as_text=True)
    assert report_of(db, contract) is None or not report_of(db, contract).entries


def test_the_ppks_feedback_is_shown_on_a_returned_month(client, db, contract):
    """000 §6A m with the PPK's review: a returned month shows the feedback and can be corrected."""
    report = services.get_or_create_activity_report(db, contract.worker, contract, 2026, 10)
    upload = io.BytesIO(DEMO_PDF)
    upload.filename = "bukti.pdf"
    services.add_activity(db, contract.worker, report, contract.duties[1].id, "Unggah video kegiatan.", upload)
    services.submit_activity_report(db, contract.worker, report, "Oktober.")
    services.review_activity_report(db, contract.ppk, report, False, "Lampirkan tangkapan layar kanal.")
    page = client.get("/kontrak-saya/laporan/2026/10").get_data(as_text=True)
    assert "Dikembalikan" in page and "Lampirkan tangkapan layar kanal." in page
    assert 'id="activity-form"' in page  # a returned month can be corrected
    listing = client.get("/kontrak-saya/laporan").get_data(as_text=True)
    assert "Oktober 2026" in listing and "Dikembalikan" in listing and "Desember 2026" in listing


def test_a_month_outside_the_contract_is_not_found_with_the_message(client, contract):
    response = client.get("/kontrak-saya/laporan/2026/6")
    assert response.status_code == 404
    assert "Bulan ini di luar masa kontrak Anda." in response.get_data(as_text=True)
    assert client.post("/kontrak-saya/laporan/2027/1/ajukan", data={"summary": "x"}).status_code == 404


def test_another_workers_activity_entry_cannot_be_removed(client, db, contract):
    other = make_contract()
    theirs = services.get_or_create_activity_report(db, other.worker, other, 2026, 11)
    services.add_activity(db, other.worker, theirs, other.duties[0].id, "Milik orang lain.")
    entry_id = theirs.entries[0].id
    assert client.post("/kontrak-saya/laporan/2026/11/kegiatan/hapus", data={"entry_id": entry_id}).status_code == 404
    db.expire_all()
    assert len(report_of(db, other).entries) == 1


# --- the dashboard card and the menu (issue 6 §6) -----------------------------------------------------


def test_the_dashboard_card_shows_the_balance_pending_requests_and_this_months_report(client, db, contract):
    services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 3), "", TODAY
    )
    body = client.get("/dasbor").get_data(as_text=True)
    assert 'id="card-my_contract"' in body
    assert "9 dari 12 hari kerja" in body and "1 permohonan" in body
    assert "Laporan November 2026" in body and "Belum dibuat" in body
    assert 'href="/kontrak-saya/laporan/2026/11"' in body
    for label in ("Kontrak saya", "Cuti saya", "Laporan kegiatan"):
        assert f">{label}</a>" in body


# --- who may open what --------------------------------------------------------------------------------

ENDPOINTS = [
    ("GET", "/kontrak-saya"),
    ("GET", "/kontrak-saya/cuti"),
    ("POST", "/kontrak-saya/cuti"),
    ("GET", "/kontrak-saya/cuti/pratinjau?jenis=annual&mulai=2026-12-01&selesai=2026-12-02"),
    ("POST", "/kontrak-saya/cuti/{leave_id}/batal"),
    ("GET", "/kontrak-saya/laporan"),
    ("GET", "/kontrak-saya/laporan/2026/11"),
    ("POST", "/kontrak-saya/laporan/2026/11/kegiatan"),
    ("POST", "/kontrak-saya/laporan/2026/11/kegiatan/hapus"),
    ("POST", "/kontrak-saya/laporan/2026/11/ajukan"),
]


def test_every_endpoint_of_the_blueprint_is_in_the_access_table(app):
    rules_here = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("my_contract.")}
    assert len(rules_here) == len({url.split("?")[0] for _m, url in ENDPOINTS})


@pytest.fixture()
def a_leave(db):
    contract = make_contract()
    return services.request_leave(
        db, contract.worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 1), "", TODAY
    )


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_a_stranger_is_sent_to_sign_in(client, a_leave, method, url):
    response = client.open(url.format(leave_id=a_leave.id), method=method)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("role", ["anggota", "ppk"])
@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_other_roles_are_refused(client, login_as, a_leave, role, method, url):
    login_as(role)
    assert client.open(url.format(leave_id=a_leave.id), method=method).status_code == 403


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_the_worker_may_open_every_page(client, db, login_as, method, url):
    worker = login_as("kontrak")
    contract = make_contract(worker=worker)
    leave = services.request_leave(
        db, worker, contract, "annual", dt.date(2026, 12, 1), dt.date(2026, 12, 1), "", TODAY
    )
    response = client.open(url.format(leave_id=leave.id), method=method)
    if method == "GET":
        assert response.status_code == 200
    else:  # a post without its fields: refused as a form, never as a stranger
        assert response.status_code < 500 and response.status_code not in (401, 403, 404)
