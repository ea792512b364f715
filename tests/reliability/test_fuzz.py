"""Fuzz: hypothesis drives every form a demo role can reach from its dashboard with hostile input
(issue 8 §3 "fuzz") → no response is a 5xx, and no markup sent in comes back unescaped.

The demo data is seeded once; each role signs in, the crawler of tests/web/test_crawl.py walks the
pages reachable from /dasbor, and every ``<form>`` on them is collected (its action, or the page's
URL without one; its fields, without the CSRF token and file inputs). Forms that differ only in the
ids in their URL or field names (one per task, per SOP step, per attendance row) are driven once.
Forms that would end the test's session or lock it out are left alone (``NOT_FUZZED``). Search and
filter forms (``method="get"``) are driven too: they echo their query back, a classic place for
reflected markup. Each POST follows its redirect, so the page that shows what was stored is checked
as well, and after the fuzzing every form's page and every letter and export (PDF, Excel) is fetched
again, to show what the fuzzing stored. Inputs that once broke a form are replayed first (``REPLAY``).

The app answers a view's exception with a 500 as in production (not raised into the test), and the
failure names the exception and the line of Pontive it came from. All failures are collected, not
shrunk, so a run stays bounded however many forms fail. ``FUZZ_EXAMPLES`` (per form, default 10) and
``FUZZ_SEED`` (printed by every run) make a run longer or repeat one; ``FUZZ_VERBOSE=1`` times each form."""

from __future__ import annotations

import os
import random
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from flask import got_request_exception
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st
from werkzeug.wrappers import Response

import pontive
from pontive.accounts.roles import Role
from pontive.cli import DEMO_PASSWORD_DEFAULT
from tests.web.test_crawl import crawl

