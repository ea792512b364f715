"""Selection reference data (admin) and round management (admin, ketua) through the test client:
categories (002 §17–19), contract majors (000 §10B), rounds with quotas, pass marks and weights,
the panel (002 §16(1)) and the status draft → open → closed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from pontive.core.models import AuditLog
from pontive.extensions import db as _db
from pontive.recruitment import services
from pontive.recruitment.models import (
    AcceptedMajor,
    PanelMember,
    PanelUnit,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
)
from tests import factories
from tests.recruitment_factories import TODAY, make_application, make_round, reference

HX = {"HX-Request": "true"}


def audits(db, action: str) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def draft_round(kind: RoundKind = RoundKind.TEAM, *, quotas: dict[int, int] | None = None, **changes):
    """A draft round saved through the service, with no panel and only the quotas given."""
    reference()
    data = {
        "kind": kind,
        "year": 2027,
        "title": "Seleksi Uji",
        "description": "",
        "open_date": dt.date(2027, 1, 4),
        "close_date": dt.date(2027, 1, 29),
        "pass_mark_interview": 70,
        "pass_mark_practical": 70,
        "weight_interview": 40,
        "weight_practical": 60,
        "min_panel_scores": 2,
        "position": "Admin Pontive Center" if kind == RoundKind.CONTRACT else "",
        "contract_quota": 1 if kind == RoundKind.CONTRACT else 0,
        "local_city": "Pontianak" if kind == RoundKind.CONTRACT else "",
    }
    data.update(changes)
    return services.save_round(_db.session, factories.make_user(roles=["admin"]), data, quotas=quotas)


def round_post(categories=None, **changes) -> dict:
    data = {
        "kind": "team",
        "year": "2027",
        "title": "Seleksi Tim Programmer 2027",
        "description": "Seleksi anggota Tim Programmer SPBE.",
        "open_date": "2027-01-04",
        "close_date": "2027-01-29",
        "pass_mark_interview": "70",
        "pass_mark_practical": "75",
        "weight_interview": "40",
        "weight_practical": "60",
        "min_panel_scores": "2",
        "position": "",
        "contract_quota": "",
        "local_city": "",
    }
    for category in categories or []:
        data[f"quota_{category.id}"] = "0"
    data.update(changes)
    return data


# --- who may open what --------------------------------------------------------------------------


@pytest.fixture()
def objects(db):
    categories = reference()
    selection_round = draft_round(quotas={categories["fullstack"].id: 1})
    panelist = factories.make_user(roles=["panel"])
    member = services.add_panel_member(
        db, factories.make_user(roles=["admin"]), selection_round, panelist, PanelUnit.BKPPD
    )
    major = db.scalar(select(AcceptedMajor).order_by(AcceptedMajor.id))
    return {
        "category_id": categories["fullstack"].id,
        "major_id": major.id,
        "round_id": selection_round.id,
        "member_id": member.id,
    }


REF_PAGES = [
    ("get", "/admin/seleksi/kategori"),
    ("get", "/admin/seleksi/kategori/baru"),
    ("post", "/admin/seleksi/kategori/baru"),
    ("get", "/admin/seleksi/kategori/{category_id}/ubah"),
    ("post", "/admin/seleksi/kategori/{category_id}/ubah"),
    ("get", "/admin/seleksi/jurusan"),
    ("post", "/admin/seleksi/jurusan"),
    ("post", "/admin/seleksi/jurusan/{major_id}/hapus"),
]
ROUND_PAGES = [
    ("get", "/kelola-seleksi"),
    ("get", "/kelola-seleksi/baru"),
    ("post", "/kelola-seleksi/baru"),
    ("get", "/kelola-seleksi/{round_id}"),
    ("get", "/kelola-seleksi/{round_id}/ubah"),
    ("post", "/kelola-seleksi/{round_id}/ubah"),
    ("post", "/kelola-seleksi/{round_id}/panitia"),
    ("post", "/kelola-seleksi/{round_id}/panitia/{member_id}/hapus"),
    ("post", "/kelola-seleksi/{round_id}/status"),
]


@pytest.mark.parametrize(("method", "url"), REF_PAGES + ROUND_PAGES)
def test_a_signed_out_visitor_is_sent_to_the_login_page(client, objects, method, url):
    response = getattr(client, method)(url.format(**objects))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("role", ["anggota", "panel", "pelamar", "sekretaris"])
@pytest.mark.parametrize(("method", "url"), REF_PAGES + ROUND_PAGES)
def test_other_roles_are_refused(client, login_as, objects, role, method, url):
    login_as(role)
    assert getattr(client, method)(url.format(**objects)).status_code == 403


@pytest.mark.parametrize(("method", "url"), REF_PAGES)
def test_the_ketua_may_not_edit_reference_data(client, login_as, objects, method, url):
    login_as("ketua")
    assert getattr(client, method)(url.format(**objects)).status_code == 403


@pytest.mark.parametrize("role", ["admin", "ketua"])
@pytest.mark.parametrize("url", [u for m, u in ROUND_PAGES if m == "get"])
def test_admin_and_ketua_open_the_round_pages(client, login_as, objects, role, url):
    login_as(role)
    assert client.get(url.format(**objects)).status_code == 200


@pytest.mark.parametrize("url", [u for m, u in REF_PAGES if m == "get"])
def test_the_admin_opens_the_reference_pages(client, login_as, objects, url):
    login_as("admin")
    assert client.get(url.format(**objects)).status_code == 200


def test_the_menu_shows_each_role_its_entries(client, login_as, db):
    login_as("admin")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Kategori seleksi" in page and "Jurusan kontrak" in page and "Kelola seleksi" in page
    client.post("/keluar")
    login_as("ketua")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Kelola seleksi" in page and "Kategori seleksi" not in page


# --- categories (002 §17–19) ----------------------------------------------------------------------


def category_post(category: SelectionCategory, **changes) -> dict:
    data = {
        "code": category.code,
        "name": category.name,
        "group": category.group.value,
        "level": category.level.value,
        "min_years": str(category.min_years),
        "certificate_required": "y" if category.certificate_required else "",
        "accepted_certificates": "\n".join(category.accepted_certificates),
        "competencies": "\n".join(category.competencies),
        "outputs": "\n".join(category.outputs),
        "active": "y" if category.active else "",
        "position": str(category.position),
    }
    data.update(changes)
    return data


def test_the_category_list_shows_the_seven_categories_with_their_rules(client, login_as, db):
    reference()
    login_as("admin")
    page = client.get("/admin/seleksi/kategori").get_data(as_text=True)
    for name in (
        "Fullstack Programmer",
        "Junior Programmer",
        "Senior Network Administrator",
        "Junior Network Administrator",
        "Senior System Administrator",
        "Junior System Administrator",
        "Data Center Professional",
    ):
        assert name in page
    assert "MTCNA / CCNA / MTCRE / CompTIA Network+" in page
    assert "CDCP / CDCS / CDCE" in page
    assert "4 tahun" in page and "2 tahun" in page and "Tidak wajib" in page
    assert "Perangkat dan infrastruktur jaringan" in page


def test_the_edit_form_shows_one_certificate_per_line(client, login_as, db):
    category = reference()["senior_system_admin"]
    login_as("admin")
    page = client.get(f"/admin/seleksi/kategori/{category.id}/ubah").get_data(as_text=True)
    assert "CompTIA Linux+\nRHCE\nGCUX\nLPIC\nCDCP" in page


def test_the_admin_edits_a_category_and_it_is_audited(client, login_as, db):
    category = reference()["senior_network_admin"]
    admin = login_as("admin")
    response = client.post(
        f"/admin/seleksi/kategori/{category.id}/ubah",
        data=category_post(
            category, min_years="5", accepted_certificates="MTCNA\n  CCNA  \n\nJNCIA-Junos\n", active="y"
        ),
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/seleksi/kategori")
    db.refresh(category)
    assert category.accepted_certificates == ["MTCNA", "CCNA", "JNCIA-Junos"]
    assert category.min_years == 5 and category.certificate_required
    [entry] = audits(db, "category_update")
    assert entry.actor_id == admin.id and entry.entity_id == str(category.id)
    assert entry.before["accepted_certificates"] == ["MTCNA", "CCNA", "MTCRE", "CompTIA Network+"]
    assert entry.after["accepted_certificates"] == ["MTCNA", "CCNA", "JNCIA-Junos"]
    assert entry.after["min_years"] == 5


def test_a_required_certificate_with_an_empty_list_is_refused(client, login_as, db):
    category = reference()["data_center_professional"]
    login_as("admin")
    response = client.post(
        f"/admin/seleksi/kategori/{category.id}/ubah",
        data=category_post(category, certificate_required="y", accepted_certificates="  \n"),
    )
    assert response.status_code == 422
    assert "Sebutkan sertifikat yang diterima bila sertifikat diwajibkan." in response.get_data(as_text=True)
    db.refresh(category)
    assert category.accepted_certificates == ["CDCP", "CDCS", "CDCE"]
    assert not audits(db, "category_update")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_years": "-1"}, "Isi bilangan bulat 0–40."),
        ({"min_years": "dua"}, "Isi bilangan bulat."),
        ({"min_years": ""}, "Wajib diisi."),
        ({"code": "Kode Baru"}, "Hanya huruf kecil, angka dan garis bawah."),
        ({"name": "Junior Programmer"}, "Kode atau nama kategori sudah dipakai."),
    ],
)
def test_bad_category_input_is_refused_with_a_message(client, login_as, db, changes, message):
    category = reference()["junior_system_admin"]
    login_as("admin")
    response = client.post(f"/admin/seleksi/kategori/{category.id}/ubah", data=category_post(category, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.refresh(category)
    assert category.name == "Junior System Administrator" and category.min_years == 2


def test_the_admin_adds_a_category(client, login_as, db):
    reference()
    login_as("admin")
    response = client.post(
        "/admin/seleksi/kategori/baru",
        data={
            "code": "security_analyst",
            "name": "Security Analyst",
            "group": "network",
            "level": "senior",
            "min_years": "4",
            "certificate_required": "y",
            "accepted_certificates": "CEH\nCompTIA Security+",
            "competencies": "Menguasai analisis log\nMenguasai penanganan insiden",
            "outputs": "Laporan insiden",
            "active": "y",
            "position": "8",
        },
    )
    assert response.status_code == 302
    created = db.scalar(select(SelectionCategory).where(SelectionCategory.code == "security_analyst"))
    assert created.accepted_certificates == ["CEH", "CompTIA Security+"]
    assert created.competencies == ["Menguasai analisis log", "Menguasai penanganan insiden"]
    assert len(audits(db, "category_create")) == 1


# --- majors (000 §10B) -------------------------------------------------------------------------------


def test_the_major_list_shows_the_seeded_majors(client, login_as, db):
    reference()
    login_as("admin")
    page = client.get("/admin/seleksi/jurusan").get_data(as_text=True)
    assert "Teknik Informatika" in page and "Sistem Informasi" in page and "Ilmu Komputer" in page


def test_majors_are_added_refused_when_duplicate_and_deleted(client, login_as, db):
    reference()
    login_as("admin")
    response = client.post("/admin/seleksi/jurusan", data={"name": "  Rekayasa   Perangkat Lunak "})
    assert response.status_code == 302
    major = db.scalar(select(AcceptedMajor).where(AcceptedMajor.name == "Rekayasa Perangkat Lunak"))
    assert major is not None and len(audits(db, "major_create")) == 1

    before = db.scalar(select(func.count(AcceptedMajor.id)))
    response = client.post("/admin/seleksi/jurusan", data={"name": "teknik informatika"})
    assert response.status_code == 422
    assert "Jurusan teknik informatika sudah ada." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(AcceptedMajor.id))) == before

    major_id = major.id
    response = client.post(f"/admin/seleksi/jurusan/{major_id}/hapus")
    assert response.status_code == 302
    assert db.scalar(select(AcceptedMajor.id).where(AcceptedMajor.id == major_id)) is None
    assert len(audits(db, "major_delete")) == 1


def test_an_empty_major_is_refused(client, login_as, db):
    login_as("admin")
    response = client.post("/admin/seleksi/jurusan", data={"name": "   "})
    assert response.status_code == 422 and "Wajib diisi." in response.get_data(as_text=True)


def test_majors_work_as_htmx_fragments(client, login_as, db):
    reference()
    login_as("admin")
    added = client.post("/admin/seleksi/jurusan", data={"name": "Sains Data"}, headers=HX)
    body = added.get_data(as_text=True)
    assert added.status_code == 200 and "<html" not in body and "Sains Data" in body
    major_id = db.scalar(select(AcceptedMajor.id).where(AcceptedMajor.name == "Sains Data"))
    removed = client.post(f"/admin/seleksi/jurusan/{major_id}/hapus", headers=HX)
    assert removed.status_code == 200 and removed.get_data(as_text=True) == ""
    assert db.scalar(select(AcceptedMajor.id).where(AcceptedMajor.id == major_id)) is None


def test_deleting_an_unknown_major_is_404(client, login_as, db):
    login_as("admin")
    assert client.post("/admin/seleksi/jurusan/999999/hapus").status_code == 404


# --- rounds ---------------------------------------------------------------------------------------------


def test_the_ketua_creates_a_team_round_with_quotas(client, login_as, db):
    categories = reference()
    ketua = login_as("ketua")
    data = round_post(
        categories.values(),
        **{f"quota_{categories['fullstack'].id}": "2", f"quota_{categories['junior_programmer'].id}": "3"},
    )
    response = client.post("/kelola-seleksi/baru", data=data)
    assert response.status_code == 302
    created = db.scalar(select(SelectionRound))
    assert response.headers["Location"].endswith(f"/kelola-seleksi/{created.id}")
    assert created.kind == RoundKind.TEAM and created.status == RoundStatus.DRAFT
    assert created.open_date == dt.date(2027, 1, 4) and created.pass_mark_practical == 75
    assert {q.category.code: q.quota for q in created.quotas} == {"fullstack": 2, "junior_programmer": 3}
    [entry] = audits(db, "round_create")
    assert entry.actor_id == ketua.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "4 Januari 2027" in page and "29 Januari 2027" in page and "Fullstack Programmer" in page


def test_the_new_round_form_offers_a_quota_per_active_category(client, login_as, db):
    categories = reference()
    categories["junior_system_admin"].active = False
    db.commit()
    login_as("admin")
    page = client.get("/kelola-seleksi/baru").get_data(as_text=True)
    assert f'name="quota_{categories["fullstack"].id}"' in page
    assert f'name="quota_{categories["junior_system_admin"].id}"' not in page
    assert "Tim Programmer" in page and "Tenaga Kontrak" in page


def test_the_ketua_creates_a_contract_round(client, login_as, db):
    categories = reference()
    login_as("ketua")
    data = round_post(
        categories.values(),
        kind="contract",
        title="Seleksi Admin Pontive Center 2027",
        position="Admin Pontive Center",
        contract_quota="2",
        local_city="Kota Pontianak",
        **{f"quota_{categories['fullstack'].id}": "5"},  # ignored: a contract round has no categories
    )
    response = client.post("/kelola-seleksi/baru", data=data)
    assert response.status_code == 302
    created = db.scalar(select(SelectionRound))
    assert created.kind == RoundKind.CONTRACT
    assert (created.position, created.contract_quota, created.local_city) == (
        "Admin Pontive Center",
        2,
        "Kota Pontianak",
    )
    assert created.quotas == []
    page = client.get(f"/kelola-seleksi/{created.id}").get_data(as_text=True)
    assert "Admin Pontive Center" in page and "Tenaga Kontrak" in page


def test_a_contract_round_needs_its_position_city_and_quota(client, login_as, db):
    login_as("ketua")
    response = client.post("/kelola-seleksi/baru", data=round_post(kind="contract", contract_quota="0"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.count("Wajib diisi untuk seleksi tenaga kontrak.") == 2
    assert "Kuota tenaga kontrak minimal 1." in body
    assert db.scalar(select(func.count(SelectionRound.id))) == 0


def test_weights_not_summing_to_100_are_refused_and_nothing_is_saved(client, login_as, db):
    categories = reference()
    login_as("ketua")
    response = client.post(
        "/kelola-seleksi/baru", data=round_post(categories.values(), weight_interview="50", weight_practical="60")
    )
    assert response.status_code == 422
    assert "Bobot wawancara dan uji praktik harus berjumlah 100." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(SelectionRound.id))) == 0
    assert not audits(db, "round_create")


def test_a_close_date_before_the_open_date_is_refused(client, login_as, db):
    login_as("ketua")
    response = client.post("/kelola-seleksi/baru", data=round_post(open_date="2027-02-01", close_date="2027-01-31"))
    assert response.status_code == 422
    assert "Tanggal penutupan tidak boleh sebelum tanggal pembukaan." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(SelectionRound.id))) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pass_mark_interview": "101"}, "Isi bilangan bulat 0–100."),
        ({"pass_mark_practical": "-1"}, "Isi bilangan bulat 0–100."),
        ({"weight_interview": "40,5"}, "Isi bilangan bulat 0–100."),
        ({"min_panel_scores": "0"}, "Isi bilangan bulat 1–20."),
        ({"open_date": "31-01-2027"}, "Isi tanggal yang benar."),
        ({"title": ""}, "Wajib diisi."),
        ({"year": ""}, "Wajib diisi."),
        ({"quota": "-1"}, "Kuota harus bilangan bulat 0 atau lebih."),
        ({"quota": "1.5"}, "Kuota harus bilangan bulat 0 atau lebih."),
        ({"quota": "dua"}, "Kuota harus bilangan bulat 0 atau lebih."),
    ],
)
def test_bad_round_input_is_refused_with_a_message(client, login_as, db, changes, message):
    categories = reference()
    login_as("admin")
    if "quota" in changes:
        changes = {f"quota_{categories['fullstack'].id}": changes.pop("quota")}
    response = client.post("/kelola-seleksi/baru", data=round_post(categories.values(), **changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert body.count(message) == 1 or message == "Wajib diisi."
    assert db.scalar(select(func.count(SelectionRound.id))) == 0


def test_editing_a_round_keeps_and_changes_its_quotas(client, login_as, db):
    categories = reference()
    selection_round = draft_round(quotas={categories["fullstack"].id: 2, categories["junior_programmer"].id: 1})
    login_as("ketua")
    page = client.get(f"/kelola-seleksi/{selection_round.id}/ubah").get_data(as_text=True)
    assert f'name="quota_{categories["fullstack"].id}" type="number" value="2"' in page
    data = round_post(
        categories.values(),
        title="Seleksi Uji (revisi)",
        **{
            f"quota_{categories['fullstack'].id}": "4",
            f"quota_{categories['junior_programmer'].id}": "1",
            f"quota_{categories['data_center_professional'].id}": "1",
        },
    )
    assert client.post(f"/kelola-seleksi/{selection_round.id}/ubah", data=data).status_code == 302
    db.refresh(selection_round)
    assert selection_round.title == "Seleksi Uji (revisi)"
    assert {q.category.code: q.quota for q in selection_round.quotas} == {
        "fullstack": 4,
        "junior_programmer": 1,
        "data_center_professional": 1,
    }
    assert len(audits(db, "round_update")) == 1


def test_the_kind_of_an_open_round_cannot_change(client, login_as, db):
    selection_round = make_round(RoundKind.TEAM)
    login_as("ketua")
    data = round_post(kind="contract", position="Programmer", contract_quota="1", local_city="Bekasi")
    response = client.post(f"/kelola-seleksi/{selection_round.id}/ubah", data=data)
    assert response.status_code == 422
    assert "Jenis seleksi tidak dapat diubah setelah pendaftaran dibuka." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.kind == RoundKind.TEAM


def test_editing_an_announced_round_is_refused(client, login_as, db):
    categories = reference()
    selection_round = make_round(RoundKind.TEAM, status=RoundStatus.ANNOUNCED, title="Seleksi Lama")
    login_as("ketua")
    form_page = client.get(f"/kelola-seleksi/{selection_round.id}/ubah").get_data(as_text=True)
    assert "Seleksi yang sudah diumumkan tidak dapat diubah." in form_page
    response = client.post(
        f"/kelola-seleksi/{selection_round.id}/ubah", data=round_post(categories.values(), title="Diubah")
    )
    assert response.status_code == 422
    assert "Seleksi yang sudah diumumkan tidak dapat diubah." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.title == "Seleksi Lama"
    assert not audits(db, "round_update")
    show = client.get(f"/kelola-seleksi/{selection_round.id}").get_data(as_text=True)
    assert f"/kelola-seleksi/{selection_round.id}/ubah" not in show


def test_changing_the_kind_re_renders_the_form_as_a_fragment(client, login_as, db):
    reference()
    login_as("ketua")
    url = "/kelola-seleksi/baru?kind=contract&title=Draf+judul&weight_interview=30"
    fragment = client.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and 'id="round-form"' in body
    assert "<details open>\n    <summary>Posisi dan kuota" in body
    assert 'value="Draf judul"' in body and 'value="30"' in body
    assert "field-error" not in body  # a refresh does not validate
    whole = client.get(url)
    assert "<html" in whole.get_data(as_text=True)


def test_the_round_list_shows_dates_status_and_application_counts(client, login_as, db):
    busy = make_round(RoundKind.TEAM, title="Seleksi Ramai")
    for _ in range(3):
        make_application(busy, "submitted")
    draft_round(title="Seleksi Kosong", open_date=dt.date(2027, 3, 1), close_date=dt.date(2027, 3, 31))
    login_as("ketua")
    page = client.get("/kelola-seleksi").get_data(as_text=True)
    assert "Seleksi Ramai" in page and "Seleksi Kosong" in page
    assert "1 Maret 2027 – 31 Maret 2027" in page
    assert "Pendaftaran dibuka" in page and "Draf" in page
    ramai = page.split("Seleksi Ramai", 1)[1].split("</tr>", 1)[0]
    kosong = page.split("Seleksi Kosong", 1)[1].split("</tr>", 1)[0]
    assert "<td>3</td>" in ramai and "<td>0</td>" in kosong


def count_queries(client, url: str) -> int:
    statements = []

    def record(conn, cursor, statement, *args):  # noqa: ARG001
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_round_list_counts_applications_in_one_query(client, login_as, db):
    first = make_round(RoundKind.TEAM, title="Seleksi A")
    make_application(first, "draft")
    login_as("admin")
    few = count_queries(client, "/kelola-seleksi")
    for n in range(4):
        more = draft_round(title=f"Seleksi {n}")
        more.status = RoundStatus.CLOSED
    db.commit()
    assert count_queries(client, "/kelola-seleksi") == few


def test_the_round_list_is_paginated(make_app, db):
    app = make_app(PER_PAGE=2)
    client = app.test_client()
    for n in range(5):
        draft_round(title=f"Seleksi Nomor {n}")
    factories.make_user("admin-halaman", roles=["admin"])
    client.post("/masuk", data={"username": "admin-halaman", "password": factories.PASSWORD})
    page = client.get("/kelola-seleksi").get_data(as_text=True)
    assert "Halaman 1 dari 3" in page and "5 seleksi" in page
    assert "Halaman 3 dari 3" in client.get("/kelola-seleksi?page=3").get_data(as_text=True)


# --- the panel (002 §16(1)) ---------------------------------------------------------------------------


def test_only_panel_role_users_are_offered(client, login_as, db):
    selection_round = draft_round()
    offered = factories.make_user("penilai", roles=["panel"], full_name="Rina Penilai")
    factories.make_user("bukan", roles=["anggota"], full_name="Bukan Penilai")
    factories.make_user("nonaktif", roles=["panel"], full_name="Penilai Nonaktif", active=False)
    login_as("ketua")
    page = client.get(f"/kelola-seleksi/{selection_round.id}").get_data(as_text=True)
    assert f'<option value="{offered.id}">Rina Penilai (penilai)</option>' in page
    assert "Bukan Penilai" not in page and "Penilai Nonaktif" not in page
    assert "Diskominfo" in page and "BKPPD" in page


def test_a_panel_member_is_added_with_their_unit_and_removed(client, login_as, db):
    selection_round = draft_round()
    panelist = factories.make_user("penilai", roles=["panel"], full_name="Rina Penilai")
    login_as("ketua")
    response = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia", data={"user_id": str(panelist.id), "unit": "bkppd"}
    )
    assert response.status_code == 302
    [member] = db.scalars(select(PanelMember).where(PanelMember.round_id == selection_round.id))
    assert member.user_id == panelist.id and member.unit == PanelUnit.BKPPD
    assert len(audits(db, "panel_add")) == 1
    page = client.get(f"/kelola-seleksi/{selection_round.id}").get_data(as_text=True)
    assert "Rina Penilai" in page and "BKPPD" in page
    assert f'<option value="{panelist.id}">' not in page  # not offered twice

    again = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia", data={"user_id": str(panelist.id), "unit": "team"}
    )
    assert again.status_code == 422 and "sudah menjadi anggota tim seleksi ini" in again.get_data(as_text=True)

    member_id = member.id
    response = client.post(f"/kelola-seleksi/{selection_round.id}/panitia/{member_id}/hapus")
    assert response.status_code == 302
    assert db.scalar(select(PanelMember.id).where(PanelMember.id == member_id)) is None
    assert len(audits(db, "panel_remove")) == 1


def test_a_non_panel_user_posted_by_hand_is_refused(client, login_as, db):
    selection_round = draft_round()
    stranger = factories.make_user("bukan", roles=["anggota"], full_name="Bukan Penilai")
    login_as("ketua")
    response = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia", data={"user_id": str(stranger.id), "unit": "diskominfo"}
    )
    assert response.status_code == 422
    assert "Bukan Penilai belum memiliki peran Tim Seleksi." in response.get_data(as_text=True)
    assert not db.scalars(select(PanelMember)).all()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"user_id": "", "unit": "diskominfo"}, "Pilih anggota tim seleksi."),
        ({"user_id": "999999", "unit": "diskominfo"}, "Pilih anggota tim seleksi."),
        ({"user_id": "abc", "unit": "diskominfo"}, "Pilih anggota tim seleksi."),
        ({"unit": "inspektorat"}, "Not a valid choice"),
    ],
)
def test_a_bad_panel_request_is_refused(client, login_as, db, data, message):
    selection_round = draft_round()
    panelist = factories.make_user(roles=["panel"])
    data.setdefault("user_id", str(panelist.id))
    login_as("ketua")
    response = client.post(f"/kelola-seleksi/{selection_round.id}/panitia", data=data)
    assert response.status_code == 422
    assert not db.scalars(select(PanelMember)).all()
    if message.startswith("Pilih"):
        assert message in response.get_data(as_text=True)


def test_the_panel_block_is_swapped_by_htmx(client, login_as, db):
    selection_round = draft_round()
    panelist = factories.make_user("penilai", roles=["panel"], full_name="Rina Penilai")
    login_as("admin")
    added = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia",
        data={"user_id": str(panelist.id), "unit": "team"},
        headers=HX,
    )
    body = added.get_data(as_text=True)
    assert added.status_code == 200 and "<html" not in body and body.lstrip().startswith('<section id="panel"')
    assert "Rina Penilai ditambahkan ke tim seleksi." in body and "Tim Programmer" in body
    member = db.scalar(select(PanelMember))
    refused = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia", data={"user_id": str(panelist.id), "unit": "team"}, headers=HX
    )
    assert refused.status_code == 422 and "<html" not in refused.get_data(as_text=True)
    removed = client.post(f"/kelola-seleksi/{selection_round.id}/panitia/{member.id}/hapus", headers=HX)
    body = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "<html" not in body
    assert "Rina Penilai dikeluarkan dari tim seleksi." in body and "Belum ada anggota tim seleksi." in body


def test_a_member_of_another_round_cannot_be_removed_here(client, login_as, db):
    one, other = draft_round(title="Satu"), draft_round(title="Dua")
    member = services.add_panel_member(
        db, factories.make_user(roles=["admin"]), other, factories.make_user(roles=["panel"]), PanelUnit.TEAM
    )
    login_as("ketua")
    assert client.post(f"/kelola-seleksi/{one.id}/panitia/{member.id}/hapus").status_code == 404
    assert db.get(PanelMember, member.id) is not None


def test_the_panel_of_an_announced_round_is_kept(client, login_as, db):
    selection_round = make_round(RoundKind.TEAM, status=RoundStatus.ANNOUNCED)
    member = selection_round.panel[0]
    newcomer = factories.make_user(roles=["panel"])
    login_as("ketua")
    response = client.post(f"/kelola-seleksi/{selection_round.id}/panitia/{member.id}/hapus")
    assert response.status_code == 422
    response = client.post(
        f"/kelola-seleksi/{selection_round.id}/panitia", data={"user_id": str(newcomer.id), "unit": "team"}
    )
    assert response.status_code == 422
    assert [m.user_id for m in db.scalars(select(PanelMember))] == [member.user_id]


# --- status: draft → open → closed ------------------------------------------------------------------------


def test_opening_a_round_without_a_panel_is_refused(client, login_as, db):
    categories = reference()
    selection_round = draft_round(quotas={categories["fullstack"].id: 1})
    login_as("ketua")
    response = client.post(f"/kelola-seleksi/{selection_round.id}/status")
    assert response.status_code == 422
    assert "Tetapkan tim seleksi sebelum seleksi dibuka." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.DRAFT


def test_opening_a_team_round_without_a_quota_is_refused(client, login_as, db):
    selection_round = draft_round()
    services.add_panel_member(
        db, factories.make_user(roles=["admin"]), selection_round, factories.make_user(roles=["panel"]), "diskominfo"
    )
    login_as("ketua")
    response = client.post(f"/kelola-seleksi/{selection_round.id}/status")
    assert response.status_code == 422
    assert "Tetapkan kuota minimal satu kategori sebelum seleksi dibuka." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.DRAFT


def test_a_round_is_opened_then_closed_and_goes_no_further_here(client, login_as, db):
    categories = reference()
    selection_round = draft_round(quotas={categories["junior_programmer"].id: 2})
    services.add_panel_member(
        db, factories.make_user(roles=["admin"]), selection_round, factories.make_user(roles=["panel"]), "bkppd"
    )
    login_as("ketua")
    page = client.get(f"/kelola-seleksi/{selection_round.id}").get_data(as_text=True)
    assert "Buka pendaftaran" in page

    response = client.post(f"/kelola-seleksi/{selection_round.id}/status", follow_redirects=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Pendaftaran Seleksi Uji dibuka." in body and "Tutup pendaftaran" in body
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.OPEN

    response = client.post(f"/kelola-seleksi/{selection_round.id}/status", follow_redirects=True)
    assert "Pendaftaran Seleksi Uji ditutup." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.CLOSED
    assert [e.after["status"] for e in audits(db, "round_status")] == ["open", "closed"]

    response = client.post(f"/kelola-seleksi/{selection_round.id}/status")
    assert response.status_code == 422
    assert "Status seleksi ini tidak dapat dimajukan di sini." in response.get_data(as_text=True)
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.CLOSED


def test_a_contract_round_opens_without_category_quotas(client, login_as, db):
    selection_round = draft_round(RoundKind.CONTRACT)
    services.add_panel_member(
        db, factories.make_user(roles=["admin"]), selection_round, factories.make_user(roles=["panel"]), "diskominfo"
    )
    login_as("admin")
    assert client.post(f"/kelola-seleksi/{selection_round.id}/status").status_code == 302
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.OPEN


def test_unknown_rounds_are_404(client, login_as, db):
    login_as("ketua")
    assert client.get("/kelola-seleksi/999999").status_code == 404
    assert client.get("/kelola-seleksi/999999/ubah").status_code == 404
    assert client.post("/kelola-seleksi/999999/status").status_code == 404


def test_the_round_page_counts_its_applications(client, login_as, db):
    selection_round = make_round(RoundKind.TEAM, today=TODAY)
    make_application(selection_round, "draft")
    make_application(selection_round, "submitted")
    login_as("admin")
    page = client.get(f"/kelola-seleksi/{selection_round.id}").get_data(as_text=True)
    assert "Jumlah lamaran</dt><dd>2</dd>" in page
