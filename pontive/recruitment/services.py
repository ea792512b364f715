"""Selection use cases: reference data, rounds, applications, the panel's work, the
announcement and the appointment. The acting user is always an argument; every change is
audited and every move of an application is recorded with who, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from pontive.accounts import services as accounts
from pontive.accounts.models import EmploymentStatus, Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.audit import audit, snapshot
from pontive.core.formats import format_date
from pontive.core.models import utcnow
from pontive.core.uploads import UploadError, save_upload
from pontive.recruitment import counts, rules
from pontive.recruitment.models import (
    AcceptedMajor,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    CallLetter,
    DocumentKind,
    LetterKind,
    PanelMember,
    PanelUnit,
    RoundKind,
    RoundQuota,
    RoundStatus,
    Score,
    SelectionCategory,
    SelectionRound,
    Stage,
)
from pontive.team.models import Membership
from pontive.team.rules import term_end

FILE_PURPOSE = "application"


class SelectionError(ValueError):
    """A request the selection rules refuse; the message is shown as is."""


# --- reference data ------------------------------------------------------------------------------

CATEGORY_FIELDS = [
    "code",
    "name",
    "group",
    "level",
    "min_years",
    "certificate_required",
    "accepted_certificates",
    "competencies",
    "outputs",
    "active",
    "position",
]


def save_category(
    session: Session, actor: User, data: dict[str, Any], category: SelectionCategory | None = None
) -> SelectionCategory:
    if int(data.get("min_years", 0)) < 0:
        raise SelectionError("Pengalaman minimal tidak boleh negatif.")
    if data.get("certificate_required") and not data.get("accepted_certificates"):
        raise SelectionError("Sebutkan sertifikat yang diterima bila sertifikat diwajibkan.")
    clash = select(SelectionCategory.id).where(
        (SelectionCategory.code == data["code"]) | (SelectionCategory.name == data["name"])
    )
    if category is not None:
        clash = clash.where(SelectionCategory.id != category.id)
    if session.scalar(clash):
        raise SelectionError("Kode atau nama kategori sudah dipakai.")
    before = snapshot(category, CATEGORY_FIELDS) if category else None
    if category is None:
        category = SelectionCategory(**{k: v for k, v in data.items() if k in CATEGORY_FIELDS})
        session.add(category)
        session.flush()
    else:
        for key, value in data.items():
            if key in CATEGORY_FIELDS:
                setattr(category, key, value)
    audit(
        session,
        actor,
        "category_update" if before else "category_create",
        category,
        before=before,
        after=snapshot(category, CATEGORY_FIELDS),
    )
    session.commit()
    return category


def add_major(session: Session, actor: User, name: str) -> AcceptedMajor:
    name = " ".join(name.split())
    if not name:
        raise SelectionError("Nama jurusan wajib diisi.")
    if session.scalar(select(AcceptedMajor.id).where(func.lower(AcceptedMajor.name) == name.lower())):
        raise SelectionError(f"Jurusan {name} sudah ada.")
    major = AcceptedMajor(name=name)
    session.add(major)
    try:
        session.flush()
    except IntegrityError as exc:  # the same name: SQL's lower() above folds only ASCII (Ñ, İ), or a race
        session.rollback()
        raise SelectionError(f"Jurusan {name} sudah ada.") from exc
    audit(session, actor, "major_create", major, after={"name": name})
    session.commit()
    return major


def delete_major(session: Session, actor: User, major: AcceptedMajor) -> None:
    audit(session, actor, "major_delete", major, before={"name": major.name})
    session.delete(major)
    session.commit()


def accepted_majors(session: Session) -> list[str]:
    return list(session.scalars(select(AcceptedMajor.name).order_by(AcceptedMajor.name)))


# --- rounds ----------------------------------------------------------------------------------------

ROUND_FIELDS = [
    "kind",
    "year",
    "title",
    "description",
    "open_date",
    "close_date",
    "pass_mark_interview",
    "pass_mark_practical",
    "weight_interview",
    "weight_practical",
    "min_panel_scores",
    "position",
    "contract_quota",
    "local_city",
]


def _check_round(data: dict[str, Any]) -> None:
    if data["close_date"] < data["open_date"]:
        raise SelectionError("Tanggal penutupan tidak boleh sebelum tanggal pembukaan.")
    if data["weight_interview"] + data["weight_practical"] != 100:
        raise SelectionError("Bobot wawancara dan uji praktik harus berjumlah 100.")
    for key, label in (("pass_mark_interview", "wawancara"), ("pass_mark_practical", "uji praktik")):
        if not 0 <= data[key] <= 100:
            raise SelectionError(f"Nilai batas lulus {label} harus 0–100.")
    if data["min_panel_scores"] < 1:
        raise SelectionError("Minimal satu penilai per tahap.")


def save_round(
    session: Session,
    actor: User,
    data: dict[str, Any],
    quotas: dict[int, int] | None = None,
    selection_round: SelectionRound | None = None,
) -> SelectionRound:
    _check_round(data)
    if selection_round is not None and selection_round.status == RoundStatus.ANNOUNCED:
        raise SelectionError("Seleksi yang sudah diumumkan tidak dapat diubah.")
    before = snapshot(selection_round, ROUND_FIELDS) if selection_round else None
    if selection_round is None:
        selection_round = SelectionRound(**{k: data[k] for k in ROUND_FIELDS if k in data})
        session.add(selection_round)
    else:
        for key in ROUND_FIELDS:
            if key in data:
                setattr(selection_round, key, data[key])
    if quotas is not None and selection_round.kind == RoundKind.TEAM:
        existing = {q.category_id: q for q in selection_round.quotas}
        for category_id, quota in quotas.items():
            if quota < 0:
                raise SelectionError("Kuota tidak boleh negatif.")
            if category_id in existing:
                existing[category_id].quota = quota
            elif quota:
                selection_round.quotas.append(RoundQuota(category_id=category_id, quota=quota))
    session.flush()
    after = snapshot(selection_round, ROUND_FIELDS) | {
        "quotas": {q.category_id: q.quota for q in selection_round.quotas}
    }
    audit(session, actor, "round_update" if before else "round_create", selection_round, before=before, after=after)
    session.commit()
    return selection_round


ROUND_TRANSITIONS = {RoundStatus.DRAFT: RoundStatus.OPEN, RoundStatus.OPEN: RoundStatus.CLOSED}


def advance_round(session: Session, actor: User, selection_round: SelectionRound) -> SelectionRound:
    """draft → open → closed; the announcement (closed → announced) has its own step."""
    target = ROUND_TRANSITIONS.get(selection_round.status)
    if target is None:
        raise SelectionError("Status seleksi ini tidak dapat dimajukan di sini.")
    if (
        target == RoundStatus.OPEN
        and selection_round.kind == RoundKind.TEAM
        and not any(q.quota for q in selection_round.quotas)
    ):
        raise SelectionError("Tetapkan kuota minimal satu kategori sebelum seleksi dibuka.")
    if target == RoundStatus.OPEN and not selection_round.panel:
        raise SelectionError("Tetapkan tim seleksi sebelum seleksi dibuka.")
    before = {"status": selection_round.status.value}
    selection_round.status = target
    audit(session, actor, "round_status", selection_round, before=before, after={"status": target.value})
    session.commit()
    return selection_round


def add_panel_member(
    session: Session, actor: User, selection_round: SelectionRound, user: User, unit: PanelUnit
) -> PanelMember:
    if not user.has_role(Role.PANEL):
        raise SelectionError(f"{user.full_name} belum memiliki peran Tim Seleksi.")
    if selection_round.is_panelist(user):
        raise SelectionError(f"{user.full_name} sudah menjadi anggota tim seleksi ini.")
    member = PanelMember(round=selection_round, user=user, unit=PanelUnit(unit))
    session.add(member)
    session.flush()
    audit(
        session,
        actor,
        "panel_add",
        member,
        after={"round": selection_round.id, "user": user.username, "unit": member.unit.value},
    )
    session.commit()
    return member


def remove_panel_member(session: Session, actor: User, member: PanelMember) -> None:
    audit(session, actor, "panel_remove", member, before={"round": member.round_id, "user": member.user.username})
    session.delete(member)
    session.commit()


# --- applicants ------------------------------------------------------------------------------------


def register_applicant(session: Session, data: dict[str, Any], password: str) -> User:
    """A person registers themself as an applicant (issue 3 §3)."""
    if not data.get("nik"):
        raise SelectionError("NIK wajib diisi.")
    if not data.get("email"):
        raise SelectionError("E-mail wajib diisi.")
    try:
        user = accounts.create_user(
            session,
            None,
            {**data, "employment_status": EmploymentStatus.NON_ASN},
            password,
            roles=[Role.PELAMAR],
        )
    except accounts.AccountError as exc:
        session.rollback()
        raise SelectionError(str(exc)) from exc
    return user


# The stored applications per status per round: the flush listener in counts keeps them with every
# change made through the ORM; bulk inserts that bypass it call recount afterwards.
recount = counts.recount


def _record(
    session: Session,
    application: Application,
    actor: User | None,
    action: str,
    to_status: ApplicationStatus | None = None,
    reason: str = "",
) -> None:
    from_status = application.status.value if application.status else None
    if to_status is not None:
        rules.check_transition(application.status.value, to_status.value)
        application.status = to_status
    application.events.append(
        ApplicationEvent(
            actor_id=getattr(actor, "id", None),
            action=action,
            from_status=from_status,
            to_status=to_status.value if to_status else from_status,
            reason=reason,
        )
    )
    audit(
        session,
        actor,
        f"application_{action}",
        application,
        before={"status": from_status},
        after={"status": application.status.value, "reason": reason},
    )


def start_application(
    session: Session, applicant: User, selection_round: SelectionRound, today: dt.date
) -> Application:
    if not rules.round_is_open(
        selection_round.status.value, selection_round.open_date, selection_round.close_date, today
    ):
        raise SelectionError("Pendaftaran seleksi ini tidak sedang dibuka.")
    existing = session.scalar(
        select(Application.id).where(
            Application.round_id == selection_round.id, Application.applicant_id == applicant.id
        )
    )
    if existing:
        raise SelectionError("Anda sudah memiliki lamaran pada seleksi ini.")
    application = Application(
        round=selection_round, applicant=applicant, status=ApplicationStatus.DRAFT, home_opd_id=applicant.home_opd_id
    )
    session.add(application)
    try:
        session.flush()
    except IntegrityError as exc:  # the same form posted twice at once
        session.rollback()
        raise SelectionError("Anda sudah memiliki lamaran pada seleksi ini.") from exc
    _record(session, application, applicant, "created")
    session.commit()
    return application


TEAM_FIELDS = ["category_id", "home_opd_id", "experience_years", "experience_signer", "experience_signed_on"]
CONTRACT_FIELDS = [
    "citizenship_wni",
    "birth_date",
    "npwp",
    "degree",
    "major",
    "institution",
    "accreditation",
    "gpa",
    "ktp_city",
    "not_bound_by_contract",
]


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise SelectionError("Lamaran yang sudah diajukan tidak dapat diubah.")


def update_application(
    session: Session, applicant: User, application: Application, data: dict[str, Any]
) -> Application:
    _require_draft(application)
    fields = TEAM_FIELDS if application.round.kind == RoundKind.TEAM else CONTRACT_FIELDS
    if application.round.kind == RoundKind.TEAM and data.get("category_id"):
        if application.round.quota_for(data["category_id"]) <= 0:
            raise SelectionError("Kategori ini tidak dibuka pada seleksi ini.")
    if data.get("experience_years") is not None and not Decimal(0) <= Decimal(data["experience_years"]) <= Decimal(60):
        raise SelectionError("Lama pengalaman harus antara 0 dan 60 tahun.")
    if data.get("gpa") is not None and not Decimal(0) <= Decimal(data["gpa"]) <= Decimal(4):
        raise SelectionError("IPK harus antara 0,00 dan 4,00.")
    before = snapshot(application, fields)
    for key in fields:
        if key in data:
            setattr(application, key, data[key])
    audit(session, applicant, "application_update", application, before=before, after=snapshot(application, fields))
    session.commit()
    return application


def add_document(
    session: Session, applicant: User, application: Application, kind: DocumentKind | str, upload: Any, label: str = ""
) -> ApplicationDocument:
    _require_draft(application)
    kind = DocumentKind(kind)
    if kind == DocumentKind.CERTIFICATE and not label.strip():
        raise SelectionError("Tuliskan nama sertifikat (misalnya MTCNA).")
    try:
        stored = save_upload(session, upload, purpose=FILE_PURPOSE, uploaded_by=applicant)
    except UploadError as exc:
        session.rollback()
        raise SelectionError(str(exc)) from exc
    if kind != DocumentKind.CERTIFICATE:
        for old in [d for d in application.documents if d.kind == kind]:
            application.documents.remove(old)  # one of each kind: a new upload replaces the old
    document = ApplicationDocument(kind=kind, label=label.strip()[:160], file=stored)
    application.documents.append(document)
    session.flush()
    audit(
        session,
        applicant,
        "application_document_add",
        application,
        after={"kind": kind.value, "label": document.label, "file": stored.id},
    )
    session.commit()
    return document


def remove_document(session: Session, applicant: User, document: ApplicationDocument) -> None:
    application = document.application
    _require_draft(application)
    audit(
        session,
        applicant,
        "application_document_remove",
        application,
        before={"kind": document.kind.value, "file": document.file_id},
    )
    application.documents.remove(document)
    session.commit()


def team_facts(application: Application) -> rules.TeamFacts:
    kinds = frozenset(d.kind.value for d in application.documents)
    return rules.TeamFacts(
        non_asn=application.applicant.employment_status == EmploymentStatus.NON_ASN,
        home_opd=application.home_opd_id is not None,
        experience_years=application.experience_years,
        experience_signer=application.experience_signer or "",
        experience_signed_on=application.experience_signed_on,
        documents=kinds,
        certificates=tuple(d.label for d in application.documents if d.kind == DocumentKind.CERTIFICATE),
    )


def contract_facts(application: Application) -> rules.ContractFacts:
    return rules.ContractFacts(
        citizenship_wni=application.citizenship_wni,
        birth_date=application.birth_date,
        npwp=application.npwp,
        degree=application.degree or "",
        major=application.major or "",
        accreditation=application.accreditation or "",
        gpa=application.gpa,
        ktp_city=application.ktp_city or "",
        not_bound_by_contract=application.not_bound_by_contract,
        documents=frozenset(d.kind.value for d in application.documents),
    )


def missing_for_submission(application: Application) -> list[str]:
    if application.round.kind == RoundKind.TEAM:
        return rules.missing_for_team_submission(team_facts(application), application.category_id is not None)
    return rules.missing_for_contract_submission(contract_facts(application))


def category_rule(category: SelectionCategory) -> rules.CategoryRule:
    return rules.CategoryRule(
        category.name, category.min_years, category.certificate_required, tuple(category.accepted_certificates or ())
    )


def run_admin_check(session: Session, application: Application) -> list[rules.Requirement]:
    """The system's administrative check (002 §16(2)a, §18, §19; 000 §10)."""
    if application.round.kind == RoundKind.TEAM:
        return rules.check_team_application(team_facts(application), category_rule(application.category))
    return rules.check_contract_application(
        contract_facts(application),
        closing_date=application.round.close_date,
        accepted_majors=accepted_majors(session),
        local_city=application.round.local_city,
        format_date=format_date,
    )


