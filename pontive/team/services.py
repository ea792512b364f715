"""Team use cases: memberships, programs, tasks, meetings and discipline (002 §9–15).

The acting user is always an argument; every change is audited."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, case, delete, event, extract, func, insert, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, joinedload, lazyload

from pontive.accounts.models import User
from pontive.accounts.roles import Role
from pontive.core.audit import audit, snapshot
from pontive.core.uploads import UploadError, save_upload
from pontive.team import rules
from pontive.team.models import (
    Attendance,
    AttendanceStatus,
    DisciplineLetter,
    DisciplineSummary,
    InactivityReason,
    LetterType,
    Meeting,
    MeetingScope,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Target,
    Task,
    TaskComment,
    TaskEvent,
    TaskPriority,
    TaskStatus,
    WorkProgram,
    task_assignee,
)

EXCUSE_PURPOSE = "meeting_excuse"
INACTIVITY_PURPOSE = "inactivity_reason"
SERVING = (MembershipStatus.ACTIVE, MembershipStatus.WARNED, MembershipStatus.PROPOSED_DISMISSAL)


class TeamError(ValueError):
    """A request the team rules refuse; the message is shown as is."""


# --- memberships ---------------------------------------------------------------------------------


def serving_memberships(session: Session, opd_id: int | None = None) -> list[Membership]:
    """Memberships of members now serving, optionally those placed in one OPD."""
    query = select(Membership).where(Membership.status.in_(SERVING)).order_by(Membership.id)
    if opd_id is not None:
        query = query.where(Membership.placement_opd_id == opd_id)
    return list(session.scalars(query))


def current_membership(session: Session, user_id: int) -> Membership | None:
    return session.scalar(
        select(Membership)
        .where(Membership.member_id == user_id, Membership.status.in_(SERVING))
        .order_by(Membership.id.desc())
    )


def _membership_event(
    session: Session, actor: User | None, membership: Membership, status: MembershipStatus, reason: str
) -> None:
    before = membership.status.value if membership.status else None
    membership.status = status
    membership.events.append(
        MembershipEvent(actor_id=getattr(actor, "id", None), from_status=before, to_status=status.value, reason=reason)
    )
    audit(
        session,
        actor,
        "membership_status",
        membership,
        before={"status": before},
        after={"status": status.value, "reason": reason},
    )


def set_membership_status(
    session: Session, actor: User, membership: Membership, status: MembershipStatus, reason: str
) -> Membership:
    if not reason.strip():
        raise TeamError("Tuliskan alasan perubahan status keanggotaan.")
    if membership.status in (MembershipStatus.DISMISSED, MembershipStatus.ENDED, MembershipStatus.EXTENDED):
        raise TeamError("Keanggotaan ini sudah berakhir.")
    _membership_event(session, actor, membership, MembershipStatus(status), reason.strip())
    session.commit()
    return membership


def extend_membership(
    session: Session, actor: User, membership: Membership, decree_number: str, decree_date: dt.date
) -> Membership:
    """A new decree after evaluation extends the membership by a new one-year term (002 §15(1))."""
    if membership.status not in SERVING:
        raise TeamError("Hanya keanggotaan yang masih berjalan yang dapat diperpanjang.")
    if not decree_number.strip():
        raise TeamError("Nomor keputusan wajib diisi.")
    start = max(decree_date, membership.end_date + dt.timedelta(days=1))
    if start.year >= dt.MAXYEAR:  # the new term would end after the calendar does
        raise TeamError("Tanggal keputusan tidak wajar.")
    renewed = Membership(
        member_id=membership.member_id,
        category_id=membership.category_id,
        placement_opd_id=membership.placement_opd_id,
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        start_date=start,
        end_date=rules.term_end(start),
        previous_id=membership.id,
    )
    session.add(renewed)
    session.flush()
    _membership_event(
        session, actor, membership, MembershipStatus.EXTENDED, f"Diperpanjang dengan keputusan {decree_number.strip()}"
    )
    renewed.events.append(
        MembershipEvent(
            actor_id=actor.id, from_status=None, to_status="active", reason=f"Keputusan {decree_number.strip()}"
        )
    )
    audit(
        session,
        actor,
        "membership_extend",
        renewed,
        after=snapshot(renewed, ["decree_number", "start_date", "end_date"]),
    )
    session.commit()
    return renewed


# --- programs and targets (002 §12(2)a) -------------------------------------------------------------


def _targets(rows: Iterable[dict[str, Any]]) -> list[Target]:
    targets = []
    for n, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        if not description:
            continue
        try:
            # The column is Numeric(12, 2): cents, finite ("NaN", "inf" are not), below 10^10.
            value = Decimal(str(row.get("value")).replace(",", ".")).quantize(Decimal("0.01"))
            if not value.is_finite() or value.adjusted() >= 10:
                raise InvalidOperation
        except (InvalidOperation, TypeError) as exc:
            raise TeamError(f"Target {n}: nilai harus berupa angka.") from exc
        unit = (row.get("unit") or "").strip()
        if value <= 0:
            raise TeamError(f"Target {n}: nilai harus lebih dari 0.")
        if not unit:
            raise TeamError(f"Target {n}: satuan wajib diisi (misalnya aplikasi, dokumen, kegiatan).")
        targets.append(Target(description=description[:300], value=value, unit=unit[:40]))
    if not targets:
        raise TeamError("Program kerja memerlukan minimal satu target yang terukur.")
    return targets


def save_program(
    session: Session,
    actor: User,
    data: dict[str, Any],
    targets: Iterable[dict[str, Any]],
    program: WorkProgram | None = None,
) -> WorkProgram:
    if not (data.get("title") or "").strip():
        raise TeamError("Judul program wajib diisi.")
    new_targets = _targets(targets)
    before = None
    if program is None:
        program = WorkProgram(
            opd_id=data["opd_id"],
            year=data["year"],
            title=data["title"].strip(),
            description=(data.get("description") or "").strip(),
            created_by_id=actor.id,
        )
        session.add(program)
    else:
        before = snapshot(program, ["title", "description", "year", "opd_id"]) | {
            "targets": [(t.description, str(t.value), t.unit) for t in program.targets]
        }
        program.title, program.description = data["title"].strip(), (data.get("description") or "").strip()
        program.targets.clear()
    program.targets.extend(new_targets)
    session.flush()
    audit(
        session,
        actor,
        "program_update" if before else "program_create",
        program,
        before=before,
        after=snapshot(program, ["title", "description", "year", "opd_id"])
        | {"targets": [(t.description, str(t.value), t.unit) for t in new_targets]},
    )
    session.commit()
    return program


# --- tasks (002 §13(1)a) ---------------------------------------------------------------------------------


def is_koordinator_of(user: User, opd_id: int) -> bool:
    return opd_id in user.opd_ids_for(Role.KOORDINATOR)


def members_placed_in(session: Session, opd_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .options(lazyload(User.grants))  # names for the board's lists: not a batch of grants per 500
            .join(Membership, Membership.member_id == User.id)
            .where(Membership.placement_opd_id == opd_id, Membership.status.in_(SERVING))
            .order_by(User.full_name)
            .distinct()
        )
    )


def _task_event(
    task: Task, actor: User | None, action: str, before: str | None, after: str | None, note: str = ""
) -> None:
    task.events.append(
        TaskEvent(actor_id=getattr(actor, "id", None), action=action, from_status=before, to_status=after, note=note)
    )


def create_task(
    session: Session, koordinator: User, opd_id: int, data: dict[str, Any], assignee_ids: Sequence[int], today: dt.date
) -> Task:
    """A koordinator assigns a task to members placed in their OPD — never to anyone else."""
    if not is_koordinator_of(koordinator, opd_id):
        raise TeamError("Anda bukan koordinator OPD ini.")
    title = (data.get("title") or "").strip()
    if not title:
        raise TeamError("Judul tugas wajib diisi.")
    if not assignee_ids:
        raise TeamError("Pilih minimal satu anggota.")
    placed = {u.id: u for u in members_placed_in(session, opd_id)}
    outsiders = [i for i in assignee_ids if i not in placed]
    if outsiders:
        names = (
            ", ".join(u.full_name for u in session.scalars(select(User).where(User.id.in_(outsiders))))
            or "pengguna tidak dikenal"
        )
        raise TeamError(f"Tugas hanya dapat diberikan kepada anggota yang ditempatkan di OPD ini ({names} tidak).")
    due = data.get("due_date")
    if due is not None and due < today:
        raise TeamError("Tenggat tidak boleh sebelum hari ini.")
    program_id = data.get("program_id")
    if program_id:
        program = session.get(WorkProgram, program_id)
        if program is None or program.opd_id != opd_id:
            raise TeamError("Program kerja tidak termasuk OPD ini.")
    task = Task(
        opd_id=opd_id,
        program_id=program_id or None,
        title=title[:200],
        description=(data.get("description") or "").strip(),
        due_date=due,
        priority=TaskPriority(data.get("priority") or "normal"),
        created_by_id=koordinator.id,
    )
    task.assignees = [placed[i] for i in dict.fromkeys(assignee_ids)]
    session.add(task)
    _task_event(
        task, koordinator, "assigned", None, TaskStatus.ASSIGNED.value, ", ".join(u.full_name for u in task.assignees)
    )
    session.flush()
    audit(
        session,
        koordinator,
        "task_create",
        task,
        after={"title": task.title, "opd_id": opd_id, "assignees": [u.id for u in task.assignees], "due_date": due},
    )
    session.commit()
    return task


def can_see_task(user: User, task: Task) -> bool:
    return (
        is_koordinator_of(user, task.opd_id)
        or any(a.id == user.id for a in task.assignees)
        or user.has_role(Role.KETUA, Role.SEKRETARIS, Role.PEMBINA)
    )


def move_task(session: Session, actor: User, task: Task, target: TaskStatus | str, note: str = "") -> Task:
    target = TaskStatus(target)
    as_assignee = any(a.id == actor.id for a in task.assignees)
    try:
        rules.check_task_move(
            task.status.value,
            target.value,
            as_assignee=as_assignee,
            as_koordinator=is_koordinator_of(actor, task.opd_id),
        )
    except rules.TaskMoveError as exc:
        raise TeamError(str(exc)) from exc
    if task.status == TaskStatus.DONE and target == TaskStatus.IN_PROGRESS and not note.strip():
        raise TeamError("Tuliskan catatan mengapa tugas dikembalikan.")
    before = task.status.value
    task.status = target
    if target == TaskStatus.VERIFIED:
        task.verified_by_id, task.verified_at = actor.id, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _task_event(task, actor, "moved", before, target.value, note.strip())
    audit(
        session,
        actor,
        "task_move",
        task,
        before={"status": before},
        after={"status": target.value, "note": note.strip()},
    )
    session.commit()
    return task


def comment_on_task(session: Session, actor: User, task: Task, body: str) -> TaskComment:
    body = body.strip()
    if not body:
        raise TeamError("Komentar tidak boleh kosong.")
    if not (is_koordinator_of(actor, task.opd_id) or any(a.id == actor.id for a in task.assignees)):
        raise TeamError("Hanya koordinator dan anggota yang ditugaskan yang dapat berkomentar.")
    comment = TaskComment(task=task, author_id=actor.id, body=body[:4000])
    session.add(comment)
    _task_event(task, actor, "commented", task.status.value, task.status.value)
    session.flush()
    audit(session, actor, "task_comment", task, after={"comment": comment.id})
    session.commit()
    return comment


# --- meetings and attendance ---------------------------------------------------------------------------


def can_manage_meeting(user: User, scope: MeetingScope, opd_id: int | None) -> bool:
    if user.has_role(Role.KETUA, Role.SEKRETARIS):
        return True
    return scope == MeetingScope.OPD and opd_id is not None and is_koordinator_of(user, opd_id)


def expected_attendees(session: Session, meeting: Meeting) -> list[User]:
    if meeting.scope == MeetingScope.OPD:
        return members_placed_in(session, meeting.opd_id)
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.member_id == User.id)
            .where(Membership.status.in_(SERVING))
            .order_by(User.full_name)
            .distinct()
        )
    )


def create_meeting(session: Session, actor: User, data: dict[str, Any]) -> Meeting:
    scope = MeetingScope(data["scope"])
    opd_id = data.get("opd_id") if scope == MeetingScope.OPD else None
    if scope == MeetingScope.OPD and not opd_id:
        raise TeamError("Pilih OPD untuk rapat tingkat OPD.")
    if not can_manage_meeting(actor, scope, opd_id):
        raise TeamError("Anda tidak dapat membuat rapat untuk lingkup ini.")
    if not (data.get("agenda") or "").strip():
        raise TeamError("Agenda rapat wajib diisi.")
    meeting = Meeting(
        date=data["date"],
        scope=scope,
        opd_id=opd_id,
        place=(data.get("place") or "").strip(),
        agenda=data["agenda"].strip(),
        created_by_id=actor.id,
    )
    session.add(meeting)
    session.flush()
    audit(session, actor, "meeting_create", meeting, after=snapshot(meeting, ["date", "scope", "opd_id", "agenda"]))
    session.commit()
    return meeting


def record_attendance(
    session: Session, actor: User, meeting: Meeting, entries: dict[int, dict[str, Any]], reason: str = ""
) -> Meeting:
    """Attendance per member: present, excused with a written letter (upload), or absent.
    A closed meeting's attendance changes only with a written reason."""
    if not can_manage_meeting(actor, meeting.scope, meeting.opd_id):
        raise TeamError("Anda tidak dapat mengubah daftar hadir rapat ini.")
    if meeting.closed and not reason.strip():
        raise TeamError("Rapat sudah ditutup: tuliskan alasan perubahan daftar hadir.")
    expected = {u.id for u in expected_attendees(session, meeting)}
    current = {a.member_id: a for a in meeting.attendance}
    before = {a.member_id: a.status.value for a in meeting.attendance}
    for member_id, entry in entries.items():
        if member_id not in expected and member_id not in current:
            raise TeamError("Daftar hadir hanya untuk anggota dalam lingkup rapat.")
        status = AttendanceStatus(entry["status"])
        row = current.get(member_id)
        if row is None:
            row = Attendance(member_id=member_id, status=status)
            meeting.attendance.append(row)  # the collection's cascade puts it in the session
        upload = entry.get("letter")
        if upload is not None and getattr(upload, "filename", None):
            try:
                row.excuse_file_id = save_upload(session, upload, purpose=EXCUSE_PURPOSE, uploaded_by=actor).id
            except UploadError as exc:
                session.rollback()
                raise TeamError(str(exc)) from exc
        if status == AttendanceStatus.EXCUSED and row.excuse_file_id is None:
            session.rollback()
            raise TeamError("Izin harus disertai surat tertulis: unggah suratnya.")
        row.status = status
        row.note = (entry.get("note") or "").strip()
    session.flush()
    audit(
        session,
        actor,
        "attendance_update",
        meeting,
        before=before,
        after={a.member_id: a.status.value for a in meeting.attendance}
        | ({"reason": reason.strip()} if reason.strip() else {}),
    )
    session.commit()
    return meeting


