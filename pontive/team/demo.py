"""Demo data of the team at work (DESIGN §2): members placed in OPDs with their koordinators, work
programs, tasks in every status, meetings with attendance — and the discipline stories of 002 §15:
a member absent from the last 3 meetings (a warning due), one warned already, one inactive for the
last 2 months (a dismissal proposal due), one proposed for dismissal already, and a term ending
within 30 days. ``--scale N`` adds 20,000 × N tasks over 60 OPDs' members with bulk inserts."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.demo import HOME_OPD
from pontive.accounts.models import EmploymentStatus, Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core.seeding import DemoContext, bulk_insert, demo_step
from pontive.core.uploads import save_upload
from pontive.recruitment.demo import DEMO_PDF
from pontive.recruitment.models import SelectionCategory
from pontive.team import rules, services
from pontive.team.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingScope,
    Membership,
    MembershipEvent,
    Task,
    TaskEvent,
    TaskPriority,
    TaskStatus,
    WorkProgram,
    task_assignee,
)

# The OPDs besides the demo koordinator's, each with a koordinator of its own (koordinator2, …).
OTHER_OPDS = ("DISDUKCAPIL", "DINKES", "BAPPELITBANGDA")
KOORDINATOR_NAMES = ("Heru Susilo, S.Sos., M.M.", "dr. Ratna Kusumawati, M.Kes.", "Ir. Gunawan Saputro, M.T.")


@dataclass(frozen=True)
class DemoMember:
    username: str
    name: str
    opd: int  # 0: the demo koordinator's OPD, 1…3: OTHER_OPDS
    story: str  # regular | absent | warned | inactive | proposed | ending


MEMBERS = (
    DemoMember("anggota", "", 0, "regular"),  # the demo anggota user, made by the accounts step
    DemoMember("anggota2", "Bayu Firmansyah", 0, "absent"),
    DemoMember("anggota3", "Citra Ayu Lestari", 0, "inactive"),
    DemoMember("anggota4", "Dimas Pratama", 0, "regular"),
    DemoMember("anggota5", "Eka Wulandari", 0, "regular"),
    DemoMember("anggota6", "Fajar Ramadhan", 1, "warned"),
    DemoMember("anggota7", "Gita Permata Sari", 1, "ending"),
    DemoMember("anggota8", "Hadi Kusuma", 2, "regular"),
    DemoMember("anggota9", "Intan Maharani", 3, "proposed"),
)

PROGRAMS = {
    0: [
        (
            "Integrasi layanan dengan Single Sign-On",
            [("Aplikasi OPD terhubung SSO", "6", "aplikasi"), ("Panduan integrasi", "1", "dokumen")],
        ),
        (
            "Pemeliharaan pusat data",
            [("Uji pemulihan cadangan", "4", "kegiatan"), ("Ketersediaan layanan", "99.5", "persen")],
        ),
    ],
    1: [("Digitalisasi layanan kependudukan", [("Layanan daring baru", "3", "layanan")])],
    2: [("Sistem informasi puskesmas", [("Puskesmas memakai aplikasi", "12", "puskesmas")])],
}
TASK_TITLES = (
    "Perbarui sertifikat TLS portal",
    "Migrasi basis data ke PostgreSQL 16",
    "Perbaiki formulir pengaduan",
    "Tambahkan log audit pada API",
    "Uji beban layanan antrean",
    "Dokumentasikan arsitektur aplikasi",
    "Perbaiki laporan bulanan yang gagal diekspor",
    "Pasang pemantauan server",
)


class _ExcuseLetter(io.BytesIO):
    """A scanned excuse letter, as an upload."""

    filename = "surat-izin-sakit.pdf"

    def __init__(self) -> None:
        super().__init__(DEMO_PDF)


def _nik(n: int) -> str:
    return f"32757{n:02d}0101990{n:02d}"  # "327 57…": never one of the other demo steps' NIKs


def _user(session: Session, ctx: DemoContext, username: str, name: str, role: Role, n: int, opd: Opd | None) -> User:
    user = User(
        username=username,
        full_name=name,
        email=f"{username}@pontive.example",
        nik=_nik(n),
        employment_status=EmploymentStatus.NON_ASN if role == Role.ANGGOTA else EmploymentStatus.ASN,
        home_opd=opd,
        password_hash=ctx.password_hash,
    )
    user.grants.append(RoleGrant(role=role, opd=opd if role == Role.KOORDINATOR else None))
    session.add(user)
    ctx.users[username] = user
    return user


def term_start_for(today: dt.date) -> dt.date:
    """Early this year, when that leaves six full months of history; otherwise about 200 days ago."""
    start = dt.date(today.year, 1, 2)
    if len(rules.complete_months(start, today)) >= 6:
        return start
    return (today - dt.timedelta(days=200)).replace(day=2)


def _at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0)


@demo_step(40, "tim")
def demo_team(session: Session, ctx: DemoContext) -> None:
    today = ctx.today
    rng = random.Random(1315)
    by_code = {o.code: o for o in session.scalars(select(Opd))}
    home = by_code[HOME_OPD]
    others = [by_code[c] for c in OTHER_OPDS if c in by_code]
    opds = [home, *others]
    koordinators = [ctx.users["koordinator"]]
    for n, (opd, name) in enumerate(zip(others, KOORDINATOR_NAMES, strict=False), start=2):
        koordinators.append(_user(session, ctx, f"koordinator{n}", name, Role.KOORDINATOR, 80 + n, opd))
    categories = list(session.scalars(select(SelectionCategory).order_by(SelectionCategory.position)))
    sekretaris, ketua = ctx.users["sekretaris"], ctx.users["ketua"]

    # --- members and their memberships (002 §15(1)) -------------------------------------------------
    start = term_start_for(today)
    ending_start = today - dt.timedelta(days=345)  # its one-year term ends in about 20 days
    members: list[tuple[DemoMember, User, Membership]] = []
    for n, spec in enumerate(MEMBERS, start=1):
        user = ctx.users["anggota"] if spec.username == "anggota" else None
        if user is None:
            user = _user(session, ctx, spec.username, spec.name, Role.ANGGOTA, n, opds[spec.opd])
        begins = ending_start if spec.story == "ending" else start
        membership = Membership(
            member=user,
            category_id=categories[n % len(categories)].id if categories else None,
            placement_opd_id=opds[spec.opd].id,
            decree_number=f"188.45/Kep.{100 + n}-Diskominfostandi/{begins.year}",
            decree_date=begins,
            start_date=begins,
            end_date=rules.term_end(begins),
        )
        membership.events.append(
            MembershipEvent(actor_id=ketua.id, to_status="active", reason=f"Keputusan {membership.decree_number}")
        )
        session.add(membership)
        members.append((spec, user, membership))
    session.flush()

    # --- work programs and targets per OPD for this year (002 §12(2)a) ---------------------------------
    programs: dict[int, list[WorkProgram]] = {}
    for index, plans in PROGRAMS.items():
        if index >= len(opds):
            continue
        for title, targets in plans:
            program = services.save_program(
                session,
                sekretaris,
                {"opd_id": opds[index].id, "year": today.year, "title": title, "description": ""},
                [{"description": d, "value": v, "unit": u} for d, v, u in targets],
            )
            programs.setdefault(index, []).append(program)

    # --- task history: activity in every month of the term, except for the inactive stories ----------------
    _task_history(session, today, members, opds, koordinators, programs)
    _current_tasks(session, today, members, opds, koordinators, programs, rng)

    # --- meetings and attendance; then the letters already issued (002 §15(3)–(5)) -------------------------
    _meetings(session, ctx, today, members, opds, koordinators)
    session.flush()
    _letters(session, today, members, koordinators, ketua)

    if ctx.scale:
        _bulk_tasks(session, ctx, start, koordinators[0], categories)


def _inactive_months(spec: DemoMember, months: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The months without activity that make each story."""
    if spec.story == "inactive":
        return set(months[-2:])  # the last two full months: a dismissal proposal is due
    if spec.story == "proposed":
        return set(months[-4:])  # inactive since four months; proposed already
    return set()


