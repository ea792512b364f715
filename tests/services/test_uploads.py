"""Uploads: a file is what its bytes say, not what its name says; names are made safe to show;
the bytes are stored under a random key, hashed, and the upload is in the audit log."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from pontive.core import uploads
from pontive.core.models import AuditLog, StoredFile
from pontive.core.storage import LocalStorage, get_storage
from pontive.core.uploads import UploadError, clean_filename, may_download, register_file_access, save_upload
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def upload(data: bytes, filename: str | None = "berkas.pdf", content_type: str = "application/pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


@pytest.fixture()
def uploader(db):
    return factories.make_user("pengunggah")


def stored_count(db) -> int:
    return db.scalar(select(func.count()).select_from(StoredFile))


def files_on_disk(app) -> int:
    root = app.config["UPLOAD_DIR"]
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


# --- the type comes from the content ---------------------------------------------------------


def test_a_text_file_named_pdf_is_refused_and_nothing_is_kept(app, db, uploader):
    before = files_on_disk(app)
    with pytest.raises(UploadError, match="Jenis berkas tidak diizinkan"):
        save_upload(db, upload(b"Ini bukan PDF.\n", "laporan.pdf"), purpose="test", uploaded_by=uploader)
    assert stored_count(db) == 0
    assert files_on_disk(app) == before


def test_a_png_named_pdf_is_accepted_as_a_png(db, uploader):
    stored = save_upload(db, upload(png_bytes(), "scan.pdf", "application/pdf"), purpose="test", uploaded_by=uploader)
    assert stored.content_type == "image/png"
    assert stored.original_name == "scan.pdf"
    assert uploads.download_name(stored) == "scan.pdf.png"  # the saved file opens as what it is


@pytest.mark.parametrize(
    ("make", "content_type"),
    [(lambda: PDF, "application/pdf"), (jpeg_bytes, "image/jpeg"), (png_bytes, "image/png")],
)
def test_pdf_jpeg_and_png_are_recognised_whatever_the_browser_claims(db, uploader, make, content_type):
    stored = save_upload(db, upload(make(), "x", "text/plain"), purpose="test", uploaded_by=uploader)
    assert stored.content_type == content_type


def test_a_kind_outside_the_allowed_list_is_refused_with_the_kinds_named(db, uploader):
    with pytest.raises(UploadError, match="PNG atau JPEG"):
        save_upload(db, upload(PDF, "logo.png"), purpose="test", uploaded_by=uploader, allowed=("png", "jpeg"))


def test_an_html_file_is_refused_even_if_the_browser_calls_it_an_image(db, uploader):
    with pytest.raises(UploadError):
        save_upload(
            db, upload(b"<script>alert(1)</script>", "foto.png", "image/png"), purpose="t", uploaded_by=uploader
        )


# --- size ------------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(app, db, uploader, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    big = PDF + b"0" * (5 * 1024 * 1024)
    with pytest.raises(UploadError) as caught:
        save_upload(db, upload(big), purpose="test", uploaded_by=uploader)
    assert str(caught.value) == "Berkas terlalu besar: maksimal 5 MB."
    assert stored_count(db) == 0


def test_a_file_exactly_at_the_limit_is_accepted(app, db, uploader, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    data = PDF + b"0" * (1024 - len(PDF))
    stored = save_upload(db, upload(data), purpose="test", uploaded_by=uploader)
    assert stored.size == 1024


def test_an_empty_file_is_refused(db, uploader):
    with pytest.raises(UploadError, match="kosong"):
        save_upload(db, upload(b"", "kosong.pdf"), purpose="test", uploaded_by=uploader)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("a\r\nb.pdf", "a b.pdf"),
        ("Laporan–Ü.pdf", "Laporan–Ü.pdf"),
        ("", "berkas"),
        (None, "berkas"),
        ("..", "berkas"),
        ("C:\\Users\\budi\\Surat Lamaran.pdf", "Surat Lamaran.pdf"),
        ("cv\u202efdp.exe", "cv fdp.exe"),  # a right-to-left override cannot disguise the name
        ("nul\x00byte.pdf", "nul byte.pdf"),
        ("  spasi   berlebih  .pdf", "spasi berlebih .pdf"),
        ("Lamaran 📄 Siti.pdf", "Lamaran 📄 Siti.pdf"),
    ],
)
def test_odd_file_names_are_stored_safe_to_show(db, uploader, given, shown):
    assert clean_filename(given) == shown
    stored = save_upload(db, upload(PDF, given), purpose="test", uploaded_by=uploader)
    assert stored.original_name == shown


def test_a_very_long_name_is_shortened_but_keeps_its_extension():
    name = clean_filename("laporan-" + "x" * 500 + ".pdf")
    assert len(name) == uploads.NAME_MAX_LENGTH
    assert name.endswith(".pdf")


# --- storage, hash, audit --------------------------------------------------------------------


def test_the_bytes_are_stored_under_a_random_key_with_their_sha256(app, db, uploader):
    data = png_bytes()
    stored = save_upload(db, upload(data, "foto.png"), purpose="test", uploaded_by=uploader)
    db.commit()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert len(stored.key) == 32 and "foto" not in stored.key
    path = app.config["UPLOAD_DIR"] / stored.key[:2] / stored.key
    assert path.read_bytes() == data
    with get_storage().open(stored.key) as fh:
        assert fh.read() == data
    other = save_upload(db, upload(data, "foto.png"), purpose="test", uploaded_by=uploader)
    assert other.key != stored.key  # the same file twice is two keys


def test_the_upload_is_in_the_audit_log(db, uploader):
    stored = save_upload(db, upload(PDF, "surat.pdf"), purpose="lamaran", uploaded_by=uploader)
    db.commit()
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "file_upload"))
    assert entry.actor_id == uploader.id
    assert (entry.entity_type, entry.entity_id) == ("StoredFile", str(stored.id))
    assert entry.after["original_name"] == "surat.pdf"
    assert entry.after["purpose"] == "lamaran"
    assert entry.after["sha256"] == stored.sha256


def test_storage_refuses_keys_that_could_name_another_path(tmp_path):
    storage = LocalStorage(tmp_path)
    for key in ["../secret_key", "/etc/passwd", "ab", "A" * 32, ""]:
        with pytest.raises(ValueError):
            storage.open(key)
    key = storage.save(b"isi")
    assert (tmp_path / key[:2] / key).read_bytes() == b"isi"
    storage.delete(key)
    storage.delete(key)  # twice is fine
    with pytest.raises(FileNotFoundError):
        storage.open(key)


# --- who may download ------------------------------------------------------------------------


def test_only_the_uploader_may_download_a_personal_file_not_even_an_admin(db, uploader):
    stored = save_upload(db, upload(PDF), purpose="ktp", uploaded_by=uploader)
    admin = factories.make_user("admin1", roles=["admin"])
    stranger = factories.make_user("orang_lain")
    assert may_download(uploader, stored)
    assert not may_download(stranger, stored)
    assert not may_download(admin, stored)
    assert not may_download(None, stored)


def test_admins_may_download_the_letterhead_logo(db, uploader):
    stored = save_upload(db, upload(png_bytes()), purpose=uploads.LETTERHEAD_LOGO, uploaded_by=uploader)
    admin = factories.make_user("admin2", roles=["admin"])
    member = factories.make_user("anggota2", roles=["anggota"])
    assert may_download(admin, stored)
    assert not may_download(member, stored)


def test_an_area_can_share_its_files_with_a_rule(db, uploader):
    register_file_access("test_shared_with_panel", lambda user, stored: user.has_role("panel"))
    stored = save_upload(db, upload(PDF), purpose="test_shared_with_panel", uploaded_by=uploader)
    assert may_download(factories.make_user("panel1", roles=["panel"]), stored)
    assert not may_download(factories.make_user("admin3", roles=["admin"]), stored)
