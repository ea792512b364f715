"""Catalogue rules: URLs, repository identity, IP addresses, SOP timeliness (001), warranty (003 §6)."""

import datetime as dt

import pytest

from pontive.catalogue import rules


def test_urls_must_be_complete_http_addresses():
    assert rules.check_url("https://sipd.bekasikota.go.id") == "https://sipd.bekasikota.go.id"
    for bad in ("sipd.bekasikota.go.id", "ftp://x.go.id", "https://", "http://a b.go.id"):
        with pytest.raises(rules.CatalogueError, match="tidak valid"):
            rules.check_url(bad)


def test_one_repository_one_identity():
    a = rules.normalise_repository("https://Git.BekasiKota.go.id/diskominfo/simpeg.git/")
    b = rules.normalise_repository("https://git.bekasikota.go.id/diskominfo/simpeg")
    assert a == b == "https://git.bekasikota.go.id/diskominfo/simpeg"


@pytest.mark.parametrize("value", ["10.20.30.40", "2001:db8::1"])
def test_ip_addresses(value):
    assert rules.check_ip(value) == value


@pytest.mark.parametrize("value", ["10.20.30.400", "server-1", "10.0.0.0/24", ""])
def test_not_an_ip_address(value):
    with pytest.raises(rules.CatalogueError, match="bukan alamat IP"):
        rules.check_ip(value)


def test_warranty_is_one_year_from_handover():
    """003 §6: "garansi selama 1 tahun"."""
    assert rules.warranty_end(dt.date(2026, 3, 2)) == dt.date(2027, 3, 1)
    assert rules.warranty_end(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_warranty_ending_within_60_days_is_flagged():
    today = dt.date(2026, 11, 23)
    assert rules.warranty_ending_soon(today + dt.timedelta(days=60), today)
    assert not rules.warranty_ending_soon(today + dt.timedelta(days=61), today)
    assert not rules.warranty_ending_soon(today - dt.timedelta(days=1), today)


def test_a_step_past_its_standard_duration_is_late():
    """001 "Mutu Baku — Waktu": e.g. step 1 (HPS and KAK) takes 5 days."""
    start = dt.datetime(2026, 11, 2, 8)
    five_days = 5 * 24 * 60
    assert not rules.step_late(start, start + dt.timedelta(days=5), five_days, start)
    assert rules.step_late(start, start + dt.timedelta(days=5, minutes=1), five_days, start)
    assert rules.step_late(start, None, five_days, start + dt.timedelta(days=6))  # still open, already late
    assert not rules.step_late(None, None, five_days, start)


def test_a_step_cannot_finish_before_it_starts():
    with pytest.raises(rules.CatalogueError, match="sebelum dimulai"):
        rules.step_minutes(dt.datetime(2026, 11, 2), dt.datetime(2026, 11, 1))


def test_durations_read_like_the_sop():
    assert rules.format_duration(7200) == "5 hari" and rules.format_duration(120) == "120 menit"


def test_missing_data_for_operators():
    assert rules.missing_data({"status": "production"}, 0) == [
        "URL",
        "repositori",
        "lokasi hosting",
        "deskripsi",
        "pemelihara",
    ]
