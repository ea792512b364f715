"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL from TEST_DATABASE_URL),
emptied after every test that touches it; a client; and ``login_as(role)``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from pontive import create_app
from pontive.config import TestConfig
from pontive.extensions import db as _db
from tests import factories


def _database_url(tmp: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from pontive.config import _normalise_db_url

        return _normalise_db_url(url)
    return f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def app_config(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("pontive")
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
        "INSTANCE_DIR": tmp,
        "UPLOAD_DIR": tmp / "uploads",
    }


@pytest.fixture(scope="session")
def make_app(app_config) -> Callable[..., Flask]:
    """Build another app on the same test database, with some settings changed."""

    def build(**overrides) -> Flask:
        app = create_app({**vars_of(TestConfig), **app_config, **overrides})
        app.test_client_class = FreshSessionClient
        return app

    return build


class FreshSessionClient(FlaskClient):
    """Each request runs in an app context of its own — its own ``g`` and database session — as
    it would in production, even though the test itself holds an app context open. Afterwards the
    test's session is expired, so the test reads what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if _db.session.registry.has():
            _db.session.expire_all()
        return response


def vars_of(cls) -> dict:
    return {k: getattr(cls, k) for k in dir(cls) if k.isupper()}


@pytest.fixture(scope="session")
def app(make_app) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        _reset_schema(app)
        from flask_migrate import upgrade

        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    yield app


def _reset_schema(app: Flask) -> None:
    """Start every run from an empty database, so migrations build the whole schema."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        _db.drop_all()
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def empty_tables() -> None:
    _db.session.rollback()
    _db.session.remove()
    tables = [t.name for t in _db.metadata.sorted_tables]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):  # children before parents, so foreign keys hold
                conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture()
def db(app) -> Iterator:
    """The database session inside an app context; every table is emptied afterwards."""
    with app.app_context():
        yield _db.session
        empty_tables()


@pytest.fixture()
def client(app, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def login_as(client, db) -> Callable:
    """login_as("koordinator", opd=...) → the user, signed in on ``client``."""

    def login(role: str | None = None, *, username: str | None = None, opd=None, **user_fields):
        user = factories.make_user(username or role or "pengguna", roles=[role] if role else [], opd=opd, **user_fields)
        response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture()
def opd(db):
    return factories.make_opd()
