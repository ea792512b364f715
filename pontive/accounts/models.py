"""Users, their role grants, the city's departments (OPD) and the login throttle."""

from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.roles import Role
from pontive.core.models import TimestampMixin, enum_type, utcnow
from pontive.extensions import db


class EmploymentStatus(enum.StrEnum):
    ASN = "asn"
    NON_ASN = "non_asn"


class Opd(db.Model):
    """Perangkat Daerah: a department of the city government."""

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        enum_type(EmploymentStatus, 10),
        default=EmploymentStatus.NON_ASN,
    )
    home_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped by logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[dt.datetime | None]
    previous_login_at: Mapped[dt.datetime | None]
    preferred_language: Mapped[str | None] = mapped_column(String(5))

    home_opd: Mapped[Opd | None] = relationship(lazy="joined")
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="RoleGrant.id"
    )

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    # Roles
    @property
    def roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def has_role(self, *roles: Role | str) -> bool:
        mine = {g.role.value for g in self.grants}
        return any(str(r) in mine for r in roles)

    def opd_ids_for(self, role: Role | str) -> set[int]:
        """The OPDs a scoped role is granted for."""
        return {g.opd_id for g in self.grants if g.role == role and g.opd_id is not None}

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(db.Model):
    """One role held by one user, optionally scoped to one OPD."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "opd_id", name="uq_role_grant_user_role_opd"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    granted_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))

    user: Mapped[User] = relationship(back_populates="grants")
    opd: Mapped[Opd | None] = relationship(lazy="joined")


class LoginThrottle(db.Model):
    """Failed logins per user name, known or not, so both get the same answer (lockout across workers)."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_failure_at: Mapped[dt.datetime | None]


class ApiToken(db.Model):
    """A personal API token: stored hashed, shown once, revocable (issue 7 §5)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


# The admin's user search finds the names that start with what is typed from this index (issue 8 §2).
Index("ix_user_full_name_lower", func.lower(User.full_name))
# The admin's user list filtered by role reads the role's user ids from this index alone (issue 8 §2).
Index("ix_role_grant_role_user", RoleGrant.role, RoleGrant.user_id)
