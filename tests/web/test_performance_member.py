"""The member's side of reports and performance, through the browser's eyes (issue 5; 004 §3;
002 §20(1)): the plan with its RHK, action plans, realisations typed as people write them, evidence
from a phone, submission only when complete, the month locked by validation, the history tab,
the print, the period reports, who may see evidence, and the dashboard card."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from pontive.extensions import db as _db
from pontive.performance import services
from pontive.performance.models import (
    ActionPlan,
    Evidence,
    Indicator,
    MonthlyReport,
    PeriodReport,
    PlanStatus,
    Realisation,
    ReportStatus,
    WorkResult,
)
from pontive.recruitment.demo import DEMO_PDF
from tests import factories
from tests.team_factories import make_koordinator, make_member

YEAR, MONTH = 2026, 10
MONTH_URL = f"/kinerja/bulan/{YEAR}/{MONTH}"


class Upload(io.BytesIO):
    def __init__(self, data: bytes = DEMO_PDF, filename: str = "bukti.pdf"):
        super().__init__(data)
        self.filename = filename


def sign_in(client, user) -> None:
    client.post("/keluar")
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.fixture()
def s(db, client):
    """A member placed in an OPD with a koordinator, an RHK and two action plans in October 2026,
    signed in on ``client``."""
    opd = factories.make_opd()
    koordinator = make_koordinator(opd, "koor_kinerja")
    member = make_member(opd, "anggota_kinerja", full_name="Sari Programmer").member
    plan = services.get_or_create_plan(db, member, YEAR)
    rhk = services.save_work_result(
        db,
        member,
        plan,
        {"title": "Tersedianya aplikasi layanan", "kind": "main"},
        [{"description": "Modul selesai", "target_value": "4", "unit": "modul"}],
    )
    first = services.save_action_plan(
        db, member, rhk, {"month": MONTH, "description": "Modul pengaduan", "target_value": "2", "unit": "modul"}
    )
    second = services.save_action_plan(
        db, member, rhk, {"month": MONTH, "description": "Uji coba", "target_value": "4", "unit": "skenario"}
    )
    sign_in(client, member)
    return {"opd": opd, "koordinator": koordinator, "member": member, "rhk": rhk, "plans": (first, second)}


def report_of(db, member) -> MonthlyReport | None:
    return db.scalar(
        select(MonthlyReport).where(
            MonthlyReport.member_id == member.id, MonthlyReport.year == YEAR, MonthlyReport.month == MONTH
        )
    )


def report_form(s, values=("2", "3"), version: int | None = None, narrative="Bulan yang produktif.") -> dict:
    first, second = s["plans"]
    data = {
        "narrative": narrative,
        "activities": "Rapat, coding.",
        "realisations-0-action_plan_id": str(first.id),
        "realisations-0-value": values[0],
        "realisations-0-note": "",
        "realisations-1-action_plan_id": str(second.id),
        "realisations-1-value": values[1],
        "realisations-1-note": "",
    }
    if version is not None:
        data["version"] = str(version)
    return data


def complete_month(db, s) -> MonthlyReport:
    """Realisations and evidence for both action plans, through the services."""
    member = s["member"]
    report = services.get_or_create_report(db, member, YEAR, MONTH)
    first, second = s["plans"]
    services.save_report(
        db,
        member,
        report,
        narrative="Bulan yang produktif.",
        activities="Rapat, coding.",
        realisations={first.id: {"value": "3"}, second.id: {"value": "2"}},
    )
    for plan in s["plans"]:
        services.add_evidence(db, member, report, plan.id, Upload())
    return report


def validated_month(db, s) -> MonthlyReport:
    report = complete_month(db, s)
    services.submit_report(db, s["member"], report)
    services.validate_report(db, s["koordinator"], report, "Bagus, lanjutkan.")
    return report


# --- 1. the plan -------------------------------------------------------------------------------------


def test_member_adds_an_rhk_with_an_indicator_and_sees_it_in_the_plan(client, db, s):
    """Issue 5 §1: an RHK with an indicator (value, unit, aspect)."""
    response = client.post(
        f"/kinerja/rencana/{YEAR}/rhk",
        data={
            "title": "Terselenggaranya integrasi data",
            "kind": "additional",
            "program_id": "",
            "parent_id": "",
            "indicators-0-description": "API terhubung",
            "indicators-0-target_value": "2,5",
            "indicators-0-unit": "layanan",
            "indicators-0-aspect": "quality",
        },
    )
    assert response.status_code == 302
    work_result = db.scalar(select(WorkResult).where(WorkResult.title == "Terselenggaranya integrasi data"))
    assert work_result.kind.value == "additional"
    assert [(i.description, i.target_value, i.unit, i.aspect) for i in work_result.indicators] == [
        ("API terhubung", Decimal("2.50"), "layanan", "quality")
    ]
    page = client.get(f"/kinerja/rencana?tahun={YEAR}").get_data(as_text=True)
    assert "Terselenggaranya integrasi data" in page
    assert "2,5 layanan" in page
    assert "Kualitas" in page
    assert "Tambahan" in page


def test_an_indicator_without_a_unit_is_refused_with_a_message(client, db, s):
    response = client.post(
        f"/kinerja/rencana/{YEAR}/rhk",
        data={
            "title": "RHK tanpa satuan",
            "kind": "main",
            "indicators-0-description": "Sesuatu",
            "indicators-0-target_value": "3",
            "indicators-0-unit": "",
            "indicators-0-aspect": "quantity",
        },
    )
    assert response.status_code == 422
    assert "Satuan indikator 1 wajib diisi" in response.get_data(as_text=True)
    assert db.scalar(select(func.count(WorkResult.id)).where(WorkResult.title == "RHK tanpa satuan")) == 0


def test_member_edits_an_rhk_and_may_link_it_to_the_koordinators_rhk(client, db, s):
    """Issue 5 §1: optionally linked to the koordinator's own RHK; 004: each RHK stays editable."""
    koordinator_plan = services.get_or_create_plan(db, s["koordinator"], YEAR)
    parent = services.save_work_result(
        db,
        s["koordinator"],
        koordinator_plan,
        {"title": "Transformasi digital OPD", "kind": "main"},
        [{"description": "Layanan digital", "target_value": "10", "unit": "layanan"}],
    )
    page = client.get(f"/kinerja/rencana?tahun={YEAR}&ubah={s['rhk'].id}").get_data(as_text=True)
    assert "Transformasi digital OPD" in page  # offered as the RHK to intervene in
    response = client.post(
        f"/kinerja/rhk/{s['rhk'].id}",
        data={
            "title": "Tersedianya aplikasi layanan publik",
            "kind": "main",
            "parent_id": str(parent.id),
            "indicators-0-description": "Modul selesai",
            "indicators-0-target_value": "5",
            "indicators-0-unit": "modul",
            "indicators-0-aspect": "quantity",
        },
    )
    assert response.status_code == 302
    db.refresh(s["rhk"])
    assert s["rhk"].title == "Tersedianya aplikasi layanan publik"
    assert s["rhk"].parent_id == parent.id
    assert [i.target_value for i in s["rhk"].indicators] == [Decimal(5)]


