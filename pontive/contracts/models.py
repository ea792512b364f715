"""Contracts, their duties, leave requests, monthly assessments, end-of-contract evaluations and
monthly activity reports of contract IT workers (seed 000)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import User
from pontive.core.models import StoredFile, TimestampMixin, enum_type, utcnow
from pontive.extensions import db


class ContractStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"


class Contract(TimestampMixin, db.Model):
    """A contract (SPK) with one worker (000 §5, §6, §9)."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates"),
        # The database itself keeps a leave balance from going below zero (issue 6 §3).
        CheckConstraint("leave_used >= 0 AND leave_pending >= 0", name="leave_nonnegative"),
        CheckConstraint("leave_used + leave_pending <= leave_quota", name="leave_within_quota"),
        Index("ix_contract_end_date", "end_date"),
        # A PPK's (PPTK's) contracts in SPK order, a page at a time: the assessments due (active
        # ones), the leave calendar (all).
        Index("ix_contract_ppk_status_spk", "ppk_id", "status", "spk_number"),
        Index("ix_contract_ppk_spk", "ppk_id", "spk_number"),
        Index("ix_contract_pptk_spk", "pptk_id", "spk_number"),
        # The PPK's earliest active contract: where the months due for assessment start.
        Index("ix_contract_ppk_status_start", "ppk_id", "status", "start_date"),
        # The PPK's active contracts ending soon, nearest end first (dashboard card).
        Index("ix_contract_ppk_status_end", "ppk_id", "status", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    position: Mapped[str] = mapped_column(String(200))
    spk_number: Mapped[str] = mapped_column(String(80), unique=True)
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    budget_year: Mapped[int]
    budget_source: Mapped[str] = mapped_column(String(120), default="APBD")
    total_value: Mapped[Decimal] = mapped_column(Numeric(14, 0))
    wage: Mapped[Decimal] = mapped_column(Numeric(14, 0))
    bpjs_health: Mapped[Decimal] = mapped_column(Numeric(14, 0), default=Decimal(0))
    bpjs_employment: Mapped[Decimal] = mapped_column(Numeric(14, 0), default=Decimal(0))
    pa_kpa: Mapped[str] = mapped_column(String(160), default="")
    ppk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    pptk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    work_location: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[ContractStatus] = mapped_column(enum_type(ContractStatus), default=ContractStatus.ACTIVE, index=True)
    leave_quota: Mapped[int] = mapped_column(default=12)
    leave_used: Mapped[int] = mapped_column(default=0)
    leave_pending: Mapped[int] = mapped_column(default=0)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id], lazy="joined")
    ppk: Mapped[User | None] = relationship(foreign_keys=[ppk_id])
    pptk: Mapped[User | None] = relationship(foreign_keys=[pptk_id])
    duties: Mapped[list[ContractDuty]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractDuty.position"
    )


class ContractDuty(db.Model):
    """One duty of the contract, copied from the 000 §6A template and editable per contract."""

    __tablename__ = "contract_duty"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    contract: Mapped[Contract] = relationship(back_populates="duties")


class LeaveStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class LeaveRequest(TimestampMixin, db.Model):
    __tablename__ = "leave_request"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates"),
        # A contract's leave by status and dates from the index alone: does it have leave this month
        # (the calendar), its pending requests, what overlaps a new request.
        Index("ix_leave_request_contract_dates", "contract_id", "status", "start_date", "end_date"),
        Index("ix_leave_request_status_start", "status", "start_date"),
        # Covers the leave calendar's "which contracts have leave this month" and the PPK's counts.
        Index("ix_leave_request_calendar", "status", "end_date", "start_date", "contract_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    working_days: Mapped[int]
    deducted_days: Mapped[int]
    status: Mapped[LeaveStatus] = mapped_column(enum_type(LeaveStatus), default=LeaveStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    client_token: Mapped[str | None] = mapped_column(
        String(64), unique=True
    )  # the same form posted twice → one request

    contract: Mapped[Contract] = relationship(lazy="joined")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class MonthlyAssessment(db.Model):
    """The PPK's monthly assessment: three elements, good or bad, each with a note (000 §11)."""

    __tablename__ = "monthly_assessment"
    __table_args__ = (UniqueConstraint("contract_id", "year", "month", name="uq_monthly_assessment_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    discipline: Mapped[bool]
    discipline_note: Mapped[str] = mapped_column(Text, default="")
    responsibility: Mapped[bool]
    responsibility_note: Mapped[str] = mapped_column(Text, default="")
    compliance: Mapped[bool]
    compliance_note: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(10))  # baik | buruk
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assessed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ContractEvaluation(TimestampMixin, db.Model):
    """The end-of-contract evaluation by the PPTK with the PPK, from the months' results (000 §11)."""

    __tablename__ = "contract_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    good_months: Mapped[int]
    bad_months: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(String(20))
    pptk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ppk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract: Mapped[Contract] = relationship(lazy="joined")


class ActivityReport(TimestampMixin, db.Model):
    """The worker's monthly activity report against their duties (000 §6A m)."""

    __tablename__ = "activity_report"
    __table_args__ = (UniqueConstraint("contract_id", "year", "month", name="uq_activity_report_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | submitted | returned | validated
    summary: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None]
    feedback: Mapped[str] = mapped_column(Text, default="")

    entries: Mapped[list[ActivityEntry]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ActivityEntry.id", lazy="selectin"
    )


class ActivityEntry(db.Model):
    __tablename__ = "activity_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("activity_report.id", ondelete="CASCADE"), index=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("contract_duty.id"))
    activity: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))

    report: Mapped[ActivityReport] = relationship(back_populates="entries")
    duty: Mapped[ContractDuty] = relationship(lazy="joined")
    file: Mapped[StoredFile | None] = relationship(lazy="joined")
