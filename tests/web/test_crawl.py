"""No page reachable from a dashboard answers 5xx, and every one is Indonesian (issue 2 "Checked by")."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from pontive.accounts.roles import Role

LINK = re.compile(r'href="([^"]+)"')
SKIP = ("/static/", "/bahasa/", "/keluar")


def crawl(client, start: str, limit: int = 150) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code >= 500:
            continue
        if response.mimetype != "text/html" or response.status_code in (301, 302, 303):
            continue
        body = response.get_data(as_text=True)
        assert '<html lang="id">' in body, f"{url} is not lang=id"
        for href in LINK.findall(body):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href not in seen:
                queue.append(href)
    return seen


def test_no_page_linked_from_any_dashboard_fails(runner, app, db):
    """Every demo role, on one seeded database (seeding once keeps the suite fast)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    failures, visited = {}, {}
    for role in (r.value for r in Role):
        client = app.test_client()
        assert client.post("/masuk", data={"username": role, "password": "pontive-demo"}).status_code == 302, role
        seen = crawl(client, "/dasbor")
        visited[role] = len(seen)
        failures.update({f"{role} {url}": code for url, code in seen.items() if code >= 500})
    assert not failures, failures
    assert all(count > 2 for count in visited.values()), visited
