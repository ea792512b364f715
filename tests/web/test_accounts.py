"""Signing in and out, sessions, lockout, last login and the admin's user pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from pontive.accounts.models import LoginThrottle, User
from pontive.core.models import AuditLog
from tests import factories

COOKIE = "pontive_session"


def login(client, username, password=factories.PASSWORD, **kwargs):
    return client.post("/masuk", data={"username": username, "password": password}, **kwargs)


def session_cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def replay(client, value: str) -> None:
    client.set_cookie(COOKIE, value)


# --- signing in ------------------------------------------------------------------------------


def test_login_lands_on_the_dashboard(client, db):
    factories.make_user("anggota", roles=["anggota"])
    response = login(client, "anggota")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dasbor")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Akun saya" in page and 'id="role-anggota"' in page


def test_login_is_case_insensitive_on_the_username(client, db):
    factories.make_user("ketua", roles=["ketua"])
    assert login(client, "  KETUA ").status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_answer(client, db):
    factories.make_user("ppk", roles=["ppk"])
    wrong = login(client, "ppk", "salah-sekali-123")
    unknown = login(client, "tidak-ada", "salah-sekali-123")
    assert wrong.status_code == unknown.status_code == 422
    message = "Nama pengguna atau kata sandi salah."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_an_inactive_user_cannot_sign_in_and_is_told_nothing_more(client, db):
    factories.make_user("kontrak", roles=["kontrak"], active=False)
    response = login(client, "kontrak")
    assert response.status_code == 422
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_lockout_after_five_failures_holds_even_with_the_right_password(client, db):
    factories.make_user("panel", roles=["panel"])
    for _ in range(5):
        login(client, "panel", "salah-salah-salah")
    response = login(client, "panel")  # the right password, but locked
    assert response.status_code == 422
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)


def test_unknown_names_lock_the_same_way_so_nothing_is_revealed(client, db):
    for _ in range(5):
        login(client, "hantu", "salah-salah-salah")
    assert "Terlalu banyak percobaan" in login(client, "hantu", "apa-saja-123456").get_data(as_text=True)


def test_lockout_is_kept_in_the_database_so_every_worker_sees_it(make_app, client, db):
    factories.make_user("pptk", roles=["pptk"])
    for _ in range(5):
        login(client, "pptk", "salah-salah-salah")
    other_worker = make_app().test_client()
    assert "Terlalu banyak percobaan" in login(other_worker, "pptk").get_data(as_text=True)
    assert db.scalar(select(LoginThrottle.failures).where(LoginThrottle.username == "pptk")) == 5


def test_a_successful_login_clears_earlier_failures(client, db):
    factories.make_user("sekretaris", roles=["sekretaris"])
    for _ in range(3):
        login(client, "sekretaris", "salah-salah-salah")
    assert login(client, "sekretaris").status_code == 302
    assert db.get(LoginThrottle, "sekretaris") is None


def test_next_parameter_only_goes_to_this_site(client, db):
    factories.make_user("admin", roles=["admin"])
    response = login(client, "admin", query_string={"next": "https://jahat.example/curi"})
    assert response.headers["Location"].endswith("/dasbor")
    client.post("/keluar")
    response = login(client, "admin", query_string={"next": "/admin/pengguna"})
    assert response.headers["Location"].endswith("/admin/pengguna")


def test_login_starts_a_new_session(client, db):
    factories.make_user("pembina", roles=["pembina"])
    client.get("/masuk")
    with client.session_transaction() as sess:
        sess["ditanam"] = "oleh penyerang"
    login(client, "pembina")
    with client.session_transaction() as sess:
        assert "ditanam" not in sess


# --- sessions end ----------------------------------------------------------------------------


def test_logout_replayed_cookie_is_rejected(client, db):
    factories.make_user("koordinator", roles=["koordinator"])
    login(client, "koordinator")
    stolen = session_cookie(client)
    assert client.post("/keluar").status_code == 302
    replay(client, stolen)
    response = client.get("/dasbor")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, db):
    factories.make_user("anggota", roles=["anggota"])
    other_device = app.test_client()
    login(other_device, "anggota")
    login(client, "anggota")
    response = client.post(
        "/akun/kata-sandi",
        data={"current": factories.PASSWORD, "new": "kata-sandi-baru-456", "confirm": "kata-sandi-baru-456"},
    )
    assert response.status_code == 302
    assert client.get("/dasbor").status_code == 200
    assert other_device.get("/dasbor").status_code == 302
    assert login(app.test_client(), "anggota", "kata-sandi-baru-456").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(client, db):
    user = factories.make_user("anggota", roles=["anggota"])
    old_hash = user.password_hash
    login(client, "anggota")
    response = client.post(
        "/akun/kata-sandi",
        data={"current": "bukan-ini-123", "new": "kata-sandi-baru-456", "confirm": "kata-sandi-baru-456"},
    )
    assert response.status_code == 422
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    db.refresh(user)
    assert user.password_hash == old_hash


def test_a_deactivated_users_live_session_is_rejected(app, client, db):
    admin = factories.make_user("admin", roles=["admin"])
    victim = factories.make_user("anggota", roles=["anggota"])
    victim_client = app.test_client()
    login(victim_client, "anggota")
    assert victim_client.get("/dasbor").status_code == 200
    login(client, "admin")
    assert client.post(f"/admin/pengguna/{victim.id}/status").status_code == 302
    assert victim_client.get("/dasbor").status_code == 302
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "user_deactivate"))
    assert entry.actor_id == admin.id and entry.after == {"active": False}


def test_admin_cannot_deactivate_themselves(client, login_as, db):
    admin = login_as("admin")
    client.post(f"/admin/pengguna/{admin.id}/status")
    db.refresh(admin)
    assert admin.active


# --- last login (004 §3) ---------------------------------------------------------------------


def test_last_login_is_shown_to_the_user_and_to_admins(app, client, db):
    factories.make_user("admin", roles=["admin"])
    member = factories.make_user("anggota", roles=["anggota"])
    first = app.test_client()
    login(first, "anggota")
    assert "Ini login pertama Anda" in first.get("/dasbor").get_data(as_text=True)
    second = app.test_client()
    login(second, "anggota")
    db.refresh(member)
    page = second.get("/dasbor").get_data(as_text=True)
    assert "Ini login pertama Anda" not in page
    assert re.search(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2}", page)  # 23 November 2026 08.15
    login(client, "admin")
    listing = client.get("/admin/pengguna?q=anggota").get_data(as_text=True)
    assert "Login terakhir" in listing and re.search(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2}", listing)


# --- admin: users, NIP/NIK, roles ------------------------------------------------------------


def new_user_form(**changes):
    data = {
        "username": "budi",
        "full_name": "Budi Santoso",
        "email": "budi@bekasikota.go.id",
        "phone": "081234567890",
        "nip": "198503302010011002",
        "nik": "3275010509900001",
        "employment_status": "asn",
        "home_opd_id": "",
        "active": "y",
        "password": "kata-sandi-awal-789",
    }
    data.update(changes)
    return data


def test_admin_creates_a_user_who_can_then_sign_in(app, client, login_as, db):
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=new_user_form())
    assert response.status_code == 302
    user = db.scalar(select(User).where(User.username == "budi"))
    assert user.nip == "198503302010011002"
    assert db.scalar(select(AuditLog).where(AuditLog.action == "user_create", AuditLog.entity_id == str(user.id)))
    assert login(app.test_client(), "budi", "kata-sandi-awal-789").status_code == 302


def test_nip_with_wrong_length_is_refused_with_a_clear_message(client, login_as, db):
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=new_user_form(nip="12345"))
    assert response.status_code == 422
    assert "NIP harus terdiri dari 18 digit angka." in response.get_data(as_text=True)
    assert db.scalar(select(User).where(User.username == "budi")) is None


def test_nik_with_impossible_birth_date_is_refused(client, login_as, db):
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=new_user_form(nik="3275013513900001"))
    assert response.status_code == 422
    assert "NIK tidak valid" in response.get_data(as_text=True)


def test_duplicate_nik_is_refused(client, login_as, db):
    factories.make_user("lama", nik="3275010509900001")
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=new_user_form())
    assert response.status_code == 422
    assert "NIK 3275010509900001 sudah dipakai" in response.get_data(as_text=True)


def test_short_password_is_refused(client, login_as, db):
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=new_user_form(password="pendek"))
    assert response.status_code == 422
    assert "minimal 12 karakter" in response.get_data(as_text=True)


def test_koordinator_grant_needs_an_opd(client, login_as, db):
    login_as("admin")
    user = factories.make_user("calon")
    client.post(f"/admin/pengguna/{user.id}/peran", data={"role": "koordinator", "opd_id": ""})
    db.refresh(user)
    assert not user.grants
    opd = factories.make_opd("Dinas Kesehatan")
    response = client.post(
        f"/admin/pengguna/{user.id}/peran", data={"role": "koordinator", "opd_id": str(opd.id)}, follow_redirects=True
    )
    assert "Dinas Kesehatan" in response.get_data(as_text=True)
    db.refresh(user)
    assert user.opd_ids_for("koordinator") == {opd.id}


def test_revoking_a_role_takes_effect_on_the_next_request(app, client, login_as, db):
    login_as("admin")
    member = factories.make_user("ketua", roles=["ketua"])
    member_client = app.test_client()
    login(member_client, "ketua")
    client.post(f"/admin/pengguna/{member.id}/peran/{member.grants[0].id}/hapus")
    assert member_client.get("/dasbor").get_data(as_text=True).count('id="role-ketua"') == 0


def test_reset_password_ends_the_users_sessions(app, client, login_as, db):
    login_as("admin")
    member = factories.make_user("ppk", roles=["ppk"])
    member_client = app.test_client()
    login(member_client, "ppk")
    client.post(f"/admin/pengguna/{member.id}/reset-sandi", data={"new": "sandi-reset-baru-1"})
    assert member_client.get("/dasbor").status_code == 302
    assert login(app.test_client(), "ppk", "sandi-reset-baru-1").status_code == 302


def test_user_search_answers_a_fragment_to_htmx_and_a_page_otherwise(client, login_as, db):
    login_as("admin")
    factories.make_user("siti", full_name="Siti Aminah")
    fragment = client.get("/admin/pengguna?q=aminah", headers={"HX-Request": "true", "HX-Target": "results"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Siti Aminah" in text and 'id="results"' in text
    boosted = client.get("/admin/pengguna?q=aminah", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    page = client.get("/admin/pengguna?q=aminah").get_data(as_text=True)
    assert "<html" in page and "Siti Aminah" in page


def test_user_search_finds_every_user_containing_the_text_those_starting_with_it_first(client, login_as, db):
    """Issue 8 §2: what starts with the typed text comes first, from the indexes (any case); every other
    user containing it (a surname, part of a NIP) follows, even when something starts with it; the role
    filter narrows either."""
    login_as("admin")
    factories.make_user("budi.s", full_name="Budi Santoso", nip="198001012005011001", roles=["ppk"])
    factories.make_user("agus", full_name="Agus Budiman", roles=["kontrak"])
    factories.make_user("sari", full_name="Sari Wulandari", roles=["kontrak"])

    def names(query: str) -> list[str]:
        text = client.get(f"/admin/pengguna?{query}", headers={"HX-Request": "true"}).get_data(as_text=True)
        found = [n for n in ("Budi Santoso", "Agus Budiman", "Sari Wulandari") if n in text]
        return sorted(found, key=text.index)

    assert names("q=BUDI") == ["Budi Santoso", "Agus Budiman"]  # part of a surname finds Agus too, after
    assert names("q=agu") == ["Agus Budiman"]
    assert names("q=diman") == ["Agus Budiman"]
    assert names("q=19800101") == ["Budi Santoso"]  # the NIP
    assert names("q=wulan") == ["Sari Wulandari"]
    assert names("q=2005011") == ["Budi Santoso"]
    assert names("q=a%") == []  # the text is matched as typed, not as a pattern
    assert names("peran=kontrak") == ["Agus Budiman", "Sari Wulandari"]
    assert names("peran=kontrak&q=sa") == ["Sari Wulandari"]
    assert names("peran=kontrak&q=budi") == ["Agus Budiman"]


def test_user_search_pages_run_on_from_the_names_starting_with_the_text_to_those_containing_it(
    app, client, login_as, db, monkeypatch
):
    """Each user once, in order, across the pages: those whose name starts with "budi", then the others."""
    login_as("admin")
    monkeypatch.setitem(app.config, "PER_PAGE", 2)  # the app lives for the whole session: restore it after
    for n in range(3):
        factories.make_user(f"b{n}", full_name=f"Budi {n}")
        factories.make_user(f"x{n}", full_name=f"Agus Budiman {n}")
    seen = []
    for page in (1, 2, 3):
        text = client.get(f"/admin/pengguna?q=budi&page={page}", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "6 pengguna" in text
        seen += re.findall(r"<td>((?:Budi|Agus Budiman) \d)</td>", text)
    assert seen == ["Budi 0", "Budi 1", "Budi 2", "Agus Budiman 0", "Agus Budiman 1", "Agus Budiman 2"]


def test_opd_admin_create_and_duplicate(client, login_as, db):
    login_as("admin")
    data = {"code": "DISKES", "name": "Dinas Kesehatan", "short_name": "Dinkes", "active": "y"}
    assert client.post("/admin/opd/baru", data=data).status_code == 302
    again = client.post("/admin/opd/baru", data=data)
    assert again.status_code == 422 and "sudah ada" in again.get_data(as_text=True)
