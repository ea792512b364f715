"""A small threaded HTTP load generator on http.client: signed-in clients that fetch a page (and the
fragments it loads by itself) over and over for a bounded time, and the statistics of what they saw."""

from __future__ import annotations

import http.client
import http.cookies
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

TIMEOUT_S = 120
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# An element that fetches a fragment by itself once it is on the page (or scrolled into view).
SELF_LOADING = re.compile(r"<[^>]*\bhx-trigger=\"([^\"]*)\"[^>]*>", re.IGNORECASE)
HX_GET = re.compile(r"\bhx-get=\"([^\"]+)\"", re.IGNORECASE)
TRIGGER_WORDS = re.compile(r"(?:^|[\s,])(load|revealed)\b")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes
    ms: float

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None and value.isdigit() else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Agent:
    """One user agent: its cookies, and requests on a fresh connection each (gunicorn's sync workers
    close the connection after every response anyway)."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.base_url = base_url
        self.cookies = dict(cookies or {})

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, form: dict[str, str] | None = None
    ) -> Reply:
        sent = {"Accept-Language": "id", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            received = {k.lower(): v for k, v in response.getheaders()}
            jar = http.cookies.SimpleCookie()
            for value in response.headers.get_all("Set-Cookie") or []:
                jar.load(value)
        finally:
            conn.close()
        cookies = {name: morsel.value for name, morsel in jar.items()}
        self.cookies.update(cookies)
        return Reply(response.status, received, cookies, data, elapsed)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers)

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/masuk")
        match = CSRF.search(page.text)
        if page.status != 200 or not match:
            raise RuntimeError(f"no sign-in form ({page.status})")
        reply = self.request(
            "POST", "/masuk", form={"username": username, "password": password, "csrf_token": match.group(1)}
        )
        if reply.status != 302:
            raise RuntimeError(f"{username} could not sign in ({reply.status})")


def self_loading_fragments(html: str) -> list[str]:
    """The hx-get URLs of elements that load themselves: hx-trigger "load" or "revealed"."""
    found = []
    for tag in SELF_LOADING.finditer(html):
        if TRIGGER_WORDS.search(tag.group(1)):
            url = HX_GET.search(tag.group(0))
            if url:
                found.append(url.group(1).replace("&amp;", "&"))
    return found


@dataclass
class Sample:
    """What the clients saw of one page: the latency of every view of it (the page and its
    self-loading fragments, one after the other), the statuses and the bytes."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    requests: int = 0
    bytes: int = 0
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))  # nearest rank
        return ordered[rank - 1]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0


def view_once(agent: Agent, path: str, headers: dict[str, str], fragments: list[str]) -> list[Reply]:
    """One view as a browser would make it: the page, then each fragment it loads by itself."""
    replies = [agent.get(path, headers)]
    for url in fragments:
        replies.append(agent.get(url, {"HX-Request": "true", "HX-Current-URL": agent.base_url + path}))
    return replies


def drive(
    agent_cookies: dict[str, str],
    base_url: str,
    path: str,
    headers: dict[str, str],
    fragments: list[str],
    clients: int,
    seconds: float,
    min_views: int = 1,
) -> Sample:
    """``clients`` threads view the page over and over for ``seconds`` (and at least ``min_views``
    times in all)."""
    sample = Sample()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    done = [0]

    def client() -> None:
        agent = Agent(base_url, agent_cookies)  # the cookies are copied: each client keeps its own
        while True:
            with lock:
                if time.perf_counter() >= deadline and done[0] >= min_views:
                    return
                done[0] += 1
            begin = time.perf_counter()
            try:
                replies = view_once(agent, path, headers, fragments)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    sample.errors.append(f"{exc.__class__.__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                sample.latencies_ms.append(elapsed)
                sample.requests += len(replies)
                for reply in replies:
                    sample.statuses[reply.status] = sample.statuses.get(reply.status, 0) + 1
                    sample.bytes += len(reply.body)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 10 * TIMEOUT_S)
    sample.wall_s = time.perf_counter() - started
    return sample
