"""The selection's letters as PDF, read back as text: the call letter (002 §16(3)b–c) and the
announcement signed by the Ketua Tim with its copies (002 §16(4))."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pontive.recruitment import services
from pontive.recruitment.letters import announcement_copies, render_announcement, render_call_letter
from pontive.recruitment.models import CallLetter, LetterKind, RoundStatus
from tests import factories
from tests.recruitment_factories import TODAY, make_applicant, make_application, make_round
from tests.services.test_letters import pdf_text


@pytest.fixture()
def ctx(app, db):
    with app.test_request_context("/"):
        yield


@pytest.fixture()
def ketua(db):
    return factories.make_user("ketua_tim", roles=["ketua"], full_name="Ir. Siti Rahmawati, M.T.")


def test_the_interview_call_letter_names_the_applicant_the_day_the_time_and_the_place(ctx, db, ketua):
    """002 §16(3)b: the call to the competency form and the interview."""
    selection_round = make_round(title="Seleksi Tim Programmer 2026")
    application = make_application(selection_round, "interview", applicant=make_applicant(full_name="Andi Saputra"))
    letter = db.scalar(select(CallLetter).where(CallLetter.application_id == application.id))

    pdf = render_call_letter(db, letter)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "PEMERINTAH KOTA BEKASI" in text  # the letterhead
    assert "800/UJI/001" in text
    assert "Bekasi, 23 November 2026" in text
    assert "Saudara/i Andi Saputra" in text
    assert "Senin, 30 November 2026" in text and "09.00 WIB" in text
    assert "Ruang Rapat Diskominfo" in text
    assert "formulir persyaratan spesifikasi kompetensi teknis dan wawancara" in text
    assert "kategori Junior Programmer" in text
    assert "Kartu Tanda Penduduk (KTP) asli" in text
    assert "Ketua Tim Seleksi" in text and "Ir. Siti Rahmawati, M.T." in text


def test_the_practical_call_letter_calls_to_the_practical_test(ctx, db, ketua):
    """002 §16(3)c–d: the technical competency test by the practical method."""
    selection_round = make_round()
    application = make_application(selection_round, "practical", applicant=make_applicant(full_name="Galih Ramadhan"))
    panelist = selection_round.panel[0].user
    (letter,) = services.issue_call_letters(
        db,
        panelist,
        selection_round,
        [application],
        kind=LetterKind.CALL_PRACTICAL,
        number_prefix="800/PRAKTIK",
        letter_date=dt.date(2026, 12, 1),
        event_at=dt.datetime(2026, 12, 8, 13, 30),
        place="Laboratorium Komputer Diskominfo, Lt. 2",
    )
    text = pdf_text(render_call_letter(db, letter))
    assert "800/PRAKTIK/001" in text and "Bekasi, 1 Desember 2026" in text
    assert "Saudara/i Galih Ramadhan" in text
    assert "uji kompetensi teknis metode praktek" in text.lower()
    assert "Selasa, 8 Desember 2026" in text and "13.30 WIB" in text
    assert "Laboratorium Komputer Diskominfo, Lt. 2" in text
    assert "laptop" in text


def test_without_a_ketua_user_the_call_letter_is_still_signed_by_the_chairs_title(ctx, db):
    selection_round = make_round()
    application = make_application(selection_round, "interview")
    letter = db.scalar(select(CallLetter).where(CallLetter.application_id == application.id))
    assert "Ketua Tim Seleksi" in pdf_text(render_call_letter(db, letter))


def test_the_announcement_lists_who_passed_per_category_and_every_copy(ctx, db, ketua):
    """002 §16(4): signed by the Ketua Tim, copies to Inspektur, Kepala BKPPD, Kepala BPKAD, the head
    of each applicant's home OPD and Kepala Bagian Organisasi."""
    health = factories.make_opd("Dinas Kesehatan")
    revenue = factories.make_opd("Badan Pendapatan Daerah")
    transport = factories.make_opd("Dinas Perhubungan")
    selection_round = make_round(title="Seleksi Tim Programmer 2026", quota=2)
    passed = [
        make_application(
            selection_round, "passed", applicant=make_applicant(full_name="Hana Pertiwi", opd=health), scores=(90, 90)
        ),
        make_application(
            selection_round, "passed", applicant=make_applicant(full_name="Irfan Maulana", opd=health), scores=(85, 85)
        ),
        make_application(
            selection_round,
            "passed",
            applicant=make_applicant(full_name="Joko Purnomo", opd=revenue),
            category_code="junior_network_admin",
        ),
    ]
    outside_quota = make_application(
        selection_round, "passed", applicant=make_applicant(full_name="Luar Kuota", opd=transport), scores=(75, 75)
    )
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, ketua, selection_round, "800/123/PANSEL/2026", TODAY)

    text = pdf_text(render_announcement(db, selection_round))
    assert "800/123/PANSEL/2026" in text and "Bekasi, 23 November 2026" in text
    assert "Pengumuman Hasil Seleksi Tim Programmer 2026" in text
    for application in passed:
        assert application.applicant.full_name in text
    assert "Luar Kuota" not in text and outside_quota.rank == 3
    assert text.index("Hana Pertiwi") < text.index("Irfan Maulana")
    assert "Junior Programmer" in text and "Junior Network Administrator" in text
    assert "Ketua Tim" in text and "Ir. Siti Rahmawati, M.T." in text
    tembusan = text[text.index("Tembusan") :]
    for copy in (
        "Inspektur",
        "Kepala BKPPD",
        "Kepala BPKAD",
        "Kepala Dinas Kesehatan",
        "Kepala Badan Pendapatan Daerah",
        "Kepala Bagian Organisasi",
    ):
        assert copy in tembusan, copy
    assert tembusan.count("Kepala Dinas Kesehatan") == 1
    assert "Kepala Dinas Perhubungan" not in tembusan


def test_the_copies_put_each_home_opd_once_between_the_fixed_ones(db):
    """002 §16(4) a–e, in the regulation's order."""
    health = factories.make_opd("Dinas Kesehatan")
    selection_round = make_round()
    applications = [
        make_application(selection_round, "draft", applicant=make_applicant(opd=health)),
        make_application(selection_round, "draft", applicant=make_applicant(opd=health)),
    ]
    assert announcement_copies(applications) == [
        "Inspektur",
        "Kepala BKPPD",
        "Kepala BPKAD",
        "Kepala Dinas Kesehatan",
        "Kepala Bagian Organisasi",
    ]
