"""Load: 50 concurrent users, 80 % reads and 20 % writes, for a bounded time (issue 8 §3):
no 5xx, no "database is locked", and every acknowledged write is there afterwards."""

from __future__ import annotations

import random
import secrets
import threading
import time

from sqlalchemy import select

from pontive.accounts.models import Opd
from pontive.extensions import db
from tests.reliability.conftest import Browser, soak_seconds

USERS = 50
READS = {
    "admin": ["/dasbor", "/admin/opd", "/admin/pengguna", "/admin/audit"],
    "koordinator": ["/dasbor", "/tim/papan", "/rapat"],
    "anggota": ["/dasbor", "/tim/tugas-saya", "/kinerja/laporan"],
    "ketua": ["/dasbor", "/tim/anggota", "/panitia"],
}


def test_fifty_users_read_and_write_without_errors_or_lost_writes(server):
    duration = soak_seconds(8)
    acknowledged: set[str] = set()
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(n: int) -> None:
        rng = random.Random(n)
        role = ["admin", "koordinator", "anggota", "ketua"][n % 4]
        agent = Browser(server.url)
        try:
            agent.login(role)
        except AssertionError as exc:
            with lock:
                errors.append(str(exc))
            return
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            if role == "admin" and rng.random() < 0.8 or role != "admin":
                status, _ = agent.request("GET", rng.choice(READS[role]))
            else:
                code = "L" + secrets.token_hex(6)
                token = agent.token("/admin/opd/baru")
                status, _ = agent.request(
                    "POST",
                    "/admin/opd/baru",
                    {"code": code, "name": f"Beban {code}", "short_name": "", "active": "y", "csrf_token": token},
                )
                if status == 302:
                    with lock:
                        acknowledged.add(code)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 180)
    assert not errors, errors
    assert statuses, "no request was made"
    assert not [s for s in statuses if s >= 500], f"{sum(s >= 500 for s in statuses)} responses were 5xx"
    assert "database is locked" not in server.log_text()
    with server.app.app_context():
        stored = set(db.session.scalars(select(Opd.code).where(Opd.code.like("L%"))))
        db.session.remove()
    assert acknowledged, "no write was acknowledged"
    assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged writes are missing"
