"""The review side of reports and performance through the browser's eyes (DESIGN §3; issue 5;
seed 004 §3; seed 002 §20(2)–(4)): the koordinator's queue, return and validation with feedback that
locks the month, the sekretaris's unlock, plan approval, the yearly evaluation with its predikat,
consolidation with the quota check, the ketua's final report to the pembina, settings, recaps in
Excel and PDF, and the dashboard cards."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pontive.core import pagination
from pontive.extensions import db as _db
from pontive.performance import services
from pontive.performance.models import Evaluation, EvaluationStatus, PlanStatus, ReportStatus, ReviewDecision
from tests import factories
from tests.services.test_performance_recaps import MONTH, YEAR, StatementCounter, Upload, member_month
from tests.team_factories import make_koordinator, make_member

ALL_AS = {key: "as" for key, _ in services.rules.BERAKHLAK}


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture()
def opds(db):
    return SimpleNamespace(
        mine=factories.make_opd(name="Dinas Kesehatan"), other=factories.make_opd(name="Dinas Sosial")
    )


@pytest.fixture()
def waiting(db, opds):
    """A submitted October report in my OPD and one in another OPD (with its own koordinator)."""
    mine = member_month(db, opds.mine, "Ani Wijaya")
    theirs = member_month(db, opds.other, "Zaki Ramadhan")
    return SimpleNamespace(mine=mine, theirs=theirs, their_koordinator=make_koordinator(opds.other))


# --- the queue and one report (004; 002 §20(2)) -------------------------------------------------------------


def test_queue_shows_the_submitted_reports_of_my_opd_only(client, login_as, opds, waiting):
    """004: the koordinator validates the reports of the members placed in their OPD, and no others."""
    login_as("koordinator", opd=opds.mine)
    page = client.get("/penilaian").get_data(as_text=True)
    assert "Ani Wijaya" in page
    assert "Zaki Ramadhan" not in page
    assert f'href="/penilaian/laporan/{waiting.mine.report.id}"' in page


def test_month_statuses_filter_answers_a_fragment_and_flags_late_members(client, login_as, opds, waiting):
    """The month's statuses filter in place (htmx `results` block); a member with nothing filed is late."""
    make_member(opds.mine, full_name="Cici Lestari")
    login_as("koordinator", opd=opds.mine)
    url = f"/penilaian?tahun={YEAR}&bulan={MONTH}&status=none"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="results"' in fragment
    assert "Cici Lestari" in fragment and "Ani Wijaya" not in fragment
    if dt.date.today() > services.rules.due_date(YEAR, MONTH, 5):
        assert "Terlambat" in fragment
    whole = client.get(url).get_data(as_text=True)
    assert "<html" in whole and "Menunggu validasi" in whole


def test_a_koordinator_of_another_opd_gets_404_for_the_report_and_cannot_validate(client, login_as, opds, waiting):
    """Issue 5 "a validation by someone who is not the member's koordinator": nothing changes."""
    login_as("koordinator", opd=opds.other)
    report_id = waiting.mine.report.id
    assert client.get(f"/penilaian/laporan/{report_id}").status_code == 404
    assert client.get(f"/penilaian/laporan/{report_id}/riwayat").status_code == 404
    response = client.post(f"/penilaian/laporan/{report_id}/validasi", data={"feedback": "OK"})
    assert response.status_code in (403, 404)
    assert client.post(f"/penilaian/laporan/{report_id}/kembalikan", data={"feedback": "x"}).status_code == 404
    assert waiting.mine.report.status == ReportStatus.SUBMITTED


def test_the_report_shows_targets_realisations_achievement_and_evidence(client, login_as, opds, waiting):
    """004: action plans with targets, realisations, the capped achievement per plan and the mean."""
    login_as("koordinator", opd=opds.mine)
    page = client.get(f"/penilaian/laporan/{waiting.mine.report.id}").get_data(as_text=True)
    assert "Modul pengaduan" in page and "Uji coba" in page
    assert "100,00 %" in page and "75,00 %" in page  # 2 of 2, 3 of 4
    assert "87,50 %" in page  # the month's mean
    evidence = waiting.mine.report.realisations[0].evidence[0]
    assert f"/berkas/{evidence.file_id}" in page
    assert "Laporan Ani Wijaya bulan 10." in page
    assert 'action="/penilaian/laporan/' in page and 'formaction="/penilaian/laporan/' in page