def submit_application(session: Session, applicant: User, application: Application, today: dt.date) -> Application:
    _require_draft(application)
    selection_round = application.round
    if not rules.round_is_open(
        selection_round.status.value, selection_round.open_date, selection_round.close_date, today
    ):
        raise SelectionError("Pendaftaran seleksi ini sudah ditutup; lamaran tidak dapat diajukan.")
    missing = missing_for_submission(application)
    if missing:
        raise SelectionError("Lamaran belum lengkap: " + " ".join(missing))
    application.submitted_at = utcnow()
    application.admin_results = [r.as_dict() for r in run_admin_check(session, application)]
    _record(session, application, applicant, "submitted", ApplicationStatus.SUBMITTED)
    session.commit()
    return application


def withdraw_application(session: Session, applicant: User, application: Application, reason: str = "") -> None:
    _record(
        session, application, applicant, "withdrawn", ApplicationStatus.WITHDRAWN, reason or "Ditarik oleh pelamar."
    )
    session.commit()


def save_competency_form(
    session: Session, applicant: User, application: Application, answers: list[dict[str, Any]]
) -> Application:
    """The applicant's competency form (002 §16(3)b.1, §19): the category's checklist, each with evidence."""
    if application.status != ApplicationStatus.INTERVIEW:
        raise SelectionError("Formulir kompetensi diisi setelah menerima surat pemanggilan wawancara.")
    if application.competency_submitted_at is not None:
        raise SelectionError("Formulir kompetensi sudah dikirim.")
    items = application.category.competencies if application.category else []
    cleaned = []
    for index, item in enumerate(items):
        answer = next((a for a in answers if a.get("index") == index), {})
        claimed = bool(answer.get("claimed"))
        note = (answer.get("note") or "").strip()[:500]
        if claimed and not note:
            raise SelectionError(f"Tuliskan bukti singkat untuk kompetensi nomor {index + 1}.")
        cleaned.append({"index": index, "item": item, "claimed": claimed, "note": note})
    application.competency_answers = cleaned
    application.competency_submitted_at = utcnow()
    audit(
        session, applicant, "competency_form_submit", application, after={"claimed": sum(a["claimed"] for a in cleaned)}
    )
    session.commit()
    return application


