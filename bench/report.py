"""The budgets of issue 8 §2, the one table `make bench` prints, and its CSV files."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

# --- budgets (issue 8 §2) --------------------------------------------------------------------------------

P95_MS = {"page": 50.0, "fragment": 20.0, "pdf": 500.0, "xlsx": 3000.0}
SCALE_RATIO = 1.5  # p95 at scale 10 ≤ 1.5 × scale 1
MAX_QUERIES = 12  # per request, and the same at both scales
FRAGMENT_BYTES = 15 * 1024
EXCEL_ROWS = 20_000  # the export budget's size: ≤ 3 s, memory that does not grow with the rows
EXCEL_SECONDS = 3.0
EXCEL_MEMORY_GROWTH = 1.5  # peak at 20,000 rows ≤ 1.5 × the peak at 2,000 rows: flat, not ×10


@dataclass
class Row:
    scale: int
    page: str
    role: str
    kind: str
    path: str
    status: str = ""
    views: int = 0
    requests_per_view: int = 1
    fragments: str = ""  # the self-loading fragments fetched with the page
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    per_s: float | None = None
    queries: int | None = None  # the most any one request of the view ran
    queries_per_view: int | None = None  # all requests of the view together
    query_list: str = ""  # per request, "8+3" for a page and its fragment
    bytes: int | None = None  # of the page's own response
    bytes_per_view: int | None = None
    floor_ratio: float | None = None  # p95 ÷ the /healthz p95 of the same run
    x10: float | None = None  # p95 at scale 10 ÷ p95 at scale 1 (on the scale-10 row)
    x10_floor: float | None = None  # the same, each p95 first divided by its run's floor
    rows: int | None = None  # exports: data rows
    peak_kib: float | None = None  # in-process exports: tracemalloc peak
    not_fragment: bool = False
    misses: list[str] = field(default_factory=list)


CSV_FIELDS = [f.name for f in fields(Row)]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def check(row: Row, floor_p95: float | None, at_scale_1: Row | None) -> None:
    """Fill in the ratios and list what misses a budget. Latency misses say whether they would
    still miss once the /healthz floor (what this machine's load adds to every request) is taken off."""
    misses = row.misses
    if row.status and not all(s.split(":")[0][:1] in "23" for s in row.status.split(",")):
        misses.append(f"HTTP {row.status}")
    if row.p95_ms is not None and floor_p95:
        row.floor_ratio = row.p95_ms / floor_p95
    budget = P95_MS.get(row.kind)
    budget_applies = row.kind in ("pdf", "xlsx") or row.scale == 1
    if budget and budget_applies and row.p95_ms is not None and row.p95_ms > budget:
        net = row.p95_ms - (floor_p95 or 0)
        verdict = "ok" if net <= budget else "miss"
        misses.append(f"p95 {row.p95_ms:.0f}>{budget:.0f}ms (net of floor {net:.0f}: {verdict})")
    if row.kind in ("page", "fragment", "pdf", "xlsx"):
        if row.queries is not None and row.queries > MAX_QUERIES:
            misses.append(f"queries {row.queries}>{MAX_QUERIES}")
        if row.kind == "fragment" and row.bytes is not None and row.bytes > FRAGMENT_BYTES:
            misses.append(f"fragment {row.bytes / 1024:.1f}>15KB")
        if row.not_fragment:
            misses.append("not a fragment (whole page)")
    if at_scale_1 is not None and row.kind != "floor":
        if at_scale_1.p95_ms and row.p95_ms is not None:
            # An export holds every row: ten times the rows is ten times the work. What must not grow is
            # the cost of a row (its memory is checked in-process), so an export's ratio is per row.
            per_row = row.rows / at_scale_1.rows if row.kind == "xlsx" and row.rows and at_scale_1.rows else 1
            row.x10 = row.p95_ms / at_scale_1.p95_ms / per_row
            if at_scale_1.floor_ratio and row.floor_ratio:
                row.x10_floor = row.floor_ratio / at_scale_1.floor_ratio / per_row
            if row.x10 > SCALE_RATIO:
                note = f"÷floor {row.x10_floor:.2f}: {'ok' if row.x10_floor <= SCALE_RATIO else 'miss'}"
                misses.append(f"x10 {row.x10:.2f}>{SCALE_RATIO}" + (f" ({note})" if row.x10_floor else ""))
        if at_scale_1.query_list and row.query_list and at_scale_1.query_list != row.query_list:
            misses.append(f"queries {at_scale_1.query_list}→{row.query_list} with the data")


def check_excel(row: Row, small: Row | None) -> None:
    """In-process export rows: the time of 20,000 rows, and its peak memory against 2,000 rows'."""
    if row.rows == EXCEL_ROWS and row.p50_ms is not None and row.p50_ms > EXCEL_SECONDS * 1000:
        row.misses.append(f"{row.p50_ms / 1000:.1f}>{EXCEL_SECONDS:.0f}s")
    if small is not None and small.peak_kib and row.peak_kib:
        growth = row.peak_kib / small.peak_kib
        row.x10 = growth
        if growth > EXCEL_MEMORY_GROWTH:
            row.misses.append(f"memory ×{growth:.1f} for ×{row.rows // (small.rows or 1)} rows")


# --- output ----------------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    """One table: each page's scale-1 line then its scale-10 line."""
    head = (
        f"{'page':52} {'kind':8} {'sc':>3} {'p50':>7} {'p95':>7} {'p99':>7} {'/s':>6} {'q':>3} {'q/view':>7} "
        f"{'KB':>7} {'×floor':>7} {'x10':>5} {'peakMB':>6}  misses"
    )
    lines = [head, "-" * len(head)]
    order: dict[str, int] = {}
    for r in rows:
        order.setdefault(r.page, len(order))
    for r in sorted(rows, key=lambda r: (order[r.page], r.scale)):
        size = r.bytes_per_view if r.bytes_per_view is not None else r.bytes
        lines.append(
            f"{r.page[:52]:52} {r.kind:8} {r.scale:>3} {_fmt(r.p50_ms):>7} {_fmt(r.p95_ms):>7} {_fmt(r.p99_ms):>7} "
            f"{_fmt(r.per_s):>6} {'' if r.queries is None else r.queries:>3} "
            f"{'' if r.queries_per_view is None else r.queries_per_view:>7} "
            f"{'' if size is None else f'{size / 1024:.1f}':>7} {_fmt(r.floor_ratio):>7} {_fmt(r.x10, 2):>5} "
            f"{'' if r.peak_kib is None else f'{r.peak_kib / 1024:.1f}':>6}  " + "; ".join(r.misses)
        )
    return "\n".join(lines)


def _csv_value(value):
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return "" if value is None else value


def write_csv(path: Path, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: _csv_value(v) for k, v in asdict(r).items()})


