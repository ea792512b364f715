"""Crash and races against a real server (issue 8 §3): kill -9 during writes loses no acknowledged
write and leaves the database intact; the same form posted twice at once makes one record."""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time

from sqlalchemy import func, select, text

from pontive.accounts.models import Opd
from pontive.extensions import db
from tests.liveserver import start_gunicorn, stop_server
from tests.reliability.conftest import Browser


def _create_opd(agent: Browser, code: str) -> int:
    token = agent.token("/admin/opd/baru")
    status, _ = agent.request(
        "POST",
        "/admin/opd/baru",
        {"code": code, "name": f"Kilat {code}", "short_name": "", "active": "y", "csrf_token": token},
    )
    return status


def test_kill_9_during_writes_loses_no_acknowledged_write(server):
    acknowledged: set[str] = set()
    stop = threading.Event()
    lock = threading.Lock()

    def writer() -> None:
        agent = Browser(server.url)
        agent.login("admin")
        while not stop.is_set():
            code = "K" + secrets.token_hex(6)
            try:
                if _create_opd(agent, code) == 302:
                    with lock:
                        acknowledged.add(code)
            except OSError:
                return  # the server is gone

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for t in threads:
        t.start()
    # Kill once writes are flowing (a loaded machine may need a while to sign the writers in).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 10:
                break
        time.sleep(0.1)
    time.sleep(0.3)
    os.killpg(server.proc.pid, signal.SIGKILL)  # master and workers, mid-write
    server.proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(30)

    server.proc, server.url = start_gunicorn(server.env, server.log, workers=2)
    with server.app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = set(db.session.scalars(select(Opd.code).where(Opd.code.like("K%"))))
        db.session.remove()
    assert acknowledged, "no write was acknowledged before the kill"
    assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged writes are missing"
    # and the restarted server serves again
    assert Browser(server.url).request("GET", "/healthz")[0] == 200
    stop_server(server.proc)


def test_the_same_form_posted_twice_at_once_makes_one_record(server):
    agents = [Browser(server.url) for _ in range(2)]
    for agent in agents:
        agent.login("admin")
    code = "D" + secrets.token_hex(6)
    tokens = [agent.token("/admin/opd/baru") for agent in agents]
    results: list[int] = []
    barrier = threading.Barrier(2)

    def post(i: int) -> None:
        barrier.wait()
        status, _ = agents[i].request(
            "POST",
            "/admin/opd/baru",
            {"code": code, "name": f"Ganda {code}", "short_name": "", "active": "y", "csrf_token": tokens[i]},
        )
        results.append(status)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [302, 422], results  # one saved, one told it already exists
    with server.app.app_context():
        assert db.session.scalar(select(func.count(Opd.id)).where(Opd.code == code)) == 1
        db.session.remove()
