"""Scale-out (issue 8 §5): four gunicorn workers on one database (SQLite here, PostgreSQL in the second
pass of .ci/run through TEST_DATABASE_URL) hold no state of their own. A sign-in on one worker is
honoured by all of them (sessions are signed cookies, CSRF tokens live in them); a lockout earned by
failures spread over the workers holds on every worker (it is kept in the database); an htmx fragment
asked for after a full page load comes back whole from any worker. The server names the worker that
answered in ``X-Pontive-Worker`` (opt-in, PONTIVE_WORKER_ID_HEADER=1), so each test proves that its
requests really were spread; concurrent requests make the workers share them out."""

from __future__ import annotations

import os
import re
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from pontive.accounts.models import LoginThrottle
from pontive.core.workerid import HEADER
from pontive.extensions import db, limiter
from tests.liveserver import prepare_database, server_database, start_gunicorn, stop_server
from tests.reliability.conftest import CHEAP_HASHES, PASSWORD, TOKEN, Server

WORKERS = 4
MAX_FAILURES = 5
ROUNDS = 6  # at most this many bursts of concurrent requests until every worker has answered
BURST = 2 * WORKERS


@pytest.fixture(scope="module")
def four_workers(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("workers")
    database_url, drop = server_database(tmp, f"wrk_{secrets.token_hex(3)}")
    secret = secrets.token_hex(32)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": tmp,
        "UPLOAD_DIR": tmp / "uploads",
        "SECRET_KEY": secret,
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
        **CHEAP_HASHES,
    }
    app = prepare_database(config, PASSWORD)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PONTIVE_INSTANCE": str(tmp),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "SECRET_KEY": secret,  # one key for every worker (and every host)
        "PONTIVE_WORKER_ID_HEADER": "1",
        "LOGIN_RATE_LIMIT": "100000 per minute",  # the limiter's memory:// counts are per worker anyway
        "LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "PYTHONUNBUFFERED": "1",
        **{name: str(value) for name, value in CHEAP_HASHES.items()},
    }
    log = tmp / "gunicorn.log"
    proc, url = start_gunicorn(env, log, workers=WORKERS)
    srv = Server(url, app, env, log, proc)
    try:
        yield srv
    finally:
        stop_server(srv.proc)
        if drop is not None:
            drop()


@dataclass
class Answer:
    status: int
    body: str
    worker: str
    location: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ARG002 - a 302 is an answer we want to see
        return None