# --- the panel ---------------------------------------------------------------------------------------


def require_panelist(selection_round: SelectionRound, user: User) -> None:
    if not selection_round.is_panelist(user):
        raise SelectionError("Anda bukan anggota tim seleksi untuk seleksi ini.")


def decide_admin_check(
    session: Session, panelist: User, application: Application, passed: bool, reason: str
) -> Application:
    """A panel member confirms the system's result, or overrides it with a written reason."""
    require_panelist(application.round, panelist)
    if application.status != ApplicationStatus.SUBMITTED:
        raise SelectionError("Pemeriksaan administratif hanya untuk lamaran yang baru diajukan.")
    results = application.admin_results or [r.as_dict() for r in run_admin_check(session, application)]
    system_passed = rules.all_gates_passed(results)
    reason = reason.strip()
    if passed != system_passed and not reason:
        raise SelectionError("Tuliskan alasan bila keputusan berbeda dari hasil pemeriksaan sistem.")
    if not passed and not reason:
        reason = "; ".join(r["reason"] for r in results if r["gate"] and not r["passed"])
    application.admin_results = results
    application.admin_decided_by_id = panelist.id
    application.admin_decided_at = utcnow()
    application.admin_override_reason = reason if passed != system_passed else None
    target = ApplicationStatus.ADMIN_PASSED if passed else ApplicationStatus.ADMIN_FAILED
    _record(session, application, panelist, "admin_check", target, reason)
    session.commit()
    return application


