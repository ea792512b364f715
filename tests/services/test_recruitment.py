"""The selection pipeline through its services (002 §16–19; 000 §10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from pontive.core.models import AuditLog
from pontive.recruitment import services
from pontive.recruitment.models import (
    ApplicationStatus,
    LetterKind,
    RoundKind,
    RoundStatus,
    Stage,
)
from pontive.team.models import Membership
from tests import factories
from tests.recruitment_factories import TODAY, make_applicant, make_application, make_round

SelectionError = services.SelectionError


def test_filing_is_refused_outside_the_open_dates(db):
    """Issue 3 §2: an application can only be filed while the round is open."""
    selection_round = make_round(status=RoundStatus.CLOSED)
    with pytest.raises(SelectionError, match="tidak sedang dibuka"):
        services.start_application(db, make_applicant(), selection_round, TODAY)
    later = make_round(open_date=TODAY + dt.timedelta(days=1), close_date=TODAY + dt.timedelta(days=9))
    with pytest.raises(SelectionError, match="tidak sedang dibuka"):
        services.start_application(db, make_applicant(), later, TODAY)


def test_a_second_application_to_the_same_round_is_refused(db):
    selection_round = make_round()
    applicant = make_applicant()
    services.start_application(db, applicant, selection_round, TODAY)
    with pytest.raises(SelectionError, match="sudah memiliki lamaran"):
        services.start_application(db, applicant, selection_round, TODAY)


def test_submission_checks_completeness_and_changes_nothing_when_incomplete(db):
    selection_round = make_round()
    applicant = make_applicant()
    application = services.start_application(db, applicant, selection_round, TODAY)
    with pytest.raises(SelectionError) as error:
        services.submit_application(db, applicant, application, TODAY)
    assert "Unggah daftar riwayat hidup." in str(error.value)
    assert application.status == ApplicationStatus.DRAFT


def test_late_submission_is_refused(db):
    selection_round = make_round()
    application = make_application(selection_round, "draft")
    with pytest.raises(SelectionError, match="sudah ditutup"):
        services.submit_application(
            db, application.applicant, application, selection_round.close_date + dt.timedelta(days=1)
        )


def test_admin_check_reason_names_the_missing_years(db):
    """002 §18b: 4 years for a senior category."""
    application = make_application(
        make_round(), "submitted", category_code="senior_system_admin", years="3", certificate="LPIC-1"
    )
    experience = next(r for r in application.admin_results if r["code"] == "experience")
    assert not experience["passed"]
    assert experience["reason"] == "Pengalaman 3 tahun, minimal 4 tahun untuk Senior System Administrator."


def test_panel_override_needs_a_written_reason(db):
    selection_round = make_round()
    application = make_application(
        selection_round, "submitted", category_code="senior_system_admin", years="3", certificate="LPIC-1"
    )
    panelist = selection_round.panel[0].user
    with pytest.raises(SelectionError, match="alasan"):
        services.decide_admin_check(db, panelist, application, True, "")
    services.decide_admin_check(
        db, panelist, application, True, "Surat pernyataan menyebut 4 tahun; salah ketik di formulir."
    )
    assert application.status == ApplicationStatus.ADMIN_PASSED
    assert application.admin_override_reason.startswith("Surat pernyataan")
    assert application.events[-1].reason.startswith("Surat pernyataan")


def test_failed_application_keeps_its_reasons(db):
    selection_round = make_round()
    application = make_application(selection_round, "submitted", category_code="data_center_professional", years="5")
    services.decide_admin_check(db, selection_round.panel[0].user, application, False, "")
    assert application.status == ApplicationStatus.ADMIN_FAILED
    assert "Tidak ada sertifikat yang diterima untuk Data Center Professional" in application.events[-1].reason


def test_someone_not_on_the_panel_cannot_decide_or_score(db):
    selection_round = make_round()
    application = make_application(selection_round, "submitted")
    stranger = factories.make_user(roles=["panel"])
    with pytest.raises(SelectionError, match="bukan anggota tim seleksi"):
        services.decide_admin_check(db, stranger, application, True, "")
    interview = make_application(selection_round, "interview")
    with pytest.raises(SelectionError, match="bukan anggota tim seleksi"):
        services.record_score(db, stranger, interview, Stage.INTERVIEW, 90)


@pytest.mark.parametrize("value", ["101", "-1", "7.5", "", "sembilan"])
def test_a_score_outside_0_to_100_is_refused(db, value):
    selection_round = make_round()
    application = make_application(selection_round, "interview")
    with pytest.raises(SelectionError, match="Nilai"):
        services.record_score(db, selection_round.panel[0].user, application, Stage.INTERVIEW, value)


def test_a_panel_member_scores_once_and_sees_others_only_after(db):
    a, b = factories.make_user(roles=["panel"]), factories.make_user(roles=["panel"])
    selection_round = make_round(panel=[a, b])
    application = make_application(selection_round, "interview")
    services.record_score(db, a, application, Stage.INTERVIEW, 85)
    assert services.visible_scores(db, application, Stage.INTERVIEW, b) == []
    with pytest.raises(SelectionError, match="sudah memberi nilai"):
        services.record_score(db, a, application, Stage.INTERVIEW, 90)
    services.record_score(db, b, application, Stage.INTERVIEW, 75)
    assert [s.score for s in services.visible_scores(db, application, Stage.INTERVIEW, b)] == [85, 75]


def test_stage_result_is_the_panel_mean_against_the_pass_mark(db):
    a, b = factories.make_user(roles=["panel"]), factories.make_user(roles=["panel"])
    selection_round = make_round(panel=[a, b], min_panel_scores=2)
    application = make_application(selection_round, "interview")
    services.record_score(db, a, application, Stage.INTERVIEW, 72)
    with pytest.raises(SelectionError, match="minimal 2 penilai"):
        services.close_stage(db, a, application, Stage.INTERVIEW)
    services.record_score(db, b, application, Stage.INTERVIEW, 67)
    result = services.close_stage(db, a, application, Stage.INTERVIEW)
    assert result.mean == Decimal("69.50") and not result.passed
    assert application.status == ApplicationStatus.INTERVIEW_FAILED


def test_moving_a_stage_backwards_is_refused(db):
    selection_round = make_round()
    application = make_application(selection_round, "practical")
    with pytest.raises(SelectionError, match="tidak sedang berada pada tahap"):
        services.record_score(db, selection_round.panel[0].user, application, Stage.INTERVIEW, 90)
    with pytest.raises(SelectionError, match="baru diajukan"):
        services.decide_admin_check(db, selection_round.panel[0].user, application, True, "")


def test_call_letter_numbers_and_moves_to_interview(db):
    selection_round = make_round()
    first = make_application(selection_round, "admin_passed")
    second = make_application(selection_round, "admin_passed")
    letters = services.issue_call_letters(
        db,
        selection_round.panel[0].user,
        selection_round,
        [first, second],
        kind=LetterKind.CALL_INTERVIEW,
        number_prefix="800/PANSEL",
        letter_date=TODAY,
        event_at=dt.datetime(2026, 12, 1, 9),
        place="Aula",
    )
    assert [letter.number for letter in letters] == ["800/PANSEL/001", "800/PANSEL/002"]
    assert first.status == second.status == ApplicationStatus.INTERVIEW


def test_whole_pipeline_to_announcement_and_appointment(db):
    ketua = factories.make_user(roles=["ketua"])
    selection_round = make_round(quota=1)
    best = make_application(selection_round, "passed", scores=(90, 90))
    second = make_application(selection_round, "passed", scores=(80, 85))
    failed = make_application(selection_round, "submitted")
    services.decide_admin_check(db, selection_round.panel[0].user, failed, False, "Dokumen tidak sah.")
    with pytest.raises(SelectionError, match="sudah ditutup"):
        services.announce(db, ketua, selection_round, "800/123/2026", TODAY)
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, ketua, selection_round, "800/123/2026", TODAY)
    assert best.status == ApplicationStatus.SELECTED and best.rank == 1
    assert second.status == ApplicationStatus.NOT_SELECTED and second.rank == 2
    assert selection_round.status == RoundStatus.ANNOUNCED
    membership = services.appoint(db, ketua, best, "188.45/Kep.131-Diskominfostandi/2026", dt.date(2027, 1, 2))
    assert membership.end_date == dt.date(2028, 1, 1)
    assert best.applicant.has_role("anggota")
    assert db.scalar(select(Membership).where(Membership.member_id == best.applicant_id)) is not None
    actions = set(db.scalars(select(AuditLog.action).where(AuditLog.entity_type == "Application")))
    assert {
        "application_submitted",
        "application_admin_check",
        "application_announced",
        "application_appointed",
    } <= actions


def test_announcement_waits_for_unfinished_applications(db):
    ketua = factories.make_user(roles=["ketua"])
    selection_round = make_round()
    make_application(selection_round, "interview")
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    with pytest.raises(SelectionError, match="1 lamaran yang belum selesai"):
        services.announce(db, ketua, selection_round, "800/1", TODAY)


def test_contract_round_ranks_a_local_ktp_first_on_equal_scores(db):
    """000 §10A: a local KTP is preferred — a tie-breaker, not a gate."""
    ketua = factories.make_user(roles=["ketua"])
    selection_round = make_round(RoundKind.CONTRACT, quota=1, local_city="Bekasi")
    outsider = make_application(selection_round, "passed", scores=(80, 80), ktp_city="Kota Bandung")
    local = make_application(selection_round, "passed", scores=(80, 80), ktp_city="Kota Bekasi")
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, ketua, selection_round, "027/SPK/2027", TODAY)
    assert local.status == ApplicationStatus.SELECTED
    assert outsider.status == ApplicationStatus.NOT_SELECTED


def test_contract_admin_check_flags_age_and_gpa(db):
    selection_round = make_round(RoundKind.CONTRACT)
    application = make_application(selection_round, "submitted", birth_date=dt.date(1985, 1, 1), gpa=Decimal("2.70"))
    results = {r["code"]: r for r in application.admin_results}
    assert not results["age"]["passed"] and "Usia 41 tahun" in results["age"]["reason"]
    assert not results["gpa"]["passed"] and "IPK 2,70" in results["gpa"]["reason"]
    assert results["npwp"]["passed"] and results["local_ktp"]["passed"]
