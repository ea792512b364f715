"""The JSON API /api/v1 (issue 7 §5, issue 5 §8): bearer tokens only, problem details for every
error, the catalogue with filters and pagination, members by role, the caller's action plans and
realisations, the OpenAPI document held to the routes, and the token pages."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from pontive.accounts import tokens
from pontive.accounts.models import ApiToken
from pontive.catalogue import services as catalogue
from pontive.core.permissions import PUBLIC, TOKEN, access_of
from pontive.performance import services as performance
from pontive.performance.models import Evidence, MonthlyReport, Realisation
from pontive.recruitment.demo import DEMO_PDF
from tests import factories
from tests.team_factories import make_koordinator, make_member

PROBLEM = "application/problem+json"
YEAR, MONTH = 2026, 10


# --- helpers ------------------------------------------------------------------------------------------


def token_for(db, user, name="uji") -> str:
    return tokens.create_token(db, user, name)[1]


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def api_user(db, role: str, **kwargs):
    user = factories.make_user(roles=[role], **kwargs)
    return user, token_for(db, user)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["instance"] == response.request.path
    assert body["detail"]
    return body


def make_app_record(db, actor, opd, name: str, **fields):
    data = {
        "name": name,
        "owner_opd_id": opd.id,
        "status": "production",
        "kind": "web",
        "hosting_location": "city_dc",
        "server_name": f"srv-{name.lower().replace(' ', '-')}",
        "ip_address": "10.20.30.40",
        **fields,
    }
    return catalogue.save_app(db, actor, data)


class Upload(io.BytesIO):
    def __init__(self, data: bytes = DEMO_PDF, filename: str = "bukti.pdf"):
        super().__init__(data)
        self.filename = filename


@pytest.fixture()
def admin(db):
    return factories.make_user("admin_api", roles=["admin"])


@pytest.fixture()
def member_setup(db):
    """A member with an RHK and two action plans in October 2026 and one in November, and their token."""
    opd = factories.make_opd()
    koordinator = make_koordinator(opd, "koor_api")
    member = make_member(opd, "anggota_api", full_name="Sari Programmer").member
    plan = performance.get_or_create_plan(db, member, YEAR)
    rhk = performance.save_work_result(
        db,
        member,
        plan,
        {"title": "Tersedianya aplikasi layanan", "kind": "main"},
        [{"description": "Modul selesai", "target_value": "4", "unit": "modul"}],
    )
    first = performance.save_action_plan(
        db, member, rhk, {"month": MONTH, "description": "Modul pengaduan", "target_value": "2", "unit": "modul"}
    )
    second = performance.save_action_plan(
        db, member, rhk, {"month": MONTH, "description": "Uji coba", "target_value": "4", "unit": "skenario"}
    )
    november = performance.save_action_plan(
        db, member, rhk, {"month": 11, "description": "Dokumentasi", "target_value": "1", "unit": "dokumen"}
    )
    return {
        "opd": opd,
        "koordinator": koordinator,
        "member": member,
        "rhk": rhk,
        "plans": (first, second, november),
        "token": token_for(db, member),
    }


# --- authentication -----------------------------------------------------------------------------------


def test_no_token_is_a_401_problem_with_a_bearer_challenge(client, db):
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "error=" not in response.headers["WWW-Authenticate"]
    assert body["type"].endswith("/api/v1/docs#masalah-tidak-terautentikasi")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer pnt_salah",
        "Bearer ",
        "Bearer",
        "Basic YWRtaW46YWRtaW4=",
        "pnt_tanpa_skema",
        "Bearer " + "pnt_" + "x" * 200,
        "Bearer tanpa-awalan-pnt",
    ],
)
def test_a_malformed_or_unknown_token_is_a_401_problem(client, db, header):
    response = client.get("/api/v1/applications", headers={"Authorization": header})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_stops_working(client, db):
    user = factories.make_user(roles=["anggota"])
    row, plain = tokens.create_token(db, user, "e-Kinerja")
    assert client.get("/api/v1/me", headers=bearer(plain)).status_code == 200
    tokens.revoke_token(db, user, row)
    assert_problem(client.get("/api/v1/me", headers=bearer(plain)), 401)


def test_an_inactive_users_token_is_refused(client, db):
    user, plain = api_user(db, "ketua")
    user.active = False
    db.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(plain)), 401)


def test_the_session_cookie_of_a_signed_in_user_does_not_authenticate(client, login_as, db):
    login_as("ketua")
    assert client.get("/akun").status_code == 200  # the session works for pages
    for path in ("/api/v1/me", "/api/v1/applications", "/api/v1/members"):
        assert_problem(client.get(path), 401)
    response = client.post("/api/v1/action-plans/1/realisation", json={"value": "1"})
    assert_problem(response, 401)


def test_the_bearer_scheme_is_case_insensitive_and_me_names_the_owner(client, db):
    opd = factories.make_opd(name="Dinas Komunikasi dan Informatika")
    user = factories.make_user("koor_me", roles=["koordinator"], opd=opd, full_name="Budi Koordinator")
    plain = token_for(db, user)
    response = client.get("/api/v1/me", headers={"Authorization": f"bearer {plain}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "koor_me"
    assert body["name"] == "Budi Koordinator"
    assert body["roles"] == [
        {
            "role": "koordinator",
            "label": "Koordinator OPD",
            "opd": {"id": opd.id, "name": opd.name, "short_name": opd.short_name},
        }
    ]
    assert response.headers["Cache-Control"] == "no-store"
    assert "set-cookie" not in {k.lower() for k in response.headers.keys()}


def test_last_use_is_recorded(client, db):
    user, plain = api_user(db, "anggota")
    client.get("/api/v1/me", headers=bearer(plain))
    token = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is not None


# --- problem details for every error --------------------------------------------------------------------


def test_unknown_api_paths_are_404_problems(client, db):
    for path in ("/api/v1/x", "/api/v1", "/api/v1/applications/1/tidak-ada", "/api/v1/applications/abc"):
        assert_problem(client.get(path), 404)
    _, plain = api_user(db, "ketua")
    assert_problem(client.get("/api/v1/x", headers=bearer(plain)), 404)


def test_a_wrong_method_is_a_405_problem_with_allow(client, db):
    response = client.post("/api/v1/applications", json={})
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert_problem(client.get("/api/v1/action-plans/1/realisation"), 405)


def test_pages_outside_the_api_keep_their_html_errors(client, db):
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_server_error_is_a_500_problem(make_app, db, monkeypatch):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    _, plain = api_user(db, "ketua")

    def boom(*args, **kwargs):
        raise RuntimeError("uji")

    monkeypatch.setattr(catalogue, "public_view", boom)
    make_app_record(db, factories.make_user(roles=["admin"]), factories.make_opd(), "Aplikasi Rusak")
    response = app.test_client().get("/api/v1/applications", headers=bearer(plain))
    body = assert_problem(response, 500)
    assert "uji" not in body["detail"]


def test_too_many_requests_is_a_429_problem_counted_per_token(make_app, db):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    try:
        client = app.test_client()
        _, first = api_user(db, "anggota")
        _, second = api_user(db, "anggota")
        for _ in range(3):
            assert client.get("/api/v1/me", headers=bearer(first)).status_code == 200
        response = client.get("/api/v1/me", headers=bearer(first))
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) > 0
        assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200  # its own budget
    finally:
        make_app()  # the limiter is one object: switch it off again for the rest of the suite


# --- the catalogue -------------------------------------------------------------------------------------


def test_the_catalogue_paginates_with_links_and_caps_per_page(client, db, admin):
    opd = factories.make_opd()
    for n in range(1, 31):
        make_app_record(db, admin, opd, f"Aplikasi {n:02d}")
    _, plain = api_user(db, "pelamar")

    response = client.get("/api/v1/applications?per_page=10&page=2", headers=bearer(plain))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 10, 30, 3)
    assert [a["name"] for a in body["items"]] == [f"Aplikasi {n:02d}" for n in range(11, 21)]
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"]))
    assert set(links) == {"first", "prev", "next", "last"}
    assert "page=3" in links["next"] and "per_page=10" in links["next"]
    assert "page=1" in links["prev"]
    assert response.headers["X-Total-Count"] == "30"

    capped = client.get("/api/v1/applications?per_page=500", headers=bearer(plain)).get_json()
    assert capped["per_page"] == 100 and len(capped["items"]) == 30 and capped["pages"] == 1

    beyond = client.get("/api/v1/applications?page=9", headers=bearer(plain)).get_json()
    assert beyond["items"] == [] and beyond["total"] == 30

    last = client.get("/api/v1/applications?per_page=10&page=3", headers=bearer(plain))
    assert 'rel="next"' not in last.headers["Link"]

    odd = client.get("/api/v1/applications?per_page=10&_external=x&_scheme=ftp", headers=bearer(plain))
    assert odd.status_code == 200 and "http://localhost/api/v1/applications?" in odd.headers["Link"]


def test_the_catalogue_filters_and_sorts(client, db, admin):
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    today = dt.date.today()
    make_app_record(db, admin, opd_a, "Sistem Perizinan", description="Layanan izin usaha", kind="web")
    make_app_record(db, admin, opd_a, "Pajak Mobile", kind="android", status="development", hosting_location="cloud")
    make_app_record(
        db,
        admin,
        opd_b,
        "Arsip Digital",
        kind="desktop",
        hosting_location="vendor",
        warranty_until=today + dt.timedelta(days=20),
    )
    make_app_record(db, admin, opd_b, "Portal Lama", status="retired", warranty_until=today + dt.timedelta(days=200))
    _, plain = api_user(db, "anggota")

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/applications?{query}", headers=bearer(plain))
        assert response.status_code == 200, response.get_data(as_text=True)
        return [a["name"] for a in response.get_json()["items"]]

    assert names("q=izin") == ["Sistem Perizinan"]  # the description matches too, case-insensitively
    assert names("q=100%25") == []  # a percent sign is searched for, not a wildcard
    assert names(f"opd={opd_b.id}") == ["Arsip Digital", "Portal Lama"]
    assert names("kind=android") == ["Pajak Mobile"]
    assert names("status=retired") == ["Portal Lama"]
    assert names("hosting=vendor") == ["Arsip Digital"]
    assert names("warranty_ending=true") == ["Arsip Digital"]
    assert names("sort=-name") == ["Sistem Perizinan", "Portal Lama", "Pajak Mobile", "Arsip Digital"]
    assert names(f"opd={opd_a.id}&kind=web") == ["Sistem Perizinan"]

    response = client.get("/api/v1/applications?status=hidup&page=0&opd=x&sort=acak", headers=bearer(plain))
    body = assert_problem(response, 400)
    assert {e["field"] for e in body["errors"]} == {"status", "page", "opd", "sort"}


def test_ip_and_server_are_hidden_from_a_pelamar_and_shown_to_the_ketua(client, db, admin):
    opd = factories.make_opd()
    record = make_app_record(db, admin, opd, "Sistem Kepegawaian")
    _, pelamar = api_user(db, "pelamar")
    _, ketua = api_user(db, "ketua")

    for url in ("/api/v1/applications", f"/api/v1/applications/{record.id}"):
        hidden = client.get(url, headers=bearer(pelamar))
        assert hidden.status_code == 200
        assert "10.20.30.40" not in hidden.get_data(as_text=True)
        assert "srv-sistem-kepegawaian" not in hidden.get_data(as_text=True)
        shown = client.get(url, headers=bearer(ketua)).get_data(as_text=True)
        assert "10.20.30.40" in shown and "srv-sistem-kepegawaian" in shown

    detail = client.get(f"/api/v1/applications/{record.id}", headers=bearer(pelamar)).get_json()
    assert "ip_address" not in detail and "server_name" not in detail


def test_an_application_detail_has_integrations_and_maintainers(client, db, admin):
    opd = factories.make_opd()
    simpeg = make_app_record(db, admin, opd, "Simpeg")
    gaji = make_app_record(db, admin, opd, "Gaji")
    absen = make_app_record(db, admin, opd, "Absensi")
    catalogue.add_integration(db, admin, simpeg, gaji, "Data pegawai")
    catalogue.add_integration(db, admin, absen, simpeg, "Rekap kehadiran")
    maintainer = make_member(opd, "pemelihara", full_name="Rina Pemelihara").member
    catalogue.set_maintainers(db, admin, simpeg, [maintainer.id])
    plain = token_for(db, maintainer)

    response = client.get(f"/api/v1/applications/{simpeg.id}", headers=bearer(plain))
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Simpeg" and body["owner_opd"]["id"] == opd.id
    assert body["integrations"]["provides_to"] == [
        {"application": {"id": gaji.id, "name": "Gaji"}, "description": "Data pegawai"}
    ]
    assert body["integrations"]["consumes_from"] == [
        {"application": {"id": absen.id, "name": "Absensi"}, "description": "Rekap kehadiran"}
    ]
    assert body["maintainers"] == [{"id": maintainer.id, "name": "Rina Pemelihara"}]
    assert body["ip_address"] == "10.20.30.40"  # a maintainer may see the infrastructure

    assert_problem(client.get("/api/v1/applications/999999", headers=bearer(plain)), 404)
    assert_problem(client.get("/api/v1/applications/99999999999999999999", headers=bearer(plain)), 404)


# --- members -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anggota", "pelamar", "operator_opd", "kontrak"])
def test_members_are_refused_to_other_roles(client, db, role):
    _, plain = api_user(db, role)
    body = assert_problem(client.get("/api/v1/members", headers=bearer(plain)), 403)
    assert body["type"].endswith("#masalah-akses-ditolak")


@pytest.mark.parametrize("role", ["ketua", "sekretaris", "pembina", "admin"])
def test_the_leadership_sees_every_serving_member(client, db, role):
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    make_member(opd_a, full_name="Agus")
    make_member(opd_b, full_name="Bela")
    _, plain = api_user(db, role)
    response = client.get("/api/v1/members", headers=bearer(plain))
    assert response.status_code == 200
    body = response.get_json()
    assert [m["member"]["name"] for m in body["items"]] == ["Agus", "Bela"]
    first = body["items"][0]
    assert first["placement_opd"]["id"] == opd_a.id
    assert first["status"] == "active"
    assert first["term"] == {"start": "2026-01-02", "end": first["term"]["end"]}
    assert set(first) == {"id", "member", "category", "placement_opd", "term", "decree_number", "status"}


def test_a_koordinator_sees_only_the_members_of_their_opd(client, db):
    mine, other = factories.make_opd(), factories.make_opd()
    make_member(mine, full_name="Citra")
    make_member(other, full_name="Dodi")
    koordinator = make_koordinator(mine)
    plain = token_for(db, koordinator)

    body = client.get("/api/v1/members", headers=bearer(plain)).get_json()
    assert [m["member"]["name"] for m in body["items"]] == ["Citra"]
    assert body["total"] == 1
    assert client.get(f"/api/v1/members?opd={mine.id}", headers=bearer(plain)).get_json()["total"] == 1
    assert_problem(client.get(f"/api/v1/members?opd={other.id}", headers=bearer(plain)), 403)


def test_members_filter_by_status_and_name(client, db):
    from pontive.team.models import MembershipStatus

    opd = factories.make_opd()
    make_member(opd, full_name="Eka Aktif")
    ended = make_member(opd, full_name="Fajar Selesai")
    ended.status = MembershipStatus.ENDED
    db.commit()
    _, plain = api_user(db, "sekretaris")

    def names(query: str) -> list[str]:
        return [
            m["member"]["name"]
            for m in client.get(f"/api/v1/members?{query}", headers=bearer(plain)).get_json()["items"]
        ]

    assert names("") == ["Eka Aktif"]  # serving members by default
    assert names("status=ended") == ["Fajar Selesai"]
    assert names("q=eka") == ["Eka Aktif"]
    assert_problem(client.get("/api/v1/members?status=pensiun", headers=bearer(plain)), 400)


# --- action plans and realisations ------------------------------------------------------------------------


def test_action_plans_are_the_callers_own(client, db, member_setup):
    other = make_member(member_setup["opd"], "anggota_lain").member
    other_plan = performance.get_or_create_plan(db, other, YEAR)
    other_rhk = performance.save_work_result(
        db, other, other_plan, {"title": "RHK lain"}, [{"description": "x", "target_value": "1", "unit": "x"}]
    )
    performance.save_action_plan(
        db, other, other_rhk, {"month": MONTH, "description": "Milik orang lain", "target_value": "1", "unit": "x"}
    )

    response = client.get(f"/api/v1/me/action-plans?year={YEAR}&month={MONTH}", headers=bearer(member_setup["token"]))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["year"], body["month"]) == (YEAR, MONTH)
    assert [p["description"] for p in body["items"]] == ["Modul pengaduan", "Uji coba"]
    first = body["items"][0]
    assert first == {
        "id": member_setup["plans"][0].id,
        "rhk": {"id": member_setup["rhk"].id, "title": "Tersedianya aplikasi layanan"},
        "year": YEAR,
        "month": MONTH,
        "description": "Modul pengaduan",
        "target": "2.00",
        "unit": "modul",
        "realisation": None,
        "evidence_count": 0,
        "report_status": None,
        "locked": False,
    }
    whole_year = client.get(f"/api/v1/me/action-plans?year={YEAR}", headers=bearer(member_setup["token"])).get_json()
    assert [p["month"] for p in whole_year["items"]] == [10, 10, 11]

    assert_problem(client.get("/api/v1/me/action-plans?month=13", headers=bearer(member_setup["token"])), 400)
    _, pelamar = api_user(db, "pelamar")
    assert_problem(client.get("/api/v1/me/action-plans", headers=bearer(pelamar)), 403)


def test_a_realisation_posted_as_json_is_saved(client, db, member_setup):
    first = member_setup["plans"][0]
    response = client.post(
        f"/api/v1/action-plans/{first.id}/realisation",
        json={"value": "1,5", "note": "Dua modul hampir selesai."},
        headers=bearer(member_setup["token"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["realisation"] == {"value": "1.50", "note": "Dua modul hampir selesai."}
    assert body["report_status"] == "draft" and body["locked"] is False
    row = db.scalar(select(Realisation).where(Realisation.action_plan_id == first.id))
    assert str(row.value) == "1.50"

    again = client.post(
        f"/api/v1/action-plans/{first.id}/realisation", json={"value": 2}, headers=bearer(member_setup["token"])
    )
    assert again.get_json()["realisation"] == {"value": "2.00", "note": ""}
    tiny = client.post(
        f"/api/v1/action-plans/{first.id}/realisation",
        json={"value": "1e-999999"},
        headers=bearer(member_setup["token"]),
    )
    assert tiny.get_json()["realisation"]["value"] == "0.00"  # kept to the column's two decimals


def test_a_realisation_with_evidence_posted_as_multipart_is_saved(client, db, member_setup):
    second = member_setup["plans"][1]
    response = client.post(
        f"/api/v1/action-plans/{second.id}/realisation",
        data={"value": "3", "note": "Skenario uji", "evidence": (io.BytesIO(DEMO_PDF), "bukti uji.pdf")},
        content_type="multipart/form-data",
        headers=bearer(member_setup["token"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["realisation"]["value"] == "3.00"
    assert body["evidence_count"] == 1
    evidence = db.scalar(select(Evidence))
    assert evidence.file.original_name == "bukti uji.pdf"
    assert evidence.file.content_type == "application/pdf"


def test_a_realisation_that_is_not_a_number_is_a_422_problem_and_changes_nothing(client, db, member_setup):
    first = member_setup["plans"][0]
    url = f"/api/v1/action-plans/{first.id}/realisation"
    for payload in ({"value": "dua"}, {"value": True}, {"value": None}, {"value": "-1"}, {"value": ["1"]}):
        body = assert_problem(client.post(url, json=payload, headers=bearer(member_setup["token"])), 422)
        assert body["errors"][0]["field"] == "value"
    body = assert_problem(client.post(url, json={"value": "dua"}, headers=bearer(member_setup["token"])), 422)
    assert "angka" in body["errors"][0]["detail"]
    assert body["type"].endswith("#masalah-validasi-gagal")

    not_a_pdf = {"value": "1", "evidence": (io.BytesIO(b"MZ\x90\x00 bukan pdf"), "virus.pdf")}
    response = client.post(
        url, data=not_a_pdf, content_type="multipart/form-data", headers=bearer(member_setup["token"])
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "evidence"
    assert db.scalar(select(Realisation)) is None  # nothing was saved, not even the value
    assert db.scalar(select(MonthlyReport)) is None


def test_a_body_that_is_neither_json_nor_a_form_is_refused(client, db, member_setup):
    url = f"/api/v1/action-plans/{member_setup['plans'][0].id}/realisation"
    headers = bearer(member_setup["token"])
    assert_problem(client.post(url, data="value=1", content_type="text/plain", headers=headers), 415)
    assert_problem(client.post(url, data="{rusak", content_type="application/json", headers=headers), 400)
    assert_problem(client.post(url, json=["1"], headers=headers), 400)
    deep = "[" * 100_000 + "]" * 100_000
    assert_problem(client.post(url, data=deep, content_type="application/json", headers=headers), 400)


def test_an_evidence_file_or_a_request_too_large_is_a_413_problem(make_app, db, member_setup):
    app = make_app(UPLOAD_MAX_BYTES=len(DEMO_PDF) - 1, MAX_CONTENT_LENGTH=64 * 1024)
    client = app.test_client()
    url = f"/api/v1/action-plans/{member_setup['plans'][0].id}/realisation"
    headers = bearer(member_setup["token"])
    too_big_file = {"value": "1", "evidence": (io.BytesIO(DEMO_PDF), "bukti.pdf")}
    response = client.post(url, data=too_big_file, content_type="multipart/form-data", headers=headers)
    body = assert_problem(response, 413)
    assert "terlalu besar" in body["detail"]
    too_big_request = {"value": "1", "evidence": (io.BytesIO(DEMO_PDF + b"0" * 100_000), "bukti.pdf")}
    response = client.post(url, data=too_big_request, content_type="multipart/form-data", headers=headers)
    assert_problem(response, 413)
    assert db.scalar(select(Realisation)) is None


def test_the_api_needs_no_csrf_token_but_the_token_pages_do(make_app, db, member_setup):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    url = f"/api/v1/action-plans/{member_setup['plans'][0].id}/realisation"
    assert client.post(url, json={"value": "1"}, headers=bearer(member_setup["token"])).status_code == 200
    assert_problem(client.post("/api/v1/x", json={}), 404)
    assert_problem(client.post("/api/v1/applications", json={}), 405)
    login_page = client.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    signed_in = client.post(
        "/masuk", data={"username": "anggota_api", "password": factories.PASSWORD, "csrf_token": csrf}
    )
    assert signed_in.status_code == 302
    assert client.post("/akun/token", data={"name": "tanpa csrf"}).status_code == 400
    assert db.scalar(select(ApiToken).where(ApiToken.name == "tanpa csrf")) is None


def test_a_locked_month_is_a_409_problem(client, db, member_setup):
    member = member_setup["member"]
    first, second, _ = member_setup["plans"]
    report = performance.get_or_create_report(db, member, YEAR, MONTH)
    performance.save_report(
        db,
        member,
        report,
        narrative="Selesai.",
        activities="Coding.",
        realisations={first.id: {"value": "2"}, second.id: {"value": "4"}},
    )
    for plan in (first, second):
        performance.add_evidence(db, member, report, plan.id, Upload())
    performance.submit_report(db, member, report)
    performance.validate_report(db, member_setup["koordinator"], report, "Bagus.")

    response = client.post(
        f"/api/v1/action-plans/{first.id}/realisation", json={"value": "1"}, headers=bearer(member_setup["token"])
    )
    body = assert_problem(response, 409)
    assert body["type"].endswith("#masalah-bulan-terkunci")
    row = db.scalar(select(Realisation).where(Realisation.action_plan_id == first.id))
    assert str(row.value) == "2.00"
    listed = client.get(f"/api/v1/me/action-plans?year={YEAR}&month={MONTH}", headers=bearer(member_setup["token"]))
    assert all(p["locked"] and p["report_status"] == "validated" for p in listed.get_json()["items"])
    assert [p["evidence_count"] for p in listed.get_json()["items"]] == [1, 1]


def test_another_members_plan_is_not_found(client, db, member_setup):
    other = make_member(member_setup["opd"], "anggota_lain2")
    plain = token_for(db, other.member)
    first = member_setup["plans"][0]
    body = assert_problem(
        client.post(f"/api/v1/action-plans/{first.id}/realisation", json={"value": "1"}, headers=bearer(plain)), 404
    )
    assert body["detail"] == "Rencana aksi tidak ditemukan."
    assert_problem(
        client.post("/api/v1/action-plans/987654/realisation", json={"value": "1"}, headers=bearer(plain)), 404
    )
    assert db.scalar(select(Realisation)) is None


def test_realisations_are_for_anggota_only(client, db, member_setup):
    _, plain = api_user(db, "ketua")
    first = member_setup["plans"][0]
    assert_problem(
        client.post(f"/api/v1/action-plans/{first.id}/realisation", json={"value": "1"}, headers=bearer(plain)), 403
    )


# --- the OpenAPI document and the reference page ---------------------------------------------------------


def api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]


def openapi_path(rule) -> str:
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    return path.removeprefix("/api/v1")


def test_the_openapi_document_lists_exactly_the_api_routes(app, client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["servers"] == [{"url": "/api/v1"}]
    documented = {
        (path, method.upper()) for path, item in doc["paths"].items() for method in item if method != "parameters"
    }
    routed = {(openapi_path(rule), method) for rule in api_rules(app) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed

    for rule in api_rules(app):
        access = access_of(app, rule.endpoint)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = doc["paths"][openapi_path(rule)][method.lower()]
            assert operation["operationId"] == rule.endpoint.removeprefix("api.")
            if access.kind == PUBLIC:
                assert operation["security"] == [] and operation["x-roles"] is None, rule.endpoint
            else:
                assert access.kind == TOKEN
                assert "security" not in operation, rule.endpoint  # the global bearer requirement applies
                assert sorted(operation["x-roles"]) == sorted(access.roles), rule.endpoint
                assert "401" in operation["responses"]
            path_params = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            assert path_params == set(rule.arguments), rule.endpoint


def test_every_reference_in_the_openapi_document_resolves(client, db):
    doc = client.get("/api/v1/openapi.json").get_json()

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(doc):
        target = doc
        for part in ref.removeprefix("#/").split("/"):
            assert part in target, ref
            target = target[part]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        **doc["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }


def test_the_reference_page_renders_every_operation(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Referensi API Pontive" in html
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} /api/v1{path}" in html
            assert f'id="op-{operation["operationId"]}"' in html
    for slug in ("tidak-terautentikasi", "akses-ditolak", "bulan-terkunci", "validasi-gagal"):
        assert f'id="masalah-{slug}"' in html
    # no script of its own: only the vendored htmx of the layout, nothing inline, nothing from elsewhere
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/static/' in tag for tag in scripts)
    assert "<script>" not in html and "cdn" not in html.lower()


# --- the token pages ----------------------------------------------------------------------------------------


def test_creating_a_token_shows_it_once_and_the_list_only_its_prefix(client, login_as, db):
    user = login_as("anggota")
    response = client.post("/akun/token", data={"name": "Integrasi e-Kinerja"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    plain = re.search(r'value="(pnt_[^"]+)"', html).group(1)
    assert "hanya ditampilkan sekali" in html
    assert response.headers["Cache-Control"] == "no-store"

    listing = client.get("/akun/token").get_data(as_text=True)
    assert plain not in listing
    assert plain[:12] in listing
    assert "Integrasi e-Kinerja" in listing

    me = client.get("/api/v1/me", headers=bearer(plain)).get_json()
    assert me["username"] == user.username


def test_a_token_needs_a_name(client, login_as, db):
    login_as("anggota")
    response = client.post("/akun/token", data={"name": "  "})
    assert response.status_code == 422
    assert client.post("/akun/token", data={"name": "nama\x00jahat"}).status_code == 422
    assert client.post("/akun/token", data={"name": "baris\n"}).status_code == 422
    assert "pnt_" not in response.get_data(as_text=True)
    assert db.scalar(select(ApiToken)) is None


def test_revoking_a_token_from_the_page_stops_it(client, login_as, db):
    user = login_as("anggota")
    row, plain = tokens.create_token(db, user, "Skrip lama")
    response = client.post(f"/akun/token/{row.id}/cabut")
    assert response.status_code == 302 and response.headers["Location"].endswith("/akun/token")
    assert_problem(client.get("/api/v1/me", headers=bearer(plain)), 401)
    assert "dicabut" in client.get("/akun/token").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token(client, login_as, db):
    owner = factories.make_user("pemilik_token", roles=["anggota"])
    row, plain = tokens.create_token(db, owner, "Milik orang lain")
    login_as("admin")
    assert client.post(f"/akun/token/{row.id}/cabut").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(plain)).status_code == 200
    assert "Milik orang lain" not in client.get("/akun/token").get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/akun/token"), ("POST", "/akun/token"), ("POST", "/akun/token/1/cabut")],
)
def test_the_token_pages_send_anonymous_visitors_to_sign_in(client, db, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_the_profile_links_to_the_token_page(client, login_as, db):
    login_as("pelamar")
    assert 'href="/akun/token"' in client.get("/akun").get_data(as_text=True)