def issue_call_letters(
    session: Session,
    actor: User,
    selection_round: SelectionRound,
    applications: list[Application],
    *,
    kind: LetterKind,
    number_prefix: str,
    letter_date: dt.date,
    event_at: dt.datetime,
    place: str,
) -> list[CallLetter]:
    """Call letters to those who passed (002 §16(3)b: interview; §16(3)c: practical test)."""
    require_panelist(selection_round, actor)
    if not place.strip() or not number_prefix.strip():
        raise SelectionError("Nomor surat dan tempat wajib diisi.")
    wanted = ApplicationStatus.ADMIN_PASSED if kind == LetterKind.CALL_INTERVIEW else ApplicationStatus.PRACTICAL
    letters = []
    existing = (
        session.scalar(
            select(func.count(CallLetter.id))
            .join(Application)
            .where(Application.round_id == selection_round.id, CallLetter.kind == kind)
        )
        or 0
    )
    for offset, application in enumerate(applications, start=1):
        if application.round_id != selection_round.id or application.status != wanted:
            raise SelectionError(f"Lamaran {application.applicant.full_name} tidak sedang menunggu surat ini.")
        letter = CallLetter(
            application=application,
            kind=kind,
            number=f"{number_prefix.strip()}/{existing + offset:03d}",
            letter_date=letter_date,
            event_at=event_at,
            place=place.strip(),
            issued_by_id=actor.id,
        )
        session.add(letter)
        letters.append(letter)
        if kind == LetterKind.CALL_INTERVIEW:
            _record(
                session, application, actor, "called_interview", ApplicationStatus.INTERVIEW, f"Surat {letter.number}"
            )
        else:
            _record(session, application, actor, "called_practical", None, f"Surat {letter.number}")
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise SelectionError("Surat pemanggilan untuk sebagian pelamar ini sudah dibuat.") from exc
    return letters


