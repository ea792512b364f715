"""Reliability tests run against a real gunicorn (several workers) on a database of their own
(SQLite, or PostgreSQL beside TEST_DATABASE_URL). `make test` runs them short; `make soak` runs
them long (SOAK_SECONDS)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.liveserver import prepare_database, server_database, start_gunicorn, stop_server

PASSWORD = "keandalan-demo-1"  # noqa: S105 - demo data of a throwaway test database
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# Sign-ins are not what these tests measure: cheap password hashes keep 50 logins from eating the time.
CHEAP_HASHES = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192, "ARGON2_PARALLELISM": 1}


def soak_seconds(default: float) -> float:
    return float(os.environ.get("SOAK_SECONDS", default))


@dataclass
class Server:
    url: str
    app: object
    env: dict
    log: Path
    proc: object

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture()
def server(tmp_path) -> Iterator[Server]:
    database_url, drop = server_database(tmp_path, f"rel_{secrets.token_hex(3)}")
    secret = secrets.token_hex(32)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": tmp_path,
        "UPLOAD_DIR": tmp_path / "uploads",
        "SECRET_KEY": secret,
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
    }
    app = prepare_database(config, PASSWORD)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PONTIVE_INSTANCE": str(tmp_path),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SECRET_KEY": secret,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "gunicorn.log"
    proc, url = start_gunicorn(env, log, workers=3)
    srv = Server(url, app, env, log, proc)
    try:
        yield srv
    finally:
        stop_server(srv.proc)
        if drop is not None:
            drop()


class Browser:
    """A user agent with its own cookies, that signs in and posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310 - loopback test server
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def token(self, path: str) -> str:
        status, page = self.request("GET", path)
        match = TOKEN.search(page)
        assert match, f"no CSRF token on {path} ({status})"
        return match.group(1)

    def login(self, username: str) -> None:
        token = self.token("/masuk")
        status, _ = self.request("POST", "/masuk", {"username": username, "password": PASSWORD, "csrf_token": token})
        assert status == 302, f"{username} could not sign in ({status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ARG002 - a 302 is an answer we want to see
        return None

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ARG002
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302
