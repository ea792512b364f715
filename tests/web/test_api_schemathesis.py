"""Property-based run of the whole JSON API from its own OpenAPI document (issue 7 "Checked by": a
schemathesis run with no 5xx). Schemathesis loads /api/v1/openapi.json from the Flask app itself
(WSGI, no server), generates requests for every operation — valid and invalid parameters and bodies —
and sends them with a valid token of a user who is both ketua and anggota, so the role-guarded
operations run their real code. Bounded so it stays well under a minute."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from pontive.accounts import tokens
from pontive.accounts.models import RoleGrant
from pontive.accounts.roles import Role
from pontive.api import openapi
from pontive.catalogue import services as catalogue
from pontive.extensions import db as _db
from pontive.performance import services as performance
from tests import factories
from tests.conftest import empty_tables
from tests.team_factories import make_member

MAX_EXAMPLES = 20


@pytest.fixture()
def api_token(app) -> Iterator[str]:
    """Data for every operation to find, and a token. No app context stays open while the requests
    run, so each request gets its own ``g`` and database session, as in production."""
    with app.app_context():
        opd = factories.make_opd()
        admin = factories.make_user("admin_st", roles=["admin"])
        first = catalogue.save_app(
            _db.session,
            admin,
            {"name": "Sistem Perizinan", "owner_opd_id": opd.id, "status": "production", "ip_address": "10.0.0.1"},
        )
        second = catalogue.save_app(
            _db.session, admin, {"name": "Aplikasi Pajak", "owner_opd_id": opd.id, "status": "development"}
        )
        catalogue.add_integration(_db.session, admin, first, second, "Data wajib pajak")
        membership = make_member(opd, "anggota_st")
        member = membership.member
        member.grants.append(RoleGrant(role=Role.KETUA))
        _db.session.commit()
        plan = performance.get_or_create_plan(_db.session, member, 2026)
        rhk = performance.save_work_result(
            _db.session, member, plan, {"title": "RHK uji"}, [{"description": "x", "target_value": "1", "unit": "x"}]
        )
        for month in (1, 10):
            performance.save_action_plan(
                _db.session, member, rhk, {"month": month, "description": "Rencana", "target_value": "2", "unit": "x"}
            )
        _, plain = tokens.create_token(_db.session, member, "schemathesis")
        _db.session.remove()
    yield plain
    with app.app_context():
        empty_tables()


# Every documented operation, read from the same dict the app serves (collection needs no app):
# valid input for all of them, and invalid input for those that take any.
OPERATIONS = [
    pytest.param(method.upper(), path, mode, id=f"{method.upper()} {path} {mode.value}")
    for path, item in openapi.DOCUMENT["paths"].items()
    for method, operation in item.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or operation.get("parameters") or operation.get("requestBody")
]


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS)
def test_no_operation_answers_a_server_error(app, api_token, method, path, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {api_token}"}

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
