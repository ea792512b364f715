"""Factories for contract tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pontive.contracts import services
from pontive.extensions import db
from tests import factories


def make_contract(
    worker=None, ppk=None, *, start=dt.date(2026, 8, 1), end=dt.date(2026, 12, 31), quota: int = 12, **fields
):
    worker = worker or factories.make_user(roles=["kontrak"])
    ppk = ppk or factories.make_user(roles=["ppk"])
    actor = factories.make_user(roles=["admin"])
    data = {
        "worker_id": worker.id,
        "position": "Admin Pontive Center (Programmer Web dan Aplikasi)",
        "spk_number": fields.pop("spk_number", f"027/SPK-{worker.id}/DISKOMINFO/2026"),
        "start_date": start,
        "end_date": end,
        "budget_year": start.year,
        "budget_source": "APBD Kota",
        "total_value": Decimal(15_250_000),
        "wage": Decimal(14_000_000),
        "bpjs_health": Decimal(750_000),
        "bpjs_employment": Decimal(500_000),
        "pa_kpa": "Kepala Dinas Kominfo",
        "ppk_id": ppk.id,
        "work_location": "Diskominfo",
        "leave_quota": quota,
    }
    data.update(fields)
    contract = services.save_contract(db.session, actor, data)
    return contract
