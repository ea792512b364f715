"""Backups: the database (SQLite's online backup, or pg_dump) and the uploaded files, in one folder;
and the restore that puts both back. Used by `flask backup` and `flask restore`."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from sqlalchemy.engine import make_url

from pontive.extensions import db

DB_SQLITE = "database.sqlite3"
DB_PGDUMP = "database.pgdump"
UPLOADS = "uploads.tar.gz"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Basis data SQLite di memori tidak dapat dicadangkan.")
    return Path(url.database)


def _tool(name: str) -> str:
    """The absolute path of a PostgreSQL client tool (pg_dump, pg_restore), or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client).")
    return path


def _pg_env(url) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database,
    ]
    return args, env


def table_counts() -> dict[str, int]:
    """Rows per table, to compare a restore with what was backed up."""
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(db.select(db.func.count()).select_from(t)).scalar() for t in db.metadata.sorted_tables
        }


def backup(target_dir: Path, upload_dir: Path) -> Path:
    """Write a consistent copy of the database and the uploads into a new folder under target_dir."""
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    folder = target_dir / dt.datetime.now().strftime("pontive-%Y%m%d-%H%M%S")
    suffix = 1
    while folder.exists():
        folder = target_dir / f"{folder.name}-{suffix}"
        suffix += 1
    folder.mkdir(parents=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(folder / DB_SQLITE)
        try:
            source.backup(dest)  # online: consistent even while the portal writes
        finally:
            dest.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own database URL
            [_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(folder / DB_PGDUMP), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
    else:
        raise BackupError(f"Basis data {url.get_backend_name()} tidak didukung.")
    with tarfile.open(folder / UPLOADS, "w:gz") as tar:
        if upload_dir.exists():
            tar.add(upload_dir, arcname="uploads")
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "backend": url.get_backend_name(),
        "counts": table_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return folder


def restore(folder: Path, upload_dir: Path) -> dict[str, int]:
    """Replace the database and the uploads with the backup's; returns the restored row counts."""
    if not (folder / MANIFEST).exists():
        raise BackupError(f"{folder} bukan folder cadangan Pontive (tidak ada {MANIFEST}).")
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        if not (folder / DB_SQLITE).exists():
            raise BackupError("Cadangan ini bukan cadangan SQLite.")
        source = sqlite3.connect(folder / DB_SQLITE)
        dest = sqlite3.connect(_sqlite_path(url))
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        if not (folder / DB_PGDUMP).exists():
            raise BackupError("Cadangan ini bukan cadangan PostgreSQL.")
        args, env = _pg_env(url)
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own database URL
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(folder / DB_PGDUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise BackupError(f"pg_restore gagal: {result.stderr.strip()}")
    if (folder / UPLOADS).exists():
        if upload_dir.exists():
            shutil.rmtree(upload_dir)
        upload_dir.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / UPLOADS, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name == "uploads" or m.name.startswith("uploads/")]
            tar.extractall(upload_dir.parent, members=members, filter="data")
            extracted = upload_dir.parent / "uploads"
            if extracted != upload_dir and extracted.exists():
                extracted.rename(upload_dir)
    return table_counts()
