"""Pure account rules: identity numbers, passwords and login lockout.

No Flask, no database, no clock: the caller passes ``now``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Password length: OWASP ASVS 5.0 V6.2.1 asks for at least 8; we ask for 12 and accept up to 128.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128


def nip_problem(nip: str) -> str | None:
    """Why an NIP is not valid, or None. NIP: 18 digits — birth date (8), appointment
    month (6), sex (1: 1 or 2), serial (3) (PP 11/2017 numbering, GLOSSARY "NIP")."""
    if not nip.isdigit() or len(nip) != 18:
        return "NIP harus terdiri dari 18 digit angka."
    try:
        dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "NIP tidak valid: 8 digit pertama harus tanggal lahir (TTTTBBHH)."
    if not 1 <= int(nip[12:14]) <= 12:
        return "NIP tidak valid: digit 13–14 harus bulan pengangkatan (01–12)."
    if nip[14] not in "12":
        return "NIP tidak valid: digit ke-15 (jenis kelamin) harus 1 atau 2."
    return None


def nik_problem(nik: str) -> str | None:
    """Why an NIK is not valid, or None. NIK: 16 digits — region (6), birth date DDMMYY
    with 40 added to the day for women (6), serial (4) (GLOSSARY "NIK")."""
    if not nik.isdigit() or len(nik) != 16:
        return "NIK harus terdiri dari 16 digit angka."
    if not 11 <= int(nik[0:2]) <= 96:
        return "NIK tidak valid: 2 digit pertama harus kode provinsi."
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return "NIK tidak valid: digit 7–12 harus tanggal lahir (HHBBTT)."
    return None


def password_problem(password: str, *, username: str = "") -> str | None:
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Kata sandi minimal {PASSWORD_MIN_LENGTH} karakter."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Kata sandi maksimal {PASSWORD_MAX_LENGTH} karakter."
    if username and password.lower() == username.lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    return None


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and locked_until > now


def lock_after_failure(failures: int, now: dt.datetime, policy: LockoutPolicy) -> dt.datetime | None:
    """Given the failure count *including* this failure, when the name is locked until (or None)."""
    if failures >= policy.max_failures:
        return now + dt.timedelta(minutes=policy.lock_minutes)
    return None