STAGE_STATUS = {Stage.INTERVIEW: ApplicationStatus.INTERVIEW, Stage.PRACTICAL: ApplicationStatus.PRACTICAL}


def record_score(
    session: Session, panelist: User, application: Application, stage: Stage | str, value: Any, notes: str = ""
) -> Score:
    stage = Stage(stage)
    require_panelist(application.round, panelist)
    if application.status != STAGE_STATUS[stage]:
        raise SelectionError("Lamaran ini tidak sedang berada pada tahap tersebut.")
    try:
        score_value = rules.check_score(value)
    except rules.ScoreError as exc:
        raise SelectionError(str(exc)) from exc
    if session.scalar(
        select(Score.id).where(
            Score.application_id == application.id, Score.stage == stage, Score.panelist_id == panelist.id
        )
    ):
        raise SelectionError("Anda sudah memberi nilai untuk tahap ini.")
    score = Score(
        application_id=application.id, stage=stage, panelist_id=panelist.id, score=score_value, notes=notes.strip()
    )
    session.add(score)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise SelectionError("Anda sudah memberi nilai untuk tahap ini.") from exc
    audit(session, panelist, "score", application, after={"stage": stage.value, "score": score_value})
    session.commit()
    return score


def scores_by_stage(session: Session, application: Application) -> dict[Stage, list[Score]]:
    """Every score of ``application`` per stage in the order given, with each panelist's name (one query)."""
    by_stage: dict[Stage, list[Score]] = {stage: [] for stage in Stage}
    query = (
        select(Score)
        .options(joinedload(Score.panelist).lazyload(User.grants))
        .where(Score.application_id == application.id)
        .order_by(Score.id)
    )
    for score in session.scalars(query):
        by_stage[score.stage].append(score)
    return by_stage


