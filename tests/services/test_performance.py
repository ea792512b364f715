"""Monthly reports through their services: evidence required, validation locks the month, unlock
by the sekretaris only, achievements, evaluation with predikat and the quota check (issue 5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from pontive.performance import services
from pontive.performance.models import MonthlyReport, ReportStatus, ReviewDecision
from pontive.recruitment.demo import DEMO_PDF
from pontive.team import services as team_services
from tests import factories
from tests.team_factories import TODAY, make_koordinator, make_member

PerformanceError = services.PerformanceError
BEHAVIOUR_AS = {key: "as" for key, _ in services.rules.BERAKHLAK}


class Upload(io.BytesIO):
    def __init__(self):
        super().__init__(DEMO_PDF)
        self.filename = "bukti.pdf"


@pytest.fixture()
def setup(db):
    opd = factories.make_opd()
    koordinator = make_koordinator(opd)
    membership = make_member(opd)
    member = membership.member
    plan = services.get_or_create_plan(db, member, 2026)
    rhk = services.save_work_result(
        db,
        member,
        plan,
        {"title": "Tersedianya aplikasi layanan", "kind": "main"},
        [{"description": "Modul selesai", "target_value": "4", "unit": "modul"}],
    )
    first = services.save_action_plan(
        db, member, rhk, {"month": 10, "description": "Modul pengaduan", "target_value": "2", "unit": "modul"}
    )
    second = services.save_action_plan(
        db, member, rhk, {"month": 10, "description": "Uji coba", "target_value": "4", "unit": "skenario"}
    )
    report = services.get_or_create_report(db, member, 2026, 10)
    return {
        "opd": opd,
        "koordinator": koordinator,
        "member": member,
        "membership": membership,
        "rhk": rhk,
        "plans": (first, second),
        "report": report,
    }


def fill(db, s, values=("2", "3"), evidence=True):
    first, second = s["plans"]
    services.save_report(
        db,
        s["member"],
        s["report"],
        narrative="Bulan yang produktif.",
        activities="Rapat, coding.",
        realisations={first.id: {"value": values[0]}, second.id: {"value": values[1]}},
    )
    if evidence:
        for plan in s["plans"]:
            services.add_evidence(db, s["member"], s["report"], plan.id, Upload())


def test_submitting_without_evidence_is_refused_and_changes_nothing(db, setup):
    fill(db, setup, evidence=False)
    with pytest.raises(PerformanceError, match="Unggah bukti dukung"):
        services.submit_report(db, setup["member"], setup["report"])
    assert setup["report"].status == ReportStatus.DRAFT


def test_a_realisation_that_is_not_a_number_is_refused(db, setup):
    first, _ = setup["plans"]
    with pytest.raises(PerformanceError, match="harus berupa angka"):
        services.save_report(
            db, setup["member"], setup["report"], narrative="", activities="", realisations={first.id: {"value": "dua"}}
        )


def test_validation_locks_the_month_against_every_change(db, setup):
    """004 "dikunci per bulan": report, evidence and action plans of a validated month stay as they are."""
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "Bagus, lanjutkan.")
    first, _ = setup["plans"]
    with pytest.raises(PerformanceError, match="terkunci"):
        services.save_report(db, setup["member"], setup["report"], narrative="ubah", activities="", realisations={})
    with pytest.raises(PerformanceError, match="terkunci"):
        services.add_evidence(db, setup["member"], setup["report"], first.id, Upload())
    with pytest.raises(PerformanceError, match="terkunci"):
        services.save_action_plan(
            db, setup["member"], setup["rhk"], {"month": 10, "description": "Baru", "target_value": "1", "unit": "x"}
        )
    with pytest.raises(PerformanceError, match="terkunci"):
        services.delete_action_plan(db, setup["member"], first)
    with pytest.raises(PerformanceError, match="terkunci"):
        services.remove_evidence(db, setup["member"], setup["report"].realisations[0].evidence[0])
    with pytest.raises(PerformanceError):
        services.return_report(db, setup["koordinator"], setup["report"], "Sebenarnya kurang.")


def test_achievement_on_validation_is_the_capped_mean(db, setup):
    fill(db, setup, values=("3", "2"))  # 150 % → capped at 120; 50 %
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "OK")
    assert setup["report"].achievement == Decimal("85.00")


def test_return_needs_feedback_and_the_member_fixes_and_resubmits(db, setup):
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    with pytest.raises(PerformanceError, match="umpan balik"):
        services.return_report(db, setup["koordinator"], setup["report"], "")
    services.return_report(db, setup["koordinator"], setup["report"], "Lampirkan foto uji coba.")
    first, _ = setup["plans"]
    services.save_report(
        db,
        setup["member"],
        setup["report"],
        narrative="Diperbaiki.",
        activities="",
        realisations={first.id: {"value": "2"}},
    )
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "Terima kasih.")
    decisions = [r.decision for r in setup["report"].reviews]
    assert decisions == [
        ReviewDecision.SUBMITTED,
        ReviewDecision.RETURNED,
        ReviewDecision.SUBMITTED,
        ReviewDecision.VALIDATED,
    ]


def test_only_the_members_koordinator_validates(db, setup):
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    stranger = make_koordinator(factories.make_opd())
    with pytest.raises(PerformanceError, match="koordinator anggota ini"):
        services.validate_report(db, stranger, setup["report"], "OK")


def test_unlock_is_for_the_sekretaris_with_a_reason(db, setup):
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "OK")
    sekretaris = factories.make_user(roles=["sekretaris"])
    with pytest.raises(PerformanceError, match="sekretaris"):
        services.unlock_report(db, setup["koordinator"], setup["report"], "Salah hitung")
    with pytest.raises(PerformanceError, match="alasan"):
        services.unlock_report(db, sekretaris, setup["report"], "")
    services.unlock_report(db, sekretaris, setup["report"], "Salah input realisasi, diminta anggota.")
    assert setup["report"].status == ReportStatus.RETURNED and setup["report"].achievement is None


def test_a_stale_form_cannot_overwrite_a_newer_save(db, setup):
    first, _ = setup["plans"]
    old_version = setup["report"].version
    services.save_report(db, setup["member"], setup["report"], narrative="Versi baru", activities="", realisations={})
    with pytest.raises(PerformanceError, match="diubah di tempat lain"):
        services.save_report(
            db,
            setup["member"],
            setup["report"],
            narrative="Versi lama",
            activities="",
            realisations={first.id: {"value": "1"}},
            version=old_version,
        )
    assert db.scalar(select(MonthlyReport.narrative)) == "Versi baru"


def test_a_validated_month_counts_as_activity_for_the_inactivity_rule(db, setup):
    """Issue 5 §9: the team's inactivity rule (002 §15(4)) also counts validated monthly reports."""
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "OK")
    months = services.validated_months(db, [setup["member"].id], dt.date(2026, 1, 1))
    assert months[setup["member"].id] == {(2026, 10)}
    assert services.validated_months in team_services.ACTIVITY_SOURCES


