"""Leave from request to approval in a real browser (issue 6 "Checked by"; 000 §7d): the demo worker,
on a phone, asks for annual leave on upcoming working days and watches the htmx preview count them
before sending; the demo PPK approves it on their page; the worker sees the balance change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pontive.accounts.models import User
from pontive.contracts import services, worker_views
from pontive.contracts.models import LeaveRequest, LeaveStatus
from pontive.core.services import holidays_between
from pontive.core.workdays import iter_working_days
from pontive.extensions import db

PHONE_WIDTH = 360


def free_working_days(live_server, count: int = 2) -> tuple[dt.date, dt.date]:
    """The first ``count`` working days after today that no request of the demo worker touches."""
    with live_server.app.test_request_context():
        worker = db.session.scalar(select(User).where(User.username == "kontrak"))
        today = worker_views.local_today()
        contract = services.current_contract(db.session, worker.id, today)
        assert contract is not None, "the demo data gives the demo worker a contract"
        taken = db.session.execute(
            select(LeaveRequest.start_date, LeaveRequest.end_date).where(
                LeaveRequest.contract_id == contract.id,
                LeaveRequest.status.in_([LeaveStatus.PENDING, LeaveStatus.APPROVED]),
            )
        ).all()
        first = today + dt.timedelta(days=1)
        days = list(iter_working_days(first, contract.end_date, holidays_between(db.session, first, contract.end_date)))
        db.session.remove()
    for i in range(len(days) - count + 1):
        start, end = days[i], days[i + count - 1]
        if not any(start <= other_end and other_start <= end for other_start, other_end in taken):
            return start, end
    pytest.skip("no free working days left in the demo contract")


def days_in(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def leave_id(live_server, start: dt.date) -> int:
    with live_server.app.app_context():
        found = db.session.scalar(
            select(LeaveRequest.id)
            .join(User, User.id == LeaveRequest.worker_id)
            .where(User.username == "kontrak", LeaveRequest.start_date == start)
            .order_by(LeaveRequest.id.desc())
        )
        db.session.remove()
    assert found is not None
    return found


def test_worker_requests_leave_the_ppk_approves_the_balance_changes(new_page, login, live_server, screenshot):
    start, end = free_working_days(live_server)

    # The worker, on a phone: the balance first.
    worker = new_page(width=PHONE_WIDTH, height=740)
    login(worker, "kontrak")
    worker.goto("/kontrak-saya")
    used_before = days_in(worker.locator("#leave-used").inner_text())
    available_before = days_in(worker.locator("#leave-available").inner_text())
    assert available_before >= 2

    # The request form: the preview counts the working days as the dates change, before anything is sent.
    worker.goto("/kontrak-saya/cuti")
    worker.evaluate("() => { window.pontiveNoReload = true; }")
    worker.get_by_label("Jenis cuti").select_option("annual")
    worker.get_by_label("Tanggal mulai").fill(start.isoformat())
    worker.get_by_label("Tanggal selesai").fill(end.isoformat())
    expect(worker.locator("#preview-days")).to_contain_text("2 hari kerja")
    expect(worker.locator("#preview-after")).to_contain_text(f"{available_before - 2} hari kerja")
    expect(worker.locator("#preview-ok")).to_be_visible()
    assert worker.evaluate("() => window.pontiveNoReload === true"), "the preview reloaded the page"
    screenshot(worker, "leave-preview-phone")
    worker.get_by_label("Alasan atau keterangan").fill("Uji peramban: urusan keluarga.")
    worker.get_by_role("button", name="Kirim permohonan cuti").click()
    expect(worker.locator(".flash-success")).to_contain_text("2 hari kerja dikirim")
    expect(worker.locator("#leave-available")).to_contain_text(f"{available_before - 2} hari kerja")
    request_id = leave_id(live_server, start)
    expect(worker.locator(f"#cuti-{request_id}")).to_contain_text("Menunggu keputusan")

    # The PPK approves it on their page.
    ppk = new_page()
    login(ppk, "ppk")
    ppk.goto("/kontrak/cuti")
    item = ppk.locator(f"#leave-{request_id}")
    expect(item).to_contain_text("Cuti tahunan")
    item.get_by_label("Setujui").check()
    item.get_by_role("button", name="Simpan keputusan").click()
    expect(ppk.locator(f"#leave-{request_id}")).to_contain_text("Disetujui")

    # The worker sees the days move from waiting to used.
    worker.goto("/kontrak-saya")
    expect(worker.locator("#leave-used")).to_contain_text(f"{used_before + 2} hari kerja")
    expect(worker.locator("#leave-available")).to_contain_text(f"{available_before - 2} hari kerja")
    worker.goto("/kontrak-saya/cuti")
    expect(worker.locator(f"#cuti-{request_id}")).to_contain_text("Disetujui")
    screenshot(worker, "leave-approved-phone")
