"""The admin's letterhead and holiday calendar pages, as an admin, as other roles and signed out."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pontive.core import services
from pontive.core.formats import format_date
from pontive.core.models import AuditLog, Holiday, Letterhead, StoredFile
from pontive.core.uploads import LETTERHEAD_LOGO
from tests.services.test_uploads import PDF, png_bytes

LETTERHEAD = {
    "government": "PEMERINTAH KOTA BEKASI",
    "agency": "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN",
    "address": "Jl. Jenderal Ahmad Yani No. 1",
    "city": "Bekasi",
    "phone": "(021) 8896 0000",
    "email": "diskominfo@bekasikota.go.id",
    "website": "diskominfo.bekasikota.go.id",
}

ADMIN_PAGES = [
    ("get", "/admin/kop-surat"),
    ("post", "/admin/kop-surat"),
    ("get", "/admin/kop-surat/contoh.pdf"),
    ("get", "/admin/hari-libur"),
    ("post", "/admin/hari-libur"),
    ("post", "/admin/hari-libur/1/hapus"),
]


def audits(db, action: str) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# --- who may open the settings ---------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_a_signed_out_visitor_is_sent_to_the_login_page(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("role", ["anggota", "ketua", "sekretaris", "pembina"])
@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_other_roles_are_refused(client, login_as, role, method, url):
    login_as(role)
    assert getattr(client, method)(url).status_code == 403


def test_the_admin_menu_lists_letterhead_and_holidays(client, login_as):
    login_as("admin")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "/admin/kop-surat" in page and "/admin/hari-libur" in page


# --- letterhead ------------------------------------------------------------------------------


def test_before_any_save_the_form_shows_the_citys_defaults(client, login_as):
    login_as("admin")
    page = client.get("/admin/kop-surat").get_data(as_text=True)
    assert "PEMERINTAH KOTA BEKASI" in page
    assert "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/png,image/jpeg"' in page


def test_an_admin_saves_the_letterhead_and_it_is_audited(client, db, login_as):
    admin = login_as("admin")
    response = client.post("/admin/kop-surat", data={**LETTERHEAD, "agency": "DISKOMINFOSTANDI"})
    assert response.status_code == 302
    letterhead = db.scalar(select(Letterhead))
    assert letterhead.agency == "DISKOMINFOSTANDI"
    assert letterhead.email == "diskominfo@bekasikota.go.id"
    [created] = audits(db, "letterhead_create")
    assert created.actor_id == admin.id and created.after["agency"] == "DISKOMINFOSTANDI"

    client.post("/admin/kop-surat", data=LETTERHEAD)
    assert db.scalars(select(Letterhead)).all() == [letterhead]  # still the one letterhead
    [updated] = audits(db, "letterhead_update")
    assert updated.before["agency"] == "DISKOMINFOSTANDI"
    assert updated.after["agency"] == LETTERHEAD["agency"]


def test_a_required_field_left_empty_is_shown_beside_the_field(client, db, login_as):
    login_as("admin")
    response = client.post("/admin/kop-surat", data={**LETTERHEAD, "agency": ""})
    assert response.status_code == 422
    assert "Wajib diisi." in response.get_data(as_text=True)
    assert db.scalar(select(Letterhead)) is None


def test_an_admin_uploads_a_png_logo_and_sees_it_on_the_page(client, db, login_as):
    login_as("admin")
    data = {**LETTERHEAD, "logo": (io.BytesIO(png_bytes()), "logo kota.png")}
    assert client.post("/admin/kop-surat", data=data, content_type="multipart/form-data").status_code == 302
    letterhead = db.scalar(select(Letterhead))
    logo = db.get(StoredFile, letterhead.logo_id)
    assert (logo.purpose, logo.content_type, logo.original_name) == (LETTERHEAD_LOGO, "image/png", "logo kota.png")
    page = client.get("/admin/kop-surat").get_data(as_text=True)
    assert f'src="/berkas/{logo.id}"' in page
    assert client.get(f"/berkas/{logo.id}").status_code == 200
    assert audits(db, "file_upload")

    client.post("/admin/kop-surat", data={**LETTERHEAD, "remove_logo": "y"})
    assert db.scalar(select(Letterhead)).logo_id is None


def test_a_pdf_is_refused_as_a_logo_and_nothing_is_saved(client, db, login_as):
    login_as("admin")
    data = {**LETTERHEAD, "agency": "JANGAN DISIMPAN", "logo": (io.BytesIO(PDF), "logo.png")}
    response = client.post("/admin/kop-surat", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Jenis berkas tidak diizinkan" in response.get_data(as_text=True)
    assert db.scalar(select(Letterhead)) is None
    assert db.scalar(select(StoredFile)) is None


def test_the_sample_letter_is_a_pdf_dated_today_in_indonesian(client, login_as):
    login_as("admin")
    response = client.get("/admin/kop-surat/contoh.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert format_date(dt.date.today()) in text
    assert "PEMERINTAH KOTA BEKASI" in text


# --- holidays --------------------------------------------------------------------------------


def add(client, day: str, name: str = "Hari Kemerdekaan", kind: str = "libur_nasional"):
    return client.post("/admin/hari-libur", data={"date": day, "kind": kind, "name": name})


def test_an_admin_adds_a_holiday_and_sees_it_in_that_years_list(client, db, login_as):
    admin = login_as("admin")
    response = add(client, "2026-08-17")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/hari-libur?tahun=2026")
    page = client.get("/admin/hari-libur?tahun=2026").get_data(as_text=True)
    assert "Hari Kemerdekaan" in page and "17 Agustus 2026" in page
    assert "Hari Kemerdekaan" not in client.get("/admin/hari-libur?tahun=2027").get_data(as_text=True)
    [entry] = audits(db, "holiday_add")
    assert entry.actor_id == admin.id and entry.after == {
        "date": "2026-08-17",
        "kind": "libur_nasional",
        "name": "Hari Kemerdekaan",
    }


def test_the_same_date_twice_is_refused_with_a_clear_message(client, db, login_as):
    login_as("admin")
    add(client, "2026-12-25", "Hari Raya Natal")
    response = add(client, "2026-12-25", "Natal lagi", kind="cuti_bersama")
    assert response.status_code == 422
    assert "Tanggal 25 Desember 2026 sudah terdaftar sebagai hari libur (Hari Raya Natal)." in response.get_data(
        as_text=True
    )
    assert len(db.scalars(select(Holiday)).all()) == 1


def test_a_bad_date_or_kind_is_refused(client, db, login_as):
    login_as("admin")
    assert add(client, "bukan-tanggal").status_code == 422
    assert add(client, "2026-01-01", kind="libur_sesukanya").status_code == 422
    assert db.scalar(select(Holiday)) is None


def test_an_admin_deletes_a_holiday_and_it_is_audited(client, db, login_as):
    login_as("admin")
    add(client, "2026-05-01", "Hari Buruh")
    holiday_id = db.scalar(select(Holiday.id))
    response = client.post(f"/admin/hari-libur/{holiday_id}/hapus")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("tahun=2026")
    assert db.scalar(select(Holiday)) is None
    [entry] = audits(db, "holiday_delete")
    assert entry.before["name"] == "Hari Buruh"
    assert client.post(f"/admin/hari-libur/{holiday_id}/hapus").status_code == 404


def test_deleting_with_htmx_swaps_only_the_row_out(client, db, login_as):
    login_as("admin")
    add(client, "2026-06-01", "Hari Lahir Pancasila")
    holiday = db.scalar(select(Holiday))
    response = client.post(f"/admin/hari-libur/{holiday.id}/hapus", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.data == b""


def test_switching_the_year_with_htmx_returns_only_the_list(client, db, login_as):
    login_as("admin")
    add(client, "2027-01-01", "Tahun Baru 2027")
    fragment = client.get("/admin/hari-libur?tahun=2027", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert 'id="holiday-list"' in fragment and "Tahun Baru 2027" in fragment
    whole = client.get("/admin/hari-libur?tahun=2027").get_data(as_text=True)
    assert "<html" in whole and "Tambah hari libur" in whole


def test_a_nonsense_year_shows_this_year(client, login_as):
    login_as("admin")
    page = client.get("/admin/hari-libur?tahun=abc").get_data(as_text=True)
    assert f"<strong>{dt.date.today().year}</strong>" in page


def test_holidays_between_gives_the_dates_the_leave_count_skips(db):
    admin = None
    for day, name in [("2026-03-20", "Idulfitri"), ("2026-03-23", "Cuti bersama"), ("2026-04-03", "Wafat Yesus")]:
        services.add_holiday(db, admin, dt.date.fromisoformat(day), "libur_nasional", name)
    found = services.holidays_between(db, dt.date(2026, 3, 20), dt.date(2026, 3, 31))
    assert found == {dt.date(2026, 3, 20), dt.date(2026, 3, 23)}
    assert services.holidays_between(db, dt.date(2026, 4, 1), dt.date(2026, 3, 1)) == set()

    from pontive.core.workdays import count_working_days

    # 16–27 March 2026: ten weekdays, two of them holidays.
    assert count_working_days(dt.date(2026, 3, 16), dt.date(2026, 3, 27), found) == 8


# --- the audit log ----------------------------------------------------------------------------------


def test_the_audit_log_names_the_fields_and_the_entry_shows_every_value(client, db, login_as):
    """A list row names the first fields an entry records (a catalogue entry records dozens) and links to
    the entry, which shows each value before and after: the htmx fragment stays small."""
    from pontive.core.audit import audit

    login_as("admin")
    fields = {f"kolom_{i}": f"nilai {i}" for i in range(12)}
    entry = audit(db, None, "uji_besar", entity_type="Uji", entity_id=7, before={"status": "draf"}, after=fields)
    db.commit()

    fragment = client.get("/admin/audit?aksi=uji_besar", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert f'href="/admin/audit/{entry.id}"' in fragment
    assert "status, kolom_0, kolom_1, kolom_2 +9 lainnya" in fragment
    assert "nilai 11" not in fragment

    page = client.get(f"/admin/audit/{entry.id}").get_data(as_text=True)
    assert "uji_besar" in page and "draf" in page
    assert all(f"nilai {i}" in page for i in range(12))
    assert client.get(f"/admin/audit/{entry.id + 1000}").status_code == 404


def test_only_an_admin_opens_an_audit_entry(client, db, login_as):
    from pontive.core.audit import audit

    entry = audit(db, None, "uji", entity_type="Uji", entity_id=1, after={"a": 1})
    db.commit()
    assert client.get(f"/admin/audit/{entry.id}").status_code in (302, 401)
    login_as("ketua")
    assert client.get(f"/admin/audit/{entry.id}").status_code == 403
