"""Selection rounds, applications and everything the panel records about them."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import Opd, User
from pontive.core.models import StoredFile, TimestampMixin, enum_type, utcnow
from pontive.extensions import db


class CategoryGroup(enum.StrEnum):
    SOFTWARE = "software"  # sistem informasi dan perangkat lunak (002 §17.1)
    NETWORK = "network"  # perangkat dan infrastruktur jaringan (002 §17.2)
    DATA_CENTER = "data_center"  # data center (002 §17.3)


class CategoryLevel(enum.StrEnum):
    JUNIOR = "junior"
    SENIOR = "senior"
    FULLSTACK = "fullstack"
    PROFESSIONAL = "professional"


class SelectionCategory(db.Model):
    """A team category with its requirements (002 §4(2), §17–19); reference data an admin edits."""

    __tablename__ = "selection_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    group: Mapped[CategoryGroup] = mapped_column(enum_type(CategoryGroup))
    level: Mapped[CategoryLevel] = mapped_column(enum_type(CategoryLevel))
    min_years: Mapped[int]
    certificate_required: Mapped[bool] = mapped_column(default=False)
    accepted_certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    outputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name


class AcceptedMajor(db.Model):
    """A study programme accepted for contract-worker rounds (000 §10B)."""

    __tablename__ = "accepted_major"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class RoundKind(enum.StrEnum):
    TEAM = "team"  # Tim Programmer (002)
    CONTRACT = "contract"  # tenaga kontrak (000)


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ANNOUNCED = "announced"


class PanelUnit(enum.StrEnum):
    DISKOMINFO = "diskominfo"  # 002 §16(1)a
    BKPPD = "bkppd"  # 002 §16(1)b
    TEAM = "team"  # 002 §16(1)c


class SelectionRound(TimestampMixin, db.Model):
    __tablename__ = "selection_round"
    __table_args__ = (
        CheckConstraint("close_date >= open_date", name="dates"),
        CheckConstraint("weight_interview + weight_practical = 100", name="weights"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RoundKind] = mapped_column(enum_type(RoundKind))
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    open_date: Mapped[dt.date]
    close_date: Mapped[dt.date]
    status: Mapped[RoundStatus] = mapped_column(enum_type(RoundStatus), default=RoundStatus.DRAFT, index=True)
    pass_mark_interview: Mapped[int] = mapped_column(default=70)
    pass_mark_practical: Mapped[int] = mapped_column(default=70)
    weight_interview: Mapped[int] = mapped_column(default=40)
    weight_practical: Mapped[int] = mapped_column(default=60)
    min_panel_scores: Mapped[int] = mapped_column(default=2)
    # contract rounds (000 §10)
    position: Mapped[str] = mapped_column(String(200), default="")
    contract_quota: Mapped[int] = mapped_column(default=0)
    local_city: Mapped[str] = mapped_column(String(80), default="")
    # the announcement letter (002 §16(4))
    announcement_number: Mapped[str | None] = mapped_column(String(80))
    announcement_date: Mapped[dt.date | None]
    announced_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    quotas: Mapped[list[RoundQuota]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundQuota.id", lazy="selectin"
    )
    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="PanelMember.id", lazy="selectin"
    )

    def quota_for(self, category_id: int | None) -> int:
        if self.kind == RoundKind.CONTRACT:
            return self.contract_quota
        return next((q.quota for q in self.quotas if q.category_id == category_id), 0)

    def is_panelist(self, user: Any) -> bool:
        return any(p.user_id == getattr(user, "id", None) for p in self.panel)


class RoundQuota(db.Model):
    __tablename__ = "round_quota"
    __table_args__ = (UniqueConstraint("round_id", "category_id", name="uq_round_quota_round_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("selection_round.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("selection_category.id"))
    quota: Mapped[int]

    round: Mapped[SelectionRound] = relationship(back_populates="quotas")
    category: Mapped[SelectionCategory] = relationship(lazy="joined")


class PanelMember(db.Model):
    __tablename__ = "panel_member"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_panel_member_round_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("selection_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    unit: Mapped[PanelUnit] = mapped_column(enum_type(PanelUnit))

    round: Mapped[SelectionRound] = relationship(back_populates="panel")
    user: Mapped[User] = relationship(lazy="joined")


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADMIN_FAILED = "admin_failed"
    ADMIN_PASSED = "admin_passed"
    INTERVIEW = "interview"  # called: competency form and interview
    INTERVIEW_FAILED = "interview_failed"
    PRACTICAL = "practical"  # called to the practical test
    PRACTICAL_FAILED = "practical_failed"
    PASSED = "passed"  # every stage passed its mark; awaits ranking
    SELECTED = "selected"  # within the quota at the announcement
    NOT_SELECTED = "not_selected"  # passed, but outside the quota
    APPOINTED = "appointed"  # decree issued
    WITHDRAWN = "withdrawn"


class Application(TimestampMixin, db.Model):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("round_id", "applicant_id", name="uq_application_round_applicant"),
        # a round's queue of one status in filing order; the per-status counts read it too
        Index("ix_application_round_status_queue", "round_id", "status", "submitted_at", "id"),
        Index("ix_application_round_queue", "round_id", "submitted_at", "id"),  # the panel's queue, in filing order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # active_history: the stored counts (RoundStatusCount) need the value a change replaces
    round_id: Mapped[int] = mapped_column(ForeignKey("selection_round.id"), active_history=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("selection_category.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus), default=ApplicationStatus.DRAFT, index=True, active_history=True
    )
    submitted_at: Mapped[dt.datetime | None]

    # team rounds (002 §16(3)a, §18)
    home_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    experience_years: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    experience_signer: Mapped[str] = mapped_column(String(160), default="")
    experience_signed_on: Mapped[dt.date | None]
    # contract rounds (000 §10)
    citizenship_wni: Mapped[bool | None]
    birth_date: Mapped[dt.date | None]
    npwp: Mapped[str | None] = mapped_column(String(20))
    degree: Mapped[str] = mapped_column(String(10), default="")
    major: Mapped[str] = mapped_column(String(120), default="")
    institution: Mapped[str] = mapped_column(String(160), default="")
    accreditation: Mapped[str] = mapped_column(String(20), default="")
    gpa: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    ktp_city: Mapped[str] = mapped_column(String(80), default="")
    not_bound_by_contract: Mapped[bool | None]

    # the administrative check (002 §16(2)a, §16(3)b)
    admin_results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    admin_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    admin_decided_at: Mapped[dt.datetime | None]
    admin_override_reason: Mapped[str | None] = mapped_column(Text)
    # the competency form (002 §16(3)b.1, §19)
    competency_answers: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    competency_submitted_at: Mapped[dt.datetime | None]
    # stage results (002 §16(3)c–d)
    interview_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    practical_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    final_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rank: Mapped[int | None]
    # appointment (002 §4(1), §15(1))
    decree_number: Mapped[str | None] = mapped_column(String(80))
    decree_date: Mapped[dt.date | None]

    round: Mapped[SelectionRound] = relationship(lazy="joined")
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id], lazy="joined")
    category: Mapped[SelectionCategory | None] = relationship(lazy="joined")
    home_opd: Mapped[Opd | None] = relationship(foreign_keys=[home_opd_id])
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationDocument.id"
    )
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )


class RoundStatusCount(db.Model):
    """How many applications of a round are at each status (drafts are not counted), kept in step with
    every insert, status change and delete of an application by the flush listener in services; the
    rounds list and the dashboard cards read these few rows instead of grouping every application."""

    __tablename__ = "round_status_count"
    __table_args__ = (CheckConstraint("n >= 0", name="n_not_negative"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("selection_round.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[ApplicationStatus] = mapped_column(enum_type(ApplicationStatus), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DocumentKind(enum.StrEnum):
    CV = "cv"  # daftar riwayat hidup (002 §16(3)a.1)
    ADMIN_DOCS = "admin_docs"  # persyaratan administrasi (002 §16(3)a.2)
    EXPERIENCE_STATEMENT = "experience_statement"  # 002 §18b
    CAPABILITY_STATEMENT = "capability_statement"  # 002 §18c
    CERTIFICATE = "certificate"  # 002 §19
    KTP = "ktp"  # 000 §10A
    NPWP = "npwp"
    DIPLOMA = "diploma"  # ijazah and transcript, 000 §10B


class ApplicationDocument(db.Model):
    __tablename__ = "application_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind))
    label: Mapped[str] = mapped_column(String(160), default="")
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)

    application: Mapped[Application] = relationship(back_populates="documents")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class ApplicationEvent(db.Model):
    """Every move of an application: who, when, from which status to which, and why."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")


class Stage(enum.StrEnum):
    INTERVIEW = "interview"
    PRACTICAL = "practical"


class Score(db.Model):
    """One panel member's score for one stage of one application (0–100)."""

    __tablename__ = "selection_score"
    __table_args__ = (
        UniqueConstraint("application_id", "stage", "panelist_id", name="uq_selection_score_once"),
        CheckConstraint("score >= 0 AND score <= 100", name="range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    panelist_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    score: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    panelist: Mapped[User] = relationship(lazy="joined")


class LetterKind(enum.StrEnum):
    CALL_INTERVIEW = "call_interview"  # 002 §16(3)b
    CALL_PRACTICAL = "call_practical"  # 002 §16(3)c


class CallLetter(db.Model):
    """A call letter (surat pemanggilan) sent to one applicant."""

    __tablename__ = "call_letter"
    __table_args__ = (UniqueConstraint("application_id", "kind", name="uq_call_letter_application_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LetterKind] = mapped_column(enum_type(LetterKind))
    number: Mapped[str] = mapped_column(String(80))
    letter_date: Mapped[dt.date]
    event_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(String(200))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
