"""The schema is only ever built by migrations, and they build exactly what the models say."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from pontive.extensions import db as _db

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, _db.metadata)


def test_the_migrated_test_database_matches_the_models(db):
    """The session database was built from empty by `upgrade` (SQLite, or PostgreSQL in CI)."""
    assert schema_differences(_db.engine) == []


def test_every_migration_goes_down_and_up_again_on_a_fresh_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert schema_differences(_db.engine) == []
        downgrade(directory=MIGRATIONS, revision="base")
        with _db.engine.connect() as conn:
            tables = set(_db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=MIGRATIONS)
        assert schema_differences(_db.engine) == []
        _db.engine.dispose()
