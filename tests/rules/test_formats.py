"""Indonesian dates and rupiah as users read them (Standards: "23 November 2026", "Rp 15.250.000")."""

import datetime as dt
from decimal import Decimal

from pontive.core import formats


def test_date_in_indonesian_and_english():
    assert formats.format_date(dt.date(2026, 11, 23)) == "23 November 2026"
    assert formats.format_date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert formats.format_date(dt.date(2026, 8, 17), "en") == "17 August 2026"
    assert formats.format_date(dt.date(2026, 11, 23), weekday=True) == "Senin, 23 November 2026"
    assert formats.format_date(None) == "—"


def test_datetime_uses_a_dot_in_indonesian():
    value = dt.datetime(2026, 11, 23, 14, 5)
    assert formats.format_datetime(value) == "23 November 2026 14.05"
    assert formats.format_datetime(value, "en") == "23 November 2026 14:05"


def test_rupiah():
    assert formats.format_rupiah(15_250_000) == "Rp 15.250.000"
    assert formats.format_rupiah(Decimal("999.5")) == "Rp 1.000"
    assert formats.format_rupiah(0) == "Rp 0"
    assert formats.format_rupiah(-2500) == "-Rp 2.500"
    assert formats.format_rupiah(None) == "—"


def test_number_uses_indonesian_separators():
    assert formats.format_number(12345.678, 1) == "12.345,7"
    assert formats.format_number(1200) == "1.200"
