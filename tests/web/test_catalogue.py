"""The application catalogue through the test client, as each role (issue 7; DESIGN §5): the list with
search, filters and sorting for htmx and for a plain browser, the about card and who sees servers and IP
addresses, editing by OPD, the checks on repository, URL and IP, projects along the SOP of seed 001 with
late steps flagged, the handover that starts the one-year warranty of seed 003 §6, exports, documents,
maintainers, integrations, dashboard cards, and who may open what."""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import contextmanager

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from pontive.accounts.models import User
from pontive.catalogue import services
from pontive.catalogue.demo import load_sop_steps
from pontive.catalogue.models import AppIntegration, CityApplication, Project, app_maintainer
from pontive.core.models import AuditLog
from pontive.extensions import db as _db
from tests import factories

HX = {"HX-Request": "true"}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def text(response) -> str:
    return response.get_data(as_text=True)


def signed_in(app, user):
    """A client of its own, signed in as ``user`` (several people act in one test)."""
    client = app.test_client()
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302, text(response)
    return client


def app_data(opd, **changes):
    data = {
        "name": "SIMPEG",
        "description": "Sistem informasi manajemen kepegawaian.",
        "owner_opd_id": opd.id,
        "status": "production",
        "kind": "web",
        "url": "https://simpeg.bekasikota.go.id",
        "repo_url": "https://git.bekasikota.go.id/bkpsdm/simpeg.git",
        "ip_address": "10.10.1.20",
        "server_name": "srv-app-01",
        "hosting_location": "city_dc",
    }
    data.update(changes)
    return data


def admin() -> User:
    """The administrator who records the test applications (made once per test)."""
    return _db.session.scalar(select(User).where(User.username == "admin-katalog")) or factories.make_user(
        "admin-katalog", roles=["admin"]
    )


def an_app(db, opd, **changes) -> CityApplication:
    return services.save_app(db, admin(), app_data(opd, **changes))


def form_of(opd, **changes) -> dict:
    """What the edit form posts."""
    data = {"repo_visibility": "private", **app_data(opd, **changes)}
    data["owner_opd_id"] = str(data["owner_opd_id"]) if data["owner_opd_id"] else ""
    return data


@contextmanager
def counting_queries():
    count = [0]

    def before(*_args, **_kwargs):
        count[0] += 1

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


@pytest.fixture()
def sop(db):
    load_sop_steps(db)
    db.commit()


# --- the list: search as you type, filters, sorting (issue 7 §2) ------------------------------------------


def test_searching_answers_htmx_with_the_results_and_a_browser_with_the_whole_page(client, login_as, db):
    """Issue 7 §2: search as you type swaps the results; the same URL opened directly is the whole page."""
    opd = factories.make_opd("Badan Kepegawaian")
    an_app(db, opd)
    an_app(db, opd, name="Sapa Warga", description="Pengaduan masyarakat", repo_url="", ip_address="")
    an_app(db, opd, name="e-Kinerja", description="Kinerja pegawai, terhubung dengan SIMPEG", repo_url="")
    login_as("pelamar")

    fragment = text(client.get("/katalog?q=simpeg", headers=HX))
    assert "<html" not in fragment and 'id="results"' in fragment
    assert "SIMPEG" in fragment and "e-Kinerja" in fragment  # name or description
    assert "Sapa Warga" not in fragment

    page = text(client.get("/katalog?q=simpeg"))
    assert "<html" in page and 'value="simpeg"' in page
    assert "e-Kinerja" in page and "Sapa Warga" not in page
    assert 'hx-trigger="input changed delay:250ms' in page and 'hx-push-url="true"' in page


def test_filters_and_sorting_give_the_same_rows_as_fragment_and_as_page(client, login_as, db):
    """Issue 7 §2: OPD, kind, status and hosting filters, sorting by OPD, name, status, warranty end."""
    bkpsdm = factories.make_opd("Badan Kepegawaian", short_name="BKPSDM")
    dinkes = factories.make_opd("Dinas Kesehatan", short_name="Dinkes")
    an_app(db, bkpsdm, name="Zeta Pegawai", repo_url="")
    an_app(db, dinkes, name="Alfa Sehat", repo_url="", status="development", hosting_location="cloud")
    an_app(db, dinkes, name="Beta Puskesmas", repo_url="", kind="android")
    login_as("anggota")

    def names(body: str) -> list[str]:
        return re.findall(r'<a href="/katalog/\d+">([^<]+)</a>', body)

    url = f"/katalog?opd={dinkes.id}&status=production"
    assert names(text(client.get(url, headers=HX))) == names(text(client.get(url))) == ["Beta Puskesmas"]
    assert names(text(client.get("/katalog?jenis=android", headers=HX))) == ["Beta Puskesmas"]
    assert names(text(client.get("/katalog?hosting=cloud", headers=HX))) == ["Alfa Sehat"]
    assert names(text(client.get("/katalog", headers=HX))) == ["Alfa Sehat", "Beta Puskesmas", "Zeta Pegawai"]
    assert names(text(client.get("/katalog?urut=opd", headers=HX))) == ["Zeta Pegawai", "Alfa Sehat", "Beta Puskesmas"]
    assert names(text(client.get("/katalog?urut=status", headers=HX)))[0] == "Alfa Sehat"  # in development first
    # Nonsense in the query string is ignored, never an error.
    assert client.get("/katalog?opd=abc&status=rusak&urut=x&page=-3").status_code == 200


