"""A real Pontive server in a subprocess, for the browser and reliability tests: its own database
(a SQLite file, or a second PostgreSQL database beside TEST_DATABASE_URL), migrated and loaded with the
demo data in-process, then served by gunicorn with the production settings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 45


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_database(tmp: Path, suffix: str) -> tuple[str, Callable[[], None] | None]:
    """The server's database URL, and how to drop it afterwards (None for a temp SQLite file)."""
    sqlite_url = f"sqlite:///{tmp / (suffix + '.db')}"
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return sqlite_url, None

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from pontive.config import _normalise_db_url

    url = make_url(_normalise_db_url(base))
    name = f"{url.database}_{suffix}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")

    def run(*statements: str) -> None:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    try:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    except SQLAlchemyError as exc:
        engine.dispose()
        warnings.warn(
            f"test server: could not create database {name} beside TEST_DATABASE_URL ({exc.__class__.__name__}: "
            f"{exc}); the server uses SQLite instead",
            stacklevel=1,
        )
        return sqlite_url, None

    def drop() -> None:
        try:
            run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            engine.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def prepare_database(config: dict, password: str, scale: int = 0) -> object:
    from flask_migrate import upgrade

    from pontive import create_app
    from pontive.cli import seed_demo
    from pontive.extensions import db

    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo(scale, password=password)
        db.session.remove()
        db.engine.dispose()
    return app


def start_gunicorn(env: dict, log: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-w",
                    str(workers),
                    "-b",
                    f"127.0.0.1:{port}",
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "5",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = f"gunicorn exited with {proc.returncode}"
                break
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - our own loopback server
                    if response.status == 200:
                        return proc, url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        else:
            last_error = f"no answer from {url}/healthz within {SERVER_START_TIMEOUT_S}s"
            stop_server(proc)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    pytest.fail(f"the test server would not start: {last_error}\n{tail}", pytrace=False)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