def test_member_submits_the_plan_for_approval(client, db, s):
    response = client.post(f"/kinerja/rencana/{YEAR}/ajukan", follow_redirects=True)
    assert "diajukan kepada koordinator" in response.get_data(as_text=True)
    plan = services.get_or_create_plan(db, s["member"], YEAR)
    assert plan.status == PlanStatus.SUBMITTED


# --- 2. the month --------------------------------------------------------------------------------------


def test_the_month_shows_action_plans_by_rhk_with_due_date_and_checklist(client, s):
    page = client.get(MONTH_URL).get_data(as_text=True)
    assert "Tersedianya aplikasi layanan" in page
    assert "Modul pengaduan" in page and "Uji coba" in page
    assert "5 November 2026" in page  # due on day 5 of the next month (issue 5 §3)
    assert "Draf" in page
    assert "Unggah bukti dukung untuk “Modul pengaduan”" in page  # the live checklist
    assert 'inputmode="decimal"' in page
    assert 'accept="application/pdf,image/jpeg,image/png"' in page  # a phone offers its camera


def test_member_adds_edits_and_deletes_an_action_plan(client, db, s):
    """Issue 5 §2: action plans per RHK per month with a target value, editable until the month is locked."""
    response = client.post(
        f"{MONTH_URL}/rencana-aksi",
        data={
            "work_result_id": str(s["rhk"].id),
            "description": "Dokumentasi API",
            "target_value": "1,5",
            "unit": "dok",
        },
    )
    assert response.status_code == 302
    plan = db.scalar(select(ActionPlan).where(ActionPlan.description == "Dokumentasi API"))
    assert (plan.year, plan.month, plan.target_value) == (YEAR, MONTH, Decimal("1.50"))

    response = client.post(
        f"/kinerja/rencana-aksi/{plan.id}",
        data={"description": "Dokumentasi API v2", "target_value": "3", "unit": "dok"},
    )
    assert response.status_code == 302
    db.refresh(plan)
    assert (plan.description, plan.target_value) == ("Dokumentasi API v2", Decimal(3))

    response = client.post(
        f"/kinerja/rencana-aksi/{plan.id}", data={"description": "", "target_value": "x", "unit": ""}
    )
    assert response.status_code == 422
    assert "harus berupa angka" in response.get_data(as_text=True)

    plan_id = plan.id
    assert client.post(f"/kinerja/rencana-aksi/{plan_id}/hapus").status_code == 302
    assert db.scalar(select(func.count(ActionPlan.id)).where(ActionPlan.id == plan_id)) == 0


