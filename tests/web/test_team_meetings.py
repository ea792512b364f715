"""Meetings and attendance through the browser's eyes (DESIGN §2): a koordinator schedules their
OPD's meeting and keeps its attendance; an excuse counts only with a written letter, because an
unexcused absence counts towards the warning of 002 §15(3)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from pontive.core.models import AuditLog
from pontive.recruitment.demo import DEMO_PDF
from pontive.team import services
from pontive.team.models import Attendance, AttendanceStatus, Meeting, MeetingScope
from tests import factories
from tests.team_factories import make_koordinator, make_member

NEXT_WEEK = dt.date.today() + dt.timedelta(days=7)


def sign_in(app, user):
    """A client of its own, signed in as ``user``."""
    client = app.test_client()
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def opd_meeting(db, koordinator, opd, *, days_ago: int = 3, agenda: str = "Evaluasi bulanan") -> Meeting:
    when = dt.datetime.combine(dt.date.today() - dt.timedelta(days=days_ago), dt.time(9, 0))
    return services.create_meeting(
        db, koordinator, {"date": when, "scope": MeetingScope.OPD, "opd_id": opd.id, "agenda": agenda}
    )


def team_meeting(db, ketua, *, days: int = 7, agenda: str = "Rapat koordinasi tim") -> Meeting:
    when = dt.datetime.combine(dt.date.today() + dt.timedelta(days=days), dt.time(13, 30))
    return services.create_meeting(db, ketua, {"date": when, "scope": MeetingScope.TEAM, "agenda": agenda})


def rows(*entries) -> dict:
    """Form data for the attendance table: (member_id, status[, note]) per row."""
    data = {}
    for n, (member_id, status, *note) in enumerate(entries):
        data[f"rows-{n}-member_id"] = str(member_id)
        data[f"rows-{n}-status"] = status
        data[f"rows-{n}-note"] = note[0] if note else ""
    return data


def test_koordinator_schedules_a_meeting_for_their_opd(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    page = client.get("/rapat/baru")
    assert page.status_code == 200 and opd.name in page.get_data(as_text=True)
    response = client.post(
        "/rapat/baru",
        data={
            "date": NEXT_WEEK.isoformat(),
            "time": "09:30",
            "scope": "opd",
            "opd_id": str(opd.id),
            "place": "Ruang Rapat Lt. 2",
            "agenda": "Progres integrasi SSO",
        },
    )
    assert response.status_code == 302
    meeting = db.scalar(select(Meeting))
    assert (meeting.scope, meeting.opd_id, meeting.created_by_id) == (MeetingScope.OPD, opd.id, koordinator.id)
    assert meeting.date == dt.datetime.combine(NEXT_WEEK, dt.time(9, 30))
    listing = client.get("/rapat").get_data(as_text=True)
    assert "Progres integrasi SSO" in listing and "09.30" in listing


def test_koordinator_cannot_schedule_for_another_opd_or_the_whole_team(client, login_as, opd, db):
    login_as("koordinator", opd=opd)
    other = factories.make_opd()
    base = {"date": NEXT_WEEK.isoformat(), "time": "09:00", "agenda": "Rapat"}
    response = client.post("/rapat/baru", data={**base, "scope": "opd", "opd_id": str(other.id)})
    assert response.status_code == 422
    assert "tidak dapat membuat rapat untuk lingkup ini" in response.get_data(as_text=True)
    response = client.post("/rapat/baru", data={**base, "scope": "team", "opd_id": ""})
    assert response.status_code == 422
    assert db.scalar(select(Meeting)) is None


def test_ketua_schedules_a_team_meeting(client, login_as, db):
    login_as("ketua")
    response = client.post(
        "/rapat/baru",
        data={"date": NEXT_WEEK.isoformat(), "time": "13:00", "scope": "team", "opd_id": "", "agenda": "Rapat tim"},
    )
    assert response.status_code == 302
    assert db.scalar(select(Meeting.scope)) == MeetingScope.TEAM


def test_koordinator_records_attendance_for_the_members_placed_in_the_opd(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    first, second = make_member(opd, full_name="Budi Santoso"), make_member(opd, full_name="Citra Dewi")
    meeting = opd_meeting(db, koordinator, opd)
    page = client.get(f"/rapat/{meeting.id}").get_data(as_text=True)
    assert "Budi Santoso" in page and "Citra Dewi" in page and "Simpan daftar hadir" in page
    response = client.post(
        f"/rapat/{meeting.id}/hadir",
        data=rows((first.member_id, "present"), (second.member_id, "absent", "tanpa kabar")),
    )
    assert response.status_code == 302
    recorded = {a.member_id: (a.status, a.note) for a in db.scalars(select(Attendance))}
    assert recorded == {
        first.member_id: (AttendanceStatus.PRESENT, ""),
        second.member_id: (AttendanceStatus.ABSENT, "tanpa kabar"),
    }


def test_an_excuse_without_a_written_letter_is_refused(client, login_as, opd, db):
    """002 §15(3) counts only absences "tanpa alasan tertulis": an excuse needs the letter."""
    koordinator = login_as("koordinator", opd=opd)
    member = make_member(opd)
    meeting = opd_meeting(db, koordinator, opd)
    response = client.post(f"/rapat/{meeting.id}/hadir", data=rows((member.member_id, "excused")))
    assert response.status_code == 422
    assert "surat tertulis" in response.get_data(as_text=True)
    assert db.scalar(select(Attendance)) is None


def test_an_excuse_letter_that_is_not_a_document_is_refused(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    member = make_member(opd)
    meeting = opd_meeting(db, koordinator, opd)
    data = {**rows((member.member_id, "excused")), "rows-0-letter": (io.BytesIO(b"MZ not a pdf"), "izin.pdf")}
    response = client.post(f"/rapat/{meeting.id}/hadir", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Jenis berkas tidak diizinkan" in response.get_data(as_text=True)
    assert db.scalar(select(Attendance)) is None


def test_an_excuse_letter_is_kept_and_shown_to_the_member_and_koordinator_only(app, client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    member, colleague = make_member(opd), make_member(opd)
    meeting = opd_meeting(db, koordinator, opd)
    data = {
        **rows((member.member_id, "excused", "sakit"), (colleague.member_id, "present")),
        "rows-0-letter": (io.BytesIO(DEMO_PDF), "surat-izin.pdf"),
    }
    response = client.post(f"/rapat/{meeting.id}/hadir", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    row = db.scalar(select(Attendance).where(Attendance.member_id == member.member_id))
    assert row.status == AttendanceStatus.EXCUSED and row.excuse_file_id
    url = f"/berkas/{row.excuse_file_id}"
    assert client.get(url).status_code == 200  # the koordinator
    assert sign_in(app, member.member).get(url).data.startswith(b"%PDF-")
    assert sign_in(app, colleague.member).get(url).status_code == 404
    assert sign_in(app, factories.make_user(roles=["ketua"])).get(url).status_code == 200


def test_a_closed_meeting_changes_attendance_only_with_a_reason_which_is_audited(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    member = make_member(opd)
    meeting = opd_meeting(db, koordinator, opd)
    assert client.post(f"/rapat/{meeting.id}/hadir", data=rows((member.member_id, "present"))).status_code == 302
    assert client.post(f"/rapat/{meeting.id}/tutup", data={"minutes": "Dibahas: rencana rilis."}).status_code == 302
    db.refresh(meeting)
    assert meeting.closed and meeting.minutes == "Dibahas: rencana rilis."
    page = client.get(f"/rapat/{meeting.id}").get_data(as_text=True)
    assert "Alasan perubahan" in page and "Dibahas: rencana rilis." in page

    refused = client.post(f"/rapat/{meeting.id}/hadir", data=rows((member.member_id, "absent")))
    assert refused.status_code == 422
    assert "tuliskan alasan perubahan" in refused.get_data(as_text=True)
    assert db.scalar(select(Attendance.status)) == AttendanceStatus.PRESENT

    data = {**rows((member.member_id, "absent")), "reason": "Tanda tangan daftar hadir ternyata milik orang lain."}
    assert client.post(f"/rapat/{meeting.id}/hadir", data=data).status_code == 302
    assert db.scalar(select(Attendance.status)) == AttendanceStatus.ABSENT
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "attendance_update").order_by(AuditLog.id.desc()))
    assert entry.actor_id == koordinator.id
    assert entry.after["reason"].startswith("Tanda tangan")


def test_closing_needs_minutes(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    meeting = opd_meeting(db, koordinator, opd)
    response = client.post(f"/rapat/{meeting.id}/tutup", data={"minutes": ""})
    assert response.status_code == 422
    db.refresh(meeting)
    assert not meeting.closed


def test_an_anggota_cannot_record_attendance(app, client, login_as, opd, db):
    koordinator = make_koordinator(opd)
    member = make_member(opd)
    meeting = opd_meeting(db, koordinator, opd)
    as_member = sign_in(app, member.member)
    page = as_member.get(f"/rapat/{meeting.id}").get_data(as_text=True)
    assert "Simpan daftar hadir" not in page
    assert as_member.post(f"/rapat/{meeting.id}/hadir", data=rows((member.member_id, "present"))).status_code == 403
    assert db.scalar(select(Attendance)) is None


def test_a_koordinator_of_another_opd_cannot_change_a_team_meetings_attendance(client, login_as, opd, db):
    login_as("koordinator", opd=opd)
    member = make_member(opd)
    meeting = team_meeting(db, factories.make_user(roles=["ketua"]))
    response = client.post(f"/rapat/{meeting.id}/hadir", data=rows((member.member_id, "present")))
    assert response.status_code == 422
    assert "tidak dapat mengubah daftar hadir" in response.get_data(as_text=True)
    assert db.scalar(select(Attendance)) is None


def test_members_see_team_meetings_and_their_own_opds_not_another_opds(app, login_as, db):
    ours, theirs = factories.make_opd(), factories.make_opd()
    member = make_member(ours)
    ketua = factories.make_user(roles=["ketua"])
    team = team_meeting(db, ketua, agenda="Rapat seluruh tim")
    own = opd_meeting(db, make_koordinator(ours), ours, agenda="Rapat OPD kami")
    other = opd_meeting(db, make_koordinator(theirs), theirs, agenda="Rapat OPD lain")
    as_member = sign_in(app, member.member)
    listing = as_member.get("/rapat").get_data(as_text=True)
    assert "Rapat seluruh tim" in listing and "Rapat OPD kami" in listing
    assert "Rapat OPD lain" not in listing
    assert as_member.get(f"/rapat/{team.id}").status_code == 200
    assert as_member.get(f"/rapat/{own.id}").status_code == 200
    assert as_member.get(f"/rapat/{other.id}").status_code == 404
    as_other_koordinator = sign_in(app, make_koordinator(theirs))
    assert as_other_koordinator.get(f"/rapat/{own.id}").status_code == 404
    assert as_other_koordinator.post(f"/rapat/{own.id}/tutup", data={"minutes": "x"}).status_code == 404


def test_upcoming_meetings_come_first(client, login_as, db):
    ketua = login_as("ketua")
    services.create_meeting(
        db, ketua, {"date": dt.datetime(2020, 1, 6, 9), "scope": MeetingScope.TEAM, "agenda": "Rapat lama"}
    )
    team_meeting(db, ketua, days=30, agenda="Rapat bulan depan")
    team_meeting(db, ketua, days=2, agenda="Rapat lusa")
    listing = client.get("/rapat").get_data(as_text=True)
    assert listing.index("Rapat lusa") < listing.index("Rapat bulan depan") < listing.index("Rapat lama")


def test_the_list_answers_htmx_with_its_results_only(client, login_as, db):
    ketua = login_as("ketua")
    team_meeting(db, ketua, agenda="Rapat tim Desember")
    fragment = client.get("/rapat", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "Rapat tim Desember" in fragment.get_data(as_text=True)
    assert "<html" in client.get("/rapat").get_data(as_text=True)


# --- every endpoint: anonymous → sign-in, a wrong role → 403, the right role → 200 --------------------


@pytest.fixture()
def meeting(db):
    return team_meeting(db, factories.make_user("ketua_rapat", roles=["ketua"]))


PAGES = [("/rapat", "anggota"), ("/rapat/baru", "koordinator"), ("/rapat/{id}", "pembina")]
ENDPOINTS = [("GET", p) for p, _ in PAGES] + [
    ("POST", p) for p in ("/rapat/baru", "/rapat/{id}/hadir", "/rapat/{id}/tutup")
]


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_pages_answer_the_right_role(client, login_as, meeting, path, role):
    login_as(role)
    assert client.get(path.format(id=meeting.id)).status_code == 200


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, meeting, method, path):
    response = client.open(path.format(id=meeting.id), method=method)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("role", ["pelamar", "kontrak"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_other_roles_are_refused(client, login_as, meeting, role, method, path):
    login_as(role)
    assert client.open(path.format(id=meeting.id), method=method).status_code == 403