def test_the_url_parameters_round_trip_into_the_form_the_pages_and_the_exports(client, login_as, db, app):
    """Issue 7 §2 "the URL reflecting the filters so it can be shared"."""
    opd = factories.make_opd()
    for n in range(app.config["PER_PAGE"] + 3):
        an_app(db, opd, name=f"Aplikasi Web {n:02d}", repo_url="")
    login_as("ketua")
    query = f"q=web&opd={opd.id}&jenis=web&status=production&hosting=city_dc&urut=status"
    page = text(client.get(f"/katalog?{query}"))
    assert 'value="web"' in page
    assert f'<option value="{opd.id}" selected>' in page
    assert '<option value="production" selected>' in page and '<option value="city_dc" selected>' in page
    assert '<option value="status" selected>' in page
    links = [href.replace("&amp;", "&") for href in re.findall(r'href="(/katalog[^"]*)"', page)]
    for wanted in ("q=web", f"opd={opd.id}", "jenis=web", "status=production", "hosting=city_dc", "urut=status"):
        assert any(link.startswith("/katalog?") and "page=2" in link and wanted in link for link in links), wanted
        assert any(link.startswith("/katalog/ekspor.xlsx?") and wanted in link for link in links), wanted
    second = client.get(f"/katalog?{query}&page=2&garansi=", headers=HX)
    assert "Aplikasi Web 2" in text(second) and "<html" not in text(second)
    # The address bar shows the filters in use, without the form's empty fields.
    pushed = second.headers["HX-Push-Url"]
    assert pushed.startswith("/katalog?") and "garansi" not in pushed and "page=2" in pushed
    assert text(client.get(pushed, headers=HX)) == text(second)


def test_the_warranty_filter_keeps_those_ending_within_sixty_days(client, login_as, db):
    """Issue 7 §3: warranties ending within 60 days are flagged and can be listed."""
    opd = factories.make_opd()
    today = dt.date.today()
    an_app(db, opd, name="Segera Habis", repo_url="", warranty_until=today + dt.timedelta(days=30))
    an_app(db, opd, name="Masih Lama", repo_url="", warranty_until=today + dt.timedelta(days=200))
    an_app(db, opd, name="Sudah Habis", repo_url="", warranty_until=today - dt.timedelta(days=3))
    login_as("sekretaris")
    body = text(client.get("/katalog?garansi=1", headers=HX))
    assert "Segera Habis" in body and "Masih Lama" not in body and "Sudah Habis" not in body
    assert "segera berakhir" in body
    body = text(client.get("/katalog?urut=garansi", headers=HX))
    assert body.index("Sudah Habis") < body.index("Segera Habis") < body.index("Masih Lama")


def test_the_catalogue_takes_as_many_queries_for_a_page_of_thirty_applications_as_for_seventy(client, login_as, db):
    """Owner OPD joined, maintainers in one selectin: no query per row (both lists fill their first
    page, so both count their rows)."""
    opd = factories.make_opd()
    members = [factories.make_user(roles=["anggota"]) for _ in range(3)]
    login_as("ketua")

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            app = an_app(db, factories.make_opd() if n % 2 else opd, name=f"Aplikasi {n:03d}", repo_url="")
            services.set_maintainers(db, admin(), app, [members[n % 3].id, members[(n + 1) % 3].id])

    def queries() -> int:
        with counting_queries() as count:
            assert client.get("/katalog?urut=opd").status_code == 200
        return count[0]

    add(30, 0)
    few = queries()
    add(40, 30)
    assert queries() == few


# --- the about card and who sees the infrastructure (issue 7 §1) ---------------------------------------------


def test_a_pelamar_sees_no_ip_address_nor_server_name_while_a_ketua_and_a_maintainer_do(app, db):
    """Issue 7 §1, "Checked by": IP and server only for the roles that need them."""
    opd = factories.make_opd("Badan Kepegawaian")
    simpeg = an_app(db, opd)
    services.save_app(db, admin(), app_data(opd, ip_address="10.10.1.21", server_name="srv-app-02"), simpeg)
    maintainer = factories.make_user("pemelihara", roles=["anggota"])
    services.set_maintainers(db, admin(), simpeg, [maintainer.id])
    url = f"/katalog/{simpeg.id}"

    for role in ("pelamar", "anggota"):
        body = text(signed_in(app, factories.make_user(roles=[role])).get(url))
        assert "Tentang aplikasi" in body and "Badan Kepegawaian" in body and "https://simpeg.bekasikota.go.id" in body
        assert "10.10.1.2" not in body and "srv-app-0" not in body, role  # neither on the card nor in the history
        assert "Ubah data aplikasi" not in body
    for user in (factories.make_user(roles=["ketua"]), maintainer):
        body = text(signed_in(app, user).get(url))
        assert "10.10.1.21" in body and "srv-app-02" in body
        assert "10.10.1.20" in body  # the history shows the change too


