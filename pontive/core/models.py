"""Models every area shares: the audit log, uploaded files, holidays and the letterhead."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.extensions import db


def utcnow() -> dt.datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def enum_type(cls: type[enum.Enum], length: int = 20) -> Enum:
    """A string-enum column stored as its value (a VARCHAR with a CHECK), the same on SQLite and PostgreSQL."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditLog(db.Model):
    """Append-only record of every state change: who, when, what, before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
        Index("ix_audit_log_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StoredFile(db.Model):
    """An uploaded file. The bytes live in storage under a random key, never under static/."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(40), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Holiday(db.Model):
    """A national holiday or cuti bersama day: not a working day (000 §7d)."""

    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # libur_nasional | cuti_bersama
    name: Mapped[str] = mapped_column(String(160))


class Letterhead(db.Model):
    """The one letterhead every letter uses (DESIGN §6 "Letters")."""

    __tablename__ = "letterhead"

    id: Mapped[int] = mapped_column(primary_key=True)
    government: Mapped[str] = mapped_column(String(160))
    agency: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(120), default="")
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@db.event.listens_for(AuditLog, "before_update")
@db.event.listens_for(AuditLog, "before_delete")
def _audit_is_append_only(mapper, connection, target) -> None:  # noqa: ARG001
    raise PermissionError("Log audit hanya dapat ditambah, tidak dapat diubah atau dihapus.")
