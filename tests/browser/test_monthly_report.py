"""A month's report from a phone to the lock, in a real browser (issue 5 "Checked by"; 004 "bukti dukung
wajib", "umpan balik", "dikunci per bulan"; 002 §20(1)–(2)): the demo anggota, in a 390×844 viewport,
enters this month's realisations and uploads evidence, then submits; the demo koordinator returns it
with feedback; the member reads the feedback, fixes a value and submits again; the koordinator
validates it, and the member's month shows "Terkunci"."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import delete, select

from pontive.accounts.models import User
from pontive.core.formats import month_name
from pontive.extensions import db
from pontive.performance import services
from pontive.performance.models import MonthlyReport
from pontive.performance.review_views import local_today
from pontive.recruitment.demo import DEMO_PDF

PHONE = {"width": 390, "height": 844}
RETURN_FEEDBACK = "Realisasi pengujian belum sesuai bukti dukung; periksa lagi angkanya."


def prepare_this_month(live_server) -> tuple[int, int, list[int]]:
    """This month of the demo anggota, as the demo leaves it: action plans and nothing filed. Whatever
    an earlier test did to it is cleared, so the journey starts from an empty draft."""
    with live_server.app.test_request_context():
        today = local_today()
        member = db.session.scalar(select(User).where(User.username == "anggota"))
        assert member is not None, "the demo data has an anggota"
        db.session.execute(
            delete(MonthlyReport).where(
                MonthlyReport.member_id == member.id,
                MonthlyReport.year == today.year,
                MonthlyReport.month == today.month,
            )
        )
        db.session.commit()
        plans = services.action_plans_for(db.session, member.id, today.year, today.month)
        if len(plans) < 2:
            plan = services.get_or_create_plan(db.session, member, today.year)
            rhk = plan.work_results[0] if plan.work_results else None
            if rhk is None:
                rhk = services.save_work_result(
                    db.session,
                    member,
                    plan,
                    {"title": "Tersedianya aplikasi layanan", "kind": "main"},
                    [{"description": "Modul selesai", "target_value": "12", "unit": "modul"}],
                )
            for description in ("Modul pengaduan (uji peramban)", "Pengujian (uji peramban)")[len(plans) :]:
                services.save_action_plan(
                    db.session,
                    member,
                    rhk,
                    {"month": today.month, "description": description, "target_value": "2", "unit": "kegiatan"},
                )
            plans = services.action_plans_for(db.session, member.id, today.year, today.month)
        ids = [p.id for p in plans]
        db.session.remove()
    return today.year, today.month, ids


def test_member_fills_the_month_koordinator_returns_then_validates_and_the_month_locks(
    new_page, login, live_server, tmp_path, screenshot
):
    year, month, plan_ids = prepare_this_month(live_server)
    evidence = tmp_path / "bukti-dukung.pdf"
    evidence.write_bytes(DEMO_PDF)
    month_url = f"/kinerja/bulan/{year}/{month}"
    period = f"{month_name(month)} {year}"

    # The member, on a phone: evidence for every action plan, the realisations, the narrative; submit.
    member = new_page(**PHONE)
    login(member, "anggota")
    member.goto(month_url)
    expect(member.locator(".badges")).to_contain_text("Draf")
    for plan_id in plan_ids:
        card = member.locator(f"#rencana-aksi-{plan_id}")
        card.locator("input[type=file]").set_input_files(str(evidence))
        card.get_by_role("button", name="Unggah", exact=True).click()
        expect(member.locator(f"#bukti-{plan_id} .badge-ok")).to_have_text("1")
        expect(member.locator(f"#bukti-{plan_id}")).to_contain_text("bukti-dukung.pdf")
    for n, plan_id in enumerate(plan_ids):
        member.locator(f"#rencana-aksi-{plan_id}").get_by_label(re.compile("^Realisasi")).fill("1" if n == 0 else "2")
    member.get_by_label("Narasi capaian bulan ini").fill("Modul pengaduan selesai sebagian; pengujian berjalan.")
    screenshot(member, "monthly-report-filled-phone")
    member.get_by_role("button", name="Simpan dan ajukan").click()
    expect(member.locator(".badges")).to_contain_text("Diajukan")
    assert member.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        "the month page scrolls sideways on a phone"
    )

    # The koordinator finds it waiting and returns it with feedback.
    koordinator = new_page()
    login(koordinator, "koordinator")
    koordinator.goto("/penilaian")
    month_cell = koordinator.locator("td.period", has_text=re.compile(rf"^\s*{period}\s*$"))
    row = koordinator.locator("#waiting tr", has=month_cell)
    row.get_by_role("link", name="Agus Prasetyo").click()
    expect(koordinator.locator("h1")).to_contain_text(period)
    report_url = koordinator.url
    koordinator.get_by_role("textbox", name="Umpan balik").fill(RETURN_FEEDBACK)
    koordinator.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(koordinator.locator(".flash-success")).to_contain_text("dikembalikan")

    # The member reads the feedback, fixes a value and submits again.
    member.goto(month_url)
    expect(member.locator(".feedback")).to_contain_text(RETURN_FEEDBACK)
    expect(member.locator(".badges")).to_contain_text("Dikembalikan")
    member.locator(f"#rencana-aksi-{plan_ids[0]}").get_by_label(re.compile("^Realisasi")).fill("2")
    member.get_by_role("button", name="Simpan dan ajukan").click()
    expect(member.locator(".badges")).to_contain_text("Diajukan")

    # The koordinator sees the fixed value and validates: the month locks.
    koordinator.goto(report_url)
    expect(koordinator.locator(f"#line-{plan_ids[0]}")).to_contain_text("2,00")
    koordinator.get_by_role("textbox", name="Umpan balik").fill("Sudah sesuai, terima kasih.")
    koordinator.get_by_role("button", name="Validasi dan kunci bulan ini").click()
    expect(koordinator.locator(".flash-success")).to_contain_text("divalidasi")
    koordinator.goto(report_url + "/riwayat")
    expect(koordinator.locator("#history")).to_contain_text(RETURN_FEEDBACK)
    expect(koordinator.locator("#history tbody tr")).to_have_count(4)

    member.goto(month_url)
    expect(member.locator(".badges")).to_contain_text("Terkunci")
    expect(member.locator(".badges")).to_contain_text("Divalidasi")
    expect(member.locator("input[type=file]")).to_have_count(0)
    screenshot(member, "monthly-report-locked-phone")