def _task_history(session, today, members, opds, koordinators, programs) -> None:
    """One verified task a month per member, worked by the member in that month: task activity is
    what keeps a month "active" (002 §15(4))."""
    for spec, user, membership in members:
        months = rules.complete_months(membership.start_date, today, membership.end_date)
        idle = _inactive_months(spec, months)
        koordinator = koordinators[spec.opd]
        for n, (year, month) in enumerate(months):
            if (year, month) in idle:
                continue
            due = dt.date(year, month, 20)
            program = (programs.get(spec.opd) or [None])[n % max(1, len(programs.get(spec.opd, [])))]
            task = Task(
                opd_id=opds[spec.opd].id,
                program_id=program.id if program else None,
                title=f"{TASK_TITLES[n % len(TASK_TITLES)]} ({month:02d}/{year})",
                due_date=due,
                priority=TaskPriority.NORMAL,
                status=TaskStatus.VERIFIED,
                created_by_id=koordinator.id,
                verified_by_id=koordinator.id,
                verified_at=_at(year, month, 18, 10),
                created_at=_at(year, month, 3),
                updated_at=_at(year, month, 18, 10),
            )
            task.assignees = [user]
            task.events = [
                TaskEvent(at=_at(year, month, 3), actor_id=koordinator.id, action="assigned", to_status="assigned"),
                TaskEvent(
                    at=_at(year, month, 5),
                    actor_id=user.id,
                    action="moved",
                    from_status="assigned",
                    to_status="in_progress",
                ),
                TaskEvent(
                    at=_at(year, month, 15),
                    actor_id=user.id,
                    action="moved",
                    from_status="in_progress",
                    to_status="done",
                ),
                TaskEvent(
                    at=_at(year, month, 18, 10),
                    actor_id=koordinator.id,
                    action="moved",
                    from_status="done",
                    to_status="verified",
                ),
            ]
            session.add(task)


