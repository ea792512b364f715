"""The contract summary as PDF: the SPK's number, the worker, the period, the budget, the value and
its pay components, PA/KPA, PPK, the work location and the duties a–o (000 §4–§6, §9).

It gathers what the summary says and hands it to ``core.letters.render_pdf``; the template extends
``letters/base_letter.html``, so it carries the one letterhead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from pontive.accounts.models import User
from pontive.contracts.models import Contract
from pontive.core.formats import format_rupiah
from pontive.core.letters import render_pdf
from pontive.recruitment.letters import spaced_nip


def _person(user: User | None) -> dict[str, str | None]:
    if user is None:
        return {"name": "—", "nip": None}
    return {"name": user.full_name, "nip": spaced_nip(user.nip)}


def contract_summary_context(session: Session, contract: Contract, today: dt.date) -> dict[str, Any]:  # noqa: ARG001
    ppk = _person(contract.ppk)
    return {
        "contract": contract,
        "number": contract.spk_number,
        "date": today,
        "subject": "Ringkasan Kontrak",
        "worker": contract.worker,
        "ppk": ppk,
        "pptk": _person(contract.pptk),
        "components": [
            ("a.", "Upah kerja", format_rupiah(contract.wage)),
            ("b.", "BPJS Kesehatan", format_rupiah(contract.bpjs_health)),
            ("c.", "BPJS Ketenagakerjaan", format_rupiah(contract.bpjs_employment)),
        ],
        "total": format_rupiah(contract.total_value),
        "duties": [(f"{d.code}.", d.text) for d in contract.duties],
        "signer_title": "Pejabat Pembuat Komitmen",
        "signer_name": ppk["name"],
        "signer_nip": ppk["nip"],
    }


def render_contract_summary(session: Session, contract: Contract, today: dt.date) -> bytes:
    return render_pdf("letters/contract_summary.html", **contract_summary_context(session, contract, today))