def test_validation_without_feedback_is_refused_and_changes_nothing(client, login_as, opds, waiting):
    """004 feedback on every validation: an empty feedback is a message, the report stays submitted."""
    login_as("koordinator", opd=opds.mine)
    response = client.post(f"/penilaian/laporan/{waiting.mine.report.id}/validasi", data={"feedback": "  "})
    assert response.status_code == 422
    assert "Tuliskan umpan balik" in response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == f"/penilaian/laporan/{waiting.mine.report.id}"  # reloadable
    assert waiting.mine.report.status == ReportStatus.SUBMITTED
    assert [r.decision for r in waiting.mine.report.reviews] == [ReviewDecision.SUBMITTED]


def test_validation_locks_the_month_against_the_member(db, client, login_as, opds, waiting):
    """004 "dikunci per bulan": after validation the member's later changes are refused."""
    login_as("koordinator", opd=opds.mine)
    response = client.post(
        f"/penilaian/laporan/{waiting.mine.report.id}/validasi", data={"feedback": "Bagus, lanjutkan."}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/penilaian")
    report = waiting.mine.report
    assert report.status == ReportStatus.VALIDATED and report.achievement == Decimal("87.50")
    member, first = waiting.mine.member, waiting.mine.actions[0]
    with pytest.raises(services.PerformanceError, match="terkunci"):
        services.save_report(db, member, report, narrative="ubah", activities="", realisations={})
    with pytest.raises(services.PerformanceError, match="terkunci"):
        services.add_evidence(db, member, report, first.id, Upload())
    with pytest.raises(services.PerformanceError, match="terkunci"):
        services.delete_action_plan(db, member, first)
    page = client.get(f"/penilaian/laporan/{report.id}").get_data(as_text=True)
    assert "Terkunci" in page and 'id="review-form"' not in page


def test_return_with_feedback_reaches_the_history_tab(client, login_as, opds, waiting):
    """004: the validation history is its own tab, with every decision and its feedback."""
    login_as("koordinator", opd=opds.mine)
    report_id = waiting.mine.report.id
    response = client.post(f"/penilaian/laporan/{report_id}/kembalikan", data={"feedback": "Lampirkan foto uji coba."})
    assert response.status_code == 302
    assert waiting.mine.report.status == ReportStatus.RETURNED
    history = client.get(f"/penilaian/laporan/{report_id}/riwayat").get_data(as_text=True)
    assert "Lampirkan foto uji coba." in history and "Dikembalikan dengan umpan balik" in history
    assert 'aria-current="page">Riwayat validasi' in history


def test_sekretaris_unlocks_a_validated_month_with_a_reason_and_a_koordinator_cannot(
    db, client, login_as, opds, waiting
):
    """Issue 5 §3: the only way back into a locked month is the sekretaris's audited unlock with a reason."""
    koordinator = make_koordinator(opds.mine)
    services.validate_report(db, koordinator, waiting.mine.report, "OK")
    report_id = waiting.mine.report.id

    login_as("koordinator", opd=opds.mine, username="koordinator_lain")
    assert client.post(f"/penilaian/laporan/{report_id}/buka-kunci", data={"reason": "x"}).status_code == 403
    client.post("/keluar")

    login_as("sekretaris")
    page = client.get(f"/penilaian/laporan/{report_id}").get_data(as_text=True)
    assert 'id="unlock-form"' in page
    response = client.post(f"/penilaian/laporan/{report_id}/buka-kunci", data={"reason": ""})
    assert response.status_code == 422 and "alasan" in response.get_data(as_text=True)
    assert waiting.mine.report.status == ReportStatus.VALIDATED
    response = client.post(
        f"/penilaian/laporan/{report_id}/buka-kunci", data={"reason": "Salah input realisasi, diminta anggota."}
    )
    assert response.status_code == 302
    assert waiting.mine.report.status == ReportStatus.RETURNED
    assert waiting.mine.report.reviews[-1].decision == ReviewDecision.UNLOCKED


# --- plan approval (issue 5 §1) --------------------------------------------------------------------------------


def test_koordinator_approves_a_plan_or_returns_it_with_feedback(db, client, login_as, opds):
    month = member_month(db, opds.mine, "Ani Wijaya", submit=False)
    services.submit_plan(db, month.member, month.plan)
    login_as("koordinator", opd=opds.mine)
    index = client.get("/penilaian").get_data(as_text=True)
    assert f"/penilaian/rencana/{month.plan.id}" in index
    page = client.get(f"/penilaian/rencana/{month.plan.id}").get_data(as_text=True)
    assert "Tersedianya aplikasi layanan" in page and "Modul selesai" in page

    url = f"/penilaian/rencana/{month.plan.id}/setujui"
    response = client.post(url, data={"decision": "return", "feedback": ""})
    assert response.status_code == 422 and "umpan balik" in response.get_data(as_text=True)
    assert month.plan.status == PlanStatus.SUBMITTED
    assert client.post(url, data={"decision": "return", "feedback": "Tambahkan RHK dokumentasi."}).status_code == 302
    assert month.plan.status == PlanStatus.DRAFT
    services.submit_plan(db, month.member, month.plan)
    assert client.post(url, data={"decision": "approve"}).status_code == 302
    assert month.plan.status == PlanStatus.APPROVED


def test_a_plan_of_another_opd_is_not_found(db, client, login_as, opds):
    month = member_month(db, opds.other, "Zaki Ramadhan", submit=False)
    services.submit_plan(db, month.member, month.plan)
    login_as("koordinator", opd=opds.mine)
    assert client.get(f"/penilaian/rencana/{month.plan.id}").status_code == 404
    assert client.post(f"/penilaian/rencana/{month.plan.id}/setujui", data={"decision": "approve"}).status_code == 404


# --- evaluation, consolidation, final report (002 §20(2)–(4)) ----------------------------------------------------


def evaluation_form(results: str, behaviour: str, values: dict[str, str] | None = None) -> dict[str, str]:
    return {"results_rating": results, "behaviour_rating": behaviour, "notes": "", **(values or ALL_AS)}


@pytest.mark.parametrize(
    ("results", "behaviour", "predikat"),
    [
        ("above", "above", "Sangat Baik"),
        ("above", "as", "Baik"),
        ("above", "below", "Kurang/Misconduct"),
        ("as", "above", "Baik"),
        ("as", "as", "Baik"),
        ("as", "below", "Kurang/Misconduct"),
        ("below", "above", "Butuh Perbaikan"),
        ("below", "as", "Butuh Perbaikan"),
        ("below", "below", "Sangat Kurang"),
    ],
)
def test_evaluation_shows_the_predikat_of_the_matrix(db, client, login_as, opds, results, behaviour, predikat):
    """DESIGN §3 (PermenPANRB 6/2022): the predikat follows results × behaviour, cell by cell."""
    membership = make_member(opds.mine, full_name="Ani Wijaya")
    login_as("koordinator", opd=opds.mine)
    url = f"/penilaian/evaluasi/{YEAR}/{membership.member_id}"
    response = client.post(url, data=evaluation_form(results, behaviour))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert f'<strong id="predikat">{predikat}</strong>' in page
    assert f"<mark>{predikat}</mark>" in page


def test_evaluation_suggests_the_results_rating_and_refuses_missing_values(db, client, login_as, opds):
    """002 §20(2): the suggestion comes from the yearly achievement; all seven BerAKHLAK values are needed."""
    koordinator = login_as("koordinator", opd=opds.mine)
    month = member_month(db, opds.mine, "Ani Wijaya", values=("3", "2"))  # 85 %
    services.validate_report(db, koordinator, month.report, "OK")
    url = f"/penilaian/evaluasi/{YEAR}/{month.member.id}"
    page = client.get(url).get_data(as_text=True)
    assert "85,00 %" in page and 'id="suggestion">Di bawah ekspektasi' in page
    assert re.search(r'<input[^>]* checked [^>]*name="results_rating"[^>]*value="below"', page)
    values = {**ALL_AS}
    del values["kolaboratif"]
    response = client.post(url, data=evaluation_form("below", "as", values))
    assert response.status_code == 422 and "Kolaboratif" in response.get_data(as_text=True)
    assert db.query(Evaluation).count() == 0


def test_evaluating_a_member_of_another_opd_is_not_found(client, login_as, opds):
    membership = make_member(opds.other, full_name="Zaki Ramadhan")
    login_as("koordinator", opd=opds.mine)
    url = f"/penilaian/evaluasi/{YEAR}/{membership.member_id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=evaluation_form("as", "as")).status_code == 404


def _evaluate(db, opd, koordinator, name: str, results: str, behaviour: str):
    membership = make_member(opd, full_name=name)
    services.save_evaluation(
        db, koordinator, membership.member, YEAR, results_rating=results, behaviour=ALL_AS, behaviour_rating=behaviour
    )
    return membership.member


def test_quota_breach_is_shown_with_the_members_and_refuses_the_final_report(db, client, login_as, opds):
    """004 "kuota predikat": a breach is shown with the members concerned, not hidden, and the ketua's
    final report (002 §20(4)) is refused with its message until it is resolved."""
    koordinator = make_koordinator(opds.mine)
    _evaluate(db, opds.mine, koordinator, "Ani Wijaya", "above", "above")
    _evaluate(db, opds.mine, koordinator, "Budi Santoso", "above", "above")
    _evaluate(db, opds.mine, koordinator, "Cici Lestari", "as", "as")
    sekretaris = login_as("sekretaris")
    services.save_settings(db, sekretaris, Decimal(120), 5, {"Sangat Baik": Decimal(40)})  # 1 of 3 allowed

    # the koordinator passes the evaluations on
    client.post("/keluar")
    login_as("koordinator", opd=opds.mine, username="koordinator_kirim")
    services.submit_evaluations(db, koordinator, YEAR)
    client.post("/keluar")

    login_as("sekretaris", username="sekretaris2")
    page = client.get(f"/penilaian/konsolidasi/{YEAR}").get_data(as_text=True)
    assert "Kuota predikat terlampaui" in page
    assert "Ani Wijaya" in page and "Budi Santoso" in page
    assert "2 orang (66,67 %), maksimal 1" in page
    assert client.post(f"/penilaian/konsolidasi/{YEAR}").status_code == 302
    assert db.query(Evaluation).filter_by(status=EvaluationStatus.CONSOLIDATED).count() == 3
    client.post("/keluar")

    login_as("ketua")
    url = f"/penilaian/laporan-akhir/{YEAR}"
    page = client.get(url).get_data(as_text=True)
    assert "Kuota predikat terlampaui" in page and "Budi Santoso" in page
    form = {"number": "800/TP/2026", "letter_date": "2026-12-20", "summary": "Laporan akhir tim."}
    response = client.post(url, data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kuota predikat terlampaui — Sangat Baik: 2 orang, maksimal 1" in body
    assert client.get(f"/penilaian/laporan-akhir/{YEAR}.pdf").status_code == 404
    assert db.query(Evaluation).filter_by(status=EvaluationStatus.FINAL).count() == 0


def test_final_report_pdf_lists_each_member_and_predikat_for_the_pembina(db, client, login_as, opds):
    """002 §20(4): the ketua sends the final report and each member's evaluation to the pembina."""
    koordinator = make_koordinator(opds.mine)
    _evaluate(db, opds.mine, koordinator, "Ani Wijaya", "above", "above")
    _evaluate(db, opds.mine, koordinator, "Budi Santoso", "below", "as")
    services.submit_evaluations(db, koordinator, YEAR)
    services.consolidate(db, factories.make_user(roles=["sekretaris"]), YEAR)
    login_as("ketua", full_name="Ir. Siti Rahmawati")
    url = f"/penilaian/laporan-akhir/{YEAR}"
    form = {"number": "800/045/TP/2026", "letter_date": "2026-12-20", "summary": "Tim bekerja baik."}
    assert client.post(url, data=form).status_code == 302
    assert "800/045/TP/2026" in client.get(url).get_data(as_text=True)
    response = client.get(f"{url}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "800/045/TP/2026" in text and "20 Desember 2026" in text
    assert "Ani Wijaya" in text and "Sangat Baik" in text
    assert "Budi Santoso" in text and "Butuh Perbaikan" in text
    assert "Pembina" in text and "Ir. Siti Rahmawati" in text
    client.post("/keluar")
    login_as("pembina")
    assert client.get(f"{url}.pdf").status_code == 200
    dashboard = client.get("/dasbor").get_data(as_text=True)
    assert f"/penilaian/laporan-akhir/{YEAR}.pdf" in dashboard


# --- settings ---------------------------------------------------------------------------------------------------


def test_settings_refuse_a_cap_of_250_and_save_quotas(db, client, login_as):
    login_as("sekretaris")
    response = client.post("/penilaian/pengaturan", data={"achievement_cap": "250", "due_day": "5"})
    assert response.status_code == 422
    assert "Batas capaian harus antara 100 % dan 200 %." in response.get_data(as_text=True)
    assert services.settings(db).id is None  # nothing saved
    response = client.post(
        "/penilaian/pengaturan",
        data={"achievement_cap": "110", "due_day": "10", "quota_sangat_baik": "20", "quota_baik": ""},
    )
    assert response.status_code == 302
    saved = services.settings(db)
    assert saved.achievement_cap == Decimal(110) and saved.due_day == 10
    assert saved.predikat_quotas == {"Sangat Baik": "20"}
    page = client.get("/penilaian/pengaturan").get_data(as_text=True)
    assert 'value="110.00"' in page and 'value="20.00"' in page


# --- recaps (004 "export … PDF dan Excel") ---------------------------------------------------------------------


def test_recap_excel_has_the_header_and_a_row_per_member_month(db, client, login_as, opds, waiting):
    koordinator = login_as("koordinator", opd=opds.mine)
    services.validate_report(db, koordinator, waiting.mine.report, "Baik.")
    make_member(opds.mine, full_name="Cici Lestari")
    response = client.get(f"/penilaian/rekap.xlsx?tahun={YEAR}&bulan={MONTH}&opd={opds.mine.id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Nama anggota",
        "Nama pengguna",
        "OPD",
        "Bulan",
        "Status",
        "Capaian (%)",
        "Divalidasi oleh",
        "Divalidasi pada",
    )
    assert [r[0] for r in rows[1:]] == ["Ani Wijaya", "Cici Lestari"]
    ani = rows[1]
    assert ani[2:6] == ("Dinas Kesehatan", "Oktober 2026", "Divalidasi (terkunci)", 87.5)
    assert ani[6] == koordinator.full_name and isinstance(ani[7], dt.datetime)
    assert rows[2][4] == "Belum ada laporan" and rows[2][5] is None


def test_yearly_recap_excel_has_each_month_and_the_mean(db, client, login_as, opds, waiting):
    koordinator = make_koordinator(opds.mine)
    services.validate_report(db, koordinator, waiting.mine.report, "Baik.")
    login_as("sekretaris")
    response = client.get(f"/penilaian/rekap.xlsx?tahun={YEAR}")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nama anggota", "Nama pengguna", "OPD", "Jan") and rows[0][-1] == "Rata-rata (%)"
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Ani Wijaya", "Zaki Ramadhan"}  # the whole team
    assert by_name["Ani Wijaya"][3 + MONTH - 1] == 87.5 and by_name["Ani Wijaya"][-1] == 87.5
    assert by_name["Zaki Ramadhan"][-1] is None  # submitted, not validated


def test_recap_pdf_names_the_opd_and_the_month(db, client, login_as, opds, waiting):
    login_as("koordinator", opd=opds.mine)
    page = client.get(f"/penilaian/rekap?tahun={YEAR}&bulan={MONTH}&opd={opds.mine.id}").get_data(as_text=True)
    assert "Ani Wijaya" in page and "Zaki Ramadhan" not in page
    assert f"/penilaian/rekap.pdf?tahun={YEAR}&amp;bulan={MONTH}&amp;opd={opds.mine.id}" in page
    response = client.get(f"/penilaian/rekap.pdf?tahun={YEAR}&bulan={MONTH}&opd={opds.mine.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Dinas Kesehatan" in text and "Oktober 2026" in text and "Ani Wijaya" in text
    yearly = pdf_text(client.get(f"/penilaian/rekap.pdf?tahun={YEAR}").data)
    assert "Tahun 2026" in yearly and "Ani Wijaya" in yearly


def test_a_koordinator_cannot_recap_another_opd(client, login_as, opds, waiting):
    login_as("koordinator", opd=opds.mine)
    for path in ("rekap", "rekap.xlsx", "rekap.pdf"):
        assert client.get(f"/penilaian/{path}?tahun={YEAR}&opd={opds.other.id}").status_code == 404


# --- dashboard cards (issue 5 §10) ---------------------------------------------------------------------------


def test_cards_show_the_koordinators_waiting_count_and_the_per_opd_rates(db, client, login_as, opds, waiting):
    login_as("koordinator", opd=opds.mine)
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Laporan menunggu validasi" in page
    assert '<strong id="waiting-count">1</strong>' in page
    client.post("/keluar")
    login_as("ketua")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Laporan per OPD" in page and "Sebaran predikat" in page
    assert 'id="per-opd"' in page or "Belum ada anggota" in page


# --- the demo (issue 5 §10) ---------------------------------------------------------------------------------


def test_after_seeding_the_demo_koordinator_has_a_report_waiting(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert client.post("/masuk", data={"username": "koordinator", "password": "pontive-demo"}).status_code == 302
    page = client.get("/penilaian").get_data(as_text=True)
    waiting_table = page.split('id="waiting"', 1)[1].split("</table>", 1)[0]
    assert "Agus Prasetyo" in waiting_table  # the demo anggota's last month
    assert client.get("/dasbor").status_code == 200


# --- who may open what ---------------------------------------------------------------------------------------------


@pytest.fixture()
def objects(db, opds):
    """A month of my OPD's member, validated, with a submitted plan and a sent final report."""
    koordinator = make_koordinator(opds.mine)
    month = member_month(db, opds.mine, "Ani Wijaya")
    services.validate_report(db, koordinator, month.report, "OK")
    services.submit_plan(db, month.member, month.plan)
    services.save_evaluation(
        db, koordinator, month.member, YEAR, results_rating="as", behaviour=ALL_AS, behaviour_rating="as"
    )
    services.submit_evaluations(db, koordinator, YEAR)
    services.consolidate(db, factories.make_user(roles=["sekretaris"]), YEAR)
    services.send_final_report(
        db, factories.make_user(roles=["ketua"]), YEAR, "800/1/2026", dt.date(2026, 12, 20), "Ringkasan"
    )
    return SimpleNamespace(month=month, member_id=month.member.id, report_id=month.report.id, plan_id=month.plan.id)


def _pages(o) -> dict[str, tuple[str, ...]]:
    """GET pages and the roles that may open them (with the objects above, in the koordinator's OPD)."""
    return {
        "/penilaian": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/laporan/{o.report_id}": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/laporan/{o.report_id}/riwayat": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/rencana/{o.plan_id}": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/evaluasi/{YEAR}": ("koordinator",),
        f"/penilaian/evaluasi/{YEAR}/{o.member_id}": ("koordinator",),
        f"/penilaian/konsolidasi/{YEAR}": ("sekretaris",),
        f"/penilaian/laporan-akhir/{YEAR}": ("ketua",),
        f"/penilaian/laporan-akhir/{YEAR}.pdf": ("ketua", "pembina", "sekretaris"),
        "/penilaian/pengaturan": ("sekretaris", "admin"),
        f"/penilaian/rekap?tahun={YEAR}&bulan={MONTH}": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/rekap.xlsx?tahun={YEAR}": ("koordinator", "sekretaris", "ketua"),
        f"/penilaian/rekap.pdf?tahun={YEAR}&bulan={MONTH}": ("koordinator", "sekretaris", "ketua"),
    }


POSTS = {
    "/penilaian/laporan/{report_id}/kembalikan": "koordinator",
    "/penilaian/laporan/{report_id}/validasi": "koordinator",
    "/penilaian/laporan/{report_id}/buka-kunci": "sekretaris",
    "/penilaian/rencana/{plan_id}/setujui": "koordinator",
    "/penilaian/evaluasi/{year}/kirim": "koordinator",
}


@pytest.mark.parametrize("role", ["anonymous", "pelamar", "kontrak", "koordinator", "sekretaris", "ketua", "pembina"])
def test_every_review_page_answers_each_role_as_declared(client, login_as, opds, objects, role):
    """Anonymous → the sign-in page; a role without the grant → 403; the right role → 200."""
    if role != "anonymous":
        login_as(role, opd=opds.mine if role == "koordinator" else None)
    problems = []
    for url, allowed in _pages(objects).items():
        response = client.get(url)
        if role == "anonymous":
            ok = response.status_code == 302 and "/masuk" in response.headers["Location"]
        elif role in allowed:
            ok = response.status_code == 200
        else:
            ok = response.status_code == 403
        if not ok:
            problems.append(f"GET {url}: {response.status_code}")
    for template, allowed in POSTS.items():
        url = template.format(report_id=objects.report_id, plan_id=objects.plan_id, year=YEAR)
        response = client.post(url)
        if role == "anonymous":
            ok = response.status_code == 302 and "/masuk" in response.headers["Location"]
        elif role == allowed:
            ok = response.status_code < 500 and response.status_code not in (401, 403)
        else:
            ok = response.status_code == 403
        if not ok:
            problems.append(f"POST {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


# --- speed (issue 8 §2): the review page costs the same however many members and reports ------------------


def _statements(client, url: str, **kwargs) -> tuple[int, str]:
    with StatementCounter(_db.engine) as counter:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["koordinator", "sekretaris"])
def test_the_review_page_reads_as_many_statements_for_many_members_as_for_one(
    db, client, login_as, opds, waiting, role
):
    """Queues, month statuses and the koordinator's own achievement: each one statement, never one per
    member or report (at most 12 in all, the same with more rows)."""
    login_as(role, opd=opds.mine if role == "koordinator" else None)
    url = f"/penilaian?tahun={YEAR}&bulan={MONTH}"
    before, _html = _statements(client, url)
    for n in range(3):
        member_month(db, opds.mine, f"Tambahan {n}")
    services.submit_plan(db, waiting.mine.member, waiting.mine.plan)
    after, html = _statements(client, url)
    assert "Tambahan 2" in html
    assert after == before and after <= 12
    fragment, _html = _statements(client, url + "&status=submitted", headers={"HX-Request": "true"})
    assert fragment < after  # the filter's fragment reads the month statuses only


def test_the_month_statuses_count_stops_past_the_page_and_says_more_than(db, client, login_as, opds, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    for n in range(30):
        make_member(opds.mine, full_name=f"Anggota Massal {n:02d}")
    login_as("koordinator", opd=opds.mine)
    fragment = client.get(f"/penilaian?tahun={YEAR}&bulan={MONTH}", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "lebih dari 25 anggota" in html and 'rel="next"' in html
    last = client.get(f"/penilaian?tahun={YEAR}&bulan={MONTH}&page=2", headers={"HX-Request": "true"})
    html = last.get_data(as_text=True)
    assert "30 anggota" in html and "Anggota Massal 29" in html and 'rel="next"' not in html


def test_the_waiting_queue_shows_the_oldest_reports_and_loads_more_in_place(db, client, login_as, opds, monkeypatch):
    """The queue shows its oldest reports a few at a time (issue 8 §2): "Tampilkan lebih banyak" loads
    the next ones (htmx rows in place of the link), until the last, in the same number of statements."""
    from pontive.performance import review_views

    monkeypatch.setattr(review_views, "QUEUE_LIMIT", 2)
    filed = [member_month(db, opds.mine, f"Antre {n}") for n in range(5)]
    for n, item in enumerate(filed):
        item.report.submitted_at = dt.datetime(YEAR, MONTH + 1, 1, n, 0)
    db.commit()
    login_as("koordinator", opd=opds.mine)
    page = client.get("/penilaian").get_data(as_text=True)
    assert "Antre 0" in page and "Antre 1" in page and 'id="waiting-more"' in page
    assert f'id="waiting-{filed[2].report.id}"' not in page
    first, more = _statements(client, "/penilaian?antrian=2", headers={"HX-Request": "true"})
    assert "<html" not in more and "<table" not in more
    assert f'id="waiting-{filed[2].report.id}"' in more and f'id="waiting-{filed[3].report.id}"' in more
    assert f'id="waiting-{filed[1].report.id}"' not in more and "antrian=4" in more
    last_count, last = _statements(client, "/penilaian?antrian=4", headers={"HX-Request": "true"})
    assert f'id="waiting-{filed[4].report.id}"' in last and 'id="waiting-more"' not in last
    assert last_count == first
