"""Pure performance rules: achievement, averages, the predikat matrix, quotas, due dates and
locks (002 §15(2), §20; 004 §3; PermenPANRB 6/2022). No Flask, no database, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def N_(text: str) -> str:
    """Marks a label for translation (pybabel extract -k N_); the template translates it with _()."""
    return text


TWO = Decimal("0.01")
DEFAULT_CAP = Decimal(120)  # achievement is capped; configurable, 120 % by default (issue 5 §4)
DEFAULT_DUE_DAY = 5  # the monthly report is due by this day of the next month (configurable)

ASPECTS = {"quantity": N_("Kuantitas"), "quality": N_("Kualitas"), "time": N_("Waktu"), "cost": N_("Biaya")}

REPORT_STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "validated": "Divalidasi (terkunci)",
}

# BerAKHLAK, the seven core values of the civil service (work behaviour, PermenPANRB 6/2022).
BERAKHLAK = (
    ("berorientasi_pelayanan", N_("Berorientasi Pelayanan")),
    ("akuntabel", N_("Akuntabel")),
    ("kompeten", N_("Kompeten")),
    ("harmonis", N_("Harmonis")),
    ("loyal", N_("Loyal")),
    ("adaptif", N_("Adaptif")),
    ("kolaboratif", N_("Kolaboratif")),
)
RATINGS = {"above": N_("Di atas ekspektasi"), "as": N_("Sesuai ekspektasi"), "below": N_("Di bawah ekspektasi")}

# The predikat matrix of PermenPANRB 6/2022 (DESIGN §3): (results, behaviour) → predikat.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("above", "below"): "Kurang/Misconduct",
    ("above", "as"): "Baik",
    ("above", "above"): "Sangat Baik",
    ("as", "below"): "Kurang/Misconduct",
    ("as", "as"): "Baik",
    ("as", "above"): "Baik",
    ("below", "below"): "Sangat Kurang",
    ("below", "as"): "Butuh Perbaikan",
    ("below", "above"): "Butuh Perbaikan",
}
PREDIKATS = (N_("Sangat Baik"), N_("Baik"), N_("Butuh Perbaikan"), N_("Kurang/Misconduct"), N_("Sangat Kurang"))


class PerformanceError(ValueError):
    pass


def parse_value(text: object, label: str = "Nilai") -> Decimal:
    """A realisation or target typed by a person: "12", "12,5" or "12.5"; never negative."""
    raw = str(text if text is not None else "").strip().replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
        if value.is_finite():  # two decimals, as the columns keep them: "1e-400" is 0, not a tiny target
            value = value.quantize(TWO, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise PerformanceError(f"{label} harus berupa angka.") from exc
    if not value.is_finite() or value < 0:
        raise PerformanceError(f"{label} tidak boleh negatif.")
    return value


def achievement(realisation: Decimal, target: Decimal, cap: Decimal = DEFAULT_CAP) -> Decimal:
    """Per action plan: realisation ÷ target × 100 %, capped (issue 5 §4; 004 "rumus realisasi")."""
    if target <= 0:
        raise PerformanceError("Target harus lebih dari 0.")
    percent = realisation / target * 100
    return min(percent, cap).quantize(TWO, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """The mean of the values, or None when there are none (a month with no action plans)."""
    items = list(values)
    if not items:
        return None
    return (sum(items, Decimal(0)) / len(items)).quantize(TWO, rounding=ROUND_HALF_UP)


def monthly_achievement(per_plan: Iterable[Decimal]) -> Decimal | None:
    """Monthly achievement = mean over the month's action plans (issue 5 §4)."""
    return mean(per_plan)


def koordinator_achievement(members: Iterable[Decimal | None]) -> Decimal | None:
    """A koordinator's own achievement = mean of the members placed under them (004: "rata-rata
    capaian langsung dari bawahan"); members without a figure are left out."""
    return mean(v for v in members if v is not None)


def predikat(results: str, behaviour: str) -> str:
    try:
        return PREDIKAT_MATRIX[(results, behaviour)]
    except KeyError as exc:
        raise PerformanceError(
            "Penilaian hasil kerja dan perilaku harus di atas, sesuai, atau di bawah ekspektasi."
        ) from exc


