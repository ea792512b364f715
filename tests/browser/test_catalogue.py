"""The catalogue in a real browser (issue 7 "Checked by": search the catalogue, filter, open an
application): the ketua types a name, the results change without a page load and the address bar
follows; a status filter narrows them; the application's about card shows its hosting, and — for the
ketua — its server and IP address."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def mark_page(page) -> None:
    """A flag on the window: a full page load would lose it, an htmx swap keeps it."""
    page.evaluate("() => { window.pontiveNoReload = true; }")


def still_same_page(page) -> bool:
    return page.evaluate("() => window.pontiveNoReload === true")


def test_ketua_searches_filters_and_opens_an_application(page, login, screenshot):
    login(page, "ketua")
    page.locator("details.dropdown > summary", has_text="Menu").click()
    page.get_by_role("link", name="Katalog aplikasi", exact=True).click()
    page.wait_for_url("**/katalog")
    rows = page.locator("#catalogue-table tbody tr")
    expect(rows.first).to_be_visible()
    mark_page(page)

    page.get_by_label("Cari nama atau deskripsi").fill("simpeg")
    expect(page).to_have_url(re.compile(r"/katalog\?q=simpeg$"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SIMPEG Kota Bekasi")
    assert still_same_page(page), "the search reloaded the page instead of swapping the results"

    page.get_by_label("Cari nama atau deskripsi").fill("")
    page.get_by_label("Status", exact=True).select_option("development")
    expect(page).to_have_url(re.compile(r"status=development"))
    expect(rows.filter(has_text="e-Retribusi Pasar")).to_have_count(1)
    expect(rows.filter(has_text="SIMPEG Kota Bekasi")).to_have_count(0)
    assert rows.count() >= 2
    for n in range(rows.count()):
        expect(rows.nth(n)).to_contain_text("Dalam pengembangan")
    assert still_same_page(page)
    screenshot(page, "katalog-filter-status")

    # The filtered address is shareable: opened afresh it shows the same list.
    filtered = page.url
    page.reload()
    expect(page.get_by_label("Status", exact=True)).to_have_value("development")
    expect(rows.filter(has_text="e-Retribusi Pasar")).to_have_count(1)
    assert page.url == filtered

    rows.filter(has_text="e-Retribusi Pasar").get_by_role("link", name="e-Retribusi Pasar").click()
    page.wait_for_url(re.compile(r"/katalog/\d+$"))
    about = page.locator("article#tentang")
    expect(about).to_be_visible()
    expect(about).to_contain_text("Dinas Perdagangan dan Perindustrian")
    expect(about).to_contain_text("Pusat data kota")
    expect(about).to_contain_text("Alamat IP")
    expect(page.locator("#proyek")).to_contain_text("Pembuatan e-Retribusi Pasar")
    expect(page.locator("#proyek")).to_contain_text("terlambat")
    screenshot(page, "katalog-aplikasi")


def test_a_pelamar_sees_the_about_card_without_server_or_ip(page, login):
    login(page, "pelamar")
    page.goto("/katalog?q=simpeg")
    page.get_by_role("link", name="SIMPEG Kota Bekasi").click()
    about = page.locator("article#tentang")
    expect(about).to_contain_text("Badan Kepegawaian")
    expect(about).not_to_contain_text("Alamat IP")
    expect(about).not_to_contain_text("srv-app-")
