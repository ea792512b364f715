"""Account use cases: sign in and out, passwords, users, role grants and OPDs.

No request and no current_user here: the acting user is always an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pontive.accounts import rules
from pontive.accounts.models import LoginThrottle, Opd, RoleGrant, User
from pontive.accounts.roles import OPD_SCOPED, Role
from pontive.core.audit import audit, snapshot
from pontive.core.models import utcnow
from pontive.extensions import db


class AccountError(ValueError):
    """A request the rules refuse; the message is shown to the user as is."""


# --- passwords -------------------------------------------------------------------------------


def password_hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_KIB"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hash: dict[tuple, str] = {}


def _burn_verification(password: str) -> None:
    """Spend the time of one verification, so an unknown name answers as slowly as a known one."""
    hasher = password_hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hash:
        _dummy_hash[key] = hasher.hash("pontive-timing-equaliser")
    verify_password(_dummy_hash[key], password)


# --- sessions --------------------------------------------------------------------------------


def load_user_from_session(raw_id: str) -> User | None:
    """Flask-Login's loader: the cookie carries "<id>:<session_version>"; an old version,
    or a deactivated user, gets no user (the session is dead)."""
    try:
        user_id, version = (int(part) for part in raw_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: dt.datetime | None = None


GENERIC_LOGIN_ERROR = "Nama pengguna atau kata sandi salah."


def _policy() -> rules.LockoutPolicy:
    cfg = current_app.config
    return rules.LockoutPolicy(cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])


def _register_failure(session: Session, key: str, now: dt.datetime) -> dt.datetime | None:
    """Count one failure for ``key`` atomically; returns the lock's end if this failure locks it."""
    row = session.get(LoginThrottle, key, with_for_update=session.get_bind().dialect.name == "postgresql")
    if row is None:
        try:
            with session.begin_nested():
                session.add(LoginThrottle(username=key, failures=0))
        except IntegrityError:
            pass  # another worker inserted it first
        row = session.get(LoginThrottle, key)
    if row.locked_until is not None and row.locked_until <= now:
        row.failures, row.locked_until = 0, None  # the old lock ran out: count afresh
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == key)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
    )
    session.refresh(row)
    locked_until = rules.lock_after_failure(row.failures, now, _policy())
    if locked_until is not None:
        row.locked_until = locked_until
    session.commit()
    return locked_until


