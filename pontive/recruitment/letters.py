"""The selection's letters as PDF: the call letter (surat pemanggilan, 002 §16(3)b–c) and the
announcement of the result signed by the Ketua Tim with its copies (002 §16(4)).

Each function gathers what the letter says and hands it to ``core.letters.render_pdf``; the
templates extend ``letters/base_letter.html``, so both carry the one letterhead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.formats import format_date
from pontive.core.letters import render_pdf
from pontive.recruitment.models import (
    Application,
    ApplicationStatus,
    CallLetter,
    LetterKind,
    RoundKind,
    SelectionCategory,
    SelectionRound,
)

# Indonesia's three time zones, as a letter names them.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

# The fixed copies of the announcement (002 §16(4) a–c, e); the home OPDs go between them (§16(4) d).
COPIES_BEFORE = ["Inspektur", "Kepala BKPPD", "Kepala BPKAD"]
COPIES_AFTER = ["Kepala Bagian Organisasi"]

ANNOUNCED = (ApplicationStatus.SELECTED, ApplicationStatus.APPOINTED)


def spaced_nip(nip: str | None) -> str | None:
    """An 18-digit NIP as letters print it: birth date, appointment month, sex, number
    ("19750312 200003 2 004")."""
    if not nip or len(nip) != 18 or not nip.isdigit():
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def zone_abbreviation() -> str:
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta")
    return ZONE_ABBREVIATIONS.get(zone, "")


def signing_ketua(session: Session) -> User | None:
    """The Ketua Tim who chairs the selection: the first active user holding the ketua role."""
    return session.scalar(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.KETUA, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def _applies_for(application: Application) -> str:
    selection_round = application.round
    if selection_round.kind == RoundKind.CONTRACT:
        return f"posisi {selection_round.position}" if selection_round.position else selection_round.title
    return f"kategori {application.category.name}" if application.category else selection_round.title


def call_letter_context(session: Session, letter: CallLetter) -> dict[str, Any]:
    application = letter.application
    selection_round = application.round
    interview = letter.kind == LetterKind.CALL_INTERVIEW
    contract = selection_round.kind == RoundKind.CONTRACT
    ketua = signing_ketua(session)
    if interview:
        subject = "Panggilan Pengisian Formulir Kompetensi dan Wawancara"
        activity = "Pengisian formulir persyaratan spesifikasi kompetensi teknis dan wawancara"
        bring = [
            "Kartu Tanda Penduduk (KTP) asli;",
            "surat panggilan ini;",
            (
                "ijazah, transkrip nilai dan NPWP asli untuk diverifikasi;"
                if contract
                else "dokumen asli persyaratan administrasi, surat pernyataan pengalaman kerja dan sertifikat "
                "keahlian yang dilampirkan pada lamaran, untuk diverifikasi;"
            ),
            "alat tulis.",
        ]
    else:
        subject = "Panggilan Uji Kompetensi Teknis"
        activity = "Uji kompetensi teknis metode praktek"
        bring = [
            "Kartu Tanda Penduduk (KTP) asli;",
            "surat panggilan ini;",
            "laptop pribadi beserta pengisi daya (charger);",
            "alat tulis.",
        ]
    return {
        "number": letter.number,
        "date": letter.letter_date,
        "nature": "Penting",
        "subject": subject,
        "recipient": f"Saudara/i {application.applicant.full_name}",
        "recipient_place": "Tempat",
        "interview": interview,
        "round_title": selection_round.title,
        "applies_for": _applies_for(application),
        "activity": activity,
        "event_day": format_date(letter.event_at.date(), "id", weekday=True),
        "event_time": f"{letter.event_at.hour:02d}.{letter.event_at.minute:02d}",
        "zone": zone_abbreviation(),
        "place": letter.place,
        "bring": bring,
        "signer_title": "Ketua Tim Seleksi,",
        "signer_name": ketua.full_name if ketua else "",
        "signer_nip": spaced_nip(ketua.nip) if ketua else None,
    }


def render_call_letter(session: Session, letter: CallLetter) -> bytes:
    return render_pdf("letters/call_letter.html", **call_letter_context(session, letter))


def announcement_copies(applications: Iterable[Application]) -> list[str]:
    """Inspektur, Kepala BKPPD, Kepala BPKAD, the head of each passed applicant's home OPD (once
    each, by name) and Kepala Bagian Organisasi (002 §16(4))."""
    opds = {}
    for application in applications:
        opd = application.home_opd or application.applicant.home_opd
        if opd is not None:
            opds[opd.id] = opd.name
    heads = [f"Kepala {name}" for name in sorted(opds.values(), key=str.lower)]
    return [*COPIES_BEFORE, *heads, *COPIES_AFTER]


def announced_applications(session: Session, selection_round: SelectionRound) -> list[Application]:
    """Those who passed within the quota, per category in the reference order, then by rank."""
    return list(
        session.scalars(
            select(Application)
            .outerjoin(SelectionCategory, SelectionCategory.id == Application.category_id)
            .where(Application.round_id == selection_round.id, Application.status.in_(ANNOUNCED))
            .order_by(SelectionCategory.position, SelectionCategory.name, Application.rank, Application.id)
        )
    )


def announcement_context(session: Session, selection_round: SelectionRound) -> dict[str, Any]:
    passed = announced_applications(session, selection_round)
    groups: list[tuple[str, list[Application]]] = []
    for application in passed:
        label = (
            selection_round.position or selection_round.title
            if selection_round.kind == RoundKind.CONTRACT
            else (application.category.name if application.category else "—")
        )
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(application)
    signer = session.get(User, selection_round.announced_by_id) if selection_round.announced_by_id else None
    signer = signer or signing_ketua(session)
    return {
        "number": selection_round.announcement_number or "",
        "date": selection_round.announcement_date,
        "subject": f"Pengumuman Hasil {selection_round.title}",
        "recipient": f"Saudara/i Peserta {selection_round.title}",
        "recipient_place": "Tempat",
        "round_title": selection_round.title,
        "contract": selection_round.kind == RoundKind.CONTRACT,
        "groups": groups,
        "signer_title": "Ketua Tim,",
        "signer_name": signer.full_name if signer else "",
        "signer_nip": spaced_nip(signer.nip) if signer else None,
        "copies": announcement_copies(passed),
    }


def render_announcement(session: Session, selection_round: SelectionRound) -> bytes:
    return render_pdf("letters/announcement.html", **announcement_context(session, selection_round))