def close_meeting(session: Session, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    if not can_manage_meeting(actor, meeting.scope, meeting.opd_id):
        raise TeamError("Anda tidak dapat menutup rapat ini.")
    if not minutes.strip():
        raise TeamError("Notulensi wajib diisi sebelum rapat ditutup.")
    meeting.minutes, meeting.closed = minutes.strip(), True
    audit(session, actor, "meeting_close", meeting, after={"closed": True})
    session.commit()
    return meeting


# --- discipline (002 §15(3)–(5)) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    membership_id: int
    kind: str  # warning_due | dismissal_due | extension_due
    key: str
    description: str
    letter_issued: bool = False


def _attendance_by_member(session: Session, member_ids: list[int]) -> dict[int, list[tuple[int, dt.date, str]]]:
    rows = session.execute(
        select(Attendance.member_id, Meeting.id, Meeting.date, Attendance.status)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.member_id.in_(member_ids))
        .order_by(Meeting.date, Meeting.id)
    )
    result: dict[int, list[tuple[int, dt.date, str]]] = defaultdict(list)
    for member_id, meeting_id, when, status in rows:
        result[member_id].append((meeting_id, when.date(), status.value))
    return result


# Other areas add the months in which a member counts as active, e.g. a validated monthly report.
ActivitySource = Any
ACTIVITY_SOURCES: list[ActivitySource] = []