def test_an_action_plan_needs_an_rhk_of_the_member(client, db, s):
    stranger = make_member(s["opd"], "anggota_lain").member
    other_plan = services.get_or_create_plan(db, stranger, YEAR)
    other_rhk = services.save_work_result(
        db, stranger, other_plan, {"title": "RHK orang lain"}, [{"description": "x", "target_value": "1", "unit": "x"}]
    )
    response = client.post(
        f"{MONTH_URL}/rencana-aksi",
        data={"work_result_id": str(other_rhk.id), "description": "Menyusup", "target_value": "1", "unit": "x"},
    )
    assert response.status_code == 422
    assert db.scalar(select(func.count(ActionPlan.id)).where(ActionPlan.description == "Menyusup")) == 0


def test_realisations_accept_a_decimal_comma(client, db, s):
    """Numbers as Indonesians type them on a phone: "12,5"."""
    response = client.post(f"{MONTH_URL}/laporan", data=report_form(s, values=("12,5", "")))
    assert response.status_code == 302
    report = report_of(db, s["member"])
    values = {r.action_plan_id: r.value for r in report.realisations}
    assert values == {s["plans"][0].id: Decimal("12.50"), s["plans"][1].id: None}
    assert report.narrative == "Bulan yang produktif."
    page = client.get(MONTH_URL).get_data(as_text=True)
    assert 'value="12,5"' in page


def test_a_realisation_that_is_not_a_number_is_refused_and_nothing_is_saved(client, db, s):
    """Issue 5 "Bad input": a realisation that is not a number — clear message, nothing changed."""
    response = client.post(f"{MONTH_URL}/laporan", data=report_form(s, values=("dua", "3")))
    assert response.status_code == 422
    assert "harus berupa angka" in response.get_data(as_text=True)
    report = report_of(db, s["member"])
    assert report is None or (not report.realisations and report.narrative == "")


def test_a_stale_form_does_not_overwrite_a_newer_save(client, db, s):
    client.post(f"{MONTH_URL}/laporan", data=report_form(s, narrative="Versi pertama"))
    version = report_of(db, s["member"]).version
    assert (
        client.post(f"{MONTH_URL}/laporan", data=report_form(s, version=version, narrative="Dari ponsel")).status_code
        == 302
    )
    response = client.post(f"{MONTH_URL}/laporan", data=report_form(s, version=version, narrative="Dari laptop lama"))
    assert response.status_code == 422
    assert "diubah di tempat lain" in response.get_data(as_text=True)
    assert report_of(db, s["member"]).narrative == "Dari ponsel"