APP_DIR = str(Path(pontive.__file__).parent)
EXAMPLES_PER_FORM = int(os.environ.get("FUZZ_EXAMPLES", 10))
GET_EXAMPLES_PER_FORM = max(1, EXAMPLES_PER_FORM // 2)
CRAWL_LIMIT = 400  # URLs per role, most of them answered by Recorder without a request

# (pattern of the action path, why it is not fuzzed). Everything else a role can reach is.
NOT_FUZZED = [
    (r"^/keluar$", "logout ends the session"),
    (r"^/akun/kata-sandi$", "a password change ends the other sessions and could leave an unknown password"),
    (r"^/admin/pengguna/\d+/reset-sandi$", "a password reset would lock a demo user out"),
    (r"^/admin/pengguna/\d+/status$", "account (de)activation would lock a demo user out"),
    (r"^/admin/pengguna/\d+/ubah$", "editing a demo user may rename or deactivate it (username, active)"),
    (r"^/admin/pengguna/\d+/peran(/\d+/hapus)?$", "role grants and revokes change what the other roles can reach"),
]
SKIPPED_FIELDS = {"csrf_token"}

# Inputs that once broke a form (each fixed since), replayed on every run before the random ones:
# (pattern of the action path, fields over the page's own values, how many times in a row).
REPLAY = [
    (r"^/kontrak/\d+/ubah$", dict.fromkeys(["total_value", "wage", "bpjs_health", "bpjs_employment"]), 1),
    (r"^/tim/program/(\d+/ubah|baru)$", {"targets-0-description": "Aplikasi", "targets-0-value": "NaN"}, 1),
    (r"^/tim/program/(\d+/ubah|baru)$", {"targets-0-description": "Aplikasi", "targets-0-value": "1e308"}, 1),
    (r"^/kinerja/rencana-aksi/\d+$", {"description": "Modul", "target_value": "1e-400", "unit": "modul"}, 1),
    (r"^/tim/anggota/\d+/perpanjang$", {"decree_number": "800/1/2026", "decree_date": "9999-12-31"}, 1),
    (r"^/admin/seleksi/jurusan$", {"name": "Teknik Informatika İSTANBUL Ñ"}, 2),  # SQL lower() folds ASCII only
    (r"^/katalog$", {"opd": "99999999999999999999999999"}, 1),
    (r"^/penilaian$", {"opd": "2147483648"}, 1),
    (r"^/tim/tugas/\d+/komentar$", {"body": "a\x00b"}, 1),  # PostgreSQL stores no NUL
]

# What a hostile or careless user types. Markers are recognisable in a response body if they come
# back raw; escaped (&lt;b data-fz=…) they are harmless.
MARKUP = [
    '<b data-fz="1">tebal</b>',
    '"><script>fz()</script>',
    "'><b data-fz=2>",
    "</textarea><b data-fz=3>",
    "javascript:fz()",
    "{{ 7*7 }}{% if 1 %}",
]
UNSAFE_ECHO = re.compile(r"<b data-fz=|<script>fz\(|href\s*=\s*[\"']?\s*javascript:fz", re.IGNORECASE)
TEXT = [
    "",
    " ",
    "   \t\n ",
    "Dinas Komunikasi, Informatika, Statistik dan Persandian — Kota Bekasi",
    "Sekretariat Daerah (Setda) Jl. Ir. H. Juanda No. 100",
    "Ñandú Ærøskøbing İstanbul ıi ß",
    "日本語のテキスト 中文 한국어",
    "مرحبا بالعالم",  # RTL: Arabic
    "שלום עולם",  # RTL: Hebrew
    "abc\u202edcba",  # right-to-left override
    "nol\u200blebar\u200d\ufeff",  # zero-width characters
    "👩🏽‍💻🇮🇩",
    "e\u0301\u0301\u0301",  # combining marks
    "a\x00b",  # NUL
    "baris1\r\nbaris2\x0b\x1f",
    "' OR '1'='1",
    "%s %(x)s {0} %n",
    "../../etc/passwd",
    "x" * 256,
    "Bahasa Indonesia panjang sekali. " * 400,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" * 2000,
]
NUMBERS = ["0", "-1", "0,004", "12,5", "12.5", "1e9", "NaN", "inf", "-0", "007", "1.000.000", "1_000", "0x1F"]
NUMBERS += [" 3 ", "٣", "²", "99999999999999999999999999", "-99999999999", "1e308", "1e-400", "2147483648"]
DATES = ["2026-01-15", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "0000-00-00", "0001-01-01"]
DATES += ["9999-12-31", "1900-01-01", "31/12/2026", "2026-1-1", "hari ini", "2026-12-31T23:59", "08:30", "25:61"]


def hostile_values() -> st.SearchStrategy[str]:
    marked = st.builds("{}{}{}".format, st.sampled_from(TEXT[:6]), st.sampled_from(MARKUP), st.sampled_from(TEXT[:6]))
    return st.one_of(
        st.sampled_from(TEXT),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        st.sampled_from(MARKUP),
        marked,
        st.text(max_size=40),
    )


# --- collecting the forms --------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    values: list[str] = field(default_factory=list)  # what the page offers: value attribute, options


@dataclass
class Form:
    method: str
    action: str
    page: str
    role: str
    htmx: bool
    fields: dict[str, Field] = field(default_factory=dict)

    def shape(self) -> tuple:
        """Forms that differ only in ids (task 3 / task 4, SOP step s1- / s2-, rows-0- / rows-1-) are one."""
        path = re.sub(r"\d+", "N", self.action.split("?")[0])
        names = frozenset(re.sub(r"\d+", "N", name) for name in self.fields)
        return self.method, path, names


class FormParser(HTMLParser):
    def __init__(self, page: str, role: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.role = page, role
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list[str] | None = None  # text of an <option> without a value attribute

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or a.get("hx-post") or self.page
            self._form = Form(method, action, self.page, self.role, "hx-post" in a or "hx-get" in a)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "option" and self._select is not None:
            if "value" in a:
                self._select.values.append(a["value"])
            else:
                self._option = []
            return
        if not name or name in SKIPPED_FIELDS:
            return
        kind = a.get("type", "text").lower() if tag == "input" else tag
        if kind == "file" or (tag == "button" and a.get("type", "submit") != "submit") or kind == "reset":
            return
        entry = form.fields.setdefault(name, Field(name, kind))
        if "value" in a:
            entry.values.append(a["value"])
        elif kind == "checkbox":
            entry.values.append("y")
        if tag == "select":
            self._select = entry

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            self._select.values.append("".join(self._option).strip())
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


class Recorder:
    """Stands in for the test client in ``crawl``: passes GETs through and keeps each HTML page.

    Pages that differ only in ids (catalogue entry 1…50, calendar month after month) hold the same
    forms, so after ``per_shape`` of them the rest are answered here with an empty 204 that the
    crawler does not follow; downloads (PDF, Excel, files) hold no forms and are answered so too."""

    DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv)(\?|$)|^/berkas/")

    def __init__(self, client, per_shape: int = 3) -> None:
        self.client, self.per_shape = client, per_shape
        self.pages: dict[str, str] = {}
        self.downloads: list[str] = []  # one of each shape, fetched after the fuzzing
        self.shapes: Counter[str] = Counter()
        self.requests = 0

    def get(self, url: str, **kwargs):
        shape = re.sub(r"\d+", "N", url)
        self.shapes[shape] += 1
        if self.DOWNLOAD.search(url):
            if self.shapes[shape] == 1:
                self.downloads.append(url)
            return Response(status=204)
        if self.shapes[shape] > self.per_shape:
            return Response(status=204)
        response = self.client.get(url, **kwargs)
        self.requests += 1
        if response.status_code == 200 and response.mimetype == "text/html":
            self.pages[url] = response.get_data(as_text=True)
        return response


def not_fuzzed_reason(form: Form) -> str | None:
    path = form.action.split("?")[0]
    return next((why for pattern, why in NOT_FUZZED if re.search(pattern, path)), None)


# --- driving them ----------------------------------------------------------------------------------


def field_strategy(entry: Field) -> st.SearchStrategy:
    """None leaves the field out; a list sends it repeated (checkboxes); otherwise one value."""
    hostile = hostile_values()
    offered = st.sampled_from(entry.values) if entry.values else hostile
    if entry.kind in ("checkbox", "select") and len(entry.values) > 1:
        many = st.lists(st.one_of(offered, hostile), max_size=3)
        return st.one_of(st.none(), offered, hostile, many)
    if entry.kind in ("hidden", "button", "submit", "radio", "checkbox", "select"):
        return st.one_of(st.none(), offered, hostile)
    typed = {"number": NUMBERS, "date": DATES, "time": DATES, "month": DATES}.get(entry.kind)
    if typed:
        return st.one_of(st.none(), offered, st.sampled_from(typed), hostile)
    return st.one_of(st.none(), offered, hostile)


@dataclass
class RoleClient:
    role: str
    client: object
    password: str
    crashes: Crashes
    requests: int = 0
    relogins: int = 0

    def login(self) -> bool:
        response = self.client.post("/masuk", data={"username": self.role, "password": self.password})
        self.requests += 1
        return response.status_code == 302


def ended(response) -> bool:
    """The request landed on the sign-in page: the session is gone (401 for htmx requests)."""
    return response.status_code == 401 or response.request.path == "/masuk"


def where(form: Form, values: dict, hx: bool) -> str:
    return f"{form.role} {form.method.upper()} {form.action} (from {form.page}, htmx={hx}) with {values!r}"


class Crashes:
    """The exceptions behind 500 answers (the fuzzing app answers them as production does, instead of
    raising them into the test), each named by its type, message and the line of our code it came from."""

    def __init__(self, app) -> None:
        self.last: str | None = None
        got_request_exception.connect(self._record, app, weak=False)

    def _record(self, sender, exception: BaseException, **extra) -> None:
        ours = [f for f in traceback.extract_tb(exception.__traceback__) if f.filename.startswith(APP_DIR)]
        at = f" at {ours[-1].filename}:{ours[-1].lineno}" if ours else ""
        self.last = f"{type(exception).__name__}: {str(exception).splitlines()[0][:300] if str(exception) else ''}{at}"

    def pop(self) -> str:
        last, self.last = self.last, None
        return f" ({last})" if last else ""


def send(session: RoleClient, form: Form, values: dict, hx: bool):
    data = {name: value for name, value in values.items() if value is not None}
    headers = {"HX-Request": "true"} if hx else {}
    if form.method == "post":
        response = session.client.post(form.action, data=data, headers=headers, follow_redirects=True)
    else:
        response = session.client.get(form.action.split("?")[0], query_string=data, headers=headers)
    session.requests += 1 + len(response.history)
    return response


def check(session: RoleClient, form: Form, values: dict, hx: bool, response) -> None:
    for answer in [*response.history, response]:
        assert answer.status_code < 500, (
            f"{answer.status_code}{session.crashes.pop()} on {answer.request.path}: {where(form, values, hx)}"
        )
        if answer.mimetype == "text/html":
            echo = UNSAFE_ECHO.search(answer.get_data(as_text=True))
            assert echo is None, f"unescaped {echo.group(0)!r} on {answer.request.path}: {where(form, values, hx)}"


def replays(form: Form) -> list[dict]:
    """The inputs of REPLAY for this form, over the values its page offers (so the rest validates)."""
    path = form.action.split("?")[0]
    offered = {name: (entry.values[0] if entry.values else None) for name, entry in form.fields.items()}
    found = []
    for pattern, fields, times in REPLAY:
        if re.search(pattern, path):
            names = {re.sub(r"^(s|d)\d+-", "", name): name for name in form.fields}  # SOP steps prefix their fields
            values = {**offered, **{names.get(name, name): value for name, value in fields.items()}}
            found += [values] * times
    return found


def fuzz_form(session: RoleClient, form: Form, examples: int, run_seed: int) -> None:
    fields = st.fixed_dictionaries({name: field_strategy(entry) for name, entry in form.fields.items()})

    def drive(values: dict, hx: bool) -> None:
        response = send(session, form, values, hx)
        if ended(response):
            session.relogins += 1
            assert session.login(), f"{session.role} could not sign in again after {form.action}"
            return
        check(session, form, values, hx, response)

    test = given(values=fields, hx=st.booleans() if form.htmx else st.just(False))(drive)
    for values in replays(form):  # explicit examples run first, every time
        test = example(values=values, hx=False)(test)
    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found, in bounded time
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(test)
    seed(run_seed)(test)()


def test_every_reachable_form_survives_hostile_input(runner, make_app, db):
    started = time.monotonic()
    app = make_app(PROPAGATE_EXCEPTIONS=False)  # same database; a view's exception is a 500, as in production
    crashes = Crashes(app)
    run_seed = int(os.environ.get("FUZZ_SEED") or random.randrange(2**32))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT

    # Crawl every role first, on the untouched demo data; each form shape goes to the first role
    # that reaches it.
    sessions: dict[str, RoleClient] = {}
    downloads: list[tuple[str, str]] = []
    forms: dict[tuple, Form] = {}
    not_fuzzed: dict[str, str] = {}
    for role in (r.value for r in Role):
        session = sessions[role] = RoleClient(role, app.test_client(), password, crashes)
        assert session.login(), role
        recorder = Recorder(session.client)
        crawl(recorder, "/dasbor", limit=CRAWL_LIMIT)
        session.requests += recorder.requests
        downloads += [(role, url) for url in recorder.downloads]
        for url, body in recorder.pages.items():
            parser = FormParser(url, role)
            parser.feed(body)
            for form in parser.forms:
                reason = not_fuzzed_reason(form)
                if reason:
                    not_fuzzed[form.action] = reason
                else:
                    forms.setdefault(form.shape(), form)
    crawled = time.monotonic() - started
    assert sum(form.method == "post" for form in forms.values()) > 20, sorted(forms)

    failures: list[str] = []
    # Roles that change others' data (admin, ketua) go last, so they disturb fewer of the rest.
    order = {role: n for n, role in enumerate(sessions)} | {"ketua": 100, "admin": 101}
    for form in sorted(forms.values(), key=lambda f: (order[f.role], f.method != "get", f.action)):
        examples = EXAMPLES_PER_FORM if form.method == "post" else GET_EXAMPLES_PER_FORM
        t0 = time.monotonic()
        try:
            fuzz_form(sessions[form.role], form, examples, run_seed)
        except (AssertionError, ExceptionGroup) as exc:  # hypothesis groups distinct failures of one form
            found = exc.exceptions if isinstance(exc, ExceptionGroup) else [exc]
            failures += [str(one).splitlines()[0] for one in found]
        if os.environ.get("FUZZ_VERBOSE"):
            print(
                f"{time.monotonic() - t0:6.2f}s {form.role} {form.method} {form.action} ({len(replays(form))} replayed)"
            )

    # What the fuzzing stored, shown again: each form's page, and the letters and exports (PDF, Excel).
    for role, url in sorted({(form.role, form.page) for form in forms.values()}) + downloads:
        sessions[role].requests += 1
        response = sessions[role].client.get(url)
        body = response.get_data(as_text=response.mimetype == "text/html")  # a streamed export runs to its end
        response.close()
        echo = UNSAFE_ECHO.search(body) if response.mimetype == "text/html" else None
        if response.status_code >= 500 or echo:
            found = f"unescaped {echo.group(0)!r}" if echo else f"{response.status_code}{crashes.pop()}"
            failures.append(f"{found} on {role} GET {url} after the fuzzing")

    posts = sum(form.method == "post" for form in forms.values())
    requests = sum(s.requests for s in sessions.values())
    print(
        f"\nfuzz: {posts} POST and {len(forms) - posts} GET forms of {len(sessions)} roles, "
        f"{len(not_fuzzed)} left alone, {requests} requests ({sum(s.relogins for s in sessions.values())} re-logins) "
        f"in {time.monotonic() - started:.0f}s (crawl {crawled:.0f}s), seed {run_seed} (FUZZ_SEED to repeat)"
    )
    assert not failures, f"{len(failures)} forms failed (FUZZ_SEED={run_seed}):\n" + "\n".join(failures)