def results_rating_from(
    achievement_value: Decimal | None, above_from: Decimal = Decimal(110), as_from: Decimal = Decimal(90)
) -> str | None:
    """A suggested results rating from the yearly achievement; the koordinator decides."""
    if achievement_value is None:
        return None
    if achievement_value >= above_from:
        return "above"
    if achievement_value >= as_from:
        return "as"
    return "below"


@dataclass(frozen=True)
class QuotaBreach:
    predikat: str
    count: int
    allowed: int
    share: Decimal
    members: tuple[str, ...]


def quota_breaches(assigned: Mapping[str, str], quotas: Mapping[str, Decimal]) -> list[QuotaBreach]:
    """Predikat quotas (maximum share per predikat, 004 "kuota predikat"): which are exceeded,
    with the members concerned. ``assigned`` maps a member's name to their predikat; ``quotas``
    maps a predikat to its maximum share in percent (a predikat without a quota is unlimited)."""
    total = len(assigned)
    if not total:
        return []
    counts = Counter(assigned.values())
    breaches = []
    for name in PREDIKATS:
        limit = quotas.get(name)
        if limit is None:
            continue
        allowed = int((Decimal(total) * limit / 100).to_integral_value(rounding="ROUND_FLOOR"))
        if counts[name] > allowed:
            members = tuple(sorted(m for m, p in assigned.items() if p == name))
            share = (Decimal(counts[name]) * 100 / total).quantize(TWO, rounding=ROUND_HALF_UP)
            breaches.append(QuotaBreach(name, counts[name], allowed, share, members))
    return breaches


def due_date(year: int, month: int, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """A month's report is due on ``due_day`` of the next month (clamped to its length)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(next_year, next_month, min(due_day, calendar.monthrange(next_year, next_month)[1]))


def is_late(
    year: int, month: int, status: str, submitted_on: dt.date | None, today: dt.date, due_day: int = DEFAULT_DUE_DAY
) -> bool:
    """Late: not submitted by the due date, or submitted after it."""
    due = due_date(year, month, due_day)
    if submitted_on is not None and status != "draft":
        return submitted_on > due
    return today > due


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    if not 1 <= quarter <= 4:
        raise PerformanceError("Triwulan harus 1–4.")
    first = (quarter - 1) * 3 + 1
    return (first, first + 1, first + 2)


# Which report status may follow which, and who moves it (issue 5 §3).
REPORT_TRANSITIONS = {
    ("draft", "submitted"): "member",
    ("returned", "submitted"): "member",
    ("submitted", "returned"): "koordinator",
    ("submitted", "validated"): "koordinator",
    ("validated", "returned"): "sekretaris",  # the audited unlock, with a reason
}


def check_report_move(current: str, target: str, actor_role: str) -> None:
    needed = REPORT_TRANSITIONS.get((current, target))
    if needed is None:
        raise PerformanceError(
            f"Laporan berstatus “{REPORT_STATUS_LABELS.get(current, current)}” tidak dapat menjadi "
            f"“{REPORT_STATUS_LABELS.get(target, target)}”."
        )
    if needed != actor_role:
        raise PerformanceError(
            {
                "member": "Hanya anggota pemilik laporan yang dapat mengajukannya.",
                "koordinator": "Hanya koordinator anggota ini yang dapat memvalidasi atau mengembalikan laporan.",
                "sekretaris": "Bulan yang terkunci hanya dapat dibuka oleh sekretaris dengan alasan tertulis.",
            }[needed]
        )


def is_editable(status: str) -> bool:
    """A month can be edited while it is a draft or returned; submitted waits, validated is locked (004)."""
    return status in ("draft", "returned")


def missing_evidence(action_plan_ids: Iterable[int], evidence_by_plan: Mapping[int, int]) -> list[int]:
    """Action plans without evidence: at least one file per action plan is required to submit (004
    "bukti dukung wajib")."""
    return [pid for pid in action_plan_ids if evidence_by_plan.get(pid, 0) < 1]