def _task_activity_months(session: Session, member_ids: list[int], since: dt.date) -> dict[int, set[tuple[int, int]]]:
    # The database reduces the events to one row per member and month: a busy team has hundreds of
    # thousands of events, and only the months matter.
    year, month = extract("year", TaskEvent.at), extract("month", TaskEvent.at)
    rows = session.execute(
        select(TaskEvent.actor_id, year, month)
        .where(TaskEvent.actor_id.in_(member_ids), TaskEvent.at >= dt.datetime.combine(since, dt.time.min))
        .distinct()
    )
    months: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for actor_id, at_year, at_month in rows:
        months[actor_id].add((int(at_year), int(at_month)))
    return months


def flags_for(session: Session, memberships: Sequence[Membership], today: dt.date) -> dict[int, list[Flag]]:
    """The discipline flags of many memberships at once, in a constant number of queries."""
    if not memberships:
        return {}
    member_ids = [m.member_id for m in memberships]
    attendance = _attendance_by_member(session, member_ids)
    since = min(m.start_date for m in memberships)
    activity = _task_activity_months(session, member_ids, since)
    for source in ACTIVITY_SOURCES:
        for member_id, months in source(session, member_ids, since).items():
            activity[member_id] |= months
    excused: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for membership_id, year, month in session.execute(
        select(InactivityReason.membership_id, InactivityReason.year, InactivityReason.month).where(
            InactivityReason.membership_id.in_([m.id for m in memberships])
        )
    ):
        excused[membership_id].add((year, month))
    issued = set(
        tuple(row)
        for row in session.execute(
            select(DisciplineLetter.membership_id, DisciplineLetter.kind, DisciplineLetter.breach_key).where(
                DisciplineLetter.membership_id.in_([m.id for m in memberships])
            )
        ).all()
    )
    flags: dict[int, list[Flag]] = {}
    for m in memberships:
        mine: list[Flag] = []
        term_attendance = [a for a in attendance.get(m.member_id, []) if m.start_date <= a[1] <= m.end_date]
        for breach in rules.absence_breaches(term_attendance):
            mine.append(
                Flag(
                    m.id,
                    "warning_due",
                    breach.key,
                    breach.description,
                    (m.id, LetterType.WARNING, breach.key) in issued,
                )
            )
        months = rules.complete_months(m.start_date, today, m.end_date)
        for breach in rules.inactivity_breaches(months, activity.get(m.member_id, set()), excused.get(m.id, set())):
            mine.append(
                Flag(
                    m.id,
                    "dismissal_due",
                    breach.key,
                    breach.description,
                    (m.id, LetterType.DISMISSAL_PROPOSAL, breach.key) in issued,
                )
            )
        if rules.extension_due(m.end_date, today):
            mine.append(
                Flag(
                    m.id,
                    "extension_due",
                    f"extension:{m.end_date.isoformat()}",
                    f"Masa tugas berakhir {m.end_date.isoformat()}: evaluasi perpanjangan",
                )
            )
        flags[m.id] = mine
    return flags


