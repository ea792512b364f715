"""The applicant's side of selection through the browser's eyes (issue 3 §3, §6, §8; 002 §16–19;
000 §10): the open rounds, registering, filing with documents, following the stages, the
competency form, and who may see an application and its files."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from pontive.accounts.models import User
from pontive.recruitment import services
from pontive.recruitment.demo import DEMO_PDF
from pontive.recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    RoundKind,
    RoundStatus,
)
from tests import factories
from tests.recruitment_factories import TODAY, make_applicant, make_application, make_round, reference

TEAM_DOCUMENTS = ["cv", "admin_docs", "experience_statement", "capability_statement"]


def open_round(kind: RoundKind = RoundKind.TEAM, **fields):
    """A round open today (the views read the clock) and on the factories' TODAY."""
    today = dt.date.today()
    fields.setdefault("open_date", min(today, TODAY) - dt.timedelta(days=10))
    fields.setdefault("close_date", max(today, TODAY) + dt.timedelta(days=10))
    return make_round(kind, **fields)


def sign_in(client, user) -> None:
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302


def pelamar(login_as, **fields):
    opd = factories.make_opd()
    return login_as("pelamar", home_opd_id=opd.id, employment_status="non_asn", **fields)


def upload(client, application_id, kind="cv", data=DEMO_PDF, name="cv.pdf", label="", **kwargs):
    return client.post(
        f"/lamaran/{application_id}/dokumen",
        data={"kind": kind, "label": label, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        **kwargs,
    )


def start(client, selection_round) -> Application:
    response = client.post(f"/seleksi/{selection_round.id}/lamar")
    assert response.status_code == 302
    return services_application(response.headers["Location"])


def services_application(location: str) -> Application:
    from pontive.extensions import db

    application_id = int(location.rstrip("/").rsplit("/", 1)[-1])
    return db.session.get(Application, application_id)


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- the public list of open rounds ----------------------------------------------------------------


def test_the_public_list_shows_only_open_rounds_with_their_requirements(client, db):
    """002 §18b (minimum years), §19 (certificates, competencies); 000 §10 (contract requirements)."""
    open_round(title="Seleksi Tim Programmer Terbuka")
    open_round(RoundKind.CONTRACT, title="Seleksi Tenaga Kontrak Terbuka", position="Admin Pontive Center")
    make_round(status=RoundStatus.DRAFT, title="Seleksi Masih Draf")
    make_round(status=RoundStatus.CLOSED, title="Seleksi Sudah Ditutup")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    make_round(title="Seleksi Lewat Tanggal", open_date=yesterday - dt.timedelta(days=9), close_date=yesterday)

    body = page(client, "/seleksi")
    assert "Seleksi Tim Programmer Terbuka" in body and "Seleksi Tenaga Kontrak Terbuka" in body
    for hidden in ("Seleksi Masih Draf", "Seleksi Sudah Ditutup", "Seleksi Lewat Tanggal"):
        assert hidden not in body
    # team round: per category its minimum years, certificate rule, competencies and outputs
    assert "Senior Network Administrator" in body
    assert "Pengalaman kerja di bidang TIK minimal 4 tahun" in body
    assert "Pengalaman kerja di bidang TIK minimal 2 tahun" in body
    assert "MTCNA / CCNA / MTCRE / CompTIA Network+" in body
    assert "Sertifikat keahlian tidak diwajibkan." in body
    assert "Mampu membuat REST API" in body
    assert "Monitoring perangkat jaringan" in body
    # contract round: position, quota and the 000 §10 requirements with the accepted majors
    assert "Admin Pontive Center" in body
    assert "Berusia 21 sampai 35 tahun pada tanggal penutupan pendaftaran." in body
    assert "IPK minimal 2,75." in body
    assert "Memiliki NPWP." in body
    assert "Teknik Informatika" in body and "Manajemen Informatika" in body
    assert "Daftar akun pelamar" in body  # an anonymous visitor is shown the way in


def test_the_home_page_points_to_the_open_rounds(client, db):
    assert 'href="/seleksi"' in page(client, "/")


def test_a_draft_round_is_not_found_and_an_open_one_is_shown(client, db):
    draft = make_round(status=RoundStatus.DRAFT)
    assert client.get(f"/seleksi/{draft.id}").status_code == 404
    assert client.get("/seleksi/99999").status_code == 404
    shown = open_round(title="Seleksi Terbuka Rinci")
    assert "Seleksi Terbuka Rinci" in page(client, f"/seleksi/{shown.id}")


def test_a_closed_round_is_shown_without_a_way_to_apply(client, db, login_as):
    closed = make_round(status=RoundStatus.CLOSED, title="Seleksi Lama")
    pelamar(login_as)
    body = page(client, f"/seleksi/{closed.id}")
    assert "Pendaftaran seleksi ini sudah ditutup." in body
    assert "Lamar sekarang" not in body


# --- registering ------------------------------------------------------------------------------------

VALID = {
    "full_name": "Rina Maharani",
    "nik": "3275014105980001",
    "email": "rina@example.id",
    "phone": "0812 3456 7890",
    "username": "rina.maharani",
    "password": "kata-sandi-rahasia-1",
    "confirm": "kata-sandi-rahasia-1",
    "home_opd_id": "",
}


def test_registration_creates_an_applicant_who_lands_on_their_applications(client, db):
    """Issue 3 §3: applicants come in by themselves."""
    opd = factories.make_opd("Dinas Komunikasi dan Informatika")
    response = client.post("/daftar", data={**VALID, "home_opd_id": str(opd.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/lamaran")
    user = db.scalar(select(User).where(User.username == "rina.maharani"))
    assert user is not None and user.has_role("pelamar") and not user.has_role("anggota")
    assert user.nik == "3275014105980001" and user.home_opd_id == opd.id
    assert user.employment_status.value == "non_asn"
    body = page(client, "/lamaran")
    assert "Akun pelamar Anda telah dibuat." in body
    assert "Anda belum memiliki lamaran." in body


def test_the_registration_page_lists_the_active_opds(client, db):
    factories.make_opd("Dinas Pendidikan")
    factories.make_opd("Dinas Lama", active=False)
    body = page(client, "/daftar")
    assert "Dinas Pendidikan" in body and "Dinas Lama" not in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nik": "12345"}, "NIK harus terdiri dari 16 digit angka."),
        ({"nik": "3275019905980001"}, "NIK tidak valid: digit 7–12 harus tanggal lahir (HHBBTT)."),
        ({"email": ""}, "Wajib diisi."),
        ({"confirm": "kata-sandi-lain-12"}, "Kedua kata sandi tidak sama."),
        ({"password": "pendek", "confirm": "pendek"}, "Kata sandi minimal 12 karakter."),
    ],
    ids=["short-nik", "nik-date", "no-email", "confirm", "short-password"],
)
def test_invalid_registration_is_refused_with_the_reason_and_creates_nobody(client, db, change, message):
    response = client.post("/daftar", data={**VALID, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(func.count(User.id))) == 0


def test_a_duplicate_email_is_refused_with_a_clear_message(client, db):
    factories.make_user("lama", email="rina@example.id")
    response = client.post("/daftar", data=VALID)
    assert response.status_code == 422
    assert "E-mail rina@example.id sudah dipakai pengguna lain." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(User.id))) == 1
    assert client.get("/lamaran").status_code == 302  # not signed in


def test_a_duplicate_nik_is_refused(client, db):
    factories.make_user("lama", nik=VALID["nik"])
    response = client.post("/daftar", data=VALID)
    assert response.status_code == 422
    assert f"NIK {VALID['nik']} sudah dipakai pengguna lain." in response.get_data(as_text=True)


# --- filing ----------------------------------------------------------------------------------------------


def test_an_applicant_starts_fills_uploads_and_submits_a_team_application(client, db, login_as):
    """002 §16(3)a, §18: category, home OPD, experience with its statement, and the documents."""
    selection_round = open_round(title="Seleksi Tim Programmer 2026")
    me = pelamar(login_as)
    application = start(client, selection_round)
    assert application.applicant_id == me.id and application.status == ApplicationStatus.DRAFT
    body = page(client, f"/lamaran/{application.id}")
    assert "Unggah daftar riwayat hidup." in body  # the checklist, before anything is uploaded

    category = reference()["junior_programmer"]
    response = client.post(
        f"/lamaran/{application.id}",
        data={
            "category_id": str(category.id),
            "home_opd_id": str(me.home_opd_id),
            "experience_years": "3,5",
            "experience_signer": "Kepala Bidang Aplikasi",
            "experience_signed_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    db.refresh(application)
    assert application.category_id == category.id
    assert application.experience_years == Decimal("3.5")
    assert application.experience_signed_on == dt.date(2026, 11, 1)
    assert 'value="3,5"' in page(client, f"/lamaran/{application.id}")

    for kind in TEAM_DOCUMENTS:
        assert upload(client, application.id, kind, name=f"{kind}.pdf").status_code == 302
    refused = upload(client, application.id, "certificate", data=b"bukan pdf sama sekali", name="palsu.pdf", label="X")
    assert refused.status_code == 422
    assert "Jenis berkas tidak diizinkan: unggah berkas PDF, JPEG atau PNG." in refused.get_data(as_text=True)
    assert db.scalar(select(func.count(ApplicationDocument.id))) == len(TEAM_DOCUMENTS)

    body = page(client, f"/lamaran/{application.id}")
    assert "Data dan dokumen wajib sudah lengkap." in body
    assert "experience_statement.pdf" in body

    response = client.post(f"/lamaran/{application.id}/ajukan")
    assert response.status_code == 302
    db.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    body = page(client, f"/lamaran/{application.id}")
    assert "Lamaran Anda telah diajukan." in body
    assert "Diajukan" in body and "Simpan draf" not in body  # read-only from now on
    assert "Junior Programmer" in body and "3,5 tahun" in body


def test_a_contract_application_takes_the_000_section_10_answers(client, db, login_as):
    """000 §10: citizenship, date of birth, NPWP, degree, major, accreditation, GPA, KTP city, no other contract."""
    selection_round = open_round(RoundKind.CONTRACT)
    pelamar(login_as)
    application = start(client, selection_round)
    response = client.post(
        f"/lamaran/{application.id}",
        data={
            "citizenship_wni": "ya",
            "birth_date": "1998-05-17",
            "npwp": "09.254.294.3-407.000",
            "degree": "S1",
            "major": "Teknik Informatika",
            "institution": "Universitas Bekasi",
            "accreditation": "Baik Sekali",
            "gpa": "3,21",
            "ktp_city": "Kota Bekasi",
            "not_bound_by_contract": "tidak",
        },
    )
    assert response.status_code == 302
    db.refresh(application)
    assert application.citizenship_wni is True and application.not_bound_by_contract is False
    assert application.gpa == Decimal("3.21") and application.birth_date == dt.date(1998, 5, 17)
    body = page(client, f"/lamaran/{application.id}")
    assert 'value="3,21"' in body
    assert "Unggah KTP." in body and "Unggah ijazah dan transkrip." in body


def test_an_invalid_answer_is_shown_beside_its_field_and_nothing_is_saved(client, db, login_as):
    selection_round = open_round(RoundKind.CONTRACT)
    pelamar(login_as)
    application = start(client, selection_round)
    response = client.post(f"/lamaran/{application.id}", data={"gpa": "4,5", "npwp": "123"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "IPK harus antara 0,00 dan 4,00." in body and "NPWP harus 15 atau 16 digit." in body
    db.refresh(application)
    assert application.gpa is None and application.npwp is None


def test_a_certificate_needs_its_name(client, db, login_as):
    """002 §19: the certificate's name is what the administrative check matches."""
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    response = upload(client, application.id, "certificate", name="sertifikat.pdf")
    assert response.status_code == 422
    assert "Tuliskan nama sertifikat (misalnya MTCNA)." in response.get_data(as_text=True)
    assert upload(client, application.id, "certificate", label="MTCNA", name="mtcna.pdf").status_code == 302
    assert upload(client, application.id, "certificate", label="CCNA", name="ccna.pdf").status_code == 302
    assert db.scalar(select(func.count(ApplicationDocument.id))) == 2  # certificates add up


def test_an_incomplete_submission_shows_what_is_missing_and_stays_a_draft(client, db, login_as):
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    response = client.post(f"/lamaran/{application.id}/ajukan", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Lamaran belum lengkap" in body
    assert "Pilih kategori yang dilamar." in body and "Unggah daftar riwayat hidup." in body
    db.refresh(application)
    assert application.status == ApplicationStatus.DRAFT and application.submitted_at is None


def test_late_filing_is_refused(client, db, login_as):
    """Issue 3 §2: an application can only be filed while the round is open."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    late = make_round(open_date=yesterday - dt.timedelta(days=20), close_date=yesterday)
    pelamar(login_as)
    response = client.post(f"/seleksi/{late.id}/lamar", follow_redirects=True)
    assert "Pendaftaran seleksi ini tidak sedang dibuka." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Application.id))) == 0


def test_a_draft_cannot_be_submitted_after_the_closing_date(client, db, login_as):
    selection_round = open_round()
    me = make_applicant()
    application = make_application(selection_round, "draft", applicant=me)
    selection_round.close_date = dt.date.today() - dt.timedelta(days=1)
    db.commit()
    sign_in(client, me)
    response = client.post(f"/lamaran/{application.id}/ajukan", follow_redirects=True)
    assert "sudah ditutup" in response.get_data(as_text=True)
    db.refresh(application)
    assert application.status == ApplicationStatus.DRAFT


def test_a_second_application_to_the_same_round_is_refused(client, db, login_as):
    selection_round = open_round()
    pelamar(login_as)
    first = start(client, selection_round)
    response = client.post(f"/seleksi/{selection_round.id}/lamar", follow_redirects=True)
    assert "Anda sudah memiliki lamaran pada seleksi ini." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Application.id))) == 1
    assert f"/lamaran/{first.id}" in page(client, f"/seleksi/{selection_round.id}")  # the round points to it


def test_an_applicant_withdraws_a_draft_with_a_reason(client, db, login_as):
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    response = client.post(f"/lamaran/{application.id}/tarik", data={"reason": "Diterima bekerja di tempat lain."})
    assert response.status_code == 302
    db.refresh(application)
    assert application.status == ApplicationStatus.WITHDRAWN
    body = page(client, f"/lamaran/{application.id}")
    assert "Ditarik" in body and "Diterima bekerja di tempat lain." in body
    again = client.post(f"/lamaran/{application.id}/tarik", follow_redirects=True)
    assert "tidak dapat dipindahkan" in again.get_data(as_text=True)


def test_a_document_is_removed_while_the_application_is_a_draft(client, db, login_as):
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    upload(client, application.id, "cv")
    document = db.scalar(select(ApplicationDocument))
    response = client.post(f"/lamaran/{application.id}/dokumen/{document.id}/hapus")
    assert response.status_code == 302
    assert db.scalar(select(func.count(ApplicationDocument.id))) == 0


# --- htmx: one URL, a fragment or the page -------------------------------------------------------------


def test_an_htmx_upload_returns_the_document_list_and_a_plain_one_redirects(client, db, login_as):
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    fragment = upload(client, application.id, "cv", name="riwayat.pdf", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="dokumen"' in body
    assert "riwayat.pdf" in body and "Daftar riwayat hidup diunggah." in body
    assert "Unggah daftar riwayat hidup." not in body  # the checklist follows live
    assert "Unggah persyaratan administrasi." in body

    refused = upload(client, application.id, "admin_docs", data=b"teks", name="a.pdf", headers={"HX-Request": "true"})
    assert refused.status_code == 422  # swapped in too (htmx-config swaps 422)
    assert "<html" not in refused.get_data(as_text=True)
    assert "Jenis berkas tidak diizinkan" in refused.get_data(as_text=True)

    plain = upload(client, application.id, "admin_docs", name="administrasi.pdf")
    assert plain.status_code == 302 and plain.headers["Location"].startswith(f"/lamaran/{application.id}")
    full = page(client, plain.headers["Location"])
    assert "<html" in full and "administrasi.pdf" in full

    document = db.scalar(select(ApplicationDocument).where(ApplicationDocument.kind == DocumentKind.CV))
    removed = client.post(f"/lamaran/{application.id}/dokumen/{document.id}/hapus", headers={"HX-Request": "true"})
    assert removed.status_code == 200
    assert "<html" not in removed.get_data(as_text=True) and "riwayat.pdf" not in removed.get_data(as_text=True)


def test_a_plain_upload_error_shows_the_whole_page(client, db, login_as):
    """Without JavaScript the form still works: an error re-renders the page with the message."""
    selection_round = open_round()
    pelamar(login_as)
    application = start(client, selection_round)
    response = upload(client, application.id, "cv", data=b"hanya teks", name="cv.pdf")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" in body and "Jenis berkas tidak diizinkan" in body


# --- only one's own -------------------------------------------------------------------------------------


def test_another_applicants_application_and_its_documents_are_not_found(client, db, login_as):
    selection_round = open_round()
    other = make_application(selection_round, "draft")
    document = other.documents[0]
    pelamar(login_as)
    for method, url in [
        ("GET", f"/lamaran/{other.id}"),
        ("POST", f"/lamaran/{other.id}"),
        ("POST", f"/lamaran/{other.id}/dokumen"),
        ("POST", f"/lamaran/{other.id}/dokumen/{document.id}/hapus"),
        ("POST", f"/lamaran/{other.id}/ajukan"),
        ("POST", f"/lamaran/{other.id}/tarik"),
        ("GET", f"/lamaran/{other.id}/kompetensi"),
        ("GET", f"/berkas/{document.file_id}"),
    ]:
        assert client.open(url, method=method).status_code == 404, url
    db.refresh(other)
    assert other.status == ApplicationStatus.DRAFT and len(other.documents) == len(TEAM_DOCUMENTS)
    assert other.applicant.full_name not in page(client, "/lamaran")


def test_the_panel_of_the_round_and_the_ketua_download_the_documents_nobody_else(client, db):
    """002 §16(1): the panel checks the documents; personal data is for nobody else, not even an admin."""
    panelist = factories.make_user("panel_ini", roles=["panel"])
    selection_round = open_round(panel=[panelist])
    other_round = open_round(panel=[factories.make_user("panel_lain", roles=["panel"])])
    application = make_application(selection_round, "submitted")
    file_id = application.documents[0].file_id
    expected = {"panel_ini": 200, "panel_lain": 404, "ketua": 200, "admin": 404, "anggota": 404}
    factories.make_user("ketua", roles=["ketua"])
    factories.make_user("admin", roles=["admin"])
    factories.make_user("anggota", roles=["anggota"])
    for username, status in expected.items():
        fresh = client.application.test_client()
        assert fresh.post("/masuk", data={"username": username, "password": factories.PASSWORD}).status_code == 302
        response = fresh.get(f"/berkas/{file_id}")
        assert response.status_code == status, username
        if status == 200:
            assert response.data == DEMO_PDF
    assert other_round.id != selection_round.id


def test_a_panel_member_who_lost_the_panel_role_no_longer_downloads(client, db):
    panelist = factories.make_user("mantan_panel", roles=["panel", "anggota"])
    selection_round = open_round(panel=[panelist])
    application = make_application(selection_round, "submitted")
    grant = next(g for g in panelist.grants if g.role.value == "panel")
    db.delete(grant)
    db.commit()
    sign_in(client, panelist)
    assert client.get(f"/berkas/{application.documents[0].file_id}").status_code == 404


# --- following the stages --------------------------------------------------------------------------


def test_the_applicant_sees_the_admin_check_and_every_reason_once_the_panel_decided(client, db):
    """002 §16(3)b, §18b: a failed application keeps its reasons, and the applicant reads them."""
    selection_round = open_round()
    me = make_applicant()
    application = make_application(selection_round, "submitted", applicant=me, years="1")
    sign_in(client, me)
    before = page(client, f"/lamaran/{application.id}")
    assert "Hasil pemeriksaan administratif" not in before  # the panel has not decided yet
    assert "Pengalaman 1 tahun, minimal 2 tahun untuk Junior Programmer." not in before

    panelist = selection_round.panel[0].user
    services.decide_admin_check(db, panelist, application, False, "")
    body = page(client, f"/lamaran/{application.id}")
    assert "Tidak memenuhi syarat administratif" in body
    assert "Hasil pemeriksaan administratif" in body
    assert "Pengalaman 1 tahun, minimal 2 tahun untuk Junior Programmer." in body
    assert "002 §18b" in body
    assert "Pemeriksaan administratif" in body and "Lamaran diajukan" in body  # every event
    assert "Tarik lamaran" not in body  # too late to withdraw
    listing = page(client, "/lamaran")
    assert "Tidak memenuhi syarat administratif" in listing
    assert "Pengalaman 1 tahun, minimal 2 tahun untuk Junior Programmer." in listing  # the last reason


def test_a_called_applicant_sees_the_call_letter_and_fills_the_competency_form(client, db):
    """002 §16(3)b: call letter, then the competency form of the category's checklist (§19)."""
    selection_round = open_round()
    me = make_applicant()
    application = make_application(selection_round, "interview", applicant=me)
    sign_in(client, me)
    body = page(client, f"/lamaran/{application.id}")
    assert "Surat pemanggilan wawancara" in body and "800/UJI/001" in body
    assert "Ruang Rapat Diskominfo" in body and "30 November 2026" in body and "09.00" in body
    assert "Isi formulir kompetensi" in body
    letter_url = re.search(r'href="(/[^"]+\.pdf)"', body).group(1)  # the panel's PDF of this letter
    pdf = client.get(letter_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"

    form = page(client, f"/lamaran/{application.id}/kompetensi")
    assert "Mampu membuat REST API" in form  # junior programmer borrows the fullstack checklist
    assert "Backend dan frontend: source code" in form  # the outputs, for information
    count = len(application.category.competencies)

    refused = client.post(f"/lamaran/{application.id}/kompetensi", data={"items-0-claimed": "y", "items-0-note": ""})
    assert refused.status_code == 422
    assert "Tuliskan bukti singkat untuk kompetensi yang Anda kuasai." in refused.get_data(as_text=True)
    db.refresh(application)
    assert application.competency_submitted_at is None

    answers = {"items-0-claimed": "y", "items-0-note": "Aplikasi SIMPEG kota, Python"}
    answers |= {f"items-{i}-note": "" for i in range(1, count)}
    response = client.post(f"/lamaran/{application.id}/kompetensi", data=answers)
    assert response.status_code == 302
    db.refresh(application)
    assert application.competency_submitted_at is not None
    assert len(application.competency_answers) == count
    assert application.competency_answers[0]["claimed"] and not application.competency_answers[1]["claimed"]

    read_only = page(client, f"/lamaran/{application.id}/kompetensi")
    assert "Aplikasi SIMPEG kota, Python" in read_only and "Kirim formulir kompetensi" not in read_only
    again = client.post(f"/lamaran/{application.id}/kompetensi", data=answers, follow_redirects=True)
    assert "Formulir kompetensi sudah dikirim." in again.get_data(as_text=True)


def test_the_competency_form_opens_only_in_the_interview_stage(client, db):
    """002 §16(3)b.1: the form follows the call letter."""
    selection_round = open_round()
    me = make_applicant()
    application = make_application(selection_round, "submitted", applicant=me)
    sign_in(client, me)
    body = page(client, f"/lamaran/{application.id}/kompetensi")
    assert "setelah Anda menerima surat pemanggilan wawancara" in body
    assert "Kirim formulir kompetensi" not in body
    response = client.post(f"/lamaran/{application.id}/kompetensi", data={"items-0-note": "x"})
    assert response.status_code == 302
    db.refresh(application)
    assert application.competency_answers is None


def test_the_applicant_sees_the_scores_and_the_result_after_the_announcement(client, db):
    """002 §16(2), §16(4): passed every stage, ranked within the quota, announced by the ketua."""
    selection_round = open_round()
    me = make_applicant()
    application = make_application(selection_round, "passed", applicant=me, scores=(80, 90))
    sign_in(client, me)
    before = page(client, f"/lamaran/{application.id}")
    assert "Lulus semua tahap" in before and "Hasil seleksi" not in before
    assert "80,00" in before and "90,00" in before and "86,00" in before  # 40 % · 80 + 60 % · 90

    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, factories.make_user(roles=["ketua"]), selection_round, "800/PENG-TP/2026", TODAY)
    body = page(client, f"/lamaran/{application.id}")
    assert "Hasil seleksi" in body and "Diterima" in body
    assert "800/PENG-TP/2026" in body and "23 November 2026" in body
    assert "Peringkat 1, dalam kuota." in body


# --- dashboard and navigation ---------------------------------------------------------------------------


def test_the_dashboard_card_lists_my_applications(client, db):
    selection_round = open_round(title="Seleksi Tim Programmer Kartu")
    me = make_applicant()
    make_application(selection_round, "submitted", applicant=me)
    sign_in(client, me)
    body = page(client, "/dasbor")
    assert 'id="card-my_applications"' in body
    assert "Seleksi Tim Programmer Kartu" in body and "Diajukan" in body


def test_the_dashboard_card_points_to_the_open_rounds_when_there_is_no_application(client, db, login_as):
    pelamar(login_as)
    body = page(client, "/dasbor")
    assert "Anda belum memiliki lamaran." in body and 'href="/seleksi"' in body
    assert 'href="/lamaran"' in body  # the menu entry


# --- access --------------------------------------------------------------------------------------------


@pytest.fixture()
def urls(db):
    selection_round = open_round()
    application = make_application(selection_round, "draft")
    document = application.documents[0]
    return [
        ("GET", "/lamaran"),
        ("POST", f"/seleksi/{selection_round.id}/lamar"),
        ("GET", f"/lamaran/{application.id}"),
        ("POST", f"/lamaran/{application.id}"),
        ("POST", f"/lamaran/{application.id}/dokumen"),
        ("POST", f"/lamaran/{application.id}/dokumen/{document.id}/hapus"),
        ("POST", f"/lamaran/{application.id}/ajukan"),
        ("POST", f"/lamaran/{application.id}/tarik"),
        ("GET", f"/lamaran/{application.id}/kompetensi"),
        ("POST", f"/lamaran/{application.id}/kompetensi"),
    ]


def test_every_applicant_page_sends_an_anonymous_visitor_to_sign_in(client, urls):
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/masuk"), url


@pytest.mark.parametrize("role", ["anggota", "panel", "admin"])
def test_every_applicant_page_refuses_another_role(client, login_as, urls, role):
    login_as(role)
    for method, url in urls:
        assert client.open(url, method=method).status_code == 403, url


def test_the_public_pages_are_open_to_everyone(client, db):
    selection_round = open_round()
    for url in ("/seleksi", f"/seleksi/{selection_round.id}", "/daftar"):
        assert client.get(url).status_code == 200, url


# --- constant query counts -----------------------------------------------------------------------------


class QueryCounter:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def queries_for(client, url: str) -> int:
    from pontive.extensions import db as _db

    with QueryCounter(_db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_the_lists_take_as_many_queries_for_many_rows_as_for_one(client, db):
    me = make_applicant()
    first = open_round(title="Seleksi A")
    make_application(first, "submitted", applicant=me)
    sign_in(client, me)
    one = {url: queries_for(client, url) for url in ("/seleksi", "/lamaran", "/dasbor")}
    for title in ("Seleksi B", "Seleksi C"):
        make_application(open_round(title=title), "submitted", applicant=me)
    open_round(RoundKind.CONTRACT, title="Seleksi D")
    many = {url: queries_for(client, url) for url in ("/seleksi", "/lamaran", "/dasbor")}
    assert many["/lamaran"] == one["/lamaran"]
    assert many["/dasbor"] == one["/dasbor"]
    assert many["/seleksi"] <= one["/seleksi"] + 1  # + the accepted majors, once a contract round is open
