"""Identity numbers, passwords and lockout (DESIGN "Users and roles"; GLOSSARY NIP/NIK)."""

import datetime as dt

import pytest

from pontive.accounts import rules


@pytest.mark.parametrize(
    "nip",
    ["198503302010011002", "197001012000122001"],
)
def test_valid_nip_is_accepted(nip):
    assert rules.nip_problem(nip) is None


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("19850330201001100", "18 digit"),  # 17 digits
        ("1985033020100110021", "18 digit"),  # 19 digits
        ("19850330201001100A", "18 digit"),
        ("198502302010011002", "tanggal lahir"),  # 30 February
        ("198503302010131002", "bulan pengangkatan"),  # month 13
        ("198503302010013002", "jenis kelamin"),  # sex digit 3
    ],
)
def test_invalid_nip_says_why(nip, fragment):
    assert fragment in rules.nip_problem(nip)


@pytest.mark.parametrize("nik", ["3275014509900001", "3275010509900001"])
def test_valid_nik_is_accepted_for_men_and_women(nik):
    # 45 = day 5 for a woman (day + 40)
    assert rules.nik_problem(nik) is None


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("327501450990000", "16 digit"),
        ("32750145099000012", "16 digit"),
        ("3275x14509900001", "16 digit"),
        ("0975014509900001", "kode provinsi"),
        ("3275013513900001", "tanggal lahir"),  # day 35: neither a man's nor a woman's
        ("3275010513900001", "tanggal lahir"),  # month 13
    ],
)
def test_invalid_nik_says_why(nik, fragment):
    assert fragment in rules.nik_problem(nik)


def test_password_length_and_username():
    assert "minimal 12" in rules.password_problem("pendek")
    assert rules.password_problem("x" * 129).startswith("Kata sandi maksimal")
    assert "nama pengguna" in rules.password_problem("koordinator1", username="Koordinator1")
    assert rules.password_problem("kalimat-sandi-panjang") is None


def test_lockout_starts_at_the_fifth_failure():
    now = dt.datetime(2026, 11, 23, 8, 0)
    policy = rules.LockoutPolicy(max_failures=5, lock_minutes=15)
    assert rules.lock_after_failure(4, now, policy) is None
    assert rules.lock_after_failure(5, now, policy) == now + dt.timedelta(minutes=15)


def test_a_lock_ends_when_its_time_is_up():
    now = dt.datetime(2026, 11, 23, 8, 0)
    assert rules.is_locked(now + dt.timedelta(seconds=1), now)
    assert not rules.is_locked(now, now)
    assert not rules.is_locked(None, now)
