"""Signing in through the real form, with the mouse and with the keyboard alone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from pontive.accounts.demo import DEMO_USERS
from tests.browser.conftest import demo_password

DEMO_ROLES = [role.value for role in DEMO_USERS]


def test_there_is_a_demo_user_for_every_role():
    from pontive.accounts.roles import Role

    assert sorted(DEMO_ROLES) == sorted(r.value for r in Role)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_demo_user_signs_in_and_sees_their_dashboard(page, login, screenshot, role):
    login(page, role)

    assert urlsplit(page.url).path == "/dasbor"
    expect(page.locator("html")).to_have_attribute("lang", "id")
    account = page.locator("article#card-account")
    expect(account).to_be_visible()
    expect(account).to_contain_text("Akun saya")
    expect(page.locator(f"section#role-{role}")).to_be_visible()
    # One role, one frame: nobody sees another role's section.
    expect(page.locator("section[id^='role-']")).to_have_count(1)
    screenshot(page, f"dasbor-{role}-1280")


def test_wrong_password_stays_on_the_form(page):
    page.goto("/masuk")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "bukan-" + demo_password())
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert urlsplit(page.url).path == "/masuk"
    expect(page.locator("article#card-account")).to_have_count(0)


def _focused_name(page) -> str | None:
    return page.evaluate("() => document.activeElement ? document.activeElement.getAttribute('name') : null")


def test_sign_in_with_the_keyboard_alone(page):
    page.goto("/masuk")

    for _ in range(20):
        page.keyboard.press("Tab")
        if _focused_name(page) == "username":
            break
    else:
        pytest.fail("pressing Tab never reached the username field")
    page.keyboard.type("anggota")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "password"
    page.keyboard.type(demo_password())
    page.keyboard.press("Enter")

    page.wait_for_url("**/dasbor")
    expect(page.locator("article#card-account")).to_be_visible()
    expect(page.locator("section#role-anggota")).to_be_visible()


def test_after_a_boosted_sign_in_htmx_sends_the_new_sessions_csrf_token(page, login):
    """Signing in replaces the session, so the token htmx sends must be the new one, and signed-in
    pages must keep htmx's history cache off — even though the login form was sent by hx-boost."""
    login(page, "admin")
    boosted = page.evaluate(
        "() => JSON.parse(document.getElementById('page').getAttribute('hx-headers'))['X-CSRFToken']"
    )
    assert page.locator("#page[hx-history='false']").count() == 1
    # the header token (signed per request, so compared by what the server says) is the new session's
    status = page.evaluate(
        """async (token) => (await fetch('/keluar', {method: 'POST', headers: {'X-CSRFToken': token, 'HX-Request': 'true'}, redirect: 'manual'})).status""",
        boosted,
    )
    assert status in (0, 302)  # 0: an opaque redirect, which fetch reports for redirect: 'manual'
