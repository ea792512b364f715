"""The UI shell and HTTP hardening: language, headers, caching, CSRF, error pages, health."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from pontive.core.models import AuditLog
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_are_indonesian_by_default(client, db):
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in page and "Masuk ke Pontive" in page


def test_english_can_be_chosen(client, db):
    response = client.get("/bahasa/en", headers={"Referer": "http://localhost/masuk"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk")
    assert '<html lang="en">' in client.get("/masuk").get_data(as_text=True)
    client.get("/bahasa/id")
    assert '<html lang="id">' in client.get("/masuk").get_data(as_text=True)


def test_unknown_language_is_ignored(client, db):
    client.get("/bahasa/xx")
    assert '<html lang="id">' in client.get("/masuk").get_data(as_text=True)


def test_security_headers_on_pages_fragments_and_errors(client, login_as, db):
    assert_security_headers(client.get("/masuk"))
    assert_security_headers(client.get("/tidak-ada"))
    login_as("admin")
    assert_security_headers(client.get("/admin/audit"))
    fragment = client.get("/admin/audit?page=1", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert_security_headers(fragment)
    assert_security_headers(client.get("/admin/pengguna/999999"))


def test_authenticated_pages_are_not_stored_by_caches(client, login_as, db):
    assert "no-store" not in client.get("/masuk").headers.get("Cache-Control", "")
    login_as("anggota")
    assert client.get("/dasbor").headers["Cache-Control"] == "no-store"


def test_authenticated_pages_keep_htmx_history_cache_off(client, login_as, db):
    login_as("anggota")
    assert 'hx-history="false"' in client.get("/dasbor").get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax_and_secure_under_https(client, db):
    factories.make_user("anggota", roles=["anggota"])
    plain = client.post("/masuk", data={"username": "anggota", "password": factories.PASSWORD})
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = client.post(
        "/masuk",
        data={"username": "anggota", "password": factories.PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in secure.headers["Set-Cookie"]


def test_static_files_have_a_content_hash_and_a_long_cache(client, db):
    page = client.get("/masuk").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{12})"', page)
    assert any("htmx" in u for u in urls) and any(".css" in u for u in urls)
    response = client.get(urls[0])
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_first_load_is_small_when_gzipped(client, db):
    """A page loads only its own CSS and JS: ≤ 150 KB gzipped on first load (issue 2 §7)."""
    page = client.get("/masuk")
    total = len(gzip.compress(page.data))
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.get_data(as_text=True)):
        total += len(gzip.compress(client.get(url).data))
    assert total <= 150 * 1024, total


def test_no_inline_scripts_or_styles_anywhere():
    """The CSP forbids inline script and style: no template may rely on them."""
    for path in (ROOT / "templates").rglob("*.html"):
        if "letters" in path.parts:
            continue  # PDFs are rendered by xhtml2pdf, never by a browser
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), f"inline <script> in {path}"
        assert " style=" not in source and "<style" not in source, f"inline style in {path}"
        assert "hx-on" not in source, f"hx-on needs eval, refused by the CSP: {path}"


def test_htmx_is_the_2_0_line():
    vendored = list((ROOT / "static" / "vendor").glob("htmx-*.min.js"))
    assert len(vendored) == 1 and vendored[0].name.startswith("htmx-2.0.")
    assert 'version:"2.0.' in vendored[0].read_text(encoding="utf-8")


def csrf_login(client, username):
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/masuk", data={"username": username, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_every_post_form_carries_a_csrf_token(make_app, db):
    """Every POST form and the htmx header carry the token, on every page an admin reaches."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    user = factories.make_user("admin", roles=["admin"])
    csrf_login(client, "admin")
    pages = [
        "/dasbor",
        "/akun",
        "/akun/kata-sandi",
        "/admin/pengguna",
        "/admin/pengguna/baru",
        f"/admin/pengguna/{user.id}",
        f"/admin/pengguna/{user.id}/ubah",
        "/admin/opd",
        "/admin/opd/baru",
    ]
    forms_seen = 0
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert '"X-CSRFToken": "' in page, url
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", page, flags=re.S | re.I):
            forms_seen += 1
            assert 'name="csrf_token"' in form, f"{url}: {form[:120]}"
    assert forms_seen >= len(pages)  # the logout form on every page, at least


def test_a_post_without_csrf_token_is_refused(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    factories.make_user("anggota", roles=["anggota"])
    response = client.post("/masuk", data={"username": "anggota", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Muat ulang halaman" in response.get_data(as_text=True)


def test_a_post_with_the_csrf_token_from_the_page_works(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    factories.make_user("anggota", roles=["anggota"])
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/masuk", data={"username": "anggota", "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # htmx sends the token as a header
    dash = client.get("/dasbor").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', dash).group(1)
    logout = client.post("/keluar", headers={"X-CSRFToken": header_token})
    assert logout.status_code == 302


def test_error_pages_are_indonesian(make_app, client, db):
    missing = client.get("/tidak-ada")
    assert missing.status_code == 404 and "Halaman yang Anda cari tidak ditemukan." in missing.get_data(as_text=True)
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/rusak")
    def broken():
        raise RuntimeError("boom")

    broken.pontive_access = client.application.view_functions["core.healthz"].pontive_access
    response = app.test_client().get("/rusak")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Terjadi kesalahan pada server" in body and "boom" not in body
    assert_security_headers(response)


def test_forbidden_page_is_indonesian(client, login_as, db):
    login_as("anggota")
    response = client.get("/admin/pengguna")
    assert response.status_code == 403 and "Anda tidak memiliki akses" in response.get_data(as_text=True)


def test_api_clients_get_json_errors(client, db):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404 and response.is_json


def test_fragment_request_without_session_is_sent_to_the_login_page(client, db):
    response = client.get("/admin/audit?page=2", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/masuk" in response.headers["HX-Redirect"]


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_request_body_limit_is_set(app):
    assert 0 < app.config["MAX_CONTENT_LENGTH"] <= 50 * 1024 * 1024


@pytest.mark.parametrize("pragma, expected", [("journal_mode", "wal"), ("foreign_keys", 1)])
def test_sqlite_runs_in_wal_mode_with_foreign_keys(app, db, pragma, expected):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only")
    from sqlalchemy import text

    assert db.execute(text(f"PRAGMA {pragma}")).scalar() == expected


def test_audit_log_is_append_only(db):
    from pontive.core.audit import audit

    entry = audit(db, None, "uji", entity_type="Uji", entity_id=1)
    db.commit()
    entry.action = "diubah"
    with pytest.raises(PermissionError):
        db.commit()
    db.rollback()
    with pytest.raises(PermissionError):
        db.delete(db.scalar(select(AuditLog)))
        db.commit()
    db.rollback()


def test_audit_log_filters_and_pages(client, login_as, db):
    from pontive.core.audit import audit

    login_as("admin")
    for i in range(35):
        audit(db, None, "uji_filter", entity_type="Uji", entity_id=i)
    audit(db, None, "lain", entity_type="Lain", entity_id=1)
    db.commit()
    page1 = client.get("/admin/audit?aksi=uji_filter").get_data(as_text=True)
    assert "Halaman 1 dari 2" in page1 and "lain</code>" not in page1
    page2 = client.get("/admin/audit?aksi=uji_filter&page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in page2 and "Halaman 2 dari 2" in page2