# --- stored flag counts ------------------------------------------------------------------------------------
#
# The dashboards and the discipline page need the flags of hundreds or thousands of memberships; the
# rules read each member's attendance and every month of activity. flags_for's counts are therefore
# kept per membership and month in DisciplineSummary: written the first time they are needed in a
# month, deleted as soon as an input of the rules changes (the flush listener below). Readers then
# count the stored rows in SQL and compute the full flags only for the few memberships that have any.

# Rows whose change may change a membership's flags: model → (attribute, what the attribute names:
# "member" a user id, "membership" a membership id, "meeting" a meeting id). Other areas add theirs
# next to their ACTIVITY_SOURCES entry, e.g. the monthly report of the performance area.
DISCIPLINE_INPUTS: dict[type, tuple[str, str]] = {
    TaskEvent: ("actor_id", "member"),
    Attendance: ("member_id", "member"),
    Meeting: ("id", "meeting"),
    InactivityReason: ("membership_id", "membership"),
    DisciplineLetter: ("membership_id", "membership"),
    Membership: ("id", "membership"),
}


@event.listens_for(Session, "before_flush")
def _forget_changed_summaries(session: Session, _context: Any, _instances: Any) -> None:
    """Delete the stored flag counts that a change about to be flushed makes wrong."""
    named: dict[str, set[int]] = {"member": set(), "membership": set(), "meeting": set()}
    for changed, objects in ((False, session.new), (True, session.dirty), (False, session.deleted)):
        for obj in objects:
            spec = DISCIPLINE_INPUTS.get(type(obj))
            if spec is None or (changed and not session.is_modified(obj, include_collections=False)):
                continue
            value = getattr(obj, spec[0], None)
            if value is not None:
                named[spec[1]].add(value)
    if not any(named.values()):
        return
    conditions = []
    if named["membership"]:
        conditions.append(DisciplineSummary.membership_id.in_(sorted(named["membership"])))
    members = select(Membership.id).where(Membership.member_id.in_(sorted(named["member"])))
    if named["member"]:
        conditions.append(DisciplineSummary.membership_id.in_(members))
    if named["meeting"]:
        attendees = (
            select(Membership.id)
            .join(Attendance, Attendance.member_id == Membership.member_id)
            .where(Attendance.meeting_id.in_(sorted(named["meeting"])))
        )
        conditions.append(DisciplineSummary.membership_id.in_(attendees))
    session.connection().execute(delete(DisciplineSummary.__table__).where(or_(*conditions)))


