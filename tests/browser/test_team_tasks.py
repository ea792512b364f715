"""A task's whole life in a real browser (issue 4 "Checked by", 002 §13(1)a): the koordinator assigns
it to the demo member placed in their OPD, the member moves it to in progress and done on a phone, and
the koordinator verifies it — every status change an htmx swap, never a page load."""

from __future__ import annotations

import datetime as dt
import secrets

from playwright.sync_api import expect
from sqlalchemy import select

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.extensions import db
from pontive.team import rules, services
from pontive.team.models import Membership

PHONE_WIDTH = 360


def placed_member_name(live_server) -> str:
    """The demo ``anggota``'s name, placing them in the demo koordinator's OPD when the demo data has
    not done so already."""
    with live_server.app.app_context():
        koordinator = db.session.scalar(select(User).where(User.username == "koordinator"))
        member = db.session.scalar(select(User).where(User.username == "anggota"))
        opd_id = min(koordinator.opd_ids_for(Role.KOORDINATOR))
        if member.id not in {u.id for u in services.members_placed_in(db.session, opd_id)}:
            start = dt.date.today().replace(day=1)
            db.session.add(
                Membership(
                    member_id=member.id,
                    placement_opd_id=opd_id,
                    decree_number="188/Kep.Uji/2026",
                    decree_date=start,
                    start_date=start,
                    end_date=rules.term_end(start),
                )
            )
            db.session.commit()
        name = member.full_name
        db.session.remove()
    return name


def mark_page(page) -> None:
    """A flag on the window: a full page load would lose it, an htmx swap keeps it."""
    page.evaluate("() => { window.pontiveNoReload = true; }")


def still_same_page(page) -> bool:
    return page.evaluate("() => window.pontiveNoReload === true")


def test_koordinator_assigns_member_works_it_koordinator_verifies(new_page, login, live_server, screenshot):
    member_name = placed_member_name(live_server)
    title = f"Uji peramban {secrets.token_hex(3)}"

    # The koordinator assigns the task on their OPD's board.
    boss = new_page()
    login(boss, "koordinator")
    boss.goto("/tim/papan")
    boss.wait_for_url("**/tim/opd/*/tugas")
    boss.locator("details.task-new > summary").click()
    boss.get_by_label("Judul tugas").fill(title)
    boss.get_by_label("Tenggat").fill(dt.date.today().isoformat())
    boss.locator("#priority").select_option("high")
    # The picker searches the members placed in the OPD instead of listing them all.
    boss.locator("#assignee-q").fill(member_name)
    boss.get_by_label(member_name, exact=True).check()
    boss.get_by_role("button", name="Berikan tugas").click()
    expect(boss.locator(".flash-success")).to_contain_text(title)
    expect(boss.locator("#kolom-assigned .task-card", has_text=title)).to_be_visible()

    # The member finds it among their tasks on a phone and works it.
    member = new_page(width=PHONE_WIDTH, height=740)
    login(member, "anggota")
    member.goto("/tim/tugas-saya")
    mark_page(member)
    member.get_by_label("Cari judul").fill(title)
    expect(member.locator("#results .task-card")).to_have_count(1)
    card = member.locator(".task-card", has_text=title)
    expect(card.locator(".task-status")).to_have_text("Ditugaskan")
    card.get_by_role("button", name="Mulai kerjakan").click()
    expect(card.locator(".task-status")).to_have_text("Dikerjakan")
    card.get_by_role("button", name="Tandai selesai").click()
    expect(card.locator(".task-status")).to_have_text("Selesai")
    expect(card.get_by_role("button")).to_have_count(0)
    assert still_same_page(member), "moving the task reloaded the page instead of swapping the card"
    screenshot(member, "tugas-saya-360")
    scroll_width = member.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"'my tasks' is {scroll_width}px wide on a {PHONE_WIDTH}px screen"

    # The koordinator narrows the board to the task and verifies it.
    mark_page(boss)
    boss.get_by_label("Cari judul").fill(title)
    done = boss.locator("#kolom-done .task-card", has_text=title)
    expect(done).to_be_visible()
    expect(boss.locator("#board .task-card")).to_have_count(1)
    done.get_by_role("button", name="Verifikasi").click()
    expect(boss.locator("#kolom-verified .task-card", has_text=title)).to_be_visible()
    expect(boss.locator("#board .flash-success")).to_contain_text("Terverifikasi")
    expect(boss.locator("#kolom-done .task-card")).to_have_count(0)
    assert still_same_page(boss), "verifying reloaded the page instead of swapping the board"
    assert f"q={title.split()[0]}" in boss.url  # the filter is in the address, so a reload keeps it

    # The history on the task page tells the whole story.
    boss.locator("#kolom-verified .task-card a", has_text=title).click()
    expect(boss.get_by_role("heading", level=1)).to_have_text(title)
    history = boss.locator("#riwayat + .table-wrap table")
    for step in ("Ditugaskan → Dikerjakan", "Dikerjakan → Selesai", "Selesai → Terverifikasi"):
        expect(history).to_contain_text(step)


def test_the_board_stacks_its_columns_on_a_phone(new_page, login, screenshot):
    page = new_page(width=PHONE_WIDTH, height=740)
    login(page, "koordinator")
    page.goto("/tim/papan")
    page.wait_for_url("**/tim/opd/*/tugas")
    columns = page.locator(".board-column")
    expect(columns).to_have_count(4)
    lefts = {round(columns.nth(i).bounding_box()["x"]) for i in range(4)}
    assert len(lefts) == 1, f"the columns sit side by side on a phone: {lefts}"
    screenshot(page, "papan-tugas-360")
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the board is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def test_show_more_appends_the_next_cards_of_a_column(new_page, login, live_server):
    """A column shows its first cards; "Tampilkan lebih banyak" appends the next ones in place."""
    from pontive.team.views import COLUMN_LIMIT

    placed_member_name(live_server)
    prefix = f"Kolom {secrets.token_hex(3)}"
    with live_server.app.app_context():
        koordinator = db.session.scalar(select(User).where(User.username == "koordinator"))
        member = db.session.scalar(select(User).where(User.username == "anggota"))
        opd_id = min(koordinator.opd_ids_for(Role.KOORDINATOR))
        for i in range(COLUMN_LIMIT + 2):
            services.create_task(
                db.session, koordinator, opd_id, {"title": f"{prefix} {i:02d}"}, [member.id], dt.date.today()
            )
        db.session.remove()
    page = new_page()
    login(page, "koordinator")
    page.goto(f"/tim/opd/{opd_id}/tugas?q={prefix.replace(' ', '+')}")
    cards = page.locator("#kolom-assigned .task-card")
    expect(cards).to_have_count(COLUMN_LIMIT)
    mark_page(page)
    page.locator("#kolom-assigned-lebih a").click()
    expect(cards).to_have_count(COLUMN_LIMIT + 2)
    expect(page.locator("#kolom-assigned-lebih")).to_have_count(0)
    assert still_same_page(page), "showing more reloaded the page instead of appending the cards"
