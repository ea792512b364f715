"""Team services: tasks within the OPD, meetings and attendance, discipline letters (002 §13–15)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from pontive.core.models import AuditLog
from pontive.recruitment.demo import DEMO_PDF
from pontive.team import services
from pontive.team.models import (
    AttendanceStatus,
    DisciplineLetter,
    MeetingScope,
    MembershipStatus,
    TaskEvent,
    TaskStatus,
)
from tests import factories
from tests.team_factories import TODAY, make_koordinator, make_member

TeamError = services.TeamError


class Letter(io.BytesIO):
    def __init__(self):
        super().__init__(DEMO_PDF)
        self.filename = "izin.pdf"


def test_koordinator_assigns_only_to_members_placed_in_the_opd(db):
    """002 §13(1)a: tasks go to the programmers of the koordinator's OPD — never to anyone else."""
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    koordinator = make_koordinator(opd_a)
    ours, theirs = make_member(opd_a), make_member(opd_b)
    task = services.create_task(db, koordinator, opd_a.id, {"title": "Perbaiki SIMPEG"}, [ours.member_id], TODAY)
    assert [u.id for u in task.assignees] == [ours.member_id]
    with pytest.raises(TeamError, match="ditempatkan di OPD ini"):
        services.create_task(db, koordinator, opd_a.id, {"title": "Lain"}, [theirs.member_id], TODAY)
    with pytest.raises(TeamError, match="bukan koordinator"):
        services.create_task(db, koordinator, opd_b.id, {"title": "Lain"}, [theirs.member_id], TODAY)


def test_due_date_in_the_past_is_refused(db):
    opd = factories.make_opd()
    member = make_member(opd)
    with pytest.raises(TeamError, match="Tenggat"):
        services.create_task(
            db,
            make_koordinator(opd),
            opd.id,
            {"title": "X", "due_date": TODAY - dt.timedelta(days=1)},
            [member.member_id],
            TODAY,
        )


def test_task_moves_through_its_statuses_with_history(db):
    opd = factories.make_opd()
    koordinator, member = make_koordinator(opd), make_member(opd)
    task = services.create_task(db, koordinator, opd.id, {"title": "Backup basis data"}, [member.member_id], TODAY)
    worker = member.member
    services.move_task(db, worker, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, worker, task, TaskStatus.DONE)
    with pytest.raises(TeamError, match="catatan"):
        services.move_task(db, koordinator, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, koordinator, task, TaskStatus.IN_PROGRESS, "Tambahkan log rotasi.")
    services.move_task(db, worker, task, TaskStatus.DONE)
    services.move_task(db, koordinator, task, TaskStatus.VERIFIED)
    assert task.status == TaskStatus.VERIFIED and task.verified_by_id == koordinator.id
    assert [e.to_status for e in task.events] == ["assigned", "in_progress", "done", "in_progress", "done", "verified"]
    assert db.scalar(select(AuditLog).where(AuditLog.action == "task_move", AuditLog.entity_id == str(task.id)))


def test_a_member_cannot_verify_and_a_stranger_cannot_move(db):
    opd = factories.make_opd()
    member, other = make_member(opd), make_member(opd)
    task = services.create_task(db, make_koordinator(opd), opd.id, {"title": "T"}, [member.member_id], TODAY)
    with pytest.raises(TeamError, match="Hanya anggota"):
        services.move_task(db, other.member, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, member.member, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, member.member, task, TaskStatus.DONE)
    with pytest.raises(TeamError, match="Hanya koordinator"):
        services.move_task(db, member.member, task, TaskStatus.VERIFIED)


def test_excused_needs_a_letter_and_a_closed_meeting_needs_a_reason(db):
    opd = factories.make_opd()
    koordinator, member = make_koordinator(opd), make_member(opd)
    meeting = services.create_meeting(
        db,
        koordinator,
        {
            "date": dt.datetime(2026, 11, 2, 9),
            "scope": MeetingScope.OPD,
            "opd_id": opd.id,
            "agenda": "Evaluasi bulanan",
        },
    )
    with pytest.raises(TeamError, match="surat tertulis"):
        services.record_attendance(db, koordinator, meeting, {member.member_id: {"status": "excused"}})
    services.record_attendance(db, koordinator, meeting, {member.member_id: {"status": "excused", "letter": Letter()}})
    assert meeting.attendance[0].status == AttendanceStatus.EXCUSED and meeting.attendance[0].excuse_file_id
    services.close_meeting(db, koordinator, meeting, "Notulen rapat.")
    with pytest.raises(TeamError, match="alasan"):
        services.record_attendance(db, koordinator, meeting, {member.member_id: {"status": "absent"}})
    services.record_attendance(
        db, koordinator, meeting, {member.member_id: {"status": "absent"}}, reason="Surat izin ternyata palsu."
    )
    assert meeting.attendance[0].status == AttendanceStatus.ABSENT


