"""Team memberships. The team area grows from here; recruitment creates the first record."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import Opd, User
from pontive.core.models import TimestampMixin, enum_type, utcnow
from pontive.extensions import db


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    WARNED = "warned"
    PROPOSED_DISMISSAL = "proposed_dismissal"
    DISMISSED = "dismissed"
    ENDED = "ended"
    EXTENDED = "extended"


class Membership(TimestampMixin, db.Model):
    """One year in the team, from the Wali Kota's decree (002 §4(1), §15(1))."""

    __tablename__ = "membership"
    __table_args__ = (
        # Who serves in an OPD (the boards' counts and member search) from the index alone.
        Index("ix_membership_placement_status", "placement_opd_id", "status", "member_id"),
        # the members of a period, the latest membership each (performance recaps and review pages, 0010):
        # by date for the whole team, by OPD then date for a koordinator, by member for "no later one"
        Index("ix_membership_period", "end_date", "start_date", "member_id", "placement_opd_id"),
        Index("ix_membership_opd_period", "placement_opd_id", "end_date", "start_date", "member_id"),
        Index("ix_membership_member_period", "member_id", "placement_opd_id", "end_date", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("selection_category.id"))
    placement_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), unique=True)
    decree_number: Mapped[str] = mapped_column(String(80))
    decree_date: Mapped[dt.date]
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    status: Mapped[MembershipStatus] = mapped_column(
        enum_type(MembershipStatus),
        default=MembershipStatus.ACTIVE,
        index=True,  # who serves now: few of all terms
    )

    previous_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"))

    member: Mapped[User] = relationship(foreign_keys=[member_id], lazy="joined")
    placement_opd: Mapped[Opd | None] = relationship(lazy="joined")
    events: Mapped[list[MembershipEvent]] = relationship(cascade="all, delete-orphan", order_by="MembershipEvent.id")


class MembershipEvent(db.Model):
    """The history of a membership's status: who, when, why."""

    __tablename__ = "membership_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(lazy="joined")


class WorkProgram(TimestampMixin, db.Model):
    """An OPD's work program for a year, set by the sekretaris (002 §12(2)a)."""

    __tablename__ = "work_program"
    __table_args__ = (Index("ix_work_program_opd_year", "opd_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    opd: Mapped[Opd] = relationship(lazy="joined")
    targets: Mapped[list[Target]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Target.id", lazy="selectin"
    )


class Target(db.Model):
    """A measurable target of a program: a value and its unit."""

    __tablename__ = "work_target"
    __table_args__ = (CheckConstraint("value > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("work_program.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(40))

    program: Mapped[WorkProgram] = relationship(back_populates="targets")


class TaskStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"


class TaskPriority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


task_assignee = Table(
    "task_assignee",
    db.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("user.id"), primary_key=True),
    Index("ix_task_assignee_member_task", "member_id", "task_id"),  # a member's tasks from the index alone
)


class Task(TimestampMixin, db.Model):
    """A task a koordinator assigns to members placed in their OPD (002 §13(1)a)."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_opd_status_due", "opd_id", "status", "due_date"),  # task counts per OPD from the index alone
        Index("ix_task_due_date", "due_date"),
        Index("ix_task_opd_status_updated", "opd_id", "status", "updated_at"),  # done/verified columns, latest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("work_program.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None]
    priority: Mapped[TaskPriority] = mapped_column(enum_type(TaskPriority), default=TaskPriority.NORMAL)
    status: Mapped[TaskStatus] = mapped_column(enum_type(TaskStatus), default=TaskStatus.ASSIGNED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[dt.datetime | None]

    opd: Mapped[Opd] = relationship(lazy="joined")
    program: Mapped[WorkProgram | None] = relationship()
    assignees: Mapped[list[User]] = relationship(secondary=task_assignee, lazy="selectin", order_by="User.full_name")
    comments: Mapped[list[TaskComment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskComment.id"
    )
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskEvent.id"
    )


class TaskComment(db.Model):
    __tablename__ = "task_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(lazy="joined")


class TaskEvent(db.Model):
    """Task history; also the record of "task activity" for the inactivity rule (002 §15(4))."""

    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_actor_at", "actor_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")


class MeetingScope(enum.StrEnum):
    TEAM = "team"
    OPD = "opd"


class Meeting(TimestampMixin, db.Model):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_date", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.datetime]
    scope: Mapped[MeetingScope] = mapped_column(enum_type(MeetingScope))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    agenda: Mapped[str] = mapped_column(Text)
    minutes: Mapped[str] = mapped_column(Text, default="")
    closed: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    opd: Mapped[Opd | None] = relationship(lazy="joined")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.id"
    )


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"  # izin tertulis, with the letter
    ABSENT = "absent"


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_attendance_meeting_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    excuse_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    member: Mapped[User] = relationship(lazy="joined")


class InactivityReason(db.Model):
    """A member's written reason for a month without activity (002 §15(4) "alasan tertulis")."""

    __tablename__ = "inactivity_reason"
    __table_args__ = (UniqueConstraint("membership_id", "year", "month", name="uq_inactivity_reason_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LetterType(enum.StrEnum):
    WARNING = "warning"  # teguran/peringatan by the koordinator (002 §15(3))
    DISMISSAL_PROPOSAL = "dismissal_proposal"  # usulan pemberhentian by the ketua (002 §15(4)–(5))


class DisciplineLetter(db.Model):
    """A warning or a dismissal proposal, recorded on the membership; one per breach."""

    __tablename__ = "discipline_letter"
    __table_args__ = (UniqueConstraint("membership_id", "kind", "breach_key", name="uq_discipline_letter_breach"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LetterType] = mapped_column(enum_type(LetterType))
    breach_key: Mapped[str] = mapped_column(String(40))
    breach: Mapped[str] = mapped_column(Text)
    number: Mapped[str] = mapped_column(String(80))
    letter_date: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text, default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    membership: Mapped[Membership] = relationship()
    issued_by: Mapped[User | None] = relationship(lazy="joined")


class DisciplineSummary(db.Model):
    """The discipline flags of one membership, counted by the rules for one month (002 §15(3)–(4)).

    Computing the flags reads every meeting attended and every month of activity of the member, so the
    dashboards and the discipline page keep the counts here: a row is written when its flags are
    first needed in a month and deleted as soon as an input of the rules changes (attendance, task
    activity, a validated report, a written reason, a letter, the membership itself; see
    team/services.py). ``period`` is the month the counts hold for (year × 12 + month − 1): a new
    month completes a month of the term, which may make a new breach. The extension evaluation
    depends on the day and is never stored."""

    __tablename__ = "discipline_summary"

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[int]
    warnings: Mapped[int] = mapped_column(default=0)  # absence breaches (§15(3))
    warnings_open: Mapped[int] = mapped_column(default=0)  # … without a warning letter
    dismissals: Mapped[int] = mapped_column(default=0)  # inactivity breaches (§15(4))
    dismissals_open: Mapped[int] = mapped_column(default=0)  # … without a dismissal proposal