@dataclass
class Agent:
    """A user agent whose requests may run in many threads at once: it sends its cookies as one
    header and keeps the ones the server sets, as a browser does."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})  # noqa: S310
        with self.lock:
            if self.cookies:
                req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = urllib.request.build_opener(NoRedirect()).open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                with self.lock:
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            text = response.read().decode(errors="replace")
            return Answer(response.status, text, response.headers.get(HEADER, ""), response.headers.get("Location", ""))

    def sign_in(self, username: str, password: str) -> Answer:
        token = TOKEN.search(self.request("GET", "/masuk").body).group(1)
        return self.request("POST", "/masuk", {"username": username, "password": password, "csrf_token": token})


def bursts(make_requests, until_workers: int = WORKERS) -> list[Answer]:
    """Concurrent bursts of requests until ``until_workers`` different workers answered (or ROUNDS ran)."""
    answers: list[Answer] = []
    with ThreadPoolExecutor(BURST) as pool:
        for round_no in range(ROUNDS):
            answers += pool.map(make_requests, range(round_no * BURST, (round_no + 1) * BURST))
            if len({a.worker for a in answers}) >= until_workers:
                break
    return answers


def workers_of(answers: list[Answer]) -> set[str]:
    return {a.worker for a in answers}


def test_the_worker_header_is_opt_in(make_app, monkeypatch):
    monkeypatch.delenv("PONTIVE_WORKER_ID_HEADER", raising=False)
    with make_app().test_client() as client:
        assert HEADER not in client.get("/healthz").headers
    with make_app(WORKER_ID_HEADER=True).test_client() as client:
        assert client.get("/healthz").headers[HEADER].endswith(f":{os.getpid()}")


def test_a_sign_in_on_one_worker_holds_on_every_worker(four_workers):
    agent = Agent(four_workers.url)
    signed_in = agent.sign_in("koordinator", PASSWORD)
    assert signed_in.status == 302, signed_in.body[:300]
    # The CSRF token of the signed-in session, from whichever worker serves the form.
    token = TOKEN.search(agent.request("GET", "/rapat/baru").body).group(1)

    def follow_up(n: int) -> Answer:
        if n % 3 == 2:  # a write with the session's CSRF token: a bad date keeps it harmless (the form is re-shown)
            return agent.request("POST", "/rapat/baru", {"csrf_token": token, "date": "bukan-tanggal", "agenda": "x"})
        return agent.request("GET", "/dasbor")

    answers = bursts(follow_up)
    lost = [(a.status, a.location, a.worker) for a in answers if a.status not in (200, 422)]
    assert not lost, f"requests that lost the session (or the CSRF token): {lost}"
    assert all('name="password"' not in a.body for a in answers), "a worker answered with the sign-in page"
    writes = [a for a in answers if a.status == 422]  # CSRF passed (a bad token is a 400): the form came back
    assert writes and all('name="agenda"' in a.body for a in writes)
    assert len(workers_of(answers)) == WORKERS, f"follow-up requests reached only {workers_of(answers)}"
    assert workers_of(answers) - {signed_in.worker}, "no follow-up reached a worker other than the sign-in's"


def test_a_lockout_earned_on_several_workers_holds_on_every_worker(four_workers):
    username = "pptk"
    failures = bursts(lambda _n: Agent(four_workers.url).sign_in(username, "salah-" + secrets.token_hex(4)), 2)
    assert all(a.status == 422 for a in failures), [a.status for a in failures]
    assert len(failures) >= MAX_FAILURES
    assert len(workers_of(failures)) >= 2, f"the failures all reached {workers_of(failures)}"

    with four_workers.app.app_context():
        throttle = db.session.scalar(select(LoginThrottle).where(LoginThrottle.username == username))
        db.session.remove()
    assert throttle is not None and throttle.locked_until is not None, "the failures did not lock the account"

    # The right password now: refused by every worker, each reading the lock from the database.
    attempts = bursts(lambda _n: Agent(four_workers.url).sign_in(username, PASSWORD))
    assert all(a.status == 422 for a in attempts), [(a.status, a.worker) for a in attempts]
    assert all(re.search(r"Terlalu banyak|Too many", a.body) for a in attempts)
    assert len(workers_of(attempts)) == WORKERS, f"the locked sign-ins reached only {workers_of(attempts)}"


def test_an_htmx_fragment_after_a_full_page_works_on_any_worker(four_workers):
    agent = Agent(four_workers.url)
    assert agent.sign_in("operator_opd", PASSWORD).status == 302
    page = agent.request("GET", "/katalog")
    assert page.status == 200 and "<html" in page.body and 'id="results"' in page.body
    name = re.search(r'<a href="/katalog/\d+">([^<]+)</a>', page.body).group(1)
    query = urllib.parse.urlencode({"q": name.split()[0]})
    headers = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": four_workers.url + "/katalog"}

    answers = bursts(lambda _n: agent.request("GET", f"/katalog?{query}", headers=headers))
    for answer in answers:
        assert answer.status == 200, (answer.status, answer.worker)
        assert "<html" not in answer.body, f"{answer.worker} sent a whole page"
        assert answer.body.lstrip().startswith('<div id="results">'), answer.body[:200]
        assert "<tbody>" in answer.body and name.split()[0] in answer.body, f"{answer.worker} sent an empty fragment"
    assert len(workers_of(answers)) == WORKERS, f"fragment requests reached only {workers_of(answers)}"


def test_the_rate_limiter_keeps_its_counts_where_the_config_says(make_app, monkeypatch):
    """RATELIMIT_STORAGE_URI reaches Flask-Limiter: memory:// by default (per worker), redis:// shared."""
    import flask_limiter.extension as extension

    given: list[str] = []
    real = extension.storage_from_string

    def spy(uri: str, **options):
        given.append(uri)
        return real("memory://", **options)

    monkeypatch.setattr(extension, "storage_from_string", spy)
    saved = dict(limiter.__dict__)  # the limiter is one object for every app of the test run
    try:
        make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://cache.pemkot.example:6379/3")
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)
    assert given == ["redis://cache.pemkot.example:6379/3"]
