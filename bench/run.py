"""`make bench`: seed a fresh database at each scale, serve it with gunicorn on loopback, drive the main
pages and fragments of every role under load, and report each page against the budgets of issue 8 §2.

    BENCH_SCALES=1,10        the scales to run (seed-demo --scale N), in order
    BENCH_SECONDS=3          how long each page is driven
    BENCH_WORKERS=<cores>    gunicorn sync workers (default: the machine's cores)
    BENCH_CLIENTS=<workers>  concurrent clients per page (PDF and Excel downloads: one)
    BENCH_ONLY=text          only the pages whose name contains text (comma-separated alternatives)
    BENCH_DATABASE_URL=…     PostgreSQL: a database per scale is made beside this one (and dropped)
    BENCH_RESULTS=bench/results   where the CSV files go
    BENCH_KEEP=1             keep the temporary folders (databases, gunicorn logs)

The server counts each request's SQL statements (PONTIVE_QUERY_COUNT=1 → X-Query-Count)."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, report  # noqa: E402
from bench.pages import Page, discover, pages  # noqa: E402

PASSWORD = os.environ.get("DEMO_PASSWORD") or "pontive-demo"
# Sign-ins are not what is measured: cheap hashes for the demo users (the hash carries its parameters).
CHEAP_HASHES = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192, "ARGON2_PARALLELISM": 1}
COUNTED_TABLES = {
    "OPDs": "opd",
    "users": '"user"',
    "memberships (active)": "membership WHERE status = 'active'",
    "contracts": "contract",
    "applications (selection)": "application",
    "tasks": "task",
    "action plans": "action_plan",
    "monthly reports": "monthly_report",
    "leave requests": "leave_request",
    "catalogue applications": "city_application",
    "audit log": "audit_log",
}


def _env_list(name: str, default: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, default).replace(" ", "").split(",") if x]


def _database(tmp: Path, scale: int):
    """A SQLite file in ``tmp``, or a fresh PostgreSQL database beside BENCH_DATABASE_URL."""
    from tests.liveserver import server_database

    base = os.environ.get("BENCH_DATABASE_URL")
    previous = os.environ.get("TEST_DATABASE_URL")
    if base:
        os.environ["TEST_DATABASE_URL"] = base
    else:
        os.environ.pop("TEST_DATABASE_URL", None)
    try:
        return server_database(tmp, f"bench_s{scale}")
    finally:
        if previous is None:
            os.environ.pop("TEST_DATABASE_URL", None)
        else:
            os.environ["TEST_DATABASE_URL"] = previous


def _status_text(statuses: dict[int, int]) -> str:
    return ",".join(f"{code}:{n}" for code, n in sorted(statuses.items()))


class Bench:
    def __init__(self, scale: int, seconds: float, clients: int) -> None:
        self.scale, self.seconds, self.clients = scale, seconds, clients
        self.agents: dict[str, load.Agent] = {}
        self.rows: list[report.Row] = []
        self.base_url = ""

    def agent(self, username: str) -> load.Agent:
        if username not in self.agents:
            agent = load.Agent(self.base_url)
            if username:
                agent.sign_in(username, PASSWORD)
            self.agents[username] = agent
        return self.agents[username]

    def measure(self, page: Page) -> report.Row:
        row = report.Row(self.scale, page.name, page.role or "-", page.kind, page.path)
        try:
            agent = self.agent(page.role)
        except (RuntimeError, OSError) as exc:
            row.misses.append(f"sign-in failed: {exc}")
            return row
        headers = page.request_headers(self.base_url)
        # Warm-up: one view per worker (templates compiled, caches filled); the last one is inspected.
        first = None
        for _ in range(2):
            first = load.view_once(agent, page.path, headers, [])
        main = first[0]
        fragments = load.self_loading_fragments(main.text) if page.kind == "page" and main.status == 200 else []
        replies = [main] + [
            agent.get(url, {"HX-Request": "true", "HX-Current-URL": self.base_url + page.path}) for url in fragments
        ]
        counts = [r.queries for r in replies]
        row.fragments = " ".join(fragments)
        row.requests_per_view = len(replies)
        if all(c is not None for c in counts):
            row.queries = max(counts)
            row.queries_per_view = sum(counts)
            row.query_list = "+".join(str(c) for c in counts)
        row.bytes = len(main.body)
        row.bytes_per_view = sum(len(r.body) for r in replies)
        row.not_fragment = page.kind == "fragment" and b"<html" in main.body[:2000].lower()
        if main.status != 200:
            row.status = f"{main.status}:1"
            row.misses.append(f"warm-up answered {main.status}")
            return row
        downloads = page.kind in ("pdf", "xlsx")
        sample = load.drive(
            dict(agent.cookies),
            self.base_url,
            page.path,
            headers,
            fragments,
            clients=1 if downloads else self.clients,
            seconds=self.seconds,
            min_views=3 if downloads else 10,
        )
        row.status = _status_text(sample.statuses)
        row.views = len(sample.latencies_ms)
        row.p50_ms, row.p95_ms, row.p99_ms = (sample.percentile(p) for p in (50, 95, 99))
        row.per_s = sample.per_second
        if downloads:
            row.rows = _rows_in(main)
        if sample.errors:
            row.misses.append(f"{len(sample.errors)} connection errors ({sample.errors[0]})")
        return row


def _rows_in(reply: load.Reply) -> int | None:
    """Data rows of an .xlsx download (its auto-filter range says how many)."""
    if not reply.headers.get("content-type", "").startswith("application/vnd.openxmlformats"):
        return None
    import io
    import re
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(reply.body)) as z:
            sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
            match = re.search(rb'<autoFilter ref="[A-Z]+1:[A-Z]+(\d+)"', z.read(sheet))
    except (zipfile.BadZipFile, StopIteration):
        return None
    return int(match.group(1)) - 1 if match else None


def excel_in_process(app, scale: int) -> list[report.Row]:
    """The catalogue's Excel export in this process: 2,000 and 20,000 rows (real rows of this database,
    repeated) through the same writer, timed, then again under tracemalloc for the peak memory; and the
    whole catalogue of this scale as the download builds it."""
    from sqlalchemy import select

    from pontive.accounts.models import User
    from pontive.catalogue.views import Filters, _export_headers, _export_rows
    from pontive.core.excel import write_xlsx
    from pontive.extensions import db

    rows: list[report.Row] = []
    with app.test_request_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        headers = _export_headers(True)
        sample = list(itertools.islice(_export_rows(Filters(), admin, True), 1000))

        def run(label: str, make_rows, expected: int | None) -> report.Row:
            row = report.Row(scale, label, "admin", "xlsx-mem", "(in-process)")
            with tempfile.TemporaryFile() as fh:
                begin = time.perf_counter()
                row.rows = write_xlsx(fh, "Katalog aplikasi", headers, make_rows())
                row.p50_ms = (time.perf_counter() - begin) * 1000
                row.bytes = fh.tell()
            gc.collect()
            tracemalloc.start()
            with tempfile.TemporaryFile() as fh:
                write_xlsx(fh, "Katalog aplikasi", headers, make_rows())
            row.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
            if expected is not None and row.rows != expected:
                row.misses.append(f"{row.rows} rows written, {expected} asked")
            return row

        for n in (2_000, report.EXCEL_ROWS):
            rows.append(
                run(
                    f"Excel export, {n:,} rows (in-process)",
                    lambda n=n: itertools.islice(itertools.cycle(sample), n),
                    n,
                )
            )
        report.check_excel(rows[1], rows[0])
        whole = run("Excel export, whole catalogue (in-process)", lambda: _export_rows(Filters(), admin, True), None)
        whole.page = "Excel export, whole catalogue from the database (in-process)"
        rows.append(whole)
        db.session.remove()
    return rows


def run_scale(
    scale: int, seconds: float, clients: int, workers: int, keep: bool, only: list[str]
) -> tuple[list[report.Row], dict]:
    from sqlalchemy import text

    from pontive.extensions import db
    from tests.liveserver import prepare_database, start_gunicorn, stop_server

    tmp = Path(tempfile.mkdtemp(prefix=f"pontive-bench-s{scale}-"))
    database_url, drop = _database(tmp, scale)
    secret = secrets.token_hex(32)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": tmp,
        "UPLOAD_DIR": tmp / "uploads",
        "SECRET_KEY": secret,
        **CHEAP_HASHES,
    }
    info: dict = {"scale": scale, "database": database_url.split("@")[-1]}
    proc = None
    try:
        print(f"\n== scale {scale}: seeding {info['database']} …", flush=True)
        begin = time.perf_counter()
        app = prepare_database(config, PASSWORD, scale)
        info["seed_s"] = time.perf_counter() - begin
        with app.app_context():
            info["counts"] = {
                label: db.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()  # noqa: S608 - fixed names
                for label, table in COUNTED_TABLES.items()
            }
            found = discover(db.session, dt.date.today())
            db.session.remove()
        print(f"   seeded in {info['seed_s']:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in info["counts"].items()))
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PONTIVE_INSTANCE": str(tmp),
            "UPLOAD_DIR": str(tmp / "uploads"),
            "SECRET_KEY": secret,
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "API_RATE_LIMIT": "100000 per minute",
            "PONTIVE_QUERY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
        }
        proc, url = start_gunicorn(env, tmp / "gunicorn.log", workers=workers)
        bench = Bench(scale, seconds, clients)
        bench.base_url = url
        todo = [p for p in pages(found) if p.kind == "floor" or not only or any(o in p.name for o in only)]
        print(
            f"   gunicorn ({workers} workers) on {url}; {len(todo)} pages × {seconds:g} s, {clients} clients",
            flush=True,
        )
        for n, page in enumerate(todo, 1):
            row = bench.measure(page)
            bench.rows.append(row)
            print(
                f"   [{n:>2}/{len(todo)}] {page.name[:56]:56} p95 {report._fmt(row.p95_ms):>7} ms  "
                f"q {'' if row.queries_per_view is None else row.queries_per_view:>3}  {row.status}",
                flush=True,
            )
        end_floor = bench.measure(Page("/healthz (floor, again at the end)", "", "/healthz", "floor"))
        bench.rows.append(end_floor)
        stop_server(proc)
        proc = None
        if not only or any(o in "Excel export (in-process)" for o in only):
            print("   Excel export in-process …", flush=True)
            bench.rows.extend(excel_in_process(app, scale))
        with app.app_context():
            db.engine.dispose()
        return bench.rows, info
    finally:
        if proc is not None:
            stop_server(proc)
        if drop is not None:
            drop()
        if keep:
            print(f"   kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def floor_of(rows: list[report.Row]) -> float | None:
    values = [r.p95_ms for r in rows if r.kind == "floor" and r.p95_ms]
    return sum(values) / len(values) if values else None


def rebuild_summary(date: str, out: Path) -> int:
    """`bench/run.py --summary 2026-11-23`: the summary again from that day's per-scale files."""
    files = sorted(out.glob(f"{date}-[0-9]*.csv"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    rows = [row for path in files for row in report.read_csv(path)]
    report.write_summary(out / f"{date}-summary.csv", [r for r in rows if r.kind != "seed"])
    print(report.table([r for r in rows if r.kind != "seed"]))
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        return rebuild_summary(sys.argv[2], Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results")))
    scales = _env_list("BENCH_SCALES", "1,10")
    seconds = float(os.environ.get("BENCH_SECONDS", "3"))
    # As many workers as cores and as many clients as workers: every request has a worker and a core, so a
    # page's latency is its own cost, not the time it queued behind others (requests per second shows
    # throughput). BENCH_CLIENTS above the workers measures the queue.
    workers = int(os.environ.get("BENCH_WORKERS") or os.cpu_count() or 2)
    clients = int(os.environ.get("BENCH_CLIENTS") or workers)
    only = [o for o in (os.environ.get("BENCH_ONLY") or "").split(",") if o]
    keep = os.environ.get("BENCH_KEEP") == "1"
    out = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    date = dt.date.today().isoformat()

    all_rows: list[report.Row] = []
    infos = []
    for scale in scales:
        rows, info = run_scale(scale, seconds, clients, workers, keep, only)
        infos.append(info)
        floor = floor_of(rows)
        info["floor_p95_ms"] = floor
        base = {r.page: r for r in all_rows if r.scale == scales[0]} if scale != scales[0] else {}
        for r in rows:
            if r.kind != "xlsx-mem":
                report.check(r, floor, base.get(r.page))
            elif r.page.startswith("Excel export, whole") and base.get(r.page) and base[r.page].peak_kib:
                # The whole catalogue at scale 10 has ten times the rows: its peak must not follow them.
                r.x10 = (r.peak_kib or 0) / base[r.page].peak_kib
                if r.x10 > report.EXCEL_MEMORY_GROWTH:
                    r.misses.append(f"memory ×{r.x10:.1f} with the data")
        all_rows.extend(rows)
        seed_row = report.Row(scale, "seed-demo (seconds)", "-", "seed", f"--scale {scale}")
        seed_row.p50_ms = info["seed_s"] * 1000
        all_rows.append(seed_row)
        report.write_csv(out / f"{date}-{scale}.csv", [r for r in all_rows if r.scale == scale])

    print()
    print(report.table([r for r in all_rows if r.kind != "seed"]))
    print()
    for info in infos:
        print(
            f"scale {info['scale']}: seeded in {info['seed_s']:.0f} s; /healthz p95 floor "
            f"{report._fmt(info['floor_p95_ms'])} ms; " + ", ".join(f"{k} {v:,}" for k, v in info["counts"].items())
        )
    missing = sorted({r.page for r in all_rows if r.misses})
    print(f"\n{len(missing)} of {len({r.page for r in all_rows})} rows miss a budget.")
    report.write_summary(out / f"{date}-summary.csv", [r for r in all_rows if r.kind != "seed"])
    print(f"Results: {out}/{date}-{{{','.join(str(s) for s in scales)},summary}}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
