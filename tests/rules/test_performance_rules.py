"""Performance rules with their sources: achievement and cap (issue 5 §4), averages (004), the
predikat matrix (PermenPANRB 6/2022 via DESIGN §3), quotas (004 "kuota predikat"), due dates, locks."""

import datetime as dt
from decimal import Decimal as D

import pytest

from pontive.performance import rules


def test_achievement_is_realisation_over_target():
    assert rules.achievement(D(8), D(10)) == D("80.00")
    assert rules.achievement(D(1), D(3)) == D("33.33")


def test_achievement_is_capped_at_120_by_default_and_configurable():
    assert rules.achievement(D(15), D(10)) == D("120.00")
    assert rules.achievement(D(15), D(10), cap=D(150)) == D("150.00")
    assert rules.achievement(D(12), D(10)) == D("120.00")  # exactly at the cap


def test_zero_target_is_refused():
    with pytest.raises(rules.PerformanceError):
        rules.achievement(D(1), D(0))


def test_monthly_achievement_is_the_mean_of_the_action_plans():
    assert rules.monthly_achievement([D(100), D(80), D(120)]) == D("100.00")
    assert rules.monthly_achievement([]) is None


def test_koordinator_achievement_is_the_mean_of_members_with_a_figure():
    """004: "Capaian … Kepala Dinas: diambil dari rata-rata capaian langsung dari bawahan"."""
    assert rules.koordinator_achievement([D(90), D(110), None]) == D("100.00")
    assert rules.koordinator_achievement([None]) is None


@pytest.mark.parametrize(
    ("results", "behaviour", "expected"),
    [
        ("above", "below", "Kurang/Misconduct"),
        ("above", "as", "Baik"),
        ("above", "above", "Sangat Baik"),
        ("as", "below", "Kurang/Misconduct"),
        ("as", "as", "Baik"),
        ("as", "above", "Baik"),
        ("below", "below", "Sangat Kurang"),
        ("below", "as", "Butuh Perbaikan"),
        ("below", "above", "Butuh Perbaikan"),
    ],
)
def test_predikat_matrix_all_nine_cells(results, behaviour, expected):
    assert rules.predikat(results, behaviour) == expected


def test_unknown_rating_is_refused():
    with pytest.raises(rules.PerformanceError):
        rules.predikat("great", "as")


def test_quota_breach_names_the_members():
    assigned = {"Ani": "Sangat Baik", "Budi": "Sangat Baik", "Citra": "Baik", "Dedi": "Baik"}
    breaches = rules.quota_breaches(assigned, {"Sangat Baik": D(25)})
    assert len(breaches) == 1
    breach = breaches[0]
    assert (breach.predikat, breach.count, breach.allowed, breach.members) == ("Sangat Baik", 2, 1, ("Ani", "Budi"))


def test_quota_exactly_met_is_no_breach_and_no_quota_is_unlimited():
    assigned = {"Ani": "Sangat Baik", "Budi": "Baik", "Citra": "Baik", "Dedi": "Baik"}
    assert rules.quota_breaches(assigned, {"Sangat Baik": D(25)}) == []
    assert rules.quota_breaches(assigned, {}) == []


def test_due_date_is_the_configured_day_of_next_month():
    assert rules.due_date(2026, 11, 5) == dt.date(2026, 12, 5)
    assert rules.due_date(2026, 12, 5) == dt.date(2027, 1, 5)
    assert rules.due_date(2027, 1, 31) == dt.date(2027, 2, 28)


def test_late_reports():
    today = dt.date(2026, 12, 6)
    assert rules.is_late(2026, 11, "draft", None, today)
    assert not rules.is_late(2026, 11, "draft", None, dt.date(2026, 12, 5))
    assert not rules.is_late(2026, 11, "submitted", dt.date(2026, 12, 5), today)
    assert rules.is_late(2026, 11, "submitted", dt.date(2026, 12, 6), today)


def test_quarters():
    assert rules.quarter_of(1) == 1 and rules.quarter_of(12) == 4
    assert rules.quarter_months(2) == (4, 5, 6)


def test_validated_month_is_locked_and_only_the_sekretaris_unlocks():
    """004 "dikunci per bulan": nothing changes after validation except an unlock by the sekretaris."""
    assert rules.is_editable("draft") and rules.is_editable("returned")
    assert not rules.is_editable("submitted") and not rules.is_editable("validated")
    with pytest.raises(rules.PerformanceError, match="sekretaris"):
        rules.check_report_move("validated", "returned", "koordinator")
    rules.check_report_move("validated", "returned", "sekretaris")
    with pytest.raises(rules.PerformanceError):
        rules.check_report_move("validated", "draft", "sekretaris")
    with pytest.raises(rules.PerformanceError, match="koordinator"):
        rules.check_report_move("submitted", "validated", "member")


def test_every_action_plan_needs_evidence():
    """004: "Bukti dukung … wajib di unggah"."""
    assert rules.missing_evidence([1, 2, 3], {1: 2, 3: 1}) == [2]


@pytest.mark.parametrize("text", ["abc", "", "1,2,3", "-5"])
def test_a_realisation_that_is_not_a_number_is_refused(text):
    with pytest.raises(rules.PerformanceError):
        rules.parse_value(text, "Realisasi")


def test_values_accept_indonesian_decimal_comma():
    assert rules.parse_value("12,5") == D("12.5") and rules.parse_value("3") == D(3)
