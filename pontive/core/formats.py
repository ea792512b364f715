"""Indonesian (and English) formats for dates and money. Pure: no Flask."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def N_(text: str) -> str:
    """Marks a name for translation (pybabel extract -k N_): templates show ``_(month_name(m))``."""
    return text


MONTHS = {
    "id": [
        N_("Januari"),
        N_("Februari"),
        N_("Maret"),
        N_("April"),
        N_("Mei"),
        N_("Juni"),
        N_("Juli"),
        N_("Agustus"),
        N_("September"),
        N_("Oktober"),
        N_("November"),
        N_("Desember"),
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
DAYS = {
    "id": [N_("Senin"), N_("Selasa"), N_("Rabu"), N_("Kamis"), N_("Jumat"), N_("Sabtu"), N_("Minggu")],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def month_name(month: int, lang: str = "id") -> str:
    return MONTHS.get(lang, MONTHS["id"])[month - 1]


def format_date(value: dt.date | None, lang: str = "id", *, weekday: bool = False) -> str:
    """23 November 2026 (or "Senin, 23 November 2026")."""
    if value is None:
        return "—"
    text = f"{value.day} {month_name(value.month, lang)} {value.year}"
    if weekday:
        text = f"{DAYS.get(lang, DAYS['id'])[value.weekday()]}, {text}"
    return text


def format_datetime(value: dt.datetime | None, lang: str = "id") -> str:
    """23 November 2026 14.05 (Indonesian writes the time with a dot)."""
    if value is None:
        return "—"
    sep = "." if lang == "id" else ":"
    return f"{format_date(value.date(), lang)} {value.hour:02d}{sep}{value.minute:02d}"


def format_rupiah(amount: int | float | Decimal | None) -> str:
    """Rp 15.250.000 — whole rupiah, dots between thousands."""
    if amount is None:
        return "—"
    whole = int(Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    digits = f"{abs(whole):,}".replace(",", ".")
    return f"-Rp {digits}" if whole < 0 else f"Rp {digits}"


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """12.345,6 — Indonesian separators."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