SUMMARY_FIELDS = [
    "page",
    "role",
    "kind",
    "path",
    "p50_ms_scale1",
    "p50_ms_scale10",
    "p95_ms_scale1",
    "p95_ms_scale10",
    "x10",
    "x10_floor",
    "floor_ratio_scale1",
    "floor_ratio_scale10",
    "queries_scale1",
    "queries_scale10",
    "bytes_scale1",
    "bytes_scale10",
    "rows_scale1",
    "rows_scale10",
    "peak_kib_scale1",
    "peak_kib_scale10",
    "misses_scale1",
    "misses_scale10",
]


def read_csv(path: Path) -> list[Row]:
    """The rows of a per-scale CSV file, to rebuild a summary without running again."""
    types = {f.name: f.type for f in fields(Row)}
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for record in csv.DictReader(fh):
            values: dict = {}
            for name, text in record.items():
                kind = str(types.get(name, "str"))
                if name == "misses":
                    values[name] = [m for m in text.split("; ") if m]
                elif name == "not_fragment":
                    values[name] = text == "yes"
                elif text == "":
                    values[name] = "" if kind == "str" else None
                elif "float" in kind:
                    values[name] = float(text)
                elif "int" in kind:
                    values[name] = int(text)
                else:
                    values[name] = text
            rows.append(Row(**values))
    return rows


def write_summary(path: Path, rows: list[Row]) -> None:
    """Per page, both scales side by side (any scales: the columns are named after the first two)."""
    scales = sorted({r.scale for r in rows})
    first, last = scales[0], scales[-1]
    by_page: dict[str, dict[int, Row]] = {}
    for r in rows:
        by_page.setdefault(r.page, {})[r.scale] = r
    names = [
        f.replace("scale1", f"scale{first}").replace("scale10", f"scale{last}") if first != last else f
        for f in SUMMARY_FIELDS
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for page, at in by_page.items():
            a, b = at.get(first), at.get(last) if last != first else None
            any_row = a or b
            writer.writerow(
                [
                    page,
                    any_row.role,
                    any_row.kind,
                    any_row.path,
                    _csv_value(a.p50_ms if a else None),
                    _csv_value(b.p50_ms if b else None),
                    _csv_value(a.p95_ms if a else None),
                    _csv_value(b.p95_ms if b else None),
                    _csv_value(b.x10 if b else None),
                    _csv_value(b.x10_floor if b else None),
                    _csv_value(a.floor_ratio if a else None),
                    _csv_value(b.floor_ratio if b else None),
                    _csv_value(a.queries_per_view if a else None),
                    _csv_value(b.queries_per_view if b else None),
                    _csv_value(a.bytes_per_view if a else None),
                    _csv_value(b.bytes_per_view if b else None),
                    _csv_value(a.rows if a else None),
                    _csv_value(b.rows if b else None),
                    _csv_value(a.peak_kib if a else None),
                    _csv_value(b.peak_kib if b else None),
                    _csv_value(a.misses if a else None),
                    _csv_value(b.misses if b else None),
                ]
            )
