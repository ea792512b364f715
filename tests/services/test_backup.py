"""`flask backup` and `flask restore` round trip (issue 8 §4): counts and files come back as they were."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pontive.accounts.models import User
from pontive.core import backup
from pontive.core.uploads import save_upload
from pontive.recruitment.demo import DEMO_PDF
from tests import factories


def _upload(db, user):
    data = io.BytesIO(DEMO_PDF)
    data.filename = "cadangan.pdf"
    stored = save_upload(db, data, purpose="uji", uploaded_by=user)
    db.commit()
    return stored


def test_backup_and_restore_round_trip(app, db, runner, tmp_path):
    if db.get_bind().dialect.name == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed to back up PostgreSQL")
    user = factories.make_user("sebelum", roles=["admin"])
    stored = _upload(db, user)
    result = runner.invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = next(tmp_path.iterdir())
    before = backup.table_counts()
    assert (folder / backup.MANIFEST).exists() and (folder / backup.UPLOADS).exists()

    # Life goes on after the backup: a new user, and the file is lost.
    factories.make_user("sesudah")
    upload_dir = Path(app.config["UPLOAD_DIR"])
    (upload_dir / stored.key[:2] / stored.key).unlink()

    refused = runner.invoke(args=["restore", str(folder)], input="n\n")
    assert refused.exit_code != 0
    result = runner.invoke(args=["restore", str(folder), "--yes"])
    assert result.exit_code == 0, result.output
    assert backup.table_counts() == before
    assert db.scalar(select(func.count(User.id)).where(User.username == "sesudah")) == 0
    assert (upload_dir / stored.key[:2] / stored.key).read_bytes() == DEMO_PDF


def test_restore_refuses_a_folder_that_is_not_a_backup(runner, db, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0 and "bukan folder cadangan" in result.output