def test_member_uploads_evidence_and_a_text_file_named_pdf_is_refused(client, db, s):
    """004 "Bukti dukung … wajib di unggah": PDF, JPEG or PNG, checked by content."""
    first, _ = s["plans"]
    response = client.post(
        f"/kinerja/rencana-aksi/{first.id}/bukti",
        data={"file": (io.BytesIO(b"sekadar teks, bukan PDF"), "bukti.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Jenis berkas tidak diizinkan" in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Evidence.id))) == 0

    response = client.post(
        f"/kinerja/rencana-aksi/{first.id}/bukti",
        data={"file": (io.BytesIO(DEMO_PDF), "foto-rapat.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#rencana-aksi-{first.id}")
    evidence = db.scalars(select(Evidence)).all()
    assert [e.file.original_name for e in evidence] == ["foto-rapat.pdf"]
    assert "foto-rapat.pdf" in client.get(MONTH_URL).get_data(as_text=True)


def test_htmx_evidence_upload_swaps_only_that_action_plans_block(client, db, s):
    first, _ = s["plans"]
    response = client.post(
        f"/kinerja/rencana-aksi/{first.id}/bukti",
        data={"file": (io.BytesIO(DEMO_PDF), "bukti.pdf")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true", "HX-Target": f"bukti-{first.id}"},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert f'id="bukti-{first.id}"' in body
    assert "bukti.pdf" in body
    assert 'id="checklist"' in body and 'hx-swap-oob="true"' in body  # the checklist follows
    assert "Unggah bukti dukung untuk “Modul pengaduan”" not in body

    evidence = db.scalar(select(Evidence))
    response = client.post(f"/kinerja/bukti/{evidence.id}/hapus", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Evidence.id))) == 0


def test_uploading_evidence_does_not_make_the_open_report_form_stale(client, db, s):
    client.post(f"{MONTH_URL}/laporan", data=report_form(s))
    version = report_of(db, s["member"]).version
    client.post(
        f"/kinerja/rencana-aksi/{s['plans'][0].id}/bukti",
        data={"file": (io.BytesIO(DEMO_PDF), "bukti.pdf")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert client.post(f"{MONTH_URL}/laporan", data=report_form(s, version=version)).status_code == 302


def test_submitting_without_evidence_shows_what_is_missing_and_stays_draft(client, db, s):
    """004 "bukti dukung wajib": the month cannot be submitted without evidence for every action plan."""
    response = client.post(f"{MONTH_URL}/ajukan", data=report_form(s))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Laporan belum dapat diajukan" in body
    assert "Unggah bukti dukung untuk “Modul pengaduan”" in body
    assert "Unggah bukti dukung untuk “Uji coba”" in body
    assert report_of(db, s["member"]).status == ReportStatus.DRAFT
    assert response.headers["HX-Push-Url"] == MONTH_URL  # a reload shows the month, not a POST endpoint


def test_submitting_a_complete_month_sends_it_to_the_koordinator(client, db, s):
    for plan in s["plans"]:
        client.post(
            f"/kinerja/rencana-aksi/{plan.id}/bukti",
            data={"file": (io.BytesIO(DEMO_PDF), "bukti.pdf")},
            content_type="multipart/form-data",
        )
    page = client.get(MONTH_URL).get_data(as_text=True)
    assert "Isi realisasi untuk “Modul pengaduan”" in page
    response = client.post(f"{MONTH_URL}/ajukan", data=report_form(s, values=("2", "3,5")), follow_redirects=True)
    assert response.status_code == 200
    report = report_of(db, s["member"])
    assert report.status == ReportStatus.SUBMITTED
    body = response.get_data(as_text=True)
    assert "diajukan kepada koordinator" in body
    assert "Terkunci" in body
    assert "Simpan draf" not in body  # read-only while it waits


def test_a_validated_month_refuses_every_change_through_every_route(client, db, s):
    """Issue 5 "Checked by": a locked month cannot change through any route (004 "dikunci per bulan")."""
    report = validated_month(db, s)
    first, second = s["plans"]
    evidence = report.realisations[0].evidence[0]

    def snapshot():
        _db.session.expire_all()
        r = report_of(db, s["member"])
        return (
            r.status,
            r.version,
            r.narrative,
            sorted((x.action_plan_id, x.value) for x in r.realisations),
            db.scalar(select(func.count(Evidence.id))),
            sorted((p.id, p.description, p.target_value) for p in db.scalars(select(ActionPlan))),
        )

    before = snapshot()
    attempts = [
        (f"{MONTH_URL}/laporan", report_form(s, values=("9", "9"), version=report.version, narrative="ubah")),
        (f"{MONTH_URL}/ajukan", report_form(s, values=("9", "9"), version=report.version, narrative="ubah")),
        (f"{MONTH_URL}/ajukan", {}),
        (
            f"{MONTH_URL}/rencana-aksi",
            {"work_result_id": str(s["rhk"].id), "description": "Baru", "target_value": "1", "unit": "x"},
        ),
        (f"/kinerja/rencana-aksi/{first.id}", {"description": "Diubah", "target_value": "9", "unit": "modul"}),
        (f"/kinerja/rencana-aksi/{second.id}/hapus", {}),
        (f"/kinerja/rencana-aksi/{first.id}/bukti", {"file": (io.BytesIO(DEMO_PDF), "baru.pdf")}),
        (f"/kinerja/bukti/{evidence.id}/hapus", {}),
    ]
    for url, data in attempts:
        response = client.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)
        assert "terkunci" in response.get_data(as_text=True).lower(), url
        assert snapshot() == before, url
    page = client.get(MONTH_URL).get_data(as_text=True)
    assert "Terkunci" in page
    assert "Divalidasi (terkunci)" in page
    assert "Simpan draf" not in page and "Unggah" not in page


def test_another_members_objects_are_not_found(client, db, s):
    """healthchecks style: what is not yours answers 404, not 403."""
    stranger = make_member(s["opd"], "anggota_asing").member
    plan = services.get_or_create_plan(db, stranger, YEAR)
    rhk = services.save_work_result(
        db, stranger, plan, {"title": "RHK asing"}, [{"description": "x", "target_value": "1", "unit": "x"}]
    )
    action_plan = services.save_action_plan(
        db, stranger, rhk, {"month": MONTH, "description": "Rahasia", "target_value": "1", "unit": "x"}
    )
    report = services.get_or_create_report(db, stranger, YEAR, MONTH)
    evidence = services.add_evidence(db, stranger, report, action_plan.id, Upload())

    assert client.get(f"/berkas/{evidence.file_id}").status_code == 404
    assert client.get(f"{MONTH_URL}/cetak.pdf?anggota={stranger.id}").status_code == 404
    assert client.get(f"/kinerja/rencana?tahun={YEAR}&ubah={rhk.id}").status_code == 404
    assert client.post(f"/kinerja/rhk/{rhk.id}", data={"title": "x"}).status_code == 404
    assert client.post(f"/kinerja/rencana-aksi/{action_plan.id}", data={"description": "x"}).status_code == 404
    assert client.post(f"/kinerja/rencana-aksi/{action_plan.id}/hapus").status_code == 404
    assert client.post(f"/kinerja/rencana-aksi/{action_plan.id}/bukti").status_code == 404
    assert client.post(f"/kinerja/bukti/{evidence.id}/hapus").status_code == 404
    assert "Rahasia" not in client.get(MONTH_URL).get_data(as_text=True)
    assert db.get(ActionPlan, action_plan.id).description == "Rahasia"
    assert db.get(Evidence, evidence.id) is not None


def test_evidence_is_seen_by_the_member_their_koordinator_sekretaris_and_ketua_only(client, db, s):
    """Issue 5: "Evidence is seen only by the member, their koordinator, the sekretaris and the ketua"."""
    report = complete_month(db, s)
    file_id = report.realisations[0].evidence[0].file_id
    assert client.get(f"/berkas/{file_id}").status_code == 200  # the member

    allowed = [
        s["koordinator"],
        factories.make_user("sekretaris_bukti", roles=["sekretaris"]),
        factories.make_user("ketua_bukti", roles=["ketua"]),
    ]
    refused = [
        factories.make_user("koor_lain", roles=["koordinator"], opd=factories.make_opd()),
        make_member(s["opd"], "rekan_satu_opd").member,
        factories.make_user("admin_bukti", roles=["admin"]),
        factories.make_user("pembina_bukti", roles=["pembina"]),
    ]
    for user in allowed:
        sign_in(client, user)
        response = client.get(f"/berkas/{file_id}")
        assert response.status_code == 200, user.username
        assert response.data == DEMO_PDF
    for user in refused:
        sign_in(client, user)
        assert client.get(f"/berkas/{file_id}").status_code == 404, user.username


def test_the_month_list_shows_every_month_with_one_query_for_the_year(client, db, s, app):
    """The list reads the year in a fixed number of queries, however many months have reports."""

    def count_queries(url: str) -> tuple[int, str]:
        statements = []

        def record(conn, cursor, statement, *args):  # noqa: ARG001
            statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", record)
        try:
            body = client.get(url).get_data(as_text=True)
        finally:
            event.remove(_db.engine, "before_cursor_execute", record)
        return len(statements), body

    url = f"/kinerja/laporan?tahun={YEAR}"
    services.get_or_create_report(db, s["member"], YEAR, 1)
    few, body = count_queries(url)
    assert "Januari" in body and "Desember" in body
    for month in range(2, 10):
        services.get_or_create_report(db, s["member"], YEAR, month)
    validated_month(db, s)
    many, body = count_queries(url)
    assert many == few
    assert "Divalidasi (terkunci)" in body
    assert "Draf" in body
    assert "135,00 %" not in body and "85,00 %" in body  # 3/2 capped at 120 %, 2/4 = 50 %
    assert "Terlambat" in body  # September's draft is past its due date of 5 October


def test_the_history_tab_shows_every_review_with_feedback(client, db, s):
    """004: "History validasi di pindah dari tombol ke tab tersendiri"."""
    report = complete_month(db, s)
    services.submit_report(db, s["member"], report)
    services.return_report(db, s["koordinator"], report, "Lengkapi foto kegiatan uji coba.")
    month_page = client.get(MONTH_URL).get_data(as_text=True)
    assert f'href="{MONTH_URL}/riwayat"' in month_page  # the tab beside the report
    assert "Lengkapi foto kegiatan uji coba." in month_page  # the feedback is shown on the report too
    page = client.get(f"{MONTH_URL}/riwayat").get_data(as_text=True)
    assert 'aria-current="page">Riwayat validasi' in page
    assert "Dikembalikan dengan umpan balik" in page
    assert "Lengkapi foto kegiatan uji coba." in page
    assert s["koordinator"].full_name in page
    assert "Diajukan" in page and "Sari Programmer" in page


def test_the_dashboard_card_shows_this_months_report(client, db, s, monkeypatch):
    from pontive.performance import views

    monkeypatch.setattr(views, "local_today", lambda: dt.date(YEAR, MONTH, 20))
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Laporan bulan ini" in page
    assert "Oktober 2026" in page
    assert "5 November 2026" in page
    assert "4 hal" in page  # two realisations and two evidence files missing
    assert f'href="{MONTH_URL}"' in page

    report = complete_month(db, s)
    services.submit_report(db, s["member"], report)
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Diajukan" in page


def test_last_months_unfinished_report_stays_on_the_card_until_done(client, db, s, monkeypatch):
    from pontive.performance import views

    monkeypatch.setattr(views, "local_today", lambda: dt.date(YEAR, MONTH + 1, 3))
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Oktober 2026" in page  # October's action plans still wait for a report
    validated_month(db, s)
    page = client.get("/dasbor").get_data(as_text=True)
    assert "November 2026" in page


def test_quarterly_and_end_of_term_reports_are_composed_from_the_months(client, db, s):
    """002 §20(1): monthly, quarterly and end-of-term reports."""
    validated_month(db, s)
    page = client.get(f"/kinerja/periode/{YEAR}/4").get_data(as_text=True)
    assert "Oktober" in page and "November" in page and "Desember" in page
    assert "85,00 %" in page
    response = client.post(f"/kinerja/periode/{YEAR}/4", data={"summary": "Triwulan yang baik."})
    assert response.status_code == 302
    period = db.scalar(select(PeriodReport).where(PeriodReport.member_id == s["member"].id))
    assert (period.quarter, period.summary, period.achievement) == (4, "Triwulan yang baik.", Decimal("85.00"))
    assert client.post(f"/kinerja/periode/{YEAR}/0", data={"summary": ""}).status_code == 422
    assert client.get(f"/kinerja/periode/{YEAR}/5").status_code == 404


def test_the_print_is_for_the_member_their_koordinator_sekretaris_and_ketua(client, db, s):
    """004 "cetak SKP Bulanan … tanggal yang flexible di header"; a bad date falls back to today."""
    validated_month(db, s)
    response = client.get(f"{MONTH_URL}/cetak.pdf?tanggal=2026-11-30")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert client.get(f"{MONTH_URL}/cetak.pdf?tanggal=30-11-2026").status_code == 200
    assert client.get(f"{MONTH_URL}/cetak.pdf?tanggal=2026-02-31").status_code == 200
    member_id = s["member"].id
    for user in (s["koordinator"], factories.make_user("sekr_cetak", roles=["sekretaris"])):
        sign_in(client, user)
        assert client.get(f"{MONTH_URL}/cetak.pdf?anggota={member_id}").status_code == 200, user.username
    sign_in(client, factories.make_user("koor_cetak_lain", roles=["koordinator"], opd=factories.make_opd()))
    assert client.get(f"{MONTH_URL}/cetak.pdf?anggota={member_id}").status_code == 404


# --- every endpoint: who may open it --------------------------------------------------------------------

GET_URLS = [
    "/kinerja/rencana",
    f"/kinerja/rencana?tahun={YEAR}",
    "/kinerja/laporan",
    MONTH_URL,
    f"{MONTH_URL}/riwayat",
    f"{MONTH_URL}/cetak.pdf",
    f"/kinerja/periode/{YEAR}/1",
    f"/kinerja/periode/{YEAR}/0",
]
POST_URLS = [
    f"/kinerja/rencana/{YEAR}/rhk",
    "/kinerja/rhk/999999",
    f"/kinerja/rencana/{YEAR}/ajukan",
    f"{MONTH_URL}/laporan",
    f"{MONTH_URL}/ajukan",
    f"{MONTH_URL}/rencana-aksi",
    "/kinerja/rencana-aksi/999999",
    "/kinerja/rencana-aksi/999999/hapus",
    "/kinerja/rencana-aksi/999999/bukti",
    "/kinerja/bukti/999999/hapus",
    f"/kinerja/periode/{YEAR}/1",
]


def test_every_endpoint_sends_anonymous_visitors_to_sign_in(client, db):
    for url in GET_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    for url in POST_URLS:
        response = client.post(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url


@pytest.mark.parametrize("role", ["pelamar", "kontrak"])
def test_every_endpoint_refuses_a_wrong_role(client, login_as, role):
    login_as(role)
    for url in GET_URLS:
        assert client.get(url).status_code == 403, url
    for url in POST_URLS:
        assert client.post(url).status_code == 403, url


def test_every_page_opens_for_a_member_even_without_a_placement(client, login_as):
    login_as("anggota")
    for url in GET_URLS:
        assert client.get(url).status_code == 200, url
    assert client.get("/dasbor").status_code == 200


def test_the_member_menu_lists_reports_and_plan(client, s):
    page = client.get("/dasbor").get_data(as_text=True)
    assert 'href="/kinerja/laporan"' in page and "Laporan bulanan" in page
    assert 'href="/kinerja/rencana"' in page and "Rencana kinerja" in page


def test_nothing_is_stored_for_a_month_only_looked_at(client, db, s):
    client.get("/kinerja/bulan/2026/3")
    client.get("/kinerja/bulan/2026/3/riwayat")
    assert db.scalar(select(func.count(MonthlyReport.id))) == 0
    assert db.scalar(select(func.count(Realisation.id))) == 0
    assert db.scalar(select(func.count(Indicator.id))) == 1


def test_the_month_and_its_print_read_as_many_statements_with_more_plans_and_reviews(client, db, s):
    """Issue 8 §2: the month page and its PDF read a fixed number of statements (at most 12): each
    action plan, realisation, evidence and review does not add one."""

    def count(url: str) -> tuple[int, str]:
        statements = []

        def record(conn, cursor, statement, *args):  # noqa: ARG001
            statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", record)
        try:
            response = client.get(url)
        finally:
            event.remove(_db.engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True) if response.mimetype == "text/html" else ""

    complete_month(db, s)
    page_before, _body = count(MONTH_URL)
    print_before, _pdf = count(f"{MONTH_URL}/cetak.pdf")
    added = [
        services.save_action_plan(
            db,
            s["member"],
            s["rhk"],
            {"month": MONTH, "description": f"Tambahan {n}", "target_value": "1", "unit": "x"},
        )
        for n in range(3)
    ]
    report = report_of(db, s["member"])
    plans = [*s["plans"], *added]
    services.save_report(
        db, s["member"], report, narrative="Lagi.", activities="-", realisations={p.id: {"value": "1"} for p in plans}
    )
    for plan in plans:
        services.add_evidence(db, s["member"], report, plan.id, Upload())
    services.submit_report(db, s["member"], report)
    services.return_report(db, s["koordinator"], report, "Tambahkan foto.")
    page_after, body = count(MONTH_URL)
    print_after, _pdf = count(f"{MONTH_URL}/cetak.pdf")
    assert "Tambahan 2" in body and "Tambahkan foto." in body and "Riwayat validasi (2)" in body
    assert page_after == page_before and page_after <= 12
    assert print_after == print_before and print_after <= 12