def authenticate(session: Session, username: str, password: str, *, now: dt.datetime | None = None) -> LoginResult:
    """Check a name and password. Unknown names, wrong passwords and inactive users get the
    same answer, and all count towards the same lockout."""
    now = now or utcnow()
    key = username.strip().lower()[:60]
    throttle = session.get(LoginThrottle, key)
    if throttle is not None and rules.is_locked(throttle.locked_until, now):
        _burn_verification(password)
        return LoginResult(None, throttle.locked_until)
    user = session.scalar(select(User).where(User.username == key))
    if user is None:
        _burn_verification(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok:
        return LoginResult(None, _register_failure(session, key, now))
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if throttle is not None:
        session.delete(throttle)
    user.previous_login_at = user.last_login_at
    user.last_login_at = now
    audit(session, user, "login", user)
    session.commit()
    return LoginResult(user)


def end_sessions(session: Session, user: User, *, reason: str = "logout") -> None:
    """Every cookie issued to this user stops working (logout, password change, deactivation)."""
    user.session_version += 1
    audit(session, user, reason, user)
    session.commit()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("Kata sandi saat ini salah.")
    problem = rules.password_problem(new, username=user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    user.session_version += 1
    audit(session, user, "password_change", user)
    session.commit()


# --- users -----------------------------------------------------------------------------------

USER_FIELDS = ["username", "full_name", "email", "phone", "nip", "nik", "employment_status", "home_opd_id", "active"]


def _check_identity(data: dict[str, Any]) -> None:
    if data.get("nip"):
        problem = rules.nip_problem(data["nip"])
        if problem:
            raise AccountError(problem)
    if data.get("nik"):
        problem = rules.nik_problem(data["nik"])
        if problem:
            raise AccountError(problem)


def _check_unique(session: Session, data: dict[str, Any], user_id: int | None = None) -> None:
    labels = {"username": "Nama pengguna", "email": "E-mail", "nip": "NIP", "nik": "NIK"}
    for field_name, label in labels.items():
        value = data.get(field_name)
        if not value:
            continue
        query = select(User.id).where(getattr(User, field_name) == value)
        if user_id is not None:
            query = query.where(User.id != user_id)
        if session.scalar(query) is not None:
            raise AccountError(f"{label} {value} sudah dipakai pengguna lain.")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in ("email", "nip", "nik"):
        if key in out:
            out[key] = (out[key] or "").strip() or None
    if "username" in out:
        out["username"] = out["username"].strip().lower()
    if out.get("email"):
        out["email"] = out["email"].lower()
    return out


def create_user(
    session: Session, actor: User | None, data: dict[str, Any], password: str, *, roles: list[Role] | None = None
) -> User:
    """Create a user, optionally with unscoped roles, in one transaction."""
    data = _clean(data)
    _check_identity(data)
    _check_unique(session, data)
    problem = rules.password_problem(password, username=data["username"])
    if problem:
        raise AccountError(problem)
    user = User(**{k: v for k, v in data.items() if k in USER_FIELDS}, password_hash=hash_password(password))
    for role in roles or []:
        user.grants.append(RoleGrant(role=Role(role)))
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # the same form sent twice at once
        session.rollback()
        raise AccountError("Nama pengguna, e-mail, NIP atau NIK sudah dipakai pengguna lain.") from exc
    audit(
        session,
        actor or user,
        "user_create",
        user,
        after=snapshot(user, USER_FIELDS) | {"roles": [str(r) for r in roles or []]},
    )
    session.commit()
    return user


def update_user(session: Session, actor: User, user: User, data: dict[str, Any]) -> User:
    data = _clean(data)
    _check_identity(data)
    _check_unique(session, data, user.id)
    before = snapshot(user, USER_FIELDS)
    deactivating = user.active and data.get("active") is False
    if deactivating and user.id == actor.id:
        raise AccountError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    for key, value in data.items():
        if key in USER_FIELDS:
            setattr(user, key, value)
    if deactivating:
        user.session_version += 1
    audit(session, actor, "user_update", user, before=before, after=snapshot(user, USER_FIELDS))
    session.commit()
    return user


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    if not active and user.id == actor.id:
        raise AccountError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    before = {"active": user.active}
    user.active = active
    if not active:
        user.session_version += 1  # a live session of a deactivated user dies at its next request
    audit(
        session, actor, "user_activate" if active else "user_deactivate", user, before=before, after={"active": active}
    )
    session.commit()


def reset_password(session: Session, actor: User, user: User, new_password: str) -> None:
    problem = rules.password_problem(new_password, username=user.username)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    session.execute(
        update(LoginThrottle).where(LoginThrottle.username == user.username).values(failures=0, locked_until=None)
    )
    audit(session, actor, "password_reset", user)
    session.commit()


def grant_role(session: Session, actor: User, user: User, role: Role | str, opd_id: int | None) -> RoleGrant:
    role = Role(role)
    if role in OPD_SCOPED and opd_id is None:
        raise AccountError("Peran ini berlaku untuk satu OPD: pilih OPD-nya.")
    if role not in OPD_SCOPED:
        opd_id = None
    if opd_id is not None and session.get(Opd, opd_id) is None:
        raise AccountError("OPD tidak ditemukan.")
    exists = session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == role,
            RoleGrant.opd_id.is_(None) if opd_id is None else RoleGrant.opd_id == opd_id,
        )
    )
    if exists:
        raise AccountError("Pengguna sudah memiliki peran ini.")
    grant = RoleGrant(user=user, role=role, opd_id=opd_id)
    session.add(grant)
    session.flush()
    audit(session, actor, "role_grant", grant, after={"user": user.username, "role": role.value, "opd_id": opd_id})
    session.commit()
    return grant


def revoke_role(session: Session, actor: User, grant: RoleGrant) -> None:
    if grant.user_id == actor.id and grant.role == Role.ADMIN:
        admins = session.scalar(select(db.func.count(RoleGrant.id)).where(RoleGrant.role == Role.ADMIN))
        if admins <= 1:
            raise AccountError("Peran admin terakhir tidak dapat dicabut.")
    before = {"user": grant.user.username, "role": grant.role.value, "opd_id": grant.opd_id}
    audit(session, actor, "role_revoke", grant, before=before)
    session.delete(grant)
    session.commit()


# --- OPDs ------------------------------------------------------------------------------------

OPD_FIELDS = ["code", "name", "short_name", "active"]


def save_opd(session: Session, actor: User, data: dict[str, Any], opd: Opd | None = None) -> Opd:
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in OPD_FIELDS}
    for field_name, label in (("code", "Kode"), ("name", "Nama")):
        query = select(Opd.id).where(getattr(Opd, field_name) == data[field_name])
        if opd is not None:
            query = query.where(Opd.id != opd.id)
        if session.scalar(query) is not None:
            raise AccountError(f"{label} OPD “{data[field_name]}” sudah ada.")
    before = snapshot(opd, OPD_FIELDS) if opd else None
    if opd is None:
        opd = Opd(**data)
        session.add(opd)
        try:
            session.flush()
        except IntegrityError as exc:  # the same form sent twice at once: one OPD, one clear refusal
            session.rollback()
            raise AccountError(f"Kode atau nama OPD “{data['code']}” sudah ada.") from exc
    else:
        for key, value in data.items():
            setattr(opd, key, value)
    audit(session, actor, "opd_update" if before else "opd_create", opd, before=before, after=snapshot(opd, OPD_FIELDS))
    session.commit()
    return opd
