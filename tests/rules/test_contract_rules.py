"""Contract rules with their clauses (seed 000 — KAK Pontianak 2020)."""

import datetime as dt
from decimal import Decimal

import pytest

from pontive.contracts import rules
from pontive.core.workdays import count_working_days

D = dt.date
TODAY = D(2026, 11, 23)


def check(
    kind="annual", start=D(2026, 12, 1), end=D(2026, 12, 2), days=2, used=0, pending=0, specific=0, overlaps=False
):
    rules.check_request(
        kind,
        start,
        end,
        days,
        balance=rules.Balance(12, used, pending),
        specific_reason_taken=specific,
        contract_start=D(2026, 8, 1),
        contract_end=D(2026, 12, 31),
        overlaps=overlaps,
        today=TODAY,
    )


def test_annual_quota_is_12_working_days():
    """000 §7d: "12 (dua belas) hari kerja dalam satu tahun"."""
    check(days=12)
    with pytest.raises(rules.LeaveError, match="Sisa cuti yang dapat diajukan 12 hari kerja, diminta 13"):
        check(days=13, end=D(2026, 12, 17))


def test_pending_requests_count_against_what_can_be_asked():
    with pytest.raises(rules.LeaveError, match="Sisa cuti yang dapat diajukan 2"):
        check(days=3, used=6, pending=4)
    assert rules.Balance(12, 6, 4).available == 2 and rules.Balance(12, 6, 4).remaining == 6


def test_specific_reason_leave_is_capped_at_12_and_deducted_from_the_same_quota():
    """000 §7d: specific-reason leave "maksimal 12 hari dan akan mengurangi jumlah cuti"."""
    assert rules.deducted_days("specific_reason", 3) == 3
    with pytest.raises(rules.LeaveError, match="alasan tertentu maksimal 12"):
        check(kind="specific_reason", days=3, specific=10)
    with pytest.raises(rules.LeaveError, match="Sisa cuti"):
        check(kind="specific_reason", days=3, used=10)


def test_maternity_and_work_accident_leave_up_to_3_months_not_deducted():
    """000 §7d: "Cuti persalinan dan kecelakaan kerja paling lama 3 (tiga) bulan"."""
    assert rules.deducted_days("maternity", 60) == 0 and rules.deducted_days("work_accident", 5) == 0
    check(kind="maternity", start=D(2026, 9, 1) + dt.timedelta(days=90), end=D(2026, 12, 29), days=20, used=12)
    assert rules.long_leave_last_day(D(2026, 9, 1)) == D(2026, 11, 30)
    with pytest.raises(rules.LeaveError, match="paling lama 3 bulan"):
        rules.check_request(
            "maternity",
            D(2026, 11, 30),
            D(2027, 3, 1),
            60,
            balance=rules.Balance(12, 0, 0),
            specific_reason_taken=0,
            contract_start=D(2026, 1, 1),
            contract_end=D(2027, 12, 31),
            overlaps=False,
            today=TODAY,
        )


def test_bad_ranges_are_refused_with_a_clear_message():
    with pytest.raises(rules.LeaveError, match="sebelum tanggal mulai"):
        check(start=D(2026, 12, 3), end=D(2026, 12, 1))
    with pytest.raises(rules.LeaveError, match="tidak mencakup hari kerja"):
        check(start=D(2026, 12, 5), end=D(2026, 12, 6), days=0)
    with pytest.raises(rules.LeaveError, match="bertumpang tindih"):
        check(overlaps=True)
    with pytest.raises(rules.LeaveError, match="sudah lewat"):
        check(start=D(2026, 11, 20), end=D(2026, 11, 24))
    with pytest.raises(rules.LeaveError, match="masa kontrak"):
        check(start=D(2026, 12, 30), end=D(2027, 1, 4))


def test_working_days_skip_weekends_and_holidays_across_the_year_boundary():
    """000 §7d counts leave in working days: 24 Dec (cuti bersama), 25 Dec and 1 Jan excluded."""
    holidays = {D(2026, 12, 24), D(2026, 12, 25), D(2027, 1, 1)}
    # Mon 21 Dec 2026 – Fri 8 Jan 2027: 15 weekdays less 3 holidays
    assert count_working_days(D(2026, 12, 21), D(2027, 1, 8), holidays) == 12


def test_overlap_detection():
    assert rules.overlaps(D(2026, 12, 1), D(2026, 12, 3), [(D(2026, 12, 3), D(2026, 12, 4))])
    assert not rules.overlaps(D(2026, 12, 1), D(2026, 12, 2), [(D(2026, 12, 3), D(2026, 12, 4))])


@pytest.mark.parametrize(
    ("values", "result"),
    [
        ((True, True, True), "baik"),
        ((False, True, True), "buruk"),
        ((True, False, True), "buruk"),
        ((True, True, False), "buruk"),
    ],
)
def test_the_month_is_baik_only_when_all_three_elements_are_good(values, result):
    """000 §11: discipline, responsibility, obligations and prohibitions → baik / buruk."""
    assert rules.month_result(*values) == result


def test_recommendation_follows_the_months():
    assert rules.suggested_recommendation(["baik"] * 5) == "extend"
    assert rules.suggested_recommendation(["baik"] * 4 + ["buruk"]) == "consider"
    assert rules.suggested_recommendation(["buruk"] * 3 + ["baik"] * 2) == "not_extend"


def test_contract_value_is_the_sum_of_its_components():
    """000 §5B–C: upah, BPJS Kesehatan, BPJS Ketenagakerjaan; e.g. Rp 15.250.000."""
    assert rules.components_match(Decimal(15_250_000), Decimal(14_000_000), Decimal(750_000), Decimal(500_000))
    assert not rules.components_match(Decimal(15_250_000), Decimal(14_000_000), Decimal(750_000), Decimal(0))


def test_duty_template_has_the_15_duties_a_to_o():
    """000 §6A a–o."""
    assert [code for code, _ in rules.DUTY_TEMPLATE] == list("abcdefghijklmno")


def test_ending_soon_within_30_days():
    assert rules.ending_soon(TODAY + dt.timedelta(days=30), TODAY)
    assert not rules.ending_soon(TODAY + dt.timedelta(days=31), TODAY)