def _absent_three_times(db, koordinator, opd, member):
    for week in range(3):
        meeting = services.create_meeting(
            db,
            koordinator,
            {
                "date": dt.datetime(2026, 10, 5 + 7 * week, 9),
                "scope": MeetingScope.OPD,
                "opd_id": opd.id,
                "agenda": "Rapat mingguan",
            },
        )
        services.record_attendance(db, koordinator, meeting, {member.member_id: {"status": "absent"}})


def test_three_absences_flag_a_warning_which_is_issued_once(db):
    """002 §15(3): warning by the koordinator after 3 consecutive unexcused absences."""
    opd = factories.make_opd()
    koordinator, member = make_koordinator(opd), make_member(opd)
    _absent_three_times(db, koordinator, opd, member)
    flags = services.flags_for(db, [member], TODAY)[member.id]
    warning = next(f for f in flags if f.kind == "warning_due")
    assert not warning.letter_issued
    services.issue_warning(db, koordinator, member, warning.key, "800/TP/01", TODAY, TODAY)
    assert member.status == MembershipStatus.WARNED
    with pytest.raises(TeamError, match="sudah diterbitkan"):
        services.issue_warning(db, koordinator, member, warning.key, "800/TP/02", TODAY, TODAY)
    assert services.flags_for(db, [member], TODAY)[member.id][0].letter_issued


def test_a_koordinator_of_another_opd_cannot_warn(db):
    opd, other_opd = factories.make_opd(), factories.make_opd()
    koordinator, member = make_koordinator(opd), make_member(opd)
    _absent_three_times(db, koordinator, opd, member)
    key = services.flags_for(db, [member], TODAY)[member.id][0].key
    with pytest.raises(TeamError, match="koordinator OPD tempat"):
        services.issue_warning(db, make_koordinator(other_opd), member, key, "1", TODAY, TODAY)


def test_two_inactive_months_flag_a_dismissal_proposal_for_the_ketua(db):
    """002 §15(4)–(5): 2 months inactive without a written reason → the ketua proposes dismissal."""
    opd = factories.make_opd()
    koordinator, member = make_koordinator(opd), make_member(opd, start=dt.date(2026, 8, 1))
    task = services.create_task(db, koordinator, opd.id, {"title": "T"}, [member.member_id], dt.date(2026, 8, 1))
    services.move_task(db, member.member, task, TaskStatus.IN_PROGRESS)
    db.execute(
        TaskEvent.__table__.update().where(TaskEvent.actor_id == member.member_id).values(at=dt.datetime(2026, 8, 10))
    )
    db.commit()
    flags = services.flags_for(db, [member], TODAY)[member.id]
    dismissal = next(f for f in flags if f.kind == "dismissal_due")
    assert dismissal.key == "inactive:2026-09"  # active in August; September and October inactive
    ketua = factories.make_user(roles=["ketua"])
    with pytest.raises(TeamError, match="Ketua"):
        services.propose_dismissal(db, koordinator, member, dismissal.key, "1", TODAY, "", TODAY)
    letter = services.propose_dismissal(db, ketua, member, dismissal.key, "800/TP/09", TODAY, "Tidak aktif.", TODAY)
    assert member.status == MembershipStatus.PROPOSED_DISMISSAL
    assert db.scalar(select(DisciplineLetter.number)) == letter.number


def test_a_written_reason_clears_an_inactive_month(db):
    opd = factories.make_opd()
    member = make_member(opd, start=dt.date(2026, 9, 1))
    services.record_inactivity_reason(db, member.member, member, 2026, 10, "Sakit, surat dokter terlampir.")
    flags = services.flags_for(db, [member], TODAY)[member.id]
    assert [f.key for f in flags if f.kind == "dismissal_due"] == []
    with pytest.raises(TeamError, match="sudah dicatat"):
        services.record_inactivity_reason(db, member.member, member, 2026, 10, "Lagi")


def test_program_targets_must_be_measurable(db):
    opd = factories.make_opd()
    sekretaris = factories.make_user(roles=["sekretaris"])
    with pytest.raises(TeamError, match="satuan"):
        services.save_program(
            db,
            sekretaris,
            {"opd_id": opd.id, "year": 2026, "title": "Integrasi"},
            [{"description": "Aplikasi terintegrasi", "value": "3", "unit": ""}],
        )
    with pytest.raises(TeamError, match="minimal satu target"):
        services.save_program(db, sekretaris, {"opd_id": opd.id, "year": 2026, "title": "Integrasi"}, [])
    program = services.save_program(
        db,
        sekretaris,
        {"opd_id": opd.id, "year": 2026, "title": "Integrasi"},
        [{"description": "Aplikasi terintegrasi SSO", "value": "3", "unit": "aplikasi"}],
    )
    assert program.targets[0].unit == "aplikasi"


def test_extension_creates_a_new_one_year_term(db):
    opd = factories.make_opd()
    member = make_member(opd, start=dt.date(2026, 1, 2))
    ketua = factories.make_user(roles=["ketua"])
    renewed = services.extend_membership(db, ketua, member, "188/Kep.2/2027", dt.date(2026, 12, 20))
    assert member.status == MembershipStatus.EXTENDED
    assert (renewed.start_date, renewed.end_date) == (dt.date(2027, 1, 2), dt.date(2028, 1, 1))
