"""Lists count their rows only so far past the page they show (issue 8 §2: a page costs the same at
scale 1 and 10), and say so instead of printing a wrong total."""

from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import select

from pontive.accounts.models import User
from pontive.core import pagination

LIST = """<p>{{ _('%(n)s pengguna', n=page|jumlah) }}</p>
{% with endpoint='admin.users', args={}, target='#results' %}{% include "_pagination.html" %}{% endwith %}"""


@pytest.fixture()
def many_users(db):  # db: the session
    db.add_all(User(username=f"massal{n:03d}", full_name=f"Pengguna Massal {n}", password_hash="x") for n in range(60))
    db.commit()


def _page(app, number: int, lang: str = "id") -> tuple[pagination.CappedPagination, str]:
    with app.test_request_context(f"/admin/pengguna?page={number}", headers={"Cookie": f"pontive_lang={lang}"}):
        page = pagination.paginate(select(User).order_by(User.username), per_page=25)
        return page, render_template_string(LIST, page=page)


def test_a_list_with_more_rows_than_it_counts_says_more_than(app, many_users, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    first, html = _page(app, 1)
    # 25 rows a page, counted up to one page (25 ≥ 10) past the first row: 60 match, 25 are counted.
    assert [u.username for u in first.items][:2] == ["massal000", "massal001"] and len(first.items) == 25
    assert first.total == 25 and first.total_capped
    assert "lebih dari 25 pengguna" in html
    assert "Halaman 1 dari lebih dari 1" in html
    assert 'rel="next"' in html  # the rows after the counted ones stay reachable

    last, html = _page(app, 3)
    assert last.items[-1].username == "massal059"
    assert "60 pengguna" in html and "lebih dari" not in html  # counted from page 3: the end is in sight
    assert 'rel="next"' not in html


def test_a_list_within_the_count_shows_its_exact_total(app, many_users):
    page, html = _page(app, 1)
    assert page.total == 60 and not page.total_capped
    assert "60 pengguna" in html and "lebih dari" not in html
    assert "Halaman 1 dari 3" in html


def test_the_capped_total_is_translated(app, many_users, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    _capped, html = _page(app, 1, lang="en")
    assert "Page 1 of more than 1" in html
    assert "more than 25" in html


def test_a_short_last_page_is_counted_from_its_own_rows(app, many_users):
    page, _html = _page(app, 3)
    assert len(page.items) == 10 and page.total == 60 and not page.has_next


def test_a_list_built_by_hand_counts_the_same_way(app, monkeypatch):
    """core.pagination.capped_page: for lists that are not one select (recaps, leave decisions)."""
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    asked = []

    def count(limit: int) -> int:
        asked.append(limit)
        return min(60, limit)

    with app.test_request_context("/?page=2"):
        page = pagination.capped_page(count, per_page=25)
    assert asked == [25 + 25 + 1]  # one page past the start of page 2, and one row more to know
    assert page.page == 2 and page.offset == 25 and page.total == 50 and page.total_capped and page.has_next

    with app.test_request_context("/?page=2"):
        page = pagination.capped_page(lambda limit: 40, per_page=25)
    assert page.total == 40 and not page.total_capped and not page.has_next
