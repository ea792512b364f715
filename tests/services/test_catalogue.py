"""Catalogue services: who may edit, repository uniqueness, SOP steps, handover and warranty, tokens."""

from __future__ import annotations

import datetime as dt

import pytest

from pontive.accounts import tokens
from pontive.catalogue import services
from pontive.catalogue.demo import load_sop_steps
from tests import factories


def app_data(opd, **changes):
    data = {
        "name": "SIMPEG",
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


def test_operator_edits_only_their_opds_applications(db):
    opd_a, opd_b = factories.make_opd(), factories.make_opd()
    operator = factories.make_user(roles=["operator_opd"], opd=opd_a)
    app = services.save_app(db, operator, app_data(opd_a))
    with pytest.raises(services.CatalogueError, match="tidak dapat mengubah"):
        services.save_app(db, operator, app_data(opd_b, repo_url=""))
    with pytest.raises(services.CatalogueError, match="OPD lain"):
        services.save_app(db, operator, app_data(opd_b), app)


def test_a_repository_is_recorded_for_one_application_only(db):
    opd = factories.make_opd()
    admin = factories.make_user(roles=["admin"])
    services.save_app(db, admin, app_data(opd))
    with pytest.raises(services.CatalogueError, match="sudah tercatat untuk aplikasi SIMPEG"):
        services.save_app(
            db, admin, app_data(opd, name="SIMPEG 2", repo_url="https://GIT.bekasikota.go.id/bkpsdm/simpeg/")
        )


def test_bad_ip_is_refused(db):
    with pytest.raises(services.CatalogueError, match="bukan alamat IP"):
        services.save_app(
            db, factories.make_user(roles=["admin"]), app_data(factories.make_opd(), ip_address="10.1.1.300")
        )


def test_infrastructure_is_hidden_from_those_who_do_not_need_it(db):
    opd = factories.make_opd()
    app = services.save_app(db, factories.make_user(roles=["admin"]), app_data(opd))
    assert "ip_address" not in services.public_view(app, factories.make_user(roles=["pelamar"]))
    assert services.public_view(app, factories.make_user(roles=["ketua"]))["ip_address"] == "10.10.1.20"


def test_project_follows_the_sop_and_handover_starts_the_warranty(db):
    load_sop_steps(db)
    db.commit()
    opd = factories.make_opd()
    admin = factories.make_user(roles=["admin"])
    app = services.save_app(db, admin, app_data(opd, status="development"))
    project = services.start_project(db, admin, app, "build", "Pembuatan SIMPEG", "PT Contoh", 2026)
    assert [s.sop_step.number for s in project.steps] == [1, 2, 3, 5, 6, 7, 8, 9, 10, 11]
    first = project.steps[0]
    with pytest.raises(services.CatalogueError, match="Selesaikan langkah sebelumnya"):
        services.record_step(db, admin, project.steps[1], started_at=dt.datetime(2026, 1, 5))
    services.record_step(db, admin, first, started_at=dt.datetime(2026, 1, 5, 8))
    with pytest.raises(services.CatalogueError, match="sebelum dimulai"):
        services.record_step(db, admin, first, finished_at=dt.datetime(2026, 1, 4))
    services.record_step(db, admin, first, finished_at=dt.datetime(2026, 1, 12, 8))  # 7 days > 5
    assert services.late_steps(project, dt.datetime(2026, 2, 1)) == [first]
    with pytest.raises(services.CatalogueError, match="langkah SOP sebelumnya"):
        services.hand_over(db, admin, project, dt.date(2026, 6, 1), "ASET-2026-001")
    start = dt.datetime(2026, 1, 13, 8)
    for step in project.steps[1:-1]:
        services.record_step(db, admin, step, started_at=start, finished_at=start + dt.timedelta(minutes=10))
    services.hand_over(db, admin, project, dt.date(2026, 6, 1), "ASET-2026-001")
    assert app.warranty_until == dt.date(2027, 5, 31) and app.asset_number == "ASET-2026-001"


def test_tokens_are_shown_once_stored_hashed_and_revocable(db):
    user = factories.make_user(roles=["anggota"])
    token, plain = tokens.create_token(db, user, "e-Kinerja")
    assert plain.startswith("pnt_") and plain not in token.token_hash
    assert tokens.user_for_token(db, plain).id == user.id
    assert tokens.user_for_token(db, "pnt_salah") is None and tokens.user_for_token(db, "bukan-token") is None
    tokens.revoke_token(db, user, token)
    assert tokens.user_for_token(db, plain) is None
