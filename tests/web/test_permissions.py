"""Every endpoint declares who may use it, and the declaration holds for every role (DESIGN
"Users and roles": everything not granted is refused)."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.routing import Rule

from pontive.accounts.roles import Role
from pontive.core.models import Holiday, StoredFile
from pontive.core.permissions import PUBLIC, ROLES, access_of
from tests import factories

ALL_ROLES = [r.value for r in Role]
# Endpoints whose object is checked per user: the right role may still get 404 for an object
# that is not theirs (the sample objects belong to someone else).
OBJECT_SCOPED = {"files.download"}


def routes(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_endpoint_declares_its_access(app):
    undeclared = sorted(r.endpoint for r in routes(app) if access_of(app, r.endpoint) is None)
    assert not undeclared, f"endpoints without an access declaration: {undeclared}"


def test_an_undeclared_endpoint_is_refused(make_app, db):
    app = make_app()

    @app.route("/lupa-dideklarasikan")
    def forgotten():
        return "rahasia"

    response = app.test_client().get("/lupa-dideklarasikan")
    assert response.status_code == 403
    assert b"rahasia" not in response.data


def test_admin_pages_are_for_admins_only(app):
    for rule in routes(app):
        if rule.rule.startswith("/admin"):
            access = access_of(app, rule.endpoint)
            assert access.kind == ROLES and access.roles == {"admin"}, rule.endpoint


@pytest.fixture()
def samples(db):
    """One object for every URL argument the app's routes take."""
    owner = factories.make_user("pemilik", roles=["anggota"])
    opd = factories.make_opd()
    target = factories.make_user("sasaran", roles=["koordinator"], opd=opd)
    holiday = Holiday(date=dt.date(2026, 12, 25), kind="libur_nasional", name="Natal")
    stored = StoredFile(
        key="0" * 32,
        original_name="cv.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        purpose="uji",
        uploaded_by_id=owner.id,
    )
    db.add_all([holiday, stored])
    db.commit()
    return {
        "user_id": target.id,
        "opd_id": opd.id,
        "grant_id": target.grants[0].id,
        "holiday_id": holiday.id,
        "file_id": stored.id,
        "lang": "id",
    }


def build_url(app, rule: Rule, samples: dict) -> str:
    missing = [a for a in rule.arguments if a not in samples]
    assert not missing, f"add a sample for {missing} (endpoint {rule.endpoint}) to this test's samples fixture"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=lambda r: r or "anonymous")
def test_role_matrix(app, client, login_as, samples, role):
    if role:
        login_as(role)
    problems = []
    for rule in routes(app):
        access = access_of(app, rule.endpoint)
        url = build_url(app, rule, samples)
        if rule.endpoint == "accounts.logout":
            continue  # would end this test's session; covered in test_accounts
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        status = response.status_code
        allowed = access.kind == PUBLIC or (role is not None and (access.kind != ROLES or role in access.roles))
        if not allowed and role is None:
            ok = status == 302 and "/masuk" in response.headers.get("Location", "")
            expected = "302 → /masuk"
        elif not allowed:
            ok = status == 403
            expected = "403"
        elif method == "GET" and rule.endpoint not in OBJECT_SCOPED:
            ok = status in (200, 302) if access.kind == PUBLIC else status == 200
            expected = "200"
        else:
            ok = status < 500 and status not in (401, 403)
            expected = "< 500, not refused"
        if not ok:
            problems.append(f"{method} {url} ({rule.endpoint}): {status}, expected {expected}")
    assert not problems, "\n".join(problems)
