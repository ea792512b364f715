"""Catalogue models. The class is CityApplication (table city_application): "Application" is
already the selection area's applicant file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import Opd, User
from pontive.core.models import StoredFile, TimestampMixin
from pontive.extensions import db

app_maintainer = Table(
    "app_maintainer",
    db.metadata,
    Column("app_id", ForeignKey("city_application.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True, index=True),
)


class CityApplication(TimestampMixin, db.Model):
    __tablename__ = "city_application"
    __table_args__ = (
        Index("ix_city_application_opd_status", "owner_opd_id", "status"),
        Index("ix_city_application_warranty", "warranty_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    kind: Mapped[str] = mapped_column(String(10), default="web")
    integrated: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    url: Mapped[str] = mapped_column(String(300), default="")
    repo_url: Mapped[str | None] = mapped_column(String(300), unique=True)
    repo_host: Mapped[str] = mapped_column(String(80), default="")
    repo_branch: Mapped[str] = mapped_column(String(80), default="")
    repo_visibility: Mapped[str] = mapped_column(String(10), default="private")
    hosting_location: Mapped[str] = mapped_column(String(10), default="", index=True)
    server_name: Mapped[str] = mapped_column(String(120), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    operating_system: Mapped[str] = mapped_column(String(80), default="")
    web_server: Mapped[str] = mapped_column(String(80), default="")
    runtime: Mapped[str] = mapped_column(String(80), default="")
    database: Mapped[str] = mapped_column(String(80), default="")
    asset_number: Mapped[str] = mapped_column(String(80), default="")
    warranty_until: Mapped[dt.date | None]

    owner_opd: Mapped[Opd] = relationship(lazy="joined")
    maintainers: Mapped[list[User]] = relationship(secondary=app_maintainer, lazy="selectin", order_by="User.full_name")
    documents: Mapped[list[AppDocument]] = relationship(
        back_populates="app", cascade="all, delete-orphan", order_by="AppDocument.id"
    )


# The catalogue lists by name whatever the case: this index gives a page without sorting every application.
Index("ix_city_application_name_lower", func.lower(CityApplication.name), CityApplication.id)


class AppIntegration(db.Model):
    """``provider`` gives data to ``consumer`` (issue 7 §1 "integrations in both directions")."""

    __tablename__ = "app_integration"
    __table_args__ = (UniqueConstraint("provider_id", "consumer_id", name="uq_app_integration_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("city_application.id", ondelete="CASCADE"), index=True)
    consumer_id: Mapped[int] = mapped_column(ForeignKey("city_application.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300), default="")

    provider: Mapped[CityApplication] = relationship(foreign_keys=[provider_id], lazy="joined")
    consumer: Mapped[CityApplication] = relationship(foreign_keys=[consumer_id], lazy="joined")


class AppDocument(db.Model):
    __tablename__ = "app_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("city_application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(160), default="")
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)
    project_step_id: Mapped[int | None] = mapped_column(ForeignKey("project_step.id"), index=True)

    app: Mapped[CityApplication] = relationship(back_populates="documents")
    file: Mapped[StoredFile] = relationship(lazy="joined")


class SopStep(db.Model):
    """One step of the SOP "Pembuatan/Peningkatan Aplikasi" (seed 001): reference data."""

    __tablename__ = "sop_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    activity: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(160))
    documents: Mapped[str] = mapped_column(String(300), default="")
    min_minutes: Mapped[int | None]
    max_minutes: Mapped[int | None]
    output: Mapped[str] = mapped_column(String(300), default="")
    phase: Mapped[str] = mapped_column(String(20), default="execution")


class Project(TimestampMixin, db.Model):
    """A build or upgrade of an application along the SOP (seed 001) and the phases of seed 003."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("city_application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="build")  # build | upgrade
    title: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(160), default="")
    year: Mapped[int]
    handover_date: Mapped[dt.date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    app: Mapped[CityApplication] = relationship(lazy="joined")
    steps: Mapped[list[ProjectStep]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectStep.position", lazy="selectin"
    )


class ProjectStep(db.Model):
    __tablename__ = "project_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    sop_step_id: Mapped[int] = mapped_column(ForeignKey("sop_step.id"))
    position: Mapped[int]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="steps")
    sop_step: Mapped[SopStep] = relationship(lazy="joined")
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id], lazy="joined")
    finished_by: Mapped[User | None] = relationship(foreign_keys=[finished_by_id], lazy="joined")