def test_the_about_card_shows_repository_hosting_asset_and_warranty(client, login_as, db):
    """DESIGN §5: repository (URL, host, branch, visibility), hosting, asset number, warranty end."""
    opd = factories.make_opd("Dinas Kesehatan")
    soon = dt.date.today() + dt.timedelta(days=20)
    app = an_app(
        db,
        opd,
        name="SIMPUS",
        repo_host="GitLab kota",
        repo_branch="main",
        repo_visibility="internal",
        operating_system="Ubuntu 22.04",
        web_server="Nginx",
        runtime="PHP 8.2",
        database="MySQL 8.0",
        asset_number="ASET/DINKES/2025/7",
        warranty_until=soon,
    )
    login_as("pelamar")
    body = text(client.get(f"/katalog/{app.id}"))
    for expected in (
        "https://git.bekasikota.go.id/bkpsdm/simpeg",
        "GitLab kota",
        "Internal",
        "Pusat data kota",
        "Ubuntu 22.04",
        "PHP 8.2",
        "MySQL 8.0",
        "ASET/DINKES/2025/7",
        "Garansi segera berakhir",
    ):
        assert expected in body, expected
    assert client.get("/katalog/999999").status_code == 404


# --- editing: by OPD, and the checks of issue 7 §2 ------------------------------------------------------------


def test_an_operator_of_one_opd_cannot_edit_another_opds_application(app, db):
    """Issue 7 "Checked by": an operator of OPD A cannot edit OPD B's applications (403)."""
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    theirs = an_app(db, opd_b)
    client = signed_in(app, factories.make_user(roles=["operator_opd"], opd=opd_a))
    assert client.get(f"/katalog/{theirs.id}/ubah").status_code == 403
    response = client.post(f"/katalog/{theirs.id}/ubah", data=form_of(opd_b, name="Diubah"))
    assert response.status_code == 403
    for path in ("pemelihara", "integrasi", "dokumen", "proyek"):
        assert client.post(f"/katalog/{theirs.id}/{path}").status_code == 403, path
    db.refresh(theirs)
    assert theirs.name == "SIMPEG"
    assert "Ubah data aplikasi" not in text(client.get(f"/katalog/{theirs.id}"))


def test_an_operator_cannot_record_an_application_for_another_opd(app, db):
    """Issue 7: an operator keeps their own OPD's applications; another OPD's is refused with a message."""
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    client = signed_in(app, factories.make_user(roles=["operator_opd"], opd=opd_a))
    response = client.post("/katalog/baru", data=form_of(opd_b))
    assert response.status_code == 422
    assert "Anda tidak dapat mengubah aplikasi OPD ini." in text(response)
    assert db.scalar(select(func.count(CityApplication.id))) == 0


def test_an_operator_records_and_edits_their_own_opds_application_and_it_is_audited(app, db):
    opd = factories.make_opd()
    operator = factories.make_user(roles=["operator_opd"], opd=opd)
    client = signed_in(app, operator)
    page = text(client.get("/katalog/baru"))
    assert f'<option selected value="{opd.id}">' in page or f'<option value="{opd.id}" selected>' in page
    response = client.post("/katalog/baru", data=form_of(opd))
    assert response.status_code == 302
    created = db.scalar(select(CityApplication))
    assert response.headers["Location"].endswith(f"/katalog/{created.id}")
    response = client.post(f"/katalog/{created.id}/ubah", data=form_of(opd, status="maintenance"))
    assert response.status_code == 302
    db.refresh(created)
    assert created.status == "maintenance"
    actions = set(db.scalars(select(AuditLog.action).where(AuditLog.entity_id == str(created.id))))
    assert {"app_create", "app_update"} <= actions
    assert "Data aplikasi diubah" in text(client.get(f"/katalog/{created.id}"))


def test_a_repository_written_differently_is_refused_naming_the_other_application(client, login_as, db):
    """Issue 7 §2 "a repository URL unique across applications": another spelling of the same repository."""
    opd = factories.make_opd()
    an_app(db, opd, name="SIMPEG")
    login_as("ketua")
    response = client.post(
        "/katalog/baru",
        data=form_of(opd, name="SIMPEG Baru", repo_url="https://GIT.bekasikota.go.id/bkpsdm/simpeg/"),
    )
    assert response.status_code == 422
    body = text(response)
    assert "Repositori ini sudah tercatat untuk aplikasi SIMPEG." in body
    assert 'id="repo_url-error"' in body  # beside the field
    assert db.scalar(select(func.count(CityApplication.id))) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ip_address": "10.1.1.300"}, "bukan alamat IP yang valid"),
        ({"ip_address": "srv-app-01"}, "bukan alamat IP yang valid"),
        ({"owner_opd_id": None}, "OPD pemilik wajib dipilih."),
        ({"status": ""}, "Status aplikasi wajib dipilih."),
        ({"url": "simpeg bekasi"}, "URL aplikasi tidak valid"),
        ({"repo_url": "git@git.bekasikota.go.id:bkpsdm/simpeg.git"}, "URL repositori tidak valid"),
    ],
    ids=["ip-out-of-range", "ip-a-host-name", "no-opd", "no-status", "bad-url", "bad-repository-url"],
)
def test_bad_input_is_refused_with_the_services_message_and_nothing_changes(client, login_as, db, changes, message):
    """Issue 7 "Bad input": an IP address that is not one, required OPD and status, well-formed URLs."""
    opd = factories.make_opd()
    login_as("admin")
    response = client.post("/katalog/baru", data=form_of(opd, **changes))
    assert response.status_code == 422
    assert message in text(response)
    assert db.scalar(select(func.count(CityApplication.id))) == 0


