"""The dashboard on a small phone: everything fits the width, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pontive.accounts.demo import DEMO_USERS

PHONE_WIDTH = 360


@pytest.mark.parametrize("role", [role.value for role in DEMO_USERS])
def test_dashboard_has_no_horizontal_scroll_at_360px(new_page, login, screenshot, role):
    page = new_page(width=PHONE_WIDTH, height=740)
    login(page, role)
    expect(page.locator("article#card-account")).to_be_visible()

    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    screenshot(page, f"dasbor-{role}-{PHONE_WIDTH}")
    assert scroll_width <= PHONE_WIDTH, f"the dashboard is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


# Every page a role reaches from its menu, on a phone: none may scroll sideways (the Standards:
# "It works on a phone screen"). Wide tables scroll inside their own box instead.
MENU_ROLES = [
    "admin",
    "ketua",
    "sekretaris",
    "koordinator",
    "anggota",
    "panel",
    "pelamar",
    "ppk",
    "kontrak",
    "operator_opd",
]


@pytest.mark.parametrize("role", MENU_ROLES)
def test_every_menu_page_fits_a_phone(new_page, login, role):
    page = new_page(width=PHONE_WIDTH, height=740)
    login(page, role)
    links = page.eval_on_selector_all(
        "nav details.dropdown ul a[href^='/']", "els => [...new Set(els.map(e => e.getAttribute('href')))]"
    )
    assert links, "the menu has no entries"
    too_wide = {}
    for href in links:
        if href.startswith("/bahasa/"):
            continue
        page.goto(href)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[href] = width
    assert not too_wide, f"pages wider than {PHONE_WIDTH}px: {too_wide}"
