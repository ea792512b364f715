"""Downloading an uploaded file: the uploader gets it as an attachment; anyone else gets the
same 404 as for a file that does not exist."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from werkzeug.datastructures import FileStorage

from pontive.core.storage import get_storage
from pontive.core.uploads import LETTERHEAD_LOGO, save_upload
from tests import factories
from tests.services.test_uploads import PDF, png_bytes


def stored_file(db, owner, data=PDF, name="Surat Lamaran.pdf", purpose="lamaran"):
    stored = save_upload(db, FileStorage(io.BytesIO(data), filename=name), purpose=purpose, uploaded_by=owner)
    db.commit()
    return stored


def test_the_uploader_downloads_the_file_as_an_attachment(client, db, login_as):
    me = login_as("anggota")
    stored = stored_file(db, me)
    response = client.get(f"/berkas/{stored.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Surat Lamaran.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.content_length == len(PDF)


def test_a_name_with_accents_downloads_under_its_own_name(client, db, login_as):
    me = login_as("anggota")
    stored = stored_file(db, me, name="Laporan–Ü.pdf")
    disposition = client.get(f"/berkas/{stored.id}").headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("Laporan–Ü.pdf") in disposition
    assert "\n" not in disposition and "\r" not in disposition


def test_an_image_uploaded_under_a_pdf_name_downloads_as_an_image(client, db, login_as):
    me = login_as("anggota")
    stored = stored_file(db, me, data=png_bytes(), name="scan.pdf")
    response = client.get(f"/berkas/{stored.id}")
    assert response.mimetype == "image/png"
    assert "filename=scan.pdf.png" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("role", ["anggota", "admin", "ketua"])
def test_someone_else_gets_not_found_even_an_admin(client, db, login_as, role):
    owner = factories.make_user("pemilik")
    stored = stored_file(db, owner)
    login_as(role)
    response = client.get(f"/berkas/{stored.id}")
    assert response.status_code == 404
    assert PDF not in response.data


def test_a_file_that_does_not_exist_looks_the_same_as_a_forbidden_one(client, db, login_as):
    owner = factories.make_user("pemilik")
    stored = stored_file(db, owner)
    login_as("anggota")
    forbidden = client.get(f"/berkas/{stored.id}")
    missing = client.get(f"/berkas/{stored.id + 1000}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.data == missing.data


def test_an_admin_downloads_the_letterhead_logo(client, db, login_as):
    other_admin = factories.make_user("admin_lama", roles=["admin"])
    stored = stored_file(db, other_admin, data=png_bytes(), name="logo.png", purpose=LETTERHEAD_LOGO)
    login_as("admin")
    response = client.get(f"/berkas/{stored.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, db):
    owner = factories.make_user("pemilik")
    stored = stored_file(db, owner)
    response = client.get(f"/berkas/{stored.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_a_file_whose_bytes_are_gone_is_not_found_rather_than_an_error(client, db, login_as):
    me = login_as("anggota")
    stored = stored_file(db, me)
    get_storage().delete(stored.key)
    assert client.get(f"/berkas/{stored.id}").status_code == 404


def test_a_request_over_the_size_limit_gets_the_indonesian_too_large_page(make_app, db):
    small = make_app(MAX_CONTENT_LENGTH=2048)
    admin = factories.make_user("admin_besar", roles=["admin"])
    client = small.test_client()
    assert client.post("/masuk", data={"username": admin.username, "password": factories.PASSWORD}).status_code == 302
    big = FileStorage(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 8192), filename="logo.png", content_type="image/png")
    response = client.post(
        "/admin/kop-surat",
        data={"government": "PEMERINTAH KOTA BEKASI", "logo": big},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Berkas terlalu besar" in page
    assert 'lang="id"' in page