def visible_scores(
    session: Session, application: Application, stage: Stage, viewer: User, scores: list[Score] | None = None
) -> list[Score]:
    """No anchoring: a panel member sees only their own score until they have scored; then all.
    ``scores``: the stage's scores when already read (scores_by_stage)."""
    if scores is None:
        scores = scores_by_stage(session, application)[stage]
    if any(s.panelist_id == viewer.id for s in scores) or application.status != STAGE_STATUS[stage]:
        return scores
    return []


def close_stage(session: Session, actor: User, application: Application, stage: Stage | str) -> rules.StageResult:
    stage = Stage(stage)
    require_panelist(application.round, actor)
    if application.status != STAGE_STATUS[stage]:
        raise SelectionError("Lamaran ini tidak sedang berada pada tahap tersebut.")
    values = list(
        session.scalars(select(Score.score).where(Score.application_id == application.id, Score.stage == stage))
    )
    round_ = application.round
    mark = round_.pass_mark_interview if stage == Stage.INTERVIEW else round_.pass_mark_practical
    try:
        result = rules.stage_result(values, mark, round_.min_panel_scores)
    except rules.ScoreError as exc:
        raise SelectionError(str(exc)) from exc
    label = "wawancara" if stage == Stage.INTERVIEW else "uji kompetensi teknis"
    reason = (
        f"Nilai rata-rata {label} {str(result.mean).replace('.', ',')} dari {result.count} penilai; batas lulus {mark}."
    )
    if stage == Stage.INTERVIEW:
        application.interview_score = result.mean
        target = ApplicationStatus.PRACTICAL if result.passed else ApplicationStatus.INTERVIEW_FAILED
    else:
        application.practical_score = result.mean
        target = ApplicationStatus.PASSED if result.passed else ApplicationStatus.PRACTICAL_FAILED
        if result.passed:
            application.final_score = rules.final_score(
                application.interview_score, result.mean, round_.weight_interview, round_.weight_practical
            )
    _record(session, application, actor, f"{stage.value}_result", target, reason)
    session.commit()
    return result


# --- result, announcement, appointment ---------------------------------------------------------------

IN_PROGRESS = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ADMIN_PASSED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.PRACTICAL,
)


RANKED = (
    ApplicationStatus.PASSED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.APPOINTED,
)
# What the ranking reads of an application: nothing else is loaded to rank a round.
RANKING_COLUMNS = (
    Application.id,
    Application.category_id,
    Application.final_score,
    Application.ktp_city,
    Application.submitted_at,
)


