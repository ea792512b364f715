"""The discipline letters as PDF (002 §15(3)–(5)): the koordinator's warning (surat peringatan) to a
member absent from 3 meetings running without a written excuse, and the ketua's proposal to the
Wali Kota, through the pembina, to dismiss a member inactive for 2 months running.

Each function gathers what the letter says and hands it to ``core.letters.render_pdf``; the
templates extend ``letters/base_letter.html``, so both carry the one letterhead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.formats import format_date, month_name
from pontive.core.letters import render_pdf
from pontive.recruitment.models import SelectionCategory
from pontive.team.models import Attendance, AttendanceStatus, DisciplineLetter, LetterType, Meeting, MeetingScope

REGULATION = (
    "Peraturan Wali Kota Bekasi Nomor 131.A Tahun 2019 tentang Tim Programmer dalam Penyelenggaraan "
    "Sistem Pemerintahan Berbasis Elektronik Pemerintah Kota Bekasi"
)
# The clauses the letters quote (002 §15(3)–(5)).
CLAUSE_3 = (
    "Anggota yang tidak hadir dalam rapat tanpa alasan tertulis yang dapat dipertanggungjawabkan hingga "
    "3 (tiga) kali secara berturut-turut dikenakan peringatan oleh Koordinator."
)
CLAUSE_4 = (
    "Anggota yang tidak aktif melaksanakan tugas dan fungsinya tanpa alasan tertulis yang dapat "
    "dipertanggungjawabkan paling lama 2 (dua) bulan berturut-turut akan diberhentikan dari keanggotaan "
    "tim sebagai Tim Programmer."
)
CLAUSE_5 = "Pemberhentian anggota diajukan oleh ketua kepada Wali Kota melalui Pembina."

FILENAMES = {LetterType.WARNING: "surat-peringatan", LetterType.DISMISSAL_PROPOSAL: "usulan-pemberhentian"}


def letter_filename(letter: DisciplineLetter) -> str:
    return f"{FILENAMES[letter.kind]}-{letter.id}.pdf"


def _category_name(session: Session, category_id: int | None) -> str:
    if category_id is None:
        return "—"
    category = session.get(SelectionCategory, category_id)
    return category.name if category else "—"


def missed_meetings(session: Session, letter: DisciplineLetter) -> list[dict[str, str]]:
    """The run of meetings missed without a written excuse that the warning is about: from the
    breach's first meeting, every meeting in a row the member was absent from."""
    membership = letter.membership
    _, _, first_id = letter.breach_key.partition(":")
    rows = session.execute(
        select(Meeting.id, Meeting.date, Meeting.scope, Meeting.agenda, Attendance.status)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Attendance.member_id == membership.member_id)
        .order_by(Meeting.date, Meeting.id)
    ).all()
    missed: list[dict[str, str]] = []
    started = False
    for meeting_id, when, scope, agenda, status in rows:
        if not started:
            started = str(meeting_id) == first_id
            if not started:
                continue
        if status != AttendanceStatus.ABSENT:
            break
        missed.append(
            {
                "day": format_date(when.date(), "id", weekday=True),
                "time": f"{when.hour:02d}.{when.minute:02d}",
                "scope": "Rapat tim" if scope == MeetingScope.TEAM else "Rapat OPD",
                "agenda": agenda.splitlines()[0] if agenda else "",
            }
        )
    return missed


def _decree(membership) -> str:
    return f"Nomor {membership.decree_number} tanggal {format_date(membership.decree_date, 'id')}"


def warning_context(session: Session, letter: DisciplineLetter) -> dict[str, Any]:
    membership = letter.membership
    member = membership.member
    opd = membership.placement_opd
    issuer = letter.issued_by
    opd_name = opd.name if opd else "Perangkat Daerah"
    return {
        "number": letter.number,
        "date": letter.letter_date,
        "nature": "Penting",
        "subject": "Peringatan Ketidakhadiran Rapat",
        "recipient": f"Saudara/i {member.full_name}",
        "recipient_place": "Tempat",
        "member_name": member.full_name,
        "category": _category_name(session, membership.category_id),
        "opd_name": opd_name,
        "decree": _decree(membership),
        "regulation": REGULATION,
        "clause": CLAUSE_3,
        "breach": letter.breach,
        "meetings": missed_meetings(session, letter),
        "signer_title": f"Koordinator Tim Programmer pada {opd_name},",
        "signer_name": issuer.full_name if issuer else "",
        "signer_nip": issuer.nip if issuer else None,
        "copies": ["Ketua Tim Programmer", "Sekretaris Tim Programmer"],
    }


def inactive_months_text(breach_key: str) -> str:
    """ "September dan Oktober 2026", "Desember 2026 dan Januari 2027" for "inactive:2026-09"."""
    try:
        year, month = (int(part) for part in breach_key.partition(":")[2].split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        return ""
    second = (first + dt.timedelta(days=32)).replace(day=1)
    if first.year == second.year:
        return f"{month_name(first.month)} dan {month_name(second.month)} {second.year}"
    return f"{month_name(first.month)} {first.year} dan {month_name(second.month)} {second.year}"


def dismissal_context(session: Session, letter: DisciplineLetter) -> dict[str, Any]:
    membership = letter.membership
    member = membership.member
    opd = membership.placement_opd
    issuer = letter.issued_by
    opd_name = opd.name if opd else "—"
    opd_short = (opd.short_name or opd.name) if opd else ""
    return {
        "number": letter.number,
        "date": letter.letter_date,
        "nature": "Penting",
        "subject": "Usulan Pemberhentian Anggota Tim",
        "member_name": member.full_name,
        "member_nik": member.nik,
        "category": _category_name(session, membership.category_id),
        "opd_name": opd_name,
        "decree": _decree(membership),
        "term": f"{format_date(membership.start_date, 'id')} s.d. {format_date(membership.end_date, 'id')}",
        "regulation": REGULATION,
        "clause_4": CLAUSE_4,
        "clause_5": CLAUSE_5,
        "breach": letter.breach,
        "inactive_months": inactive_months_text(letter.breach_key),
        "reason": letter.reason,
        "signer_title": "Ketua Tim Programmer,",
        "signer_name": issuer.full_name if issuer else "",
        "signer_nip": issuer.nip if issuer else None,
        "copies": ["Sekretaris Tim Programmer", f"Koordinator Tim Programmer {opd_short}"],
    }


def render_discipline_letter(session: Session, letter: DisciplineLetter) -> bytes:
    if letter.kind == LetterType.WARNING:
        return render_pdf("letters/warning.html", **warning_context(session, letter))
    return render_pdf("letters/dismissal_proposal.html", **dismissal_context(session, letter))
