"""The monthly report as PDF (004 "Fitur cetak SKP Bulanan dan ditambahkan inputan tanggal yang
flexible di header"): the chosen date in Indonesian, the member, the action plans, the achievement."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from pontive.performance import prints, services
from pontive.recruitment.demo import DEMO_PDF
from tests import factories
from tests.team_factories import make_koordinator, make_member


class Upload(io.BytesIO):
    def __init__(self):
        super().__init__(DEMO_PDF)
        self.filename = "bukti.pdf"


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture()
def month(app, db):
    opd = factories.make_opd(name="Dinas Kependudukan Uji")
    koordinator = make_koordinator(opd, "koor_cetak")
    member = make_member(opd, "anggota_cetak", full_name="Budi Santoso", nik="3275010101900001").member
    plan = services.get_or_create_plan(db, member, 2026)
    rhk = services.save_work_result(
        db,
        member,
        plan,
        {"title": "Tersedianya aplikasi antrean", "kind": "main"},
        [{"description": "Modul selesai", "target_value": "4", "unit": "modul"}],
    )
    plans = [
        services.save_action_plan(
            db, member, rhk, {"month": 11, "description": "Modul antrean daring", "target_value": "2", "unit": "modul"}
        ),
        services.save_action_plan(
            db, member, rhk, {"month": 11, "description": "Uji beban", "target_value": "4", "unit": "skenario"}
        ),
    ]
    report = services.get_or_create_report(db, member, 2026, 11)
    services.save_report(
        db,
        member,
        report,
        narrative="Aplikasi antrean siap uji publik.",
        activities="Rapat koordinasi.",
        realisations={plans[0].id: {"value": "3"}, plans[1].id: {"value": "2"}},
    )
    for p in plans:
        services.add_evidence(db, member, report, p.id, Upload())
    services.submit_report(db, member, report)
    services.validate_report(db, koordinator, report, "Pertahankan kualitas dokumentasi.")
    with app.test_request_context("/"):
        yield {"member": member, "koordinator": koordinator, "report": report}


def test_the_pdf_carries_the_chosen_header_date_the_member_the_plans_and_the_achievement(db, month):
    pdf = prints.monthly_report_pdf(db, month["member"], 2026, 11, dt.date(2026, 11, 30), month["report"])
    text = pdf_text(pdf)
    assert "30 November 2026" in text  # the date the user picked, in Indonesian
    assert "Budi Santoso" in text
    assert "3275010101900001" in text and "NIK" in text
    assert "Dinas Kependudukan Uji" in text
    assert "November 2026" in text
    assert "Modul antrean daring" in text and "Uji beban" in text
    assert "Tersedianya aplikasi antrean" in text
    assert "120,00 %" in text  # 3 of 2 is 150 %, capped at 120 %
    assert "50,00 %" in text
    assert "85,00 %" in text  # the month: mean of the capped figures
    assert "Aplikasi antrean siap uji publik." in text
    assert "Pertahankan kualitas dokumentasi." in text  # the koordinator's latest feedback
    assert month["koordinator"].full_name in text  # the koordinator signs


def test_an_empty_month_still_prints_with_its_header_date(db, month):
    pdf = prints.monthly_report_pdf(db, month["member"], 2026, 12, dt.date(2027, 1, 4), None)
    text = pdf_text(pdf)
    assert "4 Januari 2027" in text
    assert "Desember 2026" in text
    assert "Belum ada rencana aksi" in text
