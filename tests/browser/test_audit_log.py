"""The admin's audit log pages through htmx: the next page replaces #results, not the whole page."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from pontive.accounts.models import User
from pontive.core.audit import audit
from pontive.core.models import AuditLog
from pontive.extensions import db

PER_PAGE = 30  # what /admin/audit shows on a page


def _add_audit_entries(app, at_least: int) -> None:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        have = db.session.scalar(select(func.count(AuditLog.id)))
        for n in range(max(at_least - have, 0)):
            audit(db.session, admin, "uji_peramban", entity_type="Uji", entity_id=n)
        db.session.commit()
        db.session.remove()


def test_next_page_swaps_the_results_fragment(page, login, live_server):
    _add_audit_entries(live_server.app, at_least=PER_PAGE + 15)
    login(page, "admin")
    page.goto("/admin/audit")
    results = page.locator("#results")
    expect(results).to_contain_text(re.compile(r"Halaman 1 dari \d+"))
    expect(results.locator("tbody tr")).to_have_count(PER_PAGE)

    page.evaluate("() => { window.__marker = 1; }")
    next_link = results.locator("a[rel=next]")
    expect(next_link).to_have_text(re.compile("Berikutnya"))
    expect(next_link).to_have_attribute("hx-get", re.compile(r"page=2"))
    with page.expect_response(re.compile(r"/admin/audit\?.*page=2")) as response_info:
        next_link.click()
    response = response_info.value

    expect(page.locator("#results")).to_contain_text(re.compile(r"Halaman 2 dari \d+"))
    # The same document: a full navigation would have lost the marker.
    assert page.evaluate("() => window.__marker") == 1
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text().lower(), "the server sent a whole page, not the #results fragment"
    expect(page.locator("#results")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"page=2"))  # hx-push-url keeps the address shareable