def _current_tasks(session, today, members, opds, koordinators, programs, rng) -> None:
    """This month's work: every status, some overdue, most of it for the demo anggota."""
    now = dt.datetime.combine(today, dt.time(8, 0))
    plan = [
        # (member index, status, due in days, priority)
        (0, TaskStatus.ASSIGNED, 10, TaskPriority.NORMAL),
        (0, TaskStatus.ASSIGNED, -3, TaskPriority.HIGH),  # overdue
        (0, TaskStatus.IN_PROGRESS, 5, TaskPriority.HIGH),
        (0, TaskStatus.IN_PROGRESS, -5, TaskPriority.NORMAL),  # overdue
        (0, TaskStatus.DONE, 2, TaskPriority.NORMAL),  # waiting for the koordinator's verification
        (0, TaskStatus.VERIFIED, -10, TaskPriority.LOW),
        (1, TaskStatus.IN_PROGRESS, 7, TaskPriority.NORMAL),
        (2, TaskStatus.ASSIGNED, -12, TaskPriority.HIGH),  # the inactive member has not touched it
        (3, TaskStatus.DONE, 1, TaskPriority.NORMAL),
        (4, TaskStatus.ASSIGNED, 14, TaskPriority.LOW),
        (5, TaskStatus.IN_PROGRESS, -2, TaskPriority.NORMAL),
        (6, TaskStatus.DONE, 3, TaskPriority.HIGH),
        (7, TaskStatus.ASSIGNED, 9, TaskPriority.NORMAL),
    ]
    order = [TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.VERIFIED]
    for n, (index, status, due_in, priority) in enumerate(plan):
        spec, user, _membership = members[index]
        koordinator = koordinators[spec.opd]
        opd_programs = programs.get(spec.opd, [])
        created = now - dt.timedelta(days=rng.randint(6, 12))
        task = Task(
            opd_id=opds[spec.opd].id,
            program_id=opd_programs[n % len(opd_programs)].id if opd_programs else None,
            title=TASK_TITLES[(n + 3) % len(TASK_TITLES)],
            description="Dikerjakan sesuai program kerja OPD.",
            due_date=today + dt.timedelta(days=due_in),
            priority=priority,
            status=status,
            created_by_id=koordinator.id,
            created_at=created,
            updated_at=created,
        )
        task.assignees = [user]
        task.events = [TaskEvent(at=created, actor_id=koordinator.id, action="assigned", to_status="assigned")]
        for step, (before, after) in enumerate(zip(order, order[1 : order.index(status) + 1], strict=False), 1):
            actor = koordinator if after == TaskStatus.VERIFIED else user
            task.events.append(
                TaskEvent(
                    at=created + dt.timedelta(days=step),
                    actor_id=actor.id,
                    action="moved",
                    from_status=before.value,
                    to_status=after.value,
                )
            )
        if status == TaskStatus.VERIFIED:
            task.verified_by_id, task.verified_at = koordinator.id, created + dt.timedelta(days=3)
        session.add(task)


