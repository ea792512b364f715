"""`flask seed-demo` and `flask create-admin` (issue 2 §3)."""

from __future__ import annotations

from sqlalchemy import func, select

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core.models import Holiday
from pontive.recruitment.models import Application, ApplicationStatus, RoundStatusCount


def test_seed_demo_creates_one_user_per_role_named_after_it(app, runner, db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "sandi-demo-uji-1")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for role in Role:
        user = db.scalar(select(User).where(User.username == role.value))
        assert user is not None and user.has_role(role)
    client = app.test_client()
    response = client.post("/masuk", data={"username": "ketua", "password": "sandi-demo-uji-1"})
    assert response.status_code == 302


def test_seed_demo_loads_reference_data(runner, db):
    runner.invoke(args=["seed-demo"])
    assert db.scalar(select(func.count(Opd.id))) >= 40
    assert db.scalar(select(Opd).where(Opd.code == "DISKOMINFOSTANDI")) is not None
    dates = list(db.scalars(select(Holiday.date)))
    assert {d.year for d in dates} >= {2025, 2026, 2027}
    assert sum(d.year == 2026 for d in dates) == 25  # 17 national holidays + 8 cuti bersama (SKB 2025)


def test_scoped_demo_roles_have_their_opd(runner, db):
    runner.invoke(args=["seed-demo"])
    koordinator = db.scalar(select(User).where(User.username == "koordinator"))
    assert len(koordinator.opd_ids_for(Role.KOORDINATOR)) == 1


def test_seed_demo_twice_keeps_the_data(runner, db):
    runner.invoke(args=["seed-demo"])
    count = db.scalar(select(func.count(User.id)))
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "tidak dimuat ulang" in again.output
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert db.scalar(select(func.count(User.id))) == count


def test_scale_adds_volume(runner, db):
    runner.invoke(args=["seed-demo", "--scale", "1"])
    assert db.scalar(select(func.count(User.id))) >= 300
    # The bulk-inserted applications are counted per round and status like the ones filed one by one.
    grouped = {
        (round_id, str(status), n)
        for round_id, status, n in db.execute(
            select(Application.round_id, Application.status, func.count())
            .where(Application.status != ApplicationStatus.DRAFT)
            .group_by(Application.round_id, Application.status)
        )
    }
    stored = {
        (c.round_id, str(c.status), c.n) for c in db.scalars(select(RoundStatusCount).where(RoundStatusCount.n > 0))
    }
    assert len(grouped) > 10 and stored == grouped


def test_no_account_exists_without_seeding_and_create_admin_makes_the_first(app, runner, db, monkeypatch):
    assert db.scalar(select(func.count(User.id))) == 0
    monkeypatch.setenv("ADMIN_PASSWORD", "admin-pertama-123")
    result = runner.invoke(args=["create-admin", "--username", "kominfo", "--full-name", "Admin Kominfo"])
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.username == "kominfo"))
    assert user.has_role(Role.ADMIN)
    assert (
        app.test_client().post("/masuk", data={"username": "kominfo", "password": "admin-pertama-123"}).status_code
        == 302
    )


def test_create_admin_refuses_a_weak_password(runner, db, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "pendek")
    result = runner.invoke(args=["create-admin", "--username", "kominfo", "--full-name", "Admin"])
    assert result.exit_code != 0 and "minimal 12" in result.output
