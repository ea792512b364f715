"""Use cases of the shared settings: the letterhead and the holiday calendar.

No request and no current_user here: the acting user is always an argument.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pontive.core.audit import audit, snapshot
from pontive.core.formats import format_date
from pontive.core.models import Holiday, Letterhead
from pontive.core.uploads import LETTERHEAD_LOGO, save_upload
from pontive.core.uploads import gettext_or_plain as _


class SettingsError(ValueError):
    """A change the rules refuse; the message is shown to the user as is."""


# --- letterhead ------------------------------------------------------------------------------

DEFAULT_LETTERHEAD: dict[str, str] = {
    "government": "PEMERINTAH KOTA BEKASI",
    "agency": "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN",
    "address": "Jl. Jenderal Ahmad Yani No. 1, Kelurahan Marga Jaya, Kecamatan Bekasi Selatan",
    "city": "Bekasi",
    "phone": "",
    "email": "",
    "website": "",
}
LETTERHEAD_FIELDS = ["government", "agency", "address", "city", "phone", "email", "website"]
LOGO_KINDS = ("png", "jpeg")


def get_letterhead(session: Session) -> Letterhead | None:
    """The one saved letterhead, if an admin has saved it."""
    return session.scalar(select(Letterhead).order_by(Letterhead.id).limit(1))


def current_letterhead(session: Session) -> Letterhead:
    """The letterhead every letter uses: the saved one, or the city's defaults (not saved)."""
    return get_letterhead(session) or Letterhead(**DEFAULT_LETTERHEAD)


def save_letterhead(session: Session, actor: Any, data: dict[str, Any], logo_file: Any = None) -> Letterhead:
    """Update the single letterhead (created on first save) and, if given, its new logo
    (PNG or JPEG). ``data`` holds LETTERHEAD_FIELDS and optionally ``remove_logo``.

    Raises UploadError for a refused logo; nothing is saved then.
    """
    letterhead = get_letterhead(session)
    created = letterhead is None
    if created:
        letterhead = Letterhead(**DEFAULT_LETTERHEAD)
        session.add(letterhead)
        before = None
    else:
        before = snapshot(letterhead, [*LETTERHEAD_FIELDS, "logo_id"])
    try:
        for name in LETTERHEAD_FIELDS:
            if name in data:
                setattr(letterhead, name, (data[name] or "").strip())
        for required in ("government", "agency", "address", "city"):
            if not getattr(letterhead, required):
                raise SettingsError(_("Pemerintah, perangkat daerah, alamat dan kota wajib diisi."))
        if logo_file is not None and getattr(logo_file, "filename", None):
            stored = save_upload(session, logo_file, purpose=LETTERHEAD_LOGO, uploaded_by=actor, allowed=LOGO_KINDS)
            letterhead.logo_id = stored.id
        elif data.get("remove_logo"):
            letterhead.logo_id = None
        session.flush()
        audit(
            session,
            actor,
            "letterhead_create" if created else "letterhead_update",
            letterhead,
            before=before,
            after=snapshot(letterhead, [*LETTERHEAD_FIELDS, "logo_id"]),
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return letterhead


# --- holidays --------------------------------------------------------------------------------

HOLIDAY_KINDS: dict[str, str] = {
    "libur_nasional": "Libur nasional",
    "cuti_bersama": "Cuti bersama",
}


def holidays_between(session: Session, start: dt.date, end: dt.date) -> set[dt.date]:
    """The holiday dates from ``start`` to ``end``, both included — the third argument of
    ``pontive.core.workdays.count_working_days``."""
    if end < start:
        return set()
    rows = session.scalars(select(Holiday.date).where(Holiday.date >= start, Holiday.date <= end))
    return set(rows)


def holidays_in_year(session: Session, year: int) -> list[Holiday]:
    return list(
        session.scalars(
            select(Holiday)
            .where(Holiday.date >= dt.date(year, 1, 1), Holiday.date <= dt.date(year, 12, 31))
            .order_by(Holiday.date)
        )
    )


def _duplicate_message(existing: Holiday) -> str:
    return _(
        "Tanggal %(date)s sudah terdaftar sebagai hari libur (%(name)s).",
        date=format_date(existing.date),
        name=existing.name,
    )


def add_holiday(session: Session, actor: Any, day: dt.date, kind: str, name: str) -> Holiday:
    """Add one holiday; a date can be in the calendar only once."""
    if kind not in HOLIDAY_KINDS:
        raise SettingsError(_("Jenis hari libur tidak dikenal."))
    name = " ".join((name or "").split())
    if not name:
        raise SettingsError(_("Nama hari libur wajib diisi."))
    existing = session.scalar(select(Holiday).where(Holiday.date == day))
    if existing is not None:
        raise SettingsError(_duplicate_message(existing))
    holiday = Holiday(date=day, kind=kind, name=name[:160])
    try:
        session.add(holiday)
        session.flush()
    except IntegrityError as exc:
        # Someone added the same date a moment ago.
        session.rollback()
        existing = session.scalar(select(Holiday).where(Holiday.date == day))
        raise SettingsError(_duplicate_message(existing) if existing else _("Tanggal itu sudah terdaftar.")) from exc
    audit(session, actor, "holiday_add", holiday, after=snapshot(holiday, ["date", "kind", "name"]))
    session.commit()
    return holiday


def delete_holiday(session: Session, actor: Any, holiday: Holiday) -> None:
    before = snapshot(holiday, ["date", "kind", "name"])
    holiday_id = holiday.id
    session.delete(holiday)
    audit(session, actor, "holiday_delete", entity_type="Holiday", entity_id=holiday_id, before=before)
    session.commit()