def test_pages_for_editing_are_refused_to_roles_that_never_edit(app, db):
    opd = factories.make_opd()
    target = an_app(db, opd)
    for role in ("pelamar", "ppk", "panel"):
        client = signed_in(app, factories.make_user(roles=[role]))
        assert client.get("/katalog/baru").status_code == 403, role
        assert client.get(f"/katalog/{target.id}/ubah").status_code == 403, role
    member = signed_in(app, factories.make_user(roles=["anggota"]))
    assert member.get(f"/katalog/{target.id}/ubah").status_code == 403  # a member who does not maintain it


# --- maintainers, integrations, documents ---------------------------------------------------------------------


def test_maintainers_are_chosen_among_the_team_members(client, login_as, db):
    """DESIGN §5 "maintainers (team members)"; a maintainer may then edit the application."""
    opd = factories.make_opd()
    app = an_app(db, opd)
    member = factories.make_user(roles=["anggota"], full_name="Agus Prasetyo")
    outsider = factories.make_user(roles=["pelamar"], full_name="Agus Marlina")
    login_as("sekretaris")
    # The picker offers members a search at a time (the team has thousands), never applicants.
    assert "Agus Prasetyo" not in text(client.get(f"/katalog/{app.id}"))
    page = text(client.get(f"/katalog/{app.id}?cari=agus"))  # the search without JavaScript
    assert "Agus Prasetyo" in page and "Agus Marlina" not in page
    response = client.post(f"/katalog/{app.id}/pemelihara", data={"user_ids": [str(outsider.id)]})
    assert response.status_code == 302
    db.refresh(app)
    assert app.maintainers == []
    client.post(f"/katalog/{app.id}/pemelihara", data={"user_ids": [str(member.id)]})
    db.refresh(app)
    assert [m.id for m in app.maintainers] == [member.id]
    # Unticking a maintainer and saving lets them go.
    client.post(f"/katalog/{app.id}/pemelihara", data={})
    db.refresh(app)
    assert app.maintainers == []


def test_the_maintainer_search_offers_twenty_members_as_one_types_and_keeps_those_ticked(app, db):
    opd = factories.make_opd()
    target = an_app(db, opd)
    current = factories.make_user(roles=["anggota"], full_name="Budi Maintainer")
    services.set_maintainers(db, admin(), target, [current.id])
    team = [factories.make_user(roles=["anggota"], full_name=f"Budi {n:02d}") for n in range(25)]
    ticked = factories.make_user(roles=["anggota"], full_name="Citra Dipilih")
    factories.make_user(roles=["anggota"], full_name="Budi Nonaktif").active = False
    db.commit()
    operator = signed_in(app, factories.make_user(roles=["operator_opd"], opd=opd))
    url = f"/katalog/{target.id}/pemelihara/cari"
    headers = {**HX, "HX-Target": "calon-pemelihara"}

    body = text(operator.get(url, query_string={"cari": "budi", "user_ids": [ticked.id]}, headers=headers))
    assert body.startswith('<div id="calon-pemelihara"') and len(body) < 15_000
    boxes = re.findall(r'value="(\d+)"( checked)?> ([^<]+)', body)
    assert boxes[0] == (str(ticked.id), " checked", "Citra Dipilih")  # ticked before this search: kept
    assert [name for _, _, name in boxes[1:]] == [f"Budi {n:02d}" for n in range(20)]
    assert "Budi Maintainer" not in body and "Budi Nonaktif" not in body
    assert "5 anggota lain tidak ditampilkan" in body
    assert team[3].full_name in text(operator.get(url, query_string={"cari": "budi 03"}, headers=headers))
    assert "Tidak ada anggota yang cocok." in text(operator.get(url, query_string={"cari": "zzz"}, headers=headers))

    plain = operator.get(url, query_string={"cari": "budi"})  # without htmx: the page with the search
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"/katalog/{target.id}?cari=budi#pemelihara")

    stranger = signed_in(app, factories.make_user(roles=["operator_opd"], opd=factories.make_opd()))
    assert stranger.get(url, query_string={"cari": "budi"}, headers=headers).status_code == 403
    assert signed_in(app, factories.make_user(roles=["pelamar"])).get(url, headers=headers).status_code == 403


