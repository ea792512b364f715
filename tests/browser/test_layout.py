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