def summary_period(today: dt.date) -> int:
    """The month a stored count holds for: the complete months of a term change with it."""
    return today.year * 12 + today.month - 1


def _summary_rows(session: Session, memberships: Sequence[Membership], today: dt.date) -> list[dict[str, int]]:
    period = summary_period(today)
    rows = []
    for membership_id, flags in flags_for(session, memberships, today).items():
        warnings = [f for f in flags if f.kind == "warning_due"]
        dismissals = [f for f in flags if f.kind == "dismissal_due"]
        rows.append(
            {
                "membership_id": membership_id,
                "period": period,
                "warnings": len(warnings),
                "warnings_open": sum(1 for f in warnings if not f.letter_issued),
                "dismissals": len(dismissals),
                "dismissals_open": sum(1 for f in dismissals if not f.letter_issued),
            }
        )
    return rows


def _serving_in(opd_ids: Iterable[int] | None) -> list[Any]:
    conditions = [Membership.status.in_(SERVING)]
    if opd_ids is not None:
        conditions.append(Membership.placement_opd_id.in_(sorted(opd_ids)))
    return conditions


def _summary_join(today: dt.date) -> Any:
    return and_(DisciplineSummary.membership_id == Membership.id, DisciplineSummary.period == summary_period(today))


def _commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring what the request loaded (the signed-in user, its grants): only rows
    of the summary table were written."""
    real = session() if not isinstance(session, Session) else session  # a scoped session: its Session
    expire, real.expire_on_commit = real.expire_on_commit, False
    try:
        real.commit()
    finally:
        real.expire_on_commit = expire


def refresh_summaries(
    session: Session, today: dt.date, opd_ids: Iterable[int] | None = None
) -> list[tuple[int | None, dict[str, int]]]:
    """Count and store the flags of the serving memberships (of ``opd_ids``, or all) that have no
    count for this month yet; returns what it counted, each row with the membership's placement
    OPD. Two requests doing it at once: the second one's rows are not stored, the first one's are
    the same (a busy database: the rows are stored by the next request)."""
    missing = list(
        session.scalars(
            select(Membership)
            .options(lazyload(Membership.member))
            .outerjoin(DisciplineSummary, _summary_join(today))
            .where(*_serving_in(opd_ids), DisciplineSummary.membership_id.is_(None))
            .order_by(Membership.id)
        )
    )
    if not missing:
        return []
    opd_of = {m.id: m.placement_opd_id for m in missing}
    rows = _summary_rows(session, missing, today)
    table = DisciplineSummary.__table__
    try:
        session.execute(delete(table).where(table.c.membership_id.in_(list(opd_of))))
        session.execute(insert(table), rows)
        _commit_keeping_loaded(session)
    except (IntegrityError, DBAPIError):
        session.rollback()
    return [(opd_of[row["membership_id"]], row) for row in rows]


@dataclass(frozen=True)
class FlagCounts:
    """The open flags (no letter yet) of the serving memberships of one OPD."""

    members: int = 0
    warning_due: int = 0
    dismissal_due: int = 0
    extension_due: int = 0

    @property
    def total(self) -> int:
        return self.warning_due + self.dismissal_due + self.extension_due


def flag_counts(session: Session, today: dt.date, opd_ids: Iterable[int] | None = None) -> dict[int | None, FlagCounts]:
    """Per placement OPD, the serving memberships and their open flags, from one grouped query
    over the stored counts (those missing are counted first: once a month, or after a change)."""
    opd_ids = None if opd_ids is None else sorted(opd_ids)
    first, last = rules.extension_window(today)
    query = (
        select(
            Membership.placement_opd_id,
            func.count(Membership.id),
            func.count(DisciplineSummary.membership_id),
            func.coalesce(func.sum(DisciplineSummary.warnings_open), 0),
            func.coalesce(func.sum(DisciplineSummary.dismissals_open), 0),
            func.count(case((Membership.end_date.between(first, last), Membership.id))),
        )
        .outerjoin(DisciplineSummary, _summary_join(today))
        .where(*_serving_in(opd_ids))
        .group_by(Membership.placement_opd_id)
    )
    rows = session.execute(query).all()
    counts = {
        opd_id: FlagCounts(members, int(warnings), int(dismissals), extension)
        for opd_id, members, _stored, warnings, dismissals, extension in rows
    }
    if any(members != stored for _opd, members, stored, *_rest in rows):
        # Those missing were not in the sums: count them (and store them for the next request).
        for opd_id, row in refresh_summaries(session, today, opd_ids):
            c = counts.get(opd_id)
            if c is None:  # began serving since the sums were read
                continue
            counts[opd_id] = FlagCounts(
                c.members,
                c.warning_due + row["warnings_open"],
                c.dismissal_due + row["dismissals_open"],
                c.extension_due,
            )
    return counts


def flagged_memberships(
    session: Session, today: dt.date, opd_ids: Iterable[int] | None = None
) -> tuple[list[Membership], int]:
    """The serving memberships (of ``opd_ids``, or all) that have any flag — a breach, with or without
    its letter, or the extension evaluation due —, each with its member's account, and how many
    serving memberships were looked at."""
    opd_ids = None if opd_ids is None else sorted(opd_ids)
    watched = sum(c.members for c in flag_counts(session, today, opd_ids).values())  # stores what is missing
    first, last = rules.extension_window(today)
    flagged = list(
        session.scalars(
            select(Membership)
            .options(joinedload(Membership.member).lazyload(User.grants))
            .outerjoin(DisciplineSummary, _summary_join(today))
            .where(
                *_serving_in(opd_ids),
                or_(
                    DisciplineSummary.warnings > 0,
                    DisciplineSummary.dismissals > 0,
                    DisciplineSummary.membership_id.is_(None),  # not storable (a concurrent writer): count it
                    Membership.end_date.between(first, last),
                ),
            )
            .order_by(Membership.id)
        )
    )
    return flagged, watched


def _issue_letter(
    session: Session,
    actor: User,
    membership: Membership,
    kind: LetterType,
    breach_key: str,
    number: str,
    letter_date: dt.date,
    reason: str,
    today: dt.date,
) -> DisciplineLetter:
    wanted = "warning_due" if kind == LetterType.WARNING else "dismissal_due"
    flag = next(
        (f for f in flags_for(session, [membership], today)[membership.id] if f.kind == wanted and f.key == breach_key),
        None,
    )
    if flag is None:
        raise TeamError("Pelanggaran ini tidak (lagi) tercatat untuk anggota tersebut.")
    if flag.letter_issued:
        raise TeamError("Surat untuk pelanggaran ini sudah diterbitkan.")
    if not number.strip():
        raise TeamError("Nomor surat wajib diisi.")
    letter = DisciplineLetter(
        membership_id=membership.id,
        kind=kind,
        breach_key=breach_key,
        breach=flag.description,
        number=number.strip(),
        letter_date=letter_date,
        reason=reason.strip(),
        issued_by_id=actor.id,
    )
    session.add(letter)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise TeamError("Surat untuk pelanggaran ini sudah diterbitkan.") from exc
    status = MembershipStatus.WARNED if kind == LetterType.WARNING else MembershipStatus.PROPOSED_DISMISSAL
    _membership_event(session, actor, membership, status, f"{flag.description} — surat {letter.number}")
    audit(
        session,
        actor,
        f"{kind.value}_issue",
        letter,
        after={"membership": membership.id, "breach": breach_key, "number": letter.number},
    )
    session.commit()
    return letter


def issue_warning(
    session: Session,
    koordinator: User,
    membership: Membership,
    breach_key: str,
    number: str,
    letter_date: dt.date,
    today: dt.date,
) -> DisciplineLetter:
    """The koordinator warns a member absent 3 meetings running without a written excuse (002 §15(3))."""
    if membership.placement_opd_id is None or not is_koordinator_of(koordinator, membership.placement_opd_id):
        raise TeamError("Peringatan diberikan oleh koordinator OPD tempat anggota ditempatkan.")
    return _issue_letter(
        session, koordinator, membership, LetterType.WARNING, breach_key, number, letter_date, "", today
    )


def propose_dismissal(
    session: Session,
    ketua: User,
    membership: Membership,
    breach_key: str,
    number: str,
    letter_date: dt.date,
    reason: str,
    today: dt.date,
) -> DisciplineLetter:
    """The ketua proposes dismissal to the Wali Kota through the pembina (002 §15(4)–(5))."""
    if not ketua.has_role(Role.KETUA):
        raise TeamError("Usulan pemberhentian diajukan oleh Ketua Tim.")
    return _issue_letter(
        session, ketua, membership, LetterType.DISMISSAL_PROPOSAL, breach_key, number, letter_date, reason, today
    )


def record_inactivity_reason(
    session: Session, actor: User, membership: Membership, year: int, month: int, reason: str, upload: Any = None
) -> InactivityReason:
    """A written reason for a month without activity, so the month is not counted (002 §15(4))."""
    own = actor.id == membership.member_id
    if not own and not (membership.placement_opd_id and is_koordinator_of(actor, membership.placement_opd_id)):
        raise TeamError("Alasan tertulis dicatat oleh anggota sendiri atau koordinatornya.")
    if not reason.strip():
        raise TeamError("Tuliskan alasannya.")
    if not 1 <= month <= 12:
        raise TeamError("Bulan tidak valid.")
    file_id = None
    if upload is not None and getattr(upload, "filename", None):
        try:
            file_id = save_upload(session, upload, purpose=INACTIVITY_PURPOSE, uploaded_by=actor).id
        except UploadError as exc:
            session.rollback()
            raise TeamError(str(exc)) from exc
    row = InactivityReason(
        membership_id=membership.id,
        year=year,
        month=month,
        reason=reason.strip(),
        file_id=file_id,
        recorded_by_id=actor.id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise TeamError("Alasan untuk bulan ini sudah dicatat.") from exc
    audit(session, actor, "inactivity_reason", membership, after={"year": year, "month": month})
    session.commit()
    return row


# --- overviews --------------------------------------------------------------------------------------------


def task_counts_by_opd(
    session: Session, today: dt.date, opd_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Open and overdue tasks per OPD in one query."""
    open_statuses = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
    query = select(
        Task.opd_id,
        func.count(Task.id).filter(Task.status.in_(open_statuses)),
        func.count(Task.id).filter(and_(Task.status.in_(open_statuses), Task.due_date < today)),
        func.count(Task.id).filter(Task.status == TaskStatus.DONE),
    ).group_by(Task.opd_id)
    if opd_ids is not None:
        query = query.where(Task.opd_id.in_(list(opd_ids)))
    return {opd: {"open": o, "overdue": od, "to_verify": d} for opd, o, od, d in session.execute(query)}


