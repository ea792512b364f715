"""Pure catalogue rules: well-formed URLs and IP addresses, repository identity, SOP step
timeliness (seed 001), the one-year warranty (seed 003 §6). No Flask, no database, no clock."""

from __future__ import annotations

import datetime as dt
import ipaddress
from urllib.parse import urlsplit


def N_(text: str) -> str:
    """Marks a label for translation (pybabel extract -k N_); the template translates it with _()."""
    return text


WARRANTY_YEARS = 1  # "garansi selama 1 tahun" (003 §6)
WARRANTY_NOTICE_DAYS = 60  # warranties ending within 60 days are flagged (issue 7 §3)

KINDS = {
    "web": N_("Web"),
    "android": N_("Android"),
    "ios": N_("iOS"),
    "desktop": N_("Desktop"),
    "api": N_("API/layanan"),
}
STATUSES = {
    "proposed": N_("Usulan"),
    "development": N_("Dalam pengembangan"),
    "production": N_("Produksi"),
    "maintenance": N_("Pemeliharaan"),
    "retired": N_("Dihentikan"),
}
HOSTING = {"city_dc": N_("Pusat data kota"), "cloud": N_("Cloud"), "vendor": N_("Penyedia (vendor)")}
VISIBILITY = {"private": N_("Privat"), "internal": N_("Internal"), "public": N_("Publik")}
DOCUMENT_KINDS = {
    "kak": N_("KAK"),
    "hps": N_("HPS"),
    "contract": N_("Kontrak"),
    "manual": N_("Buku panduan"),
    "handover": N_("BA Serah Terima"),
    "source": N_("Arsip kode sumber"),
}
# The phases of a development project (003: 1) perencanaan … 6) maintenance dan garansi).
PHASES = {
    "planning": N_("Perencanaan"),
    "design": N_("Perancangan"),
    "execution": N_("Pelaksanaan pekerjaan"),
    "implementation": N_("Implementasi"),
    "evaluation": N_("Evaluasi"),
    "maintenance": N_("Maintenance dan garansi"),
}


class CatalogueError(ValueError):
    pass


def check_url(value: str, label: str = "URL") -> str:
    """An http(s) URL with a host, or an error that says so."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise CatalogueError(f"{label} tidak valid: gunakan alamat lengkap seperti https://contoh.go.id.")
    return value


def normalise_repository(url: str) -> str:
    """One repository, one identity: host lowercased, no trailing slash or ".git", no credentials."""
    parts = urlsplit(check_url(url, "URL repositori"))
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"https://{host}{port}{path}"


def check_ip(value: str) -> str:
    """An IPv4 or IPv6 address (not a range, not a host name)."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as exc:
        raise CatalogueError(f"“{value.strip()}” bukan alamat IP yang valid.") from exc


def warranty_end(handover: dt.date) -> dt.date:
    """One year of warranty from the handover (003 §6): the day before the anniversary."""
    try:
        anniversary = handover.replace(year=handover.year + WARRANTY_YEARS)
    except ValueError:
        anniversary = dt.date(handover.year + WARRANTY_YEARS, 3, 1)
    return anniversary - dt.timedelta(days=1)


def warranty_ending_soon(end: dt.date | None, today: dt.date) -> bool:
    return end is not None and 0 <= (end - today).days <= WARRANTY_NOTICE_DAYS


def step_minutes(started: dt.datetime, finished: dt.datetime) -> int:
    if finished < started:
        raise CatalogueError("Langkah tidak dapat selesai sebelum dimulai.")
    return int((finished - started).total_seconds() // 60)


def step_late(
    started: dt.datetime | None, finished: dt.datetime | None, max_minutes: int | None, now: dt.datetime
) -> bool:
    """A step past its standard duration (seed 001 "Mutu Baku — Waktu") is late, finished or not."""
    if started is None or max_minutes is None:
        return False
    end = finished or now
    return end >= started and step_minutes(started, end) > max_minutes


def format_duration(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} hari"
    if minutes >= 24 * 60:
        return f"{minutes / (24 * 60):.1f} hari".replace(".", ",")
    return f"{minutes} menit"


MISSING_FIELDS = (
    ("url", N_("URL")),
    ("repo_url", N_("repositori")),
    ("hosting_location", N_("lokasi hosting")),
    ("description", N_("deskripsi")),
)


def missing_data(values: dict[str, object], maintainers: int) -> list[str]:
    """What an operator should still fill in (issue 7 §6 "applications with missing data")."""
    missing = [label for key, label in MISSING_FIELDS if not values.get(key)]
    if values.get("status") in ("production", "maintenance") and not maintainers:
        missing.append(N_("pemelihara"))
    return missing
