"""Lists count their rows only so far past the page they show (issue 8 §2: a page costs the same at
scale 1 and 10), and say so instead of printing a wrong total."""

from __future__ import annotations

import pytest

from pontive.accounts.models import User
from pontive.core import pagination


@pytest.fixture()
def many_users(db):  # db: the session
    db.add_all(User(username=f"massal{n:03d}", full_name=f"Pengguna Massal {n}", password_hash="x") for n in range(60))
    db.commit()


def test_a_list_with_more_rows_than_it_counts_says_more_than(app, client, login_as, many_users, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    login_as("admin")
    html = client.get("/admin/pengguna?q=massal").get_data(as_text=True)
    # 25 rows a page, counted up to one page (25 ≥ 10) past the first row: 60 match, 25 are counted.
    assert "lebih dari 25 pengguna" in html
    assert "Halaman 1 dari lebih dari 1" in html
    assert 'rel="next"' in html  # the rows after the counted ones stay reachable

    last = client.get("/admin/pengguna?q=massal&page=3").get_data(as_text=True)
    assert "massal059" in last
    assert "60 pengguna" in last and "lebih dari" not in last  # counted from page 3: the end is in sight
    assert 'rel="next"' not in last


def test_a_list_within_the_count_shows_its_exact_total(app, client, login_as, many_users):
    login_as("admin")
    html = client.get("/admin/pengguna?q=massal").get_data(as_text=True)
    assert "60 pengguna" in html
    assert "lebih dari" not in html
    assert "Halaman 1 dari 3" in html


def test_the_capped_total_is_translated(app, client, login_as, many_users, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD", 10)
    login_as("admin", preferred_language="en")
    html = client.get("/admin/pengguna?q=massal").get_data(as_text=True)
    assert "Page 1 of more than 1" in html
    assert "more than 25" in html