def test_an_applications_page_takes_as_many_queries_with_thousands_of_members(app, db, sop):
    """The maintainer picker no longer lists every member: the page costs the same with 3 or 300."""
    opd = factories.make_opd()
    target = an_app(db, opd)
    other = an_app(db, opd, name="e-Kinerja", repo_url="")
    services.add_integration(db, admin(), target, other, "Data pegawai")
    services.start_project(db, admin(), target, "build", "Pembuatan", "", 2026)
    members = [factories.make_user(roles=["anggota"]) for _ in range(3)]
    services.set_maintainers(db, admin(), target, [m.id for m in members])
    services.set_maintainers(db, admin(), other, [members[0].id])
    operator = signed_in(app, factories.make_user(roles=["operator_opd"], opd=opd))

    def queries() -> tuple[int, int]:
        with counting_queries() as count:
            response = operator.get(f"/katalog/{target.id}")
        assert response.status_code == 200
        return count[0], len(response.data)

    few, size = queries()
    for _ in range(60):
        factories.make_user(roles=["anggota"])
    many, bigger = queries()
    assert many == few <= 12
    assert bigger == size


def test_integrations_show_in_both_directions_and_can_be_removed(client, login_as, db):
    """Issue 7 §1 "which applications it provides data to and consumes from"."""
    opd = factories.make_opd()
    simpeg = an_app(db, opd)
    kinerja = an_app(db, opd, name="e-Kinerja", repo_url="")
    login_as("ketua")
    options = text(client.get("/katalog?pilihan=1&other=kin"))
    assert f"e-Kinerja (#{kinerja.id})" in options
    response = client.post(
        f"/katalog/{simpeg.id}/integrasi",
        data={"direction": "provides", "other": f"e-Kinerja (#{kinerja.id})", "description": "Data pegawai"},
    )
    assert response.status_code == 302
    provides = text(client.get(f"/katalog/{simpeg.id}")).split('id="provides"')[1].split("</ul>")[0]
    assert "e-Kinerja" in provides and "Data pegawai" in provides
    consumes = text(client.get(f"/katalog/{kinerja.id}")).split('id="consumes"')[1].split("</ul>")[0]
    assert "SIMPEG" in consumes
    client.post(f"/katalog/{kinerja.id}/integrasi", data={"direction": "consumes", "other": "SIMPEG"})
    assert db.scalar(select(func.count(AppIntegration.id))) == 1  # the same pair once
    link = db.scalar(select(AppIntegration))
    assert client.post(f"/katalog/{kinerja.id}/integrasi/{link.id}/hapus").status_code == 302
    assert db.scalar(select(func.count(AppIntegration.id))) == 0


