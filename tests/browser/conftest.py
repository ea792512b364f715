"""Browser tests: a real gunicorn serving Pontive on loopback, driven by Debian's Chromium through Playwright.

* Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
* The server gets a database of its own, never the one tests/conftest.py resets and empties: a SQLite
  file in a temp dir, or, when TEST_DATABASE_URL names a PostgreSQL server, a second database
  ``<name>_browser`` created beside it (so the PostgreSQL pass of .ci/run runs these tests on
  PostgreSQL too; the role needs CREATEDB, which scripts/pg-test-cluster.sh grants).
* It is migrated and loaded with the demo data (one user per role, password DEMO_PASSWORD or
  ``pontive-demo``) in-process, then served by gunicorn in a subprocess with the production settings
  (CSRF on), so nothing of the test process (the rate limiter's state, say) leaks into it.
* No Playwright browser download: we launch Debian's Chromium (/usr/bin/chromium, or PONTIVE_CHROMIUM).
  When no Chromium can be launched the tests fail under CI (env CI set) and are skipped elsewhere.
* A failing test leaves a screenshot in test-results/browser/. With PONTIVE_SCREENSHOTS=<dir> some
  tests also save screenshots of the pages they check there, for a human to look at.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.liveserver import prepare_database, server_database, start_gunicorn, stop_server

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000
SERVER_START_TIMEOUT_S = 45


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, so mark only the ones in this folder.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def demo_password() -> str:
    from pontive.cli import DEMO_PASSWORD_DEFAULT

    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run under CI, but: {reason}", pytrace=False)
    pytest.skip(reason)


# --- the browser ---------------------------------------------------------------------------------


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("PONTIVE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is not installed ({exc}); run `make venv`")
    executable = _chromium_path()
    if executable is None:
        _unavailable("no Chromium found (install Debian's chromium: `make browser` as root)")
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - whatever stops the launch, the verdict is the same
            _unavailable(f"Chromium at {executable} could not be launched: {exc}")
        yield browser
        browser.close()
    finally:
        playwright.stop()


# --- the server ----------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: object  # a Flask app on the server's database, for preparing data from the test
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("browser-server")
    database_url, drop_database = server_database(tmp, "browser")
    secret_key = secrets.token_hex(32)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": tmp,
        "UPLOAD_DIR": tmp / "uploads",
        "SECRET_KEY": secret_key,
        "TESTING": True,  # only this in-process app, used to prepare data; the server runs in production mode
        # The limiter is one object for the whole process: leave it as the rest of the suite sets it.
        "RATELIMIT_ENABLED": False,
    }
    try:
        app = prepare_database(config, demo_password())
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PONTIVE_INSTANCE": str(tmp),
            "UPLOAD_DIR": str(tmp / "uploads"),
            "SECRET_KEY": secret_key,
            # A test run signs in more often than a person; the limit itself is tested elsewhere.
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "PYTHONUNBUFFERED": "1",
        }
        log = tmp / "gunicorn.log"
        proc, url = start_gunicorn(env, log)
        try:
            yield LiveServer(url=url, app=app, log=log)
        finally:
            stop_server(proc)
    finally:
        if drop_database is not None:
            drop_database()


# --- pages ---------------------------------------------------------------------------------------


@pytest.fixture()
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """new_page(width=1280, height=800) → a page in a fresh context (no cookies) on the live server."""
    contexts = []

    def make(width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make

    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        out = ROOT / "test-results" / "browser"
        out.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(out / f"{safe}-{n}-{m}.png"), full_page=True)
                except Exception:  # noqa: BLE001, S110 - a screenshot is a courtesy, never a second failure
                    pass
        print(f"\nserver log (last lines):\n{live_server.log_tail()}")
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page):
    return new_page()


@pytest.fixture()
def login(live_server) -> Callable:
    """login(page, username) → signs in through the form at /masuk and waits for /dasbor."""

    def sign_in(page, username: str, password: str | None = None) -> None:
        page.goto("/masuk")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password or demo_password())
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_url("**/dasbor")

    return sign_in


@pytest.fixture()
def screenshot() -> Callable:
    """screenshot(page, name): keep a picture of the page for a human when PONTIVE_SCREENSHOTS names a folder."""

    def save(page, name: str) -> None:
        folder = os.environ.get("PONTIVE_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return save