def test_evaluation_predikat_and_the_quota_check_before_the_final_report(db, setup):
    ketua, sekretaris = factories.make_user(roles=["ketua"]), factories.make_user(roles=["sekretaris"])
    services.save_settings(db, sekretaris, Decimal(120), 5, {"Sangat Baik": Decimal(20)})
    evaluation = services.save_evaluation(
        db,
        setup["koordinator"],
        setup["member"],
        2026,
        results_rating="above",
        behaviour={**BEHAVIOUR_AS, "kolaboratif": "above"},
        behaviour_rating="above",
    )
    assert evaluation.predikat == "Sangat Baik"
    services.submit_evaluations(db, setup["koordinator"], 2026)
    services.consolidate(db, sekretaris, 2026)
    with pytest.raises(PerformanceError, match="Kuota predikat terlampaui — Sangat Baik: 1 orang, maksimal 0"):
        services.send_final_report(db, ketua, 2026, "800/TP/2026", TODAY, "Laporan akhir")
    services.save_settings(db, sekretaris, Decimal(120), 5, {"Sangat Baik": Decimal(100)})
    report = services.send_final_report(db, ketua, 2026, "800/TP/2026", TODAY, "Laporan akhir")
    assert report.number == "800/TP/2026"


def test_incomplete_behaviour_ratings_are_refused(db, setup):
    with pytest.raises(PerformanceError, match="Kolaboratif"):
        services.save_evaluation(
            db,
            setup["koordinator"],
            setup["member"],
            2026,
            results_rating="as",
            behaviour={k: "as" for k, _ in services.rules.BERAKHLAK[:-1]},
            behaviour_rating="as",
        )


def test_quarterly_report_takes_its_three_validated_months(db, setup):
    fill(db, setup)
    services.submit_report(db, setup["member"], setup["report"])
    services.validate_report(db, setup["koordinator"], setup["report"], "OK")
    period = services.compose_period_report(db, setup["member"], 2026, 4, "Triwulan IV berjalan baik.")
    assert period.achievement == setup["report"].achievement


def test_api_realisation_goes_into_the_months_report(db, setup):
    first, _ = setup["plans"]
    row = services.submit_realisation(db, setup["member"], first.id, "2", "lewat API", Upload())
    assert row.value == Decimal(2) and len(row.evidence) == 1
    other = factories.make_user(roles=["anggota"])
    with pytest.raises(PerformanceError, match="tidak ditemukan"):
        services.submit_realisation(db, other, first.id, "1")