def membership_filters(
    *, scope: set[int] | None = None, opd_id: int | None = None, status: MembershipStatus | None = None
) -> list:
    """The conditions on a membership of the members list's filters (``scope``: the OPDs a koordinator reads)."""
    filters = []
    if scope is not None:
        filters.append(Membership.placement_opd_id.in_(scope))
    if opd_id:
        filters.append(Membership.placement_opd_id == opd_id)
    if status is not None:
        filters.append(Membership.status == status)
    return filters


def member_search_filters(q: str) -> list:
    """The members list's search: a part of the member's name or username."""
    if not q:
        return []
    return [User.full_name.icontains(q, autoescape=True) | User.username.icontains(q, autoescape=True)]


def memberships_by_member_name(membership_filters: list, user_filters: list, members: int):
    """Memberships matching the filters, by member name (case-insensitive), then member, then term;
    only those of the first ``members`` matching members, who hold every row of the first ``members``
    memberships. The members come from the lower(full_name) index in order, each checked for a matching
    membership, instead of sorting every membership by its member's name."""
    first_members = (
        select(User.id)
        .where(
            *user_filters, select(Membership.id).where(Membership.member_id == User.id, *membership_filters).exists()
        )
        .order_by(func.lower(User.full_name), User.id)
        .limit(members)
    )
    return (
        select(Membership)
        .join(User, User.id == Membership.member_id)
        .where(Membership.member_id.in_(first_members.scalar_subquery()), *membership_filters)
        .order_by(func.lower(User.full_name), User.id, Membership.id)
    )


def tasks_for_member_query(member_id: int):
    return (
        select(Task)
        .join(task_assignee, task_assignee.c.task_id == Task.id)
        .where(task_assignee.c.member_id == member_id)
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    )


def next_meeting_for(session: Session, user: User, now: dt.datetime) -> Meeting | None:
    membership = current_membership(session, user.id)
    scopes = [Meeting.scope == MeetingScope.TEAM]
    if membership and membership.placement_opd_id:
        scopes.append(and_(Meeting.scope == MeetingScope.OPD, Meeting.opd_id == membership.placement_opd_id))
    return session.scalar(select(Meeting).where(Meeting.date >= now, or_(*scopes)).order_by(Meeting.date).limit(1))