def rank(selection_round: SelectionRound, applications: Iterable[Any]) -> dict[int, rules.Placement]:
    """The placements of ``applications`` (rows or objects with the RANKING_COLUMNS' attributes)."""
    contract = selection_round.kind == RoundKind.CONTRACT
    candidates = [
        rules.Candidate(
            a.id,
            None if contract else a.category_id,
            a.final_score or Decimal(0),
            local_ktp=contract and rules.same_city(a.ktp_city or "", selection_round.local_city),
            submitted_at=a.submitted_at,
        )
        for a in applications
    ]
    quotas = (
        {None: selection_round.contract_quota} if contract else {q.category_id: q.quota for q in selection_round.quotas}
    )
    return rules.rank_candidates(candidates, quotas)


def ranking(session: Session, selection_round: SelectionRound) -> dict[int, rules.Placement]:
    """Those who passed every stage, ranked (one query of the ranking's columns only)."""
    rows = session.execute(
        select(*RANKING_COLUMNS).where(Application.round_id == selection_round.id, Application.status.in_(RANKED))
    )
    return rank(selection_round, rows)


def announce(
    session: Session, ketua: User, selection_round: SelectionRound, number: str, letter_date: dt.date
) -> SelectionRound:
    """The ketua signs the announcement (002 §16(4)): ranks within the quota and closes the round."""
    if selection_round.status != RoundStatus.CLOSED:
        raise SelectionError("Pengumuman hanya untuk seleksi yang pendaftarannya sudah ditutup.")
    if not number.strip():
        raise SelectionError("Nomor surat pengumuman wajib diisi.")
    pending = session.scalar(
        select(func.count(Application.id)).where(
            Application.round_id == selection_round.id, Application.status.in_(IN_PROGRESS)
        )
    )
    if pending:
        raise SelectionError(f"Masih ada {pending} lamaran yang belum selesai dinilai.")
    placements = ranking(session, selection_round)
    for application in session.scalars(select(Application).where(Application.id.in_(list(placements)))):
        place = placements[application.id]
        application.rank = place.rank
        target = ApplicationStatus.SELECTED if place.selected else ApplicationStatus.NOT_SELECTED
        reason = (
            f"Peringkat {place.rank}, dalam kuota." if place.selected else f"Peringkat {place.rank}, di luar kuota."
        )
        _record(session, application, ketua, "announced", target, reason)
    selection_round.status = RoundStatus.ANNOUNCED
    selection_round.announcement_number = number.strip()
    selection_round.announcement_date = letter_date
    selection_round.announced_by_id = ketua.id
    audit(session, ketua, "round_announce", selection_round, after={"number": number, "date": letter_date})
    session.commit()
    return selection_round


def appoint(
    session: Session,
    actor: User,
    application: Application,
    decree_number: str,
    decree_date: dt.date,
    placement_opd: Opd | None = None,
) -> Membership:
    """The Wali Kota's decree turns a selected application into a one-year membership (002 §4(1), §15(1))."""
    if application.round.kind != RoundKind.TEAM:
        raise SelectionError("Pengangkatan dengan keputusan Wali Kota hanya untuk Tim Programmer.")
    if not decree_number.strip():
        raise SelectionError("Nomor keputusan wajib diisi.")
    application.decree_number = decree_number.strip()
    application.decree_date = decree_date
    _record(
        session,
        application,
        actor,
        "appointed",
        ApplicationStatus.APPOINTED,
        f"Keputusan Wali Kota {decree_number.strip()}",
    )
    membership = Membership(
        member_id=application.applicant_id,
        category_id=application.category_id,
        placement_opd_id=(placement_opd.id if placement_opd else application.home_opd_id),
        application_id=application.id,
        decree_number=application.decree_number,
        decree_date=decree_date,
        start_date=decree_date,
        end_date=term_end(decree_date),
    )
    session.add(membership)
    session.flush()
    if not application.applicant.has_role(Role.ANGGOTA):
        application.applicant.grants.append(RoleGrant(role=Role.ANGGOTA))
        audit(session, actor, "role_grant", application.applicant, after={"role": Role.ANGGOTA.value})
    audit(
        session,
        actor,
        "membership_create",
        membership,
        after=snapshot(membership, ["member_id", "decree_number", "start_date", "end_date", "placement_opd_id"]),
    )
    session.commit()
    return membership
