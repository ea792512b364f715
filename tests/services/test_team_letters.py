"""The discipline letters as PDF: the koordinator's warning (002 §15(3)) and the ketua's dismissal
proposal to the Wali Kota through the pembina (002 §15(4)–(5)), on the one letterhead."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from pontive.team import letters, services
from pontive.team.models import MeetingScope, TaskEvent, TaskStatus
from tests import factories
from tests.recruitment_factories import reference
from tests.team_factories import TODAY, make_koordinator, make_member


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture()
def ctx(app, db):
    with app.test_request_context("/"):
        yield


def meeting_with(db, koordinator, opd, day: dt.date, agenda: str, attendance: dict):
    meeting = services.create_meeting(
        db,
        koordinator,
        {
            "date": dt.datetime.combine(day, dt.time(9, 30)),
            "scope": MeetingScope.OPD,
            "opd_id": opd.id,
            "agenda": agenda,
        },
    )
    return services.record_attendance(db, koordinator, meeting, attendance)


def warned(db):
    """A member present once, then absent 3 times running, then present again; and the warning."""
    opd = factories.make_opd(name="Dinas Kependudukan dan Pencatatan Sipil")
    koordinator = factories.make_user(
        roles=["koordinator"], opd=opd, full_name="Heru Susilo, S.Sos., M.M.", nip="197805122005011003"
    )
    category = reference()["fullstack"]
    membership = make_member(opd, full_name="Bayu Firmansyah")
    membership.category_id = category.id
    db.commit()
    who = membership.member_id
    meeting_with(db, koordinator, opd, dt.date(2026, 9, 28), "Kick-off", {who: {"status": "present"}})
    for n, day in enumerate((dt.date(2026, 10, 5), dt.date(2026, 10, 12), dt.date(2026, 10, 19)), start=1):
        meeting_with(db, koordinator, opd, day, f"Rapat mingguan ke-{n}", {who: {"status": "absent"}})
    meeting_with(db, koordinator, opd, dt.date(2026, 10, 26), "Evaluasi", {who: {"status": "present"}})
    key = next(f.key for f in services.flags_for(db, [membership], TODAY)[membership.id] if f.kind == "warning_due")
    return services.issue_warning(db, koordinator, membership, key, "800/017/Disdukcapil/2026", TODAY, TODAY)


def test_the_warning_cites_clause_3_and_lists_the_meetings_missed(ctx, db):
    """002 §15(3): "dikenakan peringatan oleh Koordinator" after 3 unexcused absences in a row."""
    letter = warned(db)
    meetings = letters.missed_meetings(db, letter)
    assert [m["agenda"] for m in meetings] == ["Rapat mingguan ke-1", "Rapat mingguan ke-2", "Rapat mingguan ke-3"]
    assert meetings[0]["day"] == "Senin, 5 Oktober 2026" and meetings[0]["time"] == "09.30"

    pdf = letters.render_discipline_letter(db, letter)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "PEMERINTAH KOTA BEKASI" in text  # the letterhead
    assert "800/017/Disdukcapil/2026" in text and "Bekasi, 23 November 2026" in text
    assert "Pasal 15 ayat (3)" in text and "Peraturan Wali Kota Bekasi Nomor 131.A Tahun 2019" in text
    assert "Bayu Firmansyah" in text and "Fullstack Programmer" in text
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "Rapat mingguan ke-3" in text and "Kick-off" not in text and "Evaluasi" not in text
    assert "PERINGATAN" in text
    assert "Heru Susilo, S.Sos., M.M." in text and "NIP. 197805122005011003" in text
    assert "Tembusan" in text and "Ketua Tim Programmer" in text
    assert letters.letter_filename(letter) == f"surat-peringatan-{letter.id}.pdf"


def proposed(db):
    opd = factories.make_opd(name="Badan Perencanaan Pembangunan Daerah")
    koordinator = make_koordinator(opd)
    membership = make_member(opd, full_name="Intan Maharani", start=dt.date(2026, 8, 1))
    membership.category_id = reference()["junior_programmer"].id
    db.commit()
    task = services.create_task(db, koordinator, opd.id, {"title": "T"}, [membership.member_id], dt.date(2026, 8, 1))
    services.move_task(db, membership.member, task, TaskStatus.IN_PROGRESS)
    db.execute(TaskEvent.__table__.update().values(at=dt.datetime(2026, 8, 10)))
    db.commit()
    ketua = factories.make_user(roles=["ketua"], full_name="Ir. Siti Rahmawati, M.T.", nip="197203151998032004")
    key = next(f.key for f in services.flags_for(db, [membership], TODAY)[membership.id] if f.kind == "dismissal_due")
    return services.propose_dismissal(
        db, ketua, membership, key, "800/031/TP/2026", TODAY, "Tidak menanggapi dua kali panggilan koordinator.", TODAY
    )


def test_the_dismissal_proposal_goes_to_the_wali_kota_through_the_pembina(ctx, db):
    """002 §15(4)–(5): "Pemberhentian anggota diajukan oleh ketua kepada Wali Kota melalui Pembina"."""
    letter = proposed(db)
    text = pdf_text(letters.render_discipline_letter(db, letter))
    assert "Yth. Wali Kota Bekasi" in text and "melalui Pembina (Sekretaris Daerah)" in text
    assert "Pasal 15 ayat (4)" in text and "Pasal 15 ayat (5)" in text
    assert "Intan Maharani" in text and "Junior Programmer" in text
    assert "Badan Perencanaan Pembangunan Daerah" in text
    assert letter.membership.decree_number in text and "1 Agustus 2026" in text
    assert "September dan Oktober 2026" in text  # the two inactive months
    assert "Tidak menanggapi dua kali panggilan koordinator." in text
    assert "800/031/TP/2026" in text and "Bekasi, 23 November 2026" in text
    assert "Ketua Tim Programmer" in text and "Ir. Siti Rahmawati, M.T." in text
    assert letters.letter_filename(letter) == f"usulan-pemberhentian-{letter.id}.pdf"


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("inactive:2026-09", "September dan Oktober 2026"),
        ("inactive:2026-12", "Desember 2026 dan Januari 2027"),
        ("inactive:garbled", ""),
    ],
)
def test_the_inactive_months_are_named_in_indonesian(key, text):
    assert letters.inactive_months_text(key) == text