def _meetings(session, ctx, today, members, opds, koordinators) -> None:
    """Team meetings every four weeks, the home OPD's every week, the second OPD's every fortnight;
    one upcoming of each kind. Attendance makes the absence stories of 002 §15(3)."""
    ketua = ctx.users["ketua"]
    day = dt.timedelta(days=1)
    schedule: list[Meeting] = []

    def meeting(when: dt.date, hour: int, scope: MeetingScope, opd_index: int | None, agenda: str, by: User) -> Meeting:
        m = Meeting(
            date=dt.datetime.combine(when, dt.time(hour, 0)),
            scope=scope,
            opd_id=opds[opd_index].id if opd_index is not None else None,
            place="Ruang Rapat Diskominfostandi, Lt. 3" if scope == MeetingScope.TEAM else "Ruang Rapat OPD",
            agenda=agenda,
            created_by_id=by.id,
        )
        session.add(m)
        schedule.append(m)
        return m

    for k in range(5):
        meeting(today - (7 + 28 * k) * day, 9, MeetingScope.TEAM, None, "Rapat koordinasi Tim Programmer", ketua)
    for k in range(6):
        meeting(
            today - (3 + 7 * k) * day, 13, MeetingScope.OPD, 0, "Rapat mingguan: progres tugas OPD", koordinators[0]
        )
    if len(opds) > 1:
        for k in range(5):
            meeting(
                today - (10 + 14 * k) * day, 10, MeetingScope.OPD, 1, "Rapat evaluasi dua mingguan", koordinators[1]
            )
    upcoming_team = meeting(today + 6 * day, 9, MeetingScope.TEAM, None, "Rapat koordinasi: rencana kerja", ketua)
    upcoming_opd = meeting(
        today + 2 * day, 13, MeetingScope.OPD, 0, "Rapat mingguan: tenggat akhir bulan", koordinators[0]
    )
    session.flush()

    past = sorted((m for m in schedule if m not in (upcoming_team, upcoming_opd)), key=lambda m: (m.date, m.id))
    latest_home = max((m for m in past if m.opd_id == opds[0].id), key=lambda m: m.date)
    for spec, user, membership in members:
        mine = [m for m in past if m.scope == MeetingScope.TEAM or m.opd_id == membership.placement_opd_id]
        for position, m in enumerate(mine):
            status = AttendanceStatus.PRESENT
            note = ""
            excuse = None
            if spec.story == "absent" and position >= len(mine) - 3:
                status, note = AttendanceStatus.ABSENT, "Tanpa keterangan"
            elif spec.story == "warned" and position < 3:
                status, note = AttendanceStatus.ABSENT, "Tanpa keterangan"
            elif spec.username == "anggota4" and position == len(mine) - 2:
                status, note = AttendanceStatus.EXCUSED, "Sakit"
                excuse = save_upload(
                    session, _ExcuseLetter(), purpose=services.EXCUSE_PURPOSE, uploaded_by=koordinators[spec.opd]
                )
            elif spec.username == "anggota5" and position == 1:
                status, note = AttendanceStatus.ABSENT, "Tanpa keterangan"
            session.add(
                Attendance(
                    meeting_id=m.id,
                    member_id=user.id,
                    status=status,
                    note=note,
                    excuse_file_id=excuse.id if excuse else None,
                )
            )
    for m in past:
        if m is not latest_home:  # the latest is left for its koordinator to close
            m.closed = True
            m.minutes = "Progres tugas dibahas per anggota; tindak lanjut dicatat pada papan tugas."


def _letters(session, today, members, koordinators, ketua) -> None:
    """The warning already issued (002 §15(3)) and the dismissal proposal already sent (§15(4)–(5))."""
    stories = {spec.story: (spec, membership) for spec, _user, membership in members}
    flags = services.flags_for(session, [m for _s, m in stories.values()], today)
    if "warned" in stories:
        spec, membership = stories["warned"]
        key = next((f.key for f in flags[membership.id] if f.kind == "warning_due"), None)
        if key is not None:
            services.issue_warning(
                session,
                koordinators[spec.opd],
                membership,
                key,
                f"800/{membership.id:03d}/Peringatan/{today.year}",
                today - dt.timedelta(days=20),
                today,
            )
    if "proposed" in stories:
        _spec, membership = stories["proposed"]
        key = next((f.key for f in flags[membership.id] if f.kind == "dismissal_due"), None)
        if key is not None:
            services.propose_dismissal(
                session,
                ketua,
                membership,
                key,
                f"800/{membership.id:03d}/TP-Diskominfostandi/{today.year}",
                today - dt.timedelta(days=12),
                "Tidak melaksanakan tugas dan tidak menanggapi dua kali panggilan koordinator.",
                today,
            )


# --- volume for benchmarks -------------------------------------------------------------------------------

SCALE_OPDS = 60
MEMBERS_PER_OPD = 4
TASKS_PER_SCALE = 20_000


