"""Performance plans (SKP), work results (RHK), action plans, monthly/quarterly/final reports,
evidence, validation history and evaluations with predikat."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import Opd, User
from pontive.core.models import StoredFile, TimestampMixin, enum_type, utcnow
from pontive.extensions import db


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class PerformancePlan(TimestampMixin, db.Model):
    """A member's yearly plan (SKP), approved by their koordinator (issue 5 §1)."""

    __tablename__ = "performance_plan"
    __table_args__ = (
        UniqueConstraint("member_id", "year", name="uq_performance_plan_member_year"),
        # the plans awaiting approval, per OPD: a partial index holds only them
        Index(
            "ix_performance_plan_waiting",
            "status",
            "opd_id",
            "updated_at",
            sqlite_where=text("status = 'submitted'"),
            postgresql_where=text("status = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    year: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(enum_type(PlanStatus), default=PlanStatus.DRAFT)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[dt.datetime | None]

    member: Mapped[User] = relationship(foreign_keys=[member_id], lazy="joined")
    opd: Mapped[Opd | None] = relationship(lazy="joined")
    work_results: Mapped[list[WorkResult]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="WorkResult.position", lazy="selectin"
    )


class WorkResultKind(enum.StrEnum):
    MAIN = "main"  # utama
    ADDITIONAL = "additional"  # tambahan


class WorkResult(db.Model):
    """RHK: a planned work result, optionally linked to the koordinator's RHK or an OPD program."""

    __tablename__ = "work_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("performance_plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[WorkResultKind] = mapped_column(enum_type(WorkResultKind), default=WorkResultKind.MAIN)
    title: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_result.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("work_program.id"))
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[PerformancePlan] = relationship(back_populates="work_results")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="work_result", cascade="all, delete-orphan", order_by="Indicator.id", lazy="selectin"
    )
    action_plans: Mapped[list[ActionPlan]] = relationship(
        back_populates="work_result", cascade="all, delete-orphan", order_by="(ActionPlan.month, ActionPlan.id)"
    )


class Indicator(db.Model):
    __tablename__ = "indicator"
    __table_args__ = (CheckConstraint("target_value > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_result_id: Mapped[int] = mapped_column(ForeignKey("work_result.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    target_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(40))
    aspect: Mapped[str] = mapped_column(String(10), default="quantity")

    work_result: Mapped[WorkResult] = relationship(back_populates="indicators")


class ActionPlan(db.Model):
    """Rencana aksi: what a member plans in one month under one RHK, with a target value."""

    __tablename__ = "action_plan"
    __table_args__ = (
        CheckConstraint("target_value > 0", name="positive"),
        CheckConstraint("month >= 1 AND month <= 12", name="month"),
        Index("ix_action_plan_member_period", "member_id", "year", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_result_id: Mapped[int] = mapped_column(ForeignKey("work_result.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    year: Mapped[int]
    month: Mapped[int]
    description: Mapped[str] = mapped_column(String(300))
    target_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(40))

    work_result: Mapped[WorkResult] = relationship(back_populates="action_plans")


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VALIDATED = "validated"


class MonthlyReport(TimestampMixin, db.Model):
    """A member's monthly report; validation locks the month (004 "dikunci per bulan")."""

    __tablename__ = "monthly_report"
    __table_args__ = (
        UniqueConstraint("member_id", "year", "month", name="uq_monthly_report_member_period"),
        Index("ix_monthly_report_opd_period", "opd_id", "year", "month", "status"),
        # a member's year with its figures, read from the index alone (migration 0016)
        Index("ix_monthly_report_member_figures", "member_id", "year", "month", "status", "achievement"),
        # the reports awaiting validation, per OPD, oldest first: a partial index holds only them
        Index(
            "ix_monthly_report_waiting",
            "status",
            "opd_id",
            "submitted_at",
            sqlite_where=text("status = 'submitted'"),
            postgresql_where=text("status = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    year: Mapped[int]
    month: Mapped[int]
    status: Mapped[ReportStatus] = mapped_column(enum_type(ReportStatus), default=ReportStatus.DRAFT)
    narrative: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None]
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    validated_at: Mapped[dt.datetime | None]
    achievement: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    # optimistic lock: a stale form cannot overwrite a newer save
    version: Mapped[int] = mapped_column(default=1)

    member: Mapped[User] = relationship(foreign_keys=[member_id], lazy="joined")
    opd: Mapped[Opd | None] = relationship(lazy="joined")
    realisations: Mapped[list[Realisation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Realisation.id"
    )
    reviews: Mapped[list[ReportReview]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportReview.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Realisation(db.Model):
    __tablename__ = "realisation"
    __table_args__ = (UniqueConstraint("report_id", "action_plan_id", name="uq_realisation_report_plan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"), index=True)
    action_plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[MonthlyReport] = relationship(back_populates="realisations")
    action_plan: Mapped[ActionPlan] = relationship(lazy="joined")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="realisation", cascade="all, delete-orphan", order_by="Evidence.id", lazy="selectin"
    )


class Evidence(db.Model):
    """Bukti dukung: a file behind one realisation (004 "wajib di unggah")."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    realisation_id: Mapped[int] = mapped_column(ForeignKey("realisation.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)

    realisation: Mapped[Realisation] = relationship(back_populates="evidence")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class ReviewDecision(enum.StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VALIDATED = "validated"
    UNLOCKED = "unlocked"


class ReportReview(db.Model):
    """The validation history (its own tab, 004): every submission, return, validation and unlock."""

    __tablename__ = "report_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[ReviewDecision] = mapped_column(enum_type(ReviewDecision))
    feedback: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[MonthlyReport] = relationship(back_populates="reviews")
    actor: Mapped[User | None] = relationship(lazy="joined")


class PeriodReport(TimestampMixin, db.Model):
    """A quarterly report (quarter 1–4) or the end-of-term report (quarter 0), composed from the
    months with a summary by the member (002 §20(1))."""

    __tablename__ = "period_report"
    __table_args__ = (UniqueConstraint("member_id", "year", "quarter", name="uq_period_report_member_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]  # 0 = end of term
    summary: Mapped[str] = mapped_column(Text, default="")
    achievement: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    submitted_at: Mapped[dt.datetime | None]

    member: Mapped[User] = relationship(lazy="joined")


class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # koordinator → sekretaris (002 §20(2))
    CONSOLIDATED = "consolidated"  # sekretaris → ketua (002 §20(3))
    FINAL = "final"  # in the ketua's final report to the pembina (002 §20(4))


class Evaluation(TimestampMixin, db.Model):
    """A member's yearly evaluation: results and behaviour ratings and the predikat."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("member_id", "year", name="uq_evaluation_member_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    koordinator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    achievement: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    results_rating: Mapped[str | None] = mapped_column(String(10))
    behaviour_rating: Mapped[str | None] = mapped_column(String(10))
    behaviour: Mapped[dict | None] = mapped_column(JSON)  # BerAKHLAK value → above/as/below
    predikat: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EvaluationStatus] = mapped_column(enum_type(EvaluationStatus), default=EvaluationStatus.DRAFT)

    member: Mapped[User] = relationship(foreign_keys=[member_id], lazy="joined")
    opd: Mapped[Opd | None] = relationship(lazy="joined")


class FinalTeamReport(TimestampMixin, db.Model):
    """The ketua's final report of a year to the pembina (002 §20(4))."""

    __tablename__ = "final_team_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    number: Mapped[str] = mapped_column(String(80))
    letter_date: Mapped[dt.date]
    summary: Mapped[str] = mapped_column(Text, default="")
    ketua_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class PerformanceSettings(db.Model):
    """One row: the cap, the due day and the predikat quotas (configurable, issue 5 §3–§6)."""

    __tablename__ = "performance_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_cap: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(120))
    due_day: Mapped[int] = mapped_column(default=5)
    predikat_quotas: Mapped[dict] = mapped_column(JSON, default=dict)  # predikat → max share %
