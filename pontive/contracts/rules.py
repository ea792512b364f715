"""Pure rules for contract IT workers (KAK Pontianak 2020, seed 000). No Flask, no database, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


def N_(text: str) -> str:
    """Marks a label for translation (pybabel extract -k N_); the template translates it with _()."""
    return text


ANNUAL_QUOTA = 12  # "12 (dua belas) hari kerja dalam satu tahun" (000 §7d)
SPECIFIC_REASON_MAX = 12  # "maksimal 12 hari dan akan mengurangi jumlah cuti" (000 §7d)
LONG_LEAVE_MONTHS = 3  # "Cuti persalinan dan kecelakaan kerja paling lama 3 (tiga) bulan" (000 §7d)
ENDING_NOTICE_DAYS = 30  # contracts ending within 30 days are flagged (issue 6 §1)

LEAVE_KINDS = {
    "annual": N_("Cuti tahunan"),
    "specific_reason": N_("Cuti alasan tertentu (sakit, izin, dll.)"),
    "maternity": N_("Cuti persalinan"),
    "work_accident": N_("Cuti kecelakaan kerja"),
}
DEDUCTED = frozenset({"annual", "specific_reason"})  # both come out of the same 12 days (000 §7d)
LONG_LEAVE = frozenset({"maternity", "work_accident"})  # up to 3 months, not deducted (000 §7d)

LEAVE_STATUS_LABELS = {
    "pending": "Menunggu keputusan",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "cancelled": "Dibatalkan",
}

# 000 §11: the three elements of the monthly assessment.
ASSESSMENT_ELEMENTS = (
    ("discipline", N_("Disiplin kerja")),
    ("responsibility", N_("Tanggung jawab penyelesaian pekerjaan")),
    ("compliance", N_("Ketaatan terhadap kewajiban dan larangan")),
)

# 000 §6A: the duties a–o of an Admin Pontive Center, the template copied into each contract.
DUTY_TEMPLATE = (
    (
        "a",
        "Membantu membuat, mengelola, mengontrol dan mengembangkan situs resmi Pemerintah Kota serta aplikasi, baik tunggal maupun terintegrasi",
    ),
    ("b", "Mengelola akun YouTube Pontive Center"),
    ("c", "Mengelola dan mengembangkan website Dinas Komunikasi dan Informatika"),
    ("d", "Membuat aplikasi berbasis web maupun Android/iOS"),
    ("e", "Mengelola repository Pemerintah Kota"),
    ("f", "Mengelola aplikasi JEPIN, aplikasi single window Pemerintah Kota"),
    ("g", "Memonitor CCTV Kota"),
    (
        "h",
        "Membantu menyusun rencana kebutuhan penyediaan, pemeliharaan dan perawatan prasarana dan sarana informatika Pontive Center",
    ),
    ("i", "Melaksanakan penyediaan, pemeliharaan dan perawatan prasarana dan sarana informatika Pontive Center"),
    (
        "j",
        "Mengelola operasional, ketersediaan, kelaikan dan kesiapan prasarana dan sarana informatika Pontive Center termasuk CCTV",
    ),
    ("k", "Melaksanakan pengelolaan teknologi informatika Pontive Center"),
    ("l", "Mengelola Ruang Pontive Center"),
    ("m", "Melaporkan dan mempertanggungjawabkan pelaksanaan tugas"),
    ("n", "Melaksanakan tugas tambahan lain yang diberikan atasan"),
    ("o", "Melakukan pengelolaan dan penyusunan laporan di Bidang Teknologi Informasi"),
)


class LeaveError(ValueError):
    pass


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_leave_last_day(start: dt.date) -> dt.date:
    """The last day of a 3-month maternity or work-accident leave starting on ``start``."""
    return add_months(start, LONG_LEAVE_MONTHS) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Balance:
    quota: int
    used: int  # approved, deducted days
    pending: int  # requested, not yet decided, deducted days

    @property
    def available(self) -> int:
        """What can still be asked: pending requests already count against it (issue 6 §3)."""
        return max(self.quota - self.used - self.pending, 0)

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)


def check_request(
    kind: str,
    start: dt.date,
    end: dt.date,
    working_days: int,
    *,
    balance: Balance,
    specific_reason_taken: int,
    contract_start: dt.date,
    contract_end: dt.date,
    overlaps: bool,
    today: dt.date,
) -> None:
    """Why a leave request cannot be sent (000 §7d), or nothing."""
    if kind not in LEAVE_KINDS:
        raise LeaveError("Jenis cuti tidak dikenal.")
    if end < start:
        raise LeaveError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if start < today:
        raise LeaveError("Cuti tidak dapat diajukan untuk tanggal yang sudah lewat.")
    if start < contract_start or end > contract_end:
        raise LeaveError("Cuti harus berada dalam masa kontrak.")
    if working_days == 0:
        raise LeaveError("Rentang tanggal ini tidak mencakup hari kerja (akhir pekan atau hari libur).")
    if overlaps:
        raise LeaveError("Rentang tanggal ini bertumpang tindih dengan permohonan cuti lain.")
    if kind in LONG_LEAVE:
        if end > long_leave_last_day(start):
            raise LeaveError(
                f"{LEAVE_KINDS[kind]} paling lama 3 bulan (sampai {long_leave_last_day(start).isoformat()})."
            )
        return
    if kind == "specific_reason" and specific_reason_taken + working_days > SPECIFIC_REASON_MAX:
        raise LeaveError(
            f"Cuti alasan tertentu maksimal {SPECIFIC_REASON_MAX} hari kerja; sudah {specific_reason_taken} hari, diminta {working_days} hari."
        )
    if working_days > balance.available:
        raise LeaveError(
            f"Sisa cuti yang dapat diajukan {balance.available} hari kerja, diminta {working_days} hari kerja."
        )


def deducted_days(kind: str, working_days: int) -> int:
    return working_days if kind in DEDUCTED else 0


def overlaps(start: dt.date, end: dt.date, ranges: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(start <= other_end and other_start <= end for other_start, other_end in ranges)


def month_result(discipline: bool, responsibility: bool, compliance: bool) -> str:
    """The month is "baik" only when all three elements are good (000 §11)."""
    return "baik" if (discipline and responsibility and compliance) else "buruk"


def suggested_recommendation(results: Iterable[str]) -> str:
    """From the months' results (000 §11: the accumulated evaluation guides next year's selection)."""
    values = list(results)
    if not values:
        return "consider"
    bad = values.count("buruk")
    if bad == 0:
        return "extend"
    if bad * 2 >= len(values):
        return "not_extend"
    return "consider"


RECOMMENDATIONS = {
    "extend": N_("Direkomendasikan untuk dilanjutkan tahun berikutnya"),
    "consider": N_("Dapat dipertimbangkan dengan catatan"),
    "not_extend": N_("Tidak direkomendasikan"),
}


def components_match(total: Decimal, wage: Decimal, bpjs_health: Decimal, bpjs_employment: Decimal) -> bool:
    """The contract value is the sum of its components: wage, BPJS Kesehatan, BPJS Ketenagakerjaan (000 §5B)."""
    return total == wage + bpjs_health + bpjs_employment


def ending_soon(end: dt.date, today: dt.date) -> bool:
    return 0 <= (end - today).days <= ENDING_NOTICE_DAYS


def contract_months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
