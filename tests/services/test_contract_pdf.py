"""The contract summary PDF, read back as text (000 §4–§6, §9; DESIGN §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from pontive.contracts import services
from pontive.contracts.letters import render_contract_summary
from pontive.extensions import db as _db
from tests import factories
from tests.contract_factories import make_contract
from tests.services.test_letters import pdf_text

TODAY = dt.date(2026, 11, 23)


@pytest.fixture()
def ctx(app, db):
    with app.test_request_context("/"):
        yield


def test_the_summary_names_the_spk_the_worker_the_money_and_the_duties(ctx, db):
    """000 §5B–C: Rp 15.250.000 = wage + BPJS Kesehatan + BPJS Ketenagakerjaan; §6A: duties a–o; §9: the period."""
    worker = factories.make_user(roles=["kontrak"], full_name="Fajar Nugroho")
    ppk = factories.make_user(roles=["ppk"], full_name="Syamsul Akbar, S.T.", nip="198001012005011001")
    pptk = factories.make_user(roles=["pptk"], full_name="Maya Sari, S.Kom.")
    contract = make_contract(worker, ppk, spk_number="027/SPK/DISKOMINFO/2026", pptk_id=pptk.id)

    pdf = render_contract_summary(_db.session, contract, TODAY)

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "RINGKASAN KONTRAK" in text and "Nomor: 027/SPK/DISKOMINFO/2026" in text
    assert "Fajar Nugroho" in text and "Admin Pontive Center (Programmer Web dan Aplikasi)" in text
    assert "1 Agustus 2026 s.d. 31 Desember 2026" in text
    assert "Tahun anggaran : 2026" in text and "APBD Kota" in text
    assert "Rp 15.250.000" in text and "Rp 14.000.000" in text
    assert "Rp 750.000" in text and "Rp 500.000" in text
    assert "Kepala Dinas Kominfo" in text  # PA/KPA
    assert "Syamsul Akbar, S.T." in text and "NIP. 19800101 200501 1 001" in text
    assert "Maya Sari, S.Kom." in text
    assert "a. Membantu membuat" in text and "o. Melakukan pengelolaan" in text
    assert "Bekasi, 23 November 2026" in text  # the letterhead's city, the date in Indonesian


def test_the_summary_shows_the_duties_as_edited_for_this_contract(ctx, db):
    """000 §6A: the template is a starting point; the contract's own copy is what the PDF lists."""
    contract = make_contract()
    services.save_duties(
        _db.session, contract.ppk, contract, [("a", "Mengelola portal data kota"), ("b", "Memantau CCTV")]
    )
    text = pdf_text(render_contract_summary(_db.session, contract, TODAY))
    assert "a. Mengelola portal data kota" in text and "b. Memantau CCTV" in text
    assert "Mengelola akun YouTube" not in text
