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
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

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
def api_data(app) -> Iterator[dict]:
    """Data for the operations to find, and a token. No app context stays open while the requests
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
        action_plans = [
            performance.save_action_plan(
                _db.session, member, rhk, {"month": month, "description": "Rencana", "target_value": "2", "unit": "x"}
            )
            for month in (1, 10)
        ]
        _, plain = tokens.create_token(_db.session, member, "schemathesis")
        data = {"token": plain, "path": {"app_id": first.id, "action_plan_id": action_plans[1].id}}
        _db.session.remove()
    yield data
    with app.app_context():
        empty_tables()


def _cases():
    """Every documented operation, read from the same dict the app serves (collection needs no app):
    valid input for all, invalid input for those that take any, and — for those with an id in the
    path — valid input on an object that exists, so the success paths run too."""
    for path, item in openapi.DOCUMENT["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            yield pytest.param(method.upper(), path, GenerationMode.POSITIVE, False, id=f"{label} positive")
            if operation.get("parameters") or operation.get("requestBody"):
                yield pytest.param(method.upper(), path, GenerationMode.NEGATIVE, False, id=f"{label} negative")
            if "{" in path:
                yield pytest.param(method.upper(), path, GenerationMode.POSITIVE, True, id=f"{label} existing")


@pytest.mark.parametrize(("method", "path", "mode", "existing"), list(_cases()))
def test_no_operation_answers_a_server_error(app, api_data, method, path, mode, existing):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {api_data['token']}"}
    path_parameters = {k: v for k, v in api_data["path"].items() if f"{{{k}}}" in path} if existing else None

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        # No 5xx above all; and what the API answers is what its document says (status, type, body).
        case.call_and_validate(
            headers=headers,
            checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        )

    run()


def test_the_document_is_valid_openapi_3_1(client):
    """Against the OpenAPI 3.1 meta-schema that schemathesis ships (an internal module: pinned <5)."""
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    document = client.get("/api/v1/openapi.json").get_json()
    assert [str(error) for error in OPENAPI_31_VALIDATOR.iter_errors(document)] == []
