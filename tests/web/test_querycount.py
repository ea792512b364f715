"""The opt-in X-Query-Count header of `make bench` (pontive/core/querycount.py)."""

from __future__ import annotations

import pytest

from pontive.core import querycount
from tests import factories


@pytest.fixture()
def counting_app(make_app, db, monkeypatch):  # noqa: ARG001 - db: an app context and emptied tables
    monkeypatch.setenv(querycount.ENV_VAR, "1")
    return make_app()


def test_no_header_unless_asked_for(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert querycount.HEADER not in response.headers


def test_health_check_counts_its_one_statement(counting_app):
    response = counting_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.headers[querycount.HEADER] == "1"


def test_a_signed_in_page_counts_loading_the_user_and_its_own_queries(counting_app):
    user = factories.make_user("admin", roles=["admin"])
    client = counting_app.test_client()
    assert client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD}).status_code == 302
    first = client.get("/admin/pengguna")
    second = client.get("/admin/pengguna")
    assert first.status_code == 200
    count = int(first.headers[querycount.HEADER])
    assert count >= 2  # the signed-in user, then the page's own list
    assert int(second.headers[querycount.HEADER]) == count  # counted per request, not cumulated


def test_config_switch_without_the_environment(make_app, db):  # noqa: ARG001
    response = make_app(QUERY_COUNT=True).test_client().get("/healthz")
    assert response.headers[querycount.HEADER] == "1"