def test_documents_are_uploaded_and_downloaded_only_by_those_who_need_them(app, db):
    """DESIGN §5 documents (KAK, HPS, contract, …); §6 files served through an access-checked route."""
    opd = factories.make_opd()
    target = an_app(db, opd)
    operator = factories.make_user(roles=["operator_opd"], opd=opd)
    client = signed_in(app, operator)
    bad = client.post(
        f"/katalog/{target.id}/dokumen",
        data={"kind": "kak", "label": "KAK", "file": (io.BytesIO(b"MZ bukan pdf"), "kak.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 302 and target.documents == []
    response = client.post(
        f"/katalog/{target.id}/dokumen",
        data={"kind": "kak", "label": "KAK 2026", "file": (io.BytesIO(PDF), "kak-simpeg.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.refresh(target)
    document = target.documents[0]
    download = f"/berkas/{document.file_id}"
    assert signed_in(app, factories.make_user(roles=["ketua"])).get(download).status_code == 200
    outsider = signed_in(app, factories.make_user(roles=["pelamar"]))
    assert outsider.get(download).status_code == 404
    page = text(outsider.get(f"/katalog/{target.id}"))
    assert "kak-simpeg.pdf" in page and download not in page


# --- projects along the SOP (seed 001) -----------------------------------------------------------------------


def start_project(client, app_id: int) -> Project:
    response = client.post(
        f"/katalog/{app_id}/proyek",
        data={"kind": "build", "title": "Pembuatan SIMPEG", "vendor": "PT Contoh", "year": "2026"},
    )
    assert response.status_code == 302, text(response)
    return _db.session.scalar(select(Project).order_by(Project.id.desc()))


def local(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def test_the_project_page_shows_the_sop_steps_grouped_by_the_phases_of_003(client, login_as, db, sop):
    """Seed 001: step, actor, documents, standard duration, output; seed 003: the phases."""
    login_as("admin")
    project = start_project(client, an_app(db, factories.make_opd()).id)
    body = text(client.get(f"/katalog/proyek/{project.id}"))
    for expected in ("Perencanaan", "Perancangan", "Pelaksanaan pekerjaan", "Implementasi", "Evaluasi"):
        assert expected in body
    assert "Maintenance dan garansi" in body
    assert "Panitia/Pejabat Barang dan Jasa" in body and "HPS dan KAK" in body
    assert "5 hari" in body and "7 hari – 20 hari" in body and "120 menit" in body
    assert body.index("Langkah 1:") < body.index("Langkah 2:") < body.index("Langkah 11:")


def test_a_step_cannot_finish_before_it_starts_nor_start_before_the_previous_one_finished(client, login_as, db, sop):
    """Issue 7 "Bad input": finishing a step before it starts — a clear answer, nothing changed."""
    login_as("ketua")
    project = start_project(client, an_app(db, factories.make_opd()).id)
    first, second = project.steps[0], project.steps[1]
    start = dt.datetime(2026, 1, 5, 8, 0)
    url = f"/katalog/proyek/{project.id}/langkah/{first.id}"
    assert client.post(url, data={f"s{first.id}-started_at": local(start)}).status_code == 302
    response = client.post(url, data={f"s{first.id}-finished_at": local(start - dt.timedelta(days=1))})
    assert response.status_code == 422
    assert "Langkah tidak dapat selesai sebelum dimulai." in text(response)
    response = client.post(
        f"/katalog/proyek/{project.id}/langkah/{second.id}", data={f"s{second.id}-started_at": local(start)}
    )
    assert response.status_code == 422 and "Selesaikan langkah sebelumnya terlebih dahulu." in text(response)
    db.refresh(first)
    db.refresh(second)
    assert first.finished_at is None and second.started_at is None


def test_a_step_past_its_standard_duration_is_flagged_late(client, login_as, db, sop):
    """Seed 001 "Mutu Baku — Waktu": step 1 takes 5 days; 8 days is late, on the project and the app."""
    login_as("admin")
    target = an_app(db, factories.make_opd())
    project = start_project(client, target.id)
    first = project.steps[0]
    now = dt.datetime.now().replace(second=0, microsecond=0)
    response = client.post(
        f"/katalog/proyek/{project.id}/langkah/{first.id}",
        data={
            f"s{first.id}-started_at": local(now - dt.timedelta(days=8)),
            f"s{first.id}-finished_at": local(now - dt.timedelta(hours=1)),
            f"s{first.id}-note": "KAK direvisi.",
        },
    )
    assert response.status_code == 302
    body = text(client.get(f"/katalog/proyek/{project.id}"))
    step_card = body.split(f'id="langkah-{first.id}"')[1].split("</article>")[0]
    assert "Terlambat" in step_card and "KAK direvisi." in step_card
    second_card = body.split(f'id="langkah-{project.steps[1].id}"')[1].split("</article>")[0]
    assert "Terlambat" not in second_card
    assert "1 terlambat" in text(client.get(f"/katalog/{target.id}"))


def test_handover_registers_the_asset_and_starts_a_one_year_warranty(client, login_as, db, sop):
    """Seed 003 §6 "garansi selama 1 tahun"; 001 steps 8–11: the application becomes an asset."""
    user = login_as("ketua")
    target = an_app(db, factories.make_opd(), status="development")
    project = start_project(client, target.id)
    refused = client.post(
        f"/katalog/proyek/{project.id}/serah-terima", data={"handover_date": "2026-06-01", "asset_number": "A-1"}
    )
    assert refused.status_code == 422 and "setelah langkah SOP sebelumnya selesai" in text(refused)
    start = dt.datetime(2026, 1, 5, 8, 0)
    for step in project.steps[:-1]:
        services.record_step(db, user, step, started_at=start, finished_at=start + dt.timedelta(minutes=10))
    response = client.post(
        f"/katalog/proyek/{project.id}/serah-terima",
        data={"handover_date": "2026-06-01", "asset_number": "ASET/BKPSDM/2026/001"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/katalog/{target.id}")
    db.refresh(target)
    assert target.warranty_until == dt.date(2027, 5, 31) and target.status == "production"
    body = text(client.get(f"/katalog/{target.id}"))
    assert "31 Mei 2027" in body and "ASET/BKPSDM/2026/001" in body
    assert "Serah terima dan pencatatan aset" in body  # the history


# --- exports ------------------------------------------------------------------------------------------------


def test_the_excel_export_opens_with_the_expected_header_and_the_filtered_rows(app, db):
    """Issue 7 §4 "catalogue export to Excel/CSV"; the infrastructure columns only for those who may see them."""
    opd = factories.make_opd("Badan Kepegawaian")
    an_app(db, opd)
    an_app(db, opd, name="Sapa Warga", repo_url="", status="development")
    ketua = signed_in(app, factories.make_user(roles=["ketua"]))
    response = ketua.get("/katalog/ekspor.xlsx?status=production")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Nama aplikasi", "OPD pemilik", "Jenis", "Tunggal/terintegrasi", "Status")
    assert "Alamat IP" in rows[0] and "Nama server" in rows[0]
    assert [r[0] for r in rows[1:]] == ["SIMPEG"]
    assert "10.10.1.20" in rows[1]

    pelamar = signed_in(app, factories.make_user(roles=["pelamar"]))
    rows = list(load_workbook(io.BytesIO(pelamar.get("/katalog/ekspor.xlsx").data)).active.iter_rows(values_only=True))
    assert "Alamat IP" not in rows[0] and len(rows) == 3
    assert not any("10.10.1.20" in str(cell) for row in rows for cell in row)

    csv_text = pelamar.get("/katalog/ekspor.csv?q=sapa").data.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Nama aplikasi,OPD pemilik") and len(lines) == 2 and "Sapa Warga" in lines[1]


def test_the_search_matches_any_part_of_the_name_or_description_in_any_case_with_the_filters(client, login_as, db):
    """Issue 8 §2: the search (case folded by the database, not per row by lower()) still finds the text
    anywhere in a name or a description, typed in any case, within the other filters; % is a character."""
    opd = factories.make_opd()
    an_app(db, opd, name="Aplikasi SAPA Desa", status="production", repo_url="")
    an_app(db, opd, name="Layanan Warga", description="Modul sapaan untuk 100% desa", status="production", repo_url="")
    an_app(db, opd, name="Sapa Lama", status="retired", repo_url="")
    login_as("ketua")

    def names(query: str) -> set[str]:
        body = text(client.get(f"/katalog?{query}", headers=HX))
        return {n for n in ("Aplikasi SAPA Desa", "Layanan Warga", "Sapa Lama") if n in body}

    assert names("q=sApA&status=production") == {"Aplikasi SAPA Desa", "Layanan Warga"}
    assert names("q=SAPA") == {"Aplikasi SAPA Desa", "Layanan Warga", "Sapa Lama"}
    assert names("q=100%25") == {"Layanan Warga"}
    assert names("q=1%25desa") == set()  # not "1, anything, desa"


def test_a_search_that_fits_on_one_page_is_counted_from_its_rows(client, login_as, db):
    """A short result needs no second pass over the table to count it; a full page still counts."""
    opd = factories.make_opd()
    for n in range(27):
        an_app(db, opd, name=f"{'Sapa' if n < 2 else 'Lain'} {n:02d}", repo_url="")
    login_as("ketua")
    with counting_queries() as short:
        body = text(client.get("/katalog?q=sapa", headers=HX))
    with counting_queries() as full:
        whole = text(client.get("/katalog", headers=HX))
    assert "2 aplikasi" in body and "27 aplikasi" in whole
    assert short[0] == full[0] - 1
    assert "27 aplikasi" in text(client.get("/katalog?page=2", headers=HX))  # the last page: 25 + 2


def test_the_export_takes_as_many_queries_for_three_applications_as_for_eleven_hundred(app, db):
    """One streamed query with the OPD and the maintainers joined in, whatever the number of rows; the
    maintainers listed in name order, servers and IP addresses only where this operator may see them."""
    mine, theirs = factories.make_opd(), factories.make_opd()
    zed, ani = (
        factories.make_user(full_name="Zed", roles=["anggota"]),
        factories.make_user(full_name="Ani", roles=["anggota"]),
    )
    for n in range(3):
        services.set_maintainers(
            db, admin(), an_app(db, mine if n else theirs, name=f"App {n}", repo_url=""), [zed.id, ani.id]
        )
    operator = signed_in(app, factories.make_user(roles=["operator_opd"], opd=mine))

    def export() -> tuple[int, list[tuple]]:
        with counting_queries() as count:
            response = operator.get("/katalog/ekspor.xlsx")
        assert response.status_code == 200
        return count[0], list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))

    few, rows = export()
    header = rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name["App 0"]["Pemelihara"] == "Ani, Zed" and by_name["App 1"]["Pemelihara"] == "Ani, Zed"
    assert by_name["App 0"]["Alamat IP"] is None and by_name["App 1"]["Alamat IP"] == "10.10.1.20"

    first = db.scalar(select(func.max(CityApplication.id)))
    db.execute(
        CityApplication.__table__.insert(),
        [{"name": f"Massal {n:04d}", "owner_opd_id": theirs.id, "status": "production"} for n in range(1_100)],
    )
    db.execute(app_maintainer.insert(), [{"app_id": first + 1 + n, "user_id": zed.id} for n in range(0, 1_100, 2)])
    db.commit()
    many, rows = export()
    assert many == few and len(rows) == 1 + 3 + 1_100
    assert rows[-1][0] == "Massal 1099" and rows[-2][-1] == "Zed"


# --- dashboard cards (issue 7 §6) ------------------------------------------------------------------------------


def test_the_operators_card_lists_their_applications_with_missing_data(app, db):
    opd, other = factories.make_opd(), factories.make_opd()
    an_app(db, opd, name="Lengkap", description="Ada.")
    services.set_maintainers(
        db, admin(), db.scalar(select(CityApplication)), [factories.make_user(roles=["anggota"]).id]
    )
    an_app(db, opd, name="Tanpa Repositori", repo_url="")
    an_app(db, other, name="Milik OPD Lain", repo_url="", url="")
    body = text(signed_in(app, factories.make_user(roles=["operator_opd"], opd=opd)).get("/dasbor"))
    card = body.split('id="card-catalogue_my_opd"')[1].split("</article>")[0]
    assert "Tanpa Repositori" in card and "repositori" in card
    assert "Lengkap" not in card.replace("lengkap", "") and "Milik OPD Lain" not in card
    assert "2 aplikasi, 1 dengan data belum lengkap" in card


def test_the_ketuas_card_counts_by_status_and_flags_late_projects_and_ending_warranties(app, db, sop):
    opd = factories.make_opd()
    ending = an_app(db, opd, name="Garansi Habis", repo_url="", warranty_until=dt.date.today() + dt.timedelta(days=9))
    project = services.start_project(db, admin(), ending, "build", "Pembangunan Terlambat", "", 2026)
    services.record_step(db, admin(), project.steps[0], started_at=dt.datetime.now() - dt.timedelta(days=9))
    for role in ("ketua", "sekretaris"):
        body = text(signed_in(app, factories.make_user(roles=[role])).get("/dasbor"))
        card = body.split('id="card-catalogue_overview"')[1].split("</article>")[0]
        assert "Pembangunan Terlambat" in card and "Garansi Habis" in card and "Produksi" in card, role


# --- the yearly report's scope ------------------------------------------------------------------------------


def test_the_yearly_report_is_city_wide_for_the_ketua_and_one_opd_for_an_operator(app, db):
    """Seed 001 "laporan tahunan aplikasi": per OPD and city-wide."""
    mine, theirs = factories.make_opd("Dinas Kesehatan"), factories.make_opd("Dinas Pendidikan")
    an_app(db, mine, name="SIMPUS", repo_url="")
    an_app(db, theirs, name="Dapodik-sync", repo_url="")
    ketua = text(signed_in(app, factories.make_user(roles=["ketua"])).get("/katalog/laporan?tahun=2026"))
    assert "Dinas Kesehatan" in ketua and "Dinas Pendidikan" in ketua and "Jumlah aplikasi: 2" in ketua
    operator = signed_in(app, factories.make_user(roles=["operator_opd"], opd=mine))
    body = text(operator.get("/katalog/laporan"))
    assert "Jumlah aplikasi: 1" in body and "Seluruh perangkat daerah" not in body
    assert operator.get(f"/katalog/laporan?opd={theirs.id}").status_code == 403
    assert operator.get(f"/katalog/laporan.pdf?opd={theirs.id}").status_code == 403


# --- who may open what -----------------------------------------------------------------------------------------


@pytest.fixture()
def objects(db, sop):
    opd = factories.make_opd()
    target = an_app(db, opd)
    other = an_app(db, opd, name="e-Kinerja", repo_url="")
    link = services.add_integration(db, admin(), target, other, "Data pegawai")
    project = services.start_project(db, admin(), target, "build", "Pembuatan", "", 2026)
    return {"app_id": target.id, "link_id": link.id, "project_id": project.id, "step_id": project.steps[0].id}


EVERYONE = None  # any signed-in user
GET_PAGES = [
    ("/katalog", EVERYONE),
    ("/katalog?q=simpeg", EVERYONE),
    ("/katalog/ekspor.xlsx", EVERYONE),
    ("/katalog/ekspor.csv", EVERYONE),
    ("/katalog/{app_id}", EVERYONE),
    ("/katalog/proyek/{project_id}", EVERYONE),
    ("/katalog/baru", {"admin", "ketua", "sekretaris", "operator_opd"}),
    ("/katalog/{app_id}/ubah", {"admin", "ketua", "sekretaris"}),
    ("/katalog/laporan", {"admin", "ketua", "sekretaris", "operator_opd"}),
    ("/katalog/laporan.pdf", {"admin", "ketua", "sekretaris", "operator_opd"}),
    ("/katalog/laporan.xlsx", {"admin", "ketua", "sekretaris", "operator_opd"}),
]
LEADERS = {"admin", "ketua", "sekretaris"}
POSTS = [
    ("/katalog/baru", LEADERS | {"operator_opd"}),
    ("/katalog/{app_id}/ubah", LEADERS),
    ("/katalog/{app_id}/pemelihara", LEADERS),
    ("/katalog/{app_id}/integrasi", LEADERS),
    ("/katalog/{app_id}/integrasi/{link_id}/hapus", LEADERS),
    ("/katalog/{app_id}/dokumen", LEADERS),
    ("/katalog/{app_id}/proyek", LEADERS),
    ("/katalog/proyek/{project_id}/langkah/{step_id}", LEADERS),
    ("/katalog/proyek/{project_id}/langkah/{step_id}/dokumen", LEADERS),
    ("/katalog/proyek/{project_id}/serah-terima", LEADERS),
]
ROLES = ["admin", "ketua", "sekretaris", "operator_opd", "anggota", "pelamar", "pembina", "ppk"]


def test_anonymous_visitors_are_sent_to_sign_in(client, objects):
    for path, _allowed in GET_PAGES:
        response = client.get(path.format(**objects))
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], path
    for path, _allowed in POSTS:
        response = client.post(path.format(**objects))
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], path


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_pages_it_may_open_and_403_for_the_others(app, db, objects, role):
    """DESIGN "Users and roles": everything not granted is refused (the operator and the member here
    belong to no OPD of the sample application, so they may not change it)."""
    client = signed_in(app, factories.make_user(roles=[role]))
    for path, allowed in GET_PAGES:
        response = client.get(path.format(**objects))
        expected = 200 if allowed is EVERYONE or role in allowed else 403
        assert response.status_code == expected, (path, response.status_code)
    for path, allowed in POSTS:
        response = client.post(path.format(**objects))
        if role in allowed:  # an empty form: refused for what it lacks, never for who sent it
            assert response.status_code in (302, 422), (path, response.status_code)
        else:
            assert response.status_code == 403, (path, response.status_code)