def _bulk_tasks(
    session: Session, ctx: DemoContext, start: dt.date, koordinator: User, categories: list[SelectionCategory]
) -> None:
    """20,000 tasks per unit of scale over the members of 60 OPDs, with their events (bulk inserts)."""
    rng = random.Random(60_000)
    stamp = dt.datetime.combine(start, dt.time(8, 0))
    opds = list(session.scalars(select(Opd).order_by(Opd.id)))
    if len(opds) < SCALE_OPDS:
        names = set(session.scalars(select(Opd.name)))
        rows = []
        n = 0
        while len(opds) + len(rows) < SCALE_OPDS:
            n += 1
            name = f"UPTD Layanan Teknis {n:02d}"
            if name not in names:
                rows.append({"code": f"UPTD-{n:02d}", "name": name, "short_name": f"UPTD {n:02d}", "active": True})
        bulk_insert(session, Opd.__table__, rows)
        opds = list(session.scalars(select(Opd).order_by(Opd.id)))
    opds = opds[:SCALE_OPDS]

    first_user = session.scalar(select(User.id).order_by(User.id.desc())) or 0
    count = SCALE_OPDS * MEMBERS_PER_OPD
    bulk_insert(
        session,
        User.__table__,
        [
            {
                "username": f"timdemo{i:04d}",
                "full_name": f"Anggota Demo {i:04d}",
                "nik": f"32758{i:011d}",
                "employment_status": "non_asn",
                "home_opd_id": opds[i % SCALE_OPDS].id,
                "password_hash": ctx.password_hash,
                "active": True,
                "session_version": 1,
                "phone": "",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i in range(count)
        ],
    )
    user_ids = list(session.scalars(select(User.id).where(User.id > first_user).order_by(User.id)))
    bulk_insert(
        session, RoleGrant.__table__, [{"user_id": uid, "role": "anggota", "granted_at": stamp} for uid in user_ids]
    )
    end = rules.term_end(start)
    bulk_insert(
        session,
        Membership.__table__,
        [
            {
                "member_id": uid,
                "category_id": categories[i % len(categories)].id if categories else None,
                "placement_opd_id": opds[i % SCALE_OPDS].id,
                "decree_number": f"188.45/Kep.{1000 + i}-Diskominfostandi/{start.year}",
                "decree_date": start,
                "start_date": start,
                "end_date": end,
                "status": "active",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for i, uid in enumerate(user_ids)
        ],
    )
    members_of: dict[int, list[int]] = {}
    for i, uid in enumerate(user_ids):
        members_of.setdefault(opds[i % SCALE_OPDS].id, []).append(uid)

    statuses = [s.value for s in TaskStatus]
    priorities = [p.value for p in TaskPriority]
    span = max(1, (ctx.today - start).days)
    first_task = session.scalar(select(Task.id).order_by(Task.id.desc())) or 0
    plan = []
    for i in range(TASKS_PER_SCALE * ctx.scale):
        opd_id = opds[i % SCALE_OPDS].id
        created = stamp + dt.timedelta(days=rng.randrange(span), hours=rng.randrange(9))
        plan.append((opd_id, rng.choice(members_of[opd_id]), rng.choice(statuses), created))
    bulk_insert(
        session,
        Task.__table__,
        [
            {
                "opd_id": opd_id,
                "title": f"{TASK_TITLES[i % len(TASK_TITLES)]} #{i + 1}",
                "description": "",
                "due_date": created.date() + dt.timedelta(days=rng.randint(3, 45)),
                "priority": rng.choice(priorities),
                "status": status,
                "created_by_id": koordinator.id,
                "created_at": created,
                "updated_at": created,
            }
            for i, (opd_id, _member, status, created) in enumerate(plan)
        ],
    )
    task_ids = list(session.scalars(select(Task.id).where(Task.id > first_task).order_by(Task.id)))
    bulk_insert(
        session,
        task_assignee,
        [{"task_id": tid, "member_id": member} for tid, (_o, member, _s, _c) in zip(task_ids, plan, strict=True)],
    )
    events = []
    for tid, (_opd, member, status, created) in zip(task_ids, plan, strict=True):
        events.append(
            {"task_id": tid, "at": created, "actor_id": koordinator.id, "action": "assigned", "to_status": "assigned"}
        )
        if status != "assigned":
            events.append(
                {
                    "task_id": tid,
                    "at": created + dt.timedelta(days=2),
                    "actor_id": member,
                    "action": "moved",
                    "from_status": "assigned",
                    "to_status": "in_progress",
                }
            )
    # The table's own INSERT: rows with and without a from_status stay in one executemany batch.
    bulk_insert(session, TaskEvent.__table__, [{"note": "", "from_status": None, **e} for e in events])
